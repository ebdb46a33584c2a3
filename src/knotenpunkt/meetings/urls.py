from django.urls import path  # noqa: F401

app_name = "meetings"

# Mounted under /t/<tenant>/meetings/ by config/urls.py.
urlpatterns: list = []
