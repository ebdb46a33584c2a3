"""Erasing a person reaches everything that named them: old audit entries and import sheets."""

from __future__ import annotations

import pytest
from django.test import Client
from django_scopes import scope

from knotenpunkt.core.models import AuditEntry, LocalAuthority, User
from knotenpunkt.imports.models import ImportBatch, ImportRow
from knotenpunkt.partners import services
from knotenpunkt.partners.models import Person
from tests.imports.factories import windows_csv
from tests.imports.helpers import confirm_mapping, latest_batch, upload
from tests.partners.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_entries_of_a_removed_affiliation_lose_the_name(
    tenant: LocalAuthority, coordinator: User
) -> None:
    with scope(local_authority=tenant):
        person = PersonFactory(local_authority=tenant, first_name="Gerda", last_name="Geheimnis")
        organisation = OrganisationFactory(local_authority=tenant, name="Reviewhaus")
        affiliation = services.affiliation_add(
            actor=coordinator, person=person, organisation=organisation
        )
        services.affiliation_remove(actor=coordinator, affiliation=affiliation)
        services.person_erase(actor=coordinator, person=person)
        labels = list(AuditEntry.objects.values_list("object_label", flat=True))
    assert not any("Geheimnis" in label for label in labels), labels


def test_import_rows_and_pending_sheets_lose_the_persons_data(
    tenant: LocalAuthority, coordinator: User, coordinator_client: Client
) -> None:
    jugendamt = OrganisationFactory(
        local_authority=tenant, name="Jugendamt Salzwedel", postcode="29410"
    )
    with scope(local_authority=tenant):
        person = PersonFactory(local_authority=tenant, first_name="Björn", last_name="Schäfer")
        services.affiliation_add(actor=coordinator, person=person, organisation=jugendamt)
    upload(coordinator_client, tenant, windows_csv(), "liste.csv")
    batch = latest_batch()
    confirm_mapping(coordinator_client, tenant, batch)

    with scope(local_authority=tenant):
        services.person_erase(actor=coordinator, person=person)
        row = ImportRow.objects.get(batch=batch, person_id_match=person.pk)
        batch.refresh_from_db()
        assert Person.objects.get(pk=person.pk).erased_at is not None
    assert row.values["last_name"] == row.values["first_name"] == ""
    assert "Schäfer" not in str(row.values) and row.match_label == ""
    assert batch.status == ImportBatch.Status.FAILED
    assert batch.table == [] and batch.content is None
