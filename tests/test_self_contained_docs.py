"""Code and docs are self-contained: every reference resolves inside the
repository. Over every tracked file (``git ls-files``, this one excepted):
no mention of a research file outside it or of its numbered sections (a
``§`` with a one- or two-digit section, e.g. ``§0.3``; legal citations such as
``§227(c)`` are fine), no issue or tracker reference ("issue #5", "issue 12",
"done-when 3", "finding 2": the requirement is stated instead); every
``docs/...`` path exists, every ``docs/<file>.md#anchor`` is a heading of
that file and every ``docs/<file>.md, "Heading"`` names one; every rule id
(QH-FED-1, CAP-FL-1, ...) is a row of ``dbt/seeds/rule_catalog.csv`` and
every worked-example id (QH-04, ST-FL-05, EDGE-17, ...) a row of
``docs/worked_examples.csv``."""

import csv
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .conftest import REPO

OUTSIDE_FILE = re.compile(r"contact-rules|shared/reference", re.IGNORECASE)
TRACKER = re.compile(r"\bissues?\s*#\s*\d+|\bissues?\s+\d+|\bdone-when\s+\d|\bfindings?\s+\d", re.IGNORECASE)
SECTION_SIGN = re.compile(r"§\s?\d{1,2}(?:\.\d+)*(?!\d)(?!\()")
DOCS_PATH = re.compile(r"(?<![\w/.-])docs/[\w./-]*\w")
DOCS_ANCHOR = re.compile(r"(?<![\w/.-])(docs/[\w.-]+\.md)#([\w-]+)")
DOCS_HEADING = re.compile(r"(?<![\w/.-])(docs/[\w.-]+\.md)`?,?[ \t]+\"([^\"]{1,120})\"")


@dataclass(frozen=True)
class Known:
    """What a reference may resolve to: catalog rule ids, worked-example ids,
    and per docs Markdown file the text and anchor of each heading."""

    rule_ids: frozenset[str]
    example_ids: frozenset[str]
    headings: dict[str, tuple[str, ...]]

    @property
    def id_pattern(self) -> re.Pattern:
        """Tokens shaped like a rule id (PREFIX-XX-1, PREFIX-XX-01) or a
        worked-example id (PREFIX-01), for the prefixes the catalog and the
        examples use."""
        prefixes = sorted({i.split("-")[0] for i in self.rule_ids | self.example_ids}, key=len, reverse=True)
        alternatives = "|".join(prefixes)
        return re.compile(rf"(?<![\w-])(?:(?:{alternatives})-[A-Z]{{2,5}}-\d+|(?:{alternatives})-\d{{2}})(?![\w-])")


def slug(heading: str) -> str:
    """The anchor GitHub gives a Markdown heading: lowercase, punctuation
    dropped, each space a hyphen."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def known_references(repo: Path) -> Known:
    with open(repo / "dbt" / "seeds" / "rule_catalog.csv", newline="", encoding="utf-8") as handle:
        rule_ids = frozenset(row["rule_id"] for row in csv.DictReader(handle))
    with open(repo / "docs" / "worked_examples.csv", newline="", encoding="utf-8") as handle:
        example_ids = frozenset(i for row in csv.DictReader(handle) for i in row["example"].split())
    headings = {
        f"docs/{path.name}": tuple(line.lstrip("#").strip() for line in path.read_text(encoding="utf-8").splitlines()
                                   if re.match(r"#{1,6} ", line))
        for path in (repo / "docs").glob("*.md")
    }
    return Known(rule_ids, example_ids, headings)


def problems(text: str, known: Known, exists=lambda path: (REPO / path).exists()) -> list[str]:
    """Every reference in ``text`` that does not resolve inside the repository,
    each as a short message (empty when all do)."""
    found = [f"outside file: {m.group()}" for m in OUTSIDE_FILE.finditer(text)]
    found += [f"tracker reference: {m.group()}" for m in TRACKER.finditer(text)]
    found += [f"numbered section: {m.group()}" for m in SECTION_SIGN.finditer(text)]
    found += [f"missing path: {m.group()}" for m in DOCS_PATH.finditer(text) if not exists(m.group().rstrip("."))]
    for m in DOCS_ANCHOR.finditer(text):
        if m.group(1) in known.headings and m.group(2) not in {slug(h) for h in known.headings[m.group(1)]}:
            found.append(f"missing anchor: {m.group()}")
    for m in DOCS_HEADING.finditer(text):
        quoted = re.sub(r"\s*\n\s*(?:--|#|\*)?\s*", " ", m.group(2)).lower()
        if m.group(1) in known.headings and not any(quoted in h.replace("`", "").lower()
                                                    for h in known.headings[m.group(1)]):
            found.append(f"missing heading: {m.group(1)} \"{m.group(2)}\"")
    found += [f"unknown id: {m.group()}" for m in known.id_pattern.finditer(text)
              if m.group() not in known.rule_ids | known.example_ids]
    return found


def tracked_text_files(repo: Path) -> list[Path]:
    names = subprocess.run(["git", "ls-files", "-z"], cwd=repo, capture_output=True, text=True, check=True).stdout
    paths = [repo / name for name in names.split("\0") if name and repo / name != Path(__file__)]
    return [path for path in paths if path.is_file() and b"\0" not in path.read_bytes()]


def test_every_reference_resolves_inside_the_repository():
    known = known_references(REPO)
    files = tracked_text_files(REPO)
    assert len(files) > 100 and REPO / "docs" / "rules.md" in files  # the scan sees the repository
    found = [f"{path.relative_to(REPO)}: {problem}"
             for path in files for problem in problems(path.read_text(encoding="utf-8"), known)]
    assert not found, "\n".join(found)


def test_the_checker_finds_each_kind_of_bad_reference(tmp_path):
    known = known_references(REPO)
    planted = tmp_path / "planted.py"
    planted.write_text(
        '"""Candidate zones (contact-rules.md §0.3; issue #5, issue 12), see docs/nowhere.md,\n'
        "docs/rules.md#no-such-section and docs/data-contract.md, \"No such heading\"; rule QH-ZZ-1,\n"
        'worked example EDGE-99."""\n'
    )
    found = problems(planted.read_text(), known)
    for expected in ("outside file: contact-rules", "numbered section: §0.3", "tracker reference: issue #5",
                     "tracker reference: issue 12", "missing path: docs/nowhere.md",
                     "missing anchor: docs/rules.md#no-such-section", 'missing heading: docs/data-contract.md "No such',
                     "unknown id: QH-ZZ-1", "unknown id: EDGE-99"):
        assert any(problem.startswith(expected) for problem in found), (expected, found)
    good = ("Candidate zones (docs/rules.md#zones-and-states, 47 CFR 64.1200(c)(1), 47 U.S.C. §227(c)), rule "
            'QH-FED-1, worked example QH-04, docs/data-contract.md, "Plausible range"; attempt QH-0759, CAP-5.')
    assert problems(good, known) == []
