-- TCPA quiet hours, 47 CFR 64.1200(c)(1): no call or text "before the hour of
-- 8 a.m. or after 9 p.m." at the called party's location. Literal boundaries:
-- 08:00:00 and 21:00:00 are allowed, 21:00:00.000001 is not (contact-rules.md
-- §0.2, QH-01/QH-02). Emails are out of scope except for debt collection
-- (Reg F 12 CFR 1006.6(b)(1)(i) covers every medium).
--
-- The location is uncertain, so every candidate zone is checked (§0.3):
-- `definite` when the attempt is outside the window in every candidate zone,
-- `possible` when in some; `deciding_zones` are the zones where it is outside.
with judged as (
    select
        t.attempt_id,
        count(*) as candidate_count,
        array_agg(t.iana_zone order by t.iana_zone) filter (
            where t.attempted_at_local::time < time '08:00:00' or t.attempted_at_local::time > time '21:00:00'
        ) as deciding_zones,
        string_agg(
            format('%s %s', t.iana_zone, to_char(t.attempted_at_local, 'Dy YYYY-MM-DD HH24:MI:SS')), ', '
            order by t.iana_zone
        ) filter (
            where t.attempted_at_local::time < time '08:00:00' or t.attempted_at_local::time > time '21:00:00'
        ) as outside_times
    from {{ ref('int_attempt_local_times') }} as t
    group by t.attempt_id
)

select
    a.attempt_id,
    a.attempt_id as violation_key,
    case when cardinality(j.deciding_zones) = j.candidate_count then 'definite' else 'possible' end as certainty,
    j.deciding_zones,
    format(
        '%s attempt outside the allowed window 08:00:00-21:00:00 at the called party''s location: local time %s (%s of %s candidate zones).',
        {{ channel_label('a.channel') }},
        j.outside_times,
        cardinality(j.deciding_zones),
        j.candidate_count
    ) as details
from judged as j
inner join {{ ref('int_contact_attempts_localized') }} as a on a.attempt_id = j.attempt_id
where j.deciding_zones is not null
  and (a.channel <> 'email' or a.purpose = 'debt_collection')
