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
    path("care/", views.contact_care, name="contact_care"),
    path("care/intervals/", views.contact_interval_set, name="contact_interval_set"),
    path("care/<uuid:organisation>/put-on-tour/", views.care_put_on_tour, name="care_put_on_tour"),
    path(
        "care/people/<uuid:person>/put-on-tour/",
        views.care_put_person_on_tour,
        name="care_put_person_on_tour",
    ),
    path("tours/", views.tour_list, name="tour_list"),
    path("tours/<uuid:tour>/", views.tour_detail, name="tour_detail"),
    path("tours/<uuid:tour>/print/", views.tour_print, name="tour_print"),
    path("tours/<uuid:tour>/stops/", views.tour_stop_add, name="tour_stop_add"),
    path(
        "tours/<uuid:tour>/stops/<uuid:stop>/remove/",
        views.tour_stop_remove,
        name="tour_stop_remove",
    ),
    path("tours/<uuid:tour>/stops/<uuid:stop>/edit/", views.tour_stop_edit, name="tour_stop_edit"),
    path("tours/<uuid:tour>/stops/<uuid:stop>/move/", views.tour_stop_move, name="tour_stop_move"),
    path("tours/<uuid:tour>/plan/", views.tour_plan, name="tour_plan"),
    path("tours/<uuid:tour>/record/", views.tour_complete, name="tour_complete"),
    path("welcome-visits/", views.welcome_visit_record, name="welcome_visit_record"),
    path("welcome-visits/statistics/", views.welcome_statistics, name="welcome_statistics"),
]
