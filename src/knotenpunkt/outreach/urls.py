from django.urls import path

from knotenpunkt.outreach import views

app_name = "outreach"

# Mounted under /t/<tenant>/contacts/ by config/urls.py.
urlpatterns = [
    path("", views.contact_list, name="contact_list"),
    path("new/", views.contact_create, name="contact_create"),
    path("<uuid:contact>/edit/", views.contact_edit, name="contact_edit"),
    path("<uuid:contact>/delete/", views.contact_delete, name="contact_delete"),
    path("<uuid:contact>/follow-up-done/", views.follow_up_done, name="follow_up_done"),
]
