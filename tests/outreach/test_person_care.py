"""Contact care for individual professionals: due by their profession's interval, on a tour."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from knotenpunkt.core.models import LocalAuthority, User
from knotenpunkt.core.services import ServiceError
from knotenpunkt.outreach import selectors, services
from knotenpunkt.outreach.models import Contact, Tour, TourStop
from tests.outreach.factories import ContactFactory, TourFactory, TourStopFactory
from tests.partners.factories import (
    AffiliationFactory,
    OrganisationFactory,
    PersonFactory,
    ProfessionFactory,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()  # noqa: DTZ011


def ago(days: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=days)


def names(groups: list[selectors.PersonCareGroup]) -> dict[str, list[str]]:
    return {group.label: [due.person.last_name for due in group.people] for group in groups}


def test_it_lists_people_by_profession_with_their_own_interval(
    tenant: LocalAuthority, coordinator: User
) -> None:
    midwife = ProfessionFactory(local_authority=tenant, name="Hebamme")
    teacher = ProfessionFactory(local_authority=tenant, name="Lehrkraft")
    recent = PersonFactory(local_authority=tenant, last_name="Neulich", profession=midwife)
    old = PersonFactory(local_authority=tenant, last_name="Lange", profession=midwife)
    never = PersonFactory(local_authority=tenant, last_name="Nie", profession=teacher)
    PersonFactory(local_authority=tenant, last_name="Ohne")
    erased = PersonFactory(local_authority=tenant, last_name="Gelöscht", profession=teacher)
    with scopes_disabled():
        type(erased).objects.filter(pk=erased.pk).update(erased_at=timezone.now())
    ContactFactory(organisation=None, person=recent, date=ago(50))
    ContactFactory(
        organisation=None, person=old, date=ago(100), follow_up_on=ago(3), follow_up_note="Flyer"
    )
    # A contact with the organisation alone does not count for the person.
    organisation = OrganisationFactory(local_authority=tenant)
    AffiliationFactory(person=never, organisation=organisation)
    ContactFactory(organisation=organisation, date=ago(1))
    with scope(local_authority=tenant):
        default = names(selectors.person_care())
        services.contact_interval_set(
            actor=coordinator, local_authority=tenant, profession=midwife, months=3
        )
        groups = selectors.person_care()
    assert default == {"Lehrkraft": ["Nie"], "without profession": ["Ohne"]}
    assert names(groups) == {
        "Hebamme": ["Lange"],
        "Lehrkraft": ["Nie"],
        "without profession": ["Ohne"],
    }
    lange = groups[0].people[0]
    assert lange.last_contact == ago(100)
    assert lange.months == 3
    assert [contact.follow_up_note for contact in lange.open_follow_ups] == ["Flyer"]
    nie = groups[1].people[0]
    assert nie.last_contact is None
    assert nie.organisations == [organisation]


def test_the_page_shows_people_in_a_fixed_number_of_queries(
    tenant: LocalAuthority, coordinator_client: Client, django_assert_max_num_queries: Any
) -> None:
    profession = ProfessionFactory(local_authority=tenant, name="Kinderärztin")

    def add(count: int, start: int) -> None:
        for i in range(start, start + count):
            person = PersonFactory(local_authority=tenant, last_name=f"P{i}", profession=profession)
            AffiliationFactory(person=person, organisation__local_authority=tenant)
            ContactFactory(organisation=None, person=person, date=ago(400), follow_up_on=ago(2))

    add(5, 0)
    url = f"/t/{tenant.slug}/contacts/care/"
    with django_assert_max_num_queries(20):
        page = coordinator_client.get(url, {"show": "people"}).content.decode()
    assert "P4" in page
    assert "Kinderärztin (5)" in page
    with CaptureQueriesContext(connection) as before:
        coordinator_client.get(url, {"show": "people"})
    add(10, 5)
    with CaptureQueriesContext(connection) as after:
        coordinator_client.get(url, {"show": "people"})
    assert len(after) == len(before)


def test_a_person_goes_on_the_tour_at_their_organisations_address(
    tenant: LocalAuthority, coordinator: User, coordinator_client: Client
) -> None:
    person = PersonFactory(local_authority=tenant, last_name="Hebamme Schulz")
    nowhere = OrganisationFactory(local_authority=tenant, name="Ohne Ort")
    practice = OrganisationFactory(
        local_authority=tenant, name="Praxis am Markt", latitude=52.61, longitude=11.86
    )
    AffiliationFactory(person=person, organisation=nowhere)
    AffiliationFactory(person=person, organisation=practice)
    # A former affiliation is no address any more.
    AffiliationFactory(
        person=person,
        organisation=OrganisationFactory(local_authority=tenant, latitude=52.7, longitude=11.9),
        start=ago(900),
        end=ago(400),
    )
    url = f"/t/{tenant.slug}/contacts/care/people/{person.uuid}/put-on-tour/"
    response = coordinator_client.post(url, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "on the tour" in response.content.decode()
    with scopes_disabled():
        stop = TourStop.objects.select_related("tour").get()
    assert stop.organisation == practice  # the one with a place on the map
    assert stop.person == person
    assert stop.tour.status == Tour.Status.DRAFT
    # Twice is refused with a message.
    response = coordinator_client.post(url, headers={"HX-Request": "true"})
    assert "is on the tour already" in response.content.decode()
    page = coordinator_client.get(f"/t/{tenant.slug}/contacts/care/", {"show": "people"})
    assert f"person-on-tour-{person.uuid}" in page.content.decode()

    # After the tour, the visit is a contact with the person and their organisation.
    with scopes_disabled():
        Tour.objects.filter(pk=stop.tour.pk).update(status=Tour.Status.PLANNED, date=TODAY)
        tour = Tour.objects.get(pk=stop.tour.pk)
    with scope(local_authority=tenant):
        (contact,) = services.tour_complete(actor=coordinator, tour=tour)
    assert (contact.person, contact.organisation) == (person, practice)
    with scope(local_authority=tenant):
        assert not [
            due for g in selectors.person_care() for due in g.people if due.person == person
        ]


def test_a_person_joins_their_organisations_stop_or_is_refused(
    tenant: LocalAuthority, coordinator: User
) -> None:
    tour = TourFactory(local_authority=tenant)
    stop = TourStopFactory(tour=tour)
    colleague, other = (PersonFactory(local_authority=tenant) for _ in range(2))
    for person in (colleague, other):
        AffiliationFactory(person=person, organisation=stop.organisation)
    lonely = PersonFactory(local_authority=tenant, last_name="Freiberuflich")
    with scope(local_authority=tenant):
        joined = services.stop_add_person(actor=coordinator, tour=tour, person=colleague)
        assert joined.pk == stop.pk
        assert joined.person == colleague
        with pytest.raises(ServiceError) as taken:
            services.stop_add_person(actor=coordinator, tour=tour, person=other)
        assert "on the tour already, to see" in taken.value.messages[0]
        with pytest.raises(ServiceError) as homeless:
            services.stop_add_person(actor=coordinator, tour=tour, person=lonely)
        assert "works at no organisation" in homeless.value.messages[0]
    with scopes_disabled():
        assert TourStop.objects.filter(tour=tour).count() == 1


def test_another_tenants_person_cannot_be_put_on_a_tour(
    tenant: LocalAuthority, other_tenant: LocalAuthority, coordinator_client: Client
) -> None:
    foreign = PersonFactory(local_authority=other_tenant)
    AffiliationFactory(person=foreign)
    url = f"/t/{tenant.slug}/contacts/care/people/{foreign.uuid}/put-on-tour/"
    assert coordinator_client.post(url).status_code == 404
    with scopes_disabled():
        assert not TourStop.objects.exists()
        assert not Contact.objects.exists()
