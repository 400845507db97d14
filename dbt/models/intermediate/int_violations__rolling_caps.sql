-- State frequency caps (family too_many_attempts_per_day), docs/rules.md#frequency-caps,
-- one row per attempt over a cap:
--   CAP-FL-1  Fla. Stat. 501.616(6)(b): no more than 3 commercial solicitation
--             calls "from any number to a person over a 24-hour period on the
--             same subject matter or issue, regardless of the phone number
--             used" (texts counted, conservatively);
--   CAP-OK-1  15 O.S. 775C.4: the same for Oklahoma;
--   CAP-MD-1  Maryland Stop the Spam Calls Act: 3 calls or texts per 24 hours;
--   CAP-MA-1  940 CMR 7.04(1)(f): a creditor or collector initiates no more
--             than 2 telephone communications (texts and recorded audio
--             included, unanswered ones too, Armata v. Target) per debt in
--             each 7-day period (168 hours; the 2-per-30-days cap for other
--             numbers is not modelled: the contract has no number type, so
--             the stricter cap applies to every number).
-- Parameters: max_attempts, window_hours, counted_per (`subject`: the
-- attempt's subject; `debt`: its debt_id). The window is elapsed time on
-- instants (EDGE-03: a fall-back day has 25 local hours) and closed: an
-- attempt exactly window_hours after another is in its period. Counted per
-- person (lead) and subject or debt across every caller ID (EDGE-14);
-- attempts without one are counted together. Every attempt that is more
-- than max_attempts in its window is a violation. The state applies when it
-- is a candidate state (int_state_rule_attempts; FL and OK area codes presume
-- a resident, ST-FL-05): `definite` only when it is the only one.
with applicable as (
    select
        p.attempt_id,
        p.lead_id,
        p.channel,
        p.attempt_ts,
        coalesce(case when p.params ->> 'counted_per' = 'debt' then p.debt_id else p.subject end, '') as subject,
        p.rule_id,
        p.state_scope,
        {{ rule_param('p', 'max_attempts', 'integer') }} as max_attempts,
        {{ rule_param('p', 'window_hours', 'integer') }} as window_hours,
        p.params ->> 'counted_per' as counted_per,
        p.candidate_states,
        p.state_evidence
    from {{ ref('int_state_rule_attempts') }} as p
    where p.violation_type = 'too_many_attempts_per_day' and {{ changed_persons_filter('p.attempt_id') }}
),

-- The count in each attempt's window, in one ordered pass per person and
-- subject (no self-join: a runaway dialer's 20,000 calls to one person cost
-- a sort, not 20,000 squared): every attempt enters at its instant and
-- leaves its rule's window_hours later. Ordered by time, arrivals before
-- departures at the same instant (the window is closed), attempts at the same
-- instant by attempt_id, the attempts counted so far minus the departures so
-- far is the number of attempts in [attempt_ts - window, attempt_ts] up to and
-- including this one.
passes as (
    select
        p.*,
        e.event_kind,
        count(*) filter (where e.event_kind = 0) over person_order
        - count(*) filter (where e.event_kind = 1) over person_order as number_in_window
    from applicable as p
    cross join lateral (
        values (p.attempt_ts, 0), (p.attempt_ts + make_interval(hours => p.window_hours), 1)
    ) as e(event_ts, event_kind)
    window person_order as (
        partition by p.rule_id, p.lead_id, p.subject
        order by e.event_ts, e.event_kind, p.attempt_id
        rows between unbounded preceding and current row
    )
),

counted as (
    select * from passes where event_kind = 0
)

select
    attempt_id,
    {{ violation_id('too_many_attempts_per_day', 'rule_id', 'attempt_id') }} as violation_id,
    rule_id,
    {{ state_rule_certainty('counted', 'counted', 'true') }} as certainty,
    null::text[] as deciding_zones,
    array[]::text[] as detail_identifiers,  -- the details name only the row's own lead and attempt
    format(
        '%s attempt number %s to lead %s within %s hours on %s, counted across every caller ID; the %s limit is %s.%s',
        {{ channel_label('channel') }},
        number_in_window,
        lead_id,
        window_hours,
        case when subject = '' then format('attempts without a %s (counted together)', counted_per)
             else format('%s "%s"', counted_per, subject) end,
        state_scope,
        max_attempts,
        {{ state_scope_note('counted') }}
    ) as details
from counted
where number_in_window > max_attempts
