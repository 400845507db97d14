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
    {{ delete_listed('attempt_id', 'int_changed_attempts') }}
{%- endmacro %}

{#- In an incremental run, delete the model's rows whose `column` the
    model `listed` lists (the pre-hook of the models that rewrite what it
    lists); nothing in a full build. -#}
{% macro delete_listed(column, listed) -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where {{ column }} in (select listed.{{ column }} from {{ ref(listed) }} as listed)
    {%- endif -%}
{%- endmacro %}

{#- entity(model, batch_key): the `entity` column of a staged row, the base
    model row it comes from ('<base model>:<batch key>'; raw_rows.sql): an
    incremental build compares the person keys of the entities it rebuilt
    (int_rebuilt_entities) with those they had (person_keys_built). A base
    model without a key rebuilds all its rows in every build: its rows share
    one entity, '<base model>:'. -#}
{% macro entity(model, batch_key='batch_key') -%}
    '{{ model }}:' || coalesce({{ batch_key }}, '') as entity
{%- endmacro %}

{#- person_keys_built and person_links_built: the person keys and links of
    the last successful build, kept by the pipeline (build_plan.py,
    keep_person_keys); none while dbt parses. -#}
{% macro built_person_relation(name) -%}
    {%- do return(adapter.get_relation(database=this.database, schema=this.schema, identifier=name) if execute else none) -%}
{%- endmacro %}

{#- Whether this build compares person keys with the last build's: not a
    full build (--full-refresh), and both kept tables are there (otherwise
    every attempt is recomputed, never a stale row). -#}
{% macro person_keys_incremental() -%}
    {%- do return(not flags.FULL_REFRESH and built_person_relation('person_keys_built') is not none
                  and built_person_relation('person_links_built') is not none) -%}
{%- endmacro %}

{#- changed_attempts_filter(attempt_id): for the mart (a table, rebuilt every
    time): in a build that is not a full one, only the violations of the
    attempts int_changed_attempts lists, the delta that the pipeline applies
    to the published mart (compliance/pipeline/runs.py, publish_mart_delta);
    otherwise `true`. -#}
{% macro changed_attempts_filter(attempt_id) -%}
    {%- set changed = ref('int_changed_attempts') -%}
    {%- if not flags.FULL_REFRESH -%}
        {{ attempt_id }} in (select changed.attempt_id from {{ changed }} as changed)
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}

{#- get_where_subquery(relation): dbt's hook for the relation a generic test
    reads (its `where` config), extended: in an incremental build
    (not --full-refresh), the tests of an incremental model read only the
    rows this build rewrote: an intermediate model's rows of the changed
    attempts, a staged model's rows of the rebuilt entities
    (incremental_filter). The others passed the same tests in the build that
    wrote them and are unchanged: a duplicate key, a NULL or an unknown value
    can only be among the rewritten rows (a key shared with an unchanged row
    is a changed attempt's or a rebuilt entity's, rewritten too). -#}
{% macro get_where_subquery(relation) -%}
    {%- set filters = [] -%}
    {%- if config.get('where') %}{% do filters.append(config.get('where')) %}{% endif -%}
    {#- the graph of nodes exists only when the test runs, not while dbt parses it -#}
    {%- if execute and not flags.FULL_REFRESH %}{% do filters.append(incremental_filter(relation)) %}{% endif -%}
    {%- set filters = filters | reject('none') | list -%}
    {%- if filters -%}
        {%- do return('(select * from ' ~ relation ~ ' where ' ~ filters | join(' and ') ~ ') dbt_subquery') -%}
    {%- endif -%}
    {%- do return(relation) -%}
{%- endmacro %}

{#- The rows of model `relation` an incremental build rewrites, as a
    condition (none for a model rebuilt in full): an incremental
    intermediate model's (keyed by attempt_id: delete_changed_persons) are
    those of int_changed_attempts, a staged model's by entity
    (incremental_by_entity) those of int_rebuilt_entities. -#}
{% macro incremental_filter(relation) -%}
    {%- for node in graph.nodes.values() if node.resource_type == 'model' and node.alias == relation.identifier
                                             and node.schema == relation.schema
                                             and node.config.materialized == 'incremental' -%}
        {%- if node.fqn[1] == 'intermediate' -%}
            {%- do return('attempt_id in (select changed.attempt_id from '
                          ~ persons_relation(relation, 'int_changed_attempts') ~ ' as changed)') -%}
        {%- elif node.name.startswith('stg_') -%}
            {%- do return('entity in (select rebuilt.entity from '
                          ~ persons_relation(relation, 'int_rebuilt_entities') ~ ' as rebuilt)') -%}
        {%- endif -%}
    {%- endfor -%}
    {%- do return(none) -%}
{%- endmacro %}

{#- The persons model `identifier` (schema intermediate) in `relation`'s
    database, named without ref(): a test's SQL may not ref a model its
    parsing did not see. -#}
{% macro persons_relation(relation, identifier) -%}
    {%- do return(api.Relation.create(database=relation.database, schema='intermediate', identifier=identifier)) -%}
{%- endmacro %}

{#- Staged models by entity (stg_leads, stg_contact_attempts, stg_opt_outs,
    stg_consents, stg_conversions, stg_dnc_entries, stg_dnc_list_versions):
    incremental_by_entity() in the model configures it: an incremental build
    deletes the rows of the entities it rebuilt (int_rebuilt_entities) and
    inserts those rebuilt rows that are valid (rebuilt_rows(build_id) in the
    WHERE of each of the model's selects; `true` in a full build). A row
    whose entity was not rebuilt comes from a base-model row that did not
    change, nor did the lead it reads. -#}
{% macro incremental_by_entity() -%}
    {%- set rebuilt = ref('int_rebuilt_entities') -%}
    {#- a contract's columns change only with the project, which makes the build a full one -#}
    {{ config(materialized='incremental', incremental_strategy='append', on_schema_change='fail',
              pre_hook="{{ delete_rebuilt_entities() }}") }}
{%- endmacro %}

{% macro delete_rebuilt_entities() -%}
    {{ delete_listed('entity', 'int_rebuilt_entities') }}
{%- endmacro %}

{% macro rebuilt_rows(build_id='build_id') -%}
    {%- if is_incremental() -%}
        {{ build_id }} = '{{ invocation_id }}'
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}
