{#-
  Phone identity contract cci-phone-v1 in SQL (the Python side is
  compliance/services/phone_identity.py; tests hold both to one result).
  Created by on-run-start next to the parsing functions.

  staging.normalize_nanp_phone(text) -> text   E.164 such as +12125550107, or NULL
      NFKC (full-width digits, NBSP), extension dropped (x, ext, extension,
      #, ;ext=), vanity letters to digits, NANP only (+1 / 1 / 10 digits),
      area code present in reference.area_code_zones (generated from the
      phonenumbers data), exchange 2-9.
  staging.phone_hash_v1(e164 text) -> text     lowercase hex SHA-256 of the E.164 string
  staging.normalize_phone_hash(text) -> text   pre-hashed value: NFKC, whitespace removed,
                                               lowercase; NULL unless 64 hex digits
-#}
{% macro create_phone_functions() %}
create or replace function staging.normalize_nanp_phone(value text)
returns text language plpgsql stable as $fn$
declare
    v text := btrim(normalize(coalesce(value, ''), NFKC));
    digits text;
begin
    v := regexp_replace(v, '^tel:', '', 'i');
    v := regexp_replace(v, '\s*(;\s*ext=|ext\.?|extension|x|#)\s*\d+\s*$', '', 'i');
    if v ~ '^\s*\+' and v !~ '^\s*\+\s*1' then
        return null;  -- another country code
    end if;
    if v ~ '^\s*011' then
        return null;  -- international dialing prefix
    end if;
    digits := regexp_replace(
        translate(upper(v), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', '22233344455566677778889999'), '[^0-9]', '', 'g');
    if length(digits) = 11 and left(digits, 1) = '1' then
        digits := substr(digits, 2);
    end if;
    if digits !~ '^[2-9][0-9]{2}[2-9][0-9]{6}$' then
        return null;
    end if;
    if not exists (select 1 from reference.area_code_zones where npa = left(digits, 3)) then
        return null;
    end if;
    return '+1' || digits;
end
$fn$;

create or replace function staging.phone_hash_v1(e164 text)
returns text language sql immutable as $fn$
    select encode(sha256(convert_to(e164, 'UTF8')), 'hex')
$fn$;

create or replace function staging.normalize_phone_hash(value text)
returns text language sql immutable as $fn$
    select case when v ~ '^[0-9a-f]{64}$' then v end
    from (select lower(regexp_replace(normalize(value, NFKC), '[\s\u00a0\u2000-\u200b\u3000]+', '', 'g')) as v) as t
$fn$;
{% endmacro %}
