{#- The location key of an attempt (text[]): the lead's stated zone, address
    state and ZIP3, and the called number's area code, the four values its
    candidate zones and states are a function of (int_location_candidates).
    Array equality holds NULL elements equal and arrays hash, so attempts
    join their key with a hash join. -#}
{% macro attempt_zone_key(attempt, lead) -%}
    array[{{ lead }}.stated_timezone, {{ lead }}.address_state, left({{ lead }}.address_zip5, 3),
          substr({{ attempt }}.to_phone_e164, 3, 3)]
{%- endmacro %}
