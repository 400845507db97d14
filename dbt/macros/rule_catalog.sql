{#-
  The rule catalog (seed rule_catalog) in rule models, written once.

  catalog_rules(family): the catalog rows of one violation_type, with
  `channel_list` and `purpose_list` as text[] and `params` as jsonb.

  rule_applies(rule, attempt): the attempt is in the rule's scope: its channel
  and purpose are listed (an attempt without a purpose, as in the seed
  export, is taken as telemarketing) and its local date is within
  [effective_from, effective_to).

  rule_param(rule, name, type): one parameter of the rule, cast to `type`.
  Parameters are configuration: change the seed and rebuild.
-#}
{% macro catalog_rules(family) -%}
    (
        select
            r.*,
            string_to_array(r.channels, ' ') as channel_list,
            string_to_array(r.purposes, ' ') as purpose_list,
            r.parameters::jsonb as params
        from {{ ref('rule_catalog') }} as r
        where r.violation_type = '{{ family }}'
    )
{%- endmacro %}

{% macro rule_applies(rule, attempt) -%}
    {{ attempt }}.channel = any({{ rule }}.channel_list)
    and coalesce({{ attempt }}.purpose, 'telemarketing') = any({{ rule }}.purpose_list)
    and {{ attempt }}.local_date >= {{ rule }}.effective_from
    and ({{ rule }}.effective_to is null or {{ attempt }}.local_date < {{ rule }}.effective_to)
{%- endmacro %}

{% macro rule_param(rule, name, type) -%}
    ({{ rule }}.params ->> '{{ name }}')::{{ type }}
{%- endmacro %}

{#- Exposure of one violating attempt in USD (contact-rules.md §8.3): the
    rule's amount, or 0 under the TCPA 227(c)(5) gate when the number did not
    get more than one call or text within 12 months. -#}
{% macro gated_exposure(amount, basis, calls_within_12_months) -%}
    case when {{ basis }} = 'per_call_if_more_than_one_call_in_12_months'
              and coalesce({{ calls_within_12_months }}, 0) < 2 then 0::numeric(12, 2)
         else {{ amount }}::numeric(12, 2) end
{%- endmacro %}

{#- One catalog parameter as a literal, read when the model is built (for SQL
    that needs a constant, such as a window frame's offset). -#}
{% macro catalog_param_literal(rule_id, name, default) %}
    {% if execute %}
        {% set result = run_query("select parameters::jsonb ->> '" ~ name ~ "' from " ~ ref('rule_catalog')
                                  ~ " where rule_id = '" ~ rule_id ~ "'") %}
        {% if result.rows | length == 1 and result.rows[0][0] is not none %}
            {% do return(result.rows[0][0]) %}
        {% endif %}
        {{ exceptions.raise_compiler_error("rule_catalog has no parameter " ~ name ~ " for rule " ~ rule_id) }}
    {% endif %}
    {% do return(default) %}
{% endmacro %}
