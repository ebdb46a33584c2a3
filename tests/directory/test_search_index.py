"""The search index follows the offers: refresh after a change, rebuild, per-tenant, few queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django_scopes import scopes_disabled
from pytest_django import DjangoAssertNumQueries

from knotenpunkt.core.models import LocalAuthority
from knotenpunkt.directory.models import Service
from knotenpunkt.directory.search import (
    search_index_rebuild,
    search_index_refresh,
    search_services,
    services_of_organisation,
    services_of_topic,
)
from knotenpunkt.directory.search.index import DOCUMENT_TABLE, uses_fts5
from tests.directory.test_search_set import build_offers

pytestmark = pytest.mark.django_db


def _documents() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {DOCUMENT_TABLE}")  # noqa: S608
        return int(cursor.fetchone()[0])


def test_it_uses_the_databases_own_engine() -> None:
    if connection.vendor == "sqlite":
        assert uses_fts5()
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = %s", [DOCUMENT_TABLE])
            definitions = " ".join(row[0] for row in cursor.fetchall())
        assert "gin_trgm_ops" in definitions


def test_a_refresh_follows_a_renamed_offer(
    tenant: LocalAuthority, other_tenant: LocalAuthority
) -> None:
    ids = build_offers(tenant, other_tenant)
    with scopes_disabled():
        Service.objects.filter(pk=ids["Stillcafé"]).update(name="Stilltreff am Markt")
    assert search_services(tenant, "Markt") == []  # not refreshed yet
    assert search_index_refresh([ids["Stillcafé"]]) == 1
    assert [hit.service_id for hit in search_services(tenant, "Markt")] == [ids["Stillcafé"]]


def test_a_refresh_drops_deleted_offers(
    tenant: LocalAuthority, other_tenant: LocalAuthority
) -> None:
    ids = build_offers(tenant, other_tenant)
    before = _documents()
    with scopes_disabled():
        Service.objects.filter(pk=ids["Babymassage"]).delete()
    assert search_index_refresh([ids["Babymassage"]]) == 0
    assert _documents() == before - 1


def test_it_finds_the_offers_to_refresh_after_a_provider_or_topic_changes(
    tenant: LocalAuthority, other_tenant: LocalAuthority
) -> None:
    ids = build_offers(tenant, other_tenant)
    with scopes_disabled():
        stillcafe = Service.objects.get(pk=ids["Stillcafé"])
        topic = stillcafe.topics.get()
        by_provider = services_of_organisation(stillcafe.organisation_id)
        by_topic = services_of_topic(topic.pk)
        topic.name = "Stillen und Ernährung"
        topic.save()
    assert set(by_provider) == {ids["Stillcafé"], ids["Babymassage"]}
    assert by_topic == [ids["Stillcafé"]]
    search_index_refresh(by_topic)
    assert [hit.service_id for hit in search_services(tenant, "Ernährung")] == [ids["Stillcafé"]]


def test_a_search_takes_a_fixed_number_of_queries(
    tenant: LocalAuthority,
    other_tenant: LocalAuthority,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    build_offers(tenant, other_tenant)
    search_services(tenant, "")  # creates the tenant's directory settings
    with django_assert_max_num_queries(2):  # the settings, the search
        assert search_services(tenant, "Beratung Eltern")
    with django_assert_max_num_queries(2 + 2 + 1 + 1):  # a typo: per term, the words, again
        assert search_services(tenant, "Erziehungsberatnug Eltern")


def test_it_never_mixes_tenants(tenant: LocalAuthority, other_tenant: LocalAuthority) -> None:
    build_offers(tenant, other_tenant)
    assert search_services(other_tenant, "Stillcafé") == []
    assert len(search_services(other_tenant, "Hebammensprechstunde")) == 1


def test_a_tenants_rebuild_leaves_the_others_alone(
    tenant: LocalAuthority, other_tenant: LocalAuthority
) -> None:
    build_offers(tenant, other_tenant)
    before = _documents()
    assert search_index_rebuild(other_tenant) == 1
    assert _documents() == before
    assert len(search_services(other_tenant, "Hebamme")) == 1
    assert len(search_services(tenant, "Hebamme")) == 3


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "'; DROP TABLE x; --",
        "100%",
        "a_b",
        "NEAR(still cafe)",
        "Still OR Cafe",
        "stil*",
        "^hebamme",
        "-beratung",
        "ÄÖÜß",
        "👶 Baby",
        "((",
        "AND",
        "x" * 300,
        " ".join(["Beratung"] * 200),
        "Hebamme\x00",
    ],
)
def test_any_text_is_a_safe_query(tenant: LocalAuthority, query: str) -> None:
    search_services(tenant, query)  # no exception: the text reaches the database as data
