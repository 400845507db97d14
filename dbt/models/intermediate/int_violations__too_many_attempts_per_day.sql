-- CCI contact policy: at most 3 attempts (all channels) to one lead on one
-- local calendar day at the called party's location. The day is counted in
-- every candidate zone (contact-rules.md §0.3): the violating attempt is the
-- 4th of a local day in some zone; `definite` when it is the 4th or later in
-- every candidate zone, else `possible`. One row per lead and local day (the
-- day in the primary zone, as shown to auditors); `deciding_zones` are the
-- zones where the attempt is over the limit.
with ranked as (
    select
        attempt_id,
        lead_id,
        attempted_at,
        iana_zone,
        row_number() over (partition by lead_id, iana_zone, local_date order by attempted_at, attempt_id) as number_on_day
    from {{ ref('int_attempt_local_times') }}
),

judged as (
    select
        attempt_id,
        count(*) as candidate_count,
        bool_or(number_on_day = 4) as crosses_limit,
        array_agg(iana_zone order by iana_zone) filter (where number_on_day >= 4) as deciding_zones
    from ranked
    group by attempt_id
),

crossing as (
    select
        a.*,
        j.candidate_count,
        j.deciding_zones,
        row_number() over (partition by a.lead_id, a.local_date order by a.attempt_ts, a.attempt_id) as crossing_rank
    from judged as j
    inner join {{ ref('int_contact_attempts_localized') }} as a on a.attempt_id = j.attempt_id
    where j.crosses_limit
)

select
    attempt_id,
    lead_id || '/' || local_date::text as violation_key,
    case when cardinality(deciding_zones) = candidate_count then 'definite' else 'possible' end as certainty,
    deciding_zones,
    format(
        '%s attempts to lead %s on local day %s (%s); the limit is 3 per day. Attempt %s, at %s local time, was the 4th (over the limit in %s).',
        attempts_on_local_day,
        lead_id,
        local_date,
        local_timezone,
        attempt_id,
        (attempt_ts_local::time)::text,
        array_to_string(deciding_zones, ', ')
    ) as details
from crossing
where crossing_rank = 1
