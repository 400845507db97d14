{{ config(indexes=[{'columns': ['lead_id']}]) }}
{{ incremental_by_entity() }}

-- One row per valid consent record (native format only; the seed's
-- lead-level consent_flag stays on stg_leads). `channels` is text[] of call,
-- sms, email, rvm.
select consent_id, lead_id, kind, channels, seller, captured_at, method, disclosure_shown, revoked_at,
       {{ entity('base_native__consents') }}
from {{ ref('base_native__consents') }}
where status = 'valid' and {{ rebuilt_rows('build_id') }}
