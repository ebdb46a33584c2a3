"""Visit tours: stops, planning with OR-Tools, the map and itinerary, recording the visits."""

from __future__ import annotations

import datetime
import json
import re

import pytest
from django.test import Client
from django_scopes import scope

from knotenpunkt.core.models import LocalAuthority, User
from knotenpunkt.core.services import ServiceError
from knotenpunkt.outreach import services
from knotenpunkt.outreach.models import Contact, Tour, TourStop
from tests.factories import AreaFactory
from tests.outreach.factories import TourFactory, TourStopFactory
from tests.partners.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()  # noqa: DTZ011


def test_it_starts_a_tour_at_the_centre_of_the_top_area(
    tenant: LocalAuthority, coordinator: User
) -> None:
    AreaFactory(local_authority=tenant, parent=None, latitude=52.6, longitude=11.85)
    with scope(local_authority=tenant):
        tour = services.tour_create(
            actor=coordinator, local_authority=tenant, date=TODAY + datetime.timedelta(days=2)
        )
    assert (tour.start_latitude, tour.start_longitude) == (52.6, 11.85)
    assert tour.status == Tour.Status.DRAFT
    assert tour.created_by == coordinator


def test_it_plans_the_order_and_skips_stops_without_coordinates(
    tenant: LocalAuthority, coordinator: User
) -> None:
    tour = TourFactory(local_authority=tenant)
    far = OrganisationFactory(local_authority=tenant, name="Fern", latitude=52.9, longitude=11.2)
    near = OrganisationFactory(local_authority=tenant, name="Nah", latitude=52.62, longitude=11.87)
    nowhere = OrganisationFactory(local_authority=tenant, name="Ohne Ort")
    with scope(local_authority=tenant):
        for organisation in (far, near, nowhere):
            services.stop_add(actor=coordinator, tour=tour, organisation=organisation)
        # The near one only opens in the afternoon, so the far one comes first.
        TourStop.objects.filter(organisation=near).update(
            opens=datetime.time(13, 0), closes=datetime.time(15, 0)
        )
        notes = services.tour_plan(actor=coordinator, tour=tour, time_limit_seconds=0.2)
        stops = list(TourStop.objects.filter(tour=tour).order_by("position"))
    assert [stop.organisation.name for stop in stops] == ["Fern", "Nah", "Ohne Ort"]
    assert stops[1].planned_start is not None
    assert stops[1].planned_start >= datetime.time(13, 0)
    assert stops[2].unreachable
    assert notes == ["Ohne Ort has no coordinates and was left out of the plan."]
    tour.refresh_from_db()
    assert tour.status == Tour.Status.PLANNED
    assert tour.travel_minutes


def test_it_refuses_to_plan_without_a_start_or_stops(
    tenant: LocalAuthority, coordinator: User
) -> None:
    tour = TourFactory(local_authority=tenant, start_latitude=None, start_longitude=None)
    with scope(local_authority=tenant), pytest.raises(ServiceError):
        services.tour_plan(actor=coordinator, tour=tour)
    empty = TourFactory(local_authority=tenant)
    with scope(local_authority=tenant), pytest.raises(ServiceError):
        services.tour_plan(actor=coordinator, tour=empty)


def test_it_uses_osrm_when_configured(
    tenant: LocalAuthority,
    coordinator: User,
    settings: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings.OSRM_URL = "https://osrm.example"  # type: ignore[attr-defined]
    calls: list[str] = []

    def fake(url: str, timeout: float) -> object:
        calls.append(url)
        return {"code": "Ok", "durations": [[0, 600, 0], [600, 0, 600], [0, 600, 0]]}

    monkeypatch.setattr("knotenpunkt.analysis.tours.fetch_json", fake)
    stop = TourStopFactory(tour=TourFactory(local_authority=tenant))
    with scope(local_authority=tenant):
        services.tour_plan(actor=coordinator, tour=stop.tour, time_limit_seconds=0.1)
    stop.tour.refresh_from_db()
    assert len(calls) == 1
    assert stop.tour.travel_minutes == 20


def test_it_turns_the_visits_into_contacts_to_fill_in(
    tenant: LocalAuthority, coordinator: User, coordinator_client: Client
) -> None:
    tour = TourFactory(local_authority=tenant, date=TODAY, status=Tour.Status.PLANNED)
    stop = TourStopFactory(tour=tour, planned_start=datetime.time(9, 0))
    TourStopFactory(tour=tour, unreachable=True)
    response = coordinator_client.post(f"/t/{tenant.slug}/contacts/tours/{tour.uuid}/record/")
    assert response.status_code == 302
    stop.refresh_from_db()
    contact = Contact.objects.with_scopes_disabled().get()
    assert stop.contact == contact
    assert contact.kind == Contact.Kind.VISIT
    assert contact.organisation == stop.organisation
    assert contact.date == TODAY
    tour.refresh_from_db()
    assert tour.status == Tour.Status.DONE
    page = coordinator_client.get(f"/t/{tenant.slug}/contacts/tours/{tour.uuid}/").content.decode()
    assert f"/contacts/{contact.uuid}/edit/" in page
    # A done tour cannot be recorded twice nor changed.
    coordinator_client.post(f"/t/{tenant.slug}/contacts/tours/{tour.uuid}/record/")
    assert Contact.objects.with_scopes_disabled().count() == 1
    with scope(local_authority=tenant), pytest.raises(ServiceError):
        services.stop_remove(actor=coordinator, stop=stop)


def test_it_does_not_record_a_tour_in_the_future(tenant: LocalAuthority, coordinator: User) -> None:
    tour = TourFactory(
        local_authority=tenant, date=TODAY + datetime.timedelta(days=1), status="planned"
    )
    with scope(local_authority=tenant), pytest.raises(ServiceError):
        services.tour_complete(actor=coordinator, tour=tour)


def test_it_shows_the_map_data_and_the_itinerary(
    tenant: LocalAuthority, coordinator_client: Client, django_assert_max_num_queries: object
) -> None:
    tour = TourFactory(local_authority=tenant, status=Tour.Status.PLANNED)
    for i in range(5):
        TourStopFactory(
            tour=tour,
            planned_start=datetime.time(9 + i, 0),
            organisation__name=f"Praxis {i}",
            organisation__phone="+4939311234567",
        )
    base = f"/t/{tenant.slug}/contacts/tours/{tour.uuid}/"
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        page = coordinator_client.get(base).content.decode()
    assert 'id="tour-map-data"' in page
    assert "vendor/leaflet/leaflet.js" in page
    found = re.search(r'<script id="tour-map-data"[^>]*>(.*?)</script>', page, re.S)
    assert found is not None
    data = json.loads(found.group(1))
    assert len(data["stops"]) == 5
    assert data["office"] == [52.6, 11.85]
    with django_assert_max_num_queries(10):  # type: ignore[operator]
        itinerary = coordinator_client.get(base + "print/").content.decode()
    assert "Praxis 4" in itinerary
    assert "13:00" in itinerary
    assert "Musterstraße 1" in itinerary
    with django_assert_max_num_queries(10):  # type: ignore[operator]
        assert coordinator_client.get(f"/t/{tenant.slug}/contacts/tours/").status_code == 200


def test_it_adds_and_removes_stops_through_the_pages(
    tenant: LocalAuthority, coordinator_client: Client
) -> None:
    tour = TourFactory(local_authority=tenant)
    organisation = OrganisationFactory(local_authority=tenant)
    base = f"/t/{tenant.slug}/contacts/tours/{tour.uuid}/"
    coordinator_client.post(
        base + "stops/", {"organisation": organisation.uuid, "service_minutes": 30}
    )
    stop = TourStop.objects.with_scopes_disabled().get()
    assert stop.organisation == organisation
    coordinator_client.post(base + f"stops/{stop.uuid}/remove/")
    assert not TourStop.objects.with_scopes_disabled().exists()


def test_it_creates_a_tour_through_the_list(
    tenant: LocalAuthority, coordinator_client: Client
) -> None:
    day = (TODAY + datetime.timedelta(days=5)).isoformat()
    response = coordinator_client.post(
        f"/t/{tenant.slug}/contacts/tours/",
        {"date": day, "day_start": "08:00", "day_end": "15:00", "start_label": "Büro"},
    )
    tour = Tour.objects.with_scopes_disabled().get()
    assert response["Location"].endswith(f"/tours/{tour.uuid}/")
    response = coordinator_client.post(
        f"/t/{tenant.slug}/contacts/tours/",
        {"date": day, "day_start": "15:00", "day_end": "08:00"},
    )
    assert response.status_code == 200
    assert Tour.objects.with_scopes_disabled().count() == 1


def test_another_tenants_tour_and_stops_are_not_found(
    tenant: LocalAuthority, other_tenant: LocalAuthority, coordinator_client: Client
) -> None:
    foreign = TourStopFactory(tour=TourFactory(local_authority=other_tenant))
    mine = TourFactory(local_authority=tenant)
    base = f"/t/{tenant.slug}/contacts/tours/"
    tour = foreign.tour.uuid
    assert coordinator_client.get(f"{base}{tour}/").status_code == 404
    assert coordinator_client.get(f"{base}{tour}/print/").status_code == 404
    assert coordinator_client.post(f"{base}{tour}/plan/").status_code == 404
    assert coordinator_client.post(f"{base}{tour}/record/").status_code == 404
    assert coordinator_client.post(f"{base}{tour}/stops/").status_code == 404
    assert coordinator_client.post(f"{base}{tour}/stops/{foreign.uuid}/remove/").status_code == 404
    assert (
        coordinator_client.post(f"{base}{mine.uuid}/stops/{foreign.uuid}/remove/").status_code
        == 404
    )
    # Another tenant's organisation is no valid choice for a stop.
    coordinator_client.post(
        f"{base}{mine.uuid}/stops/",
        {"organisation": foreign.organisation.uuid, "service_minutes": 30},
    )
    assert not TourStop.objects.with_scopes_disabled().filter(tour=mine).exists()
    assert TourStop.objects.with_scopes_disabled().filter(pk=foreign.pk).exists()
