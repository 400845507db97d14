{#-
  opt_out_covers(scope, channel): whether an opt-out of channel scope `scope`
  covers an attempt on `channel` (docs/data-contract.md, "Opt-outs: what
  channel_scope means"; int_violations__attempt_after_opt_out.sql):
    all, or no scope   every channel: a revocation for calls covers texts and
                       the other way round unless the consumer limits it
                       (FCC 24-24, 47 CFR 64.1200(a)(10));
    telephone          an internal DNC entry (64.1200(d)(3)): calls, texts, RVM;
    call               calls and ringless voicemail, a call under the TCPA
                       (FCC 22-85);
    sms, rvm, email    that channel only (the consumer's own limit).
-#}
{% macro opt_out_covers(scope, channel) -%}
    case coalesce({{ scope }}, 'all')
        when 'all' then true
        when 'telephone' then {{ channel }} in ('call', 'sms', 'rvm')
        when 'call' then {{ channel }} in ('call', 'rvm')
        else {{ channel }} = {{ scope }}
    end
{%- endmacro %}
