"""Knotenpunkt's OpenAPI document for the public HSDS API, built from the official one.

The official HSDS 3.0 ``openapi.json`` references its response schemas by remote URLs
(``https://raw.githubusercontent.com/openreferral/specification/3.0/schema/...``), some of them
to fully expanded files that are not shipped, and has a few known quirks. ``build_openapi()``
turns it into one self-contained OpenAPI 3.1 document:

- every HSDS object schema (profile-merged when a profile is given) and the three compiled
  list-item schemas are placed under ``#/components/schemas/<name>``, and every remote ``$ref``
  and every relative schema ``$ref`` (``"phone.json"``) points there;
- the quirks are fixed: the swapped ``operationId``s of ``/taxonomy_terms`` and
  ``/taxonomy_terms/{id}``, ``format: datetime`` (now ``date-time``), ``GET
  /service_at_locations/{id}`` answering with a ``service_at_location`` (not a service), the
  ``Page`` properties (now all required, as the API always sends them; HSDS 3.1.1 made ``empty``
  required), and descriptions copied to the wrong endpoint;
- the parameters get the precise schemas a fuzzer needs (ids are UUIDs, ``page``/``per_page``
  have bounds, ``format`` is ``json`` or ``ndjson``, ``proximity`` is a number of metres), and
  the error answers are documented (``400`` for a bad parameter, ``404`` for an unknown id).

The endpoints, parameters and paging are exactly those of the HSDS API reference.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from knotenpunkt.directory.hsds import profile as de_profile
from knotenpunkt.directory.hsds import schemas, spec

__all__ = [
    "FORMATS",
    "NDJSON_MEDIA_TYPE",
    "PER_PAGE_DEFAULT",
    "PER_PAGE_MAX",
    "build_openapi",
    "operations",
]

#: Default of the ``per_page`` parameter.
PER_PAGE_DEFAULT = 50

#: Largest ``per_page`` the document allows; larger values are a 400.
PER_PAGE_MAX = 1000

#: Values of the ``format`` parameter: a JSON page, or all results as one JSON object per line.
FORMATS: tuple[str, ...] = ("json", "ndjson")

#: Media type of ``format=ndjson`` answers.
NDJSON_MEDIA_TYPE = "application/x-ndjson"

_REMOTE_SCHEMA_PREFIX = "https://raw.githubusercontent.com/openreferral/specification/"
_COMPONENT = "#/components/schemas/"

# List endpoints: path -> component of the items in ``contents``.
_LIST_ITEMS: dict[str, str] = {
    "/services": "service_list",
    "/organizations": "organization_list",
    "/service_at_locations": "service_at_location_list",
    "/taxonomies": "taxonomy",
    "/taxonomy_terms": "taxonomy_term",
}

# Single-object endpoints: path -> component of the answer.
_DETAIL: dict[str, str] = {
    "/services/{id}": "service",
    "/organizations/{id}": "organization",
    "/service_at_locations/{id}": "service_at_location",
    "/taxonomies/{id}": "taxonomy",
    "/taxonomy_terms/{id}": "taxonomy_term",
}

_UUID = {"type": "string", "format": "uuid"}


def build_openapi(
    *,
    server_url: str,
    title: str,
    profile_uri: str | None,
    description: str | None = None,
) -> dict[str, Any]:
    """The self-contained OpenAPI 3.1 document of one HSDS API (a new dict each call).

    ``server_url`` is the API's base URL (``https://example.org/t/<tenant>/api/hsds``): the
    paths (``/services`` ...) are relative to it. ``title`` becomes ``info.title``.
    ``profile_uri`` is the canonical URI of the HSDS profile the API conforms to (the DE profile:
    ``https://example.org/t/<tenant>/api/hsds/profile/``); with it, the components hold the
    profile-merged schemas and ``GET /`` documents that URI; with ``None`` the core schemas.
    ``description`` (Markdown) is put before the attribution in ``info.description``.
    """
    use_profile = profile_uri is not None
    document = spec.openapi_document()
    document["info"] = _info(title, profile_uri, description)
    document["servers"] = [{"url": server_url}]
    _rewrite_refs(document, _remote_ref_target)
    components = document.setdefault("components", {})
    components["schemas"] = {**_schema_components(use_profile), **components.get("schemas", {})}
    _fix_page(components["schemas"])
    components["schemas"]["service_minimal"] = _service_minimal()
    components["schemas"]["Error"] = _error_schema()
    _fix_parameters(components["parameters"])
    _fix_paths(document["paths"], profile_uri)
    return document


def operations(document: dict[str, Any]) -> list[tuple[str, str, str]]:
    """``(method, path, operationId)`` of every operation of a document, in document order."""
    return [
        (method.upper(), path, operation["operationId"])
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in {"get", "put", "post", "delete", "patch", "head", "options", "trace"}
    ]


def _info(title: str, profile_uri: str | None, description: str | None) -> dict[str, Any]:
    version = f"HSDS {spec.HSDS_VERSION}"
    parts = [description] if description else []
    if profile_uri is not None:
        version += f", DE profile {de_profile.PROFILE_VERSION}"
        parts.append(
            f"The data conforms to the German HSDS profile (DE profile"
            f" {de_profile.PROFILE_VERSION}), described at {profile_uri}. The profile only adds"
            " optional properties; core HSDS consumers can ignore them."
        )
    parts.append(
        "Read-only API following the Open Referral HSDS API reference "
        f"(HSDS {spec.HSDS_VERSION}). This document is adapted from the HSDS OpenAPI "
        f"description and schemas under CC BY-SA 4.0. {spec.HSDS_ATTRIBUTION}"
    )
    return {
        "title": title,
        "version": version,
        "summary": "Open Referral HSDS API (read-only)",
        "description": "\n\n".join(parts),
    }


def _remote_ref_target(ref: str) -> str | None:
    if ref.startswith(_REMOTE_SCHEMA_PREFIX):
        name = ref.rsplit("/", 1)[-1].removesuffix(".json")
        if name in spec.schema_names() or name in spec.LIST_SCHEMAS:
            return _COMPONENT + name
        raise ValueError(f"HSDS OpenAPI document refers to an unknown schema: {ref}")
    return None


def _relative_ref_target(ref: str) -> str | None:
    # Inside the object schemas: "phone.json" (a sibling file).
    if "/" not in ref and ref.endswith(".json"):
        name = ref.removesuffix(".json")
        if name in spec.schema_names():
            return _COMPONENT + name
        raise ValueError(f"HSDS schema refers to an unknown schema: {ref}")
    return None


def _rewrite_refs(node: Any, target: Callable[[str], str | None]) -> None:
    """Replace, in place, every ``$ref`` for which ``target`` gives a new value."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            new = target(ref)
            if new is not None:
                node["$ref"] = new
        for value in node.values():
            _rewrite_refs(value, target)
    elif isinstance(node, list):
        for value in node:
            _rewrite_refs(value, target)


def _schema_components(use_profile: bool) -> dict[str, Any]:
    components: dict[str, Any] = {}
    for name in (*spec.schema_names(), *spec.LIST_SCHEMAS):
        schema = schemas.load_schema(name, profile=use_profile)
        _rewrite_refs(schema, _relative_ref_target)
        components[name] = schema
    return components


def _fix_page(component_schemas: dict[str, Any]) -> None:
    page = component_schemas["Page"]
    page["required"] = list(page["properties"])
    for name in ("total_items", "total_pages", "size"):
        page["properties"][name]["minimum"] = 0
    page["properties"]["page_number"]["minimum"] = 1


def _service_minimal() -> dict[str, Any]:
    return {
        "type": "object",
        "description": (
            "A service as listed with minimal=true: only its id and when it was last modified."
        ),
        "properties": {
            "id": copy.deepcopy(_UUID),
            "last_modified": {"type": "string", "format": "date-time"},
        },
        "required": ["id"],
        "additionalProperties": False,
    }


def _error_schema() -> dict[str, Any]:
    return {
        "type": "object",
        "description": "An error answer: what was wrong with the request.",
        "properties": {
            "detail": {
                "description": "A message, or a list of problems.",
                "type": ["string", "array", "object"],
            }
        },
    }


def _fix_parameters(parameters: dict[str, Any]) -> None:
    parameters["page"]["schema"] = {"type": "integer", "minimum": 1, "default": 1}
    parameters["per_page"]["schema"] = {
        "type": "integer",
        "minimum": 1,
        "maximum": PER_PAGE_MAX,
        "default": PER_PAGE_DEFAULT,
    }
    parameters["format"]["schema"] = {"type": "string", "enum": list(FORMATS), "default": "json"}
    parameters["modified_after"]["schema"] = {"type": "string", "format": "date-time"}
    for name in ("taxonomy_term_id", "taxonomy_id", "organization_id"):
        parameters[name]["schema"] = copy.deepcopy(_UUID)
    parameters["proximity"]["schema"] = {"type": "number", "minimum": 0}
    parameters["proximity"]["description"] = (
        "Return results within this many metres of the centroid of the provided postcode"
        " (used together with postcode)."
    )
    parameters["minimal"]["description"] = (
        "Return only each service's 'id' and 'last_modified' (the modification date)."
        " When using this parameter aim to return all services within one call."
    )


def _error_responses(*, not_found: bool) -> dict[str, Any]:
    error = {"application/json": {"schema": {"$ref": _COMPONENT + "Error"}}}
    responses: dict[str, Any] = {
        "400": {"description": "A parameter has an invalid value.", "content": error}
    }
    if not_found:
        responses["404"] = {"description": "No object with this id.", "content": error}
    return responses


def _fix_paths(paths: dict[str, Any], profile_uri: str | None) -> None:
    # Quirks of the official document, each fixed in place.
    paths["/taxonomy_terms"]["get"]["operationId"] = "getPaginatedListOfTaxonomyTerms"
    paths["/taxonomy_terms"]["get"]["description"] = "Paginated listing of taxonomy terms."
    paths["/taxonomy_terms/{id}"]["get"]["operationId"] = "getTaxonomyTermById"
    paths["/services"]["get"]["description"] = (
        "Retrieve paginated listings of services that only have one-to-one fields in them."
    )
    paths["/service_at_locations/{id}"]["parameters"][0]["description"] = (
        "The id of the service_at_location that the request is intended to retrieve."
    )
    for item in paths["/taxonomy_terms"]["get"]["parameters"]:
        if item.get("name") == "top_only":
            # Upstream says "that have not child terms"; the name means top-level terms.
            item["description"] = "Only retrieve top-level taxonomy terms (without a parent_id)."
        elif item.get("name") == "parent_id":
            item["description"] = "Retrieve taxonomy terms that have a parent with this id."
            item["schema"] = copy.deepcopy(_UUID)

    for item in paths["/services"]["get"]["parameters"]:
        if item.get("$ref") == "#/components/parameters/minimal":
            item.pop("description", None)  # the shared one says what minimal returns

    root = paths["/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    root["required"] = ["version", "openapi_url"]
    if profile_uri is not None:
        root["required"].insert(1, "profile")
        root["properties"]["profile"]["examples"] = [profile_uri]

    for path, component in _DETAIL.items():
        path_item = paths[path]
        for parameter in path_item.get("parameters", []):
            if parameter.get("in") == "path":
                parameter["schema"] = copy.deepcopy(_UUID)
        operation = path_item["get"]
        ok = operation["responses"]["200"]
        ok["content"] = {"application/json": {"schema": {"$ref": _COMPONENT + component}}}
        operation["responses"].update(_error_responses(not_found=True))

    for path, component in _LIST_ITEMS.items():
        operation = paths[path]["get"]
        items: dict[str, Any] = {"$ref": _COMPONENT + component}
        if path == "/services":
            items = {"anyOf": [items, {"$ref": _COMPONENT + "service_minimal"}]}
        ok = operation["responses"]["200"]
        ok["content"] = {
            "application/json": {
                "schema": {
                    "allOf": [
                        {"$ref": _COMPONENT + "Page"},
                        {
                            "type": "object",
                            "properties": {"contents": {"type": "array", "items": items}},
                            "required": ["contents"],
                        },
                    ]
                }
            },
            # format=ndjson: every result, unpaged, one JSON object per line.
            NDJSON_MEDIA_TYPE: {"schema": copy.deepcopy(items)},
        }
        ok["description"] += " With format=ndjson: every result, one JSON object per line."
        operation["responses"].update(_error_responses(not_found=False))
