"""HSDS values as our fields' values, checked against our rules (lengths, dates, numbers)."""

from __future__ import annotations

import datetime
import decimal
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from knotenpunkt.directory.hsds.importer.report import _Rejected
from knotenpunkt.directory.models import (
    DirectoryContact,
    Funding,
    Language,
    Location,
    Phone,
    Schedule,
    ServiceArea,
)

JsonDict = dict[str, Any]

_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIME_RE = re.compile(
    r"(?P<h>\d{2}):(?P<m>\d{2})(?::(?P<s>\d{2})(?:\.\d+)?)?(?P<tz>[Zz]|[+-]\d{2}:?\d{2})?"
)


# --- Values ------------------------------------------------------------------------------------

Converter = Callable[[Any, models.Field[Any, Any], str], Any]


def _text(value: Any, model_field: models.Field[Any, Any], where: str) -> str:
    if value is None:
        return ""
    text = str(value)
    if "\x00" in text:
        raise _Rejected(_("%(field)s contains a NUL character.") % {"field": where})
    limit = model_field.max_length
    if limit is not None and len(text) > limit:
        raise _Rejected(
            _("%(field)s is too long (%(length)s characters, at most %(limit)s).")
            % {"field": where, "length": len(text), "limit": limit}
        )
    return text


def _decimal(value: Any, model_field: models.Field[Any, Any], where: str) -> decimal.Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise _Rejected(_("%(field)s is not a number.") % {"field": where})
    try:
        number = decimal.Decimal(str(value))
    except decimal.InvalidOperation as error:
        raise _Rejected(_("%(field)s is not a number.") % {"field": where}) from error
    places = model_field.decimal_places  # type: ignore[attr-defined]
    digits = model_field.max_digits  # type: ignore[attr-defined]
    if not number.is_finite() or number != number.quantize(decimal.Decimal(1).scaleb(-places)):
        raise _Rejected(
            _("%(field)s may have at most %(places)s decimal places.")
            % {"field": where, "places": places}
        )
    if abs(number) >= decimal.Decimal(10) ** (digits - places):
        raise _Rejected(_("%(field)s is too large.") % {"field": where})
    return number.quantize(decimal.Decimal(1).scaleb(-places))


def _integer(value: Any, model_field: models.Field[Any, Any], where: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _Rejected(_("%(field)s is not a whole number.") % {"field": where})
    if isinstance(value, float) and not value.is_integer():
        raise _Rejected(_("%(field)s is not a whole number.") % {"field": where})
    number = int(value)
    low, high = _integer_range(model_field)
    if not low <= number <= high:
        raise _Rejected(
            _("%(field)s must lie between %(low)s and %(high)s.")
            % {"field": where, "low": low, "high": high}
        )
    return number


def _integer_range(model_field: models.Field[Any, Any]) -> tuple[int, int]:
    low, high = -32768, 32767
    if isinstance(model_field, models.PositiveIntegerField):
        low, high = 0, 2147483647
    elif isinstance(model_field, models.PositiveSmallIntegerField):
        low, high = 0, 32767
    for validator in model_field.validators:
        limit = getattr(validator, "limit_value", None)
        if isinstance(validator, MinValueValidator) and isinstance(limit, int):
            low = max(low, limit)
        elif isinstance(validator, MaxValueValidator) and isinstance(limit, int):
            high = min(high, limit)
    return low, high


def _date(value: Any, model_field: models.Field[Any, Any], where: str) -> datetime.date | None:
    if value is None:
        return None
    text = str(value)
    try:
        if _DATE_RE.fullmatch(text) is None:
            raise ValueError(text)
        return datetime.date.fromisoformat(text)
    except ValueError as error:
        raise _Rejected(
            _("%(field)s is not a date (YYYY-MM-DD): %(value)s")
            % {"field": where, "value": text[:40]}
        ) from error


def _assured(value: Any, model_field: models.Field[Any, Any], where: str) -> Any:
    """``assured_date`` (a date) as the moment of verification: that day's start, German time."""
    day = _date(value, model_field, where)
    if day is None:
        return None
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def _datetime(
    value: Any, model_field: models.Field[Any, Any], where: str
) -> datetime.datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.datetime.fromisoformat(str(value))
    except ValueError as error:
        raise _Rejected(
            _("%(field)s is not a date and time: %(value)s")
            % {"field": where, "value": str(value)[:40]}
        ) from error
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment


def _time(value: Any, model_field: models.Field[Any, Any], where: str) -> datetime.time | None:
    if value is None:
        return None
    match = _TIME_RE.fullmatch(str(value))
    if match is None or int(match["h"]) > 23 or int(match["m"]) > 59 or int(match["s"] or 0) > 59:
        raise _Rejected(
            _("%(field)s is not a time (HH:MM): %(value)s")
            % {"field": where, "value": str(value)[:40]}
        )
    return datetime.time(int(match["h"]), int(match["m"]), int(match["s"] or 0))


def _float(value: Any, model_field: models.Field[Any, Any], where: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _Rejected(_("%(field)s is not a number.") % {"field": where})
    return float(value)


def _boolean(value: Any, model_field: models.Field[Any, Any], where: str) -> bool:
    if value is None:
        return bool(model_field.get_default())
    if not isinstance(value, bool):
        raise _Rejected(_("%(field)s is not true or false.") % {"field": where})
    return value


def _choice(value: Any, model_field: models.Field[Any, Any], where: str) -> str:
    if value is None:
        return str(model_field.get_default())
    allowed = {str(choice) for choice, _label in model_field.choices or ()}
    if str(value) not in allowed:
        raise _Rejected(
            _("%(field)s: %(value)s is not one of %(allowed)s.")
            % {"field": where, "value": str(value)[:40], "allowed": ", ".join(sorted(allowed))}
        )
    return str(value)


def _free_choice(value: Any, model_field: models.Field[Any, Any], where: str) -> str:
    """A code such as ``freq`` that the schema checks; here only its length."""
    return _text(value, model_field, where)


@dataclass(frozen=True)
class _Spec:
    """How one HSDS property maps onto a model field."""

    key: str
    attr: str
    convert: Converter


def _specs(*items: tuple[str, str, Converter] | tuple[str, Converter]) -> tuple[_Spec, ...]:
    specs = []
    for item in items:
        if len(item) == 2:
            specs.append(_Spec(item[0], item[0], item[1]))
        else:
            specs.append(_Spec(item[0], item[1], item[2]))
    return tuple(specs)


SERVICE_FIELDS = _specs(
    ("name", _text),
    ("alternate_name", _text),
    ("description", _text),
    ("url", _text),
    ("email", _text),
    ("status", _choice),
    ("interpretation_services", _text),
    ("application_process", _text),
    ("fees_description", _text),
    ("accreditations", _text),
    ("eligibility_description", _text),
    ("minimum_age", _decimal),
    ("maximum_age", _decimal),
    ("assured_date", "last_verified_at", _assured),
    ("assurer_email", _text),
    ("alert", _text),
    ("minimum_age_months", "min_age_months", _integer),
    ("maximum_age_months", "max_age_months", _integer),
    ("cost_type", _choice),
    ("visibility", _choice),
)
ORGANIZATION_FIELDS = _specs(
    ("name", _text),
    ("alternate_name", _text),
    ("description", _text),
    ("email", _text),
    ("website", _text),
    ("year_incorporated", _integer),
    ("legal_status", _text),
    ("logo", "logo_url", _text),
    ("uri", _text),
)
PROGRAM_FIELDS = _specs(("name", _text), ("alternate_name", _text), ("description", _text))
IDENTIFIER_FIELDS = _specs(
    ("identifier_scheme", _text), ("identifier_type", _text), ("identifier", _text)
)
LOCATION_FIELDS = _specs(
    ("location_type", _choice),
    ("url", _text),
    ("name", _text),
    ("alternate_name", _text),
    ("description", _text),
    ("transportation", _text),
    ("external_identifier", _text),
    ("external_identifier_type", _text),
    ("confidential", _boolean),
    ("barrier_free", _boolean),
)
ADDRESS_FIELDS = _specs(
    ("attention", _text),
    ("address_1", _text),
    ("address_2", _text),
    ("city", _text),
    ("region", _text),
    ("state_province", _text),
    ("postal_code", _text),
    ("country", _text),
    ("address_type", _choice),
)
ACCESSIBILITY_FIELDS = _specs(("description", _text), ("details", _text), ("url", _text))
CONTACT_FIELDS = _specs(("name", _text), ("title", _text), ("department", _text), ("email", _text))
PHONE_FIELDS = _specs(
    ("number", _text), ("extension", _decimal), ("type", _text), ("description", _text)
)
LANGUAGE_FIELDS = _specs(("name", _text), ("code", _text), ("note", _text))
SCHEDULE_FIELDS = _specs(
    ("valid_from", _date),
    ("valid_to", _date),
    ("dtstart", _date),
    ("timezone", _decimal),
    ("until", _date),
    ("count", _integer),
    ("wkst", _free_choice),
    ("freq", _free_choice),
    ("interval", _integer),
    ("byday", _text),
    ("byweekno", _text),
    ("bymonthday", _text),
    ("byyearday", _text),
    ("description", _text),
    ("opens_at", _time),
    ("closes_at", _time),
    ("schedule_link", _text),
    ("attending_type", _text),
    ("notes", _text),
)
SERVICE_AREA_FIELDS = _specs(
    ("name", _text),
    ("description", _text),
    ("extent", _text),
    ("extent_type", _text),
    ("uri", _text),
)
FUNDING_FIELDS = _specs(("source", _text))
COST_OPTION_FIELDS = _specs(
    ("valid_from", _date),
    ("valid_to", _date),
    ("option", _text),
    ("currency", _text),
    ("amount", _decimal),
    ("amount_description", _text),
)
REQUIRED_DOCUMENT_FIELDS = _specs(("document", _text), ("uri", _text))
TAXONOMY_FIELDS = _specs(
    ("name", _text), ("description", _text), ("uri", _text), ("version", _text)
)
TERM_FIELDS = _specs(
    ("code", _text),
    ("name", _text),
    ("description", _text),
    ("language", _text),
    ("term_uri", _text),
)
ATTRIBUTE_FIELDS = _specs(("link_type", _text), ("value", _text))
METADATA_FIELDS = _specs(
    ("resource_type", _text),
    ("last_action_date", _date),
    ("last_action_type", _text),
    ("field_name", _text),
    ("previous_value", _text),
    ("replacement_value", _text),
    ("updated_by", _text),
)

#: The foreign keys through which each kind of child hangs off its parents.
LINKS: dict[type[models.Model], tuple[str, ...]] = {
    Phone: ("location", "service", "organisation", "contact", "service_at_location"),
    Language: ("service", "location", "phone"),
    Schedule: ("service", "location", "service_at_location"),
    DirectoryContact: ("organisation", "service", "service_at_location", "location"),
    ServiceArea: ("service", "service_at_location"),
    Funding: ("organisation", "service"),
    Location: ("organisation",),
}


def _field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    return model._meta.get_field(name)  # type: ignore[return-value]


def _has_field(model: type[models.Model], name: str) -> bool:
    return any(f.name == name for f in model._meta.get_fields())


def _uuid(value: Any) -> uuid.UUID:
    # The schema has checked the format already.
    return uuid.UUID(str(value))
