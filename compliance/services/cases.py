"""Auditor actions on a case: claim, note, close. Every entry point (web UI,
admin) goes through these functions; each change is written with an audit
:class:`~compliance.models.CaseEvent` in the same transaction, under a row lock
so two auditors cannot overwrite each other.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from compliance.models import Case, CaseEvent, CaseNote


class CaseActionError(Exception):
    """The action is not allowed on the case in its current state."""


def locked_case(case_id: int) -> Case:
    """The case, locked ``FOR UPDATE`` until the surrounding transaction ends."""
    return Case.objects.select_for_update().get(pk=case_id)


def claim_case(case_id: int, user: AbstractBaseUser, source: str = CaseEvent.Source.WEB) -> Case:
    """Assign the case to ``user``; a ``new`` case becomes ``triaged``.
    Raises :class:`CaseActionError` on a closed case."""
    with transaction.atomic():
        case = locked_case(case_id)
        if case.status == Case.Status.CLOSED:
            raise CaseActionError("This case is closed; it cannot be assigned.")
        before = {"assignee": case.assignee.get_username() if case.assignee else None, "status": case.status}
        case.assignee = user
        if case.status == Case.Status.NEW:
            case.status = Case.Status.TRIAGED
        case.save(update_fields=["assignee", "status", "updated_at"])
        record(case, user, "assigned", source, before, {"assignee": user.get_username(), "status": case.status})
    return case


def add_note(case_id: int, user: AbstractBaseUser, body: str, source: str = CaseEvent.Source.WEB) -> CaseNote:
    """Append a note to the case. Raises :class:`CaseActionError` if ``body`` is blank."""
    body = body.strip()
    if not body:
        raise CaseActionError("A note cannot be empty.")
    with transaction.atomic():
        case = locked_case(case_id)
        note = CaseNote.objects.create(case=case, author=user, body=body)
        record(case, user, "note_added", source, {}, {"note": note.pk})
    return note


def close_case(
    case_id: int, user: AbstractBaseUser, resolution: str, note: str, source: str = CaseEvent.Source.WEB
) -> Case:
    """Close the case with a ``resolution`` (a :class:`Case.Resolution` value)
    and a closing note. Raises :class:`CaseActionError` if the case is already
    closed, the resolution is unknown or the note is blank."""
    if resolution not in Case.Resolution.values:
        raise CaseActionError(f"Unknown resolution {resolution!r}.")
    if not note.strip():
        raise CaseActionError("Closing a case needs a note saying why.")
    with transaction.atomic():
        case = locked_case(case_id)
        if case.status == Case.Status.CLOSED:
            raise CaseActionError("This case is already closed.")
        before = {"status": case.status, "resolution": case.resolution}
        note_obj = CaseNote.objects.create(case=case, author=user, body=note.strip())
        case.status = Case.Status.CLOSED
        case.resolution = resolution
        case.closed_at = timezone.now()
        case.save(update_fields=["status", "resolution", "closed_at", "updated_at"])
        record(case, user, "closed", source, before,
               {"status": case.status, "resolution": resolution, "note": note_obj.pk})
    return case


def record(case: Case, user: AbstractBaseUser | None, action: str, source: str, before: dict, after: dict) -> None:
    """Write one audit event for ``case``."""
    CaseEvent.objects.create(case=case, actor=user, action=action, source=source, before=before, after=after)
