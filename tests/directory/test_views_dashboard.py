"""The staleness dashboard: fresh, due, overdue, hidden overall, per provider and per place."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django_scopes import scope

from knotenpunkt.core.models import LocalAuthority
from knotenpunkt.directory import selectors
from knotenpunkt.directory.models import Service
from tests.directory.factories import LocationFactory, ServiceAtLocationFactory, ServiceFactory
from tests.directory.freshness_support import URLS, months_ago
from tests.factories import AreaFactory
from tests.partners.factories import OrganisationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls(URLS)]


def _build(tenant: LocalAuthority, scale: int) -> dict[str, Any]:
    village, town = (
        AreaFactory(local_authority=tenant, name="Dorf"),
        AreaFactory(local_authority=tenant, name="Stadt"),
    )
    kita, clinic = (
        OrganisationFactory(local_authority=tenant, name="Kita"),
        OrganisationFactory(local_authority=tenant, name="Klinik"),
    )
    for _ in range(scale):
        for org, age, area in (
            (kita, 1, village),
            (kita, 6, village),
            (clinic, 7, town),
            (clinic, 10, town),
        ):
            service = ServiceFactory(organisation=org, last_verified_at=months_ago(age, 2))
            ServiceAtLocationFactory(
                service=service, location=LocationFactory(organisation=org, area=area)
            )
        # One offer in both places, one in none, one ended (not counted).
        both = ServiceFactory(organisation=clinic, last_verified_at=months_ago(1))
        for area in (village, town):
            ServiceAtLocationFactory(
                service=both, location=LocationFactory(organisation=clinic, area=area)
            )
        ServiceFactory(organisation=kita, last_verified_at=None, created_at=months_ago(12))
        ServiceFactory(organisation=kita, status=Service.Status.DEFUNCT)
    return {"village": village, "town": town, "kita": kita, "clinic": clinic}


def test_it_counts_each_stage_overall_per_provider_and_per_place(tenant: LocalAuthority) -> None:
    things = _build(tenant, 1)
    with scope(local_authority=tenant):
        board = selectors.staleness_dashboard(tenant)
    overall = board.overall
    assert (overall.fresh, overall.due, overall.overdue, overall.hidden) == (2, 1, 1, 2)
    per_org = {row.name: row.counts for row in board.organisations}
    assert (per_org["Kita"].fresh, per_org["Kita"].due, per_org["Kita"].hidden) == (1, 1, 1)
    assert (per_org["Klinik"].fresh, per_org["Klinik"].overdue, per_org["Klinik"].hidden) == (
        1,
        1,
        1,
    )
    per_area = {row.name: row.counts for row in board.areas}
    assert (per_area["Dorf"].fresh, per_area["Dorf"].due, per_area["Dorf"].total) == (2, 1, 3)
    assert (per_area["Stadt"].fresh, per_area["Stadt"].overdue, per_area["Stadt"].hidden) == (
        1,
        1,
        1,
    )
    assert board.without_place.hidden == 1
    assert {row.uuid for row in board.areas} == {things["village"].uuid, things["town"].uuid}


def _more(tenant: LocalAuthority, things: dict[str, Any]) -> None:
    """More offers, providers and places: the dashboard must not need more queries."""
    for org, area, age in ((things["kita"], things["village"], 6), (things["clinic"], None, 8)):
        service = ServiceFactory(organisation=org, last_verified_at=months_ago(age, 2))
        ServiceAtLocationFactory(
            service=service, location=LocationFactory(organisation=org, area=area)
        )
    new_org = OrganisationFactory(local_authority=tenant)
    ServiceAtLocationFactory(
        service=ServiceFactory(organisation=new_org),
        location=LocationFactory(organisation=new_org, area=AreaFactory(local_authority=tenant)),
    )


def test_the_dashboard_page_runs_a_fixed_number_of_queries(
    tenant: LocalAuthority,
    coordinator_client: Client,
    django_assert_max_num_queries: Any,
) -> None:
    things = _build(tenant, 1)
    url = f"/t/{tenant.slug}/offers/freshness/"
    coordinator_client.get(url)  # creates the settings
    with django_assert_max_num_queries(12) as small:
        response = coordinator_client.get(url)
    assert response.status_code == 200
    for _ in range(3):
        _more(tenant, things)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = coordinator_client.get(url)
    page = response.content.decode()
    assert "Kita" in page and "Dorf" in page
    assert f"?area={things['village'].uuid}&amp;freshness=due" in page


def test_the_click_through_lists_the_counted_offers(
    tenant: LocalAuthority, coordinator_client: Client
) -> None:
    things = _build(tenant, 1)
    url = f"/t/{tenant.slug}/offers/"
    page = coordinator_client.get(
        url, {"organisation": things["kita"].uuid, "freshness": "hidden"}
    ).content.decode()
    assert "1 offer" in page
    page = coordinator_client.get(
        url, {"area": things["town"].uuid, "freshness": "overdue"}
    ).content.decode()
    assert "1 offer" in page
