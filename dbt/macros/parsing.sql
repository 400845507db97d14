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
-- Plain SQL, decided without catching an error: PostgreSQL inlines it into
-- the calling query (no function call, no subtransaction per value). It is
-- declared stable, as the text-to-timestamp casts it uses are: PostgreSQL
-- does not inline an immutable function that calls them.
create or replace function staging.parse_iso_timestamp(value text)
returns timestamptz language sql stable parallel safe as $fn$
    select case
        -- Field ranges are checked here (no 24:00, no leap second 60, offsets
        -- within +/-14:59; ASCII digits, the only ones the casts accept) ...
        when btrim(value) !~ '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?(Z|[+-](0[0-9]|1[0-4])(:?[0-5][0-9])?)?$' then null
        -- ... and the dates that do not exist (year 0, 2025-02-30), on which
        -- the casts would fail.
        when left(btrim(value), 4) = '0000' then null
        when substr(btrim(value), 9, 2) in ('29', '30', '31')
             and substr(btrim(value), 9, 2)::int
                 > extract(day from (left(btrim(value), 7) || '-01')::date + interval '1 month - 1 day') then null
        when btrim(value) ~ '(Z|[+-]\d{2}(:?\d{2})?)$' then btrim(value)::timestamptz
        else btrim(value)::timestamp at time zone 'UTC'
    end
$fn$;

-- A value quoted in a quarantine reason: as a literal, cut to 200 characters
-- with its length after it when longer, so a reason never repeats a huge
-- field (the row itself keeps the whole value); NULL for a missing value.
create or replace function staging.quoted_excerpt(value text)
returns text language sql immutable as $fn$
    select case when value is null then 'NULL'
                when length(value) <= 200 then quote_literal(value)
                else quote_literal(left(value, 200)) || format('… (%s characters)', to_char(length(value), 'FM999,999,999,999')) end
$fn$;

-- Does an ISO 8601 value carry its own offset (Z, +hh, +hh:mm)? The native
-- format quarantines a timestamp without one (docs/rules.md#times-and-boundaries, worked example EDGE-04).
create or replace function staging.has_utc_offset(value text)
returns boolean language sql immutable as $fn$
    select btrim(value) ~ '(Z|[+-]\d{2}(:?\d{2})?)$'
$fn$;
{% endmacro %}

{#- Checks of one timestamp column for problem_columns, as a list of
    (condition, code, message). The typed CTE must have `column` (parsed with
    staging.parse_iso_timestamp) and `raw_<field>` (as received), `field`
    being the file's name for it (default: `column`), the name the reasons
    give. An unparseable value is `bad_timestamp`; with `offset_required`, a
    value without offset is `naive_timestamp` (never guessed, EDGE-04); with
    `required`, an empty value is `missing_value`; a value outside the
    plausible range is `timestamp_out_of_range` (timestamp_range_check). -#}
{% macro timestamp_checks(column, required=true, offset_required=true, field=none) %}
    {% set field = field or column %}
    {% set raw = 'raw_' ~ field %}
    {% set checks = [
        (column ~ " is null and " ~ clean_text(raw) ~ " is not null", "bad_timestamp",
         "format('bad timestamp in " ~ field ~ ": %s (expected ISO 8601 with offset, e.g. 2025-06-11T21:00:00-04:00)', staging.quoted_excerpt(" ~ raw ~ "))"),
    ] %}
    {% if offset_required %}
        {% do checks.append((column ~ " is not null and not staging.has_utc_offset(" ~ raw ~ ")", "naive_timestamp",
            "format('timestamp without offset in " ~ field ~ ": %s (add Z or the UTC offset; CCI never guesses a zone)', staging.quoted_excerpt(" ~ raw ~ "))")) %}
    {% endif %}
    {% if required %}
        {% do checks.append((clean_text(raw) ~ " is null", "missing_value", "'missing " ~ field ~ "'")) %}
    {% endif %}
    {% do checks.append(timestamp_range_check(column, field=field)) %}
    {% do return(checks) %}
{% endmacro %}

{#- The plausible range of every timestamp CCI stages, both formats
    (docs/data-contract.md, "Plausible range"): not before the TCPA's
    enactment (1991-12-20 UTC) and not later than one day after the raw row
    was first loaded (`loaded_at`, raw `_loaded_at`: set once, never moved by
    a reload, so the verdict on a row never changes between builds). The day
    absorbs clock skew and an offset written wrong (at most +/-14:59). -#}
{% macro timestamp_earliest() -%}
    timestamptz '1991-12-20 00:00:00+00'
{%- endmacro %}

{% macro timestamp_latest(loaded_at) -%}
    ({{ loaded_at }} + interval '1 day')
{%- endmacro %}

{#- The check of one parsed timestamp column against that range, for
    problem_columns: (condition, 'timestamp_out_of_range', message). The CTE
    must have `column` (parsed), `raw_<field>` (as received; `field`, the
    file's name for it, defaults to `column` and is the name the reason
    gives) and `loaded_at`. A value in year 10000 and later
    (9999-12-31T23:59:59-12:00 is one, in UTC) is out of range too:
    PostgreSQL stores it, Python cannot hold it. -#}
{% macro timestamp_range_check(column, field=none) %}
    {% set field = field or column %}
    {% do return((
        column ~ " is not null and (" ~ column ~ " < " ~ timestamp_earliest() ~ " or " ~ column ~ " > "
            ~ timestamp_latest('loaded_at') ~ ")",
        "timestamp_out_of_range",
        "format('timestamp out of range in " ~ field ~ ": %s (plausible from 1991-12-20, the TCPA''s enactment, "
            ~ "to one day after the row was first loaded: %s)', staging.quoted_excerpt(raw_" ~ field ~ "), "
            ~ "to_char(" ~ timestamp_latest('loaded_at') ~ " at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'))",
    )) %}
{% endmacro %}

{#- A check that a column holds one of `values` (NULL allowed unless `required`). -#}
{% macro enum_check(column, values, code, required=true) %}
    {% set listed = "('" ~ values | join("', '") ~ "')" %}
    {% set condition = (column ~ " is null or " if required else column ~ " is not null and ") ~ column ~ " not in " ~ listed %}
    {% do return((condition, code,
        "format('" ~ column ~ " %s is not one of " ~ values | join(', ') ~ "', staging.quoted_excerpt(raw_" ~ column ~ "))")) %}
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

{#- The bookkeeping columns every base model takes from a raw row read
    through raw_rows (raw_rows.sql; `alias` is that subquery's alias): its
    identity (row_hash: 32 hex digits, the same for identical rows), where it
    was read (load, file and first line: for the row staging judges, its
    identity's latest sighting; a raw row's key), whether it is a copy of a
    later identical row (repeated), any CSV- or JSON-level parse error and
    when its identity was first loaded (the bound of timestamp_range_check);
    its batch key (raw_rows: what an incremental build deletes and inserts it
    by) and the dbt invocation that built it (build_id: the rows an
    incremental build recomputed are those with its invocation_id).
    The record as received is not among them: only stg_quarantine shows it,
    built there from the raw row (a jsonb per row here cost a quarter of a
    base model's time, carried through its two window sorts). -#}
{% macro raw_row_columns(alias) -%}
    lpad(to_hex({{ alias }}._h1), 16, '0') || lpad(to_hex({{ alias }}._h2), 16, '0') as row_hash,
    {{ alias }}._load_id as load_id,
    {{ alias }}._file_name as source_file,
    {{ alias }}._line_number as line_number,
    {{ alias }}._repeated as repeated,
    {{ alias }}._parse_error as parse_error,
    {{ alias }}._first_loaded_at as loaded_at,
    {{ alias }}._batch_key as batch_key,
    '{{ invocation_id }}'::text as build_id
{%- endmacro %}

{#- The file columns of a raw row as jsonb, named as in the file
    (raw_file_columns). Built from that list rather than as to_jsonb(row)
    minus the bookkeeping keys, which formats both timestamps of every row
    only to drop them (3 times slower). -#}
{% macro received_record(alias, relation) -%}
    jsonb_build_object(
        {%- for name in raw_file_columns(relation) %}
        '{{ name }}', {{ alias }}.{{ adapter.quote(name) }}{{ "," if not loop.last }}
        {%- endfor %}
    )
{%- endmacro %}

{#- How a channel reads in a sentence: Call, SMS. -#}
{% macro channel_label(column) -%}
    case {{ column }} when 'sms' then 'SMS' when 'rvm' then 'Ringless voicemail' else initcap({{ column }}) end
{%- endmacro %}
