"""Undo never destroys work done after the import, and erased people never come back through it."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django_scopes import scope

from knotenpunkt.core.models import LocalAuthority, User
from knotenpunkt.imports.models import ImportBatch
from knotenpunkt.partners import services as partner_services
from knotenpunkt.partners.models import Affiliation, Consent, Organisation, Person, Unit
from tests.imports.factories import (
    BodyFactory,
    OrganisationFactory,
    ProfessionFactory,
    messy_workbook,
    windows_csv,
)
from tests.imports.helpers import confirm_mapping, latest_batch, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def applied(tenant: LocalAuthority, coordinator_client: Client) -> ImportBatch:
    ProfessionFactory(local_authority=tenant, name="Familienhebamme")
    BodyFactory(local_authority=tenant, name="AK Frühe Hilfen")
    upload(coordinator_client, tenant, messy_workbook(), "Partner.xlsx")
    batch = latest_batch()
    confirm_mapping(coordinator_client, tenant, batch)
    coordinator_client.post(f"/t/{tenant.slug}/import/{batch.uuid}/apply/")
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.APPLIED, batch.error
    return batch


def _undo(client: Client, tenant: LocalAuthority, batch: ImportBatch) -> str:
    response = client.post(f"/t/{tenant.slug}/import/{batch.uuid}/undo/", follow=True)
    assert response.status_code == 200
    batch.refresh_from_db()
    return response.content.decode()


def test_a_consent_recorded_after_the_import_blocks_undo(
    tenant: LocalAuthority, coordinator: User, coordinator_client: Client, applied: ImportBatch
) -> None:
    with scope(local_authority=tenant):
        person = Person.objects.get(last_name="Köhler")
        partner_services.consent_record(
            actor=coordinator,
            person=person,
            given_on=datetime.date(2026, 11, 1),
            method=Consent.Method.EMAIL,
            scope="Verteiler",
        )
    html = _undo(coordinator_client, tenant, applied)
    assert "cannot be undone" in html
    assert applied.status == ImportBatch.Status.APPLIED
    with scope(local_authority=tenant):
        assert Consent.objects.filter(person=person).exists()


def test_a_unit_added_to_an_imported_organisation_blocks_undo(
    tenant: LocalAuthority, coordinator_client: Client, applied: ImportBatch
) -> None:
    with scope(local_authority=tenant):
        created = applied.changes["created"]["partners.Organisation"]
        organisation = Organisation.objects.get(pk=created[0])
        Unit.objects.create(local_authority=tenant, organisation=organisation, name="Neues Team")
    html = _undo(coordinator_client, tenant, applied)
    assert "cannot be undone" in html
    with scope(local_authority=tenant):
        assert Unit.objects.filter(name="Neues Team").exists()


def test_without_later_work_undo_removes_everything(
    tenant: LocalAuthority, coordinator_client: Client, applied: ImportBatch
) -> None:
    _undo(coordinator_client, tenant, applied)
    assert applied.status == ImportBatch.Status.UNDONE
    with scope(local_authority=tenant):
        assert not Person.objects.filter(last_name="Köhler").exists()


def test_a_person_erased_between_preview_and_apply_stays_erased(
    tenant: LocalAuthority, coordinator: User, coordinator_client: Client
) -> None:
    jugendamt = OrganisationFactory(
        local_authority=tenant, name="Jugendamt Salzwedel", postcode="29410"
    )
    with scope(local_authority=tenant):
        person = Person.objects.create(
            local_authority=tenant, first_name="Björn", last_name="Schäfer"
        )
        Affiliation.objects.create(local_authority=tenant, person=person, organisation=jugendamt)
    upload(coordinator_client, tenant, windows_csv(), "liste.csv")
    batch = latest_batch()
    confirm_mapping(coordinator_client, tenant, batch)
    with scope(local_authority=tenant):
        partner_services.person_erase(actor=coordinator, person=person)
    coordinator_client.post(f"/t/{tenant.slug}/import/{batch.uuid}/apply/")
    with scope(local_authority=tenant):
        person.refresh_from_db()
        assert person.erased_at is not None
        assert (person.first_name, person.email) == ("", "")
        assert not Person.objects.filter(last_name="Schäfer").exists()
