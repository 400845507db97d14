"""Phone identity contract cci-phone-v1: Python (phonenumbers) and SQL give
the same canonical number and the same hash for the same input."""

import hashlib
import hmac

import pytest
from django.db import connection

from compliance.ingest.phone_identity import PhoneRejected, normalize_hash, normalize_phone, phone_hash

ACCEPTED = {
    "(212) 555-0107": "+12125550107",
    "212.555.0107": "+12125550107",
    "+1 212 555 0107": "+12125550107",
    "1 212 555 0107": "+12125550107",
    "\uff12\uff11\uff12\uff15\uff15\uff15\uff10\uff11\uff10\uff17": "+12125550107",  # full-width digits
    "212\u00a0555\u00a00107": "+12125550107",  # non-breaking spaces
    "2125550107\r\n": "+12125550107",  # CRLF line end
    "(212) 555-0107 x12": "+12125550107",
    "212.555.0107#34": "+12125550107",
    "+1 (212) 555-0107;ext=9": "+12125550107",
    "tel:+1-212-555-0107": "+12125550107",
    "1-800-FLOWERS": "+18003569377",  # vanity letters
    "+1 602 555 0109": "+16025550109",  # Arizona
    "(787) 555-0110": "+17875550110",  # Puerto Rico
}
REJECTED = [
    "+44 20 7946 0958", "011 44 20 7946 0958", "+353 1 234 5678", "+7 495 123 4567", "555-0107", "212555010",
    "2125550107123456", "+1 055 555 0123", "212 555 01O7", "not a phone", "",
]


def sql(function: str, value: str):
    with connection.cursor() as cursor:
        cursor.execute(f"select staging.{function}(%s)", [value])
        return cursor.fetchone()[0]


@pytest.mark.parametrize("raw, e164", ACCEPTED.items(), ids=[repr(k) for k in ACCEPTED])
def test_python_and_sql_give_the_same_number_and_hash(pipeline_build, db, raw, e164):
    assert normalize_phone(raw).e164 == e164
    assert sql("normalize_nanp_phone", raw) == e164
    assert sql("phone_hash_v1", e164) == phone_hash(e164) == hashlib.sha256(e164.encode()).hexdigest()


@pytest.mark.parametrize("raw", REJECTED)
def test_python_and_sql_reject_the_same_input(pipeline_build, db, raw):
    with pytest.raises(PhoneRejected) as rejected:
        normalize_phone(raw)
    assert rejected.value.reason
    assert sql("normalize_nanp_phone", raw) is None


@pytest.mark.parametrize("raw", REJECTED)
def test_python_and_sql_name_the_same_reason(pipeline_build, db, raw):
    """The quarantine reason is the library's, in SQL too (HS-04: area code 055)."""
    with pytest.raises(PhoneRejected) as rejected:
        normalize_phone(raw)
    with connection.cursor() as cursor:
        cursor.execute("select (staging.parse_nanp_phone(%s)).problem", [raw])
        assert cursor.fetchone()[0] == rejected.value.reason


@pytest.mark.parametrize("raw, extension", [("(212) 555-0107 x12", "12"), ("+1 202-555-0123 ext. 45", "45"),
                                             ("212.555.0107#34", "34"), ("(212) 555-0107", None)])
def test_extension_is_kept_apart(pipeline_build, db, raw, extension):
    """HS-03: the extension is stored apart and is not part of the identity."""
    assert normalize_phone(raw).extension == extension
    with connection.cursor() as cursor:
        cursor.execute("select (staging.parse_nanp_phone(%s)).extension", [raw])
        assert cursor.fetchone()[0] == extension


def test_rejection_names_the_library_reason():
    with pytest.raises(PhoneRejected, match="not_nanp"):
        normalize_phone("+44 20 7946 0958")
    with pytest.raises(PhoneRejected, match="NOT_A_NUMBER"):
        normalize_phone("not a phone")


@pytest.mark.parametrize("spelling", ["{h}", "{H}", " {H} ", "\u00a0{h}\r\n", "{H}\n"])
def test_pre_hashed_values_compare_the_same_in_python_and_sql(pipeline_build, db, spelling):
    digest = phone_hash("+12125550107")
    value = spelling.format(h=digest, H=digest.upper())
    assert normalize_hash(value) == sql("normalize_phone_hash", value) == digest


def test_keyed_hash_is_hmac_sha256():
    key = b"tenant-key"
    assert phone_hash("+12125550107", key) == hmac.new(key, b"+12125550107", hashlib.sha256).hexdigest()
    assert phone_hash("+12125550107", key) != phone_hash("+12125550107")


# Every written form staging.parse_nanp_phone decides inline, and its near
# misses (another country code, a trunk 0, a tab, an upper-case X, a missing
# digit or an extra one), each with all 1,000 area codes and exchanges that
# start with 0, 1, 2 or 9 (%1$s area code, %2$s exchange).
INLINE_FORMS = [
    "%1$s%2$s0107", "(%1$s) %2$s-0107", "(%1$s)%2$s-0107", "%1$s-%2$s-0107", "%1$s.%2$s.0107", "%1$s %2$s 0107",
    "+1%1$s%2$s0107", "+1 %1$s %2$s 0107", "1-%1$s-%2$s-0107", "1%1$s%2$s0107", "1 (%1$s) %2$s-0107",
    "+1 (%1$s) %2$s-0107", "%1$s%2$s0107 x7", " %1$s%2$s0107  ", "+1.%1$s.%2$s.0107", "+1-%1$s-%2$s-0107 x123",
    "+%1$s%2$s0107", "%1$s%2$s01071", "%1$s%2$s010", "%1$s%2$s0107 x", "%1$s%2$s0107 X12", "11%1$s%2$s0107",
    "0%1$s%2$s0107", "\t%1$s%2$s0107", "%1$s%2$s0107\n", "(%1$s %2$s-0107", "%1$s)%2$s-0107", "+1  %1$s %2$s 0107",
]


def test_inline_forms_give_the_general_result(pipeline_build, db):
    """staging.parse_nanp_phone decides its common forms inline; for those and
    their near misses it gives what staging.parse_nanp_phone_general gives
    (e164, extension and problem), on both sides of the area-code list."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            with inputs as (
                select format(form, lpad(npa::text, 3, '0'), exchange) as value
                from unnest(%s::text[]) as form, generate_series(0, 999) as npa,
                     unnest(array['055', '155', '255', '955']) as exchange
            )
            select count(*),
                   count(*) filter (where staging.parse_nanp_phone(value) is distinct from
                                          staging.parse_nanp_phone_general(value)),
                   count(*) filter (where (staging.parse_nanp_phone(value)).e164 is not null),
                   count(*) filter (where (staging.parse_nanp_phone(value)).problem = 'INVALID_NUMBER')
            from inputs
            """,
            [INLINE_FORMS],
        )
        total, differing, accepted, invalid = cursor.fetchone()
    assert total == len(INLINE_FORMS) * 4000
    assert differing == 0
    assert accepted and invalid


def test_area_code_function_holds_the_seed(pipeline_build, db):
    """staging.is_nanp_area_code, written from reference.area_code_zones when
    the seed is loaded, accepts exactly the seed's area codes."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            select count(*) filter (where staging.is_nanp_area_code(code)),
                   count(*) filter (where staging.is_nanp_area_code(code) is distinct from
                                          exists (select 1 from reference.area_code_zones as a where a.npa = code))
            from (select lpad(n::text, 3, '0') as code from generate_series(0, 999) as n) as codes
            """
        )
        accepted, differing = cursor.fetchone()
        cursor.execute("select count(*) from reference.area_code_zones")
        assert accepted == cursor.fetchone()[0] > 300
    assert differing == 0
