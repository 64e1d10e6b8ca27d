-- The model's confidence (0-1) in each fact; the marts keep facts at or above the configured minimum.
alter table deal_mentions add column confidence double;
alter table patent_counts add column confidence double;
alter table deals add column confidence double;
