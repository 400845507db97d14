{#-
  Safe parsing for staging. A malformed value becomes NULL (and the row is
  quarantined with a reason) instead of aborting the whole build.
-#}

{% macro create_parse_functions() %}
create schema if not exists staging;

-- ISO 8601 date-time. Without an offset the value means UTC (seed contract);
-- with an explicit offset (Z, +hh, +hh:mm) that offset is used. Anything
-- else, or an impossible date such as 2025-02-30, returns NULL. The result
-- never depends on the session TimeZone.
create or replace function staging.parse_iso_timestamp(value text)
returns timestamptz language plpgsql immutable as $fn$
declare
    v text := btrim(value);
begin
    if v !~ '^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}(:?\d{2})?)?$' then
        return null;
    end if;
    if v ~ '(Z|[+-]\d{2}(:?\d{2})?)$' then
        return v::timestamptz;
    end if;
    return v::timestamp at time zone 'UTC';
exception when others then
    return null;
end
$fn$;
{% endmacro %}

{#- true/false, any case, surrounding spaces ignored; anything else is NULL. -#}
{% macro parse_boolean(column) -%}
    case lower(btrim({{ column }})) when 'true' then true when 'false' then false end
{%- endmacro %}

{#- Decimal number such as 12, -3.50; anything else is NULL. Money stays numeric. -#}
{% macro parse_numeric(column) -%}
    case when btrim({{ column }}) ~ '^-?\d+(\.\d+)?$' then btrim({{ column }})::numeric end
{%- endmacro %}

{#- Lowercase hex digest with surrounding whitespace removed, or NULL if not hex. -#}
{% macro normalize_hex(column) -%}
    case when lower(btrim({{ column }})) ~ '^[0-9a-f]+$' then lower(btrim({{ column }})) end
{%- endmacro %}

{#- Empty or blank text becomes NULL. -#}
{% macro clean_text(column) -%}
    nullif(btrim({{ column }}), '')
{%- endmacro %}
