-- Every raw DNC list version row (which registry download a scrub used),
-- typed, with its status and rejection reason. Key: (list, obtained_at).
with typed as (
    select
        {{ raw_row_columns('s') }},
        {{ dnc_list_name('s.list') }} as list_name,
        staging.parse_iso_timestamp(s.obtained_at) as obtained_at,
        s.list as raw_list,
        s.obtained_at as raw_obtained_at
    from {{ raw_rows(source('native', 'native_dnc_list_versions')) }} as s
),

{% set checks = [
    ("parse_error is not null", "malformed_record", "parse_error"),
    dnc_list_check(),
] + timestamp_checks('obtained_at') %}

checked as materialized (
    select
        typed.*,
        list_name || ' ' || (obtained_at at time zone 'UTC')::text as version_key,
        {{ problem_columns(checks) }}
    from typed
)

select checked.*, {{ row_status_columns('version_key') }}
from checked
