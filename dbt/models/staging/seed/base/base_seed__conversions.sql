{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key='batch_key') }}
-- Every raw conversion row, typed, with its status and rejection reason.
with source as (
    select * from {{ raw_rows(source('seed', 'seed_conversions'), key='conversion_id',
                         follows=[('lead_id', 'base_seed__leads', 'lead_id')]) }} as raw_row
),

-- materialized: every check reads the parsed values, parsed once per row
typed as materialized (
    select
        {{ raw_row_columns('s') }},
        {{ clean_text('s.conversion_id') }} as conversion_id,
        {{ clean_text('s.lead_id') }} as lead_id,
        staging.parse_iso_timestamp(s.conversion_ts) as occurred_at,
        {{ clean_text('s.conversion_type') }} as kind,
        {{ parse_numeric('s.revenue') }} as revenue,
        s.conversion_ts as raw_conversion_ts,
        s.revenue as raw_revenue
    from source as s
),

{% set checks = [
    ("parse_error is not null", "malformed_record", "parse_error"),
    ("conversion_id is null", "missing_id", "'missing conversion_id'"),
] + lead_reference_checks('leads.csv') + [
    ("occurred_at is null", "bad_timestamp",
     "format('bad timestamp in conversion_ts: %s (expected ISO 8601)', staging.quoted_excerpt(raw_conversion_ts))"),
    timestamp_range_check('occurred_at', field='conversion_ts'),
    ("revenue is null and " ~ clean_text('raw_revenue') ~ " is not null", "bad_number",
     "format('bad number in revenue: %s', staging.quoted_excerpt(raw_revenue))"),
] %}

checked as materialized (
    select
        typed.*,
        {{ problem_columns(checks) }}
    from typed
    left join {{ ref('stg_lead_states') }} as lead_state
        on lead_state.source_format = 'seed' and lead_state.lead_id = typed.lead_id
)

select checked.*, {{ row_status_columns('conversion_id') }}
from checked
