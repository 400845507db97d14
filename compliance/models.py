"""Data model.

Managed (owned by Django migrations): :class:`Case`, :class:`CaseNote`,
:class:`CaseEvent` (audit trail), :class:`PipelineRun`, :class:`RawLoad` and
:class:`RawLoadFile`.

Unmanaged (owned by dbt, read-only here): :class:`ComplianceViolation` over
``analytics.mart_compliance_risk`` and :class:`QuarantinedRow` over
``staging.stg_quarantine``. :class:`CaseQueueItem` is a
django-pgviews-redux view joining cases to their current mart row.
"""

import json
from decimal import Decimal

import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django_pgviews import view as pg


class Severity(models.TextChoices):
    """Severity taxonomy of contact-rules.md (critical > high > medium > low)."""

    CRITICAL = "critical", "Critical"
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


class Priority(models.IntegerChoices):
    """Work order of cases, derived from severity (issue #5): P1 first."""

    P1 = 1, "P1 (critical)"
    P2 = 2, "P2 (high)"
    P3 = 3, "P3 (medium)"
    P4 = 4, "P4 (low)"


PRIORITY_OF_SEVERITY = {Severity.CRITICAL: Priority.P1, Severity.HIGH: Priority.P2, Severity.MEDIUM: Priority.P3,
                        Severity.LOW: Priority.P4}


class ExactDecimalDecoder(json.JSONDecoder):
    """Reads JSON numbers with a fraction as :class:`~decimal.Decimal`, so money
    in a case's evidence (exposure in USD) is never a float."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("parse_float", Decimal)
        super().__init__(*args, **kwargs)


class ViolationType(models.TextChoices):
    """Rule families produced by the mart (the seed's five names are fixed by issue #2)."""

    OUTSIDE_ALLOWED_HOURS = "outside_allowed_hours", "Outside allowed hours"
    TOO_MANY_ATTEMPTS_PER_DAY = "too_many_attempts_per_day", "Too many attempts per day"
    ATTEMPT_AFTER_OPT_OUT = "attempt_after_opt_out", "Attempt after opt-out"
    DNC_MATCH = "dnc_match", "Do-Not-Call match"
    NO_CONSENT = "no_consent", "No consent"
    REG_F_CALL_FREQUENCY = "reg_f_call_frequency", "Reg F call frequency"
    RESTRICTED_DAY = "restricted_day", "Restricted day (state Sunday / holiday ban)"


class ComplianceViolation(models.Model):
    """One violation found by dbt: a row of ``analytics.mart_compliance_risk``.

    Published by every successful pipeline run; ``violation_id`` is an md5 of the rule and
    the violating key, stable across rebuilds. ``attempt_ts`` is the UTC
    instant; ``attempt_ts_local`` the wall-clock time in ``local_timezone``
    (an IANA name, the primary zone). Time-of-day rules judge every zone in
    ``candidate_zones``: ``certainty`` is ``definite`` when the attempt breaks
    the rule in all of them, ``possible`` when only in ``deciding_zones``
    (contact-rules.md §0.3); ``zone_evidence`` says where the zones came from.
    """

    class Certainty(models.TextChoices):
        DEFINITE = "definite", "Definite"
        POSSIBLE = "possible", "Possible"

    violation_id = models.CharField(primary_key=True, max_length=32)
    violation_type = models.CharField(max_length=64, choices=ViolationType.choices)
    rule_id = models.CharField(max_length=32)
    severity = models.CharField(max_length=16, choices=Severity.choices)
    certainty = models.CharField(max_length=16, choices=Certainty.choices)
    rule_citation = models.TextField()
    rule_statement = models.TextField()
    rule_confidence = models.CharField(max_length=4)
    lead_id = models.CharField(max_length=128)
    attempt_id = models.CharField(max_length=128)
    campaign_id = models.CharField(max_length=128, null=True)
    channel = models.CharField(max_length=16)
    attempt_ts = models.DateTimeField()
    attempt_ts_local = models.DateTimeField()
    local_timezone = models.CharField(max_length=64)
    local_date = models.DateField()
    attempts_on_local_day = models.IntegerField()
    candidate_zones = ArrayField(models.CharField(max_length=64))
    deciding_zones = ArrayField(models.CharField(max_length=64))
    zone_evidence = models.TextField()
    source_format = models.CharField(max_length=16)
    exposure_min_usd = models.DecimalField(max_digits=12, decimal_places=2)
    exposure_max_usd = models.DecimalField(max_digits=12, decimal_places=2)
    exposure_basis = models.CharField(max_length=64)
    details = models.TextField()

    class Meta:
        managed = False
        db_table = 'analytics"."mart_compliance_risk'
        ordering = ["-attempt_ts"]

    def __str__(self) -> str:
        return f"{self.violation_type} on attempt {self.attempt_id}"


class RuleCatalogEntry(models.Model):
    """One rule of the catalog (``reference.rule_catalog``, from
    dbt/seeds/rule_catalog.csv): what it says, its citation, parameters
    (JSON text), scope (space-separated channels and purposes, effective
    dates: local date of the attempt, end exclusive), source confidence (P, S,
    A, U: contact-rules.md) and severities. Read-only: the seed is the source."""

    rule_id = models.CharField(primary_key=True, max_length=32)
    violation_type = models.CharField(max_length=64, choices=ViolationType.choices)
    jurisdiction = models.CharField(max_length=64)
    statement = models.TextField()
    citation = models.TextField()
    parameters = models.TextField()
    channels = models.TextField()
    purposes = models.TextField()
    effective_from = models.DateField()
    effective_to = models.DateField(null=True)
    confidence = models.CharField(max_length=4)
    default_severity = models.CharField(max_length=16, choices=Severity.choices)
    possible_severity = models.CharField(max_length=16, choices=Severity.choices)
    definite_enabled = models.BooleanField()
    exposure_min_usd = models.DecimalField(max_digits=12, decimal_places=2)
    exposure_max_usd = models.DecimalField(max_digits=12, decimal_places=2)
    exposure_basis = models.CharField(max_length=64)

    class Meta:
        managed = False
        db_table = 'reference"."rule_catalog'
        ordering = ["violation_type", "rule_id"]
        verbose_name = "catalog rule"

    def __str__(self) -> str:
        return self.rule_id


class QuarantinedRow(models.Model):
    """A raw row that staging refused, with the reason (``staging.stg_quarantine``).

    ``record`` holds the row exactly as received (column → text);
    ``reason_codes`` the stable codes of its problems (dbt/macros/problem_columns.sql).
    """

    quarantine_id = models.CharField(primary_key=True, max_length=32)
    file_format = models.CharField(max_length=16)
    source_file = models.CharField(max_length=64)
    line_number = models.IntegerField()
    load_id = models.BigIntegerField()
    row_hash = models.CharField(max_length=64)
    record = models.JSONField()
    reason = models.TextField()
    reason_codes = ArrayField(models.CharField(max_length=32))

    class Meta:
        managed = False
        db_table = 'staging"."stg_quarantine'
        ordering = ["file_format", "source_file", "line_number"]

    def __str__(self) -> str:
        return f"{self.file_format}/{self.source_file}:{self.line_number}"


class PipelineRun(models.Model):
    """One run of the pipeline: ``dbt build``, then case sync, then view sync.

    Counts come from dbt's ``run_results.json``. A run whose build failed
    leaves the previous mart and every case untouched.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued (waiting for another run to finish)"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"
        SKIPPED = "skipped", "Skipped (another run in progress)"

    class Trigger(models.TextChoices):
        COMMAND = "command", "Management command"
        CELERY = "celery", "Celery task"

    class BuildMode(models.TextChoices):
        FULL = "full", "Full build"
        INCREMENTAL = "incremental", "Incremental build (the persons a change touched)"
        NOTHING_NEW = "nothing_new", "Nothing new (no build)"
        SELECTED = "selected", "Selection (--select), built in full"

    trigger = models.CharField(max_length=16, choices=Trigger.choices)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RUNNING)
    backend_pid = models.IntegerField(
        null=True, blank=True, help_text="PostgreSQL backend of the process running it (finds abandoned runs)"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    models_passed = models.IntegerField(default=0)
    models_failed = models.IntegerField(default=0)
    tests_passed = models.IntegerField(default=0)
    tests_failed = models.IntegerField(default=0)
    tests_warned = models.IntegerField(default=0)
    nodes_skipped = models.IntegerField(default=0)
    dbt_select = models.CharField(max_length=512, blank=True, help_text="dbt --select, empty for everything")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        help_text="The user who asked for this run from the UI (empty for schedules and commands)",
    )
    mart_rows = models.IntegerField(null=True, blank=True)
    cases_created = models.IntegerField(default=0)
    cases_closed = models.IntegerField(default=0, help_text="closed as no_longer_detected: the violation left the mart")
    cases_reopened = models.IntegerField(default=0, help_text="no_longer_detected cases whose violation came back")
    cases_untouched = models.IntegerField(default=0, help_text="cases whose violation is still in the mart")
    stale_sources = models.JSONField(
        default=list, blank=True, help_text="Raw sources older than their freshness threshold (dbt source freshness)"
    )
    quarantine_counts = models.JSONField(
        default=dict, blank=True, help_text="{file: {reason code: rows}} quarantined after this run's build"
    )
    quarantine_jumps = models.JSONField(
        default=list, blank=True, help_text="Quarantine counts that jumped against the previous successful run"
    )
    build_mode = models.CharField(
        max_length=16, choices=BuildMode.choices, blank=True,
        help_text="What the run built (compliance/services/build_plan.py); empty if it never got the lock",
    )
    build_reason = models.TextField(blank=True, help_text="Why the run built in this mode")
    project_fingerprint = models.CharField(
        max_length=64, blank=True, help_text="SHA-256 of the dbt project's models, macros, seeds and dbt_project.yml"
    )
    raw_watermark = models.JSONField(
        default=dict, blank=True, help_text="{raw table: [highest _seen_load_id, rows]} when the build started"
    )
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"Run {self.pk} ({self.status})"

    @property
    def failed_node_names(self) -> list[str]:
        """Names of the dbt nodes that errored or failed in this run."""
        return [n.name for n in self.nodes.all() if n.status in PipelineNodeResult.FAILED_STATUSES]


class BulkOperation(models.Model):
    """One bulk change of many cases by a manager (issue #5): the action, its
    parameters, the one note given, the filter it was applied to, and how
    many cases it changed or skipped (not in a status the action starts
    from). Each changed case also gets its own audit event naming this
    operation."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    action = models.CharField(max_length=32)
    parameters = models.JSONField(default=dict, blank=True)
    note = models.TextField()
    selection = models.TextField(help_text="The case-list filter the operation was applied to, as a query string")
    requested = models.IntegerField()
    changed = models.IntegerField(default=0)
    source = models.CharField(max_length=16, default="web")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        triggers = [pgtrigger.Protect(name="append_only", operation=pgtrigger.Delete)]

    def __str__(self) -> str:
        return f"Bulk {self.action} of {self.changed}/{self.requested} cases by {self.actor}"


class PipelineNodeResult(models.Model):
    """One dbt node (model, seed, test, hook) of a pipeline run, from dbt's
    ``run_results.json`` joined to ``manifest.json``.

    ``status``: success / error / skipped for models and seeds; pass / warn /
    fail / error / skipped for tests. ``execution_seconds`` is wall time in
    seconds; ``failures`` the number of rows a test returned.
    """

    FAILED_STATUSES = ("error", "fail", "runtime error")

    run = models.ForeignKey(PipelineRun, on_delete=models.CASCADE, related_name="nodes")
    unique_id = models.CharField(max_length=512)
    resource_type = models.CharField(max_length=32)
    name = models.CharField(max_length=512)
    status = models.CharField(max_length=32, db_index=True)
    severity = models.CharField(max_length=8, blank=True)
    execution_seconds = models.FloatField(null=True)
    rows_affected = models.BigIntegerField(null=True)
    failures = models.IntegerField(null=True)
    message = models.TextField(blank=True)

    class Meta:
        ordering = ["run", "unique_id"]
        constraints = [models.UniqueConstraint(fields=["run", "unique_id"], name="uniq_run_node")]

    def __str__(self) -> str:
        return f"{self.name}: {self.status}"


class AlertDelivery(models.Model):
    """One alert sent (or not) for a pipeline run: kind, channel, target,
    attempts made and the payload. ``delivered`` false with ``error`` set
    when every attempt failed."""

    class Channel(models.TextChoices):
        EMAIL = "email", "Email"
        WEBHOOK = "webhook", "Webhook"

    run = models.ForeignKey(PipelineRun, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(max_length=32)
    channel = models.CharField(max_length=16, choices=Channel.choices)
    target = models.TextField()
    attempts = models.IntegerField()
    delivered = models.BooleanField()
    error = models.TextField(blank=True)
    payload = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "alert deliveries"

    def __str__(self) -> str:
        return f"{self.kind} by {self.channel} for run {self.run_id}"


class SlaPolicy(models.Model):
    """How long a case of one severity may stay open: ``business_days`` after
    the day it was created (Monday to Friday, US federal holidays skipped with
    the ``holidays`` package); the case is due at the end of that day (UTC).
    Defaults (issue #5): critical 2, high 5, medium 10, low 20. Editable in
    admin by compliance managers; a change re-dates the open cases of the
    severity (:func:`compliance.services.sla.apply_policy`)."""

    severity = models.CharField(max_length=16, choices=Severity.choices, unique=True)
    business_days = models.PositiveIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(260)],
        help_text="1 to 260 (about a year of business days)",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["business_days"]
        verbose_name = "SLA policy"
        verbose_name_plural = "SLA policies"

    def __str__(self) -> str:
        return f"{self.severity}: {self.business_days} business days"


@pghistory.track(
    pghistory.InsertEvent(), pghistory.UpdateEvent(),
    fields=["status", "assignee", "resolution", "closed_at", "closed_by", "closed_by_run", "reopened_by", "due_at",
            "version"],
    model_name="CaseHistory", append_only=True, obj_field=pghistory.ObjForeignKey(related_name="history"),
    # Statement-level: one trigger call per statement (its context attached
    # once), so a bulk change of 100,000 cases stays a bulk write.
    level=pghistory.Statement,
)
class Case(models.Model):
    """An auditor's unit of work: one per violation (``violation_id`` is unique).

    Created by :func:`compliance.services.case_sync.sync_cases`. ``status``
    moves only through the transitions of :mod:`compliance.services.cases`
    (new → triaged → in_review → closed; closed → reopened → in_review). A
    closed case names who closed it: ``closed_by`` (a person) or
    ``closed_by_run`` (the pipeline, always as ``no_longer_detected``, a
    resolution no person may choose). The pipeline writes a case only to close
    it when its violation left the mart (never a case a person closed, nor one
    a person reopened: ``reopened_by``) and to reopen a case it closed itself
    when the violation comes back. ``evidence`` is the mart row as it was
    when the case was created. ``version`` grows by one on every change, so a
    form saved over a newer version is refused (a conflict), never lost.
    """

    class Status(models.TextChoices):
        NEW = "new", "New"
        TRIAGED = "triaged", "Triaged"
        IN_REVIEW = "in_review", "In review"
        CLOSED = "closed", "Closed"
        REOPENED = "reopened", "Reopened"

    class Resolution(models.TextChoices):
        CONFIRMED_VIOLATION = "confirmed_violation", "Confirmed violation"
        FALSE_POSITIVE = "false_positive", "False positive"
        EXEMPT = "exempt", "Exempt (consent, EBR or other exemption on file)"
        REMEDIATED = "remediated", "Remediated"
        RISK_ACCEPTED = "risk_accepted", "Risk accepted"
        NO_LONGER_DETECTED = "no_longer_detected", "No longer detected (the violation left the mart)"

    #: The resolutions a person may choose; ``no_longer_detected`` is set only
    #: by the pipeline's case sync (a person's closure with it would be taken
    #: for the pipeline's own and reopened by the next run).
    PERSON_RESOLUTIONS = (Resolution.CONFIRMED_VIOLATION, Resolution.FALSE_POSITIVE, Resolution.EXEMPT,
                          Resolution.REMEDIATED, Resolution.RISK_ACCEPTED)

    violation_id = models.CharField(max_length=32)
    violation_type = models.CharField(max_length=64, choices=ViolationType.choices)
    severity = models.CharField(max_length=16, choices=Severity.choices)
    priority = models.GeneratedField(
        expression=models.Case(
            *(models.When(severity=severity, then=models.Value(int(priority)))
              for severity, priority in PRIORITY_OF_SEVERITY.items()),
            default=models.Value(int(Priority.P4)),
        ),
        output_field=models.PositiveSmallIntegerField(choices=Priority.choices),
        db_persist=True,
        help_text="Derived from severity by the database (P1 critical … P4 low); the queue works P1 first",
    )
    lead_id = models.CharField(max_length=128)
    attempt_id = models.CharField(max_length=128)
    attempt_ts = models.DateTimeField()
    evidence = models.JSONField(decoder=ExactDecimalDecoder)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NEW)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="cases",
        db_index=False,  # a partial index (Meta.indexes)
    )
    resolution = models.CharField(max_length=32, choices=Resolution.choices, blank=True)
    created_by_run = models.ForeignKey(PipelineRun, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        db_index=False,  # a partial index (Meta.indexes)
        help_text="The person who closed the case (empty when open or closed by the pipeline)",
    )
    closed_by_run = models.ForeignKey(
        PipelineRun, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        db_index=False,  # a partial index (Meta.indexes)
        help_text="The pipeline run that closed the case as no longer detected (empty when a person closed it)",
    )
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        db_index=False,  # a partial index (Meta.indexes)
        help_text="The person who reopened the case; the pipeline then leaves it open until a person closes it",
    )
    due_at = models.DateTimeField(
        null=True, blank=True, db_index=True,
        help_text="When the case should be closed: the SLA policy's business days for its severity after creation",
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-attempt_ts", "id"]
        permissions = [
            ("triage_case", "Can claim, triage and review cases that are unassigned or their own"),
            ("assign_case", "Can assign any case and act on cases assigned to others"),
            ("close_case", "Can close cases"),
            ("reopen_case", "Can reopen closed cases"),
            ("bulk_change_case", "Can change many cases at once"),
            ("view_identifiers", "Can see phone hashes, lead ids and other identifiers unmasked"),
        ]
        # Every index is one more write per new case, and a case sync creates
        # up to a million cases in one statement (issue 12). Declared here, not
        # with db_index/unique on the fields, so that PostgreSQL gets no second
        # "_like" (varchar_pattern_ops) index per text column: nothing filters
        # them with LIKE. The columns that name a person or the closing run
        # are empty on almost every case: their partial indexes hold only the
        # rows that name someone (what the lookups ask for: a user's cases,
        # the cases that protect a user or run from deletion) and cost nothing
        # when the sync inserts cases that name nobody.
        indexes = [
            *(models.Index(fields=[name], name=f"case_{name}") for name in ("violation_type", "severity", "status")),
            *(models.Index(fields=[name], condition=models.Q(**{f"{name}__isnull": False}), name=f"case_{name}")
              for name in ("assignee", "closed_by", "closed_by_run", "reopened_by")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["violation_id"], name="case_violation_id_unique"),
            # Who closed a closed case: a person or a pipeline run, never both;
            # an open case has neither (the case sync relies on it).
            models.CheckConstraint(
                name="case_closed_by_one",
                condition=(models.Q(status="closed", closed_by__isnull=False, closed_by_run__isnull=True)
                           | models.Q(status="closed", closed_by__isnull=True, closed_by_run__isnull=False)
                           | models.Q(~models.Q(status="closed"), closed_by__isnull=True, closed_by_run__isnull=True)),
            ),
        ]

    def __str__(self) -> str:
        return f"Case {self.pk}: {self.get_violation_type_display()}"

    @property
    def priority_label(self) -> str:
        """``P1 (critical)`` … (a generated field has no ``get_priority_display``)."""
        return Priority(self.priority).label


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), model_name="CaseNoteHistory", append_only=True,
                 level=pghistory.Statement)
class CaseNote(models.Model):
    """A note on a case: an auditor's, or the pipeline's (``author`` empty)
    when it closes or reopens the case. ``internal`` notes are shown only to
    users with ``view_internal_casenote`` (auditors, managers). Notes are never deleted; only the author may edit
    one (:func:`compliance.services.cases.edit_note`), and every earlier text
    stays in CaseNoteHistory. ``version`` guards edits as on cases."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    body = models.TextField()
    internal = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    # db_default too: the pipeline and bulk actions insert notes in SQL.
    version = models.PositiveIntegerField(default=1, db_default=1)

    class Meta:
        ordering = ["created_at", "id"]
        permissions = [("view_internal_casenote", "Can read internal notes (the compliance team)")]

    def __str__(self) -> str:
        return f"Note {self.pk} on case {self.case_id}"


class CaseEvent(models.Model):
    """Audit trail: one row per change to a case, with actor, source and
    before/after values, written by :mod:`compliance.services.cases` and the
    case sync. Append-only: the database refuses UPDATE and DELETE on it (a
    trigger). Row-level history of cases and notes, bulk updates and raw SQL
    included, is kept beside it by django-pghistory (CaseHistory,
    CaseNoteHistory, with the request's or task's context)."""

    class Source(models.TextChoices):
        WEB = "web", "Web UI"
        ADMIN = "admin", "Admin"
        API = "api", "API"
        PIPELINE = "pipeline", "Pipeline"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    # Empty for the pipeline's events (most of them): a partial index (Meta).
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              db_index=False)
    action = models.CharField(max_length=32)
    source = models.CharField(max_length=16, choices=Source.choices)
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["actor"], condition=models.Q(actor__isnull=False), name="caseevent_actor")]
        triggers = [pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete)]

    def __str__(self) -> str:
        return f"{self.action} on case {self.case_id}"

    @property
    def changes(self) -> list[str]:
        """Human-readable ``field: before → after`` for each value that changed."""
        def shown(value) -> str:
            return "nobody" if value is None else (str(value) or "none")

        return [
            f"{name}: {shown(self.before[name])} → {shown(value)}"
            for name, value in self.after.items()
            if name in self.before and self.before[name] != value
        ]


class RawLoad(models.Model):
    """One ``load_raw`` invocation: which directory, which format, when."""

    source_dir = models.TextField()
    file_format = models.CharField(max_length=16)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"Load {self.pk} of {self.source_dir}"


class RawLoadFile(models.Model):
    """Per-file counts of a :class:`RawLoad`.

    Counted by ``load_raw``: ``rows_read = rows_new + rows_already_loaded +
    rows_repeated`` (new rows kept in ``raw``, rows already there from an
    earlier load, lines repeating another line of the same file exactly).

    Counted by the next successful pipeline run (``counted_by_run``), which
    judges every row in staging: ``rows_read = rows_staged + rows_superseded +
    rows_quarantined``, each line read counted once under its row's status
    (a repeated line shares the status of the line it repeats). NULL until
    then: the file is *pending*.
    """

    load = models.ForeignKey(RawLoad, on_delete=models.CASCADE, related_name="files")
    file_name = models.CharField(max_length=128)
    rows_read = models.IntegerField()
    rows_new = models.IntegerField()
    rows_already_loaded = models.IntegerField()
    rows_repeated = models.IntegerField(default=0)
    rows_staged = models.IntegerField(
        null=True, blank=True, help_text="lines whose row is staged as the current valid version of its id"
    )
    rows_superseded = models.IntegerField(
        null=True, blank=True, help_text="lines whose row is a valid older version, replaced by a later row of its id"
    )
    rows_quarantined = models.IntegerField(null=True, blank=True, help_text="lines whose row staging refused")
    counted_by_run = models.ForeignKey(
        "PipelineRun", null=True, blank=True, on_delete=models.PROTECT, related_name="counted_files",
        help_text="the pipeline run whose build judged these rows (NULL: pending until the next successful run)",
    )

    class Meta:
        ordering = ["load", "file_name"]
        constraints = [models.UniqueConstraint(fields=["load", "file_name"], name="uniq_load_file")]

    def __str__(self) -> str:
        return f"{self.file_name} in load {self.load_id}"

    @property
    def pending(self) -> bool:
        """Whether no pipeline run has judged this file's rows yet."""
        return self.counted_by_run_id is None


class CaseQueueItem(pg.View):
    """The case queue: each case joined to its current mart row (django-pgviews-redux).

    ``still_detected`` is false when the latest build no longer produces the
    violation. Re-created after every dbt build (dbt drops dependent views).
    """

    case = models.OneToOneField(Case, primary_key=True, on_delete=models.DO_NOTHING, db_column="case_id")
    violation_id = models.CharField(max_length=32)
    violation_type = models.CharField(max_length=64, choices=ViolationType.choices)
    severity = models.CharField(max_length=16, choices=Severity.choices)
    priority = models.PositiveSmallIntegerField(choices=Priority.choices)
    status = models.CharField(max_length=16, choices=Case.Status.choices)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.DO_NOTHING, db_column="assignee_id"
    )
    lead_id = models.CharField(max_length=128)
    attempt_id = models.CharField(max_length=128)
    campaign_id = models.CharField(max_length=128, null=True)
    channel = models.CharField(max_length=16, null=True)
    attempt_ts = models.DateTimeField()
    attempt_ts_local = models.DateTimeField(null=True)
    local_timezone = models.CharField(max_length=64, null=True)
    due_at = models.DateTimeField(null=True)
    still_detected = models.BooleanField()

    sql = """
        select c.id as case_id,
               c.violation_id,
               c.violation_type,
               c.severity,
               c.priority,
               c.status,
               c.assignee_id,
               c.lead_id,
               c.attempt_id,
               m.campaign_id,
               m.channel,
               c.attempt_ts,
               m.attempt_ts_local,
               m.local_timezone,
               c.due_at,
               (m.violation_id is not null) as still_detected
        from compliance_case c
        left join analytics.mart_compliance_risk m on m.violation_id = c.violation_id
    """

    class Meta:
        managed = False
        db_table = "compliance_case_queue"
        ordering = ["priority", "due_at", "-attempt_ts"]
