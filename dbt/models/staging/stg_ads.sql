-- One row per valid ad (native format only).
select ad_id, campaign_id, platform, ad_name, started_at
from {{ ref('base_native__ads') }}
where status = 'valid'
