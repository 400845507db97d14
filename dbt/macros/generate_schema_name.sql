{#- Use the configured schema name as-is (raw, staging, intermediate, analytics,
    reference) instead of dbt's default "<target>_<custom>" concatenation. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {{ custom_schema_name if custom_schema_name else target.schema }}
{%- endmacro %}
