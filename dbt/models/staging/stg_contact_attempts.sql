{{ incremental_by_entity() }}
-- One row per valid contact attempt, both formats. `attempt_ts` is a UTC
-- instant (timestamptz). The number called is `to_phone_e164` / `to_phone_hash`
-- (the lead's own when the attempt names none; seed attempts only know the
-- lead's hash). Seed attempts carry no technology, purpose, subject or debt.
select
    a.attempt_id,
    'seed'::text as source_format,
    a.lead_id,
    null::text as to_phone_e164,
    l.phone_hash as to_phone_hash,
    a.channel,
    null::text as technology,
    null::text as purpose,
    a.attempt_ts,
    a.outcome,
    a.campaign_id,
    null::text as subject,
    null::text as debt_id,
    null::text as caller_id,
    {{ entity('base_seed__contact_attempts', 'a.batch_key') }}
from {{ ref('base_seed__contact_attempts') }} as a
inner join {{ ref('base_seed__leads') }} as l on l.lead_id = a.lead_id and l.status = 'valid'
where a.status = 'valid' and {{ rebuilt_rows('a.build_id') }}

union all

select
    a.attempt_id,
    'native',
    a.lead_id,
    coalesce(a.to_phone_e164, l.phone_e164),
    coalesce(staging.phone_hash_v1(a.to_phone_e164), l.phone_hash),
    a.channel,
    a.technology,
    a.purpose,
    a.attempt_ts,
    a.outcome,
    a.campaign_id,
    a.subject,
    a.debt_id,
    a.caller_id,
    {{ entity('base_native__contact_attempts', 'a.batch_key') }}
from {{ ref('base_native__contact_attempts') }} as a
inner join {{ ref('base_native__leads') }} as l on l.lead_id = a.lead_id and l.status = 'valid'
where a.status = 'valid' and {{ rebuilt_rows('a.build_id') }}
