-- stg_portfolio_statements: one row per stated portfolio size (confidence at least the configured minimum), dated by its as-of date or else the article's date.
with statements as (
    select
        count_id,
        company_id,
        company_name,
        value,
        qualifier,
        -- how precise the qualifier is, most precise first: the one order every mart ranks statements by
        case qualifier when 'exact' then 0 when 'at_least' then 1 when 'more_than' then 2
                       when 'about' then 3 else 4 end as qualifier_rank,
        unit,
        period,
        coalesce(as_of, published) as statement_date,
        coalesce(as_of_precision, 'published') as date_basis,  -- null precision: dated by the article
        article_id,
        url,
        sentence,
        confidence
    from patent_counts
    where value > 0
      and coalesce(confidence, 1.0) >= getvariable('min_confidence')  -- rules-only facts carry no confidence
)

select * from statements
where statement_date is not null
