-- The zone names leads may give, each with the IANA zone it means: one row per
-- (name, state), `name` upper-case (names are matched case-insensitively),
-- `state` a USPS code or '' for every state. A label from the timezone_labels
-- seed (Mountain labels in AZ mean America/Phoenix: 15 U.S.C. 260a), or an
-- IANA region name known to this server, or one of the four legacy US zones
-- that follow daylight saving (EST5EDT, CST6CDT, MST7MDT, PST8PDT); a label
-- wins over an IANA name of the same spelling. Fixed-offset zones (Etc/...,
-- UTC, bare EST/MST/HST) are refused: CCI never uses a fixed offset.
-- A lead's zone is the row for its state, else the row for every state
-- (base_seed__leads, base_native__leads); no row: unknown_zone.
with labels as (
    select upper(label) as name, upper(coalesce(state, '')) as state, iana_zone
    from {{ ref('timezone_labels') }}
)

select name, state, iana_zone from labels

union all

select upper(z.name), '', z.name
from pg_timezone_names as z
where ((z.name like '%/%' and z.name not like 'Etc/%' and z.name not like 'posix/%')
       or z.name in ('EST5EDT', 'CST6CDT', 'MST7MDT', 'PST8PDT'))
  and upper(z.name) not in (select name from labels where state = '')
