from django.urls import path

from knotenpunkt.directory import public_views

app_name = "guide"

# Mounted under /g/<slug:guide>/ by config/urls.py: the public guide, no login.
urlpatterns = [
    path("", public_views.offer_list, name="offer_list"),
    path("<uuid:service>/", public_views.offer_detail, name="offer_detail"),
    path("<uuid:service>/report/", public_views.report_error, name="report_error"),
    path("<uuid:service>/report/thanks/", public_views.report_thanks, name="report_thanks"),
    path("v/<str:token>/", public_views.verify, name="verify"),
]
