{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key='batch_key') }}
-- Every raw consent row, typed, with its status and rejection reason.
-- `channels` is a list (comma, semicolon, pipe or space separated; a JSON
-- list in JSON Lines) of call, sms, email, rvm, or `all` for the four.
-- Consent kinds: pec (prior express consent) and pewc (prior express written
-- consent, 47 CFR 64.1200(f)(9)); rule CON-FED-1.
with source as (
    select * from {{ raw_rows(source('native', 'native_consents'), key='consent_id',
                         follows=[('lead_id', 'base_native__leads', 'lead_id')]) }} as raw_row
),

-- materialized: every check reads the parsed values, parsed once per row
typed as materialized (
    select
        {{ raw_row_columns('s') }},
        {{ clean_text('s.consent_id') }} as consent_id,
        {{ clean_text('s.lead_id') }} as lead_id,
        lower({{ clean_text('s.kind') }}) as kind,
        array_remove(regexp_split_to_array(lower(btrim(coalesce(s.channels, ''))), '[\s,;|]+'), '') as listed_channels,
        {{ clean_text('s.seller') }} as seller,
        staging.parse_iso_timestamp(s.captured_at) as captured_at,
        lower({{ clean_text('s.method') }}) as method,
        {{ parse_boolean('s.disclosure_shown') }} as disclosure_shown,
        staging.parse_iso_timestamp(s.revoked_at) as revoked_at,
        s.kind as raw_kind,
        s.channels as raw_channels,
        s.disclosure_shown as raw_disclosure_shown,
        s.captured_at as raw_captured_at,
        s.revoked_at as raw_revoked_at
    from source as s
),

{% set checks = [
    ("parse_error is not null", "malformed_record", "parse_error"),
    ("consent_id is null", "missing_id", "'missing consent_id'"),
] + lead_reference_checks('leads') + [
    enum_check('kind', ['pec', 'pewc'], 'unknown_kind'),
    ("cardinality(listed_channels) = 0 or not listed_channels <@ array['call', 'sms', 'email', 'rvm', 'all']",
     "unknown_channel", "format('channels %s: expected a list of call, sms, email, rvm or all', staging.quoted_excerpt(raw_channels))"),
    ("disclosure_shown is null and " ~ clean_text('raw_disclosure_shown') ~ " is not null", "bad_boolean",
     "format('bad boolean in disclosure_shown: %s (expected true or false)', staging.quoted_excerpt(raw_disclosure_shown))"),
    ("revoked_at < captured_at", "bad_interval", "'revoked_at is before captured_at'"),
] + timestamp_checks('captured_at') + timestamp_checks('revoked_at', required=false) %}

checked as materialized (
    select
        typed.*,
        case when 'all' = any(listed_channels) then array['call', 'sms', 'email', 'rvm']
             else listed_channels end as channels,
        {{ problem_columns(checks) }}
    from typed
    left join {{ ref('stg_lead_states') }} as lead_state
        on lead_state.source_format = 'native' and lead_state.lead_id = typed.lead_id
)

select checked.*, {{ row_status_columns('consent_id') }}
from checked
