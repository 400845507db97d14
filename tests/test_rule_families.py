"""The rule families (``violation_type``) are listed in one place, the rule
catalog (dbt/seeds/rule_catalog.csv): no model field restricts them to a list
of choices (a new family is a catalog row and needs no Django migration), and
the case queue's type filter offers the catalog's families."""

import csv

import pytest
from django.urls import reverse

from compliance.models import Case, CaseQueueItem, ComplianceViolation, RuleCatalogEntry
from compliance.web.filters import CaseQueueFilter

from .conftest import REPO, user_in_role

pytestmark = pytest.mark.usefixtures("pipeline_build")


def catalog_families() -> list[str]:
    with open(REPO / "dbt" / "seeds" / "rule_catalog.csv", newline="") as f:
        return sorted({row["violation_type"] for row in csv.DictReader(f)})


def test_no_model_field_lists_the_families():
    for model in (Case, CaseQueueItem, ComplianceViolation, RuleCatalogEntry):
        assert model._meta.get_field("violation_type").choices is None, model.__name__


def test_the_queue_filter_offers_the_catalogs_families(db):
    assert RuleCatalogEntry.families() == catalog_families()
    offered = [value for value, _ in CaseQueueFilter().form.fields["violation_type"].choices if value]
    assert offered == catalog_families()


def test_filtering_the_queue_by_a_family(client, db):
    family = Case.objects.order_by("id").values_list("violation_type", flat=True).first()
    client.force_login(user_in_role("auditor", "family-filter"))
    page = client.get(reverse("compliance:case_list"), {"violation_type": family})
    assert page.status_code == 200
    shown = {item.violation_type for item in page.context["page"].object_list}
    assert shown == {family} and page.context["total"] == Case.objects.filter(violation_type=family).count()
    unknown = client.get(reverse("compliance:case_list"), {"violation_type": "not_a_family"})
    assert unknown.context["total"] == 0 and "Some filters are not valid" in unknown.content.decode()
