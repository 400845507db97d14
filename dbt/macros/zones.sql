{#-
  Zone labels as customers write them, resolved to IANA zones, written once
  for both formats. zone_resolution_ctes() emits two CTEs (`zone_labels`,
  `iana_zones`); resolved_zone(label, state) is the IANA zone (or NULL) and
  zone_resolution_joins(relation, label, state) the joins it needs.

  A label from the timezone_labels seed (Mountain labels in AZ mean
  America/Phoenix: 15 U.S.C. 260a), or an IANA region name known to this
  server (any case), or one of the four legacy US zones that follow daylight
  saving (EST5EDT, CST6CDT, MST7MDT, PST8PDT). Fixed-offset zones (Etc/...,
  UTC, bare EST/MST/HST) are refused: CCI never uses a fixed offset.
-#}
{% macro zone_resolution_ctes() %}
zone_labels as (
    select upper(label) as label, upper(coalesce(state, '')) as state, iana_zone
    from {{ ref('timezone_labels') }}
),

iana_zones as (
    select name from pg_timezone_names
    where (name like '%/%' and name not like 'Etc/%' and name not like 'posix/%')
       or name in ('EST5EDT', 'CST6CDT', 'MST7MDT', 'PST8PDT')
)
{% endmacro %}

{% macro zone_resolution_joins(relation, label, state) %}
    left join zone_labels as zone_by_state
        on zone_by_state.label = upper({{ relation }}.{{ label }}) and zone_by_state.state = {{ relation }}.{{ state }}
    left join zone_labels as zone_by_label
        on zone_by_label.label = upper({{ relation }}.{{ label }}) and zone_by_label.state = ''
    left join iana_zones as zone_iana
        on lower(zone_iana.name) = lower({{ relation }}.{{ label }})
{% endmacro %}

{% macro resolved_zone() -%}
    coalesce(zone_by_state.iana_zone, zone_by_label.iana_zone, zone_iana.name)
{%- endmacro %}

{#-
  Where is the called party? The candidate IANA zones of an attempt and the
  evidence for each, docs/rules.md#zones-and-states:
    stated     the lead's own zone (label or IANA name in the lead record)
    address    the address's ZIP3 where reference.zip3_zones narrows a split
               state, else every zone of its state (reference.state_zones)
    area_code  every zone phonenumbers gives the called number's area code
               (reference.area_code_zones; none for toll-free codes)
    none       no evidence at all: every US zone (EDGE-05)
  Seed leads give a stated zone and a state; native leads may give all three.

  The evidence is a function of four values only: the lead's stated zone,
  state and ZIP3, and the called number's area code. attempt_zone_key(attempt,
  lead) is those four as a text[] (array equality holds NULL elements equal,
  and arrays hash, so attempts join their key with a hash join);
  zone_candidate_ctes(attempts) emits CTEs ending in `zone_candidates`: one
  row per (zone_key, iana_zone, evidence) for the distinct keys of the
  relation `attempts` (a column `zone_key`). Attempts share keys (a lead's
  attempts, a region's leads: 13 or 14 keys for the 0.3-0.4M attempts of
  100,000 synthetic leads): the unions, anti-joins and aggregates (distinct zones,
  sorted evidence, primary zone) run once per key, and each attempt joins
  its key's result, instead of every attempt's evidence being written to a
  table and sorted again per attempt.
-#}
{% macro attempt_zone_key(attempt, lead) -%}
    array[{{ lead }}.stated_timezone, {{ lead }}.address_state, left({{ lead }}.address_zip5, 3),
          substr({{ attempt }}.to_phone_e164, 3, 3)]
{%- endmacro %}

{% macro zone_candidate_ctes(attempts) %}
zone_keys as (
    select
        zone_key,
        zone_key[1] as stated_timezone,
        zone_key[2] as address_state,
        zone_key[3] as address_zip3,
        zone_key[4] as npa
    from (select distinct zone_key from {{ attempts }}) as distinct_keys
),

zip_zones as (
    select k.zone_key, z.iana_zone
    from zone_keys as k
    inner join {{ ref('zip3_zones') }} as z
        on z.state = k.address_state and k.address_zip3 between z.zip3_from and z.zip3_to
),

zone_evidence as (
    select zone_key, stated_timezone as iana_zone, 'stated' as evidence
    from zone_keys where stated_timezone is not null

    union all
    select zone_key, iana_zone, 'address' from zip_zones

    union all
    select k.zone_key, s.iana_zone, 'address'
    from zone_keys as k
    inner join {{ ref('state_zones') }} as s on s.state = k.address_state
    where not exists (select 1 from zip_zones as z where z.zone_key = k.zone_key)

    union all
    select k.zone_key, zone.name, 'area_code'
    from zone_keys as k
    inner join {{ ref('area_code_zones') }} as c on c.npa = k.npa
    cross join lateral unnest(string_to_array(nullif(c.iana_zones, ''), ' ')) as zone(name)
),

zone_candidates as (
    select zone_key, iana_zone, evidence from zone_evidence

    union all
    select k.zone_key, z.iana_zone, 'none'
    from zone_keys as k
    cross join (select distinct iana_zone from {{ ref('state_zones') }}) as z
    where not exists (select 1 from zone_evidence as e where e.zone_key = k.zone_key)
)
{% endmacro %}
