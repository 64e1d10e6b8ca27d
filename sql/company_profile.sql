-- company_profile: one row per company: its deal partners, announced deals by type and its latest stated portfolio size.
with party_deals as (
    select p.company_id, e.deal_id, e.deal_types, e.deal_date
    from deal_parties p
    join stg_deal_events e using (deal_id)
),

deal_counts as (
    select
        company_id,
        count(distinct deal_id) as deals,
        count(distinct deal_id) filter (where list_contains(deal_types, 'cross_license')) as cross_license_deals,
        count(distinct deal_id) filter (where list_contains(deal_types, 'license')) as license_deals,
        count(distinct deal_id) filter (where list_contains(deal_types, 'patent_acquisition')) as patent_acquisition_deals,
        count(distinct deal_id) filter (where list_contains(deal_types, 'settlement')) as settlement_deals,
        count(distinct deal_id) filter (where list_contains(deal_types, 'litigation')) as litigation_deals,
        count(distinct deal_id) filter (where list_contains(deal_types, 'partnership')) as partnership_deals,
        count(distinct deal_id) filter (where list_contains(deal_types, 'supply')) as supply_deals,
        min(deal_date) as first_deal_date,
        max(deal_date) as last_deal_date
    from party_deals
    group by company_id
),

partners as (
    select a.company_id, list_sort(list(distinct c.name)) as partners
    from party_deals a
    join deal_parties b on a.deal_id = b.deal_id and a.company_id <> b.company_id
    join companies c on c.company_id = b.company_id
    group by a.company_id
),

latest_size as (
    -- one whole statement per company, so size, unit and qualifier never mix two statements of the same day
    select
        company_id,
        arg_max(
            {'value': value, 'unit': unit, 'qualifier': qualifier, 'statement_date': statement_date},
            (statement_date, -qualifier_rank, value, count_id)
        ) as latest
    from stg_portfolio_statements
    group by company_id
)

select
    c.name as company,
    c.country,
    c.parent_name,
    c.in_registry,
    coalesce(p.partners, []) as partners,
    coalesce(d.deals, 0) as deals,
    coalesce(columns('_deals$'), 0),  -- the per-type counts of deal_counts, each under its own name
    d.first_deal_date,
    d.last_deal_date,
    s.latest.value as latest_portfolio_size,
    s.latest.unit as latest_portfolio_unit,
    s.latest.qualifier as latest_portfolio_qualifier,
    s.latest.statement_date as latest_portfolio_date,
    c.company_id
from companies c
left join deal_counts d using (company_id)
left join partners p using (company_id)
left join latest_size s using (company_id)
where d.deals is not null or s.latest is not null
order by deals desc, company
