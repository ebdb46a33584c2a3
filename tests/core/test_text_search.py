"""Word search that ignores case for umlauts too, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import pytest
from django_scopes import scope
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knotenpunkt.core.models import Area, LocalAuthority
from knotenpunkt.core.text_search import words_match
from tests.factories import AreaFactory

pytestmark = pytest.mark.django_db


def found(tenant: LocalAuthority, query: str) -> set[str]:
    with scope(local_authority=tenant):
        return set(
            Area.objects.filter(words_match(query, ["name", "official_key"])).values_list(
                "name", flat=True
            )
        )


def test_it_ignores_the_case_of_umlauts(tenant: LocalAuthority) -> None:
    AreaFactory(local_authority=tenant, name="Ärztehaus Gardelegen")
    AreaFactory(local_authority=tenant, name="Übergangswohnheim Klötze")
    AreaFactory(local_authority=tenant, name="Kita Sonnenschein")
    assert found(tenant, "ärztehaus") == {"Ärztehaus Gardelegen"}
    assert found(tenant, "ÜBERGANG") == {"Übergangswohnheim Klötze"}
    assert found(tenant, "KLÖTZE") == {"Übergangswohnheim Klötze"}


def test_every_word_must_occur_in_some_field(tenant: LocalAuthority) -> None:
    AreaFactory(local_authority=tenant, name="Kita Gardelegen", official_key="15081135")
    AreaFactory(local_authority=tenant, name="Kita Salzwedel")
    assert found(tenant, "kita gardelegen") == {"Kita Gardelegen"}
    assert found(tenant, "kita 15081") == {"Kita Gardelegen"}
    assert found(tenant, "kita") == {"Kita Gardelegen", "Kita Salzwedel"}
    assert found(tenant, "kita berlin") == set()


def test_like_wildcards_are_taken_literally(tenant: LocalAuthority) -> None:
    AreaFactory(local_authority=tenant, name="100% Familie")
    AreaFactory(local_authority=tenant, name="Familie_Nord")
    assert found(tenant, "100%") == {"100% Familie"}
    assert found(tenant, "%") == {"100% Familie"}
    assert found(tenant, "_") == {"Familie_Nord"}


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    name=st.text(
        alphabet=st.sampled_from("abcxyzäöüßÄÖÜéABCXYZ -"), min_size=3, max_size=20
    ).filter(lambda text: text.strip() and " " not in text),
    start=st.integers(0, 10),
    length=st.integers(1, 5),
)
def test_any_part_of_a_name_finds_it_in_any_case(
    tenant: LocalAuthority, name: str, start: int, length: int
) -> None:
    with scope(local_authority=tenant):
        Area.objects.all().delete()
    AreaFactory(local_authority=tenant, name=name)
    part = name[start : start + length] or name
    assert found(tenant, part.upper() if part.upper().lower() == part.lower() else part) == {name}
