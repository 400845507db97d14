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

{#- The location key of an attempt (text[]): the lead's stated zone, address
    state and ZIP3, and the called number's area code, the four values its
    candidate zones and states are a function of (int_location_candidates).
    Array equality holds NULL elements equal and arrays hash, so attempts
    join their key with a hash join. -#}
{% macro attempt_zone_key(attempt, lead) -%}
    array[{{ lead }}.stated_timezone, {{ lead }}.address_state, left({{ lead }}.address_zip5, 3),
          substr({{ attempt }}.to_phone_e164, 3, 3)]
{%- endmacro %}
