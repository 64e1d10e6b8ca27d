-- stg_deal_events: one row per announced deal event (status primary) with typed dates.
with announced as (
    select *
    from deals
    where status = 'primary'
),

dated as (
    select
        deal_id,
        deal_date,
        date_precision,
        list_sort(deal_types) as deal_types,
        array_to_string(list_sort(deal_types), ', ') as deal_types_text,
        party_count,
        article_count,
        mention_count,
        first_reported,
        last_reported,
        cast(date_trunc('month', deal_date) as date) as deal_month,
        year(deal_date) as deal_year
    from announced
)

select * from dated
