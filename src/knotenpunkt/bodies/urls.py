from django.urls import path

from knotenpunkt.bodies import views

app_name = "bodies"

# Mounted under /t/<tenant>/structure/ by config/urls.py.
urlpatterns = [
    path("", views.structure, name="structure"),
    path("bodies/", views.body_list, name="body_list"),
    path("bodies/new/", views.body_create, name="body_create"),
    path("bodies/<uuid:body>/", views.body_detail, name="body_detail"),
    path("bodies/<uuid:body>/edit/", views.body_edit, name="body_edit"),
    path("bodies/<uuid:body>/delete/", views.body_delete, name="body_delete"),
    path("bodies/<uuid:body>/relations/new/", views.relation_create, name="relation_create"),
    path("bodies/<uuid:body>/members/new/", views.membership_create, name="membership_create"),
    path("relations/<uuid:relation>/delete/", views.relation_delete, name="relation_delete"),
    path("memberships/<uuid:membership>/end/", views.membership_end, name="membership_end"),
    path(
        "memberships/<uuid:membership>/delete/", views.membership_delete, name="membership_delete"
    ),
    path("programmes/", views.programme_list, name="programme_list"),
    path("programmes/new/", views.programme_create, name="programme_create"),
    path("programmes/<uuid:programme>/edit/", views.programme_edit, name="programme_edit"),
    path("programmes/<uuid:programme>/delete/", views.programme_delete, name="programme_delete"),
    path("goals/", views.goal_list, name="goal_list"),
    path("goals/new/", views.goal_create, name="goal_create"),
    path("goals/<uuid:goal>/edit/", views.goal_edit, name="goal_edit"),
    path("goals/<uuid:goal>/move/", views.goal_move, name="goal_move"),
    path("goals/<uuid:goal>/delete/", views.goal_delete, name="goal_delete"),
    path("kinds/", views.kind_list, name="kind_list"),
    path("kinds/<uuid:kind>/edit/", views.kind_edit, name="kind_edit"),
    path("kinds/<uuid:kind>/delete/", views.kind_delete, name="kind_delete"),
]
