"""The German HSDS profile: merge patches, merged schemas, extension fields (pure Python)."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest

from knotenpunkt.core.models import LIFE_PHASES
from knotenpunkt.directory.hsds import profile, schemas, spec

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT.parent / "shared" / "hsds" / "v3.0" / "examples"

DE_SERVICE_FIELDS = {
    "minimum_age_months": -9,
    "maximum_age_months": 35,
    "life_phases": ["pregnancy", "birth", "age_0_1", "age_1_3"],
    "cost_type": "reduced",
    "visibility": "professionals",
    "translations": [
        {"language": "en", "name": "Family midwife", "description": "Home visits."},
        {"language": "de-x-leichte-sprache", "name": "Hebamme für die Familie"},
    ],
    "topics": ["3f7b145d-84af-42d7-8fae-eaca714b02b2"],
}


def example(name: str) -> Any:
    return json.loads((EXAMPLES / name).read_text(encoding="utf-8"))


# RFC 7386, Appendix A: original, patch, result.
RFC_7386_CASES: list[tuple[Any, Any, Any]] = [
    ({"a": "b"}, {"a": "c"}, {"a": "c"}),
    ({"a": "b"}, {"b": "c"}, {"a": "b", "b": "c"}),
    ({"a": "b"}, {"a": None}, {}),
    ({"a": "b", "b": "c"}, {"a": None}, {"b": "c"}),
    ({"a": ["b"]}, {"a": "c"}, {"a": "c"}),
    ({"a": "c"}, {"a": ["b"]}, {"a": ["b"]}),
    ({"a": {"b": "c"}}, {"a": {"b": "d", "c": None}}, {"a": {"b": "d"}}),
    ({"a": [{"b": "c"}]}, {"a": [1]}, {"a": [1]}),
    (["a", "b"], ["c", "d"], ["c", "d"]),
    ({"a": "b"}, ["c"], ["c"]),
    ({"a": "foo"}, None, None),
    ({"a": "foo"}, "bar", "bar"),
    ({"e": None}, {"a": 1}, {"e": None, "a": 1}),
    ([1, 2], {"a": "b", "c": None}, {"a": "b"}),
    ({}, {"a": {"bb": {"ccc": None}}}, {"a": {"bb": {}}}),
]


@pytest.mark.parametrize(("original", "patch", "result"), RFC_7386_CASES)
def test_it_merges_as_rfc_7386_says(original: Any, patch: Any, result: Any) -> None:
    assert profile.merge_patch(original, patch) == result


def test_it_leaves_the_merged_documents_alone() -> None:
    original = {"a": {"b": [1, 2], "c": "d"}, "e": 1}
    patch = {"a": {"b": None, "f": {"g": 1}}, "e": None}
    before = copy.deepcopy((original, patch))

    result = profile.merge_patch(original, patch)
    result["a"]["f"]["g"] = 2

    assert result == {"a": {"c": "d", "f": {"g": 2}}}
    assert (original, patch) == before


def test_it_publishes_one_patch_per_modified_core_schema() -> None:
    patches = profile.profile_patches()

    assert sorted(patches) == [
        "location.json",
        "service.json",
        "service_area.json",
        "taxonomy_term.json",
    ]
    assert sorted(patches["service.json"]["properties"]) == sorted(DE_SERVICE_FIELDS)
    assert sorted(patches["location.json"]["properties"]) == [
        "area_official_key",
        "barrier_free",
        "confidential",
    ]
    assert sorted(patches["service_area.json"]["properties"]) == ["area_id", "area_official_key"]
    assert sorted(patches["taxonomy_term.json"]["properties"]) == ["translations"]
    # Only additions: no patch deletes anything or makes anything required.
    assert "null" not in json.dumps(patches)
    assert '"required": ["id"' not in json.dumps(patches)
    patches["service.json"].clear()
    assert profile.profile_patches()["service.json"]


def test_it_adds_the_extension_fields_to_the_core_schema() -> None:
    core = spec.core_schema("service")
    merged = profile.profile_schema("service.json")

    assert merged["required"] == core["required"] == ["id", "name", "status"]
    assert list(merged["properties"])[: len(core["properties"])] == list(core["properties"])
    assert merged["properties"]["phones"] == {**core["properties"]["phones"]}
    assert merged["properties"]["minimum_age_months"]["minimum"] == -9
    assert merged["properties"]["life_phases"]["items"]["enum"] == list(profile.LIFE_PHASE_CODES)
    assert merged["properties"]["cost_type"]["enum"] == list(profile.COST_TYPES)
    assert merged["properties"]["visibility"]["enum"] == list(profile.VISIBILITIES)


def test_it_gives_unmodified_schemas_back_as_the_core() -> None:
    assert profile.profile_schema("phone") == spec.core_schema("phone")
    assert set(profile.profile_schemas()) == {f"{name}.json" for name in spec.schema_names()}
    with pytest.raises(KeyError):
        profile.profile_schema("widget")


@pytest.mark.parametrize("name", spec.schema_names())
def test_every_merged_schema_is_valid_json_schema_2020_12(name: str) -> None:
    jsonschema.Draft202012Validator.check_schema(profile.profile_schema(name))


def test_the_life_phases_are_those_of_the_core_vocabulary() -> None:
    assert tuple(code for code, *_ in LIFE_PHASES) == profile.LIFE_PHASE_CODES


def test_a_service_with_de_fields_is_valid_for_the_profile_and_the_core() -> None:
    service = {**example("service_full.json"), **DE_SERVICE_FIELDS}
    service["service_areas"][0].update(
        area_official_key="15081", area_id="0b6b8f44-1d0f-4b53-9d0c-6a1d6f1a3c55"
    )
    service["service_at_locations"][0]["location"].update(
        confidential=True, barrier_free=False, area_official_key="150810455455"
    )

    assert schemas.validate(service, "service") == []
    assert schemas.validate(service, "service", profile=False) == []


def test_it_reports_bad_de_fields_only_under_the_profile() -> None:
    service = example("service_full.json")
    service.update(
        minimum_age_months=-10,
        maximum_age_months=2.5,
        life_phases=["age_0_1", "teen", "age_0_1"],
        cost_type="gratis",
        visibility="private",
        translations=[{"name": "Family midwife"}, {"language": "EN"}],
        topics=["not-a-uuid"],
    )
    service["service_areas"][0].update(area_official_key="1508", area_id="42")
    location = service["service_at_locations"][0]["location"]
    location.update(confidential="yes", barrier_free=1)

    assert schemas.validate(service, "service", profile=False) == []
    assert schemas.validate(service, "service") == [
        'service_areas[0].area_official_key: "1508" does not match'
        " ^(?:[0-9]{2}|[0-9]{3}|[0-9]{5}|[0-9]{8}|[0-9]{9}|[0-9]{12})$",
        'service_areas[0].area_id: "42" is not a valid uuid',
        'service_at_locations[0].location.confidential: expected boolean, got string "yes"',
        "service_at_locations[0].location.barrier_free: expected boolean, got number 1",
        "minimum_age_months: -10 is less than the minimum of -9",
        "maximum_age_months: expected integer, got number 2.5",
        "life_phases: the items are not unique",
        'life_phases[1]: "teen" is not one of '
        + ", ".join(f'"{code}"' for code in profile.LIFE_PHASE_CODES),
        'cost_type: "gratis" is not one of "free", "reduced", "fee"',
        'visibility: "private" is not one of "public", "professionals"',
        "translations[0].language: required property is missing",
        'translations[1].language: "EN" does not match ^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$',
        'topics[0]: "not-a-uuid" is not a valid uuid',
    ]


def test_a_taxonomy_term_can_carry_translations() -> None:
    term = {**example("taxonomy_term.json"), "translations": [{"language": "tr", "name": "x"}]}
    assert schemas.validate(term, "taxonomy_term") == []
    term["translations"] = [{"language": "tr", "name": 5}]
    assert schemas.validate(term, "taxonomy_term") == [
        "translations[0].name: expected string, got number 5"
    ]


def test_the_list_schemas_carry_the_patches_of_the_objects_they_inline() -> None:
    service_list = profile.profile_list_schema("service_list")
    sal_list = profile.profile_list_schema("service_at_location_list")

    assert "life_phases" in service_list["properties"]
    assert "life_phases" in sal_list["properties"]["service"]["properties"]
    assert "confidential" in sal_list["properties"]["location"]["properties"]
    assert profile.profile_list_schema("organization_list") == spec.list_schema("organization_list")


@pytest.mark.parametrize("key", ["15", "150", "15081", "15081455", "150815455", "150815455455"])
def test_it_accepts_the_official_area_keys_of_every_level(key: str) -> None:
    area = {"id": "381c64f1-a724-4884-9c21-ac96c21cca3e", "area_official_key": key}
    assert schemas.validate(area, "service_area") == []


def test_the_example_in_the_profile_documentation_is_valid() -> None:
    text = (ROOT / "docs" / "hsds-de-profile.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```json\n(.*?)```", text, flags=re.DOTALL)
    assert blocks
    for block in blocks:
        service = json.loads(block)
        assert schemas.validate(service, "service") == []


def test_the_profile_index_links_every_patch_and_schema() -> None:
    index = profile.profile_index(
        profile_url="https://example.org/t/demo/api/hsds/profile/",
        schema_url="https://example.org/t/demo/api/hsds/schema/",
    )

    assert index["version"] == profile.PROFILE_VERSION
    assert index["hsds_version"] == "3.0"
    assert index["uri"] == "https://example.org/t/demo/api/hsds/profile/"
    assert index["profile"]["service.json"] == (
        "https://example.org/t/demo/api/hsds/profile/service.json"
    )
    assert len(index["schema"]) == len(spec.schema_names())
    assert index["schema"]["phone.json"] == "https://example.org/t/demo/api/hsds/schema/phone.json"
    assert "Open Referral" in index["attribution"]
