"""Every change to a case is in the audit
trail, bulk QuerySet.update included (django-pghistory's triggers), with the
context of who or what made it; the database refuses an UPDATE or DELETE of
an audit row."""

import pghistory
import pytest
from django.db import DatabaseError, connection, transaction

from compliance.cases import workflow as actions
from compliance.models import Case, CaseEvent, CaseHistory, CaseNoteHistory

from .conftest import user_in_role

pytestmark = pytest.mark.usefixtures("pipeline_build")


@pytest.fixture
def auditor(db):
    return user_in_role("auditor", "erin")


def test_service_changes_are_in_the_row_history_with_actor_and_source(auditor):
    case = Case.objects.filter(status="new").order_by("id").first()
    actions.claim_case(case.pk, auditor)
    actions.triage_case(case.pk, auditor)
    actions.add_note(case.pk, auditor, "Checked the dialer log.")
    history = list(CaseHistory.objects.filter(pgh_obj=case).order_by("pgh_id"))
    assert [(h.pgh_label, h.status, h.assignee_id) for h in history][-2:] == [
        ("update", "new", auditor.pk), ("update", "triaged", auditor.pk)]
    assert all(h.pgh_context.metadata == {"actor": "erin", "source": "web"} for h in history[-2:])
    (note,) = CaseNoteHistory.objects.filter(pgh_obj__case=case)
    assert (note.pgh_label, note.body, note.pgh_context.metadata["actor"]) == (
        "insert", "Checked the dialer log.", "erin")


def test_a_bulk_update_is_recorded_row_by_row():
    ids = list(Case.objects.filter(status="new").order_by("id").values_list("id", flat=True)[:25])
    with pghistory.context(source="admin", actor="bulk-test"):
        assert Case.objects.filter(id__in=ids).update(status="triaged", version=2) == 25
    recorded = CaseHistory.objects.filter(pgh_obj_id__in=ids, status="triaged")
    assert recorded.count() == 25
    assert {h.pgh_context.metadata["actor"] for h in recorded} == {"bulk-test"}


@pytest.mark.parametrize("table", ["compliance_caseevent", "compliance_casehistory", "compliance_casenotehistory"])
@pytest.mark.parametrize("statement", ["update {table} set pgh_label = pgh_label", "delete from {table}"])
def test_the_database_refuses_to_change_an_audit_row(auditor, table, statement):
    case = Case.objects.filter(status="new").order_by("id").first()
    actions.claim_case(case.pk, auditor)
    actions.add_note(case.pk, auditor, "A note, so every audit table has a row.")
    sql = statement.format(table=table)
    if table == "compliance_caseevent":
        sql = sql.replace("pgh_label = pgh_label", "action = action")
    before = count(table)
    assert before > 0
    with pytest.raises(DatabaseError, match="Cannot"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    assert count(table) == before
    assert CaseEvent.objects.filter(case=case, action="assign").exists()


def count(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"select count(*) from {table}")  # table: one of the parametrized names
        return cursor.fetchone()[0]
