-- Consent, 47 CFR 64.1200(a)(1)-(2): an attempt to a lead whose consent_flag
-- is false (the seed export's lead-level consent).
select
    attempt_id,
    attempt_id as violation_key,
    format('%s attempt to a lead with no consent on file (consent_flag is false).', {{ channel_label('channel') }}) as details
from {{ ref('int_contact_attempts_localized') }}
where not consent_flag
