"""List and detail pages run a bounded number of queries, however many offers there are."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django_scopes import scope

from knotenpunkt.core.models import LocalAuthority, User
from knotenpunkt.directory import services
from knotenpunkt.directory.models import ErrorReport, Taxonomy
from tests.directory.factories import (
    AddressFactory,
    LanguageFactory,
    PhoneFactory,
    ScheduleFactory,
    ServiceAtLocationFactory,
    ServiceTranslationFactory,
    TopicFactory,
)
from tests.directory.freshness_support import URLS, months_ago, offer, snapshot, works_at
from tests.factories import AreaFactory
from tests.partners.factories import OrganisationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls(URLS)]


def _rich_offer(tenant: LocalAuthority, org: Any, partner: User) -> Any:
    service = offer(tenant, organisation=org, last_verified_at=months_ago(7))
    link = ServiceAtLocationFactory(service=service)
    link.location.area = AreaFactory(local_authority=tenant)
    link.location.save()
    AddressFactory(location=link.location)
    PhoneFactory(service=service)
    ScheduleFactory(service=service)
    LanguageFactory(service=service)
    ServiceTranslationFactory(service=service)
    with scope(local_authority=tenant):
        taxonomy = Taxonomy.objects.filter(is_topics=True).first()
    topic = (
        TopicFactory(taxonomy=taxonomy)
        if taxonomy
        else TopicFactory(taxonomy__local_authority=tenant)
    )
    service.topics.add(topic)
    with scope(local_authority=tenant):
        ErrorReport.objects.create(
            local_authority=tenant, service=service, message="Die Nummer ist veraltet."
        )
        services.revision_propose(
            actor=partner, service=service, data=snapshot(service, description="Neu")
        )
    return service


def _grows(
    make: Callable[[], Any],
    fetch: Callable[[], Any],
    assert_max: Any,
    *,
    limit: int,
) -> None:
    """``fetch`` needs no more queries for five rows of ``make`` than for one."""
    make()
    fetch()
    with assert_max(limit) as first:
        assert fetch().status_code == 200
    for _ in range(4):
        make()
    with assert_max(len(first.captured_queries)):
        assert fetch().status_code == 200


@pytest.mark.parametrize(
    ("who", "path", "limit"),
    [
        ("coordinator", "", 16),
        ("coordinator", "?freshness=due&q=angebot", 16),
        ("coordinator", "review/", 12),
        ("coordinator", "reports/", 12),
        ("partner", "mine/", 14),
        ("partner", "mine/proposals/", 12),
    ],
)
def test_list_pages_have_a_bounded_query_count(
    tenant: LocalAuthority,
    partner: User,
    coordinator_client: Client,
    partner_client: Client,
    django_assert_max_num_queries: Any,
    who: str,
    path: str,
    limit: int,
) -> None:
    org = OrganisationFactory(local_authority=tenant)
    works_at(partner, org)
    client = coordinator_client if who == "coordinator" else partner_client
    _grows(
        lambda: _rich_offer(tenant, org, partner),
        lambda: client.get(f"/t/{tenant.slug}/offers/{path}"),
        django_assert_max_num_queries,
        limit=limit,
    )


def test_the_public_list_has_a_bounded_query_count(
    tenant: LocalAuthority,
    partner: User,
    anonymous_client: Client,
    django_assert_max_num_queries: Any,
) -> None:
    org = OrganisationFactory(local_authority=tenant)
    works_at(partner, org)

    def make() -> None:
        service = _rich_offer(tenant, org, partner)
        service.last_verified_at = months_ago(1)
        with scope(local_authority=tenant):
            service.save(update_fields=["last_verified_at"])

    _grows(
        make,
        lambda: anonymous_client.get(f"/g/{tenant.slug}/", {"q": "angebot"}),
        django_assert_max_num_queries,
        limit=8,
    )


def test_detail_pages_have_a_fixed_query_count(
    tenant: LocalAuthority,
    partner: User,
    coordinator_client: Client,
    anonymous_client: Client,
    django_assert_max_num_queries: Any,
) -> None:
    org = OrganisationFactory(local_authority=tenant)
    works_at(partner, org)
    service = _rich_offer(tenant, org, partner)
    with scope(local_authority=tenant):
        service.last_verified_at = months_ago(1)
        service.save(update_fields=["last_verified_at"])
        revision = service.revisions.get()
    with django_assert_max_num_queries(40):
        response = coordinator_client.get(f"/t/{tenant.slug}/offers/{service.uuid}/")
    assert response.status_code == 200
    with django_assert_max_num_queries(30):
        response = coordinator_client.get(f"/t/{tenant.slug}/offers/proposals/{revision.uuid}/")
    assert response.status_code == 200
    with django_assert_max_num_queries(20):
        response = anonymous_client.get(f"/g/{tenant.slug}/{service.uuid}/")
    assert response.status_code == 200
