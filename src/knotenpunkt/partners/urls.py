from django.urls import path

from knotenpunkt.partners import views

app_name = "partners"

# Mounted under /t/<tenant>/partners/ by config/urls.py.
urlpatterns = [
    path("", views.organisation_list, name="organisation_list"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path(
        "organisations/<uuid:organisation>/",
        views.organisation_detail,
        name="organisation_detail",
    ),
    path(
        "organisations/<uuid:organisation>/edit/",
        views.organisation_edit,
        name="organisation_edit",
    ),
    path(
        "organisations/<uuid:organisation>/delete/",
        views.organisation_delete,
        name="organisation_delete",
    ),
    path("organisations/<uuid:organisation>/units/new/", views.unit_create, name="unit_create"),
    path("units/<uuid:unit>/edit/", views.unit_edit, name="unit_edit"),
    path("units/<uuid:unit>/delete/", views.unit_delete, name="unit_delete"),
    path("people/", views.person_list, name="person_list"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/<uuid:person>/", views.person_detail, name="person_detail"),
    path("people/<uuid:person>/edit/", views.person_edit, name="person_edit"),
    path("people/<uuid:person>/export/", views.person_export, name="person_export"),
    path("people/<uuid:person>/erase/", views.person_erase, name="person_erase"),
    path("people/<uuid:person>/affiliations/new/", views.affiliation_add, name="affiliation_add"),
    path(
        "people/<uuid:person>/affiliations/<int:affiliation>/end/",
        views.affiliation_end,
        name="affiliation_end",
    ),
    path(
        "people/<uuid:person>/affiliations/<int:affiliation>/remove/",
        views.affiliation_remove,
        name="affiliation_remove",
    ),
    path("people/<uuid:person>/consents/new/", views.consent_record, name="consent_record"),
    path(
        "people/<uuid:person>/consents/<int:consent>/withdraw/",
        views.consent_withdraw,
        name="consent_withdraw",
    ),
    path("filters/save/", views.saved_filter_save, name="saved_filter_save"),
    path(
        "filters/<int:saved_filter>/delete/",
        views.saved_filter_delete,
        name="saved_filter_delete",
    ),
    path("vocabulary/", views.vocabulary, name="vocabulary"),
    path("vocabulary/sectors/<int:sector>/", views.sector_edit, name="sector_edit"),
    path("vocabulary/sectors/<int:sector>/delete/", views.sector_delete, name="sector_delete"),
    path(
        "vocabulary/professions/<int:profession>/",
        views.profession_edit,
        name="profession_edit",
    ),
    path(
        "vocabulary/professions/<int:profession>/delete/",
        views.profession_delete,
        name="profession_delete",
    ),
    path("data-protection/", views.data_protection, name="data_protection"),
]
