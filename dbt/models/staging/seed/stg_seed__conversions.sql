select
    conversion_id,
    lead_id,
    conversion_ts,
    conversion_type,
    revenue
from {{ ref('base_seed__conversions') }}
where status = 'valid'
