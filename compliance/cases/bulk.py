"""Bulk actions on many cases at once: a manager assigns, moves or closes
every case of a filtered list with one note. One set-based statement per
operation (:mod:`.moves`), never a Python loop over cases; a status move
sets the fields of its transition's one definition (:mod:`.transitions`),
as the case page does. One audit event per case (``bulk_<action>``)
naming the :class:`~compliance.models.BulkOperation`, which records the
operation itself. A case whose status the action does not start from is
skipped and counted, never forced.
"""

import pghistory
from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction
from django.db.models import QuerySet

from compliance.cases.moves import move_cases, transition_cases
from compliance.cases.refusals import CaseActionError, note_text
from compliance.cases.transitions import AUDITED_SQL, OPEN_STATUSES, TRANSITIONS, By
from compliance.cases.workflow import assignable_users, audited, require
from compliance.models import BulkOperation, CaseEvent

BULK_ACTIONS = {"assign": "Assign to", **{t.name: t.label for t in TRANSITIONS.values()}}
"""The bulk actions (assignment and every transition) with their labels (the bulk form's choices)."""

# The selected cases (%(ids)s) whose status the action starts from; a join:
# `= any(array)` over the ids would be a linear scan.
CHOSEN = """
select c.id, {before} as before
from compliance_case c
inner join unnest(%(ids)s::bigint[]) as selected(id) on selected.id = c.id
where c.status = any(%(sources)s)
for update of c
"""
ASSIGNEE = "jsonb_build_object('assignee', (select username from auth_user u where u.id = c.assignee_id))"


def applies_to(action: str) -> str:
    """The statuses ``action`` changes a case in, as words (a skipped case is in none of them)."""
    return TRANSITIONS[action].applies_to if action in TRANSITIONS else "open (not closed)"


def bulk_change(cases: QuerySet, user: AbstractBaseUser, action: str, note: str, *, selection: str = "",
                resolution: str = "", assignee: AbstractBaseUser | None = None,
                source: str = CaseEvent.Source.WEB) -> BulkOperation:
    """Apply ``action`` (``assign`` to ``assignee``, or a transition name of
    :data:`~compliance.cases.transitions.TRANSITIONS`; ``close`` needs a
    ``resolution``) to every case of ``cases`` with ``note`` (always needed:
    it is the record of the operation). Needs the ``bulk_change_case``
    permission and the action's own. Returns the recorded operation.
    Raises :class:`~compliance.cases.refusals.CaseActionError` on a bad request."""
    if action not in BULK_ACTIONS:
        raise CaseActionError(f"Unknown bulk action {action!r}.")
    note = note_text(note, "A bulk change needs a note saying why.")
    require(user, "bulk_change_case")
    if action == "assign":
        require(user, "assign_case")
        if assignee is None or not assignable_users().filter(pk=assignee.pk).exists():
            raise CaseActionError("Choose a user who can work on cases to assign them to.")
    else:
        require(user, TRANSITIONS[action].permission)
        resolution = TRANSITIONS[action].person_resolution(resolution)
    with transaction.atomic(), audited(user, source):
        ids = list(cases.values_list("pk", flat=True))
        operation = BulkOperation.objects.create(
            actor=user, action=action, note=note, selection=selection, requested=len(ids), source=source,
            parameters={"resolution": resolution, "assignee": assignee.get_username() if assignee else None},
        )
        event = {"action": f"bulk_{action}", "source": source, "note": note,
                 "context": {"bulk_operation": operation.pk}}
        with pghistory.context(bulk_operation=operation.pk), connection.cursor() as cursor:
            if action == "assign":
                operation.changed = move_cases(
                    cursor, chosen=CHOSEN.format(before=ASSIGNEE), assignments="assignee_id = %(assignee_id)s",
                    after=ASSIGNEE, params={"ids": ids, "assignee_id": assignee.pk, "sources": list(OPEN_STATUSES)},
                    actor_id=user.pk, **event)
            else:
                transition = TRANSITIONS[action]
                operation.changed = transition_cases(
                    cursor, transition, chosen=CHOSEN.format(before=AUDITED_SQL), sources=transition.sources,
                    by=By(person_id=user.pk, resolution=resolution), params={"ids": ids}, **event)
        operation.save(update_fields=["changed"])
    return operation
