"""Areas: list, create, edit, delete through the UI, each write audited."""

from __future__ import annotations

import pytest
from django.test import Client
from django_scopes import scope

from knotenpunkt.core.models import Area, AuditEntry, LocalAuthority
from tests.factories import AreaFactory, AreaFigureFactory

pytestmark = pytest.mark.django_db


def test_a_coordinator_creates_an_area(tenant: LocalAuthority, coordinator_client: Client) -> None:
    parent = AreaFactory(local_authority=tenant, name="Gardelegen", kind=Area.Kind.TOWN)
    response = coordinator_client.post(
        f"/t/{tenant.slug}/areas/new/",
        {
            "name": "Letzlingen",
            "kind": Area.Kind.DISTRICT,
            "parent": parent.pk,
            "latitude": "52.44615",
            "longitude": "11.48518",
        },
    )
    assert response.status_code == 302
    with scope(local_authority=tenant):
        area = Area.objects.get(name="Letzlingen")
        entry = AuditEntry.objects.get(object_id=str(area.pk))
    assert area.parent == parent
    assert response["Location"] == f"/t/{tenant.slug}/areas/{area.uuid}/"
    assert entry.action == "create"
    assert entry.changes["name"] == [None, "Letzlingen"]


def test_it_refuses_a_parent_of_another_tenant(
    tenant: LocalAuthority, other_tenant: LocalAuthority, coordinator_client: Client
) -> None:
    foreign = AreaFactory(local_authority=other_tenant)
    response = coordinator_client.post(
        f"/t/{tenant.slug}/areas/new/",
        {"name": "X", "kind": Area.Kind.VILLAGE, "parent": foreign.pk},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    with scope(local_authority=tenant):
        assert not Area.objects.filter(name="X").exists()


def test_half_a_centre_is_refused(tenant: LocalAuthority, coordinator_client: Client) -> None:
    response = coordinator_client.post(
        f"/t/{tenant.slug}/areas/new/", {"name": "X", "kind": Area.Kind.VILLAGE, "latitude": "52.1"}
    )
    assert "Give both latitude and longitude" in response.content.decode()


def test_an_area_cannot_move_inside_itself(
    tenant: LocalAuthority, coordinator_client: Client
) -> None:
    top = AreaFactory(local_authority=tenant, name="Oben")
    below = AreaFactory(local_authority=tenant, name="Unten", parent=top)
    response = coordinator_client.post(
        f"/t/{tenant.slug}/areas/{top.uuid}/edit/",
        {"name": "Oben", "kind": Area.Kind.TOWN, "parent": below.pk},
    )
    assert response.status_code == 200
    assert "cannot lie inside itself" in response.content.decode()
    top.refresh_from_db()
    assert top.parent is None


def test_an_edit_logs_only_the_changed_fields(
    tenant: LocalAuthority, coordinator_client: Client
) -> None:
    area = AreaFactory(local_authority=tenant, name="Kusey", kind=Area.Kind.VILLAGE)
    response = coordinator_client.post(
        f"/t/{tenant.slug}/areas/{area.uuid}/edit/",
        {"name": "Kusey", "kind": Area.Kind.DISTRICT, "latitude": "52.6", "longitude": "11.2"},
    )
    assert response.status_code == 302
    with scope(local_authority=tenant):
        entry = AuditEntry.objects.get(action="update")
    assert entry.changes == {"kind": ["village", "district"]}
    assert entry.actor_label == "Coordinator"


def test_an_area_with_sub_areas_is_not_deleted(
    tenant: LocalAuthority, coordinator_client: Client
) -> None:
    top = AreaFactory(local_authority=tenant)
    AreaFactory(local_authority=tenant, parent=top)
    response = coordinator_client.post(f"/t/{tenant.slug}/areas/{top.uuid}/delete/", follow=True)
    assert "first" in response.content.decode()
    with scope(local_authority=tenant):
        assert Area.objects.count() == 2


def test_deleting_an_area_removes_its_figures_and_is_logged(
    tenant: LocalAuthority, coordinator_client: Client
) -> None:
    figure = AreaFigureFactory(area=AreaFactory(local_authority=tenant, name="Weg"))
    response = coordinator_client.post(f"/t/{tenant.slug}/areas/{figure.area.uuid}/delete/")
    assert response.status_code == 302
    with scope(local_authority=tenant):
        assert not Area.objects.exists()
        assert AuditEntry.objects.get(action="delete").object_label == "Weg"


def test_the_list_filters_and_keeps_ancestors(
    tenant: LocalAuthority, coordinator_client: Client
) -> None:
    town = AreaFactory(local_authority=tenant, name="Gardelegen")
    AreaFactory(local_authority=tenant, name="Letzlingen", parent=town)
    AreaFactory(local_authority=tenant, name="Arendsee")
    response = coordinator_client.get(
        f"/t/{tenant.slug}/areas/", {"q": "letz"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert "Letzlingen" in html and "Gardelegen" in html and "Arendsee" not in html
    assert "<html" not in html  # an HTMX request gets the table only


def test_the_area_list_runs_a_fixed_number_of_queries(
    tenant: LocalAuthority, coordinator_client: Client, django_assert_max_num_queries: object
) -> None:
    for index in range(30):
        AreaFigureFactory(area=AreaFactory(local_authority=tenant, name=f"Ort {index}"))
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        response = coordinator_client.get(f"/t/{tenant.slug}/areas/")
    assert response.status_code == 200


def test_the_start_page_shows_the_places_and_totals(
    tenant: LocalAuthority, coordinator_client: Client, django_assert_max_num_queries: object
) -> None:
    county = AreaFactory(local_authority=tenant, name="Kreis", parent=None)
    AreaFigureFactory(area=county, value=83000)
    for index in range(20):
        AreaFactory(local_authority=tenant, name=f"Dorf {index}", parent=county)
    with django_assert_max_num_queries(14):  # type: ignore[operator]
        response = coordinator_client.get(f"/t/{tenant.slug}/")
    html = response.content.decode()
    assert "Dorf 19" in html
    assert "83,000" in html or "83.000" in html
    assert "<svg" in html
