-- Every raw DNC list version row (which registry download a scrub used),
-- typed, with its status and rejection reason. Key: (list, obtained_at).
with typed as (
    select
        {{ raw_row_columns('s') }},
        case when lower(btrim(s.list)) ~ '^state:[a-z]{2}$' then 'state:' || upper(right(btrim(s.list), 2))
             else lower({{ clean_text('s.list') }}) end as list_name,
        staging.parse_iso_timestamp(s.obtained_at) as obtained_at,
        s.list as raw_list,
        s.obtained_at as raw_obtained_at
    from {{ source('native', 'native_dnc_list_versions') }} as s
),

{% set checks = [
    ("parse_error is not null", "malformed_record", "parse_error"),
    ("list_name is null or list_name !~ '^(national|internal|litigator|state:[A-Z]{2})$'"
     " or (list_name like 'state:%' and right(list_name, 2) not in (select state from " ~ ref('state_zones') ~ "))",
     "unknown_list",
     "format('list %L is not national, internal, litigator or state:XX with XX a US state, DC or territory code', raw_list)"),
] + timestamp_checks('obtained_at') %}

checked as (
    select
        typed.*,
        list_name || ' ' || (obtained_at at time zone 'UTC')::text as version_key,
        {{ problem_columns(checks) }}
    from typed
)

{{ classify_rows('version_key') }}
