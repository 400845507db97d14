"""Django admin for every model. dbt-owned relations (mart, quarantine, case
queue) and the audit trail are read-only here."""

from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.html import format_html

from compliance import models
from compliance.cases import sla
from compliance.cases import workflow as case_actions
from compliance.cases.transitions import TRANSITIONS, Transition
from compliance.web.forms import TRANSITION_FORMS


class ReadOnlyAdmin(admin.ModelAdmin):
    """Admin for rows the application must not change from admin."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class InternalNotesHidden:
    """Internal notes only for users with ``view_internal_casenote``, as on the case page."""

    def get_queryset(self, request):
        notes = super().get_queryset(request)
        return notes if request.user.has_perm("compliance.view_internal_casenote") else notes.filter(internal=False)


class CaseNoteInline(InternalNotesHidden, admin.TabularInline):
    model = models.CaseNote
    extra = 0
    fields = ("author", "body", "internal", "created_at", "edited_at", "version")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


VERSION_FIELD = "version_{}"  # the version of case {pk} the admin page showed (CaseAdmin.shown_version)


def run_on_each(modeladmin, request, queryset, action, done: str) -> None:
    """Call the service ``action(case_id, user, version, source=admin)`` on
    each selected case, with the version the page showed it at (a case
    changed since, or posted without its version, is refused as a
    conflict); an admin page holds at most a few hundred. Report what was
    done and, per refused case, why (the same messages as the web UI)."""
    changed = 0
    for case_id in queryset.values_list("pk", flat=True):
        try:
            version = request.POST.get(VERSION_FIELD.format(case_id), "")  # checked by the service
            action(case_id, request.user, version, source=models.CaseEvent.Source.ADMIN)
            changed += 1
        except case_actions.CaseActionError as exc:
            modeladmin.message_user(request, f"Case {case_id}: {exc}", messages.ERROR)
    modeladmin.message_user(request, f"{changed} case(s) {done}.", messages.SUCCESS if changed else messages.WARNING)


@admin.action(description="Assign to me (through the case workflow)")
def claim(modeladmin, request, queryset):
    run_on_each(modeladmin, request, queryset, case_actions.claim_case, "assigned to you")


def transition_action(transition: Transition):
    """The admin action of ``transition`` (named as it is, e.g. ``close``):
    when its form (:data:`~compliance.web.forms.TRANSITION_FORMS`) asks for
    something (a resolution, a note), first a page with that form for the
    selected cases; then, once it is valid,
    :func:`~compliance.cases.workflow.transition_case` on each of them
    through :func:`run_on_each`."""
    form_class = TRANSITION_FORMS[transition.name]
    asks = [what for what, needed in (("a resolution", transition.takes_resolution), ("a note", transition.note))
            if needed]
    done = models.Case.Status(transition.target).label.lower()

    def act(modeladmin, request, queryset):
        form = form_class(request.POST if "apply" in request.POST or not asks else None)
        if form.is_valid():
            run_on_each(modeladmin, request, queryset, lambda case_id, user, version, source: (
                case_actions.transition_case(case_id, transition.name, user, version, source=source,
                                             **form.cleaned_data)), done)
            return None
        return TemplateResponse(request, "admin/compliance/case/action_form.html", {
            **modeladmin.admin_site.each_context(request), "title": f"{transition.label} cases", "form": form,
            "cases": queryset, "action": request.POST["action"], "opts": modeladmin.model._meta,
            "versions": {case_id: request.POST.get(VERSION_FIELD.format(case_id), "")
                         for case_id in queryset.values_list("pk", flat=True)},
        })

    act.__name__ = transition.name
    asked = f"… ({' and '.join(asks)}; " if asks else " ("
    return admin.action(description=f"{transition.label}{asked}through the case workflow)")(act)


@admin.register(models.Case)
class CaseAdmin(admin.ModelAdmin):
    """Cases are read-only forms here: status and assignee change only through
    the workflow's service functions, as admin actions (one per transition,
    from its definition; closing and reopening ask for their resolution and
    note on a page of their own)."""

    list_display = ("id", "violation_type", "severity", "priority", "status", "assignee", "resolution", "due_at",
                    "attempt_ts", "shown_version")
    list_filter = ("violation_type", "priority", "status", "resolution")
    search_fields = ("violation_id", "lead_id", "attempt_id")
    readonly_fields = [f.name for f in models.Case._meta.fields]
    inlines = [CaseNoteInline]
    actions = [claim, *map(transition_action, TRANSITIONS.values())]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="version")
    def shown_version(self, case: models.Case) -> str:
        """The case's version, posted with the list's actions (a hidden field
        inside the list's form), so an action on a case changed since the
        page was shown is refused as a conflict."""
        return format_html('{}<input type="hidden" name="{}" value="{}">', case.version,
                           VERSION_FIELD.format(case.pk), case.version)


@admin.register(models.CaseNote)
class CaseNoteAdmin(InternalNotesHidden, ReadOnlyAdmin):
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
    list_display = ("load", "file_name", "rows_read",
                    "rows_staged", "rows_superseded", "rows_quarantined", "counted_by_run")


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

    def save_model(self, request, obj, form, change):
        """Save, then re-date the open cases of the severity (:func:`compliance.cases.sla.apply_policy`)."""
        super().save_model(request, obj, form, change)
        if "business_days" in form.changed_data:
            changed = sla.apply_policy(obj, request.user)
            self.message_user(request, f"{changed} open {obj.severity} case(s) re-dated to the new policy.")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
