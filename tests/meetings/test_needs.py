"""Needs: recorded through the form, listed per area, life phase and status."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django_scopes import scope

from knotenpunkt.core.models import LifePhase, LocalAuthority
from knotenpunkt.meetings import selectors
from knotenpunkt.meetings.models import Need
from tests.factories import AreaFactory
from tests.meetings.factories import ActionItemFactory, NeedFactory


@pytest.mark.django_db
def test_it_records_edits_and_deletes_a_need(
    tenant: LocalAuthority, coordinator_client: Client
) -> None:
    area = AreaFactory(local_authority=tenant, name="Klötze")
    phase = LifePhase.objects.get(code="age_0_1")
    base = f"/t/{tenant.slug}/meetings/needs/"
    response = coordinator_client.post(
        base + "new/",
        {
            "title": "Hebammenversorgung",
            "area": area.pk,
            "life_phase": phase.pk,
            "topic": "Wochenbett",
            "source": "visit",
            "status": "open",
        },
    )
    assert response.status_code == 302
    with scope(local_authority=tenant):
        need = Need.objects.get()
    assert (need.area, need.life_phase) == (area, phase)
    response = coordinator_client.post(
        base + f"{need.uuid}/edit/",
        {"title": "Hebammenversorgung", "source": "visit", "status": "in_progress"},
    )
    assert response.status_code == 302
    with scope(local_authority=tenant):
        need.refresh_from_db()
    assert need.status == Need.Status.IN_PROGRESS
    assert coordinator_client.post(base + f"{need.uuid}/delete/").status_code == 302
    with scope(local_authority=tenant):
        assert not Need.objects.exists()


@pytest.mark.django_db
def test_the_list_filters_by_area_life_phase_and_status_in_few_queries(
    tenant: LocalAuthority,
    coordinator_client: Client,
    django_assert_max_num_queries: Any,
) -> None:
    north, south = AreaFactory(local_authority=tenant), AreaFactory(local_authority=tenant)
    baby, kita = LifePhase.objects.get(code="age_0_1"), LifePhase.objects.get(code="age_3_6")
    NeedFactory(local_authority=tenant, title="Need-North-Baby", area=north, life_phase=baby)
    NeedFactory(local_authority=tenant, title="Need-South-Kita", area=south, life_phase=kita)
    met = NeedFactory(
        local_authority=tenant, title="Need-North-Met", area=north, status=Need.Status.MET
    )
    for _ in range(3):
        ActionItemFactory(local_authority=tenant, need=met)
    url = f"/t/{tenant.slug}/meetings/needs/"
    with django_assert_max_num_queries(16):
        page = coordinator_client.get(url).content.decode()
    assert all(f"Need-{x}" in page for x in ("North-Baby", "South-Kita", "North-Met"))
    page = coordinator_client.get(url, {"area": north.pk}).content.decode()
    assert "Need-North-Baby" in page and "Need-South-Kita" not in page
    page = coordinator_client.get(url, {"life_phase": kita.pk}).content.decode()
    assert "Need-South-Kita" in page and "Need-North-Baby" not in page
    page = coordinator_client.get(url, {"status": "met"}).content.decode()
    assert "Need-North-Met" in page and "Need-North-Baby" not in page


@pytest.mark.django_db
def test_the_list_counts_needs_per_area_and_life_phase(
    tenant: LocalAuthority, coordinator_client: Client
) -> None:
    area = AreaFactory(local_authority=tenant, name="Beetzendorf")
    baby = LifePhase.objects.get(code="age_0_1")
    NeedFactory(local_authority=tenant, area=area, life_phase=baby)
    NeedFactory(local_authority=tenant, area=area, status=Need.Status.MET)
    with scope(local_authority=tenant):
        by_area, by_phase = selectors.need_tallies()
    assert [(row.label, row.open, row.total) for row in by_area] == [("Beetzendorf", 1, 2)]
    assert [(str(row.label), row.open, row.total) for row in by_phase] == [
        (baby.label, 1, 1),
        ("no life phase", 0, 1),
    ]
    page = coordinator_client.get(f"/t/{tenant.slug}/meetings/needs/").content.decode()
    assert "Needs per life phase" in page
