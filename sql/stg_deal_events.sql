-- stg_deal_events: one row per announced deal event (status primary, confidence at least the configured minimum) with typed dates.
with announced as (
    select *
    from deals
    where status = 'primary'
      and coalesce(confidence, 1.0) >= getvariable('min_confidence')  -- rules-only facts carry no confidence
),

dated as (
    select
        deal_id,
        deal_date,
        date_precision,
        list_sort(deal_types) as deal_types,
        array_to_string(list_sort(deal_types), ', ') as deal_types_text,
        party_count,
        confidence,
        article_count,
        mention_count,
        first_reported,
        last_reported,
        cast(date_trunc('month', deal_date) as date) as deal_month,
        year(deal_date) as deal_year
    from announced
)

select * from dated
