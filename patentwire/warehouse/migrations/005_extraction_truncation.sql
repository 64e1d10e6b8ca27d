-- Whether extraction read only the first MAX_TEXT_CHARS characters of the article (patentwire/extract/limits.py).
alter table extractions add column text_truncated boolean default false;
