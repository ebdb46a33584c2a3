"""Importing HSDS JSON: the official examples, our own exports, idempotence, per-record rejection.

``normalised`` makes two exports comparable (order of lists, ``10:00:00`` vs ``10:00``, numbers)
and ``object_counts`` proves that a rejected record wrote nothing; the tabular tests use both.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django_scopes import scope, scopes_disabled

from knotenpunkt.core.models import LocalAuthority, User
from knotenpunkt.directory.hsds import serialize
from knotenpunkt.directory.hsds.importer import ImportReport, import_hsds
from knotenpunkt.directory.hsds.schemas import validate
from knotenpunkt.directory.models import (
    Attribute,
    Location,
    Phone,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
)
from knotenpunkt.partners.models import Organisation
from tests.directory.test_hsds_serialize import build_directory
from tests.factories import AreaFactory, LocalAuthorityFactory

EXAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "hsds" / "v3.0" / "examples"
_TIME = re.compile(r"^(\d{2}:\d{2}):00$")


def example(name: str) -> Any:
    return json.loads((EXAMPLES / name).read_text(encoding="utf-8"))


def normalised(value: Any) -> Any:
    """``value`` with lists of objects sorted by id, times as HH:MM and numbers as floats."""
    if isinstance(value, dict):
        result = {}
        for key, item in value.items():
            if key == "last_modified" and isinstance(item, str):
                item = dt.datetime.fromisoformat(item).isoformat()
            result[key] = normalised(item)
        return result
    if isinstance(value, list):
        items = [normalised(item) for item in value]
        if all(isinstance(item, dict) for item in items):
            return sorted(items, key=lambda item: json.dumps(item, sort_keys=True))
        return items
    if isinstance(value, str):
        match = _TIME.match(value)
        return match[1] if match else value
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return float(value)
    return value


def object_counts() -> dict[str, int]:
    """Rows per model of the directory and the partner register (all tenants)."""
    with scopes_disabled():
        models = [*apps.get_app_config("directory").get_models(), Organisation]
        return {model.__name__: model._default_manager.count() for model in models}


def export_services(tenant: LocalAuthority, *, public: bool = False) -> list[dict[str, Any]]:
    with scope(local_authority=tenant):
        services = serialize.prefetch_services(Service.objects.order_by("uuid"))
        return [serialize.service_full(service, public=public) for service in services]


def run_import(tenant: LocalAuthority, data: Any, actor: User | None = None) -> ImportReport:
    return import_hsds(actor=actor, local_authority=tenant, data=data)


#: What the official service example has that our models cannot keep, or that points nowhere.
def without_known_losses(data: dict[str, Any]) -> dict[str, Any]:
    data = copy.deepcopy(data)
    organization = data["organization"]
    organization.pop("parent_organization_id")  # cd09a387… is not in the example
    for location in organization["locations"] + [
        sal["location"] for sal in data["service_at_locations"]
    ]:
        # 100, 101 is not a position on earth.
        location.pop("latitude")
        location.pop("longitude")
    term = data["attributes"][0]["taxonomy_term"]
    term.pop("parent_id")  # 0bc248fa… is not in the example
    term["taxonomy"] = term["taxonomy_detail"]["name"]  # the name of the taxonomy it is in
    return data


def profile_free(data: Any) -> Any:
    """``data`` without the DE profile's fields and our always-present empty arrays."""
    extensions = {
        "minimum_age_months",
        "maximum_age_months",
        "life_phases",
        "cost_type",
        "visibility",
        "translations",
        "topics",
        "confidential",
        "barrier_free",
        "area_official_key",
        "area_id",
        "taxonomy_id",
    }
    if isinstance(data, dict):
        return {
            key: profile_free(value)
            for key, value in data.items()
            if key not in extensions and value != []
        }
    if isinstance(data, list):
        return [profile_free(item) for item in data]
    return data


@pytest.mark.django_db
def test_it_imports_the_official_service_example(tenant: LocalAuthority) -> None:
    original = example("service_full.json")
    report = run_import(tenant, original)
    assert [o.id for o in report.created] == [original["id"]]
    assert report.rejected == []
    notes = " ".join(report.created[0].notes)
    assert "not kept" not in notes  # every HSDS field of the example has its place
    assert "not on earth" in notes
    (exported,) = export_services(tenant)
    assert validate(exported, "service") == []
    assert normalised(profile_free(exported)) == normalised(without_known_losses(original))


@pytest.mark.django_db
def test_it_reimports_its_export_of_the_official_example_unchanged(
    tenant: LocalAuthority, other_tenant: LocalAuthority
) -> None:
    run_import(tenant, example("service_full.json"))
    first = export_services(tenant)
    report = run_import(tenant, first)
    assert [o.id for o in report.unchanged] == [first[0]["id"]]
    assert export_services(tenant) == first
    # And into another tenant: the same export (ids remapped only where another tenant has them).
    report = run_import(other_tenant, {"contents": first})
    assert report.rejected == []
    second = export_services(other_tenant)
    assert normalised(second) == normalised(remapped(first, report))


def remapped(data: Any, report: ImportReport) -> Any:
    """``data`` with the organisation ids the import had to change, changed."""
    text = json.dumps(data)
    for old, new in report.remapped.items():
        text = text.replace(old, new)
    return json.loads(text)


@pytest.mark.django_db
def test_it_imports_a_second_time_without_duplicating(tenant: LocalAuthority) -> None:
    run_import(tenant, example("service_full.json"))
    counts = object_counts()
    report = run_import(tenant, example("service_full.json"))
    assert len(report.unchanged) == 1
    assert object_counts() == counts


@pytest.mark.django_db
def test_it_imports_the_other_official_examples(tenant: LocalAuthority) -> None:
    report = run_import(tenant, example("taxonomy.json"))
    assert len(report.created) == 1
    report = run_import(tenant, example("taxonomy_term.json"))
    assert [o.kind for o in report.created] == ["taxonomy_term"]
    report = run_import(tenant, example("organization_full.json"))
    assert report.rejected == []
    assert [o.kind for o in report.created] == ["organization", "service"]
    for name in ("service_list.json", "organization_list.json"):
        report = run_import(tenant, example(name))
        assert report.rejected == [], name
        assert report.created == [], name
    with scope(local_authority=tenant):
        term = TaxonomyTerm.objects.get(code="code")
        assert term.taxonomy is not None and term.taxonomy.name == "name"
        org = Organisation.objects.get(uuid="d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610")
        assert org.legal_status == "Limited Company"
        assert org.hsds_locations.count() == 1


@pytest.mark.django_db
def test_our_own_directory_round_trips_into_another_tenant(
    tenant: LocalAuthority, other_tenant: LocalAuthority, coordinator: User
) -> None:
    build_directory(tenant)
    # The other tenant has the same town (by its official key), but under its own id.
    AreaFactory(local_authority=other_tenant, name="Salzwedel", official_key="15081455")
    first = export_services(tenant)
    counts_before = object_counts()
    report = run_import(other_tenant, {"contents": first}, actor=coordinator)
    assert report.rejected == []
    assert len(report.created) == 2
    assert object_counts() != counts_before
    second = export_services(other_tenant)
    for service in second:
        assert validate(service, "service") == []
    assert normalised(without_references(second)) == normalised(
        without_references(remapped(first, report))
    )
    with scope(local_authority=other_tenant):
        service = Service.objects.get(name="Stillberatung")
        assert [t.name for t in service.topics.all()] == ["Stillförderung"]
        assert service.translations.get().name == "Breastfeeding advice"
        assert Location.objects.get(name="Frauenschutzhaus").confidential


def without_references(data: Any) -> Any:
    """Without what JSON of services names by id only and cannot bring into another tenant.

    A term's parent term and an organisation's parent organisation are not part of the service;
    an area id is the id of a place in the exporting tenant (places match by official key).
    The tabular data package carries all of them.
    """
    if isinstance(data, dict):
        return {
            key: without_references(value)
            for key, value in data.items()
            if key not in {"parent_id", "parent_organization_id", "area_id"}
        }
    if isinstance(data, list):
        return [without_references(item) for item in data]
    return data


@pytest.mark.django_db
def test_it_rejects_a_record_with_its_reasons_and_writes_nothing(tenant: LocalAuthority) -> None:
    good = example("service_full.json")
    bad = copy.deepcopy(good)
    bad["id"] = "0b7e0b0e-0000-4000-8000-000000000001"
    bad["name"] = "x" * 300
    bad["organization"]["id"] = "0b7e0b0e-0000-4000-8000-000000000002"
    wrong_status = copy.deepcopy(bad)
    wrong_status["id"] = "0b7e0b0e-0000-4000-8000-000000000003"
    wrong_status["name"] = "Wrong"
    wrong_status["status"] = "open"
    counts = object_counts()
    report = run_import(tenant, [bad, wrong_status])
    assert report.created == []
    assert object_counts() == counts
    (too_long, invalid) = report.rejected
    assert too_long.id == bad["id"]
    assert too_long.reasons == ["name is too long (300 characters, at most 250)."]
    assert invalid.name == "Wrong"
    assert any("status" in reason and "open" in reason for reason in invalid.reasons)
    # The good record next to them is imported.
    report = run_import(tenant, {"contents": [bad, good]})
    assert [o.id for o in report.created] == [good["id"]]
    assert [o.id for o in report.rejected] == [bad["id"]]


@pytest.mark.django_db
def test_it_applies_our_own_rules(tenant: LocalAuthority) -> None:
    base = {"id": "5d1b1e1c-8f7e-4a5e-9a57-2f1b8f0e4c11", "name": "Kurs", "status": "active"}
    cases = {
        "no organisation": base,
        "unknown organisation": {
            **base,
            "organization_id": "5d1b1e1c-8f7e-4a5e-9a57-2f1b8f0e4c12",
        },
        "ages reversed": {
            **base,
            "organization": {"id": "5d1b1e1c-8f7e-4a5e-9a57-2f1b8f0e4c13", "name": "T"},
            "minimum_age_months": 12,
            "maximum_age_months": 6,
        },
        "not a date": {
            **base,
            "organization": {"id": "5d1b1e1c-8f7e-4a5e-9a57-2f1b8f0e4c13", "name": "T"},
            "assured_date": "01.02.2024",
        },
        "too precise": {
            **base,
            "organization": {"id": "5d1b1e1c-8f7e-4a5e-9a57-2f1b8f0e4c13", "name": "T"},
            "minimum_age": 1.125,
        },
    }
    counts = object_counts()
    for label, record in cases.items():
        report = run_import(tenant, record)
        assert len(report.rejected) == 1, label
        assert report.rejected[0].reasons, label
    assert object_counts() == counts
    report = run_import(tenant, cases["unknown organisation"])
    assert "which is not in this directory" in report.rejected[0].reasons[0]


@pytest.mark.django_db
def test_it_updates_a_changed_record_and_removes_left_out_children(tenant: LocalAuthority) -> None:
    directory = build_directory(tenant)
    (data,) = [s for s in export_services(tenant) if s["id"] == str(directory.service.uuid)]
    data["name"] = "Stillberatung und Stillcafé"
    removed_phone = data["phones"].pop()["id"]
    data["service_at_locations"] = data["service_at_locations"][:1]
    data["attributes"] = [a for a in data["attributes"] if a["link_type"] != "topic"]
    data["topics"] = []
    report = run_import(tenant, data)
    assert [o.id for o in report.updated] == [data["id"]]
    with scope(local_authority=tenant):
        service = Service.objects.get(pk=directory.service.pk)
        assert service.name == "Stillberatung und Stillcafé"
        assert service.version == 2
        assert not Phone.objects.filter(uuid=removed_phone).exists()
        assert ServiceAtLocation.objects.filter(service=service).count() == 1
        assert list(service.topics.all()) == []
        # The location itself stays: a record never deletes locations.
        assert Location.objects.filter(pk=directory.shelter.pk).exists()
        assert Attribute.objects.filter(link_id=service.uuid).count() == 1


@pytest.mark.django_db
def test_a_topic_attribute_becomes_a_topic(tenant: LocalAuthority) -> None:
    data = example("service_full.json")
    data["attributes"][0]["link_type"] = "topic"
    report = run_import(tenant, data)
    assert "became this directory's topics" in " ".join(report.created[0].notes)
    with scope(local_authority=tenant):
        service = Service.objects.get(uuid=data["id"])
        assert [t.code for t in service.topics.all()] == ["code"]
        assert not Attribute.objects.filter(link_id=service.uuid).exists()
    (exported,) = export_services(tenant)
    assert exported["topics"] == [data["attributes"][0]["taxonomy_term"]["id"]]


@pytest.mark.django_db
def test_it_stores_an_organisation_that_another_tenant_has_under_a_new_id(
    tenant: LocalAuthority,
) -> None:
    neighbour = LocalAuthorityFactory(slug="nachbar")
    run_import(neighbour, example("service_full.json"))
    report = run_import(tenant, example("service_full.json"))
    original_id = "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610"
    assert original_id in report.remapped
    again = run_import(tenant, example("service_full.json"))
    assert len(again.unchanged) == 1
    with scopes_disabled():
        assert Organisation.objects.filter(name="Example Organization Inc.").count() == 2


@pytest.mark.django_db
def test_it_rejects_what_is_not_hsds(tenant: LocalAuthority) -> None:
    report = run_import(tenant, [1, "text", {"id": "not-a-uuid", "name": "x", "status": "active"}])
    assert len(report.rejected) == 3
    assert report.rejected[0].reasons == ["This is not an HSDS object."]
    assert "uuid" in report.rejected[2].reasons[0]
