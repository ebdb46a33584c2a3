"""Fuzzing both APIs with schemathesis against their own OpenAPI documents.

Each operation gets valid requests (answers must be no server error and match the document:
status codes, media types, JSON schemas) and invalid ones (no server error). Real ids are mixed
into the path parameters, so that detail endpoints answer with data, not only with 404.
Bounded and derandomised: the run takes well under a minute and is the same every time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from knotenpunkt.core.models import LocalAuthority, User
from tests.directory.test_api_support import URLCONF, Directory, directory, token_for
from tests.partners.factories import AffiliationFactory, PersonFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls(URLCONF)]

POSITIVE_CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
NEGATIVE_CHECKS = [not_a_server_error]
EXAMPLES = {GenerationMode.POSITIVE: 20, GenerationMode.NEGATIVE: 10}


def _operations(schema: Any) -> Iterator[Any]:
    for result in schema.get_all_operations():
        yield result.ok()


def _fuzz(
    schema: Any,
    *,
    ids: dict[str, list[str]],
    headers: dict[str, str] | None = None,
) -> list[str]:
    """Runs every operation of ``schema``; returns what was exercised (method and path)."""
    exercised = []
    for operation in _operations(schema):
        path_names = [p.name for p in operation.path_parameters]
        for mode, examples in EXAMPLES.items():
            strategy = operation.as_strategy(generation_mode=mode, headers=headers)
            real = [ids[name] for name in path_names if name in ids]
            if mode is GenerationMode.POSITIVE and len(real) == 1 and real[0]:
                (name,) = path_names
                strategy = st.one_of(
                    strategy,
                    st.sampled_from(real[0]).flatmap(
                        lambda value, op=operation, name=name: op.as_strategy(
                            generation_mode=GenerationMode.POSITIVE,
                            headers=headers,
                            path_parameters={name: value},
                        )
                    ),
                )
            if mode is GenerationMode.POSITIVE:
                _run(strategy, POSITIVE_CHECKS, examples)
            else:
                try:
                    _run(strategy, NEGATIVE_CHECKS, examples)
                except Unsatisfiable:
                    # Nothing to get wrong: the operation takes no parameters (GET /).
                    assert not path_names and not operation.query

        exercised.append(f"{operation.method.upper()} {operation.path}")
    return exercised


def _run(strategy: Any, checks: list[Callable[..., Any]], examples: int) -> None:
    @given(case=strategy)
    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def exercise(case: Any) -> None:
        case.call_and_validate(checks=checks)

    exercise()


@pytest.fixture
def data(tenant: LocalAuthority) -> Directory:
    return directory(tenant)


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Iterator[None]:
    """The plain WSGI handler closes the database connection after each request (Django's test
    client switches that off); inside a test's transaction that would lose the test data."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_the_public_hsds_api_survives_fuzzing(data: Directory) -> None:
    schema = schemathesis.openapi.from_wsgi(
        f"/api/hsds/{data.tenant.slug}/openapi.json", WSGIHandler()
    )
    ids = {
        "id": [
            str(obj.uuid)
            for obj in (
                data.counselling,
                data.shelter,
                data.provider,
                data.shelter_site,
                data.taxonomy,
                data.topic,
            )
        ]
    }
    exercised = _fuzz(schema, ids=ids)
    assert len(exercised) == 11


def test_the_partner_api_survives_fuzzing(
    data: Directory, tenant: LocalAuthority, partner: User
) -> None:
    person = PersonFactory(local_authority=tenant, user=partner)
    AffiliationFactory(person=person, organisation=data.provider)
    secret = token_for(partner, tenant)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())
    ids = {
        "offer_id": [str(data.counselling.uuid), str(data.midwife.uuid), str(data.playgroup.uuid)],
        "revision_id": [],
    }
    exercised = _fuzz(schema, ids=ids, headers={"Authorization": f"Bearer {secret}"})
    assert "POST /api/v1/offers/{offer_id}/revisions" in exercised
