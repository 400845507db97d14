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

seven_in_seven as (
    select
        c.attempt_id,
        c.rule_id,
        c.iana_zone,
        count(*) as calls_in_window,
        max(({{ rule_param('c', 'max_calls', 'integer') }})) as max_calls,
        min(earlier.local_date) as window_start
    from calls as c
    inner join calls as earlier
        on earlier.rule_id = c.rule_id
       and earlier.lead_id = c.lead_id
       and earlier.debt_id = c.debt_id
       and earlier.iana_zone = c.iana_zone
       and earlier.local_date between c.local_date - ({{ rule_param('c', 'window_days', 'integer') }} - 1) and c.local_date
       and (earlier.attempted_at, earlier.attempt_id) <= (c.attempted_at, c.attempt_id)
    where c.rule_id = 'RF-FREQ-1'
    group by c.attempt_id, c.rule_id, c.iana_zone
),

after_conversation as (
    select distinct on (c.attempt_id, c.iana_zone)
        c.attempt_id,
        c.rule_id,
        c.iana_zone,
        v.attempt_id as conversation_attempt_id,
        v.local_date as conversation_date
    from calls as c
    inner join calls as v
        on v.rule_id = c.rule_id
       and v.lead_id = c.lead_id
       and v.debt_id = c.debt_id
       and v.iana_zone = c.iana_zone
       and v.outcome = 'conversation'
       and v.attempted_at < c.attempted_at
       and c.local_date between v.local_date and v.local_date + ({{ rule_param('c', 'window_days', 'integer') }} - 1)
    where c.rule_id = 'RF-FREQ-2'
    order by c.attempt_id, c.iana_zone, v.attempted_at desc
),

zone_hits as (
    select attempt_id, rule_id, iana_zone,
           format('%s calls about the debt in the 7 local days %s to the call', calls_in_window, window_start) as why
    from seven_in_seven
    where calls_in_window > max_calls

    union all

    select attempt_id, rule_id, iana_zone,
           format('a call within 7 local days of the conversation on %s (attempt %s)',
                  conversation_date, conversation_attempt_id)
    from after_conversation
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
