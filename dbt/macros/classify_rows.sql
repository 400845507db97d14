{#-
  Final step of every base_<format>__* model. Input: a CTE `checked` with
  row_hash, load_id, source_file, line_number, record, the entity key
  column, the typed columns, `row_problem` (NULL when the row is valid) and
  `problem_codes` (see problem_columns).

  Output: every raw row with
    status           'valid' | 'quarantined' | 'superseded'
    rejection_reason plain-language reason (NULL unless quarantined)
    rejection_codes  reason codes (text[], NULL unless quarantined)

  Among valid rows with the same key, the latest load wins (then the latest
  line). An older row from an earlier load is 'superseded' (kept in raw,
  not an error); so is a refused row once a later load brought a valid
  version of its key (the problem was fixed). A second row with the same key
  in the same load is quarantined, naming the line that is used.
-#}
{% macro classify_rows(key) %}
-- Computed once: the problem columns are long expressions, and the windows
-- below would otherwise evaluate them once per window.
, checked_once as materialized (
    select * from checked
),

-- The partitions group keys under the C collation: the same groups (text
-- equality does not depend on the collation), sorted faster than under the
-- database's.
ranked as (
    select
        checked_once.*,
        row_number() over (
            partition by case when row_problem is null then {{ key }} end collate "C"
            order by load_id desc, line_number desc
        ) as key_rank,
        first_value(load_id) over (
            partition by case when row_problem is null then {{ key }} end collate "C"
            order by load_id desc, line_number desc
        ) as winner_load_id,
        first_value(line_number) over (
            partition by case when row_problem is null then {{ key }} end collate "C"
            order by load_id desc, line_number desc
        ) as winner_line_number,
        max(load_id) filter (where row_problem is null) over (partition by {{ key }} collate "C") as latest_valid_load_id
    from checked_once
)

select
    ranked.*,
    case
        when row_problem is not null and latest_valid_load_id > load_id then 'superseded'
        when row_problem is not null then 'quarantined'
        when key_rank = 1 then 'valid'
        when load_id = winner_load_id then 'quarantined'
        else 'superseded'
    end as status,
    case
        when row_problem is not null and latest_valid_load_id > load_id then null
        when row_problem is not null then row_problem
        when key_rank > 1 and load_id = winner_load_id then
            format('duplicate {{ key }} %s in the same file; line %s is used', {{ key }}, winner_line_number)
    end as rejection_reason,
    case
        when row_problem is not null and latest_valid_load_id > load_id then null
        when row_problem is not null then problem_codes
        when key_rank > 1 and load_id = winner_load_id then array['duplicate_id']
    end as rejection_codes
from ranked
{% endmacro %}
