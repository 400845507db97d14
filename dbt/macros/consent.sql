{#-
  consent_on_file(attempt, kinds): true when consent of one of `kinds`
  (text[] of 'pec', 'pewc') covering the attempt's channel was captured at or
  before the attempt and not revoked by then (47 CFR 64.1200(a)(1)-(3),
  (f)(9); revocation (a)(10)). `attempt` needs lead_id, channel, attempt_ts.
-#}
{% macro consent_on_file(attempt, kinds) -%}
    exists (
        select 1 from {{ ref('stg_consents') }} as c
        where c.lead_id = {{ attempt }}.lead_id
          and {{ attempt }}.channel = any(c.channels)
          and c.kind = any({{ kinds }})
          and c.captured_at <= {{ attempt }}.attempt_ts
          and (c.revoked_at is null or c.revoked_at > {{ attempt }}.attempt_ts)
    )
{%- endmacro %}
