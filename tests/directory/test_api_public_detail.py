"""The single-object endpoints of the public HSDS API, and what the public never sees."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.test import Client

from knotenpunkt.core.models import LocalAuthority
from knotenpunkt.directory.hsds import schemas
from tests.directory.test_api_support import URLCONF, Directory, api_url, directory, located

pytestmark = [pytest.mark.django_db, pytest.mark.urls(URLCONF)]


@pytest.fixture
def data(tenant: LocalAuthority) -> Directory:
    return directory(tenant)


def _get(client: Client, url: str, status: int = 200) -> Any:
    response = client.get(url)
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    return response.json()


def test_it_gives_a_fully_nested_service(data: Directory, anonymous_client: Client) -> None:
    service = _get(anonymous_client, api_url(data.tenant, f"services/{data.counselling.uuid}"))
    assert service["id"] == str(data.counselling.uuid)
    assert service["name"] == "Schwangerschaftsberatung"
    assert service["organization"]["name"] == "Familienzentrum Salzwedel"
    assert service["topics"] == [str(data.topic.uuid)]
    assert schemas.validate(service, "service") == []


def test_each_endpoint_answers_schema_valid_hsds(data: Directory, anonymous_client: Client) -> None:
    tenant = data.tenant
    lists = {
        "services": "service_list",
        "organizations": "organization_list",
        "service_at_locations": "service_at_location_list",
    }
    for path, list_schema in lists.items():
        for item in _get(anonymous_client, api_url(tenant, path))["contents"]:
            assert schemas.validate_list_item(item, list_schema) == [], (path, item["id"])
    for path, schema in {
        "taxonomies": "taxonomy",
        "taxonomy_terms": "taxonomy_term",
        "services?full=true": "service",
        "organizations?full_service=true": "organization",
        "service_at_locations?full=true": "service_at_location",
    }.items():
        for item in _get(anonymous_client, api_url(tenant, path))["contents"]:
            assert schemas.validate(item, schema) == [], (path, item["id"])
    details = {
        f"organizations/{data.provider.uuid}": "organization",
        f"service_at_locations/{data.shelter_site.uuid}": "service_at_location",
        f"taxonomies/{data.taxonomy.uuid}": "taxonomy",
        f"taxonomy_terms/{data.topic.uuid}": "taxonomy_term",
    }
    for path, schema in details.items():
        assert schemas.validate(_get(anonymous_client, api_url(tenant, path)), schema) == [], path


@pytest.mark.parametrize("hidden", ["professionals_only", "stale", "inactive"])
def test_hidden_services_are_not_found(
    data: Directory, anonymous_client: Client, hidden: str
) -> None:
    service = getattr(data, hidden)
    body = _get(anonymous_client, api_url(data.tenant, f"services/{service.uuid}"), 404)
    assert body == {"detail": "Not found."}
    listed = _get(anonymous_client, api_url(data.tenant, "services?per_page=100"))
    assert str(service.uuid) not in {item["id"] for item in listed["contents"]}
    sites = _get(anonymous_client, api_url(data.tenant, "service_at_locations?per_page=100"))
    assert service.name not in {item["service"]["name"] for item in sites["contents"]}


def test_a_confidential_address_never_leaves(data: Directory, anonymous_client: Client) -> None:
    urls = [
        f"services/{data.shelter.uuid}",
        f"service_at_locations/{data.shelter_site.uuid}",
        f"organizations/{data.other_provider.uuid}?full_service=true",
        "services?full=true",
        "service_at_locations",
        "service_at_locations?full=true",
        "organizations?full_service=true",
        "services?format=ndjson&full=true",
    ]
    for path in urls:
        response = anonymous_client.get(api_url(data.tenant, path))
        assert response.status_code == 200, path
        body = (
            b"".join(response.streaming_content)  # type: ignore[attr-defined]
            if response.streaming
            else response.content
        ).decode()
        assert "Geheimweg" not in body, path
        assert "52.851" not in body and "11.151" not in body, path
    site = _get(
        anonymous_client, api_url(data.tenant, f"service_at_locations/{data.shelter_site.uuid}")
    )
    # The phone of the shelter stays: it is how to reach it.
    assert site["location"]["confidential"] is True
    assert site["location"]["phones"]


def test_another_tenants_ids_are_not_found(
    data: Directory, other_tenant: LocalAuthority, anonymous_client: Client
) -> None:
    theirs = directory(other_tenant)
    for path in (
        f"services/{theirs.counselling.uuid}",
        f"organizations/{theirs.provider.uuid}",
        f"service_at_locations/{theirs.counselling_site.uuid}",
        f"taxonomies/{theirs.taxonomy.uuid}",
        f"taxonomy_terms/{theirs.topic.uuid}",
    ):
        assert _get(anonymous_client, api_url(data.tenant, path), 404) == {"detail": "Not found."}
        # … while their own API has them.
        _get(anonymous_client, api_url(other_tenant, path))
    filtered = _get(
        anonymous_client, api_url(data.tenant, f"services?organization_id={theirs.provider.uuid}")
    )
    assert filtered["empty"] is True
    by_topic = _get(
        anonymous_client, api_url(data.tenant, f"services?taxonomy_term_id={theirs.topic.uuid}")
    )
    assert by_topic["empty"] is True


def test_unknown_and_malformed_ids_are_json_404s(data: Directory, anonymous_client: Client) -> None:
    for path in (
        f"services/{uuid.uuid4()}",
        "services/not-a-uuid",
        f"organizations/{uuid.uuid4()}",
        f"taxonomy_terms/{uuid.uuid4()}",
        "no/such/endpoint",
        "profile/nothing.json",
        "schema/nothing.json",
    ):
        assert _get(anonymous_client, api_url(data.tenant, path), 404) == {"detail": "Not found."}


def test_an_unknown_guide_is_a_json_404(anonymous_client: Client, db: None) -> None:
    response = anonymous_client.get("/api/hsds/no-such-guide/services")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_an_organisation_without_public_services_is_not_found(
    data: Directory, anonymous_client: Client, tenant: LocalAuthority
) -> None:
    from tests.directory.test_api_support import public_service

    hidden_only = public_service(tenant, name="Nur intern", visibility="professionals")
    located(hidden_only)
    _get(anonymous_client, api_url(tenant, f"organizations/{hidden_only.organisation.uuid}"), 404)


def test_organisation_detail_lists_only_public_services(
    data: Directory, anonymous_client: Client
) -> None:
    organisation = _get(
        anonymous_client, api_url(data.tenant, f"organizations/{data.provider.uuid}")
    )
    assert sorted(service["name"] for service in organisation["services"]) == [
        "Hebammensprechstunde",
        "Schwangerschaftsberatung",
    ]
