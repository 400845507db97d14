{#- DNC list names, written once for dnc_entries and dnc_list_versions:
    national, internal, litigator or state:XX (XX a code of the state_zones
    seed). dnc_list_name(column) normalizes the case (state:fl -> state:FL);
    dnc_list_check() is the problem_columns check of `list_name` (raw value
    in `raw_list`). -#}
{% macro dnc_list_name(column) -%}
    case when lower(btrim({{ column }})) ~ '^state:[a-z]{2}$' then 'state:' || upper(right(btrim({{ column }}), 2))
         else lower({{ clean_text(column) }}) end
{%- endmacro %}

{% macro dnc_list_check() %}
    {% do return((
        "list_name is null or list_name !~ '^(national|internal|litigator|state:[A-Z]{2})$'"
        " or (list_name like 'state:%' and right(list_name, 2) not in (select state from " ~ ref('state_zones') ~ "))",
        "unknown_list",
        "format('list %s is not national, internal, litigator or state:XX with XX a US state, DC or territory code', staging.quoted_excerpt(raw_list))")) %}
{% endmacro %}
