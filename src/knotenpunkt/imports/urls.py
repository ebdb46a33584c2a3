from django.urls import path

from knotenpunkt.imports import views

app_name = "imports"

# Mounted under /t/<tenant>/import/ by config/urls.py.
urlpatterns = [
    path("", views.start, name="start"),
    path("export/<slug:dataset>.<slug:fmt>", views.export, name="export"),
    path("<uuid:batch>/", views.batch, name="batch"),
    path("<uuid:batch>/mapping/", views.mapping, name="mapping"),
    path("<uuid:batch>/progress/", views.progress, name="progress"),
    path("<uuid:batch>/decisions/", views.decide, name="decide"),
    path("<uuid:batch>/apply/", views.apply, name="apply"),
    path("<uuid:batch>/undo/", views.undo, name="undo"),
]
