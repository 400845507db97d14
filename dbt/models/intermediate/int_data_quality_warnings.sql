{{ config(materialized='table') }}

-- Data-quality warnings: rows that are valid (staged, used by the rules) but
-- look wrong, one row per (record, warning). Unlike stg_quarantine nothing is
-- refused: the rules read the row, and a rule that depends on the doubtful
-- field says how it treats it. Shown on /data-quality/
-- (compliance/pipeline/data_quality.py).
--   rvm_conversation  a ringless voicemail recorded with outcome
--                     `conversation`: a ringless voicemail goes to voicemail
--                     without ringing, so nobody can have talked; either the
--                     channel or the outcome is wrong. Rule RF-FREQ-2
--                     (12 CFR 1006.14(b)(2)(i)(B)) makes the calls within 7
--                     days after it `possible` (catalog parameter
--                     rvm_conversation).
select
    'contact_attempts:' || a.attempt_id || ':rvm_conversation' as warning_key,
    'contact_attempts'::text as entity,
    a.source_format,
    a.attempt_id as record_id,
    a.lead_id,
    'rvm_conversation'::text as warning_code,
    format('%s: a ringless voicemail recorded with outcome conversation (at %s UTC%s); a ringless voicemail cannot'
           ' hold a conversation, so the channel or the outcome is wrong. RF-FREQ-2 treats the calls after it as'
           ' possible.', a.attempt_id, (a.attempt_ts at time zone 'UTC')::text,
           case when a.debt_id is not null then ', debt ' || a.debt_id else '' end) as warning
from {{ ref('stg_contact_attempts') }} as a
where a.channel = 'rvm' and a.outcome = 'conversation'
