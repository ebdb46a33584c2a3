"""Coordinators create and edit offers: every HSDS part, audited, versioned, with history."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django_scopes import scope

from knotenpunkt.core.models import AuditEntry, LocalAuthority, User
from knotenpunkt.core.services import ServiceError
from knotenpunkt.directory import revisions, selectors, services
from knotenpunkt.directory.models import (
    Address,
    Language,
    Phone,
    Schedule,
    Service,
    ServiceRevision,
    ServiceTranslation,
)
from tests.directory.factories import ScheduleFactory, TopicFactory
from tests.directory.freshness_support import URLS, form_data, offer, snapshot
from tests.factories import AreaFactory
from tests.partners.factories import OrganisationFactory, PersonFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls(URLS)]


def _full_snapshot(tenant: LocalAuthority) -> dict[str, object]:
    topic = TopicFactory(taxonomy__local_authority=tenant, name="Stillförderung")
    area = AreaFactory(local_authority=tenant, name="Gardelegen")
    person = PersonFactory(local_authority=tenant)
    data = revisions.empty_snapshot()
    data.update(
        name="Stillcafé",
        description="Austausch rund ums Stillen.",
        application_process="Einfach vorbeikommen.",
        email="stillcafe@example.org",
        url="https://example.org/stillcafe",
        min_age_months=-2,
        max_age_months=12,
        cost_type="free",
        topics=[str(topic.uuid)],
        life_phases=["birth", "age_0_1"],
        languages=["de", "ar"],
        translations={"en": {"name": "Breastfeeding café", "description": "Meet and talk."}},
        locations=[
            {
                "name": "Familienzentrum",
                "address_1": "Bahnhofstraße 3",
                "postal_code": "39638",
                "city": "Gardelegen",
                "state_province": "Sachsen-Anhalt",
                "area": str(area.uuid),
                "barrier_free": True,
                "phones": ["03907 1234"],
            },
            {"name": "Schutzraum", "confidential": True, "phones": ["0800 111"]},
        ],
        schedules=[
            {"weekday": "TU", "opens": "09:00", "closes": "11:00", "description": ""},
            {"weekday": "", "opens": "", "closes": "", "description": "nach Vereinbarung"},
        ],
        phone="03907 999",
        contact_name="Frau Beispiel",
        contact_email="beispiel@example.org",
        responsible=str(person.uuid),
    )
    return data


def test_a_snapshot_round_trips_through_the_hsds_models(
    tenant: LocalAuthority, coordinator: User
) -> None:
    org = OrganisationFactory(local_authority=tenant)
    data = _full_snapshot(tenant)
    with scope(local_authority=tenant):
        service = services.service_create(actor=coordinator, organisation=org, data=data)
        stored = revisions.editable_snapshot(Service.objects.get(pk=service.pk))
        assert Address.objects.get().city == "Gardelegen"
        assert Phone.objects.filter(location__isnull=False).count() == 2
        assert Language.objects.filter(service=service).count() == 2
        assert ServiceTranslation.objects.get().name == "Breastfeeding café"
        assert Schedule.objects.get(byday="TU").freq == "WEEKLY"
        assert service.last_verified_at is not None and service.verified_by == coordinator
        assert AuditEntry.objects.filter(object_type="directory.Service", action="create").exists()
        assert ServiceRevision.objects.get(service=service).status == "approved"
    expected = revisions.normalise(data)
    locations = stored.pop("locations")
    expected_locations = expected.pop("locations")
    assert stored == expected
    assert [
        {key: value for key, value in entry.items() if key != "uuid"} for entry in locations
    ] == [
        {key: value for key, value in entry.items() if key != "uuid"}
        for entry in expected_locations
    ]


def test_an_update_changes_only_what_changed_and_keeps_ids(
    tenant: LocalAuthority, coordinator: User
) -> None:
    org = OrganisationFactory(local_authority=tenant)
    with scope(local_authority=tenant):
        service = services.service_create(
            actor=coordinator, organisation=org, data=_full_snapshot(tenant)
        )
        location_ids = sorted(
            Service.objects.get(pk=service.pk).service_at_locations.values_list(
                "location__uuid", flat=True
            )
        )
        data = revisions.editable_snapshot(service)
        data["description"] = "Neu beschrieben."
        data["locations"][0]["phones"] = ["03907 5555"]
        data["schedules"] = data["schedules"][:1]
        data["translations"] = {}
        service, changed = services.service_update(
            actor=coordinator, service=service, data=data, expected_version=1
        )
        assert changed and service.version == 2
        fresh = Service.objects.get(pk=service.pk)
        assert fresh.description == "Neu beschrieben."
        assert (
            sorted(fresh.service_at_locations.values_list("location__uuid", flat=True))
            == location_ids
        )
        assert Phone.objects.filter(number="03907 5555").exists()
        assert Schedule.objects.filter(service=service).count() == 1
        assert not ServiceTranslation.objects.exists()
        entry = AuditEntry.objects.filter(action="update", object_type="directory.Service").get()
        assert set(entry.changes) == {"description", "locations", "schedules", "translations"}
        # Saving the same again changes nothing and keeps the version.
        _, changed = services.service_update(
            actor=coordinator, service=fresh, data=data, expected_version=2
        )
        assert not changed
        history = selectors.service_detail(
            fresh, settings=selectors.directory_settings(tenant)
        ).history
        assert len(history) == 2
        assert {change.key for change in history[0][1]} == {
            "description",
            "locations",
            "schedules",
            "translations",
        }


def test_a_save_over_a_newer_version_is_refused_and_shown(
    tenant: LocalAuthority, coordinator: User, coordinator_client: Client
) -> None:
    service = offer(tenant, name="Kurs", description="Alt")
    url = f"/t/{tenant.slug}/offers/{service.uuid}/edit/"
    assert coordinator_client.get(url).status_code == 200
    with scope(local_authority=tenant):
        services.service_update(
            actor=coordinator,
            service=service,
            data=snapshot(service, description="Von Kollegin"),
            expected_version=1,
        )
    response = coordinator_client.post(
        url, form_data(snapshot(service, description="Von mir"), version=1)
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Changed in the meantime" in page
    assert "Von Kollegin" in page and "Von mir" in page
    assert 'name="version" value="2"' in page
    with scope(local_authority=tenant):
        assert Service.objects.get(pk=service.pk).description == "Von Kollegin"
        with pytest.raises(ServiceError):
            services.service_update(
                actor=coordinator,
                service=service,
                data=snapshot(service, description="Nochmal"),
                expected_version=1,
            )


def test_a_coordinator_creates_an_offer_with_the_form(
    tenant: LocalAuthority, coordinator_client: Client
) -> None:
    org = OrganisationFactory(local_authority=tenant, name="Beratungsstelle")
    url = f"/t/{tenant.slug}/offers/new/?organisation={org.uuid}"
    assert coordinator_client.get(url).status_code == 200
    data = _full_snapshot(tenant)
    response = coordinator_client.post(url, form_data(data, organisation=org))
    assert response.status_code == 302
    with scope(local_authority=tenant):
        service = Service.objects.get(name="Stillcafé")
        stored = revisions.editable_snapshot(service)
    assert stored["translations"] == {
        "en": {"name": "Breastfeeding café", "description": "Meet and talk."}
    }
    assert [entry["city"] for entry in stored["locations"]] == ["Gardelegen", ""]
    assert stored["locations"][1]["confidential"] is True


def test_invalid_input_is_shown_next_to_the_field(
    tenant: LocalAuthority, coordinator_client: Client
) -> None:
    org = OrganisationFactory(local_authority=tenant)
    data = revisions.empty_snapshot()
    data.update(name="", min_age_months=24, max_age_months=12)
    data["locations"] = [{"name": "Halb", "address_1": "Weg 1"}]
    data["schedules"] = [{"weekday": "", "opens": "10:00", "closes": "09:00"}]
    response = coordinator_client.post(
        f"/t/{tenant.slug}/offers/new/", form_data(data, organisation=org)
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "This field is required." in page
    assert "The upper age lies below the lower age." in page
    assert "Give street, postcode and town of the address, or none." in page
    assert "The closing time lies before the opening time." in page
    assert 'aria-invalid="true"' in page


def test_changed_german_text_flags_the_translations_and_rich_schedules_survive(
    tenant: LocalAuthority, coordinator: User
) -> None:
    org = OrganisationFactory(local_authority=tenant)
    with scope(local_authority=tenant):
        service = services.service_create(
            actor=coordinator, organisation=org, data=_full_snapshot(tenant)
        )
    monthly = ScheduleFactory(
        service=service,
        freq="MONTHLY",
        byday="1MO",
        description="",
        valid_from=datetime.date(2025, 1, 1),
    )
    with scope(local_authority=tenant):
        data = revisions.editable_snapshot(service)
        assert len(data["schedules"]) == 2  # the monthly rule is not in the form
        data["description"] = "Ganz neu."
        data["schedules"] = []
        services.service_update(actor=coordinator, service=service, data=data, expected_version=1)
        assert ServiceTranslation.objects.get().source_changed is True
        assert list(Schedule.objects.filter(service=service)) == [monthly]


def test_references_outside_the_tenant_are_refused(
    tenant: LocalAuthority, other_tenant: LocalAuthority, coordinator: User
) -> None:
    org = OrganisationFactory(local_authority=tenant)
    foreign_topic = TopicFactory(taxonomy__local_authority=other_tenant)
    foreign_area = AreaFactory(local_authority=other_tenant)
    data = revisions.empty_snapshot()
    data["name"] = "Kurs"
    with scope(local_authority=tenant):
        with pytest.raises(ServiceError):
            services.service_create(
                actor=coordinator,
                organisation=org,
                data={**data, "topics": [str(foreign_topic.uuid)]},
            )
        with pytest.raises(ServiceError):
            services.service_create(
                actor=coordinator,
                organisation=org,
                data={**data, "locations": [{"name": "X", "area": str(foreign_area.uuid)}]},
            )
        assert not Service.objects.exists()
