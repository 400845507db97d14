-- One row per (attempt, candidate zone): the attempt's wall-clock time and date
-- in that zone. Local time = attempted_at AT TIME ZONE <IANA zone> on a
-- timestamptz: daylight saving applies and the result never depends on the
-- session TimeZone (tested under several session zones). `evidence` lists what
-- made the zone a candidate (stated, address, area_code, none).
-- The zones and their evidence come once per zone key (macros/zones.sql), in
-- one row per key: its zones and, in the same order, each zone's sorted
-- evidence as one space-separated string (the kinds are single words), so
-- that an attempt meets its key in one hash probe and unnests it.
-- `attempts` (narrow) is materialized: read twice (its distinct keys, its
-- rows), its join and key computed once.
with attempts as materialized (
    select a.attempt_id, a.lead_id, a.attempted_at, {{ attempt_zone_key('a', 'l') }} as zone_key
    from {{ ref('stg_contact_attempts') }} as a
    inner join {{ ref('stg_leads') }} as l on l.lead_id = a.lead_id
    where {{ changed_persons_filter('a.attempt_id') }}
),

{{ zone_candidate_ctes('attempts') }},

key_zones as (
    select zone_key, array_agg(iana_zone) as zones, array_agg(evidence) as evidence
    from (
        select zone_key, iana_zone, array_to_string(array_agg(distinct evidence order by evidence), ' ') as evidence
        from zone_candidates
        group by zone_key, iana_zone
    ) as per_zone
    group by zone_key
)

select
    a.attempt_id,
    a.lead_id,
    a.attempted_at,
    z.iana_zone,
    string_to_array(z.evidence, ' ') as evidence,
    (a.attempted_at at time zone z.iana_zone) as attempted_at_local,
    (a.attempted_at at time zone z.iana_zone)::date as local_date
from attempts as a
inner join key_zones as k on k.zone_key = a.zone_key
cross join lateral unnest(k.zones, k.evidence) as z(iana_zone, evidence)
