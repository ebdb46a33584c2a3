"""Positions come from the record, then the geocoder (if configured), then the area's centre."""

from __future__ import annotations

import pytest
from django.test import Client
from django_scopes import scope
from pytest_django.fixtures import Settings as SettingsWrapper

from knotenpunkt.core.models import LocalAuthority, User
from knotenpunkt.partners import geocoding
from knotenpunkt.partners.models import LocationSource, Organisation
from knotenpunkt.partners.services import organisation_create, organisation_update
from tests.factories import AreaFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []

    def fake(address: str) -> tuple[float, float] | None:
        seen.append(address)
        return (52.85, 11.15) if "Musterstraße" in address else None

    monkeypatch.setattr(geocoding, "geocode", fake)
    return seen


def _create(tenant: LocalAuthority, actor: User, **data: object) -> Organisation:
    with scope(local_authority=tenant):
        return organisation_create(actor=actor, local_authority=tenant, name="Einrichtung", **data)


def test_a_position_entered_with_the_record_wins(
    tenant: LocalAuthority, coordinator: User, calls: list[str], settings: SettingsWrapper
) -> None:
    settings.GEOCODER_URL = "https://nominatim.example.org"
    org = _create(tenant, coordinator, street="Musterstraße 1", latitude=52.1, longitude=11.1)
    assert (org.latitude, org.longitude, org.location_source) == (52.1, 11.1, LocationSource.RECORD)
    assert calls == []


def test_the_geocoder_is_asked_when_configured(
    tenant: LocalAuthority, coordinator: User, calls: list[str], settings: SettingsWrapper
) -> None:
    settings.GEOCODER_URL = "https://nominatim.example.org"
    org = _create(tenant, coordinator, street="Musterstraße 1", postcode="29410", city="Salzwedel")
    assert calls == ["Musterstraße 1, 29410 Salzwedel"]
    assert (org.latitude, org.longitude, org.location_source) == (
        52.85,
        11.15,
        LocationSource.GEOCODER,
    )


def test_without_a_geocoder_the_area_centre_is_used(
    tenant: LocalAuthority, coordinator: User, calls: list[str], settings: SettingsWrapper
) -> None:
    settings.GEOCODER_URL = ""
    area = AreaFactory(local_authority=tenant, latitude=52.6, longitude=11.2)
    org = _create(tenant, coordinator, street="Musterstraße 1", area=area)
    assert calls == []
    assert (org.latitude, org.longitude, org.location_source) == (52.6, 11.2, LocationSource.AREA)


def test_a_geocoder_miss_falls_back_to_the_area_then_to_nothing(
    tenant: LocalAuthority, coordinator: User, calls: list[str], settings: SettingsWrapper
) -> None:
    settings.GEOCODER_URL = "https://nominatim.example.org"
    area = AreaFactory(local_authority=tenant, latitude=52.6, longitude=11.2)
    org = _create(tenant, coordinator, street="Unbekannter Weg 3", area=area)
    assert org.location_source == LocationSource.AREA
    nowhere = _create(tenant, coordinator, street="Unbekannter Weg 3")
    assert (nowhere.latitude, nowhere.location_source) == (None, LocationSource.NONE)


def test_a_changed_address_is_located_again_but_a_typed_position_stays(
    tenant: LocalAuthority, coordinator: User, calls: list[str], settings: SettingsWrapper
) -> None:
    settings.GEOCODER_URL = ""
    old = AreaFactory(local_authority=tenant, latitude=52.6, longitude=11.2)
    new = AreaFactory(local_authority=tenant, latitude=52.9, longitude=11.0)
    org = _create(tenant, coordinator, area=old)
    with scope(local_authority=tenant):
        data = {"area": new, "latitude": org.latitude, "longitude": org.longitude}
        org, _ = organisation_update(actor=coordinator, organisation=org, data=data, version=1)
        assert (org.latitude, org.location_source) == (52.9, LocationSource.AREA)
        org, _ = organisation_update(
            actor=coordinator,
            organisation=org,
            data={"latitude": 52.95, "longitude": 11.05},
            version=2,
        )
        assert org.location_source == LocationSource.RECORD


def test_the_real_geocoder_swallows_errors(
    monkeypatch: pytest.MonkeyPatch, settings: SettingsWrapper, caplog: pytest.LogCaptureFixture
) -> None:
    settings.GEOCODER_URL = "https://nominatim.example.org/"

    class Broken:
        def __init__(self, **kwargs: object) -> None:
            assert kwargs["domain"] == "nominatim.example.org"
            assert kwargs["scheme"] == "https"

        def geocode(self, *args: object, **kwargs: object) -> None:
            raise TimeoutError("no network in tests")

    monkeypatch.setattr("geopy.geocoders.Nominatim", Broken)
    assert geocoding.geocode("Musterstraße 1, 29410 Salzwedel") is None
    assert "Geocoding failed" in caplog.text


def test_the_detail_page_shows_the_source(
    tenant: LocalAuthority, coordinator: User, coordinator_client: Client
) -> None:
    org = _create(tenant, coordinator, latitude=52.1, longitude=11.1)
    page = coordinator_client.get(f"/t/{tenant.slug}/partners/organisations/{org.uuid}/")
    assert "entered with the record" in page.content.decode()
