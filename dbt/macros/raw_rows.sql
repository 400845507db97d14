{#-
  Raw tables are append-only (compliance/ingest/load.py): every record of
  every load is one raw row, so a line repeated in a file, or a row sent again
  by a later load, is there several times. Its copies are told apart here,
  in the build, never at load time.

  A row's identity is its file columns, its parse error and its text as
  received (`_received`): rows equal in all of them are identical (NULLs
  equal). Among identical rows, the latest sighting (highest `_load_id`, then
  `_line_number`) is the row staging judges, exactly as the row-hash keyed
  loader kept it (one raw row per distinct record, carrying its last
  sighting's load and line, its first sighting's `_loaded_at`); the older
  copies are `repeated` and their status is `superseded` (row_status.sql).
-#}

{#- The file columns of a raw table, in table order: every column but the
    bookkeeping ones (compliance/ingest/formats.py, META_COLUMNS), read from
    the database when the model runs (empty while dbt parses). -#}
{% macro raw_file_columns(relation) -%}
    {%- set bookkeeping = ['_load_id', '_file_name', '_line_number', '_loaded_at', '_parse_error', '_received'] %}
    {%- set file_columns = [] %}
    {%- if execute %}
        {%- for column in adapter.get_columns_in_relation(relation) if column.name not in bookkeeping %}
            {%- do file_columns.append(column.name) %}
        {%- endfor %}
    {%- endif %}
    {%- do return(file_columns) %}
{%- endmacro %}

{#- The rows of raw table `relation`, as a subquery (alias it), each with:
    _h1, _h2          two seeded 64-bit hashes of its identity (bigint;
                      row_hash, in raw_row_columns, is their hex)
    _repeated         an identical row was read later: this one is a copy
    _first_loaded_at  `_loaded_at` of the identity's first sighting (the
                      bound of timestamp_range_check: never moved by a reload)
    One window, one sort of the raw rows. It partitions by the two hashes
    first, which nearly always settle a comparison (two bigints), then by the
    identity's columns themselves, so that only identical rows ever share a
    partition; text compared under "C" (equality does not depend on the
    collation, byte order is faster). -#}
{% macro raw_rows(relation) -%}
    {%- set identity = [] %}
    {%- for name in raw_file_columns(relation) + ['_parse_error', '_received'] %}
        {%- do identity.append('raw_row.' ~ adapter.quote(name)) %}
    {%- endfor -%}
    (
        select hashed.*,
               (row_number() over sightings) > 1 as _repeated,
               last_value(hashed._loaded_at) over (
                   sightings rows between unbounded preceding and unbounded following
               ) as _first_loaded_at
        from (
            select raw_row.*,
                   hash_record_extended(row({{ identity | join(', ') }}), 0) as _h1,
                   hash_record_extended(row({{ identity | join(', ') }}), 1) as _h2
            from {{ relation }} as raw_row
        ) as hashed
        window sightings as (
            partition by hashed._h1, hashed._h2
                {%- for column in identity %}, {{ column | replace('raw_row.', 'hashed.') }} collate "C"{% endfor %}
            order by hashed._load_id desc, hashed._line_number desc
        )
    )
{%- endmacro %}
