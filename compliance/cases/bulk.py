"""Bulk actions on many cases at once: a manager assigns, moves or
closes every case of a filtered list with one note. One set-based statement
per operation (:mod:`.case_moves`), never a Python loop over cases; one
audit event per case naming the :class:`~compliance.models.BulkOperation`,
which records the operation itself. A case whose status the transition does
not start from is skipped and counted, never forced.
"""

import pghistory
from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction
from django.db.models import QuerySet

from compliance.cases.moves import move_cases
from compliance.cases.workflow import (
    TRANSITIONS,
    CaseActionError,
    assignable_users,
    audited,
    note_text,
    person_resolution,
    require,
)
from compliance.models import BulkOperation, Case, CaseEvent

BULK_ACTIONS = ("assign", *TRANSITIONS)

CHOSEN = """
select c.id, jsonb_build_object('status', c.status, 'resolution', c.resolution,
                                'assignee', (select username from auth_user u where u.id = c.assignee_id)) as before
from compliance_case c
inner join unnest(%(ids)s::bigint[]) as selected(id) on selected.id = c.id  -- a join: `= any(array)` is a linear scan
where c.status = any(%(sources)s)
for update of c
"""
AFTER = """jsonb_build_object('status', c.status, 'resolution', c.resolution,
                              'assignee', (select username from auth_user u where u.id = c.assignee_id))"""
OPEN_STATUSES = [s for s in Case.Status.values if s != Case.Status.CLOSED]


def bulk_change(cases: QuerySet, user: AbstractBaseUser, action: str, note: str, *, selection: str = "",
                resolution: str = "", assignee: AbstractBaseUser | None = None,
                source: str = CaseEvent.Source.WEB) -> BulkOperation:
    """Apply ``action`` (``assign`` to ``assignee``, or a transition name of
    :data:`~compliance.cases.workflow.TRANSITIONS`; ``close`` needs a
    ``resolution``) to every case of ``cases`` with ``note``. Needs the
    ``bulk_change_case`` permission and the action's own. Returns the
    recorded operation. Raises :class:`CaseActionError` on a bad request."""
    if action not in BULK_ACTIONS:
        raise CaseActionError(f"Unknown bulk action {action!r}.")
    note = note_text(note, "A bulk change needs a note saying why.")
    require(user, "bulk_change_case")
    assignments, params = plan(user, action, resolution, assignee)
    with transaction.atomic(), audited(user, source):
        ids = list(cases.values_list("pk", flat=True))
        operation = BulkOperation.objects.create(
            actor=user, action=action, note=note, selection=selection, requested=len(ids), source=source,
            parameters={"resolution": resolution, "assignee": assignee.get_username() if assignee else None},
        )
        with pghistory.context(bulk_operation=operation.pk), connection.cursor() as cursor:
            operation.changed = move_cases(
                cursor, chosen=CHOSEN, assignments=assignments, after=AFTER, params={"ids": ids, **params},
                action=f"bulk_{action}", source=source, note=note, actor_id=user.pk,
                context={"bulk_operation": operation.pk},
            )
        operation.save(update_fields=["changed"])
    return operation


def plan(user: AbstractBaseUser, action: str, resolution: str, assignee) -> tuple[str, dict]:
    """The SET list and parameters of ``action``, after checking ``user`` may do it."""
    if action == "assign":
        require(user, "assign_case")
        if assignee is None or not assignable_users().filter(pk=assignee.pk).exists():
            raise CaseActionError("Choose a user who can work on cases to assign them to.")
        return "assignee_id = %(assignee_id)s", {"assignee_id": assignee.pk, "sources": OPEN_STATUSES}
    transition = TRANSITIONS[action]
    require(user, transition.permission)
    params = {"sources": list(transition.sources), "target": transition.target}
    params["person_id"] = user.pk
    if action == "close":
        return ("status = %(target)s, resolution = %(resolution)s, closed_at = now(), closed_by_id = %(person_id)s, "
                "closed_by_run_id = null, reopened_by_id = null",
                {**params, "resolution": person_resolution(resolution)})
    if action == "reopen":
        return ("status = %(target)s, resolution = '', closed_at = null, closed_by_id = null, "
                "closed_by_run_id = null, reopened_by_id = %(person_id)s", params)
    return "status = %(target)s", params
