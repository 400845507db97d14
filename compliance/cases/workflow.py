"""The case lifecycle: every change to one case goes through these functions,
whatever the entry point (web UI, admin, API, management commands).

Status moves only by :data:`~compliance.cases.transitions.TRANSITIONS`,
each transition defined once there (:func:`transition_case` makes it on
one case; bulk actions and the case sync make it set-based from the same
definition): ``new`` → ``triaged`` → ``in_review`` → ``closed``;
``closed`` → ``reopened`` → ``in_review``. Closing needs a resolution and
a closing note; reopening needs a note. Who may do what: :func:`may`.
Each change is made under a row lock (``SELECT ... FOR UPDATE``) and written
with an audit :class:`~compliance.models.CaseEvent` in the same transaction,
inside a django-pghistory context naming the actor and the source, so the
trigger-written row history (CaseHistory, CaseNoteHistory) says who and how.
A caller that passes the ``version`` it showed the user gets
:class:`CaseConflictError` when someone changed the case since: the second
of two auditors saving the same case is told, and nothing is lost.
"""

import pghistory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from compliance.cases.refusals import CaseActionError, CaseConflictError, CasePermissionError, note_text
from compliance.cases.transitions import TRANSITIONS, By, Transition, audited_values, from_status
from compliance.models import Case, CaseEvent, CaseNote

Status = Case.Status


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
    return [t for t in from_status(case.status) if user is None or may(user, t.permission, case)]


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


def save(case: Case, user, action: str, source: str, before: dict, after: dict, fields: list[str]) -> Case:
    """Bump the version, save ``fields`` and record the audit event."""
    case.version += 1
    case.save(update_fields=[*fields, "version", "updated_at"])
    record(case, user, action, source, before, after)
    return case


def transition_case(case_id: int, name: str, user: AbstractBaseUser | None, version: Version = None, *,
                    resolution: str = "", note: str = "", source: str = CaseEvent.Source.WEB) -> Case:
    """Move one case by transition ``name`` of :data:`TRANSITIONS` (its one
    definition: the case page and admin come here, bulk actions and the
    sync apply the same fields set-based): check ``resolution`` (when it
    takes one: a person's) and ``note`` (when it needs one), lock the case,
    check the permission and ``version``, refuse a status it does not start
    from (naming the allowed moves), write the note, set the transition's
    fields (``user`` as the person) and the audit event, whose ``before``
    and ``after`` are :data:`~compliance.cases.transitions.AUDITED` (and the
    note's id). Raises :class:`CaseActionError` (or its conflict and
    permission kinds)."""
    transition = TRANSITIONS[name]
    resolution = transition.person_resolution(resolution)
    note = note_text(note, transition.note.when_blank) if transition.note else None
    with transaction.atomic(), audited(user, source):
        case = locked_case(case_id, version, user, transition.permission)
        if refusal := transition.refusal(case.status):
            raise CaseActionError(refusal)
        before = audited_values(case)
        noted = {"note": CaseNote.objects.create(case=case, author=user, body=note).pk} if note else {}
        transition.apply(case, By(person_id=user.pk if user else None, resolution=resolution))
        return save(case, user, name, source, before, {**audited_values(case), **noted}, transition.field_names)


def triage_case(case_id: int, user: AbstractBaseUser, version: Version = None,
                source: str = CaseEvent.Source.WEB) -> Case:
    """``new`` → ``triaged`` (:func:`transition_case`)."""
    return transition_case(case_id, "triage", user, version, source=source)


def start_review(case_id: int, user: AbstractBaseUser, version: Version = None,
                 source: str = CaseEvent.Source.WEB) -> Case:
    """``triaged`` or ``reopened`` → ``in_review`` (:func:`transition_case`)."""
    return transition_case(case_id, "start_review", user, version, source=source)


def close_case(case_id: int, user: AbstractBaseUser, resolution: str, note: str, version: Version = None,
               source: str = CaseEvent.Source.WEB) -> Case:
    """``in_review`` → ``closed`` by ``user`` with a ``resolution`` (one of
    :data:`Case.PERSON_RESOLUTIONS`) and a closing note; the case records
    ``user`` as ``closed_by`` (:func:`transition_case`)."""
    return transition_case(case_id, "close", user, version, resolution=resolution, note=note, source=source)


def reopen_case(case_id: int, user: AbstractBaseUser, note: str, version: Version = None,
                source: str = CaseEvent.Source.WEB) -> Case:
    """``closed`` → ``reopened``, with a note saying why; the resolution and
    the closer are cleared and ``user`` recorded as ``reopened_by``: the
    pipeline then leaves the case open, detected or not, until a person
    closes it (:func:`transition_case`)."""
    return transition_case(case_id, "reopen", user, version, note=note, source=source)


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
        if refusal := note_edit_refusal(user, note, note.case.status):
            raise refusal
        check_version(note.version, version, "note was edited")
        if body == note.body:
            return note
        before = {"note": note.pk, "note_version": note.version}
        note.body, note.edited_at, note.version = body, timezone.now(), note.version + 1
        note.save(update_fields=["body", "edited_at", "version"])
        record(note.case, user, "note_edited", source, before, {"note": note.pk, "note_version": note.version})
    return note


def note_edit_refusal(user: AbstractBaseUser, note: CaseNote, status: str) -> CaseActionError | None:
    """Why ``user`` may not edit ``note`` of a case that is ``status`` (the
    error :func:`edit_note` raises), or None when they may."""
    try:
        require(user, "add_casenote")
    except CasePermissionError as refused:
        return refused
    if note.author_id != user.pk:
        return CasePermissionError("Only the note's author can edit it.")
    if status == Status.CLOSED:
        return CaseActionError("The case is closed: its notes are the record of the decision. "
                               "Reopen the case to add to them.")
    return None


def record(case: Case, user: AbstractBaseUser | None, action: str, source: str, before: dict, after: dict) -> None:
    """Write one audit event for ``case``."""
    CaseEvent.objects.create(case=case, actor=user, action=action, source=source, before=before, after=after)
