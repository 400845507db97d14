"""Pipeline bookkeeping (managed): runs, their dbt nodes and alerts, raw loads and their files."""

from django.conf import settings
from django.db import models


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
        help_text="What the run built (compliance/pipeline/build_plan.py); empty if it never got the lock",
    )
    build_reason = models.TextField(blank=True, help_text="Why the run built in this mode")
    project_fingerprint = models.CharField(
        max_length=64, blank=True, help_text="SHA-256 of the dbt project's models, macros, seeds and dbt_project.yml"
    )
    raw_watermark = models.JSONField(
        default=dict, blank=True,
        help_text='{raw table: {"statements": writes, "rewrites": those not inserts}} when the build started',
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

    Counted by ``load_raw``: ``rows_read``, the records read from the file,
    each appended to its raw table as one row (raw tables are append-only).

    Counted by the next successful pipeline run (``counted_by_run``), which
    judges every raw row in staging: ``rows_read = rows_staged +
    rows_superseded + rows_quarantined``, each record read counted once under
    its own row's status. A record identical to one read later (a repeated
    line, a row sent again by a later load) is superseded by it. NULL until
    then: the file is *pending*.
    """

    load = models.ForeignKey(RawLoad, on_delete=models.CASCADE, related_name="files")
    file_name = models.CharField(max_length=128)
    rows_read = models.IntegerField()
    rows_staged = models.IntegerField(
        null=True, blank=True, help_text="records whose row is staged as the current valid version of its id"
    )
    rows_superseded = models.IntegerField(
        null=True, blank=True,
        help_text="records whose row a later one replaced: an older valid version of its id, or a later identical row",
    )
    rows_quarantined = models.IntegerField(null=True, blank=True, help_text="records whose row staging refused")
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
