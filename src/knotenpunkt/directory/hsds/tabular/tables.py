"""The tables of the package: the official descriptor, our columns, the DE profile's extra ones."""

from __future__ import annotations

import datetime
import functools
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone

from knotenpunkt.directory.hsds import profile as de_profile
from knotenpunkt.directory.hsds import spec
from knotenpunkt.directory.hsds.serialize import (
    iso_datetime,
    number,
)
from knotenpunkt.directory.models import (
    Accessibility,
    Address,
    CostOption,
    DirectoryContact,
    Funding,
    Language,
    Location,
    Metadata,
    OrganizationIdentifier,
    Phone,
    Program,
    RequiredDocument,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from knotenpunkt.partners.models import Organisation

#: Rows fetched per round trip to the database.
CHUNK_SIZE = 2000

#: The DE profile's extra columns per resource: (name, Table Schema type, constraints).
DE_COLUMNS: dict[str, tuple[tuple[str, str, dict[str, Any]], ...]] = {
    "service": (
        ("minimum_age_months", "integer", {"minimum": de_profile.PREGNANCY_START_MONTHS}),
        ("maximum_age_months", "integer", {"minimum": de_profile.PREGNANCY_START_MONTHS}),
        ("life_phases", "array", {}),
        ("cost_type", "string", {"enum": list(de_profile.COST_TYPES)}),
        ("visibility", "string", {"enum": list(de_profile.VISIBILITIES)}),
        ("translations", "array", {}),
    ),
    "location": (
        ("confidential", "boolean", {}),
        ("barrier_free", "boolean", {}),
        ("area_official_key", "string", {}),
    ),
    "service_area": (
        ("area_official_key", "string", {}),
        ("area_id", "string", {}),
    ),
    "taxonomy_term": (("translations", "array", {}),),
}
_DE_FORMATS = {"area_id": "uuid"}

#: The resources an export writes (all official ones but meta_table_description).
EXPORTED = (
    "organization",
    "program",
    "service",
    "attribute",
    "service_at_location",
    "location",
    "phone",
    "contact",
    "address",
    "schedule",
    "funding",
    "service_area",
    "required_document",
    "language",
    "accessibility",
    "taxonomy_term",
    "metadata",
    "cost_option",
    "organization_identifier",
    "taxonomy",
)


@functools.cache
def _official_cached() -> dict[str, dict[str, Any]]:
    return {resource["name"]: resource for resource in spec.datapackage_descriptor()["resources"]}


def _official() -> Mapping[str, dict[str, Any]]:
    """The official resources by name (shared: do not change them)."""
    return _official_cached()


def descriptor(*, profile: bool = True) -> dict[str, Any]:
    """The package's ``datapackage.json``: the official one, with the DE columns if ``profile``."""
    package = spec.datapackage_descriptor()
    package["resources"] = [r for r in package["resources"] if r["name"] in EXPORTED]
    if not profile:
        return package
    package["de_profile_version"] = de_profile.PROFILE_VERSION
    for resource in package["resources"]:
        schema_name = resource["name"]
        properties = de_profile.profile_schema(schema_name)["properties"]
        for name, type_name, constraints in DE_COLUMNS.get(schema_name, ()):
            described = properties[name]
            field: dict[str, Any] = {
                "name": name,
                "type": type_name,
                "title": described.get("title", name),
                "description": described["description"]
                + (" As JSON text." if type_name == "array" else ""),
            }
            if name in _DE_FORMATS:
                field["format"] = _DE_FORMATS[name]
            if constraints:
                field["constraints"] = constraints
            resource["schema"]["fields"].append(field)
    return package


@functools.cache
def _required_texts(resource: str) -> tuple[str, ...]:
    """Required plain-text columns: a CSV cannot say "empty" there (an empty cell is missing)."""
    return tuple(
        f["name"]
        for f in _official()[resource]["schema"]["fields"]
        if f.get("constraints", {}).get("required")
        and f.get("type", "string") == "string"
        and "format" not in f
    )


#: Written for an empty required text (HSDS requires a taxonomy's description, ours may be
#: empty); read back as the empty text.
EMPTY_REQUIRED_TEXT = " "


@functools.cache
def _header_cached(resource: str, profile: bool) -> tuple[str, ...]:
    fields = [f["name"] for f in _official()[resource]["schema"]["fields"]]
    if profile:
        fields += [name for name, _type, _c in DE_COLUMNS.get(resource, ())]
    return tuple(fields)


def _header(resource: str, *, profile: bool) -> list[str]:
    return list(_header_cached(resource, profile))


def path_of(resource: str) -> str:
    """The file name of ``resource`` in the package (``"services.csv"``)."""
    return str(_official()[resource]["path"])


# --- Cells -------------------------------------------------------------------------------


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _uuid_text(value: str | None) -> str:
    """An id read as text: SQLite keeps 32 hex digits, PostgreSQL the canonical form."""
    if not value:
        return ""
    if len(value) == 32:
        return f"{value[:8]}-{value[8:12]}-{value[12:16]}-{value[16:20]}-{value[20:]}"
    return value


def _number_text(value: Any) -> str:
    return "" if value is None else str(number(value))


def _boolean_text(value: bool | None) -> str:
    return "" if value is None else ("true" if value else "false")


def _iso_text(value: datetime.date | datetime.time | None) -> str:
    return "" if value is None else value.isoformat()


def _moment_text(value: datetime.datetime | None) -> str:
    return "" if value is None else iso_datetime(value)


def _local_date(value: datetime.datetime | None) -> str:
    return "" if value is None else timezone.localdate(value).isoformat()


def _official_key(key: str | None) -> str:
    return key if key and key.isdigit() and len(key) in {2, 3, 5, 8, 9, 12} else ""


def _json(items: list[dict[str, Any]] | list[str]) -> str:
    return json.dumps(items, ensure_ascii=False, separators=(",", ":"))


def _converter(field: models.Field[Any, Any]) -> Callable[[Any], str]:
    if isinstance(field, models.UUIDField):
        return _uuid_text
    if isinstance(field, models.BooleanField):
        return _boolean_text
    if isinstance(field, models.DecimalField | models.FloatField):
        return _number_text
    if isinstance(field, models.DateTimeField):
        return _moment_text
    if isinstance(field, models.DateField | models.TimeField):
        return _iso_text
    return _text


# --- What a table is ---------------------------------------------------------------------

#: HSDS names of the objects a foreign key column points at -> our field names.
_FK_NAMES = {"organization": "organisation", "parent_organization": "parent", "parent": "parent"}
#: Columns that are not named after our field.
_OVERRIDES: dict[str, dict[str, str]] = {
    "organization": {"logo": "logo_url"},
    "service": {
        "assured_date": "last_verified_at",
        "last_modified": "updated_at",
        "minimum_age_months": "min_age_months",
        "maximum_age_months": "max_age_months",
    },
    "location": {"area_official_key": "area__official_key"},
    "service_area": {"area_official_key": "area__official_key", "area_id": "area__uuid"},
    "taxonomy_term": {"taxonomy": "taxonomy__name"},
}
#: The sets of published ids that a foreign key must hit (public subset), by our field name.
_LINK_SETS = {
    "organisation": "organization",
    "parent": "organization",
    "program": "program",
    "service": "service",
    "service_at_location": "service_at_location",
    "location": "location",
    "contact": "contact",
    "phone": "phone",
}
#: Cells that are not their field's plain form.
_CONVERTERS: dict[tuple[str, str], Callable[[Any], str]] = {
    ("service", "assured_date"): _local_date,  # HSDS has the date of the verification
}
#: Tables whose rows are published only if their own id is: the set's name.
_OWN_SETS = {
    "organization": "organization",
    "program": "program",
    "service": "service",
    "service_at_location": "service_at_location",
    "location": "location",
    "phone": "phone",
    "contact": "contact",
}
#: Tables that describe a place in detail: never published for a confidential location.
_PLACE_TABLES = frozenset({"address", "accessibility", "schedule"})

_MODELS: dict[str, type[models.Model]] = {
    "organization": Organisation,
    "program": Program,
    "service": Service,
    "service_at_location": ServiceAtLocation,
    "location": Location,
    "phone": Phone,
    "contact": DirectoryContact,
    "address": Address,
    "schedule": Schedule,
    "funding": Funding,
    "service_area": ServiceArea,
    "required_document": RequiredDocument,
    "language": Language,
    "accessibility": Accessibility,
    "taxonomy_term": TaxonomyTerm,
    "metadata": Metadata,
    "cost_option": CostOption,
    "organization_identifier": OrganizationIdentifier,
    "taxonomy": Taxonomy,
}


def _field_at(model: type[models.Model], path: str) -> models.Field[Any, Any]:
    field: Any = None
    for part in path.split("__"):
        field = model._meta.get_field(part)
        if field.is_relation:
            model = field.related_model
    return field


def _has(model: type[models.Model], name: str) -> bool:
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


@dataclass(frozen=True)
class _Column:
    """Where one CSV column comes from: a ``values_list`` path (None: a field we lack)."""

    name: str
    path: str | None
    convert: Callable[[Any], str]
    #: For a foreign key: our field's id attribute and the set of published ids it must hit.
    link: tuple[str, str] | None = None


@cache
def _columns(resource: str, profile: bool) -> tuple[_Column, ...]:
    """The columns of ``resource`` in the official order (and the profile's at the end)."""
    model = _MODELS[resource]
    overrides = _OVERRIDES.get(resource, {})
    columns = []
    for name in _header_cached(resource, profile):
        path: str | None = None
        link: tuple[str, str] | None = None
        if name == "id":
            path = "uuid"
        elif name in overrides:
            path = overrides[name]
        elif name.endswith("_id") and name not in {"link_id", "resource_id"}:
            relation = _FK_NAMES.get(name[:-3], name[:-3])
            if _has(model, relation):
                path = f"{relation}__uuid"
                # A term's parent is a term: terms are all published.
                if relation in _LINK_SETS and (relation, resource) != ("parent", "taxonomy_term"):
                    link = (f"{relation}_id", _LINK_SETS[relation])
        elif _has(model, name) and not _field_at(model, name).is_relation:
            path = name
        convert = _CONVERTERS.get((resource, name)) or (
            _converter(_field_at(model, path)) if path else _text
        )
        columns.append(_Column(name, path, convert, link))
    return tuple(columns)
