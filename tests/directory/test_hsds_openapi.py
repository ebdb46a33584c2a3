"""The self-contained OpenAPI document of the public HSDS API (built, not served)."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest
import schemathesis
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from knotenpunkt.directory.hsds import openapi, schemas

EXAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "hsds" / "v3.0" / "examples"
SERVER = "https://example.org/t/altmark/api/hsds"
PROFILE_URI = "https://example.org/t/altmark/api/hsds/profile/"

# The endpoints and parameters of the HSDS 3.0 API reference, nothing more, nothing less.
EXPECTED_OPERATIONS = {
    ("GET", "/", "getAPIMetaInformation"): [],
    ("GET", "/services", "getPaginatedListOfServices"): [
        "search",
        "page",
        "per_page",
        "format",
        "taxonomy_term_id",
        "taxonomy_id",
        "organization_id",
        "modified_after",
        "minimal",
        "full",
    ],
    ("GET", "/services/{id}", "getFullyNestedServiceById"): ["id"],
    ("GET", "/organizations", "getPaginatedListOfOrganizations"): [
        "search",
        "full_service",
        "full",
        "page",
        "per_page",
        "format",
    ],
    ("GET", "/organizations/{id}", "getOrganizationById"): ["id", "full_service"],
    ("GET", "/service_at_locations", "getPaginatedListOfServiceAtLocation"): [
        "search",
        "taxonomy_term_id",
        "taxonomy_id",
        "organization_id",
        "modified_after",
        "full",
        "page",
        "per_page",
        "format",
        "postcode",
        "proximity",
    ],
    ("GET", "/service_at_locations/{id}", "getServiceAtLocationWithNestedDataById"): ["id"],
    ("GET", "/taxonomies", "getPaginatedListOfTaxonomies"): [
        "search",
        "page",
        "per_page",
        "format",
    ],
    ("GET", "/taxonomies/{id}", "getTaxonomyById"): ["id"],
    ("GET", "/taxonomy_terms", "getPaginatedListOfTaxonomyTerms"): [
        "search",
        "page",
        "per_page",
        "format",
        "taxonomy_id",
        "top_only",
        "parent_id",
    ],
    ("GET", "/taxonomy_terms/{id}", "getTaxonomyTermById"): ["id"],
}

# Official example answers -> the endpoint that gives them.
EXAMPLE_ANSWERS = {
    "base.json": "/",
    "service_full.json": "/services/{id}",
    "service_list.json": "/services",
    "organization_full.json": "/organizations/{id}",
    "organization_list.json": "/organizations",
    "service_at_location_full.json": "/service_at_locations/{id}",
    "service_at_location_list.json": "/service_at_locations",
    "taxonomy.json": "/taxonomies/{id}",
    "taxonomy_list.json": "/taxonomies",
    "taxonomy_term.json": "/taxonomy_terms/{id}",
    "taxonomy_term_list.json": "/taxonomy_terms",
}


def build(profile_uri: str | None = PROFILE_URI) -> dict[str, Any]:
    return openapi.build_openapi(server_url=SERVER, title="Altmark HSDS", profile_uri=profile_uri)


def refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from refs(value)


def formats(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        if isinstance(node.get("format"), str):
            yield node["format"]
        for value in node.values():
            yield from formats(value)
    elif isinstance(node, list):
        for value in node:
            yield from formats(value)


def resolve(document: dict[str, Any], ref: str) -> Any:
    node: Any = document
    for part in ref.removeprefix("#/").split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def pointer(*parts: str) -> str:
    return "/".join(part.replace("~", "~0").replace("/", "~1") for part in parts)


def answer_validator(document: dict[str, Any], path: str, media_type: str) -> Any:
    uri = "https://openapi.test/openapi.json"
    registry = Registry().with_resource(
        uri, Resource.from_contents(document, default_specification=DRAFT202012)
    )
    where = pointer("paths", path, "get", "responses", "200", "content", media_type, "schema")
    return jsonschema.Draft202012Validator(
        {"$ref": f"{uri}#/{where}"}, registry=registry, format_checker=schemas.FORMAT_CHECKER
    )


@pytest.mark.parametrize("profile_uri", [PROFILE_URI, None], ids=["de-profile", "core"])
def test_it_is_self_contained(profile_uri: str | None) -> None:
    document = build(profile_uri)
    all_refs = list(refs(document))

    assert all_refs
    assert [ref for ref in all_refs if not ref.startswith("#/")] == []
    assert "raw.githubusercontent.com" not in json.dumps(
        {"paths": document["paths"], "components": document["components"]}
    )
    for ref in set(all_refs):
        assert resolve(document, ref) is not None, ref


def test_it_has_exactly_the_endpoints_and_parameters_of_the_hsds_api() -> None:
    document = build()
    found = {}
    for method, path, operation_id in openapi.operations(document):
        item = document["paths"][path]
        parameters = [*item.get("parameters", []), *item["get"].get("parameters", [])]
        found[(method, path, operation_id)] = [
            resolve(document, p["$ref"])["name"] if "$ref" in p else p["name"] for p in parameters
        ]
    assert found == EXPECTED_OPERATIONS


def test_it_fixes_the_known_quirks_of_the_official_document() -> None:
    document = build()
    paths, components = document["paths"], document["components"]

    assert paths["/taxonomy_terms"]["get"]["operationId"] == "getPaginatedListOfTaxonomyTerms"
    assert paths["/taxonomy_terms/{id}"]["get"]["operationId"] == "getTaxonomyTermById"
    assert components["parameters"]["modified_after"]["schema"]["format"] == "date-time"
    sal = paths["/service_at_locations/{id}"]["get"]["responses"]["200"]
    assert sal["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/service_at_location"
    }
    assert components["schemas"]["Page"]["required"] == [
        "total_items",
        "total_pages",
        "page_number",
        "size",
        "first_page",
        "last_page",
        "empty",
    ]
    assert "datetime" not in set(formats(document))


def test_it_describes_paging_and_errors() -> None:
    document = build()
    parameters = document["components"]["parameters"]

    assert parameters["page"]["schema"] == {"type": "integer", "minimum": 1, "default": 1}
    assert parameters["per_page"]["schema"]["maximum"] == openapi.PER_PAGE_MAX
    assert parameters["per_page"]["schema"]["default"] == openapi.PER_PAGE_DEFAULT
    assert parameters["format"]["schema"]["enum"] == ["json", "ndjson"]
    for _method, path, _operation_id in openapi.operations(document):
        responses = document["paths"][path]["get"]["responses"]
        if path == "/":
            assert list(responses) == ["200"]
        elif path.endswith("{id}"):
            assert list(responses) == ["200", "400", "404"]
        else:
            assert list(responses) == ["200", "400"]
            assert list(responses["200"]["content"]) == ["application/json", "application/x-ndjson"]


@pytest.mark.parametrize("profile_uri", [PROFILE_URI, None], ids=["de-profile", "core"])
@pytest.mark.parametrize("file_name", sorted(EXAMPLE_ANSWERS))
def test_the_official_example_answers_match_the_document(
    file_name: str, profile_uri: str | None
) -> None:
    document = build(profile_uri)
    answer = json.loads((EXAMPLES / file_name).read_text(encoding="utf-8"))
    validator = answer_validator(document, EXAMPLE_ANSWERS[file_name], "application/json")
    assert [error.message for error in validator.iter_errors(answer)] == []


def test_a_minimal_service_listing_matches_the_document() -> None:
    validator = answer_validator(build(), "/services", "application/json")
    page = {
        "total_items": 1,
        "total_pages": 1,
        "page_number": 1,
        "size": 1,
        "first_page": True,
        "last_page": True,
        "empty": False,
        "contents": [
            {"id": "ac148810-d857-441c-9679-408f346de14b", "last_modified": "2024-05-16T10:00:00Z"}
        ],
    }
    assert list(validator.iter_errors(page)) == []
    del page["empty"]
    assert [error.message for error in validator.iter_errors(page)] == [
        "'empty' is a required property"
    ]


def test_the_profile_decides_which_schemas_are_embedded() -> None:
    with_profile = build()["components"]["schemas"]
    core = build(None)["components"]["schemas"]

    assert "life_phases" in with_profile["service"]["properties"]
    assert "life_phases" in with_profile["service_list"]["properties"]
    assert "confidential" in with_profile["location"]["properties"]
    assert "life_phases" not in core["service"]["properties"]
    assert with_profile["phone"] == core["phone"]
    assert with_profile["phone"]["properties"]["languages"]["items"] == {
        "$ref": "#/components/schemas/language"
    }


def test_it_names_the_server_title_and_profile() -> None:
    document = build()
    root = document["paths"]["/"]["get"]["responses"]["200"]["content"]["application/json"]

    assert document["openapi"] == "3.1.0"
    assert document["servers"] == [{"url": SERVER}]
    assert document["info"]["title"] == "Altmark HSDS"
    assert "REQUIRED" not in json.dumps(document["info"])
    assert PROFILE_URI in document["info"]["description"]
    assert "Open Referral" in document["info"]["description"]
    assert root["schema"]["required"] == ["version", "profile", "openapi_url"]
    assert root["schema"]["properties"]["profile"]["examples"] == [PROFILE_URI]
    assert (
        "profile"
        not in build(None)["paths"]["/"]["get"]["responses"]["200"]["content"]["application/json"][
            "schema"
        ]["required"]
    )


def test_each_call_builds_a_new_document() -> None:
    first = build()
    first["components"]["schemas"]["service"]["properties"].clear()
    first["paths"].clear()
    second = build()
    assert "name" in second["components"]["schemas"]["service"]["properties"]
    assert len(second["paths"]) == len(EXPECTED_OPERATIONS)
    assert json.loads(json.dumps(second)) == second


def test_schemathesis_loads_it_and_lists_every_operation() -> None:
    schema = schemathesis.openapi.from_dict(copy.deepcopy(build()))
    schema.validate()

    operations = [result.ok() for result in schema.get_all_operations()]

    assert sorted(operation.label for operation in operations) == sorted(
        f"{method} {path}" for method, path, _ in EXPECTED_OPERATIONS
    )
    by_label = {operation.label: operation for operation in operations}
    assert [p.name for p in by_label["GET /services"].query] == EXPECTED_OPERATIONS[
        ("GET", "/services", "getPaginatedListOfServices")
    ]
    assert [p.name for p in by_label["GET /services/{id}"].path_parameters] == ["id"]


def test_it_passes_openapi_spec_validator_when_installed() -> None:
    validator = pytest.importorskip("openapi_spec_validator")
    validator.validate(build())
    validator.validate(build(None))
