"""The vendored HSDS 3.0 specification files (see ``v3.0/README.md``) and their loader.

Application code reads the specification only from here, never from ``../shared/hsds``.
Files are parsed once; every public function returns a fresh copy the caller may change.
"""

from __future__ import annotations

import copy
import functools
import json
from importlib import resources
from typing import Any

#: The HSDS version of the vendored files.
HSDS_VERSION = "3.0"

#: Upstream commit of the vendored files (openreferral/specification, branch 3.0).
HSDS_COMMIT = "279fd2eb3552c349bf698c07c00cc25f5fc8249b"

#: Preferred attribution of the HSDS licence (CC BY-SA 4.0).
HSDS_ATTRIBUTION = (
    "Human Services Data Specification: an Open Referral resource (https://openreferral.org/)"
)

#: The compiled schemas for the items of list responses (``contents[]``).
LIST_SCHEMAS: tuple[str, ...] = ("service_list", "organization_list", "service_at_location_list")

_ROOT = "v3.0"


@functools.cache
def _parsed(path: str) -> Any:
    """Parse one vendored JSON file (``path`` relative to ``v3.0/``); cached, do not mutate."""
    resource = resources.files(__name__).joinpath(_ROOT, *path.split("/"))
    return json.loads(resource.read_text(encoding="utf-8"))


def load_json(path: str) -> Any:
    """A vendored JSON file, ``path`` relative to ``v3.0/`` (``"datapackage.json"``)."""
    return copy.deepcopy(_parsed(path))


@functools.cache
def schema_names() -> tuple[str, ...]:
    """Names of the HSDS object schemas (``schema/*.json`` without ``.json``), sorted."""
    folder = resources.files(__name__).joinpath(_ROOT, "schema")
    return tuple(
        sorted(
            entry.name.removesuffix(".json")
            for entry in folder.iterdir()
            if entry.is_file() and entry.name.endswith(".json")
        )
    )


def core_schema(name: str) -> dict[str, Any]:
    """The HSDS core schema of one object (``"service"`` or ``"service.json"``).

    Raises ``KeyError`` for a name that is not an HSDS object schema.
    """
    return copy.deepcopy(_core_schema(name.removesuffix(".json")))


def list_schema(name: str) -> dict[str, Any]:
    """A compiled list-item schema (``"service_list"``, ``"organization_list"``, ...)."""
    name = name.removesuffix(".json")
    if name not in LIST_SCHEMAS:
        raise KeyError(name)
    return load_json(f"schema/compiled/{name}.json")


def openapi_document() -> dict[str, Any]:
    """The official HSDS API description (``openapi.json``), unchanged: remote ``$ref``s."""
    document: dict[str, Any] = load_json("openapi/openapi.json")
    return document


def datapackage_descriptor() -> dict[str, Any]:
    """The official tabular data package descriptor (``datapackage.json``).

    Exports write this descriptor as their ``datapackage.json`` and one CSV file per resource
    (``resource["path"]``) with exactly the resource's fields as header, in order.
    """
    descriptor: dict[str, Any] = load_json("datapackage.json")
    return descriptor


def _core_schema(name: str) -> dict[str, Any]:
    if name not in schema_names():
        raise KeyError(name)
    schema: dict[str, Any] = _parsed(f"schema/{name}.json")
    return schema
