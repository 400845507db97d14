{{ config(indexes=[{'columns': ['attempt_id']}], post_hook='analyze {{ this }}') }}

-- Where is the called party? One row per (attempt, candidate IANA zone,
-- evidence), contact-rules.md §0.3:
--   stated     the lead's own zone (label or IANA name in the lead record)
--   address    the address's ZIP3 where reference.zip3_zones narrows a split
--              state, else every zone of its state (reference.state_zones)
--   area_code  every zone phonenumbers gives the called number's area code
--              (reference.area_code_zones; none for toll-free codes)
--   none       no evidence at all: every US zone (EDGE-05)
-- Seed leads give a stated zone and a state; native leads may give all three.
with attempts as (
    select a.attempt_id, a.to_phone_e164, l.stated_timezone, l.address_state, l.address_zip5
    from {{ ref('stg_contact_attempts') }} as a
    inner join {{ ref('stg_leads') }} as l on l.lead_id = a.lead_id
    where {{ changed_persons_filter('a.attempt_id') }}
),

zip_zones as (
    select a.attempt_id, z.iana_zone
    from attempts as a
    inner join {{ ref('zip3_zones') }} as z
        on z.state = a.address_state and left(a.address_zip5, 3) between z.zip3_from and z.zip3_to
),

evidence as (
    select attempt_id, stated_timezone as iana_zone, 'stated' as evidence
    from attempts where stated_timezone is not null

    union all
    select attempt_id, iana_zone, 'address' from zip_zones

    union all
    select a.attempt_id, s.iana_zone, 'address'
    from attempts as a
    inner join {{ ref('state_zones') }} as s on s.state = a.address_state
    where not exists (select 1 from zip_zones as z where z.attempt_id = a.attempt_id)

    union all
    select a.attempt_id, zone.name, 'area_code'
    from attempts as a
    inner join {{ ref('area_code_zones') }} as c on c.npa = substr(a.to_phone_e164, 3, 3)
    cross join lateral unnest(string_to_array(nullif(c.iana_zones, ''), ' ')) as zone(name)
),

all_us_zones as (
    select distinct iana_zone from {{ ref('state_zones') }}
)

select attempt_id, iana_zone, evidence from evidence

union all

select a.attempt_id, z.iana_zone, 'none'
from attempts as a
cross join all_us_zones as z
where not exists (select 1 from evidence as e where e.attempt_id = a.attempt_id)
