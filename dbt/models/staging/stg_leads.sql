{{ incremental_by_entity() }}
-- One row per valid lead, both formats (docs/data-contract.md). The seed
-- export has no phone (only its hash), no email, ZIP or ad; its lead-level
-- consent_flag is kept (NULL for native leads, whose consent is in stg_consents).
select
    lead_id,
    'seed'::text as source_format,
    null::text as phone_e164,
    null::text as phone_extension,
    phone_hash,
    null::text as email,
    address_state,
    null::text as address_zip5,
    stated_timezone,
    null::text as ad_id,
    lead_source,
    created_at,
    consent_flag,
    {{ entity('base_seed__leads') }}
from {{ ref('base_seed__leads') }}
where status = 'valid' and {{ rebuilt_rows('build_id') }}

union all

select
    lead_id,
    'native',
    phone_e164,
    phone_extension,
    phone_hash,
    email,
    address_state,
    address_zip5,
    stated_timezone,
    ad_id,
    null,
    created_at,
    null,
    {{ entity('base_native__leads') }}
from {{ ref('base_native__leads') }}
where status = 'valid' and {{ rebuilt_rows('build_id') }}
