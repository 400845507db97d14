"""Phone identity: who was contacted, as one canonical string and one hash.

Contract ``cci-phone-v1`` (docs/data-contract.md):

1. Normalize: Unicode NFKC (full-width digits, non-breaking spaces), parse
   with ``phonenumbers`` in default region US; vanity letters become digits;
   an extension is kept apart. Only valid NANP numbers (country code 1) are
   accepted; anything else is rejected with the library's reason, never
   hashed as-is.
2. Canonical form: E.164, e.g. ``+12125550107`` (no extension).
3. Hash: lowercase hex SHA-256 of the UTF-8 canonical form, or HMAC-SHA-256
   with a configured key. Pre-hashed input is compared after
   :func:`normalize_hash` (NFKC, whitespace removed, lowercase).

The same steps exist in SQL for dbt staging (``staging.normalize_nanp_phone``
and ``staging.phone_hash_v1`` in dbt/macros/phone_identity.sql); tests hold the
two to the same result.
"""

import hashlib
import hmac
import re
import unicodedata
from dataclasses import dataclass

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, ValidationResult

HEX_DIGEST = re.compile(r"[0-9a-f]{64}")
PARSE_ERRORS = {value: name for name, value in vars(NumberParseException).items() if name.isupper()}


class PhoneRejected(ValueError):
    """Input that is not a valid NANP phone number. ``reason`` is the
    library's verdict (e.g. ``TOO_SHORT``, ``NOT_A_NUMBER``, ``not_nanp``)."""

    def __init__(self, raw: str, reason: str):
        super().__init__(f"{raw!r} is not a valid NANP phone number ({reason})")
        self.raw, self.reason = raw, reason


@dataclass(frozen=True)
class Phone:
    """A normalized number: ``e164`` such as ``+12125550107``; ``extension`` or None."""

    e164: str
    extension: str | None


def normalize_phone(raw: str) -> Phone:
    """Parse ``raw`` (any common US format) into a :class:`Phone`.
    Raises :class:`PhoneRejected` for anything that is not a valid NANP number."""
    text = unicodedata.normalize("NFKC", raw).strip()
    try:
        number = phonenumbers.parse(text, "US")
    except NumberParseException as exc:
        raise PhoneRejected(raw, PARSE_ERRORS.get(exc.error_type, str(exc))) from exc
    if number.country_code != 1:
        raise PhoneRejected(raw, f"not_nanp (country code +{number.country_code})")
    possible = phonenumbers.is_possible_number_with_reason(number)
    if possible != ValidationResult.IS_POSSIBLE:
        raise PhoneRejected(raw, ValidationResult.to_string(possible))
    if not phonenumbers.is_valid_number(number):
        raise PhoneRejected(raw, "INVALID_NUMBER")
    return Phone(phonenumbers.format_number(number, PhoneNumberFormat.E164), number.extension or None)


def phone_hash(e164: str, key: bytes | None = None) -> str:
    """Contract hash of a canonical E.164 string: lowercase hex SHA-256, or
    HMAC-SHA-256 when ``key`` is given."""
    data = e164.encode("utf-8")
    if key:
        return hmac.new(key, data, hashlib.sha256).hexdigest()
    return hashlib.sha256(data).hexdigest()


def normalize_hash(text: str) -> str | None:
    """A pre-hashed value as the contract compares it: NFKC, every whitespace
    character removed (spaces, NBSP, CR, LF), lowercase; None unless it is then
    64 hex digits."""
    value = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()
    return value if HEX_DIGEST.fullmatch(value) else None
