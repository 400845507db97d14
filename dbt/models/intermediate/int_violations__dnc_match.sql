-- Do-Not-Call, 47 CFR 64.1200(c)(2): an attempt to a lead whose phone hash is
-- on the DNC list (hex compared case-insensitively, spaces ignored: both sides
-- are normalized in staging).
select
    a.attempt_id,
    a.attempt_id as violation_key,
    format(
        '%s attempt to a number on the Do-Not-Call list (phone hash %s...).',
        {{ channel_label('a.channel') }},
        left(a.phone_hash, 12)
    ) as details
from {{ ref('int_contact_attempts_localized') }} as a
inner join {{ ref('stg_seed__dnc') }} as d on d.phone_hash = a.phone_hash
