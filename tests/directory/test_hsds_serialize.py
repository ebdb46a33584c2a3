"""Our models as HSDS 3.0 JSON: the shapes of the HSDS API, valid against the official schemas.

``build_directory`` makes a small directory that uses every HSDS object and every DE profile
field; the import and tabular tests use it too.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django_scopes import scope

from knotenpunkt.core.models import LifePhase, LocalAuthority
from knotenpunkt.directory.hsds import serialize
from knotenpunkt.directory.hsds.schemas import validate, validate_list_item
from knotenpunkt.directory.models import (
    Accessibility,
    Address,
    Attribute,
    CostOption,
    DirectoryContact,
    Funding,
    Language,
    Location,
    Metadata,
    OrganizationIdentifier,
    Phone,
    Program,
    RequiredDocument,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceTranslation,
    Taxonomy,
    TaxonomyTerm,
    TaxonomyTermTranslation,
)
from knotenpunkt.partners.models import Organisation
from tests.factories import AreaFactory

HSDS = Path(__file__).resolve().parents[2].parent / "shared" / "hsds" / "v3.0"


@dataclass
class Directory:
    """What :func:`build_directory` made, for the assertions."""

    tenant: LocalAuthority
    org: Organisation
    service: Service
    hidden_service: Service
    location: Location
    shelter: Location
    topic: TaxonomyTerm
    sal: ServiceAtLocation


def build_directory(tenant: LocalAuthority, *, prefix: str = "") -> Directory:
    """A small directory in ``tenant`` that uses every HSDS object and DE profile field."""
    county = AreaFactory(local_authority=tenant, name=f"{prefix}Altmarkkreis", kind="county")
    town = AreaFactory(
        local_authority=tenant,
        name=f"{prefix}Salzwedel",
        parent=county,
        official_key="15081455",
        kind="town",
    )
    with scope(local_authority=tenant):
        topics, _created = Taxonomy.objects.get_or_create(
            local_authority=tenant,
            is_topics=True,
            defaults={
                "name": "Themen",
                "description": "Themen der Frühen Hilfen",
                "uri": "https://example.org/themen",
                "version": "1",
            },
        )
        parent_topic = TaxonomyTerm.objects.create(
            local_authority=tenant, taxonomy=topics, code=f"{prefix}gesundheit", name="Gesundheit"
        )
        topic = TaxonomyTerm.objects.create(
            local_authority=tenant,
            taxonomy=topics,
            code=f"{prefix}stillen",
            name="Stillförderung",
            description="Rund ums Stillen",
            parent=parent_topic,
            language="de",
            term_uri="https://example.org/themen#stillen",
        )
        TaxonomyTermTranslation.objects.create(
            local_authority=tenant, term=topic, language="en", name="Breastfeeding"
        )
        other_taxonomy = Taxonomy.objects.create(
            local_authority=tenant, name="Open Eligibility", description=""
        )
        other_term = TaxonomyTerm.objects.create(
            local_authority=tenant, taxonomy=other_taxonomy, code="101", name="Families"
        )
        parent_org = Organisation.objects.create(
            local_authority=tenant, name=f"{prefix}Diakonie Altmark", description="Träger"
        )
        org = Organisation.objects.create(
            local_authority=tenant,
            name=f"{prefix}Familienzentrum Salzwedel",
            alternate_name="FZ",
            description="Familienzentrum mitten in der Stadt",
            email="fz@example.org",
            website="https://fz.example.org",
            year_incorporated=1998,
            legal_status="e.V.",
            logo_url="https://fz.example.org/logo.png",
            uri="https://fz.example.org/",
            parent=parent_org,
        )
        OrganizationIdentifier.objects.create(
            local_authority=tenant,
            organisation=org,
            identifier_scheme="DE-VR",
            identifier_type="Vereinsregister",
            identifier="VR 1234",
        )
        Funding.objects.create(local_authority=tenant, organisation=org, source="Landkreis")
        program = Program.objects.create(
            local_authority=tenant, organisation=org, name="Frühe Hilfen", description="Programm"
        )
        org_contact = DirectoryContact.objects.create(
            local_authority=tenant, organisation=org, name="Büro", email="buero@example.org"
        )
        Phone.objects.create(local_authority=tenant, contact=org_contact, number="03901 1")
        Phone.objects.create(local_authority=tenant, organisation=org, number="03901 2")

        location = Location.objects.create(
            local_authority=tenant,
            organisation=org,
            name="Familienzentrum",
            description="Im Erdgeschoss",
            transportation="Bus 100",
            latitude=52.85,
            longitude=11.15,
            external_identifier="L-1",
            external_identifier_type="intern",
            area=town,
            barrier_free=True,
            url="https://fz.example.org/anfahrt",
        )
        Address.objects.create(
            local_authority=tenant,
            location=location,
            address_1="Burgstraße 1",
            city="Salzwedel",
            state_province="Sachsen-Anhalt",
            postal_code="29410",
        )
        Accessibility.objects.create(
            local_authority=tenant, location=location, description="Rampe", url=""
        )
        Language.objects.create(
            local_authority=tenant, location=location, name="Türkisch", code="tr"
        )
        Schedule.objects.create(
            local_authority=tenant,
            location=location,
            freq="WEEKLY",
            byday="MO,TU",
            opens_at=dt.time(9),
            closes_at=dt.time(16, 30),
        )
        location_phone = Phone.objects.create(
            local_authority=tenant, location=location, number="03901 3", type="voice"
        )
        Language.objects.create(local_authority=tenant, phone=location_phone, code="ar")
        DirectoryContact.objects.create(local_authority=tenant, location=location, name="Empfang")

        shelter = Location.objects.create(
            local_authority=tenant,
            organisation=org,
            name="Frauenschutzhaus",
            description="Geheime Adresse in der Altstadt",
            transportation="Bus 3 bis Markt",
            latitude=52.84,
            longitude=11.16,
            confidential=True,
            area=town,
        )
        Address.objects.create(
            local_authority=tenant,
            location=shelter,
            address_1="Geheimweg 7",
            city="Salzwedel",
            state_province="Sachsen-Anhalt",
            postal_code="29410",
        )
        Phone.objects.create(
            local_authority=tenant, location=shelter, number="0800 116016", type="hotline"
        )

        service = Service.objects.create(
            local_authority=tenant,
            organisation=org,
            program=program,
            name=f"{prefix}Stillberatung",
            alternate_name="Stillcafé",
            description="Beratung rund ums Stillen",
            url="https://fz.example.org/stillen",
            email="stillen@example.org",
            interpretation_services="Arabisch auf Anfrage",
            application_process="Einfach vorbeikommen",
            fees_description="kostenlos",
            accreditations="IBCLC",
            eligibility_description="Schwangere und Eltern",
            minimum_age=decimal.Decimal("0"),
            maximum_age=decimal.Decimal("1.5"),
            alert="In den Ferien geschlossen",
            min_age_months=-3,
            max_age_months=17,
            cost_type=Service.CostType.FREE,
            last_verified_at=dt.datetime(2026, 10, 1, 9, 30, tzinfo=dt.UTC),
            assurer_email="verifier@example.org",
            updated_at=dt.datetime(2026, 10, 2, 8, 0, 0, 123000, tzinfo=dt.UTC),
        )
        service.life_phases.set(LifePhase.objects.filter(code__in=["pregnancy", "age_0_1"]))
        service.topics.set([topic])
        ServiceTranslation.objects.create(
            local_authority=tenant,
            service=service,
            language="en",
            name="Breastfeeding advice",
            description="Advice on breastfeeding",
        )
        Phone.objects.create(
            local_authority=tenant,
            service=service,
            number="03901 4",
            extension=decimal.Decimal("12"),
            description="Mo–Fr",
        )
        Schedule.objects.create(
            local_authority=tenant,
            service=service,
            freq="MONTHLY",
            byday="1WE",
            opens_at=dt.time(10),
            closes_at=dt.time(12),
            valid_from=dt.date(2026, 1, 1),
            timezone=decimal.Decimal("1"),
            count=10,
            interval=1,
            schedule_link="https://fz.example.org/termine",
        )
        ServiceArea.objects.create(
            local_authority=tenant, service=service, name="Salzwedel", area=town
        )
        Language.objects.create(local_authority=tenant, service=service, name="Deutsch", code="de")
        Funding.objects.create(local_authority=tenant, service=service, source="Bundesstiftung")
        CostOption.objects.create(
            local_authority=tenant,
            service=service,
            option="Kurs",
            currency="EUR",
            amount=decimal.Decimal("12.50"),
            valid_to=dt.date(2026, 12, 31),
        )
        RequiredDocument.objects.create(
            local_authority=tenant, service=service, document="Mutterpass", uri=""
        )
        service_contact = DirectoryContact.objects.create(
            local_authority=tenant, service=service, name="Anna Hebamme", title="Hebamme"
        )
        Phone.objects.create(local_authority=tenant, contact=service_contact, number="0170 5")
        sal = ServiceAtLocation.objects.create(
            local_authority=tenant, service=service, location=location, description="Dienstags"
        )
        Schedule.objects.create(
            local_authority=tenant, service_at_location=sal, byday="TU", freq="WEEKLY"
        )
        Phone.objects.create(local_authority=tenant, service_at_location=sal, number="03901 6")
        DirectoryContact.objects.create(
            local_authority=tenant, service_at_location=sal, name="Kursleitung"
        )
        ServiceAtLocation.objects.create(local_authority=tenant, service=service, location=shelter)
        Attribute.objects.create(
            local_authority=tenant,
            link_id=service.uuid,
            link_entity="service",
            link_type="eligibility",
            taxonomy_term=other_term,
            value="families",
        )
        Attribute.objects.create(
            local_authority=tenant,
            link_id=location_phone.uuid,
            link_entity="phone",
            taxonomy_term=other_term,
        )
        Metadata.objects.create(
            local_authority=tenant,
            resource_id=service.uuid,
            resource_type="service",
            last_action_date=dt.date(2026, 10, 2),
            last_action_type="update",
            field_name="name",
            previous_value="Stillcafe",
            replacement_value="Stillberatung",
            updated_by="Koordination",
        )
        hidden_service = Service.objects.create(
            local_authority=tenant,
            organisation=org,
            name=f"{prefix}Fallberatung",
            visibility=Service.Visibility.PROFESSIONALS,
            last_verified_at=dt.datetime(2026, 10, 1, tzinfo=dt.UTC),
        )
    return Directory(
        tenant=tenant,
        org=org,
        service=service,
        hidden_service=hidden_service,
        location=location,
        shelter=shelter,
        topic=topic,
        sal=sal,
    )


@pytest.fixture
def directory(tenant: LocalAuthority) -> Directory:
    return build_directory(tenant)


def _full_service(directory: Directory, *, public: bool) -> dict[str, Any]:
    with scope(local_authority=directory.tenant):
        service = serialize.prefetch_services(Service.objects.all()).get(pk=directory.service.pk)
        return serialize.service_full(service, public=public)


@pytest.mark.django_db
@pytest.mark.parametrize("public", [False, True])
def test_it_writes_a_full_service_that_is_valid_hsds(directory: Directory, public: bool) -> None:
    data = _full_service(directory, public=public)
    assert validate(data, "service") == []
    assert validate(data, "service", profile=False) == []
    example = json.loads((HSDS / "examples" / "service_full.json").read_text())
    # The same arrays and objects as the official example (ours has none of its 3.0 extras).
    missing = {key for key, value in example.items() if isinstance(value, list | dict)} - set(data)
    # Public outputs leave the change metadata out (it may hold earlier values).
    assert missing == ({"metadata"} if public else set())


@pytest.mark.django_db
def test_it_writes_values_in_hsds_form(directory: Directory) -> None:
    data = _full_service(directory, public=False)
    assert data["id"] == str(directory.service.uuid)
    assert data["assured_date"] == "2026-10-01"
    assert data["last_modified"] == "2026-10-02T08:00:00.123Z"
    assert data["maximum_age"] == 1.5
    assert data["minimum_age"] == 0
    assert data["phones"][0]["extension"] == 12
    schedule = data["schedules"][0]
    assert (schedule["opens_at"], schedule["closes_at"]) == ("10:00", "12:00")
    assert schedule["valid_from"] == "2026-01-01"
    assert schedule["timezone"] == 1
    assert data["cost_options"][0]["amount"] == 12.5
    assert "uri" not in data["required_documents"][0]  # empty optional strings are left out
    assert data["organization"]["parent_organization_id"] == str(directory.org.parent.uuid)
    assert data["program"]["name"] == "Frühe Hilfen"


@pytest.mark.django_db
def test_it_adds_the_de_profile_fields(directory: Directory) -> None:
    data = _full_service(directory, public=False)
    assert data["minimum_age_months"] == -3
    assert data["maximum_age_months"] == 17
    assert data["life_phases"] == ["pregnancy", "age_0_1"]
    assert data["cost_type"] == "free"
    assert data["visibility"] == "public"
    assert data["translations"] == [
        {"language": "en", "name": "Breastfeeding advice", "description": "Advice on breastfeeding"}
    ]
    assert data["topics"] == [str(directory.topic.uuid)]
    assert data["service_areas"][0]["area_official_key"] == "15081455"
    location = data["service_at_locations"][0]["location"]
    assert location["area_official_key"] == "15081455"
    assert location["barrier_free"] is True
    assert location["confidential"] is False


@pytest.mark.django_db
def test_it_publishes_each_topic_as_an_attribute(directory: Directory) -> None:
    data = _full_service(directory, public=False)
    topic_attributes = [a for a in data["attributes"] if a["link_type"] == "topic"]
    assert topic_attributes == [
        {
            "id": str(serialize.topic_attribute_id(directory.service.uuid, directory.topic.uuid)),
            "link_type": "topic",
            "link_entity": "service",
            "taxonomy_term": topic_attributes[0]["taxonomy_term"],
        }
    ]
    term = topic_attributes[0]["taxonomy_term"]
    assert term["name"] == "Stillförderung"
    assert term["taxonomy_detail"]["name"] == "Themen"
    assert term["parent_id"]
    assert term["translations"] == [{"language": "en", "name": "Breastfeeding"}]
    # The other attributes and the metadata come from the generic tables.
    assert [a["link_type"] for a in data["attributes"]] == ["topic", "eligibility"]
    assert data["metadata"][0]["replacement_value"] == "Stillberatung"
    # An attribute of a nested object sits on that object.
    location = data["service_at_locations"][0]["location"]
    assert [a["link_entity"] for a in location["phones"][0]["attributes"]] == ["phone"]


@pytest.mark.django_db
def test_it_never_publishes_where_a_confidential_location_is(directory: Directory) -> None:
    public = _full_service(directory, public=True)
    text = json.dumps(public, ensure_ascii=False)
    assert "Geheimweg" not in text
    assert "Geheime Adresse" not in text
    assert "Bus 3" not in text
    assert "52.84" not in text
    shelters = [
        sal["location"]
        for sal in public["service_at_locations"]
        if sal["location"]["id"] == str(directory.shelter.uuid)
    ]
    assert shelters == [
        {
            "id": str(directory.shelter.uuid),
            "location_type": "physical",
            "name": "Frauenschutzhaus",
            "confidential": True,
            "languages": [],
            "contacts": [],
            "phones": shelters[0]["phones"],
        }
    ]
    assert shelters[0]["phones"][0]["number"] == "0800 116016"
    assert "assurer_email" not in public
    assert "metadata" not in public
    # The coordinators' own export keeps everything.
    assert "Geheimweg" in json.dumps(_full_service(directory, public=False), ensure_ascii=False)


@pytest.mark.django_db
def test_it_refuses_to_publish_a_professional_only_offer(directory: Directory) -> None:
    with scope(local_authority=directory.tenant):
        hidden = Service.objects.get(pk=directory.hidden_service.pk)
        with pytest.raises(serialize.NotPublicError):
            serialize.service_full(hidden, public=True)
        with pytest.raises(serialize.NotPublicError):
            serialize.service_list_item(hidden, public=True)
        assert serialize.service_full(hidden, public=False)["visibility"] == "professionals"


@pytest.mark.django_db
def test_it_leaves_professional_only_offers_out_of_a_public_organisation(
    directory: Directory,
) -> None:
    with scope(local_authority=directory.tenant):
        org = serialize.prefetch_organizations(Organisation.objects.all()).get(pk=directory.org.pk)
        public = serialize.organization_full(org, public=True)
        internal = serialize.organization_full(org, public=False)
    assert [s["name"] for s in public["services"]] == ["Stillberatung"]
    assert {s["name"] for s in internal["services"]} == {"Stillberatung", "Fallberatung"}
    for data in (public, internal):
        assert validate(data, "organization") == []
    assert "Geheimweg" not in json.dumps(public, ensure_ascii=False)


@pytest.mark.django_db
def test_it_writes_list_items_that_are_valid(directory: Directory) -> None:
    with scope(local_authority=directory.tenant):
        service = serialize.prefetch_services(Service.objects.all(), full=False).get(
            pk=directory.service.pk
        )
        item = serialize.service_list_item(service, public=True)
        org_item = serialize.organization_list_item(directory.org, public=True)
        sal = serialize.prefetch_service_at_locations(
            ServiceAtLocation.objects.all(), full=False
        ).get(pk=directory.sal.pk)
        sal_item = serialize.service_at_location_list_item(sal, public=True)
    assert validate_list_item(item, "service_list") == []
    assert item["organization"]["name"] == "Familienzentrum Salzwedel"
    assert item["program"]["organization_id"] == str(directory.org.uuid)
    assert "phones" not in item
    assert validate_list_item(org_item, "organization_list") == []
    assert "locations" not in org_item
    assert validate_list_item(sal_item, "service_at_location_list") == []
    assert sal_item["location"]["name"] == "Familienzentrum"
    assert sal_item["service"]["id"] == str(directory.service.uuid)


@pytest.mark.django_db
def test_it_writes_a_full_service_at_location(directory: Directory) -> None:
    with scope(local_authority=directory.tenant):
        sal = serialize.prefetch_service_at_locations(ServiceAtLocation.objects.all()).get(
            pk=directory.sal.pk
        )
        data = serialize.service_at_location_full(sal, public=True)
    assert validate(data, "service_at_location") == []
    assert data["location"]["addresses"][0]["address_1"] == "Burgstraße 1"
    assert data["service"]["organization"]["name"] == "Familienzentrum Salzwedel"
    assert "service_at_locations" not in data["service"]
    assert data["schedules"][0]["byday"] == "TU"


@pytest.mark.django_db
def test_it_writes_taxonomies_and_terms(directory: Directory) -> None:
    with scope(local_authority=directory.tenant):
        term = TaxonomyTerm.objects.select_related("taxonomy", "parent").get(pk=directory.topic.pk)
        term_data = serialize.taxonomy_term(term)
        taxonomy_data = serialize.taxonomy(term.taxonomy)  # type: ignore[arg-type]
    assert validate(term_data, "taxonomy_term") == []
    assert validate(taxonomy_data, "taxonomy") == []
    assert term_data["taxonomy_id"] == taxonomy_data["id"]
    assert term_data["code"] == "stillen"


@pytest.mark.django_db
def test_it_serialises_a_page_in_a_fixed_number_of_queries(
    tenant: LocalAuthority, django_assert_max_num_queries: Any
) -> None:
    for index in range(3):
        build_directory(tenant, prefix=f"{index}-")

    def page(full: bool) -> int:
        with scope(local_authority=tenant):
            if full:
                services = serialize.prefetch_services(Service.objects.all())[:50]
                items = [serialize.service_full(s, public=False) for s in services]
            else:
                public = Service.objects.filter(visibility=Service.Visibility.PUBLIC)
                services = serialize.prefetch_services(public, full=False)[:50]
                items = [serialize.service_list_item(s, public=True) for s in services]
        return len(items)

    with django_assert_max_num_queries(55) as full_queries:
        assert page(full=True) == 6
    with django_assert_max_num_queries(6):
        page_items = page(full=False)
    assert page_items == 3
    # Three more directories do not add a single query.
    for index in range(3, 6):
        build_directory(tenant, prefix=f"{index}-")
    with django_assert_max_num_queries(len(full_queries.captured_queries)):
        assert page(full=True) == 12
