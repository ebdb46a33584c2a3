from django.urls import path

from knotenpunkt.meetings import views

app_name = "meetings"

# Mounted under /t/<tenant>/meetings/ by config/urls.py.
urlpatterns = [
    path("", views.meeting_list, name="meeting_list"),
    path("new/", views.meeting_create, name="meeting_create"),
    path("series/new/", views.series_create, name="series_create"),
    path("<uuid:meeting>/", views.meeting_detail, name="meeting_detail"),
    path("<uuid:meeting>/edit/", views.meeting_edit, name="meeting_edit"),
    path("<uuid:meeting>/cancel/", views.meeting_cancel, name="meeting_cancel"),
    path("<uuid:meeting>/invite/", views.invitations_send, name="invitations_send"),
    path("<uuid:meeting>/reply/", views.invitation_reply_upload, name="invitation_reply_upload"),
    path("<uuid:meeting>/attendance/", views.attendance_save, name="attendance_save"),
    path("<uuid:meeting>/agenda/", views.agenda_item_add, name="agenda_item_add"),
    path("<uuid:meeting>/minutes/", views.minutes_save, name="minutes_save"),
    path("<uuid:meeting>/minutes.pdf", views.minutes_pdf, name="minutes_pdf"),
    path("agenda/<uuid:agenda_item>/delete/", views.agenda_item_delete, name="agenda_item_delete"),
    path("actions/", views.action_item_list, name="action_item_list"),
    path("actions/new/", views.action_item_create, name="action_item_create"),
    path("actions/<uuid:item>/edit/", views.action_item_edit, name="action_item_edit"),
    path("actions/<uuid:item>/status/", views.action_item_status, name="action_item_status"),
    path("needs/", views.need_list, name="need_list"),
    path("needs/new/", views.need_create, name="need_create"),
    path("needs/<uuid:need>/edit/", views.need_edit, name="need_edit"),
    path("needs/<uuid:need>/delete/", views.need_delete, name="need_delete"),
    path("calendar/", views.calendar_feed, name="calendar_feed"),
]
