-- Every raw DNC row with its normalized hash (lowercase hex, spaces trimmed).
-- The same number listed twice is not an error: keys are not deduplicated
-- here. A copy of a later identical row (raw_rows.sql: a repeated line, a
-- row sent again) is superseded by it.
with typed as (
    select
        {{ raw_row_columns('s') }},
        {{ normalize_hex('s.phone_hash') }} as phone_hash,
        s.phone_hash as raw_phone_hash
    from {{ raw_rows(source('seed', 'seed_dnc')) }} as s
),

{% set checks = [
    ("parse_error is not null", "malformed_record", "parse_error"),
    ("phone_hash is null", "bad_hash", "format('phone_hash %s is not a hex digest', staging.quoted_excerpt(raw_phone_hash))"),
] %}

checked as (
    select typed.*, {{ problem_columns(checks) }}
    from typed
)

select
    checked.*,
    case when repeated then 'superseded' when row_problem is null then 'valid' else 'quarantined' end as status,
    case when not repeated then row_problem end as rejection_reason,
    case when not repeated and row_problem is not null then problem_codes end as rejection_codes
from checked
