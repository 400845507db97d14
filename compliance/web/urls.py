from django.urls import path

from compliance.web import views

app_name = "compliance"

urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("cases/bulk/", views.bulk_change, name="case_bulk"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/claim/", views.claim, name="case_claim"),
    path("cases/<int:pk>/assign/", views.assign, name="case_assign"),
    path("cases/<int:pk>/note/", views.note, name="case_note"),
    path("cases/<int:pk>/<str:name>/", views.transition, name="case_transition"),
    path("notes/<int:pk>/edit/", views.edit_note, name="note_edit"),
    path("pipeline/", views.pipeline_runs, name="pipeline_runs"),
    path("data-quality/", views.data_quality, name="data_quality"),
    path("rules/", views.rule_catalog, name="rule_catalog"),
    path("pipeline/run/", views.request_pipeline_run, name="pipeline_run"),
]
