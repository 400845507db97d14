{#- The post-hook of the staging and intermediate models: fresh planner
    statistics for a table just built in full (without them PostgreSQL
    guesses row counts wildly and picks slow join plans for the models that
    read it). An incremental build rewrites a small share of a table's rows
    (the changed persons': 14% of the attempts in the benchmark's nightly
    increment), which leaves its statistics good, and ANALYZE reads a sample of up to
    30,000 pages, about 1 s per 1M-row table: incremental models skip it in
    an incremental build (PostgreSQL's autovacuum analyzes a table once a
    tenth of its rows changed). -#}
{% macro fresh_statistics() -%}
    {%- if not is_incremental() -%}
        analyze {{ this }}
    {%- endif -%}
{%- endmacro %}
