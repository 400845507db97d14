"""What a viewer (read-only, identifiers masked) sees: no lead, attempt,
consent, opt-out, conversion or debt id of the case's person anywhere on
the case page, whatever the rule; no phone number in a note, in any common
format; and the compliance team sees everything unmasked."""

import pytest
from django.db import connection
from django.urls import reverse

from compliance.cases import workflow as actions
from compliance.models import Case
from compliance.web.masking import mask_identifiers, mask_text

from .conftest import user_in_role

pytestmark = pytest.mark.usefixtures("pipeline_build")

NUMBERS = ["(202) 555-0123", "202-555-0123", "+1 202 555 0123", "2025550123", "+12025550123", "202.555.0123"]

# Every id the staged data holds for one lead: an oracle independent of
# what the mart says its details name.
PERSON_IDS = """
select a.attempt_id from staging.stg_contact_attempts a where a.lead_id = %(lead)s
union select a.debt_id from staging.stg_contact_attempts a where a.lead_id = %(lead)s and a.debt_id <> ''
union select c.consent_id from staging.stg_consents c where c.lead_id = %(lead)s
union select o.opt_out_id from staging.stg_opt_outs o where o.lead_id = %(lead)s
union select v.conversion_id from staging.stg_conversions v where v.lead_id = %(lead)s
union select %(lead)s
"""


def person_ids(lead_id: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(PERSON_IDS, {"lead": lead_id})
        return {value for (value,) in cursor.fetchall() if value}


@pytest.mark.parametrize("number", NUMBERS)
def test_phone_numbers_in_free_text_are_found_in_any_common_format(number):
    masked = mask_text(f"Customer called back from {number} on 2025-04-26 at 14:02, owes $1,500.")
    assert masked == "Customer called back from ••• on 2025-04-26 at 14:02, owes $1,500."


def test_identifiers_are_masked_exactly_longest_first():
    assert mask_identifiers("OO-N1 and OO-N12 of lead N1", ["OO-N1", "OO-N12", "N1"]) == "OO••• and OO••• of lead N1•••"


def one_case_per_rule() -> list[Case]:
    seen, cases = set(), []
    for case in Case.objects.order_by("id"):
        rule = case.evidence.get("rule_id")
        if rule not in seen:
            seen.add(rule)
            cases.append(case)
    return cases


def test_a_viewer_sees_no_id_of_the_person_on_any_rules_case_page(client):
    viewer = user_in_role("viewer", "vera")
    client.force_login(viewer)
    checked = set()
    for case in one_case_per_rule():
        page = client.get(reverse("compliance:case_detail", args=[case.pk])).content.decode()
        ids = person_ids(case.lead_id)
        leaked = sorted(i for i in ids if i in page)
        assert not leaked, (case.evidence["rule_id"], leaked)
        checked.add(case.violation_type)
    assert {"attempt_after_opt_out", "too_many_attempts_per_day", "no_consent", "dnc_match",
            "reg_f_call_frequency"} <= checked


def test_the_compliance_team_sees_the_details_unmasked(client):
    case = Case.objects.filter(violation_type="attempt_after_opt_out").order_by("id").first()
    client.force_login(user_in_role("auditor", "aude"))
    page = client.get(reverse("compliance:case_detail", args=[case.pk])).content.decode()
    assert case.lead_id in page and case.attempt_id in page
    assert case.evidence["detail_identifiers"], "an opt-out row names its opt-out"
    assert all(identifier in page for identifier in case.evidence["detail_identifiers"])


# Phone numbers where the matcher alone passes over them (after a date, in a
# numbered list, after a token with digits, run together, odd separators).
HARD_NUMBERS = ["On 2025-03-01 212 555 0144 asked to stop", "1) 212 555 0145 2) 212 555 0146",
                "N000001 212 555 0147", "2125550159/2125550160", "212_555_0161", "212–555–0151"]
HASHES = ["0x2971fd4d2969dcc3", "hash_d46b832c97091f2a"]


def test_a_viewer_sees_no_phone_number_hash_or_id_of_the_case_in_notes(client):
    case = Case.objects.filter(violation_type="reg_f_call_frequency").order_by("id").first()
    debt_id = case.evidence["detail_identifiers"][0]
    auditor = user_in_role("auditor", "august")
    typed = [*NUMBERS, *HARD_NUMBERS, *HASHES, f"Lead {case.lead_id} disputes debt {debt_id}",
             f"attempt {case.attempt_id}"]
    actions.add_note(case.pk, auditor, "Numbers tried: " + "; ".join(NUMBERS))
    actions.add_note(case.pk, auditor, "\n".join(typed[len(NUMBERS):]))
    client.force_login(user_in_role("viewer", "vik"))
    page = client.get(reverse("compliance:case_detail", args=[case.pk])).content.decode()
    assert "Numbers tried: " + "; ".join(["•••"] * len(NUMBERS)) in page
    digits = {"".join(c for c in number if c.isdigit())[-10:] for number in NUMBERS + HARD_NUMBERS}
    shown_digits = "".join(c for c in page if c.isdigit())
    leaked = [number for number in digits if number in shown_digits]
    assert not leaked, leaked
    assert not [text for text in (case.lead_id, debt_id, case.attempt_id) if text in page]
    assert not [text for text in HASHES if text[-16:] in page]
    assert "On 2025-03-01 ••• asked to stop" in page  # the date stays readable
    client.force_login(auditor)
    assert "On 2025-03-01 212 555 0144 asked to stop" in client.get(
        reverse("compliance:case_detail", args=[case.pk])).content.decode()
