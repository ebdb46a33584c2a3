"""Parsing the public API's query parameters, and the distances behind ``proximity``."""

from __future__ import annotations

import datetime as dt
import math
import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from knotenpunkt.analysis.tours import Place
from knotenpunkt.directory.api import geo, params
from knotenpunkt.directory.api.params import ParameterError

TEXT = st.text(max_size=60)


@given(page=TEXT, per_page=TEXT)
def test_paging_gives_bounds_or_refuses(page: str, per_page: str) -> None:
    try:
        paging = params.paging({"page": page, "per_page": per_page})
    except ParameterError as refused:
        assert refused.parameter in {"page", "per_page"}
    else:
        assert 1 <= paging.page <= params.MAX_PAGE
        assert 1 <= paging.per_page <= params.MAX_PER_PAGE
        assert paging.offset >= 0


def test_paging_defaults_and_limits() -> None:
    assert params.paging({}) == params.Paging(page=1, per_page=params.DEFAULT_PER_PAGE)
    assert params.paging({"page": " 3 ", "per_page": "7"}) == params.Paging(3, 7)
    for bad in ("0", "-1", "1e3", "１", "1_000", "2.0", str(params.MAX_PAGE + 1)):
        with pytest.raises(ParameterError):
            params.paging({"page": bad})
    with pytest.raises(ParameterError):
        params.paging({"per_page": str(params.MAX_PER_PAGE + 1)})


@given(TEXT)
def test_booleans_are_true_false_or_refused(value: str) -> None:
    try:
        result = params.boolean({"full": value}, "full")
    except ParameterError:
        assert value.strip().lower() not in {"", "true", "false", "1", "0"}
    else:
        assert result is (value.strip().lower() in {"true", "1"})


@given(TEXT)
def test_identifiers_are_uuids_or_refused(value: str) -> None:
    try:
        result = params.identifier({"organization_id": value}, "organization_id")
    except ParameterError as refused:
        assert refused.parameter == "organization_id"
    else:
        assert result is None or isinstance(result, uuid.UUID)


@given(TEXT)
def test_moments_are_aware_utc_or_refused(value: str) -> None:
    try:
        result = params.moment({"modified_after": value}, "modified_after")
    except ParameterError as refused:
        assert refused.parameter == "modified_after"
    else:
        assert result is None or result.utcoffset() == dt.timedelta(0)


OFFSETS = st.integers(-(23 * 60 + 59), 23 * 60 + 59).map(
    lambda minutes: dt.timezone(dt.timedelta(minutes=minutes))
)


@given(st.datetimes(timezones=OFFSETS))
def test_any_iso_moment_is_read(moment: dt.datetime) -> None:
    try:
        result = params.moment({"modified_after": moment.isoformat()}, "modified_after")
    except ParameterError as refused:
        # Only at the very ends of the calendar, where UTC cannot hold it.
        assert moment.year in (1, 2, 9998, 9999), refused
    else:
        assert result == moment


def test_moments_in_the_forms_clients_send() -> None:
    berlin_midnight = dt.datetime(2024, 1, 31, 23, 0, tzinfo=dt.UTC)
    assert params.moment({"m": "2024-02-01"}, "m") == berlin_midnight
    assert params.moment({"m": "2024-02-01T00:00:00"}, "m") == berlin_midnight
    assert params.moment({"m": "2024-02-01T00:00:00+01:00"}, "m") == berlin_midnight
    # A "+" that reached us unencoded, as a space.
    assert params.moment({"m": "2024-02-01T00:00:00 01:00"}, "m") == berlin_midnight
    assert params.moment({"m": "2024-01-31T23:00:00Z"}, "m") == berlin_midnight
    for bad in ("2024-02-30", "today", "0001-01-01T00:00:00+05:00"):
        with pytest.raises(ParameterError):
            params.moment({"m": bad}, "m")


@given(TEXT)
def test_search_text_is_clean(value: str) -> None:
    try:
        text = params.search_text({"search": value})
    except ParameterError:
        assert len(value.strip()) > params.MAX_SEARCH_LENGTH
    else:
        assert "\x00" not in text and text == text.strip()


@given(proximity=TEXT, has_postcode=st.booleans())
def test_proximity_is_a_sane_circle_or_refused(proximity: str, has_postcode: bool) -> None:
    try:
        result = params.proximity({"proximity": proximity}, has_postcode=has_postcode)
    except ParameterError as refused:
        assert refused.parameter == "proximity"
    else:
        if result is not None:
            assert 0 <= result.metres <= params.MAX_PROXIMITY_METRES
            assert result.has_point or has_postcode
            if result.latitude is not None and result.longitude is not None:
                assert -90 <= result.latitude <= 90 and -180 <= result.longitude <= 180


def test_proximity_forms() -> None:
    assert params.proximity({"proximity": "5000"}, has_postcode=True) == params.Proximity(5000)
    assert params.proximity({"proximity": "52.1, 11.6"}, has_postcode=False) == params.Proximity(
        params.DEFAULT_PROXIMITY_METRES, 52.1, 11.6
    )
    assert params.proximity({"proximity": "-33.9,151.2,250.5"}, has_postcode=False) == (
        params.Proximity(250.5, -33.9, 151.2)
    )
    with pytest.raises(ParameterError):
        params.proximity({"proximity": "5000"}, has_postcode=False)
    with pytest.raises(ParameterError):
        params.proximity({"proximity": "nan,1"}, has_postcode=False)


@given(
    latitude=st.floats(-89.9, 89.9),
    longitude=st.floats(-180, 180),
    metres=st.floats(1, params.MAX_PROXIMITY_METRES),
    bearing=st.floats(0, 2 * math.pi),
    share=st.floats(0, 0.999),
)
def test_the_box_holds_every_point_of_the_circle(
    latitude: float, longitude: float, metres: float, bearing: float, share: float
) -> None:
    # A point at ``share`` of the radius in direction ``bearing`` (great-circle destination).
    angular = metres * share / (geo.EARTH_RADIUS_KM * 1000)
    lat1, lon1 = math.radians(latitude), math.radians(longitude)
    lat2 = math.asin(
        math.sin(lat1) * math.cos(angular) + math.cos(lat1) * math.sin(angular) * math.cos(bearing)
    )
    lon2 = lon1 + math.atan2(
        math.sin(bearing) * math.sin(angular) * math.cos(lat1),
        math.cos(angular) - math.sin(lat1) * math.sin(lat2),
    )
    point = (math.degrees(lat2), (math.degrees(lon2) + 540) % 360 - 180)
    assert geo.distance_metres(latitude, longitude, Place(*point)) <= metres * (1 + 1e-9)
    box = geo.bounding_box(latitude, longitude, metres)
    assert box.min_latitude <= point[0] <= box.max_latitude
    assert box.min_longitude <= point[1] <= box.max_longitude


def test_within_keeps_the_circle_nearest_first() -> None:
    centre = (52.85, 11.15)
    candidates = [(1, 52.86, 11.15), (2, 52.85, 11.15), (3, 53.85, 11.15)]
    found = geo.within(*centre, 5000, candidates)
    assert [key for key, _ in found] == [2, 1]
    assert found[0][1] == 0 and 1000 < found[1][1] < 1200
