"""Changing a tour by hand: a stop's opening hours, and the order of the stops."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django_scopes import scope, scopes_disabled

from knotenpunkt.core.models import LocalAuthority, User
from knotenpunkt.core.services import ServiceError
from knotenpunkt.outreach import services
from knotenpunkt.outreach.models import Tour, TourStop
from tests.outreach.factories import TourFactory, TourStopFactory

pytestmark = pytest.mark.django_db

# Three places east of the office (52.6, 11.85), each about 5 km further out.
PLACES = {"Nah": 11.92, "Mitte": 11.99, "Fern": 12.06}


def _tour(tenant: LocalAuthority, **kwargs: object) -> tuple[Tour, dict[str, TourStop]]:
    tour = TourFactory(local_authority=tenant, **kwargs)
    stops = {
        name: TourStopFactory(
            tour=tour,
            position=position,
            organisation__name=name,
            organisation__latitude=52.6,
            organisation__longitude=longitude,
        )
        for position, (name, longitude) in enumerate(PLACES.items(), start=1)
    }
    return tour, stops


def _order(tour: Tour) -> list[str]:
    with scopes_disabled():
        return [
            stop.organisation.name
            for stop in TourStop.objects.filter(tour=tour).order_by("position")
        ]


def _stop(stop: TourStop) -> TourStop:
    with scopes_disabled():
        return TourStop.objects.select_related("tour").get(pk=stop.pk)


def test_it_changes_the_opening_hours_of_a_stop(
    tenant: LocalAuthority, coordinator_client: Client
) -> None:
    tour, stops = _tour(tenant)
    url = f"/t/{tenant.slug}/contacts/tours/{tour.uuid}/stops/{stops['Mitte'].uuid}/edit/"
    assert coordinator_client.get(url).status_code == 200
    response = coordinator_client.post(
        url, {"opens": "13:00", "closes": "15:30", "service_minutes": "40"}
    )
    assert response.status_code == 302
    changed = _stop(stops["Mitte"])
    assert (changed.opens, changed.closes) == (datetime.time(13, 0), datetime.time(15, 30))
    assert changed.service_minutes == 40
    # Empty hours mean open all day.
    coordinator_client.post(url, {"opens": "", "closes": "", "service_minutes": "40"})
    assert _stop(stops["Mitte"]).opens is None


@pytest.mark.parametrize(
    ("opens", "closes", "minutes", "message"),
    [
        ("15:00", "09:00", "30", "The opening hours must end after they begin."),
        ("09:00", "09:00", "30", "The opening hours must end after they begin."),
        ("09:00", "09:20", "30", "A visit of 30 minutes does not fit into these opening hours."),
    ],
)
def test_it_refuses_hours_that_close_before_they_open(
    tenant: LocalAuthority,
    coordinator_client: Client,
    opens: str,
    closes: str,
    minutes: str,
    message: str,
) -> None:
    tour, stops = _tour(tenant)
    url = f"/t/{tenant.slug}/contacts/tours/{tour.uuid}/stops/{stops['Nah'].uuid}/edit/"
    response = coordinator_client.post(
        url, {"opens": opens, "closes": closes, "service_minutes": minutes}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    unchanged = _stop(stops["Nah"])
    assert (unchanged.opens, unchanged.closes, unchanged.service_minutes) == (None, None, 30)


def test_the_service_refuses_bad_hours_too(tenant: LocalAuthority, coordinator: User) -> None:
    _unused, stops = _tour(tenant)
    with scope(local_authority=tenant), pytest.raises(ServiceError):
        services.stop_update(
            actor=coordinator,
            stop=stops["Nah"],
            opens=datetime.time(12, 0),
            closes=datetime.time(8, 0),
            service_minutes=30,
        )
    assert _stop(stops["Nah"]).closes is None


def test_it_moves_stops_up_and_down_by_hand(
    tenant: LocalAuthority, coordinator_client: Client
) -> None:
    tour, stops = _tour(tenant)
    base = f"/t/{tenant.slug}/contacts/tours/{tour.uuid}/stops/"
    page = coordinator_client.get(f"/t/{tenant.slug}/contacts/tours/{tour.uuid}/").content.decode()
    assert "Move Fern up" in page
    assert "Move Fern down" not in page
    assert "Move Nah up" not in page
    coordinator_client.post(f"{base}{stops['Fern'].uuid}/move/", {"direction": "up"})
    assert _order(tour) == ["Nah", "Fern", "Mitte"]
    coordinator_client.post(f"{base}{stops['Nah'].uuid}/move/", {"direction": "down"})
    assert _order(tour) == ["Fern", "Nah", "Mitte"]
    # Already first: a clear message, nothing moves.
    response = coordinator_client.post(
        f"{base}{stops['Fern'].uuid}/move/", {"direction": "up"}, follow=True
    )
    assert "This stop is first already." in response.content.decode()
    response = coordinator_client.post(
        f"{base}{stops['Fern'].uuid}/move/", {"direction": "sideways"}, follow=True
    )
    assert "Move a stop up or down." in response.content.decode()
    assert _order(tour) == ["Fern", "Nah", "Mitte"]


def test_a_planned_tour_gets_new_times_for_the_order_by_hand(
    tenant: LocalAuthority, coordinator: User
) -> None:
    tour, stops = _tour(tenant)
    with scope(local_authority=tenant):
        services.tour_plan(actor=coordinator, tour=tour, time_limit_seconds=0.1)
        assert _order(tour) == ["Nah", "Mitte", "Fern"]
        planned_travel = Tour.objects.get(pk=tour.pk).travel_minutes
        notes = services.stop_move(actor=coordinator, stop=_stop(stops["Fern"]), direction="up")
    assert notes == []
    assert _order(tour) == ["Nah", "Fern", "Mitte"]
    with scopes_disabled():
        moved = Tour.objects.get(pk=tour.pk)
    assert moved.status == Tour.Status.PLANNED
    assert moved.travel_minutes is not None and planned_travel is not None
    assert moved.travel_minutes >= planned_travel
    fern, mitte = _stop(stops["Fern"]), _stop(stops["Mitte"])
    assert fern.planned_start is not None and mitte.planned_start is not None
    assert fern.planned_start < mitte.planned_start


def test_an_order_by_hand_that_misses_opening_hours_makes_the_tour_a_draft(
    tenant: LocalAuthority, coordinator: User
) -> None:
    tour, stops = _tour(tenant)
    with scopes_disabled():
        TourStop.objects.filter(pk=stops["Nah"].pk).update(
            opens=datetime.time(8, 0), closes=datetime.time(9, 0)
        )
    with scope(local_authority=tenant):
        services.tour_plan(actor=coordinator, tour=tour, time_limit_seconds=0.1)
        assert _order(tour)[0] == "Nah"
        notes = services.stop_move(actor=coordinator, stop=_stop(stops["Nah"]), direction="down")
    assert notes == [
        "In this order Nah cannot be visited within its opening hours. "
        "The tour is a draft again: change the order or plan it anew."
    ]
    with scopes_disabled():
        assert Tour.objects.get(pk=tour.pk).status == Tour.Status.DRAFT
    assert _stop(stops["Nah"]).planned_start is None
    # Computing the times of that order by hand is refused and changes nothing.
    with scope(local_authority=tenant), pytest.raises(ServiceError) as refused:
        services.tour_plan(actor=coordinator, tour=tour, keep_order=True)
    assert "Nah cannot be visited within its opening hours" in refused.value.messages[0]
    with scopes_disabled():
        assert Tour.objects.get(pk=tour.pk).status == Tour.Status.DRAFT


def test_it_computes_the_times_of_the_order_by_hand(
    tenant: LocalAuthority, coordinator_client: Client
) -> None:
    tour, stops = _tour(tenant)
    base = f"/t/{tenant.slug}/contacts/tours/{tour.uuid}/"
    coordinator_client.post(f"{base}stops/{stops['Fern'].uuid}/move/", {"direction": "up"})
    coordinator_client.post(f"{base}stops/{stops['Fern'].uuid}/move/", {"direction": "up"})
    response = coordinator_client.post(f"{base}plan/", {"keep_order": "1"}, follow=True)
    assert "The tour is planned." in response.content.decode()
    assert _order(tour) == ["Fern", "Nah", "Mitte"]
    assert _stop(stops["Fern"]).planned_start is not None


def test_new_hours_on_a_planned_tour_give_new_times_or_a_draft(
    tenant: LocalAuthority, coordinator: User
) -> None:
    tour, stops = _tour(tenant)
    with scope(local_authority=tenant):
        services.tour_plan(actor=coordinator, tour=tour, time_limit_seconds=0.1)
        notes = services.stop_update(
            actor=coordinator,
            stop=_stop(stops["Fern"]),
            opens=datetime.time(11, 0),
            closes=datetime.time(14, 0),
            service_minutes=30,
        )
        assert notes == []
        assert _stop(stops["Fern"]).planned_start == datetime.time(11, 0)
        assert Tour.objects.get(pk=tour.pk).status == Tour.Status.PLANNED
        # The first stop closing before anyone can get there breaks the order.
        notes = services.stop_update(
            actor=coordinator,
            stop=_stop(stops["Nah"]),
            opens=datetime.time(7, 0),
            closes=datetime.time(8, 10),
            service_minutes=10,
        )
    assert "Nah cannot be visited" in notes[0]
    with scopes_disabled():
        assert Tour.objects.get(pk=tour.pk).status == Tour.Status.DRAFT


def test_a_done_tour_cannot_be_changed(tenant: LocalAuthority, coordinator: User) -> None:
    tour, stops = _tour(tenant, status=Tour.Status.DONE)
    with scope(local_authority=tenant):
        with pytest.raises(ServiceError):
            services.stop_move(actor=coordinator, stop=_stop(stops["Fern"]), direction="up")
        with pytest.raises(ServiceError):
            services.stop_update(
                actor=coordinator,
                stop=_stop(stops["Fern"]),
                opens=None,
                closes=None,
                service_minutes=20,
            )
    assert _order(tour) == ["Nah", "Mitte", "Fern"]


def test_another_tenants_stop_is_not_found(
    tenant: LocalAuthority, other_tenant: LocalAuthority, coordinator_client: Client
) -> None:
    foreign_tour, foreign = _tour(other_tenant)
    mine, _stops = _tour(tenant)
    base = f"/t/{tenant.slug}/contacts/tours/"
    stop = foreign["Mitte"].uuid
    for tour in (foreign_tour.uuid, mine.uuid):
        assert coordinator_client.get(f"{base}{tour}/stops/{stop}/edit/").status_code == 404
        response = coordinator_client.post(
            f"{base}{tour}/stops/{stop}/edit/",
            {"opens": "09:00", "closes": "10:00", "service_minutes": "30"},
        )
        assert response.status_code == 404
        response = coordinator_client.post(f"{base}{tour}/stops/{stop}/move/", {"direction": "up"})
        assert response.status_code == 404
    assert _order(foreign_tour) == ["Nah", "Mitte", "Fern"]
    assert _stop(foreign["Mitte"]).opens is None
