"""GDPR: export of everything held about a person, and erasure that keeps counts intact."""

from __future__ import annotations

import datetime
import json

import pytest
from django.test import Client
from django_scopes import scope

from knotenpunkt.core.models import AuditEntry, LocalAuthority, User
from knotenpunkt.partners.models import Affiliation, Consent, Person
from knotenpunkt.partners.services import ERASED_NAME
from tests.partners.factories import OrganisationFactory, ProfessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(tenant: LocalAuthority, coordinator_client: Client, partner: User) -> Person:
    """A person created, affiliated and asked for consent through the UI, so all is audited."""
    profession = ProfessionFactory(local_authority=tenant, name="Familienhebamme")
    org = OrganisationFactory(local_authority=tenant, name="Hebammenpraxis (Demo)")
    base = f"/t/{tenant.slug}/partners/people/"
    coordinator_client.post(
        f"{base}new/",
        {
            "first_name": "Hannelore",
            "last_name": "Fantasiename",
            "email": "hannelore@example.org",
            "phone": "+49 30 12345678",
            "profession": profession.pk,
            "notes": "mag Kaffee",
            "purpose": "Netzwerk",
            "legal_basis": "consent",
            "version": "1",
        },
    )
    with scope(local_authority=tenant):
        created = Person.objects.get(last_name="Fantasiename")
        created.user = partner
        created.save(update_fields=["user"])
    coordinator_client.post(
        f"{base}{created.uuid}/affiliations/new/",
        {"organisation": org.pk, "position": "Leitung", "start": "2023-01-01"},
    )
    coordinator_client.post(
        f"{base}{created.uuid}/consents/new/",
        {"given_on": "2024-02-03", "method": "email", "scope": "Telefonliste"},
    )
    return created


def test_the_export_holds_everything(
    tenant: LocalAuthority, person: Person, coordinator_client: Client
) -> None:
    response = coordinator_client.get(f"/t/{tenant.slug}/partners/people/{person.uuid}/export/")
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["person"]["last_name"] == "Fantasiename"
    assert data["person"]["email"] == "hannelore@example.org"
    assert data["person"]["profession"] == "Familienhebamme"
    assert data["person"]["user"] == "partner@example.org"
    assert data["affiliations"] == [
        {
            "organisation": "Hebammenpraxis (Demo)",
            "unit": None,
            "position": "Leitung",
            "start": "2023-01-01",
            "end": None,
        }
    ]
    assert data["consents"][0]["method"] == "email"
    assert data["consents"][0]["given_on"] == "2024-02-03"
    assert data["memberships"] == []
    assert data["audit_log"][0]["action"] == "create"


def test_the_person_may_export_their_own_data(
    tenant: LocalAuthority, person: Person, partner_client: Client
) -> None:
    response = partner_client.get(f"/t/{tenant.slug}/partners/people/{person.uuid}/export/")
    assert response.status_code == 200


def test_erasure_removes_personal_data_and_keeps_counts(
    tenant: LocalAuthority, person: Person, coordinator_client: Client
) -> None:
    response = coordinator_client.post(f"/t/{tenant.slug}/partners/people/{person.uuid}/erase/")
    assert response.status_code == 302
    with scope(local_authority=tenant):
        person.refresh_from_db()
        assert person.last_name == ERASED_NAME
        assert (person.first_name, person.email, person.notes, str(person.phone)) == (
            "",
            "",
            "",
            "",
        )
        assert person.user is None
        assert person.erased_at is not None
        assert person.profession is not None and person.profession.name == "Familienhebamme"
        assert Affiliation.objects.filter(person=person).count() == 1
        assert not Consent.objects.filter(person=person).exists()
        log = json.dumps(
            list(AuditEntry.objects.values_list("object_label", "changes")), ensure_ascii=False
        )
        last = AuditEntry.objects.filter(object_type="partners.Person").order_by("-id").first()
    for secret in ("Hannelore", "Fantasiename", "hannelore@example.org", "mag Kaffee", "12345678"):
        assert secret not in log, secret
    assert last is not None and last.changes == {"erased": [None, True]}


def test_an_erased_person_cannot_be_edited_or_erased_again(
    tenant: LocalAuthority, person: Person, coordinator_client: Client
) -> None:
    base = f"/t/{tenant.slug}/partners/people/{person.uuid}/"
    coordinator_client.post(f"{base}erase/")
    assert coordinator_client.get(f"{base}edit/").status_code == 302
    response = coordinator_client.post(f"{base}erase/", follow=True)
    assert "anonymised already" in response.content.decode()


def test_retention_hint_lists_only_stale_people_without_anything_current(
    tenant: LocalAuthority, coordinator_client: Client
) -> None:
    from tests.partners.factories import AffiliationFactory, PersonFactory

    long_ago = datetime.datetime(2015, 1, 1, tzinfo=datetime.UTC)
    stale = PersonFactory(local_authority=tenant, last_name="Altbestand", updated_at=long_ago)
    ended = PersonFactory(local_authority=tenant, last_name="Ausgeschieden", updated_at=long_ago)
    AffiliationFactory(person=ended, end=datetime.date(2016, 1, 1))
    working = PersonFactory(local_authority=tenant, last_name="Aktiv", updated_at=long_ago)
    AffiliationFactory(person=working)
    PersonFactory(local_authority=tenant, last_name="Frisch")
    page = coordinator_client.get(f"/t/{tenant.slug}/partners/data-protection/").content.decode()
    assert "Altbestand" in page and "Ausgeschieden" in page
    assert "Aktiv" not in page and "Frisch" not in page
    response = coordinator_client.post(
        f"/t/{tenant.slug}/partners/people/{stale.uuid}/erase/", {"next": "data_protection"}
    )
    assert response["Location"].endswith("/partners/data-protection/")


def test_the_retention_period_comes_from_the_settings(
    tenant: LocalAuthority, settings: object
) -> None:
    from knotenpunkt.partners.selectors import retention_candidates
    from tests.partners.factories import PersonFactory

    two_years = datetime.datetime.now(tz=datetime.UTC) - datetime.timedelta(days=800)
    PersonFactory(local_authority=tenant, updated_at=two_years)
    with scope(local_authority=tenant):
        assert retention_candidates().count() == 0
        settings.PARTNERS_RETENTION_YEARS = 2  # type: ignore[attr-defined]
        assert retention_candidates().count() == 1
