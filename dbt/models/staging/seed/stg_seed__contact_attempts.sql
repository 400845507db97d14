select
    attempt_id,
    lead_id,
    channel,
    attempt_ts,
    outcome,
    campaign_id
from {{ ref('base_seed__contact_attempts') }}
where status = 'valid'
