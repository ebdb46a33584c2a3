"""Importing yearly figures from CSV: all or nothing, with every problem named by line."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django_scopes import scope
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knotenpunkt.core.figures_import import parse_figures_csv
from knotenpunkt.core.models import Area, AreaFigure, AuditEntry, Indicator, LocalAuthority
from tests.factories import AreaFactory, AreaFigureFactory

pytestmark = pytest.mark.django_db

WIDE = (
    "Gebiet;Jahr;Quelle;Einwohner;Kinder 0-3;Alleinerziehende SGB II\n"
    "Salzwedel;2024;Statistisches Landesamt;23.456;538;254\n"
    "Gardelegen / Letzlingen;2024;Statistisches Landesamt;1480;34;\n"
)


@pytest.fixture
def places(tenant: LocalAuthority) -> dict[str, Area]:
    salzwedel = AreaFactory(local_authority=tenant, name="Salzwedel")
    gardelegen = AreaFactory(local_authority=tenant, name="Gardelegen")
    letzlingen = AreaFactory(local_authority=tenant, name="Letzlingen", parent=gardelegen)
    return {"Salzwedel": salzwedel, "Gardelegen": gardelegen, "Letzlingen": letzlingen}


def upload(client: Client, tenant: LocalAuthority, text: str, encoding: str = "utf-8") -> str:
    response = client.post(
        f"/t/{tenant.slug}/areas/figures/import/",
        {"file": SimpleUploadedFile("zahlen.csv", text.encode(encoding), "text/csv")},
        follow=True,
    )
    assert response.status_code == 200
    return response.content.decode()


def test_it_imports_a_wide_excel_sheet(
    tenant: LocalAuthority, places: dict[str, Area], coordinator_client: Client
) -> None:
    html = upload(coordinator_client, tenant, WIDE)
    assert "5 new figures" in html
    with scope(local_authority=tenant):
        figures = {
            (f.area.name, f.indicator): f.value for f in AreaFigure.objects.select_related("area")
        }
        entry = AuditEntry.objects.get(action="import")
    assert figures == {
        ("Salzwedel", "population"): 23456,
        ("Salzwedel", "children_0_3"): 538,
        ("Salzwedel", "single_parents_sgb2"): 254,
        ("Letzlingen", "population"): 1480,
        ("Letzlingen", "children_0_3"): 34,
    }
    assert entry.changes["figures_created"] == [None, 5]


def test_it_reads_windows_1252_and_updates_existing_figures(
    tenant: LocalAuthority, places: dict[str, Area], coordinator_client: Client
) -> None:
    AreaFigureFactory(area=places["Salzwedel"], year=2024, value=1, source="alt")
    text = "Gebiet;Jahr;Quelle;Einwohner\nSalzwedel;2024;Schätzung Jugendamt;23456\n"
    html = upload(coordinator_client, tenant, text, encoding="cp1252")
    assert "0 new figures, 1 changed" in html
    with scope(local_authority=tenant):
        figure = AreaFigure.objects.get()
    assert (figure.value, figure.source) == (23456, "Schätzung Jugendamt")


def test_a_file_with_one_bad_row_writes_nothing_and_names_every_problem(
    tenant: LocalAuthority, places: dict[str, Area], coordinator_client: Client
) -> None:
    text = (
        "area,year,indicator,value,source\n"
        "Salzwedel,2024,population,23456,Amt\n"
        "Atlantis,2024,population,5,Amt\n"
        "Salzwedel,20x4,population,5,Amt\n"
        "Salzwedel,2023,births,-3,Amt\n"
        "Salzwedel,2023,unicorns,3,Amt\n"
        "Salzwedel,2024,population,1,Amt\n"
    )
    html = upload(coordinator_client, tenant, text)
    assert "Nothing was imported: 5 problems" in html
    assert "line 3, area: There is no area" in html
    assert "line 4, year" in html
    assert "line 5, value" in html
    assert "line 6, indicator: Unknown indicator" in html
    assert "is already in line 2" in html
    with scope(local_authority=tenant):
        assert not AreaFigure.objects.exists()
        assert not AuditEntry.objects.exists()


def test_an_ambiguous_name_asks_for_a_path(tenant: LocalAuthority) -> None:
    first = AreaFactory(local_authority=tenant, name="Kreis A")
    second = AreaFactory(local_authority=tenant, name="Kreis B")
    AreaFactory(local_authority=tenant, name="Neuendorf", parent=first)
    AreaFactory(local_authority=tenant, name="Neuendorf", parent=second)
    with scope(local_authority=tenant):
        areas = list(Area.objects.all())
    ambiguous = parse_figures_csv(b"area,year,source,population\nNeuendorf,2024,x,1\n", areas)
    assert "not unique" in str(ambiguous.problems[0])
    by_path = parse_figures_csv(
        b"area,year,source,population\nKreis B / Neuendorf,2024,x,1\n", areas
    )
    assert by_path.ok and by_path.rows[0].area.parent == second


def test_another_tenants_areas_are_never_matched(
    tenant: LocalAuthority, other_tenant: LocalAuthority, coordinator_client: Client
) -> None:
    AreaFactory(local_authority=other_tenant, name="Dortmund-Nord")
    html = upload(
        coordinator_client, tenant, "area,year,source,population\nDortmund-Nord,2024,x,1\n"
    )
    assert "There is no area" in html


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("Gebiet;Jahr\nSalzwedel;2024\n", "Missing columns: source, indicator"),
        ("area,year,source,population,colour\n", "Unknown columns: colour"),
        ("area,year,source,population\n", "holds no figures"),
    ],
)
def test_malformed_files_get_a_clear_message(
    tenant: LocalAuthority, places: dict[str, Area], text: str, message: str
) -> None:
    result = parse_figures_csv(text.encode(), list(places.values()))
    assert not result.ok
    assert message in " ".join(str(problem) for problem in result.problems)


counts = st.integers(min_value=0, max_value=10_000_000)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    values=st.dictionaries(
        st.tuples(st.sampled_from(["Salzwedel", "Gardelegen"]), st.integers(2000, 2030)),
        st.tuples(counts, counts),
        min_size=1,
        max_size=20,
    ),
    delimiter=st.sampled_from([",", ";", "\t"]),
)
def test_any_valid_table_parses_to_exactly_its_figures(
    places: dict[str, Area], values: dict[tuple[str, int], tuple[int, int]], delimiter: str
) -> None:
    lines = [delimiter.join(["area", "year", "source", "population", "births"])]
    for (name, year), (population, births) in values.items():
        lines.append(delimiter.join([name, str(year), "Quelle", str(population), str(births)]))
    result = parse_figures_csv("\n".join(lines).encode(), list(places.values()))
    assert result.ok, result.problems
    parsed = {(row.area.name, row.year, row.indicator): row.value for row in result.rows}
    expected = {}
    for (name, year), (population, births) in values.items():
        expected[(name, year, Indicator.POPULATION.value)] = population
        expected[(name, year, Indicator.BIRTHS.value)] = births
    assert parsed == expected


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=600) | st.text(max_size=600).map(str.encode))
def test_arbitrary_bytes_never_crash_the_parser(places: dict[str, Area], data: bytes) -> None:
    result = parse_figures_csv(data, list(places.values()))
    assert result.ok or result.problems


def test_the_command_imports_a_file_or_names_its_problems(
    tenant: LocalAuthority, places: dict[str, Area], tmp_path: Path
) -> None:
    good = tmp_path / "gut.csv"
    good.write_text(WIDE, encoding="utf-8")
    out = StringIO()
    call_command("import_figures", tenant.slug, str(good), stdout=out)
    assert "5 new" in out.getvalue()

    bad = tmp_path / "schlecht.csv"
    bad.write_text("area,year,source,population\nAtlantis,2024,x,1\n", encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_figures", tenant.slug, str(bad), stderr=err)
    assert "line 2, area" in err.getvalue()
    with pytest.raises(CommandError, match="no tenant"):
        call_command("import_figures", "nowhere", str(good))
