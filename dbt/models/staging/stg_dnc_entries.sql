{{ config(indexes=[{'columns': ['phone_hash']}]) }}
{{ incremental_by_entity() }}

-- depends_on: {{ ref('area_code_zones') }}
-- One row per valid Do-Not-Call entry, both formats. The seed's dnc.csv names
-- no list and no dates: its entries are list 'unspecified', always listed.
--
-- Pre-hashed native lists must prove their hashing (docs/data-contract.md#pre-hashed-dnc-lists-the-canary, worked example HS-02):
-- each must contain the hash of the canary number (dbt var dnc_canary_phone,
-- env CCI_DNC_CANARY_PHONE) under cci-phone-v1. Otherwise this model fails the
-- build with a message naming the list, and the form it was hashed from when
-- that can be recognized, instead of silently matching nothing.
{% if execute %}
    {% set failures = run_query(dnc_canary_failures_sql(ref('base_native__dnc_entries'))) %}
    {% if failures.rows | length > 0 %}
        {{ exceptions.raise_compiler_error(dnc_canary_message(failures)) }}
    {% endif %}
{% endif %}

select
    'unspecified'::text as list_name,
    'seed'::text as source_format,
    phone_hash,
    null::text as phone_e164,
    true as is_prehashed,
    null::timestamptz as registered_at,
    null::timestamptz as removed_at,
    {{ entity('base_seed__dnc', 'null') }}
from {{ ref('base_seed__dnc') }}
where status = 'valid' and {{ rebuilt_rows('build_id') }}
group by phone_hash

union all

select list_name, 'native', phone_hash, phone_e164, is_prehashed, registered_at, removed_at,
       {{ entity('base_native__dnc_entries', 'null') }}
from {{ ref('base_native__dnc_entries') }}
where status = 'valid' and {{ rebuilt_rows('build_id') }}
