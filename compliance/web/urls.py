from django.urls import path

from compliance.web import case_page, pipeline_pages, queue

app_name = "compliance"

urlpatterns = [
    path("", queue.case_list, name="case_list"),
    path("cases/bulk/", queue.bulk_change, name="case_bulk"),
    path("cases/<int:pk>/", case_page.case_detail, name="case_detail"),
    path("cases/<int:pk>/claim/", case_page.claim, name="case_claim"),
    path("cases/<int:pk>/assign/", case_page.assign, name="case_assign"),
    path("cases/<int:pk>/note/", case_page.note, name="case_note"),
    path("cases/<int:pk>/<str:name>/", case_page.transition, name="case_transition"),
    path("notes/<int:pk>/edit/", case_page.edit_note, name="note_edit"),
    path("pipeline/", pipeline_pages.pipeline_runs, name="pipeline_runs"),
    path("data-quality/", pipeline_pages.data_quality, name="data_quality"),
    path("rules/", pipeline_pages.rule_catalog, name="rule_catalog"),
    path("pipeline/run/", pipeline_pages.request_pipeline_run, name="pipeline_run"),
]
