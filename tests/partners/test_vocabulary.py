"""Default vocabularies per tenant, and their editing by coordinators."""

from __future__ import annotations

import pytest
from django.test import Client
from django_scopes import scope

from knotenpunkt.core.hooks import install_tenant_defaults
from knotenpunkt.core.models import LocalAuthority
from knotenpunkt.partners.models import Profession, Sector
from knotenpunkt.partners.tenant_defaults import DEFAULT_PROFESSIONS, DEFAULT_SECTORS
from tests.partners.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_defaults_are_installed_once(tenant: LocalAuthority) -> None:
    install_tenant_defaults(tenant)
    install_tenant_defaults(tenant)
    with scope(local_authority=tenant):
        assert Sector.objects.count() == len(DEFAULT_SECTORS)
        assert Profession.objects.count() == len(DEFAULT_PROFESSIONS)
        midwife = Profession.objects.get(name="Familienhebamme")
        assert midwife.sector is not None
        assert Sector.objects.get(code="SGB VIII").name == "Kinder- und Jugendhilfe"


def test_defaults_do_not_come_back_after_a_rename(tenant: LocalAuthority) -> None:
    install_tenant_defaults(tenant)
    with scope(local_authority=tenant):
        Sector.objects.filter(name="Schule").update(name="Schulen")
    install_tenant_defaults(tenant)
    with scope(local_authority=tenant):
        assert Sector.objects.filter(name="Schule").exists()  # re-added by name: documented


def test_a_sector_in_use_cannot_be_deleted(
    tenant: LocalAuthority, coordinator_client: Client
) -> None:
    install_tenant_defaults(tenant)
    with scope(local_authority=tenant):
        sector = Sector.objects.get(name="Schule")
        org = OrganisationFactory(local_authority=tenant)
        org.sectors.add(sector)
    response = coordinator_client.post(
        f"/t/{tenant.slug}/partners/vocabulary/sectors/{sector.pk}/delete/", follow=True
    )
    assert "still in use by 1 organisation" in response.content.decode()
    with scope(local_authority=tenant):
        assert Sector.objects.filter(pk=sector.pk).exists()


def test_a_profession_is_added_renamed_and_deleted(
    tenant: LocalAuthority, coordinator_client: Client
) -> None:
    base = f"/t/{tenant.slug}/partners/vocabulary/"
    assert (
        coordinator_client.post(
            base, {"kind": "profession", "profession-name": "Logopäd:in"}
        ).status_code
        == 302
    )
    with scope(local_authority=tenant):
        profession = Profession.objects.get(name="Logopäd:in")
    coordinator_client.post(f"{base}professions/{profession.pk}/", {"name": "Logopäd:innen"})
    with scope(local_authority=tenant):
        profession.refresh_from_db()
        assert profession.name == "Logopäd:innen"
        person = PersonFactory(local_authority=tenant, profession=profession)
    response = coordinator_client.post(f"{base}professions/{profession.pk}/delete/", follow=True)
    assert "still the profession of 1 person" in response.content.decode()
    with scope(local_authority=tenant):
        person.delete()
    coordinator_client.post(f"{base}professions/{profession.pk}/delete/")
    with scope(local_authority=tenant):
        assert not Profession.objects.filter(pk=profession.pk).exists()


def test_a_duplicate_sector_name_is_refused(
    tenant: LocalAuthority, coordinator_client: Client
) -> None:
    install_tenant_defaults(tenant)
    response = coordinator_client.post(
        f"/t/{tenant.slug}/partners/vocabulary/", {"kind": "sector", "sector-name": "schule"}
    )
    assert "There is a sector of this name already." in response.content.decode()
