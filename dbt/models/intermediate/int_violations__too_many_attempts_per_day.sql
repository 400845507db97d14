-- Daily cap (rule CAP-CCI-1, CCI contact policy): at most
-- `max_attempts_per_local_day` attempts (catalog parameter; default 3), all
-- channels in the rule's scope together, to one lead on one local calendar day
-- at the called party's location. The day is counted in every candidate zone
-- (docs/rules.md#zones-and-states): the violating attempt is the first one over the cap
-- on a local day in some zone; `definite` when it is over the cap in every
-- candidate zone, else `possible`. One row per lead and local day (the day in
-- the primary zone, as shown to auditors); `deciding_zones` are the zones
-- where the attempt is over the cap. violation_id (macros/violation_id.sql):
-- of the lead, local day and rule; CAP-CCI-1 keeps its key of the lead and day.
with in_scope as (
    select a.attempt_id, a.lead_id, r.rule_id, {{ rule_param('r', 'max_attempts_per_local_day', 'integer') }} as cap
    from {{ ref('int_contact_attempts_localized') }} as a
    inner join {{ catalog_rules('too_many_attempts_per_day') }} as r on {{ rule_applies('r', 'a') }}
    where {{ changed_persons_filter('a.attempt_id') }} and r.state_scope is null  -- state caps: int_violations__rolling_caps
),

ranked as (
    select
        s.attempt_id,
        s.rule_id,
        s.cap,
        t.iana_zone,
        row_number() over (
            partition by s.rule_id, s.lead_id, t.iana_zone, t.local_date order by t.attempt_ts, t.attempt_id
        ) as number_on_day
    from in_scope as s
    inner join {{ ref('int_attempt_local_times') }} as t on t.attempt_id = s.attempt_id
),

-- Only the (attempt, zone) over the cap are grouped; the attempt's candidate
-- zones (one row each in int_attempt_local_times) are counted from
-- candidate_zones.
judged as (
    select
        attempt_id,
        rule_id,
        cap,
        bool_or(number_on_day = cap + 1) as crosses_limit,
        array_agg(iana_zone order by iana_zone) as deciding_zones
    from ranked
    where number_on_day > cap
    group by attempt_id, rule_id, cap
),

crossing as (
    select
        a.*,
        j.rule_id,
        j.cap,
        cardinality(a.candidate_zones) as candidate_count,
        j.deciding_zones,
        row_number() over (partition by j.rule_id, a.lead_id, a.local_date order by a.attempt_ts, a.attempt_id)
            as crossing_rank
    from judged as j
    inner join {{ ref('int_contact_attempts_localized') }} as a on a.attempt_id = j.attempt_id
    where j.crosses_limit
)

select
    attempt_id,
    {{ violation_id('too_many_attempts_per_day', 'rule_id', 'lead_id', 'local_date::text') }} as violation_id,
    rule_id,
    case when cardinality(deciding_zones) = candidate_count then 'definite' else 'possible' end as certainty,
    deciding_zones,
    array[]::text[] as detail_identifiers,  -- the details name only the row's own lead and attempt
    format(
        '%s attempts to lead %s on local day %s (%s); the limit is %s per day. Attempt %s, at %s local time, was number %s (over the limit in %s).',
        attempts_on_local_day,
        lead_id,
        local_date,
        local_timezone,
        cap,
        attempt_id,
        (attempt_ts_local::time)::text,
        cap + 1,
        array_to_string(deciding_zones, ', ')
    ) as details
from crossing
where crossing_rank = 1
