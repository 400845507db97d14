{#-
  row_status_columns(key): the status of a base_<format>__* model's raw
  row, three columns of its final select over its last CTE `checked`
  (row_hash, load_id, source_file, line_number, repeated, record, the entity key
  column `key`, the typed columns, `row_problem` (NULL when the row is
  valid) and `problem_codes`, see problem_columns):
    status            'valid' | 'quarantined' | 'superseded'
    rejection_reason  plain-language reason (NULL unless quarantined)
    rejection_codes   reason codes (text[], NULL unless quarantined)

  A copy of a later identical row (`repeated`, raw_rows.sql: a repeated
  line, a row sent again) is 'superseded', whatever its problems: its
  latest sighting is judged instead. The copies stay in the windows below
  without changing any other row's status: a copy sorts after its own latest
  sighting, which has the same key and problems, so it is never first of its
  key, adds nothing to the highest valid load of its key, and a row that is
  second of its key without the copies is second or later with them.

  Among valid rows with the same key, the latest load wins (then the latest
  line). An older row from an earlier load is 'superseded' (kept in raw,
  not an error); so is a refused row once a later load brought a valid
  version of its key (the problem was fixed). A second row with the same key
  in the same load is quarantined (duplicate_id), naming the line that is used.

  The windows are the same in the three columns, so PostgreSQL computes
  each once. They partition keys under the C collation: the same groups
  (text equality does not depend on the collation), sorted faster than under
  the database's. `checked` is `materialized`: its problem columns are long
  expressions, which the windows would otherwise evaluate once per window.
-#}
{#- The window over a key's versions, latest first (the refused rows of every
    key share one partition, the NULL key: they are judged by their problem). -#}
{% macro key_versions(key) -%}
    partition by case when row_problem is null then {{ key }} end collate "C" order by load_id desc, line_number desc
{%- endmacro %}

{#- The row is refused but a later load brought a valid version of its key. -#}
{% macro refused_row_fixed(key) -%}
    (row_problem is not null
     and max(load_id) filter (where row_problem is null) over (partition by {{ key }} collate "C") > load_id)
{%- endmacro %}

{#- A valid row that is not its key's latest, from the same load as the latest. -#}
{% macro duplicate_in_load(key) -%}
    (row_problem is null and row_number() over ({{ key_versions(key) }}) > 1
     and load_id = first_value(load_id) over ({{ key_versions(key) }}))
{%- endmacro %}

{#- A refused row's rejection (NULL for a copy, and once a later load fixed it): `problem`,
    or `duplicate` for the second row of a key in one load. -#}
{% macro rejection(key, problem, duplicate) -%}
    case
        when repeated then null
        when {{ refused_row_fixed(key) }} then null
        when row_problem is not null then {{ problem }}
        when {{ duplicate_in_load(key) }} then {{ duplicate }}
    end
{%- endmacro %}

{% macro row_status_columns(key) -%}
    case
        when repeated then 'superseded'
        when {{ refused_row_fixed(key) }} then 'superseded'
        when row_problem is not null then 'quarantined'
        when row_number() over ({{ key_versions(key) }}) = 1 then 'valid'
        when {{ duplicate_in_load(key) }} then 'quarantined'
        else 'superseded'
    end as status,
    {{ rejection(key, 'row_problem', "format('duplicate " ~ key ~ " %s in the same file; line %s is used', "
                 ~ key ~ ", first_value(line_number) over (" ~ key_versions(key) ~ "))") }} as rejection_reason,
    {{ rejection(key, 'problem_codes', "array['duplicate_id']") }} as rejection_codes
{%- endmacro %}
