{#-
  Phone identity contract cci-phone-v1 in SQL (the Python side is
  compliance/ingest/phone_identity.py; tests hold both to one result).
  Created by on-run-start next to the parsing functions.

  staging.parse_nanp_phone(text) -> (e164, extension, problem)
      (common forms inline, the rest by staging.parse_nanp_phone_general;
      area codes by staging.is_nanp_area_code, create_area_code_function)
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
-- One parse, three outputs: e164 (NULL when rejected), extension, and the
-- rejection reason named as phonenumbers names it (NOT_A_NUMBER, TOO_SHORT,
-- IS_POSSIBLE_LOCAL_ONLY, TOO_LONG, INVALID_NUMBER, not_nanp (country code +44)).
do $do$ begin
    create type staging.nanp_phone as (e164 text, extension text, problem text);
exception when duplicate_object then null;
end $do$;

{{ create_area_code_function() }}

-- Any input: the contract's steps one by one. staging.parse_nanp_phone, below,
-- sends here only what its common forms do not cover.
create or replace function staging.parse_nanp_phone_general(value text)
returns staging.nanp_phone language plpgsql stable as $fn$
declare
    v text := btrim(normalize(coalesce(value, ''), NFKC));
    ext text := substring(v from '(?i)(?:;\s*ext=|ext\.?|extension|x|#)\s*(\d+)\s*$');
    digits text;
begin
    v := regexp_replace(v, '^tel:', '', 'i');
    v := regexp_replace(v, '\s*(;\s*ext=|ext\.?|extension|x|#)\s*\d+\s*$', '', 'i');
    if v !~ '[0-9]' or v ~ '[^0-9A-Za-z\s().+\-/]' then
        return (null::text, null::text, 'NOT_A_NUMBER'::text);
    end if;
    -- Another country (after + or the US exit code 011): name its E.164
    -- country code, whose length follows ITU-T E.164's assignments.
    if v ~ '^\s*\+\s*[02-9]' or v ~ '^\s*011' then
        digits := regexp_replace(regexp_replace(v, '^\s*(\+|011)', ''), '[^0-9]', '', 'g');
        return (null::text, null::text, format('not_nanp (country code +%s)', coalesce(
            substring(digits from '^(7|2[07]|3[0-469]|4[013-9]|5[1-8]|6[0-6]|8[1246]|9[0-58])'), left(digits, 3))));
    end if;
    -- Letters are a vanity number only when there are at least three of them
    -- (as phonenumbers decides); otherwise they are dropped, so a letter O
    -- typed for a zero never becomes a digit.
    if v ~ '([A-Za-z].*){3}' then
        v := translate(upper(v), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', '22233344455566677778889999');
    end if;
    digits := regexp_replace(v, '[^0-9]', '', 'g');
    if length(digits) = 11 and left(digits, 1) = '1' then
        digits := substr(digits, 2);
    end if;
    if length(digits) = 7 then
        return (null::text, null::text, 'IS_POSSIBLE_LOCAL_ONLY'::text);  -- no area code
    end if;
    if length(digits) < 10 then
        return (null::text, null::text, 'TOO_SHORT'::text);
    end if;
    if length(digits) > 10 then
        return (null::text, null::text, 'TOO_LONG'::text);
    end if;
    if digits !~ '^[2-9][0-9]{2}[2-9][0-9]{6}$'
       or not staging.is_nanp_area_code(left(digits, 3)) then
        return (null::text, null::text, 'INVALID_NUMBER'::text);
    end if;
    return ('+1' || digits, ext, null::text);
end
$fn$;

-- The number as staging parses it, the function every model calls. Plain SQL
-- so that PostgreSQL inlines it into the calling query: the forms exports
-- use (ASCII digits, an optional +1 or 1, separators - . space, the area code
-- in parentheses or not, an extension " x123") are decided by one pattern
-- match and the area-code list, with no function call; anything else (other
-- characters, letters, another country, a missing or malformed area code or
-- exchange) by staging.parse_nanp_phone_general. A value of those forms is
-- ASCII (NFKC leaves it as it is), has no tel: prefix, no letters but the
-- extension's x, no country code but 1, and 10 digits after the 1 that fit
-- the pattern the general function checks: it gives the same result for it,
-- the valid number or INVALID_NUMBER (tests/test_phone_identity.py compares
-- the two on every form).
create or replace function staging.parse_nanp_phone(value text)
returns staging.nanp_phone language sql stable as $fn$
    select case
        when value ~ '^ *(\+?1[-. ]?)?(\([2-9][0-9]{2}\) ?|[2-9][0-9]{2}[-. ]?)[2-9][0-9]{2}[-. ]?[0-9]{4}( x[0-9]+)? *$' then
            -- Without its separators the value is [1]NPANXXXXXX[x<extension>].
            case when staging.is_nanp_area_code(left(right(split_part(translate(value, ' +-.()', ''), 'x', 1), 10), 3))
                 then ('+1' || right(split_part(translate(value, ' +-.()', ''), 'x', 1), 10),
                       nullif(split_part(translate(value, ' +-.()', ''), 'x', 2), ''), null)::staging.nanp_phone
                 else (null, null, 'INVALID_NUMBER')::staging.nanp_phone end
        else staging.parse_nanp_phone_general(value)
    end
$fn$;

create or replace function staging.normalize_nanp_phone(value text)
returns text language sql stable as $fn$
    select (staging.parse_nanp_phone(value)).e164
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

{#- staging.is_nanp_area_code(npa text) -> boolean: is `npa` an area code of
    reference.area_code_zones? The list is written into the function as a
    constant, so the check is a hashed array lookup that PostgreSQL inlines
    (a query of the table per number cost three quarters of the parse).
    Written again whenever the seed is loaded (its post-hook in
    dbt_project.yml), so it always holds the table's rows, and at the start of
    every run (create_phone_functions) so that it exists: before the first
    seed load it lists nothing, and no model parses a phone before the seed
    (their depends_on). -#}
{% macro create_area_code_function() %}
do $do$
declare
    codes text[] := '{}';
begin
    if to_regclass('reference.area_code_zones') is not null then
        select coalesce(array_agg(a.npa order by a.npa), '{}') into codes
        from reference.area_code_zones as a where a.npa is not null;
    end if;
    execute format(
        'create or replace function staging.is_nanp_area_code(npa text) returns boolean language sql stable as %L',
        format('select npa = any(%L::text[])', codes));
end $do$;
{% endmacro %}

{#- Checks of a row that names a number by `phone` and/or `phone_hash`, for
    problem_columns. The CTE must have raw_phone, raw_phone_hash, phone_parsed
    (staging.parse_nanp_phone), phone_e164, given_phone_hash
    (staging.normalize_phone_hash) and phone_hash (the contract hash). -#}
{% macro phone_or_hash_checks() %}
    {% do return([
        ("raw_phone is null and raw_phone_hash is null", "missing_phone", "'neither phone nor phone_hash given'"),
        ("raw_phone is not null and phone_e164 is null", "bad_phone",
         "format('phone %s is not a valid NANP number (%s)', staging.quoted_excerpt(raw_phone), (phone_parsed).problem)"),
        ("raw_phone_hash is not null and given_phone_hash is null", "bad_hash",
         "format('phone_hash %s is not a SHA-256 hex digest', staging.quoted_excerpt(raw_phone_hash))"),
        ("phone_e164 is not null and given_phone_hash is not null and given_phone_hash <> phone_hash",
         "phone_hash_mismatch",
         "format('phone_hash does not match phone %s under cci-phone-v1 (expected %s)', phone_e164, phone_hash)"),
    ]) %}
{% endmacro %}
