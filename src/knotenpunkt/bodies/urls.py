from django.urls import path  # noqa: F401

app_name = "bodies"

# Mounted under /t/<tenant>/bodies/ by config/urls.py.
urlpatterns: list = []
