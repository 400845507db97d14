{{ config(materialized='table', indexes=[{'columns': ['zone_key'], 'unique': True}]) }}

-- Where is the called party? One row per location key of the valid attempts
-- (zone_key, macros/location_key.sql attempt_zone_key: the lead's stated zone,
-- address state and ZIP3, and the called number's area code; the evidence is
-- a function of these four values only), with its candidate zones and
-- candidate states and the evidence for each (47 CFR 64.1200(c)(1) "called
-- party's location"; state rules apply where their state is a candidate):
--   zone evidence   stated     the lead's own zone (label or IANA name)
--                   address    the address's ZIP3 where reference.zip3_zones
--                              narrows a split state, else every zone of its
--                              state (reference.state_zones)
--                   area_code  every zone phonenumbers gives the area code
--                              (reference.area_code_zones; none for toll-free)
--                   none       no evidence at all: every US zone
--   state evidence  address    the address state
--                   area_code  the area code's states: Florida, Oklahoma and
--                              Connecticut presume that a call to one of
--                              their area codes reaches a resident (Fla.
--                              Stat. 501.059; 15 O.S. 775C.4; Conn. P.A.
--                              23-98), so the area code always brings its
--                              state in, whatever the address.
-- Columns: candidate_zones (sorted text[]) and zone_evidence_kinds (text[],
-- in the same order: each zone's sorted evidence as one space-separated
-- string, the kinds are single words), zone_evidence ('address:
-- America/Chicago; stated: America/New_York', sorted), local_timezone (the
-- zone shown to auditors: the stated zone, else the address's, else the area
-- code's, when one of them names a single zone; else the first candidate);
-- candidate_state_codes / state_evidence_kinds (likewise; empty when there
-- is no state evidence: state rules do not apply) and candidate_states.
-- Attempts share keys (13 or 14 keys for the 0.3-0.4M attempts of 100,000
-- synthetic leads): the unions, anti-joins and aggregates run once per key
-- and each attempt meets its key in one hash probe (int_attempt_local_times,
-- int_contact_attempts_localized, int_attempt_states). A table of every
-- key, rebuilt at every build (its keys are not attempts: a changed person's
-- attempts may bring a key no earlier build saw).
with location_keys as (
    select distinct {{ attempt_zone_key('a', 'l') }} as zone_key
    from {{ ref('stg_contact_attempts') }} as a
    inner join {{ ref('stg_leads') }} as l on l.lead_id = a.lead_id
),

keys as (
    select
        k.zone_key,
        k.zone_key[1] as stated_timezone,
        k.zone_key[2] as address_state,
        k.zone_key[3] as address_zip3,
        string_to_array(nullif(c.iana_zones, ''), ' ') as area_code_zones,
        string_to_array(nullif(c.states, ''), ' ') as area_code_states
    from location_keys as k
    left join {{ ref('area_code_zones') }} as c on c.npa = k.zone_key[4]
),

zip_zones as (
    select k.zone_key, z.iana_zone
    from keys as k
    inner join {{ ref('zip3_zones') }} as z
        on z.state = k.address_state and k.address_zip3 between z.zip3_from and z.zip3_to
),

zone_evidence as (
    select zone_key, stated_timezone as iana_zone, 'stated' as evidence
    from keys where stated_timezone is not null

    union all
    select zone_key, iana_zone, 'address' from zip_zones

    union all
    select k.zone_key, s.iana_zone, 'address'
    from keys as k
    inner join {{ ref('state_zones') }} as s on s.state = k.address_state
    where not exists (select 1 from zip_zones as z where z.zone_key = k.zone_key)

    union all
    select zone_key, unnest(area_code_zones), 'area_code' from keys
),

zone_candidates as (
    select zone_key, iana_zone, evidence from zone_evidence

    union all
    select k.zone_key, z.iana_zone, 'none'
    from keys as k
    cross join (select distinct iana_zone from {{ ref('state_zones') }}) as z
    where not exists (select 1 from zone_evidence as e where e.zone_key = k.zone_key)
),

zone_profiles as (
    select
        zone_key,
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

zones as (
    select zone_key, array_agg(iana_zone order by iana_zone) as zones, array_agg(evidence order by iana_zone) as kinds
    from (
        select zone_key, iana_zone, array_to_string(array_agg(distinct evidence order by evidence), ' ') as evidence
        from zone_candidates
        group by zone_key, iana_zone
    ) as per_zone
    group by zone_key
),

state_evidence as (
    select zone_key, address_state as state, 'address' as evidence
    from keys where address_state is not null

    union all
    select zone_key, unnest(area_code_states), 'area_code' from keys
),

states as (
    select zone_key, array_agg(state order by state) as states, array_agg(evidence order by state) as kinds,
           count(*) as candidate_states
    from (
        select zone_key, state, array_to_string(array_agg(distinct evidence order by evidence), ' ') as evidence
        from state_evidence
        group by zone_key, state
    ) as per_state
    group by zone_key
)

select
    z.zone_key,
    z.zones as candidate_zones,
    z.kinds as zone_evidence_kinds,
    p.zone_evidence,
    p.local_timezone,
    coalesce(s.states, array[]::text[]) as candidate_state_codes,
    coalesce(s.kinds, array[]::text[]) as state_evidence_kinds,
    coalesce(s.candidate_states, 0) as candidate_states
from zones as z
inner join zone_profiles as p on p.zone_key = z.zone_key
left join states as s on s.zone_key = z.zone_key
