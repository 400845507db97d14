"""Write docs/rules.md from the rule catalog (dbt/seeds/rule_catalog.csv).

    python scripts/generate_rules_doc.py [--check]

One section per rule: statement, citation, jurisdiction, parameters, scope,
effective dates, source confidence, severities, and the tests that cover it:
the test functions in tests/ marked ``@pytest.mark.rules("RULE-ID", ...)``;
then the worked examples of contact-rules.md with their status
(docs/worked_examples.csv: tested, not yet, or not expressible and why).
``--check`` exits 1 if docs/rules.md differs from what the catalog and the
tests produce (the test suite runs it).
"""

import ast
import csv
import sys
from pathlib import Path

from generated_file import write_or_check

REPO = Path(__file__).resolve().parent.parent
CATALOG = REPO / "dbt" / "seeds" / "rule_catalog.csv"
DOC = REPO / "docs" / "rules.md"
EXAMPLES = REPO / "docs" / "worked_examples.csv"
CONFIDENCE = {"P": "primary text seen", "S": "secondary source", "A": "vendor table only", "U": "not verified"}


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


def render() -> str:
    """The whole document."""
    with open(CATALOG, newline="", encoding="utf-8") as handle:
        rules = list(csv.DictReader(handle))
    tests = test_functions()
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
            "- **Tests:** " + (", ".join(f"`{t}`" for t in covered) if covered else "none yet"),
            "",
        ]
    lines += ["## Worked examples of contact-rules.md", "",
              "From `docs/worked_examples.csv` (kept by hand beside the tests it names).", "",
              "| Example | Status | Where, or why not |", "|---|---|---|"]
    with open(EXAMPLES, newline="", encoding="utf-8") as handle:
        lines += [f"| {row['example']} | {row['status']} | {row['where_or_why']} |" for row in csv.DictReader(handle)]
    return "\n".join(lines) + "\n"


def main() -> int:
    return write_or_check(
        __doc__.split("\n\n")[0], DOC, render(),
        stale="docs/rules.md is out of date: run python scripts/generate_rules_doc.py",
        written=f"wrote {DOC}",
    )


if __name__ == "__main__":
    sys.exit(main())
