-- CFPB Regulation F call frequency, 12 CFR 1006.14(b) (contact-rules.md §3):
-- per person (lead) and debt (debt_id), telephone calls only (call, and
-- ringless voicemail, which counts as a placed call); calls that did not
-- connect (busy, network_fail) are excluded (b)(3); days are the person's
-- local calendar days, checked in every candidate zone (§3.3).
--   RF-FREQ-1  presumed violation at a call that is more than `max_calls`
--              (7) within `window_days` (7) consecutive local days, counting
--              the calls placed up to and including it (RF-01, RF-02, RF-04,
--              RF-05, RF-07);
--   RF-FREQ-2  presumed violation at a call placed after a telephone
--              conversation about the debt, within `window_days` (7) local
--              days of it, the conversation's date being day 1 (RF-03).
-- One row per (call, rule); `definite` when the call breaks the rule in every
-- candidate zone, else `possible`.
with calls as (
    select
        a.attempt_id,
        a.lead_id,
        a.debt_id,
        a.outcome,
        r.rule_id,
        r.params,
        t.iana_zone,
        t.attempted_at,
        t.local_date
    from {{ ref('int_contact_attempts_localized') }} as a
    inner join {{ catalog_rules('reg_f_call_frequency') }} as r on {{ rule_applies('r', 'a') }}
    inner join {{ ref('int_attempt_local_times') }} as t on t.attempt_id = a.attempt_id
    where a.debt_id is not null
      and coalesce(a.outcome, '') not in ('busy', 'network_fail')
),

-- Window functions, not self-joins: per (rule, person, debt, zone), calls in
-- order of their instants.
counted as (
    select
        c.*,
        count(*) over (
            partition by c.rule_id, c.lead_id, c.debt_id, c.iana_zone
            order by c.local_date
            range between interval '{{ catalog_param_literal("RF-FREQ-1", "window_days", 7) | int - 1 }} days' preceding
                  and current row
        )
        - count(*) over (
            partition by c.rule_id, c.lead_id, c.debt_id, c.iana_zone, c.local_date
            order by c.attempted_at, c.attempt_id
            rows between 1 following and unbounded following
        ) as calls_in_window,
        max(c.attempted_at) filter (where c.outcome = 'conversation') over (
            partition by c.rule_id, c.lead_id, c.debt_id, c.iana_zone
            order by c.attempted_at, c.attempt_id
            rows between unbounded preceding and 1 preceding
        ) as last_conversation_at
    from calls as c
),

zone_hits as (
    select
        attempt_id, rule_id, iana_zone,
        format('call number %s about the debt within %s local days', calls_in_window,
               {{ rule_param('counted', 'window_days', 'integer') }}) as why
    from counted
    where rule_id = 'RF-FREQ-1' and calls_in_window > {{ rule_param('counted', 'max_calls', 'integer') }}

    union all

    select
        attempt_id, rule_id, iana_zone,
        format('a call within %s local days of a telephone conversation on %s',
               {{ rule_param('counted', 'window_days', 'integer') }},
               (last_conversation_at at time zone iana_zone)::date)
    from counted
    where rule_id = 'RF-FREQ-2'
      and last_conversation_at is not null
      and local_date <= (last_conversation_at at time zone iana_zone)::date
                        + ({{ rule_param('counted', 'window_days', 'integer') }} - 1)
),

candidates as (
    select attempt_id, count(*) as candidate_count
    from {{ ref('int_attempt_local_times') }}
    group by attempt_id
),

judged as (
    select
        h.attempt_id,
        h.rule_id,
        array_agg(h.iana_zone order by h.iana_zone) as deciding_zones,
        min(h.why) as why
    from zone_hits as h
    group by h.attempt_id, h.rule_id
)

select
    j.attempt_id,
    j.attempt_id || '/' || j.rule_id as violation_key,
    j.rule_id,
    case when cardinality(j.deciding_zones) = c.candidate_count then 'definite' else 'possible' end as certainty,
    j.deciding_zones,
    format('Debt-collection call %s about debt %s: %s.', j.attempt_id, a.debt_id, j.why) as details
from judged as j
inner join candidates as c on c.attempt_id = j.attempt_id
inner join {{ ref('int_contact_attempts_localized') }} as a on a.attempt_id = j.attempt_id
