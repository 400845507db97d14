{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key='batch_key') }}
-- Every raw lead row, typed, with its status (valid / quarantined /
-- superseded) and the reason a quarantined row was refused.
with source as (
    select * from {{ raw_rows(source('seed', 'seed_leads'), key='lead_id') }} as raw_row
),

-- materialized: every check reads the parsed values, parsed once per row
typed as materialized (
    select
        {{ raw_row_columns('s') }},
        {{ clean_text('s.lead_id') }} as lead_id,
        {{ normalize_hex('s.phone_hash') }} as phone_hash,
        upper({{ clean_text('s.state') }}) as address_state,
        {{ clean_text('s.timezone') }} as timezone_label,
        {{ clean_text('s.source') }} as lead_source,
        staging.parse_iso_timestamp(s.created_at) as created_at,
        {{ parse_boolean('s.consent_flag') }} as consent_flag,
        staging.parse_iso_timestamp(s.opt_out_at) as opt_out_at,
        s.phone_hash as raw_phone_hash,
        s.created_at as raw_created_at,
        s.consent_flag as raw_consent_flag,
        s.opt_out_at as raw_opt_out_at
    from source as s
),

zoned as (
    select
        typed.*,
        coalesce(zone_for_state.iana_zone, zone_for_any_state.iana_zone) as stated_timezone
    from typed
    left join {{ ref('stg_zone_names') }} as zone_for_state
        on zone_for_state.name = upper(typed.timezone_label) and zone_for_state.state = typed.address_state
    left join {{ ref('stg_zone_names') }} as zone_for_any_state
        on zone_for_any_state.name = upper(typed.timezone_label) and zone_for_any_state.state = ''
),

{% set checks = [
    ("parse_error is not null", "malformed_record", "parse_error"),
    ("lead_id is null", "missing_id", "'missing lead_id'"),
    ("phone_hash is null", "bad_hash", "format('phone_hash %s is not a hex digest', staging.quoted_excerpt(raw_phone_hash))"),
    ("stated_timezone is null", "unknown_zone",
     "format('unknown zone label %s (expected a US zone label such as EST, or an IANA zone name such as America/Chicago)', staging.quoted_excerpt(timezone_label))"),
    ("created_at is null", "bad_timestamp",
     "format('bad timestamp in created_at: %s (expected ISO 8601, e.g. 2025-06-11T01:00:00)', staging.quoted_excerpt(raw_created_at))"),
    timestamp_range_check('created_at'),
    ("consent_flag is null", "bad_boolean",
     "format('bad boolean in consent_flag: %s (expected true or false)', staging.quoted_excerpt(raw_consent_flag))"),
    ("opt_out_at is null and " ~ clean_text('raw_opt_out_at') ~ " is not null", "bad_timestamp",
     "format('bad timestamp in opt_out_at: %s (expected ISO 8601 or empty)', staging.quoted_excerpt(raw_opt_out_at))"),
    timestamp_range_check('opt_out_at'),
] %}

checked as materialized (
    select
        zoned.*,
        {{ problem_columns(checks) }}
    from zoned
)

select checked.*, {{ row_status_columns('lead_id') }}
from checked
