{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key='batch_key') }}
-- Every raw contact-attempt row, typed, with its status and rejection reason.
-- An attempt whose lead is missing from leads.csv, or was itself quarantined,
-- is quarantined: without the lead there is no zone, consent or DNC evidence.
with source as (
    select * from {{ raw_rows(source('seed', 'seed_contact_attempts'), key='attempt_id',
                         follows=[('lead_id', 'base_seed__leads', 'lead_id')]) }} as raw_row
),

-- materialized: every check reads the parsed values, parsed once per row
typed as materialized (
    select
        {{ raw_row_columns('s') }},
        {{ clean_text('s.attempt_id') }} as attempt_id,
        {{ clean_text('s.lead_id') }} as lead_id,
        lower({{ clean_text('s.channel') }}) as channel,
        staging.parse_iso_timestamp(s.attempt_ts) as attempt_ts,
        {{ clean_text('s.outcome') }} as outcome,
        {{ clean_text('s.campaign_id') }} as campaign_id,
        s.channel as raw_channel,
        s.attempt_ts as raw_attempt_ts
    from source as s
),

{% set checks = [
    ("parse_error is not null", "malformed_record", "parse_error"),
    ("attempt_id is null", "missing_id", "'missing attempt_id'"),
] + lead_reference_checks('leads.csv') + [
    ("channel is null or channel not in ('call', 'sms')", "unknown_channel",
     "format('unknown channel %s (expected call or sms)', staging.quoted_excerpt(raw_channel))"),
    ("attempt_ts is null", "bad_timestamp",
     "format('bad timestamp in attempt_ts: %s (expected ISO 8601, e.g. 2025-06-11T01:00:00)', staging.quoted_excerpt(raw_attempt_ts))"),
    timestamp_range_check('attempt_ts'),
] %}

checked as materialized (
    select
        typed.*,
        {{ problem_columns(checks) }}
    from typed
    left join {{ ref('stg_lead_states') }} as lead_state
        on lead_state.source_format = 'seed' and lead_state.lead_id = typed.lead_id
)

select checked.*, {{ row_status_columns('attempt_id') }}
from checked
