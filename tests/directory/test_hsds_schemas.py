"""HSDS validation: JSON objects, list items and tabular data packages (pure Python, no DB)."""

from __future__ import annotations

import copy
import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from knotenpunkt.directory.hsds import schemas

HSDS = Path(__file__).resolve().parents[2].parent / "shared" / "hsds" / "v3.0"
EXAMPLES = HSDS / "examples"

# Example file -> object schema it is an instance of.
OBJECT_EXAMPLES = {
    "service_full.json": "service",
    "organization_full.json": "organization",
    "service_at_location_full.json": "service_at_location",
    "location.json": "location",
    "taxonomy.json": "taxonomy",
    "taxonomy_term.json": "taxonomy_term",
}
# List example -> (validate_list_item name or None, object schema for whole-object lists).
LIST_EXAMPLES = {
    "service_list.json": ("service_list", None),
    "organization_list.json": ("organization_list", None),
    "service_at_location_list.json": ("service_at_location_list", None),
    "taxonomy_list.json": (None, "taxonomy"),
    "taxonomy_term_list.json": (None, "taxonomy_term"),
}

# The four foreign-key errors upstream's own example CSVs have in HSDS 3.0 (fixed in 3.1.1).
KNOWN_EXAMPLE_ERRORS = [
    "locations.csv: row 2, organization_id: foreign key 985e4a42-bd9f-4edc-911d-0243a4640aca"
    " not found in organizations.csv (id)",
    "contacts.csv: row 2, organization_id: foreign key ae67a707-5893-4225-b0b1-320ab9cb596b"
    " not found in organizations.csv (id)",
    "contacts.csv: row 2, service_at_location_id: foreign key"
    " 93eaf18d-1cd2-4ec7-bffb-3c9172ee5070 not found in service_at_location.csv (id)",
    "taxonomy_terms.csv: row 2, taxonomy_id: foreign key 07ff6aee-a219-438c-b694-d2fcb6c5373b"
    " not found in taxonomies.csv (id)",
]


def example(name: str) -> Any:
    return json.loads((EXAMPLES / name).read_text(encoding="utf-8"))


def example_package() -> dict[str, str]:
    return {path.name: path.read_text(encoding="utf-8") for path in (EXAMPLES / "csv").iterdir()}


def csv_text(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def replace_cell(text: str, column: str, value: str, row: int = 0) -> str:
    table = list(csv.reader(io.StringIO(text, newline="")))
    table[row + 1][table[0].index(column)] = value
    return csv_text(table)


# -- JSON objects ------------------------------------------------------------------------------


@pytest.mark.parametrize("profile", [True, False], ids=["de-profile", "core"])
@pytest.mark.parametrize("file_name", sorted(OBJECT_EXAMPLES))
def test_it_accepts_every_official_example_object(file_name: str, profile: bool) -> None:
    assert schemas.validate(example(file_name), OBJECT_EXAMPLES[file_name], profile=profile) == []


@pytest.mark.parametrize("profile", [True, False], ids=["de-profile", "core"])
@pytest.mark.parametrize("file_name", sorted(LIST_EXAMPLES))
def test_it_accepts_the_items_of_every_official_list_example(file_name: str, profile: bool) -> None:
    list_name, object_name = LIST_EXAMPLES[file_name]
    contents = example(file_name)["contents"]
    assert contents
    for item in contents:
        if list_name is not None:
            assert schemas.validate_list_item(item, list_name, profile=profile) == []
        else:
            assert object_name is not None
            assert schemas.validate(item, object_name, profile=profile) == []


def test_it_reports_a_broken_service_with_readable_messages() -> None:
    service = example("service_full.json")
    service["id"] = "not-a-uuid"
    service["status"] = "open"
    service["minimum_age"] = "12"
    del service["name"]
    service["phones"][0].pop("number")
    service["url"] = "http://exa mple.com"
    service["organization"]["email"] = 5

    assert schemas.validate(service, "service", profile=False) == [
        'id: "not-a-uuid" is not a valid uuid',
        'url: "http://exa mple.com" is not a valid uri',
        'status: "open" is not one of "active", "inactive", "defunct", "temporarily closed"',
        'minimum_age: expected number, got string "12"',
        "phones[0].number: required property is missing",
        "organization.email: expected string, got number 5",
        "name: required property is missing",
    ]


def test_it_gives_the_json_path_of_deeply_nested_problems() -> None:
    organization = example("organization_full.json")
    location = organization["locations"][0]
    location["phones"].append({"id": "8b0a3d4f-4b4d-4c9e-9f0a-1b2c3d4e5f60"})
    location["addresses"][0]["address_type"] = "home"

    messages = schemas.validate(organization, "organization")

    assert "locations[0].phones[1].number: required property is missing" in messages
    assert (
        'locations[0].addresses[0].address_type: "home" is not one of'
        ' "physical", "postal", "virtual"'
    ) in messages
    assert len(messages) == 2


def test_it_says_root_when_the_object_itself_is_wrong() -> None:
    assert schemas.validate([], "service") == ["(root): expected object, got array []"]
    assert schemas.validate({}, "taxonomy") == [
        "id: required property is missing",
        "name: required property is missing",
        "description: required property is missing",
    ]


def test_it_shortens_long_values_in_messages() -> None:
    messages = schemas.validate({"id": "x" * 500, "name": "n", "status": "active"}, "service")
    assert messages == [f'id: "{"x" * 58}… is not a valid uuid']


def test_it_checks_the_list_item_schemas() -> None:
    item = example("service_at_location_list.json")["contents"][0]
    item["location"]["location_type"] = "mobile"
    item["service"]["life_phases"] = ["adolescence"]

    messages = schemas.validate_list_item(item, "service_at_location_list")

    assert messages[0] == (
        'location.location_type: "mobile" is not one of "physical", "postal", "virtual"'
    )
    assert messages[1].startswith('service.life_phases[0]: "adolescence" is not one of')
    assert schemas.validate_list_item(item, "service_at_location_list", profile=False) == [
        messages[0]
    ]


def test_it_refuses_unknown_schema_names() -> None:
    with pytest.raises(KeyError):
        schemas.validate({}, "servce")
    with pytest.raises(KeyError):
        schemas.validate_list_item({}, "taxonomy")


def test_it_accepts_schema_names_with_or_without_json_suffix() -> None:
    service = example("service_full.json")
    assert schemas.validate(service, "service.json") == schemas.validate(service, "service") == []


def test_it_hands_out_copies_of_the_schemas() -> None:
    schema = schemas.load_schema("service")
    schema["properties"].clear()
    assert "name" in schemas.load_schema("service")["properties"]
    assert schemas.validate({"id": "x"}, "service") != []


@pytest.mark.parametrize(
    ("format_name", "good", "bad"),
    [
        ("uuid", "AC148810-d857-441c-9679-408f346de14b", "ac148810d857441c9679408f346de14b"),
        ("uri", "https://example.org/a%20b?x=1#y", "example.org/page"),
        ("uri", "mailto:info@example.org", "https://example.org/ä"),
        ("email", "info@example.org", "info at example.org"),
        ("date-time", "2023-03-15T10:30:45.123Z", "2023-03-15 10:30:45"),
        ("date-time", "2023-03-15T10:30:45+01:00", "2023-02-30T10:30:45Z"),
        ("date", "2024-02-29", "2023-02-29"),
        ("time", "10:00:00", "25:00:00"),
    ],
)
def test_it_checks_formats(format_name: str, good: str, bad: str) -> None:
    assert schemas.FORMAT_CHECKER.conforms(good, format_name)
    assert not schemas.FORMAT_CHECKER.conforms(bad, format_name)


# -- tabular data package ----------------------------------------------------------------------


def test_it_finds_exactly_the_known_foreign_key_errors_of_the_official_csv_example() -> None:
    assert schemas.validate_datapackage(example_package()) == KNOWN_EXAMPLE_ERRORS


def test_it_accepts_the_official_csv_example_once_its_foreign_keys_are_fixed() -> None:
    files = example_package()
    organization = "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610"
    files["locations.csv"] = replace_cell(files["locations.csv"], "organization_id", organization)
    files["contacts.csv"] = replace_cell(files["contacts.csv"], "organization_id", organization)
    files["contacts.csv"] = replace_cell(
        files["contacts.csv"], "service_at_location_id", "e94c9f38-1e8f-4564-91d4-d53501ab1765"
    )
    files["taxonomy_terms.csv"] = replace_cell(
        files["taxonomy_terms.csv"], "taxonomy_id", "5c4d79d7-cc55-470e-9f1f-8cad074e4892"
    )
    assert schemas.validate_datapackage(files) == []


def test_it_accepts_bytes_with_a_byte_order_mark() -> None:
    files: dict[str, str | bytes] = {
        name: "\ufeff".encode() + text.encode() for name, text in example_package().items()
    }
    assert schemas.validate_datapackage(files) == KNOWN_EXAMPLE_ERRORS


def test_it_checks_cells_types_formats_enums_and_required() -> None:
    files = example_package()
    services = files["services.csv"]
    services = replace_cell(services, "status", "open")
    services = replace_cell(services, "minimum_age", "twelve")
    services = replace_cell(services, "assured_date", "01.01.2005")
    services = replace_cell(services, "last_modified", "2023-03-15 10:30")
    services = replace_cell(services, "email", "nobody")
    services = replace_cell(services, "url", "www.example.com")
    services = replace_cell(services, "name", "")
    files["services.csv"] = services
    files["schedules.csv"] = replace_cell(files["schedules.csv"], "opens_at", "10 Uhr")

    messages = schemas.validate_datapackage(files)

    assert messages[:4] == [
        "services.csv: row 2, name: missing value",
        'services.csv: row 2, url: "www.example.com" is not a valid uri',
        'services.csv: row 2, email: "nobody" is not a valid email',
        'services.csv: row 2, status: "open" is not one of active, defunct, inactive,'
        " temporarily closed",
    ]
    assert messages[4:7] == [
        'services.csv: row 2, minimum_age: "twelve" is not a valid number',
        'services.csv: row 2, assured_date: "01.01.2005" is not a valid date',
        'services.csv: row 2, last_modified: "2023-03-15 10:30" is not a valid datetime',
    ]
    assert 'schedules.csv: row 2, opens_at: "10 Uhr" is not a valid time' in messages
    assert len(messages) == 8 + len(KNOWN_EXAMPLE_ERRORS)


def test_it_checks_primary_keys_and_unique_fields() -> None:
    files = example_package()
    rows = list(csv.reader(io.StringIO(files["taxonomies.csv"], newline="")))
    files["taxonomies.csv"] = csv_text([*rows, rows[1]])
    rows = list(csv.reader(io.StringIO(files["taxonomy_terms.csv"], newline="")))
    second = [*rows[1]]
    second[0] = "1d4a9e86-7b93-4b53-8f1e-8a5f43f0e6a1"
    files["taxonomy_terms.csv"] = csv_text([*rows, second])

    messages = schemas.validate_datapackage(files)

    assert 'taxonomy_terms.csv: row 3, code: "code" is not unique' in messages
    assert (
        "taxonomies.csv: row 3, id: duplicate primary key 5c4d79d7-cc55-470e-9f1f-8cad074e4892"
        in messages
    )


def test_it_checks_the_csv_header_against_the_official_field_list() -> None:
    files = example_package()
    rows = list(csv.reader(io.StringIO(files["funding.csv"], newline="")))
    files["funding.csv"] = csv_text([[row[0], row[2], row[1], row[3]] for row in rows])
    rows = list(csv.reader(io.StringIO(files["taxonomies.csv"], newline="")))
    files["taxonomies.csv"] = csv_text([[*row[:2], *row[3:]] for row in rows])

    messages = schemas.validate_datapackage(files)

    assert (
        "funding.csv: header differs from the official field list (columns out of order);"
        " expected: id,organization_id,service_id,source"
    ) in messages
    assert (
        "taxonomies.csv: header differs from the official field list (missing description);"
        " expected: id,name,description,uri,version"
    ) in messages
    assert "taxonomies.csv: required column description is missing" in messages


def test_it_checks_the_descriptor_and_the_file_list() -> None:
    files = example_package()
    descriptor = json.loads(files["datapackage.json"])
    descriptor["resources"][0]["path"] = "orgs.csv"
    descriptor["resources"].append({"name": "widgets", "path": "widgets.csv"})
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] != "funding"]
    descriptor["resources"][1]["schema"]["fields"].pop()
    files["datapackage.json"] = json.dumps(descriptor)
    files["notes.csv"] = "a,b\n1,2\n"
    del files["phones.csv"]

    messages = schemas.validate_datapackage(files)

    assert messages == [
        "notes.csv: not a file of an HSDS tabular data package",
        'datapackage.json: resources[0] (organization): path "orgs.csv" should be'
        ' "organizations.csv"',
        "datapackage.json: resources[1] (program): fields differ from the official descriptor",
        "phones.csv: missing (listed in datapackage.json)",
        'datapackage.json: resources[20]: "widgets" is not an HSDS resource',
        "funding.csv: not listed in datapackage.json",
        *KNOWN_EXAMPLE_ERRORS[:3],
        # languages.csv refers to the phone the package left out
        "languages.csv: row 2, phone_id: foreign key 1554f2e2-a373-45db-a3fa-9fc48a61c15e"
        " not found in phones.csv (id)",
        KNOWN_EXAMPLE_ERRORS[3],
    ]


def test_it_reports_a_missing_or_broken_descriptor() -> None:
    files = example_package()
    del files["datapackage.json"]
    assert schemas.validate_datapackage(files) == [
        "datapackage.json: missing",
        *KNOWN_EXAMPLE_ERRORS,
    ]
    files["datapackage.json"] = "{"
    assert schemas.validate_datapackage(files)[0].startswith("datapackage.json: not valid JSON")


def test_it_reports_rows_of_the_wrong_width_and_skips_blank_lines() -> None:
    files = example_package()
    files["taxonomies.csv"] += "\r\n5c4d79d7-cc55-470e-9f1f-8cad074e4893,name\r\n"
    messages = schemas.validate_datapackage(files)
    assert "taxonomies.csv: row 4: 2 cells, expected 5" in messages
    assert len(messages) == len(KNOWN_EXAMPLE_ERRORS) + 1


def test_it_treats_references_to_a_resource_left_out_as_unresolved() -> None:
    files = example_package()
    del files["taxonomies.csv"]
    descriptor = json.loads(files["datapackage.json"])
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] != "taxonomy"]
    files["datapackage.json"] = json.dumps(descriptor)
    assert schemas.validate_datapackage(files) == KNOWN_EXAMPLE_ERRORS


def test_it_stops_after_max_errors() -> None:
    header = schemas.tabular_fields("taxonomy")
    rows = [header] + [[f"bad-{i}", "n", "d", "", ""] for i in range(50)]
    descriptor = schemas.datapackage_descriptor()
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] == "taxonomy"]
    files = {"datapackage.json": json.dumps(descriptor), "taxonomies.csv": csv_text(rows)}

    messages = schemas.validate_datapackage(files, max_errors=10)

    assert len(messages) == 11
    assert messages[-1] == "more than 10 errors; stopped checking"


def test_it_hands_out_the_official_field_lists() -> None:
    assert schemas.tabular_fields("service_at_location") == [
        "id",
        "service_id",
        "location_id",
        "description",
    ]
    descriptor = schemas.datapackage_descriptor()
    descriptor["resources"].clear()
    assert len(schemas.datapackage_descriptor()["resources"]) == 21
    with pytest.raises(KeyError):
        schemas.tabular_fields("services")


def one_service_package(service_row: dict[str, str]) -> dict[str, str | bytes]:
    descriptor = schemas.datapackage_descriptor()
    descriptor["resources"] = [
        r for r in descriptor["resources"] if r["name"] in {"organization", "service"}
    ]
    organization = {
        "id": service_row["organization_id"],
        "name": "Landkreis",
        "description": "Jugendamt",
    }
    fields = {name: schemas.tabular_fields(name) for name in ("organization", "service")}
    return {
        "datapackage.json": json.dumps(descriptor),
        "organizations.csv": csv_text(
            [fields["organization"], [organization.get(c, "") for c in fields["organization"]]]
        ),
        "services.csv": csv_text(
            [fields["service"], [service_row.get(c, "") for c in fields["service"]]]
        ),
    }


service_rows = st.fixed_dictionaries(
    {
        "id": st.uuids().map(str),
        "organization_id": st.uuids().map(str),
        "name": st.text(min_size=1),
        "status": st.sampled_from(["active", "inactive", "defunct", "temporarily closed"]),
        "description": st.text(),
        "minimum_age": st.integers(0, 99).map(str) | st.floats(0, 99).map(repr),
        "assured_date": st.dates().map(str),
        "last_modified": st.datetimes().map(lambda value: value.isoformat(timespec="seconds")),
        "email": st.emails(),
    }
)


@settings(max_examples=60, deadline=None)
@given(row=service_rows)
def test_it_accepts_any_well_formed_service_row(row: dict[str, str]) -> None:
    assert schemas.validate_datapackage(one_service_package(row)) == []


@settings(max_examples=60, deadline=None)
@given(row=service_rows, bad=st.text().filter(lambda text: not schemas.is_uuid(text)))
def test_it_rejects_exactly_the_cell_that_is_not_a_uuid(row: dict[str, str], bad: str) -> None:
    broken = copy.deepcopy(row)
    broken["id"] = bad
    messages = schemas.validate_datapackage(one_service_package(broken))
    assert len(messages) == 1
    assert messages[0].startswith("services.csv: row 2, id: ")
