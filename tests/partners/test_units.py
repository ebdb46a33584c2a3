"""Units form a tree inside one organisation: no cycles, no parents from elsewhere."""

from __future__ import annotations

import pytest
from django.test import Client
from django_scopes import scope

from knotenpunkt.core.models import LocalAuthority, User
from knotenpunkt.core.services import ServiceError
from knotenpunkt.partners.models import Unit
from knotenpunkt.partners.services import unit_update
from tests.partners.factories import OrganisationFactory, UnitFactory

pytestmark = pytest.mark.django_db


def test_a_coordinator_adds_a_unit_inside_another(
    tenant: LocalAuthority, coordinator_client: Client
) -> None:
    top = UnitFactory(organisation=OrganisationFactory(local_authority=tenant), name="Frühe Hilfen")
    response = coordinator_client.post(
        f"/t/{tenant.slug}/partners/organisations/{top.organisation.uuid}/units/new/",
        {"name": "Netzwerkkoordination", "kind": "team", "parent": top.pk, "version": "1"},
    )
    assert response.status_code == 302
    page = coordinator_client.get(response["Location"]).content.decode()
    assert "Netzwerkkoordination" in page and 'class="depth-1"' in page


def test_a_unit_cannot_move_inside_itself_or_another_organisation(
    tenant: LocalAuthority, coordinator: User
) -> None:
    top = UnitFactory(organisation=OrganisationFactory(local_authority=tenant))
    below = UnitFactory(organisation=top.organisation, parent=top)
    elsewhere = UnitFactory(organisation=OrganisationFactory(local_authority=tenant))
    with scope(local_authority=tenant):
        with pytest.raises(ServiceError, match="inside itself"):
            unit_update(actor=coordinator, unit=top, data={"parent": below}, version=1)
        with pytest.raises(ServiceError, match="same organisation"):
            unit_update(actor=coordinator, unit=top, data={"parent": elsewhere}, version=1)
        assert Unit.objects.get(pk=top.pk).parent is None


def test_a_unit_with_sub_units_is_not_deleted(
    tenant: LocalAuthority, coordinator_client: Client
) -> None:
    top = UnitFactory(organisation=OrganisationFactory(local_authority=tenant))
    UnitFactory(organisation=top.organisation, parent=top)
    response = coordinator_client.post(
        f"/t/{tenant.slug}/partners/units/{top.uuid}/delete/", follow=True
    )
    assert "first" in response.content.decode()
    with scope(local_authority=tenant):
        assert Unit.objects.filter(pk=top.pk).exists()


def test_a_stale_unit_edit_is_refused(tenant: LocalAuthority, coordinator_client: Client) -> None:
    unit = UnitFactory(organisation=OrganisationFactory(local_authority=tenant), name="ASD")
    url = f"/t/{tenant.slug}/partners/units/{unit.uuid}/edit/"
    first = coordinator_client.post(url, {"name": "ASD Nord", "kind": unit.kind, "version": "1"})
    assert first.status_code == 302
    second = coordinator_client.post(url, {"name": "ASD Süd", "kind": unit.kind, "version": "1"})
    assert second.status_code == 200
    assert "changed this record in the meantime" in second.content.decode()
    with scope(local_authority=tenant):
        unit.refresh_from_db()
    assert (unit.name, unit.version) == ("ASD Nord", 2)
