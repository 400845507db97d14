"""One set-based statement that changes many cases at once, for the case sync
(pipeline), bulk actions (managers) and SLA re-dating: the chosen cases are
locked and updated, each gets the same note and one audit event with its
before and after values, and its version grows by one. Row history
(django-pghistory) is written by the database triggers as for any other
update. A status move sets the fields of its transition's one definition
(:func:`transition_cases`, :mod:`compliance.cases.transitions`).
"""

import json

from compliance.cases.transitions import AUDITED_SQL, By, Transition

# {chosen}: SELECT of `id` and `before` (jsonb) ... FOR UPDATE OF c;
# {assignments}: SET list; {after}: jsonb of the new values (c = the updated row).
# All three are SQL written in this package, never user input.
# Each moved case draws its note's id from the notes' sequence, so the note
# and the event are written from `moved` alone: joining the inserted notes
# back to `moved` lets the planner, which estimates one row for a CTE, pick a
# nested loop that is quadratic in the number of cases (20 min for 100,000).
MOVE_CASES = """
with chosen as ({chosen}),
moved as (
    update compliance_case c
    set {assignments}, version = c.version + 1, updated_at = now()
    from chosen
    where c.id = chosen.id
    returning c.id, chosen.before, {after} as after,
              nextval(pg_get_serial_sequence('compliance_casenote', 'id')) as note_id
),
notes as (
    insert into compliance_casenote (id, case_id, author_id, body, internal, created_at)
    select note_id, id, %(actor_id)s, %(note)s, false, now() from moved
)
insert into compliance_caseevent (case_id, actor_id, action, source, before, after, created_at)
select id, %(actor_id)s, %(action)s, %(source)s, before,
       after || jsonb_build_object('note', note_id) || %(context)s::jsonb, now()
from moved
"""


def move_cases(cursor, *, chosen: str, assignments: str, after: str, params: dict, action: str, source: str,
               note: str, actor_id: int | None = None, context: dict | None = None) -> int:
    """Run :data:`MOVE_CASES`; return how many cases changed. ``params`` are
    the named parameters ``chosen`` and ``assignments`` use; ``context`` is
    added to every event's ``after`` (e.g. the pipeline run or bulk operation)."""
    cursor.execute(
        MOVE_CASES.format(chosen=chosen, assignments=assignments, after=after),
        {**params, "actor_id": actor_id, "note": note, "action": action, "source": source,
         "context": json.dumps(context or {})},
    )
    return cursor.rowcount


def transition_cases(cursor, transition: Transition, *, chosen: str, sources: tuple[str, ...], by: By,
                     params: dict, action: str, source: str, note: str, context: dict) -> int:
    """Move the cases of ``chosen`` by ``transition`` (its fields set from
    ``by``: :meth:`~compliance.cases.transitions.Transition.assignments`);
    return how many moved. ``chosen`` is a :data:`MOVE_CASES` ``chosen``
    whose ``before`` is :data:`~compliance.cases.transitions.AUDITED_SQL`
    and which keeps only the cases whose status is one of
    ``%(sources)s`` (``sources``: a person's or the sync's statuses of the
    transition); ``params``: its other parameters. The note's author and
    the event's actor are ``by.person_id`` (None: the pipeline)."""
    assignments, values = transition.assignments(by)
    return move_cases(
        cursor, chosen=chosen, assignments=assignments, after=AUDITED_SQL,
        params={**params, **values, "sources": list(sources)}, action=action, source=source, note=note,
        actor_id=by.person_id, context=context,
    )
