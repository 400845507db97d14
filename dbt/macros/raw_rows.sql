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
    _batch_key        the row's key in an incremental build (text; NULL
                      without `key`): its entity key, `key` cleaned (the
                      base model's key column), or for a row without one
                      'row:' and its identity hash
    One window, one sort of the raw rows. It partitions by the two hashes
    first, which nearly always settle a comparison (two bigints), then by the
    identity's columns themselves, so that only identical rows ever share a
    partition; text compared under "C" (equality does not depend on the
    collation, byte order is faster).

    Incremental base models (`key` given; materialized incremental,
    delete+insert by batch_key) read only the rows of the batch keys their
    build recomputes (rebuilt_batch_keys). Every row whose status a raw row
    can change shares its batch key: its identical copies (same file columns,
    so the same key or the same identity hash) and the other versions of its
    key (row_status.sql's windows partition by key; a row without a key is
    refused and judged alone). -#}
{% macro raw_rows(relation, key=none, follows=[]) -%}
    {%- set identity = [] %}
    {%- for name in raw_file_columns(relation) + ['_parse_error', '_received'] %}
        {%- do identity.append('raw_row.' ~ adapter.quote(name)) %}
    {%- endfor -%}
    {%- set h1 = 'hash_record_extended(row(' ~ identity | join(', ') ~ '), 0)' %}
    {%- set h2 = 'hash_record_extended(row(' ~ identity | join(', ') ~ '), 1)' %}
    {%- if key %}
        {%- set batch_key = "coalesce(" ~ clean_text('raw_row.' ~ adapter.quote(key)) ~ ", 'row:' || lpad(to_hex("
                            ~ h1 ~ "), 16, '0') || lpad(to_hex(" ~ h2 ~ "), 16, '0'))" %}
    {%- else %}
        {%- set batch_key = 'null::text' %}
    {%- endif %}
    {#- refs outside the branch below, so that dbt sees them when it parses -#}
    {%- set followed = [] %}
    {%- for column, model, model_column in follows %}
        {%- do followed.append((column, ref(model), model_column)) %}
    {%- endfor -%}
    (
        select hashed.*,
               (row_number() over sightings) > 1 as _repeated,
               last_value(hashed._loaded_at) over (
                   sightings rows between unbounded preceding and unbounded following
               ) as _first_loaded_at
        from (
            select raw_row.*, {{ h1 }} as _h1, {{ h2 }} as _h2, {{ batch_key }} as _batch_key
            from {{ relation }} as raw_row
            {%- if key and is_incremental() %}
            where {{ batch_key }} in ({{ rebuilt_batch_keys(relation, batch_key, followed) }})
            {%- endif %}
        ) as hashed
        window sightings as (
            partition by hashed._h1, hashed._h2
                {%- for column in identity %}, {{ column | replace('raw_row.', 'hashed.') }} collate "C"{% endfor %}
            order by hashed._load_id desc, hashed._line_number desc
        )
    )
{%- endmacro %}

{#- The batch keys an incremental build of a base model recomputes: those of
    the raw rows of loads its table has not seen (raw tables are
    append-only; a load that updates or deletes raw rows makes the next build
    a full one: compliance/pipeline/build_plan.py), and those of the raw rows
    whose cleaned `column` names a row that this build recomputed in another
    base model (`followed`: (raw column, model relation, its column)): a lead
    reference (lead_reference_checks reads the lead's state) or an id shared
    across formats (cross_format_check). -#}
{% macro rebuilt_batch_keys(relation, batch_key, followed) -%}
    select {{ batch_key }}
    from {{ relation }} as raw_row
    where raw_row._load_id not in (select built.load_id from {{ this }} as built)
    {%- for column, model, model_column in followed %}
        or {{ clean_text('raw_row.' ~ adapter.quote(column)) }} in (
            select rebuilt.{{ model_column }} from {{ model }} as rebuilt where rebuilt.build_id = '{{ invocation_id }}')
    {%- endfor %}
{%- endmacro %}

{#- Every base model, one per raw table, with its format: (format, model),
    as compliance/ingest/formats.py lists the files (ALL_SPECS). Read by
    stg_quarantine and int_rebuilt_entities. -#}
{% macro base_models() -%}
    {%- do return([
        ('seed', 'base_seed__leads'), ('seed', 'base_seed__contact_attempts'),
        ('seed', 'base_seed__conversions'), ('seed', 'base_seed__dnc'),
        ('native', 'base_native__ads'), ('native', 'base_native__leads'),
        ('native', 'base_native__contact_attempts'), ('native', 'base_native__consents'),
        ('native', 'base_native__opt_outs'), ('native', 'base_native__dnc_entries'),
        ('native', 'base_native__dnc_list_versions'), ('native', 'base_native__conversions'),
    ]) -%}
{%- endmacro %}
