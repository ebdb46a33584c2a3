from django.urls import path  # noqa: F401

app_name = "meetings_public"

# Mounted under /m/ by config/urls.py: token links that work without login (replies, feeds).
urlpatterns: list = []
