{#-
  violation_id(family, rule_id, grain...): the key of one violation row (text,
  32 hex digits), written once for every rule model. The mart keeps it as
  `violation_id`, and compliance_case keeps one case per key, so a key must
  never change for a row that is still found.

    family    the rule family, a literal (the rule catalog's violation_type);
    rule_id   SQL text expression: the row's rule (rule_catalog.rule_id);
    grain...  one or more SQL text expressions: what one row of the rule is
              about (the attempt_id; a lead_id and a local date for a daily
              cap), joined with '/'.

  The key is md5('family:grain/rule_id'): two rules of one family on the same
  grain (two company caps on one lead and day, two state windows on one
  attempt) get different keys.

  Legacy keys: the rules of `legacy_rules` were keyed without their rule id
  before the rule catalog existed, md5('family:grain'), and keep exactly that
  key so that their cases keep their violation_id. A rule is listed only
  because cases under its old key exist; a new rule never is. Their grain is
  the attempt, except for CAP-CCI-1 (the lead and the local day in the
  primary zone, as text):
    QH-FED-1   outside_allowed_hours      47 CFR 64.1200(c)(1)
    QH-FED-2   outside_allowed_hours      12 CFR 1006.6(b)(1)(i)
    CAP-CCI-1  too_many_attempts_per_day  CCI contact policy (daily cap)
    OPT-FED-1  attempt_after_opt_out      47 CFR 64.1200(a)(10)-(11), (d)(3)
    OPT-FED-2  attempt_after_opt_out      47 CFR 64.1200(a)(11), (d)(3)
    OPT-FED-3  attempt_after_opt_out      47 CFR 64.1200(a)(12)
    OPT-CS-1   attempt_after_opt_out      15 U.S.C. 7704(a)(4)
    DNC-FED-1  dnc_match                  47 CFR 64.1200(c)(2)
    CON-FED-1  no_consent                 47 U.S.C. 227(b)(1)(A)
  Every other rule (the state rules, DNC-ST-1, DNC-LIT-1, RF-FREQ-1/2) was
  already keyed 'family:attempt/rule_id', which is the key above.
  tests/test_violation_ids.py holds the old formulas and checks that the
  mart's keys are theirs.
-#}
{% macro violation_id(family, rule_id) -%}
    {%- set legacy_rules = {
        'QH-FED-1': 'outside_allowed_hours',
        'QH-FED-2': 'outside_allowed_hours',
        'CAP-CCI-1': 'too_many_attempts_per_day',
        'OPT-FED-1': 'attempt_after_opt_out',
        'OPT-FED-2': 'attempt_after_opt_out',
        'OPT-FED-3': 'attempt_after_opt_out',
        'OPT-CS-1': 'attempt_after_opt_out',
        'DNC-FED-1': 'dnc_match',
        'CON-FED-1': 'no_consent',
    } -%}
    {%- set legacy = [] -%}
    {%- for legacy_rule, legacy_family in legacy_rules.items() if legacy_family == family -%}
        {%- do legacy.append("'" ~ legacy_rule ~ "'") -%}
    {%- endfor -%}
    {%- set key = "'" ~ family ~ ":' || " ~ (varargs | join(" || '/' || ")) -%}
    {%- if not varargs -%}
        {{ exceptions.raise_compiler_error("violation_id(" ~ family ~ ", ...) needs the row's grain") }}
    {%- elif legacy -%}
    case when {{ rule_id }} in ({{ legacy | join(', ') }}) then md5({{ key }})
         else md5({{ key }} || '/' || {{ rule_id }}) end
    {%- else -%}
    md5({{ key }} || '/' || {{ rule_id }})
    {%- endif -%}
{%- endmacro %}
