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
    -- Field ranges are checked here (no 24:00, no leap second 60, offsets
    -- within +/-14:59); impossible dates such as 2025-02-30 fail the cast.
    if v !~ '^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])[T ]([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,6})?)?(Z|[+-](0\d|1[0-4])(:?[0-5]\d)?)?$' then
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

{#- The bookkeeping columns every base model takes from a raw row: its key,
    where it was last seen (load and first line), any CSV-level parse error,
    and the record as received (jsonb, file columns only). -#}
{% macro raw_row_columns(alias) -%}
    {{ alias }}._row_hash as row_hash,
    {{ alias }}._seen_load_id as load_id,
    {{ alias }}._file_name as source_file,
    {{ alias }}._seen_line_number as line_number,
    {{ alias }}._parse_error as parse_error,
    to_jsonb({{ alias }}) - array[
        '_row_hash', '_load_id', '_file_name', '_line_number', '_seen_load_id',
        '_seen_line_number', '_loaded_at', '_seen_at', '_parse_error'
    ] as record
{%- endmacro %}


{#- How a channel reads in a sentence: Call, SMS. -#}
{% macro channel_label(column) -%}
    case {{ column }} when 'sms' then 'SMS' else initcap({{ column }}) end
{%- endmacro %}
