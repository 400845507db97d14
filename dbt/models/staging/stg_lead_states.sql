-- One row per (source format, lead id) of a leads file: whether some current
-- version of the lead (not superseded) is valid, and whether one is
-- quarantined. The base models of rows that name a lead (attempts,
-- conversions, consents, opt-outs) join it for lead_reference_checks
-- (macros/references.sql): a row whose lead is unknown or quarantined waits
-- in quarantine, as without the lead there is no zone, consent or DNC
-- evidence.
select
    'seed'::text as source_format,
    lead_id,
    bool_or(status = 'valid') as lead_valid,
    bool_or(status = 'quarantined') as lead_quarantined
from {{ ref('base_seed__leads') }}
where status <> 'superseded' and lead_id is not null
group by lead_id

union all

select 'native', lead_id, bool_or(status = 'valid'), bool_or(status = 'quarantined')
from {{ ref('base_native__leads') }}
where status <> 'superseded' and lead_id is not null
group by lead_id
