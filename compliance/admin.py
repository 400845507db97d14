"""Django admin for every model. dbt-owned relations (mart, quarantine, case
queue) and the audit trail are read-only here."""

from django.contrib import admin

from . import models


class ReadOnlyAdmin(admin.ModelAdmin):
    """Admin for rows the application must not change from admin."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CaseNoteInline(admin.TabularInline):
    model = models.CaseNote
    extra = 0
    readonly_fields = ("author", "body", "created_at")
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(models.Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ("id", "violation_type", "severity", "status", "assignee", "resolution", "attempt_ts")
    list_filter = ("violation_type", "severity", "status", "resolution")
    search_fields = ("violation_id", "lead_id", "attempt_id")
    # Human fields change only through compliance.services.cases (web UI).
    readonly_fields = [f.name for f in models.Case._meta.fields]
    inlines = [CaseNoteInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.CaseNote)
class CaseNoteAdmin(ReadOnlyAdmin):
    list_display = ("id", "case", "author", "created_at")
    search_fields = ("body",)


@admin.register(models.CaseEvent)
class CaseEventAdmin(ReadOnlyAdmin):
    list_display = ("id", "case", "action", "source", "actor", "created_at")
    list_filter = ("action", "source")


class PipelineNodeResultInline(admin.TabularInline):
    model = models.PipelineNodeResult
    extra = 0
    can_delete = False
    fields = ("name", "resource_type", "status", "severity", "execution_seconds", "rows_affected", "failures",
              "message")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(models.PipelineRun)
class PipelineRunAdmin(ReadOnlyAdmin):
    list_display = ("id", "trigger", "requested_by", "status", "started_at", "finished_at", "models_passed",
                    "models_failed", "tests_passed", "tests_warned", "tests_failed", "cases_created", "cases_closed",
                    "cases_reopened", "cases_untouched")
    list_filter = ("status", "trigger")
    inlines = [PipelineNodeResultInline]


@admin.register(models.PipelineNodeResult)
class PipelineNodeResultAdmin(ReadOnlyAdmin):
    list_display = ("run", "name", "resource_type", "status", "severity", "execution_seconds", "failures")
    list_filter = ("status", "resource_type")
    search_fields = ("name", "message")


class RawLoadFileInline(admin.TabularInline):
    model = models.RawLoadFile
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(models.RawLoad)
class RawLoadAdmin(ReadOnlyAdmin):
    list_display = ("id", "source_dir", "file_format", "started_at", "finished_at")
    inlines = [RawLoadFileInline]


@admin.register(models.RawLoadFile)
class RawLoadFileAdmin(ReadOnlyAdmin):
    list_display = ("load", "file_name", "rows_read", "rows_loaded", "rows_quarantined", "rows_repeated", "rows_new",
                    "rows_already_loaded")


@admin.register(models.ComplianceViolation)
class ComplianceViolationAdmin(ReadOnlyAdmin):
    list_display = ("violation_id", "violation_type", "rule_id", "severity", "certainty", "lead_id", "attempt_id",
                    "attempt_ts_local", "local_timezone")
    list_filter = ("violation_type", "severity", "certainty", "source_format")
    search_fields = ("violation_id", "lead_id", "attempt_id")


@admin.register(models.RuleCatalogEntry)
class RuleCatalogEntryAdmin(ReadOnlyAdmin):
    list_display = ("rule_id", "violation_type", "jurisdiction", "citation", "confidence", "default_severity",
                    "definite_enabled")
    list_filter = ("violation_type", "confidence")


@admin.register(models.QuarantinedRow)
class QuarantinedRowAdmin(ReadOnlyAdmin):
    list_display = ("file_format", "source_file", "line_number", "load_id", "reason")
    list_filter = ("file_format", "source_file")
    search_fields = ("reason",)


@admin.register(models.CaseQueueItem)
class CaseQueueItemAdmin(ReadOnlyAdmin):
    list_display = ("case", "violation_type", "severity", "status", "assignee", "still_detected")
    list_filter = ("violation_type", "severity", "status", "still_detected")


@admin.register(models.AlertDelivery)
class AlertDeliveryAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "run", "kind", "channel", "target", "delivered", "attempts")
    list_filter = ("kind", "channel", "delivered")


@admin.register(models.SlaPolicy)
class SlaPolicyAdmin(admin.ModelAdmin):
    """Business days per severity; compliance managers may edit them (the
    severities are fixed: no add or delete)."""

    list_display = ("severity", "business_days", "updated_at")
    readonly_fields = ("severity",)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
