{#-
  consent_on_file(attempt, kinds): true when a consent that counts as one of
  `kinds` (text[] of 'pec', 'pewc') covering the attempt's channel was
  captured at or before the attempt and not revoked by then (47 CFR
  64.1200(a)(1)-(3), (f)(9); revocation (a)(10), across channels: below).
  `attempt` needs lead_id, channel, attempt_ts. `skew` (an interval
  expression) accepts a consent captured that much after the attempt (clocks
  of two systems, EDGE-16).

  consent_counts_as(consent, kinds): a consent record counts as one of
  `kinds`: a pewc counts as prior express written consent only when the
  disclosure of 64.1200(f)(9) was shown (worked example CN-03); without it
  it is still prior express consent (pec).

  A consent's revoked_at carries no scope, and a revocation of consent for
  calls covers texts and the other way round unless the consumer limits it
  (FCC 24-24, 47 CFR 64.1200(a)(10)): so a revocation of any of the lead's
  consents that covers a telephone channel (call, sms, rvm) ends every
  telephone consent of that lead captured at or before it (a capture and a
  revocation at the same instant: the revocation ends it). A consent captured
  after the revocation is new consent and counts. consent_on_file checks this
  with a second lookup of the lead's consents (index on lead_id), as it looks
  up the first; int_violations__no_consent, which judges every attempt, uses
  a window over its grouped join instead.
-#}
{% macro consent_counts_as(consent, kinds) -%}
    (
        ({{ consent }}.kind = 'pec' and 'pec' = any({{ kinds }}))
        or ({{ consent }}.kind = 'pewc'
            and ('pec' = any({{ kinds }}) or ('pewc' = any({{ kinds }}) and {{ consent }}.disclosure_shown)))
    )
{%- endmacro %}

{% macro consent_on_file(attempt, kinds, skew="interval '0 seconds'") -%}
    exists (
        select 1 from {{ ref('stg_consents') }} as c
        where c.lead_id = {{ attempt }}.lead_id
          and {{ attempt }}.channel = any(c.channels)
          and {{ consent_counts_as('c', kinds) }}
          and c.captured_at <= {{ attempt }}.attempt_ts + {{ skew }}
          and (c.revoked_at is null or c.revoked_at > {{ attempt }}.attempt_ts)
          and not exists (
              select 1 from {{ ref('stg_consents') }} as revocation
              where revocation.lead_id = c.lead_id
                and revocation.channels && array['call', 'sms', 'rvm']
                and revocation.revoked_at >= c.captured_at
                and revocation.revoked_at <= {{ attempt }}.attempt_ts
          )
    )
{%- endmacro %}
