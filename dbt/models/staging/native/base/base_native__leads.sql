-- depends_on: {{ ref('area_code_zones') }}
{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key='batch_key') }}
-- Every raw lead row, typed, with its status and rejection reason.
-- Phone identity cci-phone-v1 (dbt/macros/phone_identity.sql): `phone` is
-- parsed to E.164 and hashed; a `phone_hash` sent alongside must agree with it.
-- A lead needs a phone or a phone hash; email is optional.
with source as (
    select * from {{ raw_rows(source('native', 'native_leads'), key='lead_id',
                         follows=[('lead_id', 'base_seed__leads', 'lead_id')]) }} as raw_row
),

states as (
    select distinct state from {{ ref('state_zones') }}
),

-- materialized: phone parsing (a function call) runs once per row
typed as materialized (
    select
        {{ raw_row_columns('s') }},
        {{ clean_text('s.lead_id') }} as lead_id,
        {{ clean_text('s.phone') }} as raw_phone,
        case when {{ clean_text('s.phone') }} is not null then staging.parse_nanp_phone(s.phone) end as phone_parsed,
        {{ clean_text('s.phone_hash') }} as raw_phone_hash,
        staging.normalize_phone_hash(s.phone_hash) as given_phone_hash,
        lower({{ clean_text('s.email') }}) as email,
        upper({{ clean_text('s.address_state') }}) as address_state,
        {{ clean_text('s.address_zip') }} as raw_address_zip,
        substring(btrim(s.address_zip) from '^(\d{5})(-?\d{4})?$') as address_zip5,
        {{ clean_text('s.timezone') }} as timezone_label,
        {{ clean_text('s.ad_id') }} as ad_id,
        staging.parse_iso_timestamp(s.created_at) as created_at,
        s.created_at as raw_created_at
    from source as s
),

zoned as (
    select
        typed.*,
        (phone_parsed).e164 as phone_e164,
        (phone_parsed).extension as phone_extension,
        coalesce(staging.phone_hash_v1((phone_parsed).e164), given_phone_hash) as phone_hash,
        coalesce(zone_for_state.iana_zone, zone_for_any_state.iana_zone) as stated_timezone,
        states.state is not null as state_known
    from typed
    left join {{ ref('stg_zone_names') }} as zone_for_state
        on zone_for_state.name = upper(typed.timezone_label) and zone_for_state.state = typed.address_state
    left join {{ ref('stg_zone_names') }} as zone_for_any_state
        on zone_for_any_state.name = upper(typed.timezone_label) and zone_for_any_state.state = ''
    left join states on states.state = typed.address_state
),

{% set checks = [
    ("parse_error is not null", "malformed_record", "parse_error"),
    ("lead_id is null", "missing_id", "'missing lead_id'"),
    cross_format_check('zoned', 'lead_id', 'base_seed__leads'),
] + phone_or_hash_checks() + [
    ("email is not null and email !~ '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$'", "bad_email", "format('email %s is not an address', staging.quoted_excerpt(email))"),
    ("address_state is not null and not state_known", "bad_state",
     "format('address_state %s is not a US state, DC or territory code', staging.quoted_excerpt(address_state))"),
    ("raw_address_zip is not null and address_zip5 is null", "bad_zip",
     "format('address_zip %s is not a ZIP code (12345 or 12345-6789)', staging.quoted_excerpt(raw_address_zip))"),
    ("timezone_label is not null and stated_timezone is null", "unknown_zone",
     "format('unknown zone label %s (expected a US zone label such as EST, or an IANA zone name such as America/Chicago)', staging.quoted_excerpt(timezone_label))"),
] + timestamp_checks('created_at') %}

checked as materialized (
    select zoned.*, {{ problem_columns(checks) }}
    from zoned
)

select checked.*, {{ row_status_columns('lead_id') }}
from checked
