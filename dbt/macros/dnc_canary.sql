{#-
  Canary check of pre-hashed DNC lists (used by stg_dnc_entries).

  dnc_canary_failures_sql(entries): one row per list that has pre-hashed
  current entries but not the cci-phone-v1 hash of the canary number:
  list_name, hashed_rows, and recognized_form (the canary written in another
  common form whose SHA-256 the list does contain: 11 digits, 10 digits,
  formatted), or NULL when no known form matches.
-#}
{% macro dnc_canary_failures_sql(entries) %}
    {% set canary = var('dnc_canary_phone') %}
    with canary as (
        select staging.normalize_nanp_phone('{{ canary }}') as e164
    ),
    forms as (
        select form, staging.phone_hash_v1(form) as form_hash
        from canary,
             lateral (values
                (substr(e164, 2)),
                (substr(e164, 3)),
                (format('(%s) %s-%s', substr(e164, 3, 3), substr(e164, 6, 3), substr(e164, 9))),
                (format('%s-%s-%s', substr(e164, 3, 3), substr(e164, 6, 3), substr(e164, 9))),
                (format('+1 %s-%s-%s', substr(e164, 3, 3), substr(e164, 6, 3), substr(e164, 9)))
             ) as f(form)
    ),
    prehashed as (
        select list_name, phone_hash from {{ entries }}
        where status = 'valid' and is_prehashed
    )
    select
        p.list_name,
        count(*) as hashed_rows,
        (select min(f.form) from forms as f
         where f.form_hash in (select phone_hash from prehashed as q where q.list_name = p.list_name)) as recognized_form,
        (select e164 from canary) as canary_e164
    from prehashed as p
    group by p.list_name
    having not bool_or(p.phone_hash = (select staging.phone_hash_v1(e164) from canary))
{% endmacro %}

{% macro dnc_canary_message(failures) %}
    {% set lines = [] %}
    {% for row in failures.rows %}
        {% if row['recognized_form'] %}
            {% set why = "it contains the SHA-256 of '" ~ row['recognized_form'] ~ "' instead: the list was hashed from a different canonical form" %}
        {% else %}
            {% set why = "no known form of it matches either: the list was hashed another way (key, algorithm or canonical form), or the canary row is missing" %}
        {% endif %}
        {% do lines.append("DNC list '" ~ row['list_name'] ~ "' (" ~ row['hashed_rows'] ~ " pre-hashed entries) does not contain the canary "
            ~ row['canary_e164'] ~ " hashed under cci-phone-v1 (lowercase hex SHA-256 of the E.164 string); " ~ why
            ~ ". Re-hash the list from E.164 (docs/data-contract.md) or send plain phone numbers.") %}
    {% endfor %}
    {% do return(lines | join('\n')) %}
{% endmacro %}
