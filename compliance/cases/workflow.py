"""The case lifecycle: every change to a case goes through these functions,
whatever the entry point (web UI, admin, API, management commands).

Status moves only along :data:`TRANSITIONS`: ``new`` → ``triaged``
→ ``in_review`` → ``closed``; ``closed`` → ``reopened`` → ``in_review``.
Closing needs a resolution and a closing note; reopening needs a note.
Each change is made under a row lock (``SELECT ... FOR UPDATE``) and written
with an audit :class:`~compliance.models.CaseEvent` in the same transaction,
inside a django-pghistory context naming the actor and the source, so the
trigger-written row history (CaseHistory, CaseNoteHistory) says who and how.
A caller that passes the ``version`` it showed the user gets
:class:`CaseConflictError` when someone changed the case since: the second
of two auditors saving the same case is told, and nothing is lost.
"""

from dataclasses import dataclass

import pghistory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from compliance.models import Case, CaseEvent, CaseNote

Status = Case.Status


class CaseActionError(Exception):
    """The action is not allowed on the case in its current state."""


class CaseConflictError(CaseActionError):
    """The case changed since the caller read it (its version moved on)."""


class CasePermissionError(CaseActionError):
    """The user's role does not allow the action (roles: viewer,
    auditor, compliance_manager; the pipeline, ``user`` None, may act)."""


@dataclass(frozen=True)
class Transition:
    """A status change: its name (the URL and audit action), the statuses it
    starts from, the status it leads to, the button label and the permission
    it needs (``triage_case`` also needs the case unassigned or the user's own,
    unless the user may ``assign_case``)."""

    name: str
    sources: tuple[str, ...]
    target: str
    label: str
    permission: str


TRANSITIONS = {
    t.name: t
    for t in (
        Transition("triage", (Status.NEW,), Status.TRIAGED, "Mark triaged", "triage_case"),
        Transition("start_review", (Status.TRIAGED, Status.REOPENED), Status.IN_REVIEW, "Start review",
                   "triage_case"),
        Transition("close", (Status.IN_REVIEW,), Status.CLOSED, "Close", "close_case"),
        Transition("reopen", (Status.CLOSED,), Status.REOPENED, "Reopen", "reopen_case"),
    )
}


MAX_NOTE_LENGTH = 10_000


def note_text(body: str, when_blank: str = "A note cannot be empty.") -> str:
    """``body`` stripped. Raises :class:`CaseActionError` (``when_blank``) if
    it is blank, or if it is longer than :data:`MAX_NOTE_LENGTH` characters."""
    body = body.strip()
    if not body:
        raise CaseActionError(when_blank)
    if len(body) > MAX_NOTE_LENGTH:
        raise CaseActionError(f"A note is limited to {MAX_NOTE_LENGTH:,} characters (this one has {len(body):,}).")
    return body


def audited(user: AbstractBaseUser | None, source: str) -> pghistory.context:
    """The pghistory context of a change: who (``actor``) and through what (``source``)."""
    return pghistory.context(actor=user.get_username() if user else None, source=source)


def may(user: AbstractBaseUser | None, permission: str, case: Case | None = None) -> bool:
    """Whether ``user`` holds ``compliance.<permission>`` (for ``triage_case``
    on ``case``: and the case is unassigned or theirs, or they may assign).
    The pipeline (``user`` None) may do anything."""
    if user is None:
        return True
    if not user.has_perm(f"compliance.{permission}"):
        return False
    if permission == "triage_case" and case is not None and case.assignee_id not in (None, user.pk):
        return user.has_perm("compliance.assign_case")
    return True


def require(user: AbstractBaseUser | None, permission: str, case: Case | None = None) -> None:
    """Raise :class:`CasePermissionError` unless :func:`may` allows it."""
    if may(user, permission, case):
        return
    if user.has_perm(f"compliance.{permission}"):
        raise CasePermissionError(
            f"This case is assigned to {case.assignee.get_username()}: only they or a compliance manager "
            "can work on it.")
    raise CasePermissionError(f"Your role does not allow this ({permission.replace('_', ' ')}).")


def available_transitions(case: Case, user: AbstractBaseUser | None = None) -> list[Transition]:
    """The transitions allowed from the case's current status (for ``user``, if given)."""
    return [t for t in TRANSITIONS.values()
            if case.status in t.sources and (user is None or may(user, t.permission, case))]


Version = int | str | None
"""The version of a case (or note) a caller showed: an ``int``, or the text
a form posted (its hidden ``version`` field, checked by :func:`shown_version`);
``None`` only from callers that show nothing (the pipeline, scripts): no check."""


def shown_version(posted: int | str) -> int:
    """The version a form says it showed. Raises :class:`CaseConflictError`
    when it is empty or not a version number (a positive integer written in
    ASCII digits): such a form is never saved unchecked."""
    text = str(posted)
    # Only plain ASCII digits, as our forms write them (int() would also take " 1", "+1", "１", "1_0").
    version = int(text) if text.isascii() and text.isdigit() else 0
    if version < 1:
        raise CaseConflictError(
            "The form did not say which version of the case it showed: nothing was saved. Reload and try again.")
    return version


def check_version(current: int, version: Version, changed: str = "case was changed by someone else") -> None:
    """Raise :class:`CaseConflictError` if ``version`` (see :data:`Version`)
    is given and is not ``current``, or is not a version number; the message
    says "This {changed} since you opened it"."""
    if version is None:
        return
    shown = shown_version(version)
    if shown != current:
        raise CaseConflictError(
            f"This {changed} since you opened it (version {shown}, now {current}): "
            "nothing was saved. Reload the case, check the change, and try again."
        )


def locked_case(case_id: int, version: Version = None, user: AbstractBaseUser | None = None,
                permission: str | None = None) -> Case:
    """The case, locked ``FOR UPDATE`` until the surrounding transaction ends.
    Checks, in this order, that ``user`` holds ``permission`` on it (when
    given; :func:`require`) and that ``version`` is its current version
    (:func:`check_version`): someone who may not act learns that first."""
    case = Case.objects.select_for_update(of=("self",)).select_related("assignee").get(pk=case_id)
    if permission:
        require(user, permission, case)
    check_version(case.version, version)
    return case


def move(case: Case, name: str) -> dict:
    """Set the new status of the locked ``case`` by transition ``name``
    (the caller checked the permission: :func:`locked_transition`); return
    the audit's ``before`` values. Raises :class:`CaseActionError`, naming
    the allowed moves, when the case's status is not one it starts from."""
    transition = TRANSITIONS[name]
    if case.status not in transition.sources:
        allowed = ", ".join(f"'{t.label}'" for t in available_transitions(case)) or "none"
        needed = " or ".join(Status(source).label.lower() for source in transition.sources)
        raise CaseActionError(
            f"A case that is {case.get_status_display().lower()} cannot be moved by '{transition.label}' "
            f"(that needs a case that is {needed}); allowed now: {allowed}."
        )
    before = {"status": case.status, "resolution": case.resolution}
    case.status = transition.target
    return before


def locked_transition(case_id: int, name: str, user: AbstractBaseUser | None, version: Version) -> tuple[Case, dict]:
    """Lock the case, check the permission of transition ``name`` and the
    version (:func:`locked_case`), then :func:`move` it; return the case and
    the audit's ``before`` values."""
    case = locked_case(case_id, version, user, TRANSITIONS[name].permission)
    return case, move(case, name)


def save(case: Case, user, action: str, source: str, before: dict, after: dict, fields: list[str]) -> Case:
    """Bump the version, save ``fields`` and record the audit event."""
    case.version += 1
    case.save(update_fields=[*fields, "version", "updated_at"])
    record(case, user, action, source, before, after)
    return case


def triage_case(case_id: int, user: AbstractBaseUser, version: Version = None,
                source: str = CaseEvent.Source.WEB) -> Case:
    """``new`` → ``triaged``. Raises :class:`CaseActionError` from any other status."""
    with transaction.atomic(), audited(user, source):
        case, before = locked_transition(case_id, "triage", user, version)
        return save(case, user, "triage", source, before, {"status": case.status}, ["status"])


def start_review(case_id: int, user: AbstractBaseUser, version: Version = None,
                 source: str = CaseEvent.Source.WEB) -> Case:
    """``triaged`` or ``reopened`` → ``in_review``."""
    with transaction.atomic(), audited(user, source):
        case, before = locked_transition(case_id, "start_review", user, version)
        return save(case, user, "start_review", source, before, {"status": case.status}, ["status"])


def close_case(case_id: int, user: AbstractBaseUser, resolution: str, note: str, version: Version = None,
               source: str = CaseEvent.Source.WEB) -> Case:
    """``in_review`` → ``closed`` by ``user`` with a ``resolution`` (one of
    :data:`Case.PERSON_RESOLUTIONS`) and a closing note; the case records
    ``user`` as ``closed_by``. Raises :class:`CaseActionError` if the
    resolution is unknown or the pipeline's own, the note is blank or the
    case is not in review."""
    resolution = person_resolution(resolution)
    note = note_text(note, "Closing a case needs a note saying why.")
    with transaction.atomic(), audited(user, source):
        case, before = locked_transition(case_id, "close", user, version)
        note_obj = CaseNote.objects.create(case=case, author=user, body=note)
        case.resolution = resolution
        case.closed_at = timezone.now()
        case.closed_by, case.closed_by_run, case.reopened_by = user, None, None
        return save(case, user, "close", source, before,
                    {"status": case.status, "resolution": resolution, "note": note_obj.pk},
                    ["status", "resolution", "closed_at", "closed_by", "closed_by_run", "reopened_by"])


def person_resolution(resolution: str) -> str:
    """``resolution`` if a person may close a case with it; else
    :class:`CaseActionError` (``no_longer_detected`` is the pipeline's: a
    case closed with it by a person would be reopened by the next run)."""
    if resolution == Case.Resolution.NO_LONGER_DETECTED:
        raise CaseActionError(
            "'No longer detected' is set only by the pipeline when a violation leaves the mart; "
            "choose the resolution you decided (for example false positive or remediated).")
    if resolution not in Case.PERSON_RESOLUTIONS:
        raise CaseActionError(f"Unknown resolution {resolution!r}.")
    return resolution


def reopen_case(case_id: int, user: AbstractBaseUser, note: str, version: Version = None,
                source: str = CaseEvent.Source.WEB) -> Case:
    """``closed`` → ``reopened``, with a note saying why; the resolution and
    the closer are cleared and ``user`` recorded as ``reopened_by``: the
    pipeline then leaves the case open, detected or not, until a person
    closes it."""
    note = note_text(note, "Reopening a case needs a note saying why.")
    with transaction.atomic(), audited(user, source):
        case, before = locked_transition(case_id, "reopen", user, version)
        note_obj = CaseNote.objects.create(case=case, author=user, body=note)
        case.resolution = ""
        case.closed_at = None
        case.closed_by, case.closed_by_run, case.reopened_by = None, None, user
        return save(case, user, "reopen", source, before,
                    {"status": case.status, "resolution": "", "note": note_obj.pk},
                    ["status", "resolution", "closed_at", "closed_by", "closed_by_run", "reopened_by"])


def assignable_users() -> QuerySet:
    """Active users who may work on cases (``triage_case`` through a group or
    their own permissions, or superusers): the only possible assignees."""
    may_work = (Q(is_superuser=True) | Q(groups__permissions__codename="triage_case")
                | Q(user_permissions__codename="triage_case"))
    return get_user_model().objects.filter(may_work, is_active=True).distinct().order_by("username")


def assign_case(case_id: int, user: AbstractBaseUser, assignee: AbstractBaseUser, version: Version = None,
                source: str = CaseEvent.Source.WEB) -> Case:
    """Assign the case to ``assignee``. Assigning to oneself needs
    ``triage_case`` (on an unassigned or one's own case), to anyone else
    ``assign_case``. Raises :class:`CaseActionError` on a closed case or an
    assignee who may not work on cases (a viewer, an inactive user)."""
    with transaction.atomic(), audited(user, source):
        case = locked_case(case_id, version, user, "triage_case" if assignee.pk == user.pk else "assign_case")
        if case.status == Status.CLOSED:
            raise CaseActionError("This case is closed; reopen it before assigning it.")
        if not assignable_users().filter(pk=assignee.pk).exists():
            raise CaseActionError(f"{assignee.get_username()} cannot work on cases (read-only role or inactive).")
        if case.assignee_id == assignee.pk:
            return case
        before = {"assignee": case.assignee.get_username() if case.assignee else None}
        case.assignee = assignee
        return save(case, user, "assign", source, before, {"assignee": assignee.get_username()}, ["assignee"])


def claim_case(case_id: int, user: AbstractBaseUser, version: Version = None,
               source: str = CaseEvent.Source.WEB) -> Case:
    """"Assign to me": :func:`assign_case` to ``user``."""
    return assign_case(case_id, user, user, version, source)


def add_note(case_id: int, user: AbstractBaseUser, body: str, internal: bool = False,
             source: str = CaseEvent.Source.WEB) -> CaseNote:
    """Append a note to the case (``internal``: for the compliance team only).
    Raises :class:`CaseActionError` if ``body`` is blank."""
    body = note_text(body)
    with transaction.atomic(), audited(user, source):
        case = locked_case(case_id)
        require(user, "add_casenote")
        note = CaseNote.objects.create(case=case, author=user, body=body, internal=internal)
        record(case, user, "note_added", source, {}, {"note": note.pk, "internal": internal})
    return note


def edit_note(note_id: int, user: AbstractBaseUser, body: str, version: Version = None,
              source: str = CaseEvent.Source.WEB) -> CaseNote:
    """Replace the text of one of ``user``'s own notes; the earlier text stays
    in the note's row history (CaseNoteHistory); the audit event names the
    note and its versions (not the text: an internal note's text is not for
    everyone who reads the case's history).
    Raises :class:`CasePermissionError` unless ``user`` wrote the note (the
    pipeline's notes are not editable), :class:`CaseActionError` if ``body``
    is blank or the case is closed (its notes are then the record of the
    decision: reopen it first), :class:`CaseConflictError` if the note
    changed since ``version``."""
    body = note_text(body)
    with transaction.atomic(), audited(user, source):
        note = CaseNote.objects.select_for_update(of=("self",)).select_related("case").get(pk=note_id)
        require(user, "add_casenote")
        if note.author_id != user.pk:
            raise CasePermissionError("Only the note's author can edit it.")
        if note.case.status == Status.CLOSED:
            raise CaseActionError("The case is closed: its notes are the record of the decision. "
                                  "Reopen the case to add to them.")
        check_version(note.version, version, "note was edited")
        if body == note.body:
            return note
        before = {"note": note.pk, "note_version": note.version}
        note.body, note.edited_at, note.version = body, timezone.now(), note.version + 1
        note.save(update_fields=["body", "edited_at", "version"])
        record(note.case, user, "note_edited", source, before, {"note": note.pk, "note_version": note.version})
    return note


def record(case: Case, user: AbstractBaseUser | None, action: str, source: str, before: dict, after: dict) -> None:
    """Write one audit event for ``case``."""
    CaseEvent.objects.create(case=case, actor=user, action=action, source=source, before=before, after=after)
