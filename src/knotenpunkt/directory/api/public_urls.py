"""URLs of the public HSDS API, mounted at ``api/hsds/<slug:guide>/``.

The paths are those of the HSDS API reference (``services``, ``services/<id>`` …, no trailing
slash; one is tolerated). Ids are taken as text so that a malformed one is a JSON 404 like any
unknown id, and every other address below the API is a JSON 404 as well.
"""

from django.urls import path, re_path

from knotenpunkt.directory.api import public

app_name = "hsds_api"

_ID = r"(?P<object_id>[^/]+)"

urlpatterns = [
    path("", public.base, name="base"),
    path("openapi.json", public.openapi_document, name="openapi"),
    re_path(r"^services/?$", public.services, name="services"),
    re_path(rf"^services/{_ID}/?$", public.service_detail, name="service"),
    re_path(r"^organizations/?$", public.organizations, name="organizations"),
    re_path(rf"^organizations/{_ID}/?$", public.organization_detail, name="organization"),
    re_path(r"^service_at_locations/?$", public.service_at_locations, name="service_at_locations"),
    re_path(
        rf"^service_at_locations/{_ID}/?$",
        public.service_at_location_detail,
        name="service_at_location",
    ),
    re_path(r"^taxonomies/?$", public.taxonomies, name="taxonomies"),
    re_path(rf"^taxonomies/{_ID}/?$", public.taxonomy_detail, name="taxonomy"),
    re_path(r"^taxonomy_terms/?$", public.taxonomy_terms, name="taxonomy_terms"),
    re_path(rf"^taxonomy_terms/{_ID}/?$", public.taxonomy_term_detail, name="taxonomy_term"),
    path("profile/", public.profile_index, name="profile_index"),
    re_path(r"^profile/(?P<name>[a-z_]+\.json)$", public.profile_patch, name="profile_patch"),
    path("schema/", public.schema_index, name="schema_index"),
    re_path(r"^schema/(?P<name>[a-z_]+\.json)$", public.schema, name="schema"),
    re_path(r"^(?P<path>.*)$", public.not_found, name="not_found"),
]
