"""The German profile of HSDS ("DE profile"): extension fields as JSON Merge Patches.

Each ``*.json`` file in this package is an RFC 7386 merge patch over the HSDS 3.0 core schema of
the same name (HSDS profiles reference, "Specification format"). Merging a patch into the core
schema gives the profile schema. The profile only adds optional properties, so data valid for
the profile stays valid for the core schemas, and core consumers simply ignore the extra fields.

Documented in ``docs/hsds-de-profile.md``. Pure Python, no ORM.
"""

from __future__ import annotations

import copy
import functools
import json
from importlib import resources
from typing import Any

from knotenpunkt.directory.hsds import spec

#: Version of the DE profile (semantic versioning, independent of HSDS, as the spec recommends).
PROFILE_VERSION = "1.0.0"

#: The HSDS version the profile is based on.
HSDS_VERSION = spec.HSDS_VERSION

#: Core schemas the profile modifies (the names of the patch files, without ``.json``).
PATCHED_SCHEMAS: tuple[str, ...] = ("service", "location", "service_area", "taxonomy_term")

#: Life phases and transitions of the prevention chain, in life-course order (``life_phases``).
LIFE_PHASE_CODES: tuple[str, ...] = (
    "pregnancy",
    "birth",
    "age_0_1",
    "age_1_3",
    "kita_entry",
    "age_3_6",
    "kita_school",
    "age_6_10",
    "primary_secondary",
    "age_10_14",
    "age_14_18",
    "school_work",
    "age_18_27",
)

#: Values of ``service.cost_type``.
COST_TYPES: tuple[str, ...] = ("free", "reduced", "fee")

#: Values of ``service.visibility``.
VISIBILITIES: tuple[str, ...] = ("public", "professionals")

#: Age in months at the start of pregnancy: the lowest value of the ``*_age_months`` fields.
PREGNANCY_START_MONTHS = -9

#: ``link_type`` of the HSDS attributes that ``service.topics`` mirrors.
TOPIC_LINK_TYPE = "topic"


def merge_patch(target: Any, patch: Any) -> Any:
    """Apply an RFC 7386 JSON Merge Patch to ``target`` and return the result.

    An object patch merges member by member (recursively), a ``null`` member deletes, and any
    other patch value (array, string, number, boolean) replaces the target as a whole. Neither
    argument is changed.
    """
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result: dict[str, Any] = copy.deepcopy(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


@functools.cache
def _patches() -> dict[str, dict[str, Any]]:
    package = resources.files(__name__)
    return {
        name: json.loads(package.joinpath(f"{name}.json").read_text(encoding="utf-8"))
        for name in PATCHED_SCHEMAS
    }


def profile_patches() -> dict[str, dict[str, Any]]:
    """The profile's merge patches by file name: ``{"service.json": {...}, ...}``.

    This is what the profile's ``/profile/`` endpoint publishes, one file per entry.
    """
    return {f"{name}.json": copy.deepcopy(patch) for name, patch in _patches().items()}


@functools.cache
def _profile_schema(name: str) -> dict[str, Any]:
    core = spec.core_schema(name)
    patch = _patches().get(name)
    merged: dict[str, Any] = merge_patch(core, patch) if patch is not None else core
    return merged


def profile_schema(name: str) -> dict[str, Any]:
    """The DE profile schema of one HSDS object: the core schema merged with its patch.

    ``name`` is an HSDS object schema name (``"service"`` or ``"service.json"``); schemas the
    profile does not modify come back as the core schema. Relative ``$ref``s such as
    ``"phone.json"`` are kept, so the profile schemas resolve against each other (the ``/schema/``
    endpoint) just as the core schemas do. Raises ``KeyError`` for an unknown name.
    """
    return copy.deepcopy(_profile_schema(name.removesuffix(".json")))


def profile_schemas() -> dict[str, dict[str, Any]]:
    """Every profile schema by file name (``{"service.json": {...}, ...}``): the ``/schema/``."""
    return {f"{name}.json": profile_schema(name) for name in spec.schema_names()}


def patch_for(name: str) -> dict[str, Any] | None:
    """The profile's merge patch for one core schema name, or None if it is not modified."""
    patch = _patches().get(name.removesuffix(".json"))
    return copy.deepcopy(patch) if patch is not None else None


#: Where the compiled list-item schemas inline an HSDS object: property path -> object name.
_LIST_SCHEMA_PARTS: dict[str, dict[tuple[str, ...], str]] = {
    "service_list": {(): "service", ("organization",): "organization", ("program",): "program"},
    "organization_list": {(): "organization"},
    "service_at_location_list": {
        (): "service_at_location",
        ("location",): "location",
        ("service",): "service",
    },
}


@functools.cache
def _profile_list_schema(name: str) -> dict[str, Any]:
    schema = spec.list_schema(name)
    for path, object_name in _LIST_SCHEMA_PARTS[name].items():
        patch = _patches().get(object_name)
        if patch is None:
            continue
        parent = schema
        for key in path[:-1]:
            parent = parent["properties"][key]
        if path:
            parent["properties"][path[-1]] = merge_patch(parent["properties"][path[-1]], patch)
        else:
            schema = merge_patch(schema, patch)
    return schema


def profile_list_schema(name: str) -> dict[str, Any]:
    """A compiled list-item schema (``"service_list"`` ...) with the profile's patches applied.

    The compiled list schemas inline the objects they contain (e.g. the ``location`` and
    ``service`` of a service_at_location), so each inlined object gets its own patch.
    """
    return copy.deepcopy(_profile_list_schema(name.removesuffix(".json")))


def profile_index(
    *, profile_url: str, schema_url: str, documentation_url: str | None = None
) -> dict[str, Any]:
    """A JSON description of the profile for its canonical URI (the ``/profile/`` index).

    ``profile_url`` and ``schema_url`` are the absolute URLs of the ``/profile/`` and ``/schema/``
    endpoints, with a trailing slash; the index links every patch and every merged schema.
    """
    index: dict[str, Any] = {
        "name": "knotenpunkt-hsds-de",
        "title": "German profile of HSDS (DE profile)",
        "description": (
            "Extension fields for German early-help (Frühe Hilfen) directories: age in months"
            " from pregnancy, life phases and transitions, cost type, visibility, translations,"
            " topics, confidential and barrier-free locations, official area keys and catchment"
            " areas. All fields are optional; core HSDS consumers ignore them."
        ),
        "version": PROFILE_VERSION,
        "hsds_version": HSDS_VERSION,
        "uri": profile_url,
        "profile": {name: f"{profile_url}{name}" for name in profile_patches()},
        "schema": {f"{name}.json": f"{schema_url}{name}.json" for name in spec.schema_names()},
        "license": "CC-BY-SA-4.0",
        "attribution": spec.HSDS_ATTRIBUTION,
    }
    if documentation_url is not None:
        index["documentation"] = documentation_url
    return index
