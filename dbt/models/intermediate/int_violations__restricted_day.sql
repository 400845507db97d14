-- Restricted days (docs/rules.md#restricted-dates), one row per (attempt, catalog rule
-- of family restricted_day) when the attempt's local date is a day the rule's
-- state bans telephone solicitation:
--   banned_weekdays    local weekdays ("sun": LA 45:811(3), MS 77-3-723, UT
--                      13-25a-103(3), RI 5-61-3.6, AL [A]);
--   holidays_banned    the state's holidays (reference.holiday_calendars with
--                      calendar = the state, generated from the `holidays`
--                      package; PA Act 73 list);
--   restricted_dates   dated restrictions written by hand
--                      (reference.state_restricted_dates: governor-declared
--                      holidays, emergencies, EDGE-15);
--   consent_exempts    prior express consent on file lifts the ban (Utah);
--                      for the seed export, consent_flag true.
-- The local date is taken in every candidate zone (Guam's date can be a day
-- ahead of the mainland's, QH-08): `definite` when the date is restricted in
-- every candidate zone and the rule's state is the attempt's only candidate
-- state, else `possible`. The state rules each attempt meets come from
-- int_state_rule_attempts. violation_id (macros/violation_id.sql): of the
-- attempt and rule.
with not_exempt as (
    select *
    from {{ ref('int_state_rule_attempts') }} as p
    where p.violation_type = 'restricted_day'
      and {{ changed_persons_filter('p.attempt_id') }}
      and not (
        coalesce(({{ rule_param('p', 'consent_exempts', 'boolean') }}), false)
        and case when p.source_format = 'seed' then p.consent_flag
                 else {{ consent_on_file('p', "array['pec', 'pewc']") }} end
      )
),

restricted_dates as (
    select calendar as state, holiday_on as restricted_on, name as reason, 'holidays_banned' as parameter
    from {{ ref('holiday_calendars') }}
    where calendar <> 'US'

    union all
    select d.state, day::date, d.reason, 'restricted_dates'
    from {{ ref('state_restricted_dates') }} as d
    cross join lateral generate_series(d.starts_on, d.ends_on, interval '1 day') as day
),

zone_days as (
    select
        p.attempt_id,
        p.rule_id,
        p.channel,
        p.state_scope,
        p.candidate_states,
        p.state_evidence,
        t.iana_zone,
        t.local_date,
        case when p.params -> 'banned_weekdays' ? to_char(t.local_date, 'dy')
             then initcap(to_char(t.local_date, 'fmday')) end as weekday_reason,
        d.reason as date_reason
    from not_exempt as p
    inner join {{ ref('int_attempt_local_times') }} as t on t.attempt_id = p.attempt_id
    left join (
        select state, restricted_on, parameter, string_agg(distinct reason, ' / ') as reason
        from restricted_dates
        group by state, restricted_on, parameter
    ) as d
        on d.state = p.state_scope
       and d.restricted_on = t.local_date
       and coalesce((p.params ->> d.parameter)::boolean, false)
),

-- One pass, no join back: the rule's and state's columns ride along the grouping.
judged as (
    select
        attempt_id,
        rule_id,
        channel,
        state_scope,
        candidate_states,
        state_evidence,
        count(distinct iana_zone) as candidate_count,
        array_agg(distinct iana_zone order by iana_zone) filter (
            where weekday_reason is not null or date_reason is not null
        ) as deciding_zones,
        string_agg(
            format('%s %s (%s)', iana_zone, to_char(local_date, 'Dy YYYY-MM-DD'),
                   concat_ws(', ', weekday_reason, date_reason)),
            ', ' order by iana_zone
        ) filter (where weekday_reason is not null or date_reason is not null) as restricted_days
    from zone_days
    group by attempt_id, rule_id, channel, state_scope, candidate_states, state_evidence
)

select
    attempt_id,
    {{ violation_id('restricted_day', 'rule_id', 'attempt_id') }} as violation_id,
    rule_id,
    {{ state_rule_certainty('judged', 'judged', 'cardinality(deciding_zones) = candidate_count') }} as certainty,
    deciding_zones,
    array[]::text[] as detail_identifiers,  -- the details name only the row's own lead and attempt
    format(
        '%s attempt on a day %s bans telephone solicitation: local date %s (%s of %s candidate zones).%s',
        {{ channel_label('channel') }},
        state_scope,
        restricted_days,
        cardinality(deciding_zones),
        candidate_count,
        {{ state_scope_note('judged') }}
    ) as details
from judged
where deciding_zones is not null
