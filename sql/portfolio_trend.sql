-- portfolio_trend: one row per company, unit and statement date: the stated size, and its change and growth since the previous statement.
with ranked as (
    select
        *,
        row_number() over (
            partition by company_id, unit, statement_date
            order by qualifier_rank, value desc, count_id
        ) as rank_in_day,
        count(*) over (partition by company_id, unit, statement_date) as statements_that_day
    from stg_portfolio_statements
),

one_per_day as (
    select * exclude (rank_in_day, qualifier_rank)
    from ranked
    where rank_in_day = 1
),

with_previous as (
    select
        *,
        lag(value) over by_time as previous_value,
        lag(statement_date) over by_time as previous_date
    from one_per_day
    window by_time as (partition by company_id, unit order by statement_date)
)

select
    company_name as company,
    unit,
    statement_date,
    value,
    qualifier,
    period,
    previous_value,
    previous_date,
    value - previous_value as change,
    round(100.0 * (value - previous_value) / nullif(previous_value, 0), 1) as growth_pct,
    statements_that_day,
    article_id,
    url,
    sentence,
    company_id,
    count_id
from with_previous
order by company, unit, statement_date
