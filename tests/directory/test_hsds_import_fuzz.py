"""Property: any mutation of the official examples is imported or rejected — never a crash.

A rejected record writes nothing; an imported one exports valid HSDS again.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from django_scopes import scope
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knotenpunkt.core.models import LocalAuthority
from knotenpunkt.directory.hsds import serialize
from knotenpunkt.directory.hsds.importer import import_hsds
from knotenpunkt.directory.hsds.schemas import validate
from knotenpunkt.directory.models import Service
from knotenpunkt.partners.models import Organisation
from tests.directory.test_hsds_import import example, object_counts

IDS = [
    "ac148810-d857-441c-9679-408f346de14b",
    "1554f2e2-a373-45db-a3fa-9fc48a61c15e",
    "3a19ff88-4620-4d17-9830-ac1d859eb5d5",
    "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610",
    "3f7b145d-84af-42d7-8fae-eaca714b02b2",
    "00000000-0000-4000-8000-000000000000",
]

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.text(max_size=30),
    st.text(min_size=251, max_size=400),
    st.sampled_from(
        [
            "",
            "2024-02-30",
            "2024-02-29",
            "10:00",
            "25:61",
            "active",
            "WEEKLY",
            "physical",
            "topic",
            "de",
            "en",
            "fr",
            "-9",
            "15081455",
            "x@y",
            "http://example.com",
            *IDS,
        ]
    ),
)
json_values = st.recursive(
    json_scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=3),
        st.dictionaries(st.sampled_from(["id", "name", "number", "code"]), children, max_size=3),
    ),
    max_leaves=6,
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    paths = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            paths += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            paths += _paths(item, (*prefix, index))
    return paths


def _parent(document: Any, path: tuple[Any, ...]) -> Any:
    for part in path[:-1]:
        document = document[part]
    return document


@st.composite
def mutated(draw: st.DrawFn, name: str) -> Any:
    document = copy.deepcopy(example(name))
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        paths = [path for path in _paths(document) if path]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = _parent(document, path)
        action = draw(st.sampled_from(["replace", "delete", "add"]))
        if action == "delete":
            del parent[path[-1]]
        elif action == "add" and isinstance(parent, dict):
            key = draw(
                st.sampled_from(
                    [
                        "minimum_age_months",
                        "maximum_age_months",
                        "life_phases",
                        "cost_type",
                        "visibility",
                        "translations",
                        "topics",
                        "confidential",
                        "area_official_key",
                        "organization_id",
                        "program_id",
                        "parent_id",
                        "link_type",
                        "location_id",
                        "taxonomy_term_id",
                    ]
                )
            )
            parent[key] = draw(json_values)
        else:
            parent[path[-1]] = draw(json_values)
    return document


def _check(tenant: LocalAuthority, document: Any) -> None:
    before = object_counts()
    report = import_hsds(actor=None, local_authority=tenant, data=document)
    for outcome in report.rejected:
        assert outcome.reasons
        assert not any("internal error" in reason for reason in outcome.reasons), outcome
    if not report.imported:
        assert object_counts() == before
    with scope(local_authority=tenant):
        for outcome in report.imported:
            if outcome.kind == "service":
                service = serialize.prefetch_services(Service.objects.all()).get(uuid=outcome.id)
                assert validate(serialize.service_full(service, public=False), "service") == []
            if outcome.kind == "organization":
                org = serialize.prefetch_organizations(Organisation.objects.all()).get(
                    uuid=outcome.id
                )
                exported = serialize.organization_full(org, public=False)
                assert validate(exported, "organization") == []


FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.mark.django_db
@FUZZ
@given(document=mutated("service_full.json"))
def test_a_mutated_service_is_imported_or_rejected(tenant: LocalAuthority, document: Any) -> None:
    _check(tenant, document)


@pytest.mark.django_db
@FUZZ
@given(document=mutated("organization_full.json"))
def test_a_mutated_organisation_is_imported_or_rejected(
    tenant: LocalAuthority, document: Any
) -> None:
    _check(tenant, document)
