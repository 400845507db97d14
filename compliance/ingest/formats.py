"""Input file contracts: which files a format has, their columns, and the raw
table each one is loaded into (all columns ``text``, kept as received).

Typing, validation and quarantine happen in dbt staging
(``dbt/models/staging``), never here, so there is one place where a row is
judged. The contract itself is documented in docs/data-contract.md.
"""

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class RawFileSpec:
    """One input file: ``stem`` plus one of ``extensions`` in the load
    directory (``leads.csv`` or ``leads.jsonl``), its ``columns`` and the
    ``raw.<table>`` it is loaded into."""

    stem: str
    table: str
    columns: tuple[str, ...]
    extensions: tuple[str, ...] = ("csv",)

    @property
    def file_name(self) -> str:
        """The file's name with its first accepted extension (``leads.csv``)."""
        return f"{self.stem}.{self.extensions[0]}"

    def candidates(self, directory: Path) -> list[Path]:
        """The entries of ``directory`` named as this entity's file, whatever
        they are (symbolic links, even dangling ones, directories, FIFOs), so
        that the loader refuses them by name instead of calling them missing."""
        paths = [Path(directory) / f"{self.stem}.{ext}" for ext in self.extensions]
        return [path for path in paths if path.exists() or path.is_symlink()]

    @property
    def base_model(self) -> str:
        """The dbt model that types and judges every row of the raw table
        (``raw.seed_leads`` → ``staging.base_seed__leads``)."""
        file_format, entity = self.table.split("_", 1)
        return f"staging.base_{file_format}__{entity}"


# Columns every raw table carries besides the file's own. ``_load_id`` and
# ``_line_number`` say where the row was first seen; ``_seen_load_id`` and
# ``_seen_line_number`` where it was seen last (a reload of an older export
# makes its rows current again). ``_loaded_at`` / ``_seen_at``: first and
# last time the row was in a load (``_seen_at`` drives source freshness).
META_COLUMNS = (
    "_row_hash", "_load_id", "_file_name", "_line_number", "_seen_load_id", "_seen_line_number",
    "_loaded_at", "_seen_at", "_parse_error",
)

# The text of a raw row as received, when its ``_parse_error`` could quote
# only the start of text that no column holds (a JSON line with a problem, a
# CSV record with extra values; docs/data-contract.md, "Limits"): kept by raw
# table and row hash, so nothing is lost. Not a dbt source.
RECEIVED_TEXT_SQL = """
create table if not exists raw.received_text (
    raw_table text not null,
    _row_hash text not null,
    received text not null,
    primary key (raw_table, _row_hash)
)"""

# The rows each load read, per raw table: one row per distinct row hash with
# the number of lines of the file that carried it. ``load_raw`` writes them;
# the next successful pipeline run counts them against staging's verdict
# (compliance.pipeline.data_quality.judge_pending_loads), then deletes them.
LOAD_ROWS_SQL = """
create table if not exists raw.load_rows (
    load_id bigint not null,
    raw_table text not null,
    _row_hash text not null,
    lines integer not null
)"""

SEED_FORMAT: tuple[RawFileSpec, ...] = (
    RawFileSpec(
        "leads",
        "seed_leads",
        ("lead_id", "phone_hash", "state", "timezone", "source", "created_at", "consent_flag", "opt_out_at"),
    ),
    RawFileSpec(
        "contact_attempts",
        "seed_contact_attempts",
        ("attempt_id", "lead_id", "channel", "attempt_ts", "outcome", "campaign_id"),
    ),
    RawFileSpec(
        "conversions",
        "seed_conversions",
        ("conversion_id", "lead_id", "conversion_ts", "conversion_type", "revenue"),
    ),
    RawFileSpec("dnc", "seed_dnc", ("phone_hash",)),
)

# CCI's own contract (docs/data-contract.md, "The native format"): one file per
# entity, CSV with a header or JSON Lines with the same field names.
NATIVE_EXTENSIONS = ("csv", "jsonl")
NATIVE_FORMAT: tuple[RawFileSpec, ...] = tuple(
    RawFileSpec(stem, f"native_{stem}", columns, NATIVE_EXTENSIONS)
    for stem, columns in (
        ("ads", ("ad_id", "campaign_id", "platform", "name", "started_at")),
        ("leads", ("lead_id", "phone", "phone_hash", "email", "address_state", "address_zip", "timezone",
                   "ad_id", "created_at")),
        ("contact_attempts", ("attempt_id", "lead_id", "to_phone", "channel", "technology", "purpose",
                              "attempted_at", "outcome", "campaign_id", "subject", "debt_id", "caller_id")),
        ("consents", ("consent_id", "lead_id", "kind", "channels", "seller", "captured_at", "method",
                      "disclosure_shown", "revoked_at")),
        ("opt_outs", ("opt_out_id", "lead_id", "phone", "email", "channel_scope", "requested_at", "method")),
        ("dnc_entries", ("list", "phone", "phone_hash", "registered_at", "removed_at")),
        ("dnc_list_versions", ("list", "obtained_at")),
        ("conversions", ("conversion_id", "lead_id", "kind", "occurred_at", "revenue")),
    )
)

FORMATS: dict[str, tuple[RawFileSpec, ...]] = {"seed": SEED_FORMAT, "native": NATIVE_FORMAT}


def create_table_sql(spec: RawFileSpec) -> str:
    """DDL creating ``raw.<table>`` if missing. ``_row_hash`` (SHA-256 of the
    row's values) is the primary key, so reloading a file adds nothing."""
    data_columns = ",\n    ".join(f'"{c}" text' for c in spec.columns)
    return f"""
create table if not exists raw.{spec.table} (
    _row_hash text primary key,
    _load_id bigint not null,
    _file_name text not null,
    _line_number integer not null,
    _seen_load_id bigint not null,
    _seen_line_number integer not null,
    _loaded_at timestamptz not null default now(),
    _seen_at timestamptz not null default now(),
    _parse_error text,
    {data_columns}
)"""
