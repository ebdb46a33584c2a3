"""Query parameters of the public HSDS API: parsed strictly, refused with a clear message.

Pure functions over a mapping of parameter names to strings (a ``QueryDict`` will do). Each
raises :class:`ParameterError` for a value it cannot use, naming the parameter, so that the API
answers 400 instead of guessing; parameters the API does not know are ignored, as HTTP APIs do.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from knotenpunkt.directory.hsds.openapi import FORMATS, PER_PAGE_DEFAULT, PER_PAGE_MAX

#: Page size when the client asks for none, and the largest it may ask for (as the OpenAPI
#: document says; ``format=ndjson`` fetches everything in one call).
DEFAULT_PER_PAGE = PER_PAGE_DEFAULT
MAX_PER_PAGE = PER_PAGE_MAX
#: Far beyond any real page number; keeps offsets well inside the databases' integers.
MAX_PAGE = 1_000_000

#: ``proximity`` with a point but no distance searches this far around it (metres).
DEFAULT_PROXIMITY_METRES = 10_000
MAX_PROXIMITY_METRES = 500_000
MAX_SEARCH_LENGTH = 200


_WHOLE_NUMBER = re.compile(r"[0-9]{1,12}", re.ASCII)
_DECIMAL = re.compile(r"[+-]?[0-9]{1,3}(?:\.[0-9]{1,12})?", re.ASCII)
_METRES = re.compile(r"[0-9]{1,9}(?:\.[0-9]{1,6})?", re.ASCII)
_POSTCODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9 -]{0,11}", re.ASCII)
_UNENCODED_OFFSET = re.compile(r"T.* ([0-9]{2}:?[0-9]{2})$")
_TRUE = frozenset({"true", "1"})
_FALSE = frozenset({"false", "0"})


class ParameterError(ValueError):
    """A query parameter the API cannot use; ``parameter`` names it."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(f"{parameter}: {message}")
        self.parameter = parameter
        self.message = message


@dataclass(frozen=True)
class Paging:
    """Page number (from 1) and page size of a list request."""

    page: int
    per_page: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


@dataclass(frozen=True)
class Proximity:
    """Within ``metres`` of a point, or of the postcode's centre when the point is None."""

    metres: float
    latitude: float | None = None
    longitude: float | None = None

    @property
    def has_point(self) -> bool:
        return self.latitude is not None and self.longitude is not None


def _value(params: Mapping[str, str], name: str) -> str | None:
    value = params.get(name)
    if value is None:
        return None
    return str(value).strip()


def whole_number(
    params: Mapping[str, str], name: str, *, default: int, minimum: int, maximum: int
) -> int:
    """A whole number between ``minimum`` and ``maximum``; ``default`` when absent or empty."""
    value = _value(params, name)
    if not value:
        return default
    if not _WHOLE_NUMBER.fullmatch(value):
        raise ParameterError(name, "must be a whole number")
    number = int(value)
    if not minimum <= number <= maximum:
        raise ParameterError(name, f"must be between {minimum} and {maximum}")
    return number


def paging(params: Mapping[str, str]) -> Paging:
    """``page`` (from 1) and ``per_page`` (from 1 up to :data:`MAX_PER_PAGE`)."""
    return Paging(
        page=whole_number(params, "page", default=1, minimum=1, maximum=MAX_PAGE),
        per_page=whole_number(
            params, "per_page", default=DEFAULT_PER_PAGE, minimum=1, maximum=MAX_PER_PAGE
        ),
    )


def boolean(params: Mapping[str, str], name: str) -> bool:
    """``true``/``false`` (or ``1``/``0``); absent or empty is false."""
    value = _value(params, name)
    if not value:
        return False
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ParameterError(name, "must be true or false")


def identifier(params: Mapping[str, str], name: str) -> uuid.UUID | None:
    """An HSDS id (a UUID) or None when absent or empty."""
    value = _value(params, name)
    if not value:
        return None
    return parse_identifier(value, name)


def parse_identifier(value: str, name: str = "id") -> uuid.UUID:
    """``value`` as a UUID; refused when it is not one."""
    if len(value) > 45:
        raise ParameterError(name, "must be a UUID")
    try:
        return uuid.UUID(value)
    except ValueError:
        raise ParameterError(name, "must be a UUID") from None


def search_text(params: Mapping[str, str], name: str = "search") -> str:
    """Free text, without control characters (PostgreSQL refuses NUL), at most 200 characters."""
    value = _value(params, name) or ""
    if len(value) > MAX_SEARCH_LENGTH:
        raise ParameterError(name, f"must be at most {MAX_SEARCH_LENGTH} characters long")
    cleaned = "".join(" " if ord(char) < 32 or ord(char) == 127 else char for char in value)
    return " ".join(cleaned.split())


def moment(params: Mapping[str, str], name: str) -> dt.datetime | None:
    """An ISO 8601 date or date and time; without an offset it is read in German time.

    A date alone means the start of that day. A ``+`` of an offset that reached us unencoded (as
    a space) is read as ``+``.
    """
    value = _value(params, name)
    if not value:
        return None
    if _UNENCODED_OFFSET.search(value):
        head, _, tail = value.rpartition(" ")
        value = f"{head}+{tail}"
    try:
        parsed = parse_datetime(value)
        if parsed is None:
            day = parse_date(value)
            if day is not None:
                parsed = dt.datetime.combine(day, dt.time.min)
    except ValueError:
        parsed = None
    if parsed is None:
        raise ParameterError(name, "must be an ISO 8601 date or date and time")
    if timezone.is_naive(parsed):
        parsed = parsed.replace(tzinfo=timezone.get_default_timezone())
    try:
        # Databases store UTC: a moment that cannot be written in UTC cannot be compared.
        in_utc = parsed.astimezone(dt.UTC)
    except (OverflowError, ValueError):
        raise ParameterError(name, "is out of range") from None
    if not 1 < in_utc.year < 9999:
        raise ParameterError(name, "is out of range")
    return in_utc


def response_format(params: Mapping[str, str]) -> str:
    """``json`` (paged, the default) or ``ndjson`` (every result, one per line, no paging)."""
    value = (_value(params, "format") or "json").lower()
    if value not in FORMATS:
        raise ParameterError("format", "must be json or ndjson")
    return value


def postcode(params: Mapping[str, str]) -> str:
    """A postcode (letters, digits, spaces, hyphens; German ones have five digits) or ""."""
    value = _value(params, "postcode") or ""
    if value and not _POSTCODE.fullmatch(value):
        raise ParameterError("postcode", "must be a postcode such as 29410")
    return value


def _coordinate(value: str, *, limit: int, name: str) -> float:
    if not _DECIMAL.fullmatch(value):
        raise ParameterError("proximity", f"{name} must be a decimal number")
    number = float(value)
    if not -limit <= number <= limit:
        raise ParameterError("proximity", f"{name} must be between -{limit} and {limit}")
    return number


def _metres(value: str) -> float:
    if not _METRES.fullmatch(value):
        raise ParameterError("proximity", "the distance must be a number of metres")
    metres = float(value)
    if not 0 <= metres <= MAX_PROXIMITY_METRES or not math.isfinite(metres):
        raise ParameterError(
            "proximity", f"the distance must be at most {MAX_PROXIMITY_METRES} metres"
        )
    return metres


def proximity(params: Mapping[str, str], *, has_postcode: bool) -> Proximity | None:
    """``proximity`` as the HSDS API describes it, plus a point of our own choosing.

    - ``<metres>`` with ``postcode``: within that distance of the postcode's centre (HSDS);
    - ``<latitude>,<longitude>``: within :data:`DEFAULT_PROXIMITY_METRES` of that point;
    - ``<latitude>,<longitude>,<metres>``: within that distance of that point.
    """
    value = _value(params, "proximity")
    if not value:
        return None
    parts = [part.strip() for part in value.split(",")]
    if len(parts) == 1:
        if not has_postcode:
            raise ParameterError(
                "proximity",
                "a distance alone needs a postcode; or give latitude,longitude[,metres]",
            )
        return Proximity(metres=_metres(parts[0]))
    if len(parts) not in (2, 3):
        raise ParameterError(
            "proximity", "must be metres (with a postcode) or latitude,longitude[,metres]"
        )
    latitude = _coordinate(parts[0], limit=90, name="latitude")
    longitude = _coordinate(parts[1], limit=180, name="longitude")
    metres = _metres(parts[2]) if len(parts) == 3 else float(DEFAULT_PROXIMITY_METRES)
    return Proximity(metres=metres, latitude=latitude, longitude=longitude)
