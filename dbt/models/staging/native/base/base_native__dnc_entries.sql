-- depends_on: {{ ref('area_code_zones') }}
-- Every raw Do-Not-Call entry, typed, with its status and rejection reason.
-- `list`: national, internal, litigator or state:XX. A number comes as a
-- phone (normalized and hashed here, cci-phone-v1) or pre-hashed; pre-hashed
-- lists are checked against the canary number in stg_dnc_entries. The key is
-- (list, phone hash): a later load updates registered_at / removed_at.
-- `typed` is materialized: phone parsing (a function call) runs once per row.
with typed as materialized (
    select
        {{ raw_row_columns('s') }},
        {{ dnc_list_name('s.list') }} as list_name,
        {{ clean_text('s.phone') }} as raw_phone,
        case when {{ clean_text('s.phone') }} is not null then staging.parse_nanp_phone(s.phone) end as phone_parsed,
        {{ clean_text('s.phone_hash') }} as raw_phone_hash,
        staging.normalize_phone_hash(s.phone_hash) as given_phone_hash,
        staging.parse_iso_timestamp(s.registered_at) as registered_at,
        staging.parse_iso_timestamp(s.removed_at) as removed_at,
        s.list as raw_list,
        s.registered_at as raw_registered_at,
        s.removed_at as raw_removed_at
    from {{ raw_rows(source('native', 'native_dnc_entries')) }} as s
),

hashed as (
    select
        typed.*,
        (phone_parsed).e164 as phone_e164,
        coalesce(staging.phone_hash_v1((phone_parsed).e164), given_phone_hash) as phone_hash,
        (phone_parsed).e164 is null and given_phone_hash is not null as is_prehashed
    from typed
),

{% set checks = [
    ("parse_error is not null", "malformed_record", "parse_error"),
    dnc_list_check(),
] + phone_or_hash_checks() + [
    ("removed_at < registered_at", "bad_interval", "'removed_at is before registered_at'"),
] + timestamp_checks('registered_at', required=false) + timestamp_checks('removed_at', required=false) %}

checked as materialized (
    select
        hashed.*,
        list_name || ' ' || phone_hash as entry_key,
        {{ problem_columns(checks) }}
    from hashed
)

select checked.*, {{ row_status_columns('entry_key') }}
from checked
