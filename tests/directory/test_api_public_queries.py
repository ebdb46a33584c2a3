"""The public API answers a page with a fixed number of queries, however long the page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from knotenpunkt.core.models import LocalAuthority
from tests.directory.factories import LanguageFactory, ScheduleFactory
from tests.directory.test_api_support import URLCONF, api_url, directory, located, public_service

pytestmark = [pytest.mark.django_db, pytest.mark.urls(URLCONF)]

#: Endpoint → the most queries a page may take (the count must also stay put as data grows).
ENDPOINTS = {
    "services": 10,
    "services?full=true": 45,
    "services?minimal=true": 6,
    "services?taxonomy_id={taxonomy}&search=a": 12,
    "services?format=ndjson": 10,
    "organizations": 5,
    "organizations?full=true": 50,
    "service_at_locations": 10,
    "service_at_locations?full=true": 50,
    "service_at_locations?proximity=52.8,11.2,100000": 10,
    "taxonomies": 4,
    "taxonomy_terms": 5,
}


def _more(tenant: LocalAuthority, count: int) -> None:
    for index in range(count):
        service = public_service(tenant, name=f"Zusatzangebot {index}")
        located(service)
        LanguageFactory(service=service)
        ScheduleFactory(service=service)


def _fetch(client: Client, url: str) -> None:
    response = client.get(url)
    if response.streaming:
        b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert response.status_code == 200, url


@pytest.mark.parametrize("path", list(ENDPOINTS))
def test_list_pages_use_a_fixed_number_of_queries(
    tenant: LocalAuthority,
    anonymous_client: Client,
    django_assert_max_num_queries: Callable[..., Any],
    path: str,
) -> None:
    data = directory(tenant)
    _more(tenant, 2)
    url = api_url(tenant, path.format(taxonomy=data.taxonomy.uuid))
    _fetch(anonymous_client, url)  # the first call creates the tenant's directory settings
    with CaptureQueriesContext(connection) as few:
        _fetch(anonymous_client, url)
    allowed = len(few)  # read now: the next request resets the connection's query log
    assert allowed <= ENDPOINTS[path]
    _more(tenant, 12)
    with django_assert_max_num_queries(allowed):
        _fetch(anonymous_client, url)


@pytest.mark.parametrize(
    "path",
    [
        "services/{service}",
        "organizations/{organization}",
        "service_at_locations/{site}",
        "taxonomy_terms/{term}",
    ],
)
def test_detail_pages_use_a_fixed_number_of_queries(
    tenant: LocalAuthority,
    anonymous_client: Client,
    django_assert_max_num_queries: Callable[..., Any],
    path: str,
) -> None:
    data = directory(tenant)
    _more(tenant, 5)
    url = api_url(
        tenant,
        path.format(
            service=data.counselling.uuid,
            organization=data.provider.uuid,
            site=data.counselling_site.uuid,
            term=data.topic.uuid,
        ),
    )
    with django_assert_max_num_queries(50):
        assert anonymous_client.get(url).status_code == 200
