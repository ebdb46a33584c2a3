from django.urls import path

from knotenpunkt.directory import exchange_views

app_name = "directory_exchange"

# Mounted under /t/<tenant>/offers/exchange/ by config/urls.py.
urlpatterns = [
    path("", exchange_views.index, name="index"),
    path("export/<slug:fmt>/<slug:subset>/", exchange_views.export, name="export"),
    path("import/", exchange_views.import_file, name="import"),
]
