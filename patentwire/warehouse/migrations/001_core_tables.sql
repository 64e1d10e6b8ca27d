-- The core tables every stage writes. Ids are hashes of natural keys (patentwire.ids.stable_id).

create table discovered_urls (
    url              varchar primary key,  -- normalized article URL
    source           varchar not null,     -- sources.yaml name that found it first
    language         varchar,              -- language hint of the source
    entry_title      varchar,              -- title given by the feed / sitemap / listing
    entry_published  timestamptz,          -- date given by the feed / sitemap, if any
    discovered_at    timestamptz not null
);

create table fetch_log (
    attempt_id     varchar primary key,
    source         varchar not null,
    url            varchar not null,
    final_url      varchar,
    status         integer,
    outcome        varchar not null,       -- new | changed | unchanged | skipped | failed
    reason         varchar,                -- why it failed (timeout, http_500, robots_disallowed, ...)
    bytes          bigint,
    elapsed_ms     double,
    etag           varchar,
    last_modified  varchar,
    content_type   varchar,
    fetched_at     timestamptz not null,
    content_hash   varchar                 -- sha256 of the stored body (page store)
);

create table page_parses (
    url             varchar primary key,   -- fetched URL
    content_hash    varchar not null,
    parser_version  varchar not null,
    article_id      varchar,               -- null when no article was found
    reason          varchar,               -- why no article: empty, too_short, listing_page, ...
    parsed_at       timestamptz not null
);

create table articles (
    article_id      varchar primary key,   -- stable_id(canonical_url)
    url             varchar not null,
    canonical_url   varchar not null,
    source          varchar,
    title           varchar,
    published       date,
    language        varchar,
    text            varchar not null,
    content_hash    varchar not null,
    parser_version  varchar not null,
    parsed_at       timestamptz not null
);

create table extractions (
    article_id         varchar primary key,
    text_hash          varchar not null,
    extractor_version  varchar not null,
    facts_json         varchar not null,   -- the extract CLI contract for this article
    deal_mentions      integer not null,
    count_mentions     integer not null,
    extracted_at       timestamptz not null
);

create table companies (
    company_id    varchar primary key,     -- stable_id(canonical name)
    name          varchar not null,
    country       varchar,
    parent_name   varchar,
    in_registry   boolean not null,
    first_seen    date,
    mention_count integer not null
);

create table company_aliases (
    company_id  varchar not null,
    alias       varchar not null,
    alias_kind  varchar not null,          -- canonical | registry | as_written
    primary key (company_id, alias)
);

create table deals (
    deal_id            varchar primary key,
    deal_date          date,
    date_precision     varchar,
    deal_types         varchar[] not null,
    status             varchar not null,
    party_count        integer not null,
    article_count      integer not null,
    mention_count      integer not null,
    first_reported     date,
    last_reported      date,
    extractor_version  varchar not null
);

create table deal_parties (
    deal_id          varchar not null,
    company_id       varchar not null,
    role             varchar not null,
    name_as_written  varchar,
    primary key (deal_id, company_id)
);

create table deal_mentions (
    mention_id         varchar primary key,
    deal_id            varchar not null,
    article_id         varchar not null,
    url                varchar,
    published          date,
    deal_types         varchar[] not null,
    status             varchar not null,
    mention_date       date,
    date_precision     varchar,
    sentence           varchar not null,
    start_offset       integer not null,
    end_offset         integer not null,
    evidence_count     integer not null,
    extractor_version  varchar not null
);

create table patent_counts (
    count_id           varchar primary key,
    article_id         varchar not null,
    url                varchar,
    company_id         varchar not null,
    company_name       varchar not null,
    name_as_written    varchar,
    value              bigint not null,
    qualifier          varchar not null,
    unit               varchar not null,
    period             varchar,
    as_of              date,
    as_of_precision    varchar,
    published          date,
    sentence           varchar not null,
    start_offset       integer not null,
    end_offset         integer not null,
    extractor_version  varchar not null
);
