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


# Columns every raw table carries besides the file's own: where the row was
# read (``_load_id``, the :class:`~compliance.models.RawLoad`; ``_file_name``;
# ``_line_number``, its record's first line), when (``_loaded_at``, the load's
# transaction start; drives source freshness), the record's CSV- or
# JSON-level problem (``_parse_error``) and, when that problem's quote cuts
# text that no column holds (a JSON line with a problem, a CSV record with
# extra values; docs/data-contract.md, "Limits"), the record's whole text as
# received (``_received``), so nothing is lost. Raw tables are append-only:
# every record of every load is one row; identical rows are told apart by
# dbt's base models (dbt/macros/raw_rows.sql), never here.
META_COLUMNS = ("_load_id", "_file_name", "_line_number", "_loaded_at", "_parse_error", "_received")

# The load and the file being appended, as session settings the raw tables'
# defaults read (set by compliance.ingest.load for its transaction only), so
# that a plain CSV is COPYed straight into its raw table.
LOAD_ID_SETTING = "cci.load_id"
FILE_NAME_SETTING = "cci.file_name"
# The line numbers of a plain CSV's records, in file order (set before each
# file: the first record is line 2, after the header). Cached by the session
# (``setval`` drops the cache): uncached, the sequence adds about a quarter to
# the COPY.
LINE_SEQUENCE = "raw.line_number"

# One row per raw table: how many statements wrote to it (INSERT or COPY,
# UPDATE, DELETE, TRUNCATE; rolled back with them) and how many of them were
# not inserts (``rewrites``). Unchanged, the table holds what it held at the
# last build (compliance.pipeline.build_plan.raw_watermark), known without
# reading a row; a rewrite (a purge, a correction in place) makes the next
# build a full one, since an incremental build reads only appended rows.
# Kept by a statement-level trigger: nothing per row, and COPY still inserts
# in batches. Tables made before ``rewrites`` existed gain it here.
CHANGES_SQL = f"""
create table if not exists raw.table_changes (
    raw_table text primary key,
    statements bigint not null
);
alter table raw.table_changes add column if not exists rewrites bigint not null default 0;
create sequence if not exists {LINE_SEQUENCE} as integer minvalue 1 cache 100000;
create or replace function raw.count_change() returns trigger language plpgsql as $fn$
begin
    insert into raw.table_changes as c (raw_table, statements, rewrites)
    values (tg_table_name, 1, (tg_op <> 'INSERT')::int)
    on conflict (raw_table) do update set statements = c.statements + 1, rewrites = c.rewrites + excluded.rewrites;
    return null;
end
$fn$"""

# Relations of the raw schema that only the row-hash keyed loader (before
# append-only raw tables) made; a raw schema holding them is refused
# (compliance.ingest.load.ensure_raw_tables).
OBSOLETE_RAW_RELATIONS = ("raw.load_rows", "raw.received_text")

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
# Every file of every format, and the raw tables they load into (dbt's
# sources name them all, whichever format a customer sends).
ALL_SPECS: tuple[RawFileSpec, ...] = (*SEED_FORMAT, *NATIVE_FORMAT)
RAW_TABLES: tuple[str, ...] = tuple(spec.table for spec in ALL_SPECS)


def create_table_sql(spec: RawFileSpec) -> str:
    """DDL creating ``raw.<table>`` (:data:`META_COLUMNS`, then the file's
    columns, all text) if missing, and its change trigger (:data:`CHANGES_SQL`).
    Append-only: no key and no index (nothing reads a raw table but whole, in
    the base models), so reloading a file appends its rows again."""
    data_columns = ",\n    ".join(f'"{c}" text' for c in spec.columns)
    return f"""
create table if not exists raw.{spec.table} (
    _load_id bigint not null default current_setting('{LOAD_ID_SETTING}')::bigint,
    _file_name text not null default current_setting('{FILE_NAME_SETTING}'),
    _line_number integer not null default nextval('{LINE_SEQUENCE}'),
    _loaded_at timestamptz not null default now(),
    _parse_error text,
    _received text,
    {data_columns}
);
create or replace trigger {spec.table}_changes after insert or update or delete or truncate on raw.{spec.table}
    for each statement execute function raw.count_change()"""
