-- Every evidence sentence of a fact, not only the first: a JSON array of {"sentence", "start", "end"}.
alter table deal_mentions add column evidence varchar;
alter table patent_counts add column evidence_count integer;
alter table patent_counts add column evidence varchar;
