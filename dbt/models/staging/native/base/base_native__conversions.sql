{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key='batch_key') }}
-- Every raw conversion row, typed, with its status and rejection reason.
-- Purchases and inquiries/applications form the established business
-- relationship (47 CFR 64.1200(f)(5)). `revenue` is numeric (USD), never float.
with source as (
    select * from {{ raw_rows(source('native', 'native_conversions'), key='conversion_id',
                         follows=[('lead_id', 'base_native__leads', 'lead_id'), ('conversion_id', 'base_seed__conversions', 'conversion_id')]) }} as raw_row
),

-- materialized: every check reads the parsed values, parsed once per row
typed as materialized (
    select
        {{ raw_row_columns('s') }},
        {{ clean_text('s.conversion_id') }} as conversion_id,
        {{ clean_text('s.lead_id') }} as lead_id,
        lower({{ clean_text('s.kind') }}) as kind,
        staging.parse_iso_timestamp(s.occurred_at) as occurred_at,
        {{ parse_numeric('s.revenue') }} as revenue,
        s.kind as raw_kind,
        s.occurred_at as raw_occurred_at,
        s.revenue as raw_revenue
    from source as s
),

{% set checks = [
    ("parse_error is not null", "malformed_record", "parse_error"),
    ("conversion_id is null", "missing_id", "'missing conversion_id'"),
    cross_format_check('typed', 'conversion_id', 'base_seed__conversions'),
] + lead_reference_checks('leads') + [
    enum_check('kind', ['purchase', 'inquiry', 'application'], 'unknown_kind'),
    ("revenue is null and " ~ clean_text('raw_revenue') ~ " is not null", "bad_number",
     "format('bad number in revenue: %s', staging.quoted_excerpt(raw_revenue))"),
] + timestamp_checks('occurred_at') %}

checked as materialized (
    select typed.*, {{ problem_columns(checks) }}
    from typed
    left join {{ ref('stg_lead_states') }} as lead_state
        on lead_state.source_format = 'native' and lead_state.lead_id = typed.lead_id
)

select checked.*, {{ row_status_columns('conversion_id') }}
from checked
