"""The case workflow's tables (managed): cases, notes, audit events, bulk operations, SLA policy.

Cases and notes keep their row history with django-pghistory (``CaseHistory``,
``CaseNoteHistory``: append-only, written by statement triggers)."""

import pghistory
import pgtrigger
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from .choices import PRIORITY_OF_SEVERITY, ExactDecimalDecoder, Priority, Severity
from .pipeline import PipelineRun


class BulkOperation(models.Model):
    """One bulk change of many cases by a manager: the action, its
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


class SlaPolicy(models.Model):
    """How long a case of one severity may stay open: ``business_days`` after
    the day it was created (Monday to Friday, US federal holidays skipped with
    the ``holidays`` package); the case is due at the end of that day (UTC).
    Defaults: critical 2, high 5, medium 10, low 20. Editable in
    admin by compliance managers; a change re-dates the open cases of the
    severity (:func:`compliance.cases.sla.apply_policy`)."""

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
    model_name="CaseHistory", append_only=True,
    obj_field=pghistory.ObjForeignKey(related_name="history", db_index=True),
    # Statement-level: one trigger call per statement (its context attached
    # once), so a bulk change of 100,000 cases stays a bulk write.
    level=pghistory.Statement,
)
class Case(models.Model):
    """An auditor's unit of work: one per violation (``violation_id`` is unique).

    Created by :func:`compliance.cases.sync.sync_cases`. ``status``
    moves only through the transitions of :mod:`compliance.cases.workflow`
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
    violation_type = models.CharField(max_length=64, help_text="The rule family (the rule catalog's violation_type)")
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
        # up to a million cases in one statement. Declared here, not
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
        return f"Case {self.pk}: {self.violation_type}"

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
    one (:func:`compliance.cases.workflow.edit_note`), and every earlier text
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
    before/after values, written by :mod:`compliance.cases.workflow` and the
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
