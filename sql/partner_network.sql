-- partner_network: one row per company pair that made at least one announced deal (graph edges), with deal count, types and first/last year.
with pair_types as (
    select company_a_id, company_b_id, unnest(deal_types) as deal_type
    from stg_deal_pairs
),

types as (
    select company_a_id, company_b_id, list_sort(list(distinct deal_type)) as deal_types
    from pair_types
    group by all
),

edges as (
    select
        company_a,
        company_b,
        company_a_id,
        company_b_id,
        count(*) as deal_count,
        min(deal_year) as first_year,
        max(deal_year) as last_year,
        cast(sum(article_count) as bigint) as article_count  -- sum() of integers is HUGEINT, which BI tools misread
    from stg_deal_pairs
    group by all
)

select
    e.company_a, e.company_b, e.deal_count, t.deal_types, array_to_string(t.deal_types, ', ') as deal_types_text,
    e.first_year, e.last_year, e.article_count, e.company_a_id, e.company_b_id
from edges e
join types t using (company_a_id, company_b_id)
order by e.deal_count desc, e.company_a, e.company_b
