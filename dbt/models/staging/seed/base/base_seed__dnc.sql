-- Every raw DNC row with its normalized hash (lowercase hex, spaces trimmed).
-- The same number listed twice is not an error: keys are not deduplicated here.
with source as (
    select * from {{ source('seed', 'seed_dnc') }}
)

select
    {{ raw_row_columns('s') }},
    {{ normalize_hex('s.phone_hash') }} as phone_hash,
    case when s._parse_error is not null or {{ normalize_hex('s.phone_hash') }} is null
        then 'quarantined' else 'valid' end as status,
    nullif(concat_ws('; ',
        s._parse_error,
        case when {{ normalize_hex('s.phone_hash') }} is null
            then format('phone_hash %L is not a hex digest', s.phone_hash) end
    ), '') as rejection_reason
from source as s
