"""Filters of the case queue (django-filter)."""

import django_filters
from django.db.models import Q
from django.utils import timezone

from compliance.models import Case, CaseQueueItem, RuleCatalogEntry, Severity


class CaseQueueFilter(django_filters.FilterSet):
    """Filter by violation type, severity, status, campaign, local day of the
    attempt, and "mine" / "unassigned" (bulk actions apply to the result)."""

    violation_type = django_filters.ChoiceFilter(
        choices=lambda: [(family, family) for family in RuleCatalogEntry.families()], label="Type")
    severity = django_filters.ChoiceFilter(choices=Severity.choices)
    status = django_filters.ChoiceFilter(choices=Case.Status.choices)
    campaign_id = django_filters.CharFilter(label="Campaign")
    local_date = django_filters.DateFilter(field_name="attempt_ts_local", lookup_expr="date", label="Local day")
    overdue = django_filters.ChoiceFilter(
        choices=(("true", "Overdue"), ("false", "Not overdue")), method="filter_overdue", label="Due")
    assigned = django_filters.ChoiceFilter(
        choices=(("me", "Assigned to me"), ("none", "Unassigned")), method="filter_assigned", label="Assignee"
    )

    class Meta:
        model = CaseQueueItem
        fields = ["violation_type", "severity", "status"]

    def filter_overdue(self, queryset, name, value):
        """Open cases past their due date (``true``) or the others (``false``)."""
        overdue = Q(due_at__lt=timezone.now()) & ~Q(status=Case.Status.CLOSED)
        return queryset.filter(overdue) if value == "true" else queryset.exclude(overdue)

    def filter_assigned(self, queryset, name, value):
        if value == "me":
            return queryset.filter(assignee=self.request.user)
        if value == "none":
            return queryset.filter(assignee__isnull=True)
        return queryset
