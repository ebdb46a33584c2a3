"""The organisation and person lists: search, filters, sort, pages, saved filters, query counts."""

from __future__ import annotations

import pytest
from django.test import Client
from django_scopes import scope
from pytest_django import DjangoAssertNumQueries

from knotenpunkt.core.models import LocalAuthority, User
from knotenpunkt.partners.models import SavedFilter
from tests.factories import AreaFactory
from tests.partners.factories import (
    AffiliationFactory,
    OrganisationFactory,
    PersonFactory,
    ProfessionFactory,
    SectorFactory,
)

pytestmark = pytest.mark.django_db


def _fill(tenant: LocalAuthority, count: int) -> None:
    sector = SectorFactory(local_authority=tenant)
    profession = ProfessionFactory(local_authority=tenant)
    area = AreaFactory(local_authority=tenant)
    for _i in range(count):
        org = OrganisationFactory(local_authority=tenant, area=area)
        org.sectors.add(sector)
        org.areas_served.add(area)
        for _ in range(2):
            AffiliationFactory(
                person=PersonFactory(local_authority=tenant, profession=profession),
                organisation=org,
            )


@pytest.mark.parametrize("count", [5, 50])
def test_lists_take_a_constant_number_of_queries(
    tenant: LocalAuthority,
    coordinator_client: Client,
    django_assert_max_num_queries: DjangoAssertNumQueries,
    count: int,
) -> None:
    _fill(tenant, count)
    base = f"/t/{tenant.slug}/partners/"
    with django_assert_max_num_queries(16):
        assert coordinator_client.get(base).status_code == 200
    with django_assert_max_num_queries(16):
        assert coordinator_client.get(f"{base}people/?q=Beispiel&sort=town").status_code == 200
    with scope(local_authority=tenant):
        org = AffiliationFactory(person=PersonFactory(local_authority=tenant)).organisation
    with django_assert_max_num_queries(14):
        assert coordinator_client.get(f"{base}organisations/{org.uuid}/").status_code == 200


def test_search_filter_and_sort(tenant: LocalAuthority, coordinator_client: Client) -> None:
    kita = SectorFactory(local_authority=tenant, name="Kindertagesbetreuung", code="Kita")
    north = AreaFactory(local_authority=tenant, name="Nord")
    village = AreaFactory(local_authority=tenant, name="Dorf", parent=north)
    a = OrganisationFactory(
        local_authority=tenant, name="Kita Pusteblume", city="Zethlingen", area=village
    )
    a.sectors.add(kita)
    OrganisationFactory(local_authority=tenant, name="Jobcenter (Demo)", city="Arendsee")
    base = f"/t/{tenant.slug}/partners/"

    page = coordinator_client.get(base, {"q": "puste"}).content.decode()
    assert "Kita Pusteblume" in page and "Jobcenter" not in page
    page = coordinator_client.get(base, {"sector": kita.pk}).content.decode()
    assert "Kita Pusteblume" in page and "Jobcenter" not in page
    page = coordinator_client.get(base, {"area": str(north.uuid)}).content.decode()
    assert "Kita Pusteblume" in page and "Jobcenter" not in page
    page = coordinator_client.get(base, {"sort": "town"}).content.decode()
    assert page.index("Jobcenter") < page.index("Kita Pusteblume")


def test_htmx_gets_only_the_table(tenant: LocalAuthority, coordinator_client: Client) -> None:
    OrganisationFactory(local_authority=tenant, name="Familienzentrum (Demo)")
    response = coordinator_client.get(
        f"/t/{tenant.slug}/partners/", {"q": "famil"}, HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert page.lstrip().startswith('<div id="organisation-table"')
    assert "Familienzentrum (Demo)" in page


def test_pages_of_fifty(tenant: LocalAuthority, coordinator_client: Client) -> None:
    for i in range(51):
        OrganisationFactory(local_authority=tenant, name=f"Org {i:03}")
    first = coordinator_client.get(f"/t/{tenant.slug}/partners/").content.decode()
    assert "Org 049" in first and "Org 050" not in first
    second = coordinator_client.get(f"/t/{tenant.slug}/partners/?page=2").content.decode()
    assert "Org 050" in second


def test_people_are_filtered_by_profession(
    tenant: LocalAuthority, coordinator_client: Client
) -> None:
    midwife = ProfessionFactory(local_authority=tenant, name="Hebamme")
    PersonFactory(local_authority=tenant, last_name="Storch", profession=midwife)
    PersonFactory(local_authority=tenant, last_name="Lehrer")
    page = coordinator_client.get(
        f"/t/{tenant.slug}/partners/people/", {"profession": midwife.pk}
    ).content.decode()
    assert "Storch" in page and "Lehrer" not in page


def test_saved_filters_are_kept_applied_and_deleted(
    tenant: LocalAuthority, coordinator: User, coordinator_client: Client, partner_client: Client
) -> None:
    base = f"/t/{tenant.slug}/partners/"
    response = coordinator_client.post(
        f"{base}filters/save/",
        {"name": "Hebammen", "list_name": "people", "query": "q=hebamme&sort=town"},
    )
    assert response["Location"] == f"{base}people/?q=hebamme&sort=town"
    page = coordinator_client.get(f"{base}people/").content.decode()
    assert "Hebammen" in page and "?q=hebamme&amp;sort=town" in page
    with scope(local_authority=tenant):
        saved = SavedFilter.objects.get()
    assert saved.user == coordinator
    # Other users neither see nor delete it.
    assert "Hebammen" not in partner_client.get(f"{base}people/").content.decode()
    assert partner_client.post(f"{base}filters/{saved.pk}/delete/").status_code == 404
    coordinator_client.post(f"{base}filters/{saved.pk}/delete/")
    with scope(local_authority=tenant):
        assert not SavedFilter.objects.exists()
