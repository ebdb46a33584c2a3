from django.urls import path  # noqa: F401

app_name = "partners"

# Mounted under /t/<tenant>/partners/ by config/urls.py.
urlpatterns: list = []
