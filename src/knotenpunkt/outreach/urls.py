from django.urls import path  # noqa: F401

app_name = "outreach"

# Mounted under /t/<tenant>/contacts/ by config/urls.py.
urlpatterns: list = []
