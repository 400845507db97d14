"""Masking of identifiers for the ``viewer`` role (issue #5): users without
``compliance.view_identifiers`` see lead and attempt ids, phone hashes and
phone numbers masked, in lists, case pages and rule details alike."""

import re

# Hex runs of 12+ characters (phone hashes, whole or abbreviated) and E.164 numbers.
HASH = re.compile(r"\b[0-9a-fA-F]{12,}\b")
E164 = re.compile(r"\+\d{8,15}\b")
MASK = "•••"


def mask_text(text: str) -> str:
    """``text`` with every phone hash and phone number replaced by •••."""
    return E164.sub(MASK, HASH.sub(MASK, text))


def mask_id(value: str) -> str:
    """An identifier shown by its first two characters only (``L0•••``)."""
    return f"{value[:2]}{MASK}" if value else value


def can_see_identifiers(user) -> bool:
    return user.has_perm("compliance.view_identifiers")
