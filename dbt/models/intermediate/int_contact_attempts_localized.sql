{{ config(indexes=[{'columns': ['attempt_id'], 'unique': True}]) }}

-- One row per valid attempt with its lead's evidence, its candidate zones (a
-- sorted text[]), the evidence for them ('address: America/Chicago; stated:
-- America/New_York', sorted), and its wall-clock time in the primary zone, the
-- one shown to auditors: the lead's stated zone, else the address's zone, else
-- the area code's, when one of them names a single zone; else the first
-- candidate. The zones are computed once per location key
-- (int_location_candidates), not once per attempt. Rules that depend on the
-- local time read every candidate zone (int_attempt_local_times).
with localized as (
    select
        a.attempt_id,
        a.source_format,
        a.lead_id,
        a.campaign_id,
        a.channel,
        a.technology,
        a.purpose,
        a.outcome,
        a.debt_id,
        a.subject,
        a.attempt_ts,
        a.to_phone_e164,
        a.to_phone_hash,
        z.local_timezone,
        z.candidate_zones,
        z.zone_evidence,
        (a.attempt_ts at time zone z.local_timezone) as attempt_ts_local,
        (a.attempt_ts at time zone z.local_timezone)::date as local_date,
        l.email,
        l.consent_flag
    from {{ ref('stg_contact_attempts') }} as a
    inner join {{ ref('stg_leads') }} as l on l.lead_id = a.lead_id
    inner join {{ ref('int_location_candidates') }} as z on z.zone_key = {{ attempt_zone_key('a', 'l') }}
    where {{ changed_persons_filter('a.attempt_id') }}
)

-- The windows partition by lead and by number under the C collation: the
-- same partitions (equality does not depend on the collation), sorted with
-- bytewise comparisons, cheaper than the database collation's; the order
-- within a partition (attempt_id breaks ties) keeps the database's collation.
select
    localized.*,
    count(*) over (partition by lead_id collate "C", local_date) as attempts_on_local_day,
    -- Calls and texts to the same number within 365 days before or after this
    -- attempt, itself included: the TCPA 227(c)(5) "more than one call within
    -- any 12-month period" gate of the exposure estimate (docs/rules.md#exposure-estimate).
    case when to_phone_hash is not null then
        count(*) filter (where channel <> 'email') over (
            partition by to_phone_hash collate "C" order by attempt_ts
            range between interval '365 days' preceding and interval '365 days' following
        )
    end as calls_to_number_within_12_months,
    row_number() over (
        partition by lead_id collate "C", local_date order by attempt_ts, attempt_id
    ) as attempt_number_on_local_day
from localized
