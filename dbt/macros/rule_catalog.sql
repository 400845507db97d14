{#-
  The rule catalog (seed rule_catalog) in rule models, written once.

  catalog_rules(family): the catalog rows of one violation_type (of every
  family when none is given), one row per
  (rule, channel, purpose) of its scope (`scope_channel`, `scope_purpose`:
  the space-separated `channels` and `purposes` unnested, so that
  rule_applies is an equi-join the planner can hash instead of a list test on
  every pair of attempt and rule), with `params` as jsonb and `state_scope`:
  the state a state rule belongs to (its jurisdiction is a two-letter code
  other than US), null for federal and company rules. Joined with
  rule_applies, an attempt meets each rule of its scope once.

  state_rule_scope(rule, attempt_states): join condition of a rule with
  int_attempt_states: a state rule applies only where its state
  is a candidate state; federal and company rules join nothing
  (int_state_rule_attempts: the state rules each attempt meets).

  state_rule_certainty(rule, attempt_states, all_zones_decide): `definite`
  when the zones all decide and, for a state rule, its state is the only
  candidate state (docs/rules.md#zones-and-states, worked example ST-FL-05); else `possible`.

  rule_applies(rule, attempt): the attempt is in the rule's scope: its channel
  and purpose are listed (an attempt without a purpose, as in the seed
  export, is taken as telemarketing) and its local date is within
  [effective_from, effective_to).

  rule_param(rule, name, type): one parameter of the rule, cast to `type`.
  Parameters are configuration: change the seed and rebuild.
-#}
{% macro catalog_rules(family=none) -%}
    (
        select
            r.*,
            scope.scope_channel,
            scope.scope_purpose,
            r.parameters::jsonb as params,
            case when r.jurisdiction ~ '^[A-Z]{2}$' and r.jurisdiction <> 'US' then r.jurisdiction end
                as state_scope
        from {{ ref('rule_catalog') }} as r
        cross join lateral (
            select distinct scope_channel, scope_purpose
            from unnest(string_to_array(r.channels, ' ')) as scope_channel
            cross join unnest(string_to_array(r.purposes, ' ')) as scope_purpose
        ) as scope
        {% if family %}where r.violation_type = '{{ family }}'{% endif %}
    )
{%- endmacro %}

{% macro rule_applies(rule, attempt) -%}
    {{ attempt }}.channel = {{ rule }}.scope_channel
    and coalesce({{ attempt }}.purpose, 'telemarketing') = {{ rule }}.scope_purpose
    and {{ attempt }}.local_date >= {{ rule }}.effective_from
    and ({{ rule }}.effective_to is null or {{ attempt }}.local_date < {{ rule }}.effective_to)
{%- endmacro %}

{% macro state_rule_scope(rule, attempt_states) -%}
    {{ attempt_states }}.state = {{ rule }}.state_scope
{%- endmacro %}

{% macro state_rule_certainty(rule, attempt_states, all_zones_decide) -%}
    case when ({{ all_zones_decide }})
              and ({{ rule }}.state_scope is null or {{ attempt_states }}.candidate_states = 1)
         then 'definite' else 'possible' end
{%- endmacro %}

{#- The sentence a state rule adds to a row's details: which state, on what
    evidence, among how many candidate states; '' for other rules. -#}
{% macro state_scope_note(row) -%}
    case when {{ row }}.state_scope is not null then format(
        ' %s law applies: %s is a candidate state by %s (%s candidate state%s).',
        {{ row }}.state_scope, {{ row }}.state_scope, array_to_string({{ row }}.state_evidence, ' and '),
        {{ row }}.candidate_states, case when {{ row }}.candidate_states = 1 then '' else 's' end
    ) else '' end
{%- endmacro %}

{% macro rule_param(rule, name, type) -%}
    ({{ rule }}.params ->> '{{ name }}')::{{ type }}
{%- endmacro %}

{#- Exposure of one violating attempt in USD (docs/rules.md#exposure-estimate): the
    rule's amount, or 0 under the TCPA 227(c)(5) gate when the number did not
    get more than one call or text within 12 months. -#}
{% macro gated_exposure(amount, basis, calls_within_12_months) -%}
    case when {{ basis }} = 'per_call_if_more_than_one_call_in_12_months'
              and coalesce({{ calls_within_12_months }}, 0) < 2 then 0::numeric(12, 2)
         else {{ amount }}::numeric(12, 2) end
{%- endmacro %}

{#- One catalog parameter as a literal, read when the model is built (for SQL
    that needs a constant, such as a window frame's offset). In a dbt unit
    test ref() names the seed's fixture, a CTE of the test's own query that
    this separate query cannot read: the parameter is read from the seed's
    table (schema reference, dbt_project.yml) as the last build loaded it
    (the fixture is the seed's CSV file). -#}
{% macro catalog_param_literal(rule_id, name, default) %}
    {% if execute %}
        {% set catalog = api.Relation.create(database=target.database, identifier='rule_catalog',
                                             schema=generate_schema_name('reference', none))
                         if model.resource_type == 'unit_test' else ref('rule_catalog') %}
        {% set result = run_query("select parameters::jsonb ->> '" ~ name ~ "' from " ~ catalog
                                  ~ " where rule_id = '" ~ rule_id ~ "'") %}
        {% if result.rows | length == 1 and result.rows[0][0] is not none %}
            {% do return(result.rows[0][0]) %}
        {% endif %}
        {{ exceptions.raise_compiler_error("rule_catalog has no parameter " ~ name ~ " for rule " ~ rule_id) }}
    {% endif %}
    {% do return(default) %}
{% endmacro %}
