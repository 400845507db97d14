"""A case's evidence then and now: the mart row kept on the case
when it was opened (``Case.evidence``) beside the row the latest build has for
the same ``violation_id``, so a rebuild can never silently change what the
auditor saw."""

import json
import re
from dataclasses import dataclass
from datetime import datetime, timezone

from django.db import connection

from compliance.db_types import clamped_datetime, lies_after
from compliance.models import Case, ComplianceViolation, ExactDecimalDecoder

# An ISO 8601 text ending with its UTC offset (then BC, perhaps), as to_jsonb writes a timestamptz.
WITH_OFFSET = re.compile(r"(Z|[+-]\d{2}(:?\d{2})?)( BC)?$")


@dataclass(frozen=True)
class EvidenceChange:
    """One mart column whose value differs: as seen at opening, and now
    (``None`` where the column is missing on one side)."""

    field: str
    then: object
    now: object

    @property
    def then_shown(self) -> str:
        return shown(self.then)

    @property
    def now_shown(self) -> str:
        return shown(self.now)

    def shown_with(self, show) -> "EvidenceChange":
        """This change with both values passed through ``show`` (text → text,
        e.g. :func:`compliance.web.masking.evidence_masker`'s), as text."""
        return EvidenceChange(self.field, show(self.then_shown), show(self.now_shown))


def shown(value) -> str:
    """An evidence value as text: lists joined by commas, a missing value empty."""
    if value is None:
        return ""
    return ", ".join(map(str, value)) if isinstance(value, list) else str(value)


def current_evidence(case: Case) -> dict | None:
    """The case's violation as the latest mart has it, in the same shape as
    ``Case.evidence`` (the row as JSON, numbers as exact decimals), or None
    when the latest build no longer produces it."""
    with connection.cursor() as cursor:
        mart = connection.ops.quote_name(ComplianceViolation._meta.db_table)
        cursor.execute(f"select to_jsonb(m)::text from {mart} m where m.violation_id = %s", [case.violation_id])
        row = cursor.fetchone()
    return json.loads(row[0], cls=ExactDecimalDecoder) if row else None


def evidence_changes(then: dict, now: dict) -> list[EvidenceChange]:
    """The columns whose values differ between two evidence rows, in the order of ``then``."""
    fields = list(then) + [name for name in now if name not in then]
    return [EvidenceChange(name, then.get(name), now.get(name)) for name in fields
            if then.get(name) != now.get(name)]


def evidence_time(value: str | None) -> datetime | None:
    """A timestamp of the evidence JSON (ISO 8601, as ``to_jsonb`` wrote it)
    as a datetime. A value Python cannot hold (year 10000 and later,
    ``infinity``, BC: the database stores them) reads as its clamped stand-in,
    whose ``out_of_range`` says so, as the database adapter does for columns
    (:mod:`compliance.db_types`); a case opened before such timestamps were
    quarantined may hold one."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        after = lies_after(value.encode(), binary=False)
        if after is None:
            raise
        return clamped_datetime(after, timezone.utc if WITH_OFFSET.search(value) else None)
