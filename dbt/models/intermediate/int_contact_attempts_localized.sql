{{ config(indexes=[{'columns': ['attempt_id'], 'unique': True}], post_hook='analyze {{ this }}') }}

-- One row per valid attempt with its lead's evidence, its candidate zones (a
-- sorted text[]), the evidence for them ('address: America/Chicago; stated:
-- America/New_York', sorted), and its wall-clock time in the primary zone, the
-- one shown to auditors: the lead's stated zone, else the address's zone, else
-- the area code's, when one of them names a single zone; else the first
-- candidate. The zones are computed once per zone key (macros/zones.sql), not
-- once per attempt. Rules that depend on the local time read every candidate
-- zone (int_attempt_local_times).
-- `attempts` is read twice (its distinct zone keys, its rows): not
-- materialized, as its rows are wide; the keys' pass reads only the four
-- columns of the key.
with attempts as not materialized (
    select a.*, l.email, l.consent_flag, {{ attempt_zone_key('a', 'l') }} as zone_key
    from {{ ref('stg_contact_attempts') }} as a
    inner join {{ ref('stg_leads') }} as l on l.lead_id = a.lead_id
    where {{ changed_persons_filter('a.attempt_id') }}
),

{{ zone_candidate_ctes('attempts') }},

zone_profiles as (
    select
        zone_key,
        array_agg(distinct iana_zone order by iana_zone) as candidate_zones,
        string_agg(distinct evidence || ': ' || iana_zone, '; ') as zone_evidence,
        coalesce(
            min(iana_zone) filter (where evidence = 'stated'),
            case when count(distinct iana_zone) filter (where evidence = 'address') = 1
                 then min(iana_zone) filter (where evidence = 'address') end,
            case when count(distinct iana_zone) filter (where evidence = 'area_code') = 1
                 then min(iana_zone) filter (where evidence = 'area_code') end,
            min(iana_zone)
        ) as local_timezone
    from zone_candidates
    group by zone_key
),

localized as (
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
        a.attempted_at as attempt_ts,
        a.to_phone_e164,
        a.to_phone_hash,
        z.local_timezone,
        z.candidate_zones,
        z.zone_evidence,
        (a.attempted_at at time zone z.local_timezone) as attempt_ts_local,
        (a.attempted_at at time zone z.local_timezone)::date as local_date,
        a.email,
        a.consent_flag
    from attempts as a
    inner join zone_profiles as z on z.zone_key = a.zone_key
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
