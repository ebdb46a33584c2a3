"""Two people editing one record: the second save is refused, nothing is overwritten."""

from __future__ import annotations

import pytest
from django.test import Client
from django_scopes import scope

from knotenpunkt.core.models import LocalAuthority, User
from knotenpunkt.partners.models import Organisation, Person
from tests.conftest import client_for
from tests.factories import RoleFactory, UserFactory
from tests.partners.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_coordinator(tenant: LocalAuthority) -> Client:
    user = UserFactory(email="second@example.org")
    RoleFactory(local_authority=tenant, user=user, kind="coordinator")
    return client_for(user)


def test_the_second_save_of_an_organisation_is_refused(
    tenant: LocalAuthority, coordinator_client: Client, second_coordinator: Client
) -> None:
    org = OrganisationFactory(local_authority=tenant, name="Kita Sonnenschein", city="Salzwedel")
    url = f"/t/{tenant.slug}/partners/organisations/{org.uuid}/edit/"
    # Both opened the form at version 1.
    assert 'name="version" value="1"' in coordinator_client.get(url).content.decode()
    first = coordinator_client.post(
        url, {"name": "Kita Sonnenschein", "city": "Gardelegen", "version": "1"}
    )
    assert first.status_code == 302
    second = second_coordinator.post(
        url, {"name": "Kita Regenbogen", "city": "Salzwedel", "version": "1"}
    )
    assert second.status_code == 200
    page = second.content.decode()
    assert "Someone else changed this record in the meantime" in page
    assert "Gardelegen" in page  # the current value is shown beside the user's own
    assert 'name="version" value="2"' in page  # saving again knowingly is possible
    with scope(local_authority=tenant):
        stored = Organisation.objects.get(pk=org.pk)
    assert (stored.name, stored.city, stored.version) == ("Kita Sonnenschein", "Gardelegen", 2)

    again = second_coordinator.post(
        url, {"name": "Kita Regenbogen", "city": "Salzwedel", "version": "2"}
    )
    assert again.status_code == 302
    with scope(local_authority=tenant):
        stored = Organisation.objects.get(pk=org.pk)
    assert (stored.name, stored.version) == ("Kita Regenbogen", 3)


def test_the_second_save_of_a_person_is_refused(
    tenant: LocalAuthority, coordinator_client: Client, second_coordinator: Client
) -> None:
    person = PersonFactory(local_authority=tenant, last_name="Müller")
    url = f"/t/{tenant.slug}/partners/people/{person.uuid}/edit/"
    base = {"first_name": "Erika", "purpose": "Netzwerk", "legal_basis": "public_task"}
    assert (
        coordinator_client.post(url, {**base, "last_name": "Meier", "version": "1"}).status_code
        == 302
    )
    response = second_coordinator.post(url, {**base, "last_name": "Schulze", "version": "1"})
    assert "Someone else changed this record" in response.content.decode()
    with scope(local_authority=tenant):
        assert Person.objects.get(pk=person.pk).last_name == "Meier"


def test_a_service_call_with_a_stale_version_raises(
    tenant: LocalAuthority, coordinator: User
) -> None:
    from knotenpunkt.core.services import ServiceError
    from knotenpunkt.partners.services import organisation_update

    org = OrganisationFactory(local_authority=tenant, name="A")
    with scope(local_authority=tenant):
        organisation_update(actor=coordinator, organisation=org, data={"name": "B"}, version=1)
        stale = Organisation.objects.get(pk=org.pk)
        stale.version = 1
        with pytest.raises(ServiceError):
            organisation_update(
                actor=coordinator, organisation=stale, data={"name": "C"}, version=1
            )
        assert Organisation.objects.get(pk=org.pk).name == "B"
