from django.urls import path

from knotenpunkt.core import views

app_name = "core"

# Mounted under /t/<tenant>/: the tenancy middleware resolves and scopes every one of these.
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("areas/", views.area_list, name="area_list"),
    path("areas/new/", views.area_create, name="area_create"),
    path("areas/figures/import/", views.figures_import, name="figures_import"),
    path("areas/<uuid:area>/", views.area_detail, name="area_detail"),
    path("areas/<uuid:area>/edit/", views.area_edit, name="area_edit"),
    path("areas/<uuid:area>/delete/", views.area_delete, name="area_delete"),
    path("audit/", views.audit_log, name="audit_log"),
    path("team/", views.team, name="team"),
    path("team/<uuid:role>/revoke/", views.role_revoke, name="role_revoke"),
    path("settings/", views.tenant_settings, name="tenant_settings"),
]
