"""Masking of identifiers for the ``viewer`` role: users without
``compliance.view_identifiers`` see lead, attempt, consent, opt-out and debt
ids, phone hashes and phone numbers masked, in lists, case pages, rule
details and notes alike.

Two kinds of text, masked two ways:

* a mart row's ``details`` is built by dbt from parts; the row lists the
  identifiers it names (its ``lead_id``, ``attempt_id`` and
  ``detail_identifiers``), and exactly those are masked
  (:func:`mask_identifiers`), never guessed by pattern;
* free text (notes, typed by people) is masked with the case's identifiers
  as above, and searched: phone numbers in any common format by the
  ``phonenumbers`` library's matcher (``(202) 555-0123``, ``202-555-0123``,
  ``+1 202 555 0123``, ``2025550123``), then any ten digits in 3-3-4 groups
  it passed over, phone hashes as runs of 12 or more hex digits
  (:func:`mask_text`). An identifier of another case typed into a note is not
  known to be one and stays as typed.
"""

import re
from collections.abc import Callable, Iterable

import phonenumbers

# Hex runs of 12+ characters, wherever they stand (``0x…``, ``hash_…``): phone
# hashes, whole or abbreviated (``163a4a833880...``).
HASH = re.compile(r"(?<![0-9a-fA-F])[0-9a-fA-F]{12,}(?![0-9a-fA-F])")
# Ten digits in the NANP's 3-3-4 groups, with or without +1, parentheses and
# separators (space, dot, dash, en or em dash, underscore, slash): what the
# matcher passes over in some contexts (after a date, in a numbered list).
NANP = re.compile(r"(?<!\d)(?:\+?1[\s._/\-–—]*)?\(?\d{3}\)?[\s._/\-–—]*\d{3}[\s._/\-–—]*\d{4}(?!\d)")
MASK = "•••"
# Numbers written without a country code are read as US numbers; POSSIBLE
# (not VALID) so that fictional and unassigned numbers are masked too.
DEFAULT_REGION = "US"


def mask_phone_numbers(text: str) -> str:
    """``text`` with every phone number the ``phonenumbers`` matcher finds replaced by •••."""
    pieces, end = [], 0
    for match in phonenumbers.PhoneNumberMatcher(text, DEFAULT_REGION, leniency=phonenumbers.Leniency.POSSIBLE):
        pieces += [text[end:match.start], MASK]
        end = match.end
    return "".join(pieces) + text[end:]


def mask_text(text: str) -> str:
    """Free text with every phone hash and phone number replaced by •••: the
    ``phonenumbers`` matcher first, then any ten digits in 3-3-4 groups it
    passed over (:data:`NANP`)."""
    return NANP.sub(MASK, mask_phone_numbers(HASH.sub(MASK, text)))


def mask_id(value: str) -> str:
    """An identifier shown by its first two characters only (``L0•••``)."""
    return f"{value[:2]}{MASK}" if value else value


def mask_identifiers(text: str, identifiers: Iterable[str]) -> str:
    """``text`` with each exact occurrence of each of ``identifiers`` shown
    as :func:`mask_id` (longest first, so an id inside a longer one is
    not left half-visible)."""
    for identifier in sorted({i for i in identifiers if i}, key=len, reverse=True):
        text = text.replace(identifier, mask_id(identifier))
    return text


def row_identifiers(*rows: dict | None) -> set[str]:
    """The identifiers a mart row (or a case's evidence) names: ``lead_id``,
    ``attempt_id`` and its ``detail_identifiers`` (absent in rows kept
    before that column existed), of every row given."""
    found: set[str] = set()
    for row in filter(None, rows):
        found.update(str(row[key]) for key in ("lead_id", "attempt_id") if row.get(key))
        found.update(map(str, row.get("detail_identifiers") or ()))
    return found


def can_see_identifiers(user) -> bool:
    return user.has_perm("compliance.view_identifiers")


def evidence_masker(user, *rows: dict | None) -> Callable[[str], str]:
    """A function showing text about ``rows`` to ``user``: unchanged for users
    who may see identifiers; else with the rows' identifiers masked
    (:func:`mask_identifiers`) and any phone number or hash too (:func:`mask_text`)."""
    if can_see_identifiers(user):
        return str
    identifiers = row_identifiers(*rows)
    return lambda text: mask_text(mask_identifiers(str(text), identifiers))
