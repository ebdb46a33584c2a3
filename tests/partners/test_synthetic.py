"""The synthetic generator's partner step: vocabularies, organisations and people per tenant."""

from __future__ import annotations

import pytest
from django_scopes import scopes_disabled

from knotenpunkt.core.models import Area, LocalAuthority
from knotenpunkt.core.synthetic import generate, registered_steps
from knotenpunkt.partners.models import Affiliation, Organisation, Person, Profession, Sector
from knotenpunkt.partners.synthetic import create_organisations, organisations_for
from knotenpunkt.partners.tenant_defaults import DEFAULT_PROFESSIONS, DEFAULT_SECTORS

pytestmark = pytest.mark.django_db


@pytest.fixture
def only_core_and_partners(monkeypatch: pytest.MonkeyPatch) -> None:
    """Runs core's steps and this app's, so that other apps' steps cannot break this test."""
    from knotenpunkt.core import synthetic

    steps = [
        step
        for step in registered_steps()
        if step.name.startswith("core.") or step.function is create_organisations
    ]
    monkeypatch.setattr(synthetic, "registered_steps", lambda: steps)


@pytest.mark.usefixtures("only_core_and_partners")
def test_a_county_gets_a_partner_register() -> None:
    report = generate(scale="county", seed=3)
    with scopes_disabled():
        tenant = LocalAuthority.objects.get(is_synthetic=True)
        areas = Area.objects.filter(local_authority=tenant).count()
        orgs = Organisation.objects.filter(local_authority=tenant)
        assert orgs.count() == organisations_for(areas) == report.counts["organisations"]
        assert Sector.objects.filter(local_authority=tenant).count() == len(DEFAULT_SECTORS)
        assert Profession.objects.filter(local_authority=tenant).count() == len(DEFAULT_PROFESSIONS)
        people = Person.objects.filter(local_authority=tenant).count()
        assert orgs.count() <= people <= 3 * orgs.count()
        assert Affiliation.objects.filter(local_authority=tenant).count() == people
        assert all(org.sectors.exists() for org in orgs[:5])
        first = sorted(orgs.values_list("name", "postcode", "latitude"))
    # Same seed, same register.
    generate(scale="county", seed=3, replace=True)
    with scopes_disabled():
        again = Organisation.objects.filter(local_authority__is_synthetic=True)
        assert sorted(again.values_list("name", "postcode", "latitude")) == first


def test_the_step_is_registered_after_core() -> None:
    names = [step.name for step in registered_steps()]
    assert "partners.create_organisations" in names
    assert names.index("partners.create_organisations") > names.index("core.create_areas")
