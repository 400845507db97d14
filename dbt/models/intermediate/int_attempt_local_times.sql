-- One row per (attempt, candidate zone): the attempt's wall-clock time and date
-- in that zone. Local time = attempt_ts AT TIME ZONE <IANA zone> on a
-- timestamptz: daylight saving applies and the result never depends on the
-- session TimeZone (tested under several session zones). `evidence` lists what
-- made the zone a candidate (stated, address, area_code, none).
-- The zones and their evidence come once per location key
-- (int_location_candidates): an attempt meets its key in one hash probe and
-- unnests its zones.
select
    a.attempt_id,
    a.lead_id,
    a.attempt_ts,
    z.iana_zone,
    string_to_array(z.evidence, ' ') as evidence,
    (a.attempt_ts at time zone z.iana_zone) as attempt_ts_local,
    (a.attempt_ts at time zone z.iana_zone)::date as local_date
from {{ ref('stg_contact_attempts') }} as a
inner join {{ ref('stg_leads') }} as l on l.lead_id = a.lead_id
inner join {{ ref('int_location_candidates') }} as k on k.zone_key = {{ attempt_zone_key('a', 'l') }}
cross join lateral unnest(k.candidate_zones, k.zone_evidence_kinds) as z(iana_zone, evidence)
where {{ changed_persons_filter('a.attempt_id') }}
