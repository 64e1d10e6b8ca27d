-- partnership_timeline: one row per company pair and deal event, oldest first, with how many articles reported it and its first and last evidence.
with reports as (
    -- a report's position in time; ties broken by article and offset so reruns pick the same evidence
    select deal_id, sentence, url, (coalesce(published, mention_date), article_id, start_offset) as reported
    from deal_mentions
),

evidence as (
    select
        deal_id,
        arg_min(sentence, reported) as first_evidence,
        arg_max(sentence, reported) as last_evidence,
        arg_min(url, reported) as first_url
    from reports
    group by deal_id
),

events as (
    select
        p.company_a,
        p.company_b,
        p.company_a_id,
        p.company_b_id,
        p.deal_id,
        p.deal_date,
        p.date_precision,
        p.deal_types,
        p.deal_types_text,
        p.article_count,
        e.first_evidence,
        e.last_evidence,
        e.first_url
    from stg_deal_pairs p
    join evidence e using (deal_id)
),

numbered as (
    select
        *,
        row_number() over pair_in_time as event_number,
        count(*) over pair as pair_event_count,
        min(deal_date) over pair as pair_first_date,
        max(deal_date) over pair as pair_last_date
    from events
    window
        pair as (partition by company_a_id, company_b_id),
        pair_in_time as (partition by company_a_id, company_b_id order by deal_date, deal_id)
)

select
    company_a, company_b, event_number, deal_date, date_precision, deal_types, deal_types_text,
    article_count, first_evidence, last_evidence, first_url, pair_event_count, pair_first_date, pair_last_date,
    deal_id, company_a_id, company_b_id
from numbered
order by company_a, company_b, deal_date, deal_id
