"""The case transitions, each defined once (:data:`TRANSITIONS`): the
statuses a person moves a case from, the statuses the pipeline's case sync
moves it from, the status it leads to, every field it sets, the note it
needs (the note field's label and the refusal of a blank one), whether it
takes a resolution, its button label and its permission.

Every entry point moves cases by these definitions: the case page and
Django admin one case at a time (:func:`compliance.cases.workflow.transition_case`,
which sets the fields on the locked row: :meth:`Transition.apply`), bulk
actions and the case sync many at once (:func:`compliance.cases.moves.transition_cases`,
one SQL ``SET`` list generated from the same fields: :meth:`Transition.assignments`).
The forms of the case page, admin and bulk actions are built from them too
(:mod:`compliance.web.forms`). Status moves (README, "Case workflow"):
``new`` → ``triaged`` → ``in_review`` → ``closed``; ``closed`` →
``reopened`` → ``in_review``; the sync also closes a case whose violation
left the mart from any open status, and reopens the cases it closed.
"""

from dataclasses import dataclass
from enum import Enum

from django.utils import timezone

from compliance.cases.refusals import person_resolution
from compliance.models import Case

Status = Case.Status
OPEN_STATUSES = tuple(status for status in Status.values if status != Status.CLOSED)


class Given(Enum):
    """A value a transition sets that comes with the change (:class:`By`),
    not with the transition; its value is the attribute of :class:`By`
    and the name of the SQL parameter."""

    RESOLUTION = "resolution"  # the resolution chosen (a person's; the sync's no_longer_detected)
    PERSON = "person_id"  # the person making the change (None: the pipeline)
    RUN = "run_id"  # the pipeline run making it (None: a person)
    NOW = "now"  # the time of the change (SQL: the transaction's now())


@dataclass(frozen=True)
class By:
    """Who makes a change and with what: the values of :class:`Given`."""

    person_id: int | None = None
    run_id: int | None = None
    resolution: str = ""


@dataclass(frozen=True)
class NoteRule:
    """The note a transition needs: the form field's label and the refusal of a blank one."""

    label: str
    when_blank: str


@dataclass(frozen=True)
class Transition:
    """A status change. ``name`` is the URL, form choice and audit action;
    ``sources`` the statuses a person may move a case from, ``pipeline_sources``
    those the case sync moves it from (none: the sync never makes it);
    ``sets``: the fields it sets besides ``status`` (model attribute names,
    each to a constant or a :class:`Given`); ``note``: the note it needs,
    if any; ``permission``: ``compliance.<permission>`` (``triage_case`` also
    needs the case unassigned or the user's own, unless they may
    ``assign_case``: :func:`compliance.cases.workflow.may`)."""

    name: str
    sources: tuple[str, ...]
    target: str
    label: str
    permission: str
    sets: tuple[tuple[str, object], ...] = ()
    note: NoteRule | None = None
    pipeline_sources: tuple[str, ...] = ()

    @property
    def takes_resolution(self) -> bool:
        """Whether the change comes with a resolution (:attr:`Given.RESOLUTION`)."""
        return any(value is Given.RESOLUTION for _, value in self.sets)

    @property
    def fields(self) -> tuple[tuple[str, object], ...]:
        """Every field it sets, ``status`` first, with its value."""
        return (("status", self.target), *self.sets)

    @property
    def field_names(self) -> list[str]:
        """The names of :attr:`fields` (a one-case save's ``update_fields``)."""
        return [name for name, _ in self.fields]

    @property
    def applies_to(self) -> str:
        """The statuses a person may move a case from, as words ("triaged or reopened")."""
        return " or ".join(Status(source).label.lower() for source in self.sources)

    def person_resolution(self, resolution: str) -> str:
        """The resolution a person gave, checked (:func:`~compliance.cases.refusals.person_resolution`)
        when the transition takes one; else ``""``."""
        return person_resolution(resolution) if self.takes_resolution else ""

    def apply(self, case: Case, by: By) -> None:
        """Set :attr:`fields` on ``case`` (a locked row the caller saves)."""
        now = timezone.now()
        for name, value in self.fields:
            if isinstance(value, Given):
                value = now if value is Given.NOW else getattr(by, value.value)
            setattr(case, name, value)

    def assignments(self, by: By) -> tuple[str, dict]:
        """:attr:`fields` as an SQL ``SET`` list over ``compliance_case``, and
        its named parameters (a set-based move: :mod:`compliance.cases.moves`)."""
        assignments, params = [], {}
        for name, value in self.fields:
            if value is Given.NOW:
                assignments.append(f"{name} = now()")
                continue
            key = value.value if isinstance(value, Given) else f"set_{name}"
            params[key] = getattr(by, value.value) if isinstance(value, Given) else value
            assignments.append(f"{name} = %({key})s")
        return ", ".join(assignments), params

    def refusal(self, status: str) -> str | None:
        """Why a person may not move a case that is ``status`` by it (the
        moves allowed instead named), or None when they may."""
        if status in self.sources:
            return None
        allowed = ", ".join(f"'{t.label}'" for t in from_status(status)) or "none"
        return (f"A case that is {Status(status).label.lower()} cannot be moved by '{self.label}' "
                f"(that needs a case that is {self.applies_to}); allowed now: {allowed}.")


TRANSITIONS = {
    t.name: t
    for t in (
        Transition("triage", (Status.NEW,), Status.TRIAGED, "Mark triaged", "triage_case"),
        Transition("start_review", (Status.TRIAGED, Status.REOPENED), Status.IN_REVIEW, "Start review",
                   "triage_case"),
        Transition(
            "close", (Status.IN_REVIEW,), Status.CLOSED, "Close", "close_case",
            sets=(("resolution", Given.RESOLUTION), ("closed_at", Given.NOW), ("closed_by_id", Given.PERSON),
                  ("closed_by_run_id", Given.RUN), ("reopened_by_id", None)),
            note=NoteRule("Closing note", "Closing a case needs a note saying why."),
            pipeline_sources=OPEN_STATUSES,
        ),
        Transition(
            "reopen", (Status.CLOSED,), Status.REOPENED, "Reopen", "reopen_case",
            sets=(("resolution", ""), ("closed_at", None), ("closed_by_id", None), ("closed_by_run_id", None),
                  ("reopened_by_id", Given.PERSON)),
            note=NoteRule("Why reopen", "Reopening a case needs a note saying why."),
            pipeline_sources=(Status.CLOSED,),
        ),
    )
}


def from_status(status: str) -> list[Transition]:
    """The transitions a person may make from ``status`` (permissions aside)."""
    return [t for t in TRANSITIONS.values() if status in t.sources]


AUDITED = ("status", "resolution")
"""What a transition's audit event records before and after, whatever makes it."""
AUDITED_SQL = "jsonb_build_object({})".format(", ".join(f"'{name}', c.{name}" for name in AUDITED))
""":data:`AUDITED` of the case ``c`` as SQL (a set-based move's ``before`` and ``after``)."""


def audited_values(case: Case) -> dict:
    """:data:`AUDITED` of ``case`` (a one-case move's ``before`` and ``after``)."""
    return {name: getattr(case, name) for name in AUDITED}
