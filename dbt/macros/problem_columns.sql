{#-
  Row checks of a base model, written once. `checks` is a list of
  (condition, reason_code, message) where condition and message are SQL
  expressions; a row has a problem for every condition that is true.

  Emits two columns:
    problem_codes  text[]  the distinct reason codes of the failed checks, sorted (empty if none)
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
    unknown_channel   not a channel the file accepts
    bad_phone         not a valid NANP number (the reason names the library's verdict)
    missing_phone     neither phone nor phone_hash
    phone_hash_mismatch  phone and phone_hash disagree under cci-phone-v1
    naive_timestamp   a native timestamp without offset (never guessed)
    timestamp_out_of_range  a timestamp before 1991-12-20 (the TCPA) or later than
                      one day after the row was first loaded, both formats, every
                      timestamp column (the reason names the column; parsing.sql,
                      timestamp_range_check; docs/data-contract.md "Plausible range")
    missing_value     a required value is empty
    bad_email, bad_state, bad_zip, bad_interval, missing_target,
    unknown_kind, unknown_list, unknown_method, unknown_outcome,
    unknown_purpose, unknown_technology   (native format, docs/data-contract.md)
    duplicate_id_across_formats  the id was also sent, valid, in the seed format
    duplicate_id      (added by row_status_columns) a second row with the same id in one load
-#}
{#- The codes are listed once each, sorted, when the model is compiled (a
    code is there when any of its checks fails), so no row needs an array
    built, unnested and sorted. Jinja's sort puts the codes above in the
    order PostgreSQL's `order by` gave them, under the C collation and ICU's
    en-US alike (no code has an underscore where another has a letter). -#}
{% macro problem_columns(checks) %}
    {%- set conditions_by_code = {} %}
    {%- for condition, code, message in checks %}
        {%- do conditions_by_code.setdefault(code, []).append("(" ~ condition ~ ")") %}
    {%- endfor %}
    array_remove(array[
        {%- for code in conditions_by_code | sort %}
        case when {{ conditions_by_code[code] | join(" or ") }} then '{{ code }}' end{{ "," if not loop.last }}
        {%- endfor %}
    ]::text[], null) as problem_codes,
    nullif(concat_ws('; ',
        {%- for condition, code, message in checks %}
        case when {{ condition }} then {{ message }} end{{ "," if not loop.last }}
        {%- endfor %}
    ), '') as row_problem
{% endmacro %}
