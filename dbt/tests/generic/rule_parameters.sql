{#-
  rule_parameters(model, column_name, families): the rule catalog's
  `parameters` (a JSON object per rule) have the keys and types the rule
  models of the rule's family (`violation_type`) read. `families` (declared
  with the catalog, seeds/seeds.yml) maps a family to
    types     every key its rules may have: a type (integer, boolean, text,
              time 'HH:MM:SS', date 'YYYY-MM-DD', text_list, object) or a
              list of the accepted strings;
    variants  lists of required keys: a rule has every key of one of them
              (a family whose rules read different keys, e.g. the daily cap
              CAP-CCI-1 and the rolling state caps CAP-FL-1 ...).
  One row per problem (rule_id, parameter, problem): a key its family does
  not declare (a misspelt key), a key of the wrong type, a required key
  missing (of the variant the rule is nearest to), a family with no
  declaration. A misspelt key would otherwise read as NULL and the rule
  would silently stop firing. When there is a problem, the test stops the
  build with an error naming every rule and key, and the rule models,
  downstream of the catalog, are skipped.
-#}
{% test rule_parameters(model, column_name, families) %}
{%- set declared_types = [] -%}
{%- set required_keys = [] -%}
{%- for family, spec in families.items() -%}
    {%- for key, type in spec['types'].items() -%}
        {%- do declared_types.append((family, key, type)) -%}
    {%- endfor -%}
    {%- for variant in spec['variants'] -%}
        {%- set variant_number = loop.index -%}
        {%- for key in variant -%}
            {%- do required_keys.append((family, variant_number, key)) -%}
        {%- endfor -%}
    {%- endfor -%}
{%- endfor -%}
{%- set problems -%}
with rules as (
    select rule_id, violation_type, {{ column_name }}::jsonb as params
    from {{ model }}
),

declared (violation_type, parameter, type_name, accepted) as (
    values
    {%- for family, key, type in declared_types %}
        ('{{ family }}', '{{ key }}',
         {%- if type is string %} '{{ type }}', null::text[]
         {%- else %} 'one of ' || '{{ type | join(", ") }}', array['{{ type | join("', '") }}']
         {%- endif %}){{ "," if not loop.last }}
    {%- endfor %}
),

required (violation_type, variant, parameter) as (
    values
    {%- for family, variant, key in required_keys %}
        ('{{ family }}', {{ variant }}, '{{ key }}'){{ "," if not loop.last }}
    {%- endfor %}
),

-- Per rule and variant of its family, the required keys the rule lacks; the
-- variant with the fewest (then the first declared) is the one it meant.
variant_gaps as (
    select
        r.rule_id,
        q.variant,
        array_agg(q.parameter order by q.parameter) filter (where not r.params ? q.parameter) as missing
    from rules as r
    inner join required as q on q.violation_type = r.violation_type
    group by r.rule_id, q.variant
),

nearest_variant as (
    select
        rule_id,
        missing,
        row_number() over (partition by rule_id order by coalesce(cardinality(missing), 0), variant) as nearness
    from variant_gaps
)

select r.rule_id, null as parameter,
       format('parameters must be a JSON object, got %s', jsonb_typeof(r.params)) as problem
from rules as r
where jsonb_typeof(r.params) <> 'object'

union all
select r.rule_id, null, format('family %s declares no parameters', r.violation_type)
from rules as r
where r.violation_type not in (select violation_type from declared)

union all
select r.rule_id, k.parameter, format('unknown parameter %s (family %s takes %s)', k.parameter, r.violation_type,
       (select string_agg(d.parameter, ', ' order by d.parameter) from declared as d
        where d.violation_type = r.violation_type))
from rules as r
cross join lateral jsonb_object_keys(case when jsonb_typeof(r.params) = 'object' then r.params end) as k(parameter)
where r.violation_type in (select violation_type from declared)
  and (r.violation_type, k.parameter) not in (select violation_type, parameter from declared)

union all
select r.rule_id, d.parameter, format('parameter %s must be %s, got %s', d.parameter, d.type_name, r.params -> d.parameter)
from rules as r
inner join declared as d on d.violation_type = r.violation_type and jsonb_typeof(r.params) = 'object'
    and r.params ? d.parameter
where not coalesce(case d.type_name
    when 'integer' then jsonb_typeof(r.params -> d.parameter) = 'number'
                        and (r.params -> d.parameter)::text ~ '^-?[0-9]+$'
    when 'boolean' then jsonb_typeof(r.params -> d.parameter) = 'boolean'
    when 'text' then jsonb_typeof(r.params -> d.parameter) = 'string'
    when 'time' then jsonb_typeof(r.params -> d.parameter) = 'string'
                     and r.params ->> d.parameter ~ '^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$'
    when 'date' then jsonb_typeof(r.params -> d.parameter) = 'string'
                     and r.params ->> d.parameter ~ '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$'
    when 'text_list' then jsonb_typeof(r.params -> d.parameter) = 'array'
                          and not jsonb_path_exists(r.params -> d.parameter, '$[*] ? (@.type() != "string")')
    when 'object' then jsonb_typeof(r.params -> d.parameter) = 'object'
    else jsonb_typeof(r.params -> d.parameter) = 'string' and r.params ->> d.parameter = any(d.accepted)
end, false)

union all
select v.rule_id, m.parameter, format('missing parameter %s', m.parameter)
from nearest_variant as v
cross join lateral unnest(v.missing) as m(parameter)
where v.nearness = 1
{%- endset -%}
{#- Checked when the test is compiled, to name the problems in the error (a
    failing test's message only counts its rows); not before the seed exists
    (dbt compile on an empty database). -#}
{%- if execute and load_relation(model) is not none -%}
    {%- set found = run_query(problems) -%}
    {%- if found.rows | length > 0 -%}
        {%- set lines = [] -%}
        {%- for row in found.rows -%}
            {%- do lines.append(row[0] ~ ': ' ~ row[2]) -%}
        {%- endfor -%}
        {{ exceptions.raise_compiler_error(model.identifier ~ " parameters differ from their family's declaration (seeds/seeds.yml): "
                                           ~ (lines | sort | join("; "))) }}
    {%- endif -%}
{%- endif -%}
{{ problems }}
{% endtest %}
