{{ config(indexes=[{'columns': ['lead_id']}, {'columns': ['phone_hash']}]) }}
{{ incremental_by_entity() }}

-- One row per valid opt-out / revocation request, both formats. A seed lead's
-- opt_out_at becomes an opt-out of every channel by that lead
-- (opt_out_id 'seed:<lead_id>', method unknown).
select
    'seed:' || lead_id as opt_out_id,
    'seed'::text as source_format,
    lead_id,
    null::text as phone_hash,
    null::text as email,
    'all'::text as channel_scope,
    opt_out_at as requested_at,
    null::text as method,
    {{ entity('base_seed__leads') }}
from {{ ref('base_seed__leads') }}
where status = 'valid' and opt_out_at is not null and {{ rebuilt_rows('build_id') }}

union all

select opt_out_id, 'native', lead_id, phone_hash, email, channel_scope, requested_at, method,
       {{ entity('base_native__opt_outs') }}
from {{ ref('base_native__opt_outs') }}
where status = 'valid' and {{ rebuilt_rows('build_id') }}
