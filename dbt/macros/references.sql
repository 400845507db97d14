{#-
  Lead references, written once for every base model whose rows name a lead.

  lead_reference_checks(file_name, required): problem_columns checks for
  `typed.lead_id` against `lead_state`, the model's left join of
  stg_lead_states (lead_valid: some current version is valid;
  lead_quarantined), for the model's format: missing_id (when required),
  quarantined_lead and unknown_lead. Without the lead there is no zone,
  consent or DNC evidence, so such a row waits in quarantine until the lead
  is fixed.
-#}
{% macro lead_reference_checks(file_name, required=true) %}
    {% set checks = [
        ("typed.lead_id is not null and lead_state.lead_quarantined and not lead_state.lead_valid", "quarantined_lead",
         "format('lead %s is quarantined in " ~ file_name ~ "', typed.lead_id)"),
        ("typed.lead_id is not null and lead_state.lead_valid is null", "unknown_lead",
         "format('unknown lead %s (not in " ~ file_name ~ ")', typed.lead_id)"),
    ] %}
    {% if required %}
        {% do checks.insert(0, ("typed.lead_id is null", "missing_id", "'missing lead_id'")) %}
    {% endif %}
    {% do return(checks) %}
{% endmacro %}

{#- Ids share one space across formats: a native row whose `key` is also a
    valid row of `seed_model` is quarantined (duplicate_id_across_formats),
    so the seed's version stays in use and nothing is silently merged.
    `relation` is the CTE the check reads (`typed`, `zoned`). -#}
{% macro cross_format_check(relation, key, seed_model) %}
    {#- An uncorrelated IN: PostgreSQL hashes the seed ids once (a correlated
        EXISTS here would scan the seed table once per row). -#}
    {% do return((relation ~ "." ~ key ~ " in (select seed_row." ~ key ~ " from " ~ ref(seed_model)
                  ~ " as seed_row where seed_row.status = 'valid')", "duplicate_id_across_formats",
                  "format('" ~ key ~ " %s was also sent in the seed format; ids are shared between formats', " ~ key ~ ")")) %}
{% endmacro %}
