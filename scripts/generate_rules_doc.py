"""Write docs/rules.md from the rule catalog (dbt/seeds/rule_catalog.csv).

    python scripts/generate_rules_doc.py [--check]

One section per rule: statement, citation, jurisdiction, parameters, scope,
effective dates, source confidence, severities, the decisions that concern it
and the tests that cover it: the test functions in tests/ marked
``@pytest.mark.rules("RULE-ID", ...)``; then the decisions (DECISIONS below:
how CCI reads a rule where the regulation or the data leaves a choice, and
why); then the conventions every rule shares (``rules_doc_conventions.py``);
then the worked examples with the regulation each checks and their status
(docs/worked_examples.csv: tested, not yet, or not expressible and why).
``--check`` exits 1 if docs/rules.md differs from what the catalog and the
tests produce (the test suite runs it).
"""

import ast
import csv
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml
from generated_file import write_or_check
from rules_doc_conventions import CONVENTIONS

REPO = Path(__file__).resolve().parent.parent
CATALOG = REPO / "dbt" / "seeds" / "rule_catalog.csv"
INTERMEDIATE = REPO / "dbt" / "models" / "intermediate"
DOC = REPO / "docs" / "rules.md"
EXAMPLES = REPO / "docs" / "worked_examples.csv"
CONFIDENCE = {"P": "primary text seen", "S": "secondary source", "A": "vendor table only", "U": "not verified"}


@dataclass(frozen=True)
class Decision:
    """How CCI reads a rule where the regulation or the data leaves a choice:
    ``decision`` what it does, ``why`` the reasons and citations, ``tested``
    where the test suite holds it to that."""

    key: str
    title: str
    rules: tuple[str, ...]
    decision: str
    why: str
    tested: str


DECISIONS = (
    Decision(
        "D-1", "Which calls and texts need consent under 227(b)", ("CON-FED-1",),
        "A call or text needs consent when it is made with an automatic telephone dialing system (`atds`) or an "
        "artificial or prerecorded voice (`prerecorded`, `ai_voice`); every ringless voicemail needs it, whatever "
        "its `technology`. A manual (live) call or text needs none; Do-Not-Call, calling hours and opt-outs still "
        "apply to it. A text whose `technology` is not given is `possible` (catalog parameter "
        "`unknown_technology_texts`: `definite` keeps the conservative reading that every text needs consent, "
        "`clear` skips it); a call without a technology is taken as manual.",
        "47 U.S.C. 227(b)(1)(A) and 47 CFR 64.1200(a)(1)-(2) restrict calls (texts included) made using an "
        "automatic telephone dialing system or an artificial or prerecorded voice; (a)(3) prerecorded-voice "
        "telemarketing to residential lines. An AI-generated voice is an artificial voice (FCC 24-17). A ringless "
        "voicemail is a call delivered with a prerecorded voice, so it needs consent (FCC 22-85). Nothing in 227(b) "
        "reaches a text typed and sent by a person.",
        "`tests/test_native_format.py::test_consent_worked_example` (C-CH06), "
        "`tests/test_native_format.py::test_manual_texts_need_no_consent_but_the_other_rules_apply`",
    ),
    Decision(
        "D-2", "An attempt at the very instant of an opt-out", ("OPT-FED-1", "OPT-FED-2", "OPT-FED-3", "OPT-CS-1"),
        "An attempt whose `attempted_at` equals the opt-out's `requested_at` is after the opt-out: within the "
        "allowance it is an OPT-FED-2 warning, and a text is the first text after the opt-out, its confirmation "
        "(OPT-FED-3 when it carries marketing, clear when it does not).",
        "Every record of the contract is in effect from its own timestamp on: a consent from `captured_at`, a "
        "revocation from `revoked_at`, a DNC entry from `registered_at`, an opt-out from `requested_at` (so a "
        "consent captured at the attempt's instant counts as on file); equal timestamps cannot show that the "
        "attempt came first. The reading costs little: the allowance runs from receipt (47 CFR 64.1200(a)(11), "
        "(d)(3): within a reasonable time not exceeding ten business days of receipt), so such an attempt is at "
        "most a low-severity warning, never a violation of the allowance; only a text that markets is a "
        "violation, because it cannot be the one no-marketing confirmation 64.1200(a)(12) allows.",
        "`tests/test_native_format.py::test_opt_out_worked_example` (O-CN04-SAME, O-CH06-SAME)",
    ),
    Decision(
        "D-3", "A ringless voicemail recorded as a conversation", ("RF-FREQ-2",),
        "Such a row stays valid (it is not quarantined) and is listed as a data-quality warning "
        "(`rvm_conversation`, `/data-quality/`, `intermediate.int_data_quality_warnings`). For RF-FREQ-2 it starts "
        "the 7-day period only as a `possible` finding: the calls within 7 days after it are `possible` unless a "
        "real telephone conversation also covers them (catalog parameter `rvm_conversation`: `possible`; `counts` "
        "treats it as a conversation, `ignored` as none). As a placed call it counts toward RF-FREQ-1 either way.",
        "12 CFR 1006.14(b)(2)(i)(B) starts the period with a telephone conversation; a ringless voicemail is "
        "delivered to voicemail without ringing the phone, so nobody can have talked: the record contradicts "
        "itself, the channel or the outcome is wrong, and the data cannot say which. CCI's rule for evidence that "
        "cannot decide is `possible`, never silence; a voicemail or RVM is still a placed call (1006.14(b)(2)(i)(A)).",
        "`tests/test_native_format.py::test_reg_f_worked_example` (Z-RF03RVM, Z-RF03BOTH), "
        "`tests/test_native_format.py::test_ringless_voicemail_recorded_as_a_conversation_is_a_data_quality_warning`",
    ),
    Decision(
        "D-4", "Revocation across channels: what `channel_scope` means",
        ("OPT-FED-1", "OPT-FED-2", "OPT-FED-3", "OPT-CS-1", "CON-FED-1"),
        "An opt-out's `channel_scope` is the scope the consumer gave (docs/data-contract.md, \"Opt-outs: what "
        "channel_scope means\"). `all` covers every channel: calls, texts, ringless voicemail and commercial email. "
        "A single channel is the consumer's own limit and covers that channel only, except that `call` covers "
        "ringless voicemail, which is a call. A consent's `revoked_at` carries no scope: it ends the lead's consent "
        "for calls, texts and ringless voicemail alike, for every consent captured before it (one captured later "
        "is new consent).",
        "A called party may revoke consent by any reasonable means, and a revocation for calls covers texts and "
        "the other way round unless the consumer limits it (FCC 24-24; 47 CFR 64.1200(a)(10)-(12)). When the "
        "record names a single channel, that is the limit; when it names none or `all`, the revocation is "
        "general. A ringless voicemail is a call under the TCPA (FCC 22-85), so a consumer who stopped calls "
        "stopped ringless voicemail too.",
        "`tests/test_native_format.py::test_opt_out_worked_example` (O-CH06, O-REV-ALL, O-REV-SMS, O-CN04), "
        "`tests/test_native_format.py::test_consent_worked_example` (C-REV-ALL)",
    ),
)


def marked_rules(node: ast.FunctionDef) -> set[str]:
    """The rule ids of a ``@pytest.mark.rules(...)`` decorator on ``node``."""
    ids = set()
    for decorator in node.decorator_list:
        if isinstance(decorator, ast.Call) and getattr(decorator.func, "attr", None) == "rules":
            ids |= {arg.value for arg in decorator.args if isinstance(arg, ast.Constant)}
    return ids


def test_functions() -> list[tuple[str, set[str]]]:
    """``(tests/file.py::test_name, rule ids it is marked with)`` for every test function."""
    found = []
    for path in sorted((REPO / "tests").glob("test_*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
                found.append((f"tests/{path.name}::{node.name}", marked_rules(node)))
    return found


def covering_tests(rule: dict, tests: list[tuple[str, set[str]]]) -> list[str]:
    """Tests marked as covering the rule."""
    return [name for name, rule_ids in tests if rule["rule_id"] in rule_ids]


def mentions(text: str, rule_id: str) -> bool:
    """Whether ``text`` names ``rule_id`` as a whole word."""
    return re.search(rf"(?<![\w-]){re.escape(rule_id)}(?![\w-])", text) is not None


def rule_models(rule: dict) -> list[str]:
    """The repository paths of the SQL that decides ``rule``: its family's
    model ``int_violations__<violation_type>.sql``, unless the rule is named
    only in other rule models (the state caps over rolling windows)."""
    family_model = INTERMEDIATE / f"int_violations__{rule['violation_type']}.sql"
    naming = [path for path in sorted(INTERMEDIATE.glob("int_violations__*.sql"))
              if mentions(path.read_text(), rule["rule_id"])]
    chosen = naming if naming and family_model not in naming else [family_model]
    return [str(path.relative_to(REPO)) for path in chosen]


def unit_tests() -> list[tuple[str, str]]:
    """``(path::unit test name, its description)`` of every dbt unit test beside the rule models."""
    found = []
    for path in sorted(INTERMEDIATE.glob("*.unit_tests.yml")):
        for test in yaml.safe_load(path.read_text())["unit_tests"]:
            found.append((f"{path.relative_to(REPO)}::{test['name']}", test.get("description", "")))
    return found


def covering_unit_tests(rule: dict, tests: list[tuple[str, str]]) -> list[str]:
    """dbt unit tests whose description names the rule."""
    return [name for name, description in tests if mentions(description, rule["rule_id"])]


def render() -> str:
    """The whole document."""
    with open(CATALOG, newline="", encoding="utf-8") as handle:
        rules = list(csv.DictReader(handle))
    tests = test_functions()
    dbt_unit_tests = unit_tests()
    lines = [
        "# Rules",
        "",
        "Generated from `dbt/seeds/rule_catalog.csv` by `scripts/generate_rules_doc.py`; do not edit by hand.",
        "Rule parameters are configuration: change the catalog and rebuild. Every mart row names its `rule_id`",
        "and `certainty` (`definite`: broken in every candidate zone; `possible`: in some). A rule whose source",
        "is not confident enough (`definite_enabled` false) only produces `possible` rows.",
        "",
    ]
    for rule in rules:
        covered = covering_tests(rule, tests)
        lines += [
            f"## {rule['rule_id']} — `{rule['violation_type']}`",
            "",
            rule["statement"],
            "",
            f"- **Citation:** {rule['citation']}",
            f"- **Jurisdiction:** {rule['jurisdiction']}",
            f"- **Parameters:** `{rule['parameters']}`",
            f"- **Channels:** {rule['channels']}; **purposes:** {rule['purposes']}",
            f"- **Effective:** from {rule['effective_from']}"
            + (f" until {rule['effective_to']}" if rule["effective_to"] else ""),
            f"- **Source confidence:** {rule['confidence']} ({CONFIDENCE[rule['confidence']]})"
            + ("" if rule["definite_enabled"] == "true" else "; possible findings only"),
            f"- **Severity:** {rule['default_severity']} when definite, {rule['possible_severity']} when possible",
        ]
        decisions = [d for d in DECISIONS if rule["rule_id"] in d.rules]
        if decisions:
            lines.append("- **Decisions:** " + ", ".join(f"{d.key} ({d.title})" for d in decisions))
        unit_covered = covering_unit_tests(rule, dbt_unit_tests)
        lines += [
            "- **SQL:** " + ", ".join(f"`{path}`" for path in rule_models(rule)),
            "- **dbt unit tests:** " + (", ".join(f"`{t}`" for t in unit_covered) if unit_covered else "none yet"),
            "- **Tests:** " + (", ".join(f"`{t}`" for t in covered) if covered else "none yet"),
            "",
        ]
    lines += ["## Decisions", "",
              "How CCI reads a rule where the regulation or the data leaves a choice (kept in",
              "`scripts/generate_rules_doc.py`, beside the tests that hold the suite to it).", ""]
    for d in DECISIONS:
        lines += [
            f"### {d.key} {d.title}",
            "",
            f"- **Rules:** {', '.join(d.rules)}",
            f"- **Decision:** {d.decision}",
            f"- **Why:** {d.why}",
            f"- **Tested:** {d.tested}",
            "",
        ]
    lines += ["## Conventions", "",
              "What every rule above shares (kept in `scripts/rules_doc_conventions.py`). Code and docs cite a",
              "convention by its anchor, e.g. `docs/rules.md#zones-and-states`.", ""]
    for c in CONVENTIONS:
        lines += [f"### {c.title}", "", c.text, "", f"*Basis:* {c.basis}", ""]
    lines += ["## Worked examples", "",
              "Concrete cases the rules are held to, each with the regulation it checks, from",
              "`docs/worked_examples.csv` (kept by hand beside the tests it names). Ids by area: QH federal",
              "calling hours, ST-<state> state rules, RF Regulation F frequency, CN consent and revocation,",
              "DNC do-not-call, CH channels, HS phone hashing, SEV exposure, EDGE edge cases.", "",
              "| Example | Checks | Status | Where, or why not |", "|---|---|---|---|"]
    with open(EXAMPLES, newline="", encoding="utf-8") as handle:
        lines += [f"| {row['example']} | {row['checks']} | {row['status']} | {row['where_or_why']} |"
                  for row in csv.DictReader(handle)]
    return "\n".join(lines) + "\n"


def main() -> int:
    return write_or_check(
        __doc__.split("\n\n")[0], DOC, render(),
        stale="docs/rules.md is out of date: run python scripts/generate_rules_doc.py",
        written=f"wrote {DOC}",
    )


if __name__ == "__main__":
    sys.exit(main())
