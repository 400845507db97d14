-- Calling windows, one row per (attempt, catalog rule of family
-- outside_allowed_hours) when the attempt is outside the rule's window
-- (rule_catalog seed):
--   QH-FED-1  TCPA quiet hours, 47 CFR 64.1200(c)(1): telephone solicitation
--             "before the hour of 8 a.m. or after 9 p.m." (calls, texts, RVM);
--   QH-FED-2  Reg F, 12 CFR 1006.6(b)(1)(i): debt collection, every medium;
--   QH-<ST>-1 the stricter state windows of the catalog (FL, OK, MD,
--             WA 8-8; CT 9-8; TX 9-9 and Sunday noon-9; ...), each citing
--             its statute; jurisdiction = the state.
-- The window is the rule's parameters: window_start, window_end and, per
-- local weekday, `day_windows` ({"sun": ["12:00:00", "21:00:00"]}). The
-- boundaries themselves are allowed: 08:00:00 and 21:00:00 (FL 20:00:00) are
-- inside, 21:00:01 is not (docs/rules.md#times-and-boundaries, worked examples QH-01, QH-02); a sub-second
-- overrun (21:00:00.400) is outside but only `possible` (EDGE-11).
--
-- Where: every candidate zone is checked (docs/rules.md#zones-and-states), each with its own local
-- weekday: `definite` when the attempt is outside the window in every
-- candidate zone, `possible` when in some; `deciding_zones` are the zones
-- where it is outside. A state rule applies when its state is a candidate
-- state (int_state_rule_attempts: address, area code; FL/OK/CT area-code
-- presumption) and is `definite` only when that state is the only candidate
-- (ST-FL-05: a Florida number with a Georgia address is `possible`).
-- violation_id (macros/violation_id.sql): of the attempt and rule; QH-FED-1
-- and QH-FED-2 keep their key of the attempt alone (their scopes are
-- disjoint: one row per attempt).
with applicable as (
    -- Federal and company rules: every attempt in their scope.
    select
        a.attempt_id,
        a.channel,
        cardinality(a.candidate_zones) as candidate_count,
        r.rule_id,
        r.state_scope,
        null::bigint as candidate_states,
        null::text[] as state_evidence
    from {{ ref('int_contact_attempts_localized') }} as a
    inner join {{ catalog_rules('outside_allowed_hours') }} as r on {{ rule_applies('r', 'a') }}
    where r.state_scope is null and {{ changed_persons_filter('a.attempt_id') }}

    union all

    -- State rules: where their state is a candidate state.
    select attempt_id, channel, candidate_zone_count, rule_id, state_scope, candidate_states, state_evidence
    from {{ ref('int_state_rule_attempts') }}
    where violation_type = 'outside_allowed_hours' and {{ changed_persons_filter('attempt_id') }}
),

-- Each rule's window on each local weekday (to_char's 'dy'), read from its
-- parameters once per rule and day (materialized: not once per attempt and zone).
rule_days as materialized (
    select
        r.rule_id,
        d.weekday,
        coalesce((r.params -> 'day_windows' -> d.weekday ->> 0)::time, {{ rule_param('r', 'window_start', 'time') }})
            as day_start,
        coalesce((r.params -> 'day_windows' -> d.weekday ->> 1)::time, {{ rule_param('r', 'window_end', 'time') }})
            as day_end
    from (
        select rule_id, parameters::jsonb as params
        from {{ ref('rule_catalog') }}
        where violation_type = 'outside_allowed_hours'
    ) as r
    cross join unnest(array['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat']) as d(weekday)
),

-- The (attempt, rule, candidate zone) where the local time is outside the
-- window; the zones inside it only count towards candidate_count (the
-- attempt's candidate zones, one row each in int_attempt_local_times).
outside_zones as (
    select
        p.*,
        t.iana_zone,
        t.attempt_ts_local,
        d.day_start,
        d.day_end
    from applicable as p
    inner join {{ ref('int_attempt_local_times') }} as t on t.attempt_id = p.attempt_id
    inner join rule_days as d on d.rule_id = p.rule_id and d.weekday = to_char(t.attempt_ts_local, 'dy')
    where t.attempt_ts_local::time < d.day_start or t.attempt_ts_local::time > d.day_end
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
        candidate_count,
        array_agg(iana_zone order by iana_zone) as deciding_zones,
        -- EDGE-11: past the end by less than a second (21:00:00.400) in some zone.
        bool_or(attempt_ts_local::time > day_end
                and date_trunc('second', attempt_ts_local)::time <= day_end) as sub_second_overrun,
        string_agg(
            format('%s %s (window %s-%s)', iana_zone, to_char(attempt_ts_local, 'Dy YYYY-MM-DD HH24:MI:SS'),
                   day_start, day_end),
            ', ' order by iana_zone
        ) as outside_times
    from outside_zones
    group by attempt_id, channel, rule_id, state_scope, candidate_states, state_evidence, candidate_count
)

select
    attempt_id,
    {{ violation_id('outside_allowed_hours', 'rule_id', 'attempt_id') }} as violation_id,
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
                                          ' (docs/rules.md#times-and-boundaries).' else '' end,
        {{ state_scope_note('judged') }}
    ) as details
from judged
