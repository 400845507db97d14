-- One row per (attempt, candidate zone): the attempt's wall-clock time and date
-- in that zone. Local time = attempted_at AT TIME ZONE <IANA zone> on a
-- timestamptz: daylight saving applies and the result never depends on the
-- session TimeZone (tested under several session zones). `evidence` lists what
-- made the zone a candidate (stated, address, area_code, none): the zones and
-- their evidence come per zone key (macros/zones.sql), aggregated once per
-- key, not once per attempt.
with attempts as not materialized (
    select a.attempt_id, a.lead_id, a.attempted_at, {{ attempt_zone_key('a', 'l') }} as zone_key
    from {{ ref('stg_contact_attempts') }} as a
    inner join {{ ref('stg_leads') }} as l on l.lead_id = a.lead_id
    where {{ changed_persons_filter('a.attempt_id') }}
),

{{ zone_candidate_ctes('attempts') }},

key_zones as (
    select zone_key, iana_zone, array_agg(distinct evidence order by evidence) as evidence
    from zone_candidates
    group by zone_key, iana_zone
)

select
    a.attempt_id,
    a.lead_id,
    a.attempted_at,
    z.iana_zone,
    z.evidence,
    (a.attempted_at at time zone z.iana_zone) as attempted_at_local,
    (a.attempted_at at time zone z.iana_zone)::date as local_date
from attempts as a
inner join key_zones as z on z.zone_key = a.zone_key
