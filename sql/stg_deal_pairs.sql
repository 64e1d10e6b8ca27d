-- stg_deal_pairs: one row per announced deal event and unordered pair of its parties (a before b by name).
with parties as (
    select p.deal_id, p.company_id, c.name as company_name
    from deal_parties p
    join companies c using (company_id)
),

pairs as (
    select
        a.deal_id,
        a.company_id as company_a_id,
        a.company_name as company_a,
        b.company_id as company_b_id,
        b.company_name as company_b
    from parties a
    join parties b
        on a.deal_id = b.deal_id
        and (a.company_name, a.company_id) < (b.company_name, b.company_id)
)

select pairs.*, e.deal_date, e.date_precision, e.deal_types, e.deal_types_text, e.deal_year, e.article_count
from pairs
join stg_deal_events e using (deal_id)
