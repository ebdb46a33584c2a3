from django.urls import path  # noqa: F401

app_name = "imports"

# Mounted under /t/<tenant>/imports/ by config/urls.py.
urlpatterns: list = []
