-- Calling windows, one row per attempt outside the window of a catalog rule of
-- family outside_allowed_hours that applies to it (rule_catalog seed):
--   QH-FED-1  TCPA quiet hours, 47 CFR 64.1200(c)(1): telephone solicitation
--             "before the hour of 8 a.m. or after 9 p.m." (calls, texts, RVM);
--   QH-FED-2  Reg F, 12 CFR 1006.6(b)(1)(i): debt collection, every medium.
-- The window is the rule's parameters (window_start, window_end); the
-- boundaries themselves are allowed: 08:00:00 and 21:00:00 are inside,
-- 21:00:00.000001 is not (contact-rules.md §0.2, QH-01/QH-02).
--
-- The location is uncertain, so every candidate zone is checked (§0.3):
-- `definite` when the attempt is outside the window in every candidate zone,
-- `possible` when in some; `deciding_zones` are the zones where it is outside.
-- Rules in this family must have disjoint scopes (one row per attempt).
with applicable as (
    select
        a.attempt_id,
        a.channel,
        r.rule_id,
        {{ rule_param('r', 'window_start', 'time') }} as window_start,
        {{ rule_param('r', 'window_end', 'time') }} as window_end
    from {{ ref('int_contact_attempts_localized') }} as a
    inner join {{ catalog_rules('outside_allowed_hours') }} as r on {{ rule_applies('r', 'a') }}
),

judged as (
    select
        p.attempt_id,
        p.channel,
        p.rule_id,
        p.window_start,
        p.window_end,
        count(*) as candidate_count,
        array_agg(t.iana_zone order by t.iana_zone) filter (
            where t.attempted_at_local::time < p.window_start or t.attempted_at_local::time > p.window_end
        ) as deciding_zones,
        string_agg(
            format('%s %s', t.iana_zone, to_char(t.attempted_at_local, 'Dy YYYY-MM-DD HH24:MI:SS')), ', '
            order by t.iana_zone
        ) filter (
            where t.attempted_at_local::time < p.window_start or t.attempted_at_local::time > p.window_end
        ) as outside_times
    from applicable as p
    inner join {{ ref('int_attempt_local_times') }} as t on t.attempt_id = p.attempt_id
    group by p.attempt_id, p.channel, p.rule_id, p.window_start, p.window_end
)

select
    attempt_id,
    attempt_id as violation_key,
    rule_id,
    case when cardinality(deciding_zones) = candidate_count then 'definite' else 'possible' end as certainty,
    deciding_zones,
    format(
        '%s attempt outside the allowed window %s-%s at the called party''s location: local time %s (%s of %s candidate zones).',
        {{ channel_label('channel') }},
        window_start,
        window_end,
        outside_times,
        cardinality(deciding_zones),
        candidate_count
    ) as details
from judged
where deciding_zones is not null
