{#-
  Incremental builds by person (compliance/pipeline/build_plan.py
  decides full or incremental). Every intermediate model except
  int_data_quality_warnings is `incremental` (dbt_project.yml) and keyed by
  attempt: its rows are a function of the attempt's person, and
  int_changed_attempts lists every attempt (old or new) of every person a
  change since the last successful build touched.

  changed_persons_filter(attempt_id): a boolean for the WHERE (or join
  condition) of the model's driving attempts: in an incremental run, the
  attempt is one of int_changed_attempts; otherwise `true` (a full build).

  delete_changed_persons(): the pre-hook of those models: in an incremental
  run, delete the rows of every changed attempt before the model inserts the
  rows it recomputes (dbt's delete+insert would only delete the keys of the
  new rows, keeping the rows of a person whose violations disappeared).
-#}
{% macro changed_persons_filter(attempt_id) -%}
    {%- set changed = ref('int_changed_attempts') -%}
    {%- if is_incremental() -%}
        {{ attempt_id }} in (select changed.attempt_id from {{ changed }} as changed)
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}

{% macro delete_changed_persons() -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where attempt_id in (select changed.attempt_id from {{ ref('int_changed_attempts') }} as changed)
    {%- endif -%}
{%- endmacro %}
