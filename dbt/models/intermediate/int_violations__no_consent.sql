-- Consent (rule CON-FED-1), TCPA 47 U.S.C. 227(b) and 47 CFR 64.1200(a)(1)-(3):
-- * seed leads: the export's lead-level consent_flag is false;
-- * native attempts by autodialer, prerecorded or artificial (AI) voice, and
--   every text or ringless voicemail, need consent on file for that channel,
--   captured at or before the attempt and not revoked by then: prior express
--   written consent (pewc, 64.1200(a)(2)-(3), (f)(9)) for telemarketing, prior
--   express consent (pec or pewc) otherwise. Manual calls and email are not
--   covered by this rule.
with in_scope as (
    select a.*, r.rule_id
    from {{ ref('int_contact_attempts_localized') }} as a
    inner join {{ catalog_rules('no_consent') }} as r on {{ rule_applies('r', 'a') }}
),

native_needs as (
    select
        a.*,
        case when a.purpose = 'telemarketing' then array['pewc'] else array['pec', 'pewc'] end as accepted_kinds
    from in_scope as a
    where a.source_format = 'native'
      and (a.technology in ('atds', 'prerecorded', 'ai_voice') or a.channel in ('sms', 'rvm'))
),

native_missing as (
    select n.attempt_id, n.rule_id, n.channel, n.accepted_kinds
    from native_needs as n
    where not {{ consent_on_file('n', 'n.accepted_kinds') }}
)

select
    attempt_id,
    attempt_id as violation_key,
    rule_id,
    'definite'::text as certainty,
    null::text[] as deciding_zones,
    format('%s attempt to a lead with no consent on file (consent_flag is false).', {{ channel_label('channel') }}) as details
from in_scope
where source_format = 'seed' and not consent_flag

union all

select
    attempt_id,
    attempt_id,
    rule_id,
    'definite',
    null,
    format('%s attempt without %s on file for %s at the time of the attempt.',
           {{ channel_label('channel') }},
           array_to_string(accepted_kinds, ' or '),
           channel)
from native_missing
