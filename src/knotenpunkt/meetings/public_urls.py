from django.urls import path

from knotenpunkt.meetings import views

app_name = "meetings_public"

# Mounted under /m/ by config/urls.py: token links that work without login (replies, feeds).
urlpatterns = [
    path("rsvp/<str:token>/", views.rsvp, name="rsvp"),
    path("feed/<str:token>.ics", views.feed, name="feed"),
]
