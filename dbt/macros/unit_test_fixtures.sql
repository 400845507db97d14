{#-
  Casts of unit-test fixture values (dbt's unit tests, `unit_tests:` in the
  models' yml files beside each rule model; run with
  `dbt test --select test_type:unit`). dbt casts each fixture value, the
  rows written in the yml and those it reads from a seed's CSV file alike, to
  its column's type with safe_cast. Two cases need more than dbt's plain cast:

  * an empty field: a seed's CSV file (the rule catalog's empty
    `effective_to`) gives '' where `dbt seed` loads NULL, and '' is no date;
    an empty value is NULL here too, of every type, as `dbt seed` loads it;
  * an array: information_schema names every array type `ARRAY`, which is no
    type PostgreSQL casts to. Every array column of CCI's models is a text[]
    (candidate and deciding zones, evidence, identifiers), so `ARRAY` is
    text[]: a fixture writes it as an array literal, "{America/Chicago,America/New_York}".
-#}
{% macro postgres__safe_cast(field, type) -%}
    {%- set type = 'text[]' if type | upper == 'ARRAY' else type -%}
    {%- if field | trim == "''" -%}
        cast(null as {{ type }})
    {%- else -%}
        cast({{ field }} as {{ type }})
    {%- endif -%}
{%- endmacro %}
