-- depends_on: {{ ref('area_code_zones') }}
{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key='batch_key') }}
-- Every raw contact-attempt row, typed, with its status and rejection reason.
-- `to_phone` defaults to the lead's phone (or its hash). `attempted_at` must
-- carry its offset: without one the row is quarantined, not guessed
-- (docs/rules.md#times-and-boundaries, worked example EDGE-04). An attempt whose lead is unknown or
-- quarantined is quarantined too.
with source as (
    select * from {{ raw_rows(source('native', 'native_contact_attempts'), key='attempt_id',
                         follows=[('lead_id', 'base_native__leads', 'lead_id'), ('attempt_id', 'base_seed__contact_attempts', 'attempt_id')]) }} as raw_row
),

-- materialized: phone parsing (a function call) runs once per row
typed as materialized (
    select
        {{ raw_row_columns('s') }},
        {{ clean_text('s.attempt_id') }} as attempt_id,
        {{ clean_text('s.lead_id') }} as lead_id,
        {{ clean_text('s.to_phone') }} as raw_to_phone,
        case when {{ clean_text('s.to_phone') }} is not null then staging.parse_nanp_phone(s.to_phone) end as to_phone_parsed,
        lower({{ clean_text('s.channel') }}) as channel,
        lower({{ clean_text('s.technology') }}) as technology,
        lower({{ clean_text('s.purpose') }}) as purpose,
        staging.parse_iso_timestamp(s.attempted_at) as attempt_ts,
        lower({{ clean_text('s.outcome') }}) as outcome,
        {{ clean_text('s.campaign_id') }} as campaign_id,
        {{ clean_text('s.subject') }} as subject,
        {{ clean_text('s.debt_id') }} as debt_id,
        {{ clean_text('s.caller_id') }} as caller_id,
        s.channel as raw_channel,
        s.technology as raw_technology,
        s.purpose as raw_purpose,
        s.outcome as raw_outcome,
        s.attempted_at as raw_attempted_at
    from source as s
),

{% set checks = [
    ("parse_error is not null", "malformed_record", "parse_error"),
    ("attempt_id is null", "missing_id", "'missing attempt_id'"),
    cross_format_check('typed', 'attempt_id', 'base_seed__contact_attempts'),
] + lead_reference_checks('leads') + [
    ("raw_to_phone is not null and (to_phone_parsed).e164 is null", "bad_phone",
     "format('to_phone %s is not a valid NANP number (%s)', staging.quoted_excerpt(raw_to_phone), (to_phone_parsed).problem)"),
    enum_check('channel', ['call', 'sms', 'email', 'rvm'], 'unknown_channel'),
    enum_check('technology', ['manual', 'atds', 'prerecorded', 'ai_voice'], 'unknown_technology', required=false),
    enum_check('purpose', ['telemarketing', 'informational', 'debt_collection'], 'unknown_purpose'),
    enum_check('outcome', ['conversation', 'voicemail', 'no_answer', 'busy', 'network_fail', 'sent', 'delivered'],
               'unknown_outcome', required=false),
] + timestamp_checks('attempt_ts', field='attempted_at') %}

checked as materialized (
    select
        typed.*,
        (to_phone_parsed).e164 as to_phone_e164,
        {{ problem_columns(checks) }}
    from typed
    left join {{ ref('stg_lead_states') }} as lead_state
        on lead_state.source_format = 'native' and lead_state.lead_id = typed.lead_id
)

select checked.*, {{ row_status_columns('attempt_id') }}
from checked
