"""The list endpoints of the public HSDS API: the Page envelope, paging, filters, proximity."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from django_scopes import scope

from knotenpunkt.core.models import LocalAuthority
from knotenpunkt.directory.api import selectors as api_selectors
from knotenpunkt.directory.models import Attribute, Service
from tests.directory.test_api_support import (
    URLCONF,
    Directory,
    api_url,
    directory,
    located,
    public_service,
)

pytestmark = [pytest.mark.django_db, pytest.mark.urls(URLCONF)]


@pytest.fixture
def data(tenant: LocalAuthority) -> Directory:
    return directory(tenant)


def _get(client: Client, tenant: LocalAuthority, path: str, **query: Any) -> Any:
    response = client.get(api_url(tenant, path), query)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    return response.json()


def _names(page: dict[str, Any]) -> list[str]:
    return [
        item["service"]["name"] if "service" in item else item["name"] for item in page["contents"]
    ]


def test_it_lists_only_public_services_in_the_page_envelope(
    data: Directory, anonymous_client: Client
) -> None:
    page = _get(anonymous_client, data.tenant, "services")
    assert _names(page) == [
        "Frauenhaus Altmark",
        "Hebammensprechstunde",
        "Krabbelgruppe",
        "Schwangerschaftsberatung",
    ]
    assert {key: value for key, value in page.items() if key != "contents"} == {
        "total_items": 4,
        "total_pages": 1,
        "page_number": 1,
        "size": 4,
        "first_page": True,
        "last_page": True,
        "empty": False,
    }


def test_it_pages_with_page_and_per_page(data: Directory, anonymous_client: Client) -> None:
    first = _get(anonymous_client, data.tenant, "services", per_page=3)
    second = _get(anonymous_client, data.tenant, "services", per_page=3, page=2)
    beyond = _get(anonymous_client, data.tenant, "services", per_page=3, page=9)
    assert (first["size"], first["total_pages"], first["first_page"], first["last_page"]) == (
        3,
        2,
        True,
        False,
    )
    assert (second["size"], second["page_number"], second["first_page"], second["last_page"]) == (
        1,
        2,
        False,
        True,
    )
    assert _names(first) + _names(second) == _names(_get(anonymous_client, data.tenant, "services"))
    assert beyond["contents"] == [] and beyond["size"] == 0 and beyond["total_items"] == 4
    assert beyond["last_page"] is True and beyond["empty"] is False


def test_an_empty_result_says_so(data: Directory, anonymous_client: Client) -> None:
    page = _get(anonymous_client, data.tenant, "services", search="gibtesnicht")
    assert page == {
        "total_items": 0,
        "total_pages": 0,
        "page_number": 1,
        "size": 0,
        "first_page": True,
        "last_page": True,
        "empty": True,
        "contents": [],
    }


def test_it_searches_name_and_description_ignoring_case(
    data: Directory, anonymous_client: Client
) -> None:
    assert _names(_get(anonymous_client, data.tenant, "services", search="GEBURT")) == [
        "Schwangerschaftsberatung"
    ]
    assert _names(_get(anonymous_client, data.tenant, "services", search="medien spielen")) == [
        "Krabbelgruppe"
    ]
    assert _names(_get(anonymous_client, data.tenant, "services", search="fachkräfte")) == []


def test_it_filters_by_taxonomy_term_and_taxonomy(
    data: Directory, anonymous_client: Client
) -> None:
    by_term = _get(anonymous_client, data.tenant, "services", taxonomy_term_id=data.topic.uuid)
    assert _names(by_term) == ["Hebammensprechstunde", "Schwangerschaftsberatung"]
    by_taxonomy = _get(anonymous_client, data.tenant, "services", taxonomy_id=data.taxonomy.uuid)
    assert _names(by_taxonomy) == [
        "Hebammensprechstunde",
        "Krabbelgruppe",
        "Schwangerschaftsberatung",
    ]


def test_an_attribute_counts_as_a_taxonomy_term(data: Directory, anonymous_client: Client) -> None:
    Attribute.objects.create(
        local_authority=data.tenant,
        link_id=data.shelter.uuid,
        link_entity="service",
        taxonomy_term=data.other_topic,
    )
    page = _get(anonymous_client, data.tenant, "services", taxonomy_term_id=data.other_topic.uuid)
    assert _names(page) == ["Frauenhaus Altmark", "Krabbelgruppe"]


def test_filters_are_cumulative(data: Directory, anonymous_client: Client) -> None:
    page = _get(
        anonymous_client,
        data.tenant,
        "services",
        taxonomy_term_id=data.topic.uuid,
        organization_id=data.provider.uuid,
        search="hebamme",
    )
    assert _names(page) == ["Hebammensprechstunde"]
    none = _get(
        anonymous_client,
        data.tenant,
        "services",
        taxonomy_term_id=data.topic.uuid,
        organization_id=data.other_provider.uuid,
    )
    assert none["empty"] is True


def test_it_filters_by_modification_date(data: Directory, anonymous_client: Client) -> None:
    long_ago = timezone.now() - dt.timedelta(days=100)
    with scope(local_authority=data.tenant):
        Service.objects.exclude(pk=data.midwife.pk).update(updated_at=long_ago)
    since = (timezone.now() - dt.timedelta(days=1)).isoformat()
    assert _names(_get(anonymous_client, data.tenant, "services", modified_after=since)) == [
        "Hebammensprechstunde"
    ]
    day = (timezone.localdate() - dt.timedelta(days=200)).isoformat()
    assert _get(anonymous_client, data.tenant, "services", modified_after=day)["total_items"] == 4


def test_minimal_gives_ids_and_modification_dates(
    data: Directory, anonymous_client: Client
) -> None:
    page = _get(anonymous_client, data.tenant, "services", minimal="true")
    assert page["total_items"] == 4
    assert all(set(item) == {"id", "last_modified"} for item in page["contents"])


def test_full_gives_fully_nested_services(data: Directory, anonymous_client: Client) -> None:
    page = _get(anonymous_client, data.tenant, "services", full="true", search="geburt")
    (service,) = page["contents"]
    assert service["id"] == str(data.counselling.uuid)
    assert len(service["service_at_locations"]) == 1
    assert service["organization"]["id"] == str(data.provider.uuid)


def test_ndjson_streams_every_result_one_per_line(
    data: Directory, anonymous_client: Client
) -> None:
    response = anonymous_client.get(
        api_url(data.tenant, "services"), {"format": "ndjson", "per_page": 1}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-ndjson"
    import json

    lines = b"".join(response.streaming_content).decode().splitlines()  # type: ignore[attr-defined]
    assert [json.loads(line)["name"] for line in lines] == [
        "Frauenhaus Altmark",
        "Hebammensprechstunde",
        "Krabbelgruppe",
        "Schwangerschaftsberatung",
    ]


def test_organisations_are_those_with_public_services(
    data: Directory, anonymous_client: Client, tenant: LocalAuthority
) -> None:
    from tests.partners.factories import OrganisationFactory

    OrganisationFactory(local_authority=tenant, name="Ohne Angebot")
    page = _get(anonymous_client, tenant, "organizations")
    assert _names(page) == ["Diakonie Gardelegen", "Familienzentrum Salzwedel"]
    assert _names(_get(anonymous_client, tenant, "organizations", search="diakonie")) == [
        "Diakonie Gardelegen"
    ]
    full = _get(anonymous_client, tenant, "organizations", full="true", search="familienzentrum")
    services = full["contents"][0]["services"]
    assert sorted(service["name"] for service in services) == [
        "Hebammensprechstunde",
        "Schwangerschaftsberatung",
    ]
    assert set(services[0]) == {"id", "name", "status"}
    with_services = _get(
        anonymous_client, tenant, "organizations", full_service="true", search="familienzentrum"
    )
    assert "service_at_locations" in with_services["contents"][0]["services"][0]


def test_taxonomies_and_terms(data: Directory, anonymous_client: Client) -> None:
    taxonomies = _get(anonymous_client, data.tenant, "taxonomies")
    assert _names(taxonomies) == ["Themen"]
    terms = _get(anonymous_client, data.tenant, "taxonomy_terms", taxonomy_id=data.taxonomy.uuid)
    assert sorted(_names(terms)) == ["Medien", "Schwangerschaft"]
    child = TopicFactory_child(data)
    assert _names(
        _get(anonymous_client, data.tenant, "taxonomy_terms", parent_id=data.topic.uuid)
    ) == [child]
    top = _get(anonymous_client, data.tenant, "taxonomy_terms", top_only="true")
    assert child not in _names(top) and len(top["contents"]) == 2
    assert _names(_get(anonymous_client, data.tenant, "taxonomy_terms", search="MEDIEN")) == [
        "Medien"
    ]


def TopicFactory_child(data: Directory) -> str:
    from tests.directory.factories import TopicFactory

    TopicFactory(taxonomy=data.taxonomy, name="Geburtsvorbereitung", parent=data.topic)
    return "Geburtsvorbereitung"


def test_service_at_locations_hide_confidential_addresses(
    data: Directory, anonymous_client: Client
) -> None:
    page = _get(anonymous_client, data.tenant, "service_at_locations")
    # In the order they were made.
    assert _names(page) == ["Schwangerschaftsberatung", "Krabbelgruppe", "Frauenhaus Altmark"]
    shelter = next(item for item in page["contents"] if item["id"] == str(data.shelter_site.uuid))
    assert "latitude" not in shelter["location"] and "longitude" not in shelter["location"]
    full = _get(anonymous_client, data.tenant, "service_at_locations", full="true")
    shelter_full = next(i for i in full["contents"] if i["id"] == str(data.shelter_site.uuid))
    assert shelter_full["location"].get("addresses", []) == []
    assert "Geheimweg" not in str(shelter_full) and "52.851" not in str(shelter_full)


def test_postcode_finds_locations_there_but_never_confidential_ones(
    data: Directory, anonymous_client: Client
) -> None:
    page = _get(anonymous_client, data.tenant, "service_at_locations", postcode="29410")
    assert _names(page) == ["Schwangerschaftsberatung"]
    assert (
        _get(anonymous_client, data.tenant, "service_at_locations", postcode="39638")["total_items"]
        == 1
    )


def test_proximity_around_a_postcode_sorts_by_distance(
    data: Directory, anonymous_client: Client
) -> None:
    near = _get(
        anonymous_client, data.tenant, "service_at_locations", postcode="29410", proximity="5000"
    )
    assert _names(near) == ["Schwangerschaftsberatung"]
    wide = _get(
        anonymous_client, data.tenant, "service_at_locations", postcode="29410", proximity="60000"
    )
    assert _names(wide) == ["Schwangerschaftsberatung", "Krabbelgruppe"]


def test_proximity_around_a_point(data: Directory, anonymous_client: Client) -> None:
    around_gardelegen = _get(
        anonymous_client, data.tenant, "service_at_locations", proximity="52.53,11.39,3000"
    )
    assert _names(around_gardelegen) == ["Krabbelgruppe"]
    default_radius = _get(
        anonymous_client, data.tenant, "service_at_locations", proximity="52.851,11.151"
    )
    # The shelter lies exactly there, but a confidential place is never found by position.
    assert _names(default_radius) == ["Schwangerschaftsberatung"]


def test_proximity_combines_with_the_other_filters(
    data: Directory, anonymous_client: Client
) -> None:
    page = _get(
        anonymous_client,
        data.tenant,
        "service_at_locations",
        proximity="52.7,11.3,60000",
        taxonomy_term_id=data.other_topic.uuid,
    )
    assert _names(page) == ["Krabbelgruppe"]


def test_an_unknown_postcode_has_no_centre(data: Directory, anonymous_client: Client) -> None:
    response = anonymous_client.get(
        api_url(data.tenant, "service_at_locations"), {"postcode": "99999", "proximity": "1000"}
    )
    assert response.status_code == 400
    assert response.json()["parameter"] == "postcode"


def test_locations_without_position_are_not_near_anything(
    data: Directory, anonymous_client: Client
) -> None:
    located(public_service(data.tenant, name="Online-Beratung"), latitude=None, longitude=None)
    page = _get(
        anonymous_client, data.tenant, "service_at_locations", proximity="52.85,11.15,500000"
    )
    assert "Online-Beratung" not in _names(page)


@pytest.fixture
def empty_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def test_a_long_lists_count_is_reused_for_a_minute(
    data: Directory, anonymous_client: Client, monkeypatch: pytest.MonkeyPatch, empty_cache: None
) -> None:
    monkeypatch.setattr(api_selectors, "COUNT_CACHE_FROM", 3)
    first = _get(anonymous_client, data.tenant, "services", per_page=2)
    public_service(data.tenant, name="Neu dazu")
    # Paging on through the same list: the count is the one of a moment ago.
    again = _get(anonymous_client, data.tenant, "services", per_page=2, page=2)
    assert first["total_items"] == again["total_items"] == 4
    # Other filters are another list.
    assert (
        _get(anonymous_client, data.tenant, "services", per_page=2, search="neu")["total_items"]
        == 1
    )
    cache.clear()
    assert _get(anonymous_client, data.tenant, "services", per_page=2)["total_items"] == 5


def test_a_short_lists_count_is_always_fresh(
    data: Directory, anonymous_client: Client, empty_cache: None
) -> None:
    assert _get(anonymous_client, data.tenant, "services", per_page=2)["total_items"] == 4
    public_service(data.tenant, name="Neu dazu")
    assert _get(anonymous_client, data.tenant, "services", per_page=2)["total_items"] == 5
