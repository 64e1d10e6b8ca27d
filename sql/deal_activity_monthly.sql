-- deal_activity_monthly: one row per month and deal type: how many announced deal events had that type.
with typed as (
    select deal_id, deal_month, unnest(deal_types) as deal_type
    from stg_deal_events
    where deal_month is not null
),

monthly as (
    select deal_month, deal_type, count(distinct deal_id) as deals
    from typed
    group by all
)

select deal_month, year(deal_month) as deal_year, deal_type, deals
from monthly
order by deal_month, deal_type
