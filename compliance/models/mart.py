"""What dbt owns, read-only here (unmanaged): the mart, the rule catalog, the
quarantine, and the django-pgviews-redux view of cases joined to their mart row."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django_pgviews import view as pg

from compliance.pipeline.relations import built

from .cases import Case
from .choices import Priority, Severity


class ComplianceViolation(models.Model):
    """One violation found by dbt: a row of ``analytics.mart_compliance_risk``.

    Published by every successful pipeline run; ``violation_id`` is an md5 of the rule and
    the violating key, stable across rebuilds. ``attempt_ts`` is the UTC
    instant; ``attempt_ts_local`` the wall-clock time in ``local_timezone``
    (an IANA name, the primary zone). Time-of-day rules judge every zone in
    ``candidate_zones``: ``certainty`` is ``definite`` when the attempt breaks
    the rule in all of them, ``possible`` when only in ``deciding_zones``
    (docs/rules.md#zones-and-states); ``zone_evidence`` says where the zones came from.
    """

    class Certainty(models.TextChoices):
        DEFINITE = "definite", "Definite"
        POSSIBLE = "possible", "Possible"

    violation_id = models.CharField(primary_key=True, max_length=32)
    violation_type = models.CharField(max_length=64)
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
    A, U: docs/rules.md#source-confidence) and severities. Read-only: the seed is the source."""

    rule_id = models.CharField(primary_key=True, max_length=32)
    violation_type = models.CharField(max_length=64)
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

    @classmethod
    def families(cls) -> list[str]:
        """The rule families (``violation_type``) of the catalog, sorted: the one
        list of them, so a new family is a catalog row and needs no Django
        migration. Empty before the first dbt build has made the table."""
        if not built(cls):
            return []
        return list(cls.objects.order_by("violation_type").values_list("violation_type", flat=True).distinct())


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


class CaseQueueItem(pg.View):
    """The case queue: each case joined to its current mart row (django-pgviews-redux).

    ``still_detected`` is false when the latest build no longer produces the
    violation. Re-created after every dbt build (dbt drops dependent views).
    """

    case = models.OneToOneField(Case, primary_key=True, on_delete=models.DO_NOTHING, db_column="case_id")
    violation_id = models.CharField(max_length=32)
    violation_type = models.CharField(max_length=64)
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
