-- TCPA quiet hours, 47 CFR 64.1200(c)(1): no attempt "before the hour of 8 a.m.
-- or after 9 p.m." at the called party's location. Literal boundaries:
-- 08:00:00 and 21:00:00 are allowed, 21:00:00.000001 is not (contact-rules.md
-- §0.2 and QH-01/QH-02).
select
    attempt_id,
    attempt_id as violation_key,
    format(
        '%s attempt at %s local time (%s) on %s: outside the allowed window 08:00:00-21:00:00 at the called party''s location.',
        {{ channel_label('channel') }},
        (attempt_ts_local::time)::text,
        local_timezone,
        to_char(attempt_ts_local, 'Dy YYYY-MM-DD')
    ) as details
from {{ ref('int_contact_attempts_localized') }}
where attempt_ts_local::time < time '08:00:00'
   or attempt_ts_local::time > time '21:00:00'
