-- CFPB Regulation F call frequency, 12 CFR 1006.14(b):
-- per person (lead) and debt (debt_id), telephone calls only (call, and
-- ringless voicemail, which counts as a placed call); calls that did not
-- connect (busy, network_fail) are excluded (b)(3); days are the person's
-- local calendar days, checked in every candidate zone (docs/rules.md#reg-f-counting).
--   RF-FREQ-1  presumed violation at a call that is more than `max_calls`
--              (7) within `window_days` (7) consecutive local days, counting
--              the calls placed up to and including it (RF-01, RF-02, RF-04,
--              RF-05, RF-07);
--   RF-FREQ-2  presumed violation at a call placed after a telephone
--              conversation about the debt, within `window_days` (7) local
--              days of it, the conversation's date being day 1 (RF-03). A
--              ringless voicemail cannot hold a conversation, so one recorded
--              with outcome `conversation` contradicts itself (the channel or
--              the outcome is wrong; intermediate.int_data_quality_warnings
--              lists it): `rvm_conversation` says what it does: `possible`
--              (default: the calls after it are possible, not definite),
--              `counts` (a conversation like any other) or `ignored`.
-- One row per (call, rule); `definite` when the call breaks the rule in every
-- candidate zone (and no zone rests on an RVM "conversation"), else `possible`.
with calls as (
    select
        a.attempt_id,
        a.lead_id,
        a.debt_id,
        a.outcome,
        a.channel,
        r.rule_id,
        r.params,
        t.iana_zone,
        t.attempt_ts,
        t.local_date
    from {{ ref('int_contact_attempts_localized') }} as a
    inner join {{ catalog_rules('reg_f_call_frequency') }} as r on {{ rule_applies('r', 'a') }}
    inner join {{ ref('int_attempt_local_times') }} as t on t.attempt_id = a.attempt_id
    where a.debt_id is not null and {{ changed_persons_filter('a.attempt_id') }}
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
            order by c.attempt_ts, c.attempt_id
            rows between 1 following and unbounded following
        ) as calls_in_window,
        max(c.attempt_ts) filter (where c.outcome = 'conversation' and c.channel <> 'rvm') over earlier
            as last_conversation_at,
        max(c.attempt_ts) filter (where c.outcome = 'conversation' and c.channel = 'rvm') over earlier
            as last_rvm_conversation_at
    from calls as c
    window earlier as (
        partition by c.rule_id, c.lead_id, c.debt_id, c.iana_zone
        order by c.attempt_ts, c.attempt_id
        rows between unbounded preceding and 1 preceding
    )
),

-- RF-FREQ-2 per zone: within the window of a conversation (sure), or only of
-- an RVM recorded as one (per `rvm_conversation`).
conversation_window as (
    select
        counted.*,
        coalesce(local_date <= (last_conversation_at at time zone iana_zone)::date
                               + ({{ rule_param('counted', 'window_days', 'integer') }} - 1), false) as after_talk,
        coalesce(local_date <= (last_rvm_conversation_at at time zone iana_zone)::date
                               + ({{ rule_param('counted', 'window_days', 'integer') }} - 1), false) as after_rvm_talk,
        coalesce(params ->> 'rvm_conversation', 'possible') as rvm_conversation
    from counted
    where rule_id = 'RF-FREQ-2'
),

zone_hits as (
    select
        attempt_id, rule_id, iana_zone, false as doubtful,
        format('call number %s about the debt within %s local days', calls_in_window,
               {{ rule_param('counted', 'window_days', 'integer') }}) as why
    from counted
    where rule_id = 'RF-FREQ-1' and calls_in_window > {{ rule_param('counted', 'max_calls', 'integer') }}

    union all

    select
        attempt_id, rule_id, iana_zone,
        not after_talk and rvm_conversation = 'possible',
        case when after_talk or rvm_conversation <> 'possible' then format(
                 'a call within %s local days of a telephone conversation on %s',
                 {{ rule_param('conversation_window', 'window_days', 'integer') }},
                 (greatest(case when after_talk then last_conversation_at end,
                           case when after_rvm_talk and rvm_conversation = 'counts'
                                then last_rvm_conversation_at end) at time zone iana_zone)::date)
             else format(
                 'a call within %s local days of a ringless voicemail on %s recorded as a conversation (a ringless'
                 ' voicemail cannot hold one: the record is a data-quality warning, so this call is only possible)',
                 {{ rule_param('conversation_window', 'window_days', 'integer') }},
                 (last_rvm_conversation_at at time zone iana_zone)::date)
        end
    from conversation_window
    where after_talk or (after_rvm_talk and rvm_conversation in ('possible', 'counts'))
),

candidates as (
    select attempt_id, count(*) as candidate_count
    from {{ ref('int_attempt_local_times') }}
    where {{ changed_persons_filter('attempt_id') }}
    group by attempt_id
),

judged as (
    select
        h.attempt_id,
        h.rule_id,
        array_agg(h.iana_zone order by h.iana_zone) as deciding_zones,
        count(*) filter (where not h.doubtful) as sure_zones,
        min(h.why) as why
    from zone_hits as h
    group by h.attempt_id, h.rule_id
)

select
    j.attempt_id,
    {{ violation_id('reg_f_call_frequency', 'j.rule_id', 'j.attempt_id') }} as violation_id,
    j.rule_id,
    case when cardinality(j.deciding_zones) = c.candidate_count and j.sure_zones = c.candidate_count
         then 'definite' else 'possible' end as certainty,
    j.deciding_zones,
    array[a.debt_id] as detail_identifiers,
    format('Debt-collection call %s about debt %s: %s.', j.attempt_id, a.debt_id, j.why) as details
from judged as j
inner join candidates as c on c.attempt_id = j.attempt_id
inner join {{ ref('int_contact_attempts_localized') }} as a on a.attempt_id = j.attempt_id
