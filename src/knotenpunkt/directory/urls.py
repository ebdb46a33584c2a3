from django.urls import path

from knotenpunkt.directory import views

app_name = "directory"

# Mounted under /t/<tenant>/offers/ by config/urls.py.
urlpatterns = [
    path("", views.service_list, name="service_list"),
    path("new/", views.service_create, name="service_create"),
    path("mine/", views.my_services, name="my_services"),
    path("mine/new/", views.revision_propose_new, name="revision_propose_new"),
    path("mine/proposals/", views.my_revisions, name="my_revisions"),
    path("review/", views.review_queue, name="review_queue"),
    path("freshness/", views.dashboard, name="dashboard"),
    path("reports/", views.error_report_list, name="error_report_list"),
    path("reports/<uuid:report>/resolve/", views.error_report_resolve, name="error_report_resolve"),
    path("settings/", views.settings_edit, name="settings"),
    path(
        "organisations/<uuid:organisation>/verify/",
        views.verify_prompt,
        name="verify_prompt",
    ),
    path("proposals/<uuid:revision>/", views.revision_detail, name="revision_detail"),
    path("proposals/<uuid:revision>/approve/", views.revision_approve, name="revision_approve"),
    path("proposals/<uuid:revision>/reject/", views.revision_reject, name="revision_reject"),
    path("proposals/<uuid:revision>/withdraw/", views.revision_withdraw, name="revision_withdraw"),
    path("<uuid:service>/", views.service_detail, name="service_detail"),
    path("<uuid:service>/edit/", views.service_edit, name="service_edit"),
    path("<uuid:service>/verify/", views.service_verify, name="service_verify"),
    path("<uuid:service>/propose/", views.revision_propose, name="revision_propose"),
]
