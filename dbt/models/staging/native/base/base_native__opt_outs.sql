-- depends_on: {{ ref('area_code_zones') }}
{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key='batch_key') }}
-- Every raw opt-out (revocation / do-not-contact request) row, typed, with its
-- status and rejection reason. It names the person by lead_id, phone or email
-- (at least one); `channel_scope` is one channel or `all`.
with source as (
    select * from {{ raw_rows(source('native', 'native_opt_outs'), key='opt_out_id',
                         follows=[('lead_id', 'base_native__leads', 'lead_id')]) }} as raw_row
),

-- materialized: phone parsing (a function call) runs once per row
typed as materialized (
    select
        {{ raw_row_columns('s') }},
        {{ clean_text('s.opt_out_id') }} as opt_out_id,
        {{ clean_text('s.lead_id') }} as lead_id,
        {{ clean_text('s.phone') }} as raw_phone,
        case when {{ clean_text('s.phone') }} is not null then staging.parse_nanp_phone(s.phone) end as phone_parsed,
        lower({{ clean_text('s.email') }}) as email,
        lower({{ clean_text('s.channel_scope') }}) as channel_scope,
        staging.parse_iso_timestamp(s.requested_at) as requested_at,
        lower({{ clean_text('s.method') }}) as method,
        s.channel_scope as raw_channel_scope,
        s.method as raw_method,
        s.requested_at as raw_requested_at
    from source as s
),

{% set checks = [
    ("parse_error is not null", "malformed_record", "parse_error"),
    ("opt_out_id is null", "missing_id", "'missing opt_out_id'"),
    ("typed.lead_id is null and raw_phone is null and email is null", "missing_target",
     "'names no one: give lead_id, phone or email'"),
] + lead_reference_checks('leads', required=false) + [
    ("raw_phone is not null and (phone_parsed).e164 is null", "bad_phone",
     "format('phone %s is not a valid NANP number (%s)', staging.quoted_excerpt(raw_phone), (phone_parsed).problem)"),
    enum_check('channel_scope', ['call', 'sms', 'email', 'rvm', 'all'], 'unknown_channel'),
    enum_check('method', ['stop_keyword', 'verbal', 'email', 'web', 'letter'], 'unknown_method', required=false),
] + timestamp_checks('requested_at') %}

checked as materialized (
    select
        typed.*,
        staging.phone_hash_v1((phone_parsed).e164) as phone_hash,
        {{ problem_columns(checks) }}
    from typed
    left join {{ ref('stg_lead_states') }} as lead_state
        on lead_state.source_format = 'native' and lead_state.lead_id = typed.lead_id
)

select checked.*, {{ row_status_columns('opt_out_id') }}
from checked
