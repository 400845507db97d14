-- One row per (attempt, candidate zone): the attempt's wall-clock time and date
-- in that zone. Local time = attempted_at AT TIME ZONE <IANA zone> on a
-- timestamptz: daylight saving applies and the result never depends on the
-- session TimeZone (tested under several session zones). `evidence` lists what
-- made the zone a candidate (stated, address, area_code, none).
select
    a.attempt_id,
    a.lead_id,
    a.attempted_at,
    e.iana_zone,
    array_agg(distinct e.evidence order by e.evidence) as evidence,
    (a.attempted_at at time zone e.iana_zone) as attempted_at_local,
    (a.attempted_at at time zone e.iana_zone)::date as local_date
from {{ ref('stg_contact_attempts') }} as a
inner join {{ ref('int_attempt_zone_evidence') }} as e on e.attempt_id = a.attempt_id
where {{ changed_persons_filter('a.attempt_id') }}
group by a.attempt_id, a.lead_id, a.attempted_at, e.iana_zone
