"""HTTP behaviour of the public HSDS API: CORS, caching, methods, errors, its documents."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from knotenpunkt.core.models import LocalAuthority
from knotenpunkt.directory.hsds import profile as de_profile
from tests.directory.test_api_support import URLCONF, Directory, api_url, directory

pytestmark = [pytest.mark.django_db, pytest.mark.urls(URLCONF)]


@pytest.fixture
def data(tenant: LocalAuthority) -> Directory:
    return directory(tenant)


def test_the_base_endpoint_names_version_profile_and_openapi(
    tenant: LocalAuthority, anonymous_client: Client
) -> None:
    body = anonymous_client.get(api_url(tenant)).json()
    assert body == {
        "version": "3.0",
        "profile": f"http://testserver/api/hsds/{tenant.slug}/profile/",
        "openapi_url": f"http://testserver/api/hsds/{tenant.slug}/openapi.json",
    }


def test_reading_is_open_to_every_origin(data: Directory, anonymous_client: Client) -> None:
    for path in ("", "services", f"services/{data.counselling.uuid}", "openapi.json", "nowhere"):
        response = anonymous_client.get(
            api_url(data.tenant, path), HTTP_ORIGIN="https://app.example"
        )
        assert response["Access-Control-Allow-Origin"] == "*", path
        assert "Access-Control-Allow-Credentials" not in response, path


def test_a_preflight_is_answered(tenant: LocalAuthority, anonymous_client: Client) -> None:
    response = anonymous_client.options(
        api_url(tenant, "services"),
        HTTP_ORIGIN="https://app.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response["Access-Control-Allow-Methods"]
    assert "POST" not in response["Access-Control-Allow-Methods"]


def test_it_is_read_only(tenant: LocalAuthority, anonymous_client: Client) -> None:
    for method in ("post", "put", "patch", "delete"):
        response = getattr(anonymous_client, method)(api_url(tenant, "services"))
        assert response.status_code == 405, method
        assert response["Allow"] == "GET, HEAD, OPTIONS"
        assert response.json()["detail"]


def test_a_post_without_csrf_token_gets_the_apis_own_405(tenant: LocalAuthority) -> None:
    response = Client(enforce_csrf_checks=True).post(api_url(tenant, "services"))
    assert response.status_code == 405
    assert response["Content-Type"] == "application/json"


def test_head_answers_like_get_without_a_body(data: Directory, anonymous_client: Client) -> None:
    response = anonymous_client.head(api_url(data.tenant, "services"))
    assert response.status_code == 200
    assert response["ETag"] == anonymous_client.get(api_url(data.tenant, "services"))["ETag"]
    assert response.content == b""


def test_answers_may_be_cached_briefly_and_revalidated(
    data: Directory, anonymous_client: Client
) -> None:
    url = api_url(data.tenant, "services")
    first = anonymous_client.get(url)
    assert "max-age=60" in first["Cache-Control"] and "public" in first["Cache-Control"]
    again = anonymous_client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again["Access-Control-Allow-Origin"] == "*"
    detail_url = api_url(data.tenant, f"services/{data.counselling.uuid}")
    detail = anonymous_client.get(detail_url)
    assert anonymous_client.get(detail_url, HTTP_IF_NONE_MATCH=detail["ETag"]).status_code == 304
    data.counselling.organisation.name = "Neuer Träger"
    data.counselling.organisation.save(update_fields=["name"])
    # The organisation changed, not the service: the service's answer changes all the same.
    assert anonymous_client.get(detail_url, HTTP_IF_NONE_MATCH=detail["ETag"]).status_code == 200


def test_no_session_cookie_or_vary_cookie_spoils_caching(
    data: Directory, anonymous_client: Client
) -> None:
    response = anonymous_client.get(api_url(data.tenant, "services"))
    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")


def test_the_security_headers_leave_json_intact(data: Directory, anonymous_client: Client) -> None:
    response = anonymous_client.get(api_url(data.tenant, "services"))
    assert response["Content-Type"] == "application/json"
    assert response["X-Content-Type-Options"] == "nosniff"
    json.loads(response.content)


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("page=0", "page"),
        ("page=-1", "page"),
        ("page=abc", "page"),
        ("page=1.5", "page"),
        ("per_page=0", "per_page"),
        ("per_page=1001", "per_page"),
        ("taxonomy_term_id=nope", "taxonomy_term_id"),
        ("taxonomy_id=123", "taxonomy_id"),
        ("organization_id=%00", "organization_id"),
        ("modified_after=yesterday", "modified_after"),
        ("modified_after=2024-13-01", "modified_after"),
        ("minimal=perhaps", "minimal"),
        ("full=2", "full"),
        ("format=xml", "format"),
        ("search=" + "x" * 201, "search"),
    ],
)
def test_malformed_parameters_are_a_json_400(
    tenant: LocalAuthority, anonymous_client: Client, query: str, parameter: str
) -> None:
    response = anonymous_client.get(api_url(tenant, f"services?{query}"))
    assert response.status_code == 400, query
    body = response.json()
    assert body["parameter"] == parameter
    assert body["detail"].startswith(f"{parameter}: ")
    assert response["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize(
    "query",
    [
        "proximity=1000",
        "proximity=abc",
        "proximity=91,11",
        "proximity=52,181",
        "proximity=52,11,-5",
        "proximity=52,11,9999999",
        "proximity=1,2,3,4",
        "postcode=" + "1" * 20,
        "postcode=%3Cscript%3E",
    ],
)
def test_bad_places_are_a_json_400(
    tenant: LocalAuthority, anonymous_client: Client, query: str
) -> None:
    response = anonymous_client.get(api_url(tenant, f"service_at_locations?{query}"))
    assert response.status_code == 400, query
    assert response.json()["parameter"] in {"proximity", "postcode"}


def test_unknown_parameters_are_ignored(data: Directory, anonymous_client: Client) -> None:
    response = anonymous_client.get(api_url(data.tenant, "services?colour=blue"))
    assert response.status_code == 200


def test_the_openapi_document_is_self_contained_and_points_here(
    tenant: LocalAuthority, anonymous_client: Client
) -> None:
    response = anonymous_client.get(api_url(tenant, "openapi.json"))
    assert response.status_code == 200
    document = response.json()
    assert document["servers"] == [{"url": f"http://testserver/api/hsds/{tenant.slug}"}]
    assert "raw.githubusercontent.com" not in json.dumps(list(_refs(document)))
    assert set(document["paths"]) == {
        "/",
        "/services",
        "/services/{id}",
        "/organizations",
        "/organizations/{id}",
        "/service_at_locations",
        "/service_at_locations/{id}",
        "/taxonomies",
        "/taxonomies/{id}",
        "/taxonomy_terms",
        "/taxonomy_terms/{id}",
    }


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [ref for value in node.values() for ref in _refs(value)]
    if isinstance(node, list):
        return [ref for value in node for ref in _refs(value)]
    return []


def test_the_profile_is_published(tenant: LocalAuthority, anonymous_client: Client) -> None:
    index = anonymous_client.get(api_url(tenant, "profile/")).json()
    assert index["version"] == de_profile.PROFILE_VERSION
    assert set(index["patches"]) == set(de_profile.profile_patches())
    for name, url in index["patches"].items():
        patch = anonymous_client.get(url)
        assert patch.status_code == 200
        assert patch.json() == de_profile.profile_patches()[name]
    schemas = anonymous_client.get(index["schemas"]).json()
    service = anonymous_client.get(schemas["service.json"]).json()
    assert service == de_profile.profile_schema("service")
    assert "minimum_age_months" in service["properties"]
