{#- Fails with one row per value of `column_name` outside the plausible range
    of timestamps (docs/data-contract.md, "Plausible range"; macros
    timestamp_earliest / timestamp_latest in parsing.sql): before 1991-12-20,
    or later than one day after `loaded_at`. Staged models do not keep the
    load time of their rows; every row was loaded before this test runs, so
    `now()` bounds it (and a year-10000 value, which Python cannot read, fails
    either way). NULL passes: an optional timestamp may be empty. -#}
{% test timestamp_in_range(model, column_name, loaded_at='now()') %}
select {{ column_name }}
from {{ model }}
where {{ column_name }} < {{ timestamp_earliest() }}
   or {{ column_name }} > {{ timestamp_latest(loaded_at) }}
{% endtest %}
