-- The hash of each article's text, written by parse, so extract finds its work by comparing ids and
-- hashes instead of reading and hashing every stored text on every run.
alter table articles add column text_hash varchar;
update articles set text_hash = left(sha256(text), 16);
