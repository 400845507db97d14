-- Opt-out / revocation, 47 CFR 64.1200(a)(10)-(11) and (d)(3): an attempt at
-- or after the instant the lead opted out.
select
    attempt_id,
    attempt_id as violation_key,
    format(
        '%s attempt at %s UTC, at or after the lead''s opt-out at %s UTC.',
        {{ channel_label('channel') }},
        (attempt_ts at time zone 'UTC')::text,
        (opt_out_at at time zone 'UTC')::text
    ) as details
from {{ ref('int_contact_attempts_localized') }}
where opt_out_at is not null
  and attempt_ts >= opt_out_at
