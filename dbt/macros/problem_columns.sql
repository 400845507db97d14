{#-
  Row checks of a base model, written once. `checks` is a list of
  (condition, reason_code, message) where condition and message are SQL
  expressions; a row has a problem for every condition that is true.

  Emits two columns:
    problem_codes  text[]  the reason codes of the failed checks (empty if none)
    row_problem    text    their messages joined with '; ' (NULL if none)

  Reason codes (stable, used for counts on the data-quality page):
    malformed_record  wrong number of fields, NUL byte, bytes that are not UTF-8
    missing_id        an id column is empty
    bad_timestamp     not ISO 8601, or an impossible date/time
    bad_boolean       not true/false
    bad_number        not a decimal number
    bad_hash          not a hex digest
    unknown_zone      neither a known zone label nor an IANA zone name
    unknown_lead      the lead is not in leads.csv
    quarantined_lead  the lead is in leads.csv but was itself quarantined
    unknown_channel   not call or sms
    duplicate_id      (added by classify_rows) a second row with the same id in one load
-#}
{% macro problem_columns(checks) %}
    array_remove(array[
        {%- for condition, code, message in checks %}
        case when {{ condition }} then '{{ code }}' end{{ "," if not loop.last }}
        {%- endfor %}
    ]::text[], null) as problem_codes,
    nullif(concat_ws('; ',
        {%- for condition, code, message in checks %}
        case when {{ condition }} then {{ message }} end{{ "," if not loop.last }}
        {%- endfor %}
    ), '') as row_problem
{% endmacro %}
