select
    lead_id,
    phone_hash,
    state,
    timezone_label,
    local_timezone,
    lead_source,
    created_at,
    consent_flag,
    opt_out_at
from {{ ref('base_seed__leads') }}
where status = 'valid'
