{{ config(materialized='table', indexes=[{'columns': ['attempt_id'], 'unique': True}]) }}

-- Each valid attempt with the lead's evidence and its local wall-clock time.
-- Local time = attempt_ts AT TIME ZONE <IANA zone>: daylight saving applies and
-- the result never depends on the session TimeZone.
select
    a.attempt_id,
    a.lead_id,
    a.campaign_id,
    a.channel,
    a.outcome,
    a.attempt_ts,
    l.local_timezone,
    (a.attempt_ts at time zone l.local_timezone) as attempt_ts_local,
    (a.attempt_ts at time zone l.local_timezone)::date as local_date,
    count(*) over (
        partition by a.lead_id, (a.attempt_ts at time zone l.local_timezone)::date
    ) as attempts_on_local_day,
    row_number() over (
        partition by a.lead_id, (a.attempt_ts at time zone l.local_timezone)::date
        order by a.attempt_ts, a.attempt_id
    ) as attempt_number_on_local_day,
    l.phone_hash,
    l.consent_flag,
    l.opt_out_at
from {{ ref('stg_seed__contact_attempts') }} as a
inner join {{ ref('stg_seed__leads') }} as l on l.lead_id = a.lead_id
