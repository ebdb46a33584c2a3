from django.urls import path

from knotenpunkt.directory import booklet_views as views

app_name = "guide_editions"

# Mounted under /t/<tenant>/offers/editions/ by config/urls.py: the printed guide's editions.
urlpatterns = [
    path("", views.edition_list, name="list"),
    path("new/", views.edition_create, name="create"),
    path("<uuid:edition>/", views.edition_detail, name="detail"),
    path("<uuid:edition>/progress/", views.edition_progress, name="progress"),
    path("<uuid:edition>/download/", views.edition_download, name="download"),
    path("<uuid:edition>/retry/", views.edition_retry, name="retry"),
    path("<uuid:edition>/delete/", views.edition_delete, name="delete"),
]
