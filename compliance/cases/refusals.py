"""Why a change to a case is refused: the errors every entry point turns
into a message (web, admin, bulk), and the checks of what a person typed
(a note, a resolution) that the transitions, notes and bulk actions share.
"""

from compliance.models import Case


class CaseActionError(Exception):
    """The action is not allowed on the case in its current state."""


class CaseConflictError(CaseActionError):
    """The case changed since the caller read it (its version moved on)."""


class CasePermissionError(CaseActionError):
    """The user's role does not allow the action (roles viewer, auditor,
    compliance_manager: ``manage.py create_role_user``; the pipeline, ``user``
    None, may act)."""


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
