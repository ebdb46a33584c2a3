"""Which offers an area's booklet holds, read in a fixed number of queries."""

from __future__ import annotations

from typing import Any

import pytest
from django_scopes import scope

from knotenpunkt.core.models import LocalAuthority
from knotenpunkt.directory.booklet import selection
from tests.directory import test_booklet_support as support
from tests.directory.factories import (
    PhoneFactory,
    ScheduleFactory,
    ServiceAtLocationFactory,
    ServiceFactory,
    ServiceTranslationFactory,
)
from tests.directory.test_booklet_support import Directory

pytestmark = pytest.mark.django_db
# The shared fixtures, under their own names.
booklet_settings = support.booklet_settings
directory = support.directory


def _names(tenant: LocalAuthority, area: Any) -> set[str]:
    with scope(local_authority=tenant):
        return {service.name for service in selection.booklet_services(tenant, area=area)}


def test_it_holds_the_area_its_places_and_offers_whose_catchment_covers_it(
    tenant: LocalAuthority, directory: Directory
) -> None:
    names = _names(tenant, directory.town)
    assert directory.in_village.name in names  # in a place inside the town
    assert directory.county_wide.name in names  # catchment: the county around it
    assert directory.translated.name in names
    assert directory.shelter.name in names  # through its catchment, not its secret address
    assert directory.elsewhere_only.name not in names
    assert directory.hidden.name not in names  # professionals only


def test_a_confidential_location_does_not_bring_an_offer_into_its_village(
    tenant: LocalAuthority, directory: Directory
) -> None:
    with scope(local_authority=tenant):
        directory.shelter.service_areas.all().delete()
    assert directory.shelter.name not in _names(tenant, directory.town)


def test_a_village_gets_its_own_offers_and_the_county_wide_ones(
    tenant: LocalAuthority, directory: Directory
) -> None:
    assert _names(tenant, directory.village) == {
        directory.in_village.name,
        directory.county_wide.name,
        directory.shelter.name,  # its catchment is the whole town
    }


def test_reading_the_booklet_takes_a_fixed_number_of_queries(
    tenant: LocalAuthority,
    directory: Directory,
    booklet_settings: Any,
    django_assert_max_num_queries: Any,
) -> None:
    def read() -> int:
        with scope(local_authority=tenant):
            return selection.booklet_for(
                tenant, area=directory.county, life_phase=None, language="en", edition="1"
            ).offer_count

    with django_assert_max_num_queries(20) as captured:
        before = read()
    with scope(local_authority=tenant):
        for number in range(5):
            service = ServiceFactory(organisation__local_authority=tenant, name=f"Mehr {number}")
            ServiceAtLocationFactory(service=service, location__area=directory.village)
            ScheduleFactory(service=service, byday="MO,WE")
            PhoneFactory(service=service)
            ServiceTranslationFactory(service=service, language="en")
    with django_assert_max_num_queries(len(captured.captured_queries)):
        assert read() == before + 5


def test_opening_hours_share_a_line_when_the_hours_are_the_same() -> None:
    import datetime as dt

    from knotenpunkt.directory.models import Schedule

    rows = [
        Schedule(byday="TU", opens_at=dt.time(9), closes_at=dt.time(12)),
        Schedule(byday="MO", opens_at=dt.time(9), closes_at=dt.time(12)),
        Schedule(byday="TH", opens_at=dt.time(14), closes_at=dt.time(18)),
        Schedule(byday="MO,TU,WE,FR", opens_at=dt.time(8), closes_at=dt.time(10)),
    ]
    assert selection.opening_hours(rows) == [
        "Mon, Tue 09:00–12:00",
        "Thu 14:00–18:00",
        "Mon–Wed, Fri 08:00–10:00",
    ]
