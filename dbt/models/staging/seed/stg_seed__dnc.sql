select distinct phone_hash
from {{ ref('base_seed__dnc') }}
where status = 'valid'
