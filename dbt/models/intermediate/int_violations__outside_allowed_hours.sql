-- Calling windows, one row per (attempt, catalog rule of family
-- outside_allowed_hours) when the attempt is outside the rule's window
-- (rule_catalog seed):
--   QH-FED-1  TCPA quiet hours, 47 CFR 64.1200(c)(1): telephone solicitation
--             "before the hour of 8 a.m. or after 9 p.m." (calls, texts, RVM);
--   QH-FED-2  Reg F, 12 CFR 1006.6(b)(1)(i): debt collection, every medium;
--   QH-<ST>-1 the stricter state windows of contact-rules.md §2.1 (FL, OK, MD,
--             WA 8-8; CT 9-8; TX 9-9 and Sunday noon-9; ...), each citing
--             its statute; jurisdiction = the state.
-- The window is the rule's parameters: window_start, window_end and, per
-- local weekday, `day_windows` ({"sun": ["12:00:00", "21:00:00"]}). The
-- boundaries themselves are allowed: 08:00:00 and 21:00:00 (FL 20:00:00) are
-- inside, 21:00:01 is not (contact-rules.md §0.2, QH-01/QH-02); a sub-second
-- overrun (21:00:00.400) is outside but only `possible` (EDGE-11).
--
-- Where: every candidate zone is checked (§0.3), each with its own local
-- weekday: `definite` when the attempt is outside the window in every
-- candidate zone, `possible` when in some; `deciding_zones` are the zones
-- where it is outside. A state rule applies when its state is a candidate
-- state (int_attempt_states: address, area code; FL/OK/CT area-code
-- presumption) and is `definite` only when that state is the only candidate
-- (ST-FL-05: a Florida number with a Georgia address is `possible`).
-- violation_key: the attempt for federal rules (one per attempt, their scopes
-- are disjoint), attempt/rule for state rules.
with applicable as (
    select
        a.attempt_id,
        a.channel,
        r.rule_id,
        r.state_scope,
        r.params,
        {{ rule_param('r', 'window_start', 'time') }} as window_start,
        {{ rule_param('r', 'window_end', 'time') }} as window_end,
        s.candidate_states,
        s.evidence as state_evidence
    {{ rule_scope_joins('outside_allowed_hours', federal_too=true) }}
    where r.state_scope is null or s.attempt_id is not null
),

zone_windows as (
    select
        p.attempt_id,
        p.channel,
        p.rule_id,
        p.state_scope,
        p.candidate_states,
        p.state_evidence,
        t.iana_zone,
        t.attempted_at_local,
        coalesce((p.params -> 'day_windows' -> to_char(t.attempted_at_local, 'dy') ->> 0)::time, p.window_start)
            as day_start,
        coalesce((p.params -> 'day_windows' -> to_char(t.attempted_at_local, 'dy') ->> 1)::time, p.window_end)
            as day_end
    from applicable as p
    inner join {{ ref('int_attempt_local_times') }} as t on t.attempt_id = p.attempt_id
),

-- One pass, no join back: the rule's and state's columns ride along the grouping.
judged as (
    select
        attempt_id,
        channel,
        rule_id,
        state_scope,
        candidate_states,
        state_evidence,
        count(*) as candidate_count,
        array_agg(iana_zone order by iana_zone) filter (
            where attempted_at_local::time < day_start or attempted_at_local::time > day_end
        ) as deciding_zones,
        -- EDGE-11: past the end by less than a second (21:00:00.400) in some zone.
        bool_or(attempted_at_local::time > day_end
                and date_trunc('second', attempted_at_local)::time <= day_end) as sub_second_overrun,
        string_agg(
            format('%s %s (window %s-%s)', iana_zone, to_char(attempted_at_local, 'Dy YYYY-MM-DD HH24:MI:SS'),
                   day_start, day_end),
            ', ' order by iana_zone
        ) filter (
            where attempted_at_local::time < day_start or attempted_at_local::time > day_end
        ) as outside_times
    from zone_windows
    group by attempt_id, channel, rule_id, state_scope, candidate_states, state_evidence
)

select
    attempt_id,
    case when state_scope is null then attempt_id else attempt_id || '/' || rule_id end as violation_key,
    rule_id,
    {{ state_rule_certainty('judged', 'judged',
                            'cardinality(deciding_zones) = candidate_count and not sub_second_overrun') }} as certainty,
    deciding_zones,
    array[]::text[] as detail_identifiers,  -- the details name only the row's own lead and attempt
    format(
        '%s attempt outside the allowed window at the called party''s location: local time %s (%s of %s candidate zones).%s%s',
        {{ channel_label('channel') }},
        outside_times,
        cardinality(deciding_zones),
        candidate_count,
        case when sub_second_overrun then ' Past the end of the window by less than a second: possible only'
                                          ' (contact-rules.md EDGE-11).' else '' end,
        {{ state_scope_note('judged') }}
    ) as details
from judged
where deciding_zones is not null
