-- Every raw ad row, typed, with its status and rejection reason.
with typed as (
    select
        {{ raw_row_columns('s') }},
        {{ clean_text('s.ad_id') }} as ad_id,
        {{ clean_text('s.campaign_id') }} as campaign_id,
        lower({{ clean_text('s.platform') }}) as platform,
        {{ clean_text('s.name') }} as ad_name,
        staging.parse_iso_timestamp(s.started_at) as started_at,
        s.started_at as raw_started_at
    from {{ raw_rows(source('native', 'native_ads')) }} as s
),

{% set checks = [
    ("parse_error is not null", "malformed_record", "parse_error"),
    ("ad_id is null", "missing_id", "'missing ad_id'"),
] + timestamp_checks('started_at', required=false) %}

checked as materialized (
    select typed.*, {{ problem_columns(checks) }}
    from typed
)

select checked.*, {{ row_status_columns('ad_id') }}
from checked
