"""A messy coordinator's sheet through upload, mapping, preview, apply and undo."""

from __future__ import annotations

import pytest
from django.test import Client
from django_scopes import scope

from knotenpunkt.bodies.models import Membership
from knotenpunkt.core.models import AuditEntry, LocalAuthority
from knotenpunkt.imports.models import ImportBatch, ImportRow
from knotenpunkt.partners.models import Affiliation, Organisation, Person
from tests.imports.factories import (
    BodyFactory,
    OrganisationFactory,
    ProfessionFactory,
    messy_workbook,
    windows_csv,
)
from tests.imports.helpers import confirm_mapping, latest_batch, upload


@pytest.fixture
def register(tenant: LocalAuthority) -> Organisation:
    ProfessionFactory(local_authority=tenant, name="Kinderärztin/Kinderarzt")
    ProfessionFactory(local_authority=tenant, name="Familienhebamme")
    BodyFactory(local_authority=tenant, name="AK Frühe Hilfen")
    return OrganisationFactory(
        local_authority=tenant, name="Gesundheitsamt Altmarkkreis", postcode="06108"
    )


def _counts(tenant: LocalAuthority) -> tuple[int, int, int, int]:
    with scope(local_authority=tenant):
        return (
            Organisation.objects.count(),
            Person.objects.count(),
            Affiliation.objects.count(),
            Membership.objects.count(),
        )


@pytest.mark.django_db
def test_it_previews_a_messy_sheet_correctly_and_writes_nothing(
    tenant: LocalAuthority, register: Organisation, coordinator_client: Client
) -> None:
    before = _counts(tenant)
    response = upload(coordinator_client, tenant, messy_workbook(), "Partner 2024.xlsx")
    assert response.status_code == 302
    batch = latest_batch()
    assert batch.header_row == 2
    assert batch.mapping == [
        "organisation",
        "full_name",
        "profession",
        "phone",
        "email",
        "street",
        "postcode",
        "city",
        "body",
        "notes",
    ]
    page = coordinator_client.get(response["Location"])
    assert "Ansprechpartner:in" in page.content.decode()
    confirm_mapping(coordinator_client, tenant, batch)
    with scope(local_authority=tenant):
        rows = {row.number: row for row in ImportRow.objects.filter(batch=batch)}
    assert [rows[n].status for n in sorted(rows)] == ["new", "new", "invalid", "duplicate", "new"]
    first = rows[4]
    assert first.organisation_id_match == register.pk
    assert first.values["postcode"] == "06108"
    assert first.values["title"] == "Dr."
    assert (first.values["first_name"], first.values["last_name"]) == ("Jürgen", "Köhler")
    assert first.values["@profession"] is not None
    assert rows[5].values["organisation"] == "Gesundheitsamt Altmarkkreis"  # merged cell
    assert (rows[5].values["first_name"], rows[5].values["last_name"]) == ("Änne", "Müller")
    # openpyxl stores no calculated value for the formula: it reads empty, and the page says so.
    assert "notes" not in rows[5].values
    assert any("formulas" in note for note in batch.notes)
    assert "email" in rows[6].problems
    assert rows[7].duplicate_of == 4
    assert rows[7].decision == "skip"
    assert any("Unbekannter AK" in warning for warning in rows[8].warnings)
    assert _counts(tenant) == before
    page = coordinator_client.get(f"/t/{tenant.slug}/import/{batch.uuid}/")
    content = page.content.decode()
    assert "Enter a valid email address." in content
    assert "as row 4" in content


@pytest.mark.django_db
def test_it_applies_and_undoes_a_batch(
    tenant: LocalAuthority, register: Organisation, coordinator_client: Client
) -> None:
    before = _counts(tenant)
    upload(coordinator_client, tenant, messy_workbook(), "Partner.xlsx")
    batch = latest_batch()
    confirm_mapping(coordinator_client, tenant, batch)
    response = coordinator_client.post(f"/t/{tenant.slug}/import/{batch.uuid}/apply/")
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.APPLIED, batch.error
    assert batch.content is None
    with scope(local_authority=tenant):
        koehler = Person.objects.get(last_name="Köhler")
        assert koehler.title == "Dr."
        assert str(koehler.phone) != ""
        assert koehler.profession is not None
        assert koehler.affiliations.get().organisation == register
        assert Membership.objects.filter(person=koehler).count() == 1
        assert Organisation.objects.filter(name="Gesundheitsamt Altmarkkreis").count() == 1
        register.refresh_from_db()
        assert register.street == "Karl-Marx-Straße 32"  # filled, it was empty
        assert register.version == 2
        assert AuditEntry.objects.filter(action="import", object_id=str(batch.pk)).exists()
        assert (
            AuditEntry.objects.filter(object_type="partners.Person", action="create").count() == 3
        )
    assert _counts(tenant) == (before[0] + 1, 3, 3, 2)

    response = coordinator_client.post(f"/t/{tenant.slug}/import/{batch.uuid}/undo/")
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.UNDONE
    assert _counts(tenant) == before
    register.refresh_from_db()
    assert register.street == ""


@pytest.mark.django_db
def test_undo_is_refused_after_a_later_change(
    tenant: LocalAuthority, register: Organisation, coordinator_client: Client
) -> None:
    upload(coordinator_client, tenant, messy_workbook(), "Partner.xlsx")
    batch = latest_batch()
    confirm_mapping(coordinator_client, tenant, batch)
    coordinator_client.post(f"/t/{tenant.slug}/import/{batch.uuid}/apply/")
    with scope(local_authority=tenant):
        Person.objects.filter(last_name="Köhler").update(version=5)
    response = coordinator_client.post(f"/t/{tenant.slug}/import/{batch.uuid}/undo/", follow=True)
    assert "cannot be undone" in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.APPLIED


@pytest.mark.django_db
def test_a_windows_csv_matches_existing_people(
    tenant: LocalAuthority, coordinator_client: Client
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
    assert batch.header_row == 1
    assert batch.mapping == [
        "organisation",
        "first_name",
        "last_name",
        "phone",
        "email",
        "postcode",
        "city",
    ]
    confirm_mapping(coordinator_client, tenant, batch)
    with scope(local_authority=tenant):
        rows = list(ImportRow.objects.filter(batch=batch).order_by("number"))
    assert [row.status for row in rows] == ["match", "new", "new"]
    assert rows[0].person_id_match == person.pk
    assert rows[0].decision == "merge"
    assert rows[2].values["postcode"] == "02941"
    coordinator_client.post(f"/t/{tenant.slug}/import/{batch.uuid}/apply/")
    with scope(local_authority=tenant):
        person.refresh_from_db()
        assert person.email == "b.schaefer@example.org"
        assert Person.objects.count() == 3
        assert Organisation.objects.count() == 2


@pytest.mark.django_db
def test_merging_fills_only_empty_fields_and_undo_restores_them(
    tenant: LocalAuthority, coordinator_client: Client
) -> None:
    ProfessionFactory(local_authority=tenant, name="Familienhebamme")
    with scope(local_authority=tenant):
        person = Person.objects.create(
            local_authority=tenant,
            first_name="Anna",
            last_name="Berg",
            email="a.berg@example.org",
            functions="Leitung",
        )
    data = (
        "Nachname;Vorname;E-Mail;Funktion;Beruf\nBerg;Anna;a.berg@example.org;Neu;Familienhebamme\n"
    )
    upload(coordinator_client, tenant, data.encode(), "x.csv")
    batch = latest_batch()
    confirm_mapping(coordinator_client, tenant, batch)
    coordinator_client.post(f"/t/{tenant.slug}/import/{batch.uuid}/apply/")
    with scope(local_authority=tenant):
        person.refresh_from_db()
        assert person.functions == "Leitung"
        assert person.profession is not None
        assert Person.objects.count() == 1
    coordinator_client.post(f"/t/{tenant.slug}/import/{batch.uuid}/undo/")
    with scope(local_authority=tenant):
        person.refresh_from_db()
        assert person.profession is None
        assert person.functions == "Leitung"
