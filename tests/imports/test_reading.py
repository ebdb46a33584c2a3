"""Reading spreadsheets: formats, encodings, merged cells, title rows and the limits."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from knotenpunkt.imports import reading
from knotenpunkt.imports.mapping import is_header_word
from knotenpunkt.imports.reading import ReadError, find_header_row, read_table
from tests.imports.factories import MESSY_HEADER, messy_workbook, windows_csv


def test_it_reads_a_messy_workbook_with_merged_cells_filled() -> None:
    sheet = read_table(messy_workbook(), "partner.xlsx")
    assert sheet.kind == "xlsx"
    assert sheet.sheet_names == ["Partner 2024"]
    header = find_header_row(sheet.rows, is_header_word)
    assert sheet.rows[header] == MESSY_HEADER
    assert sheet.rows[header + 2][0] == "Gesundheitsamt Altmarkkreis"  # merged down
    assert sheet.rows[header + 1][6] == "6108"  # a number, as Excel keeps it
    assert any("merged" in note for note in sheet.notes)
    assert any("formulas" in note for note in sheet.notes)


def test_it_reads_windows_1252_with_semicolons() -> None:
    sheet = read_table(windows_csv(), "liste.csv")
    assert sheet.rows[2][1] == "Björn"
    assert sheet.rows[2][2] == "Schäfer"
    assert any("Windows-1252" in note for note in sheet.notes)
    assert find_header_row(sheet.rows, is_header_word) == 1


def test_it_reads_utf8_with_bom_and_commas() -> None:
    data = "\ufeffName,E-Mail\nÄrztin,a@example.org\n".encode()
    assert read_table(data, "x.csv").rows == [["Name", "E-Mail"], ["Ärztin", "a@example.org"]]


def test_it_flags_formula_text_in_csv() -> None:
    sheet = read_table(b"Name;Notiz\nA;=HYPERLINK(1)\n", "x.csv")
    assert sheet.rows[1][1] == "=HYPERLINK(1)"
    assert sheet.formula_cells == [(1, 1)]


def test_it_lets_the_user_pick_a_sheet() -> None:
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    first.title = "Leer"
    second = workbook.create_sheet("Daten")
    second.append(["Name", "Ort"])
    second.append(["A", "B"])
    third = workbook.create_sheet("Alt")
    third.append(["Einrichtung"])
    third.append(["X"])
    output = io.BytesIO()
    workbook.save(output)
    sheet = read_table(output.getvalue(), "x.xlsx")
    assert sheet.name == "Daten"
    assert sheet.sheet_names == ["Leer", "Daten", "Alt"]
    assert read_table(output.getvalue(), "x.xlsx", sheet="Alt").rows == [["Einrichtung"], ["X"]]


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "bild.png", "not a spreadsheet"),
        (b"PK\x03\x04garbage", "x.xlsx", "not a spreadsheet"),
        (b"", "x.csv", "empty"),
        (b";;;\n;;\n", "x.csv", "empty"),
        (b"Name;Ort\n\x81\x8d\x8f\x90\x9d;x\n", "x.csv", "encoding"),
    ],
)
def test_it_refuses_bad_files_with_a_message(data: bytes, name: str, message: str) -> None:
    with pytest.raises(ReadError, match=message):
        read_table(data, name)


def test_it_refuses_too_many_columns() -> None:
    data = (";".join(f"c{i}" for i in range(200)) + "\n").encode()
    with pytest.raises(ReadError, match="more than 100 columns"):
        read_table(data, "x.csv")


def test_it_refuses_a_huge_cell() -> None:
    data = b"Name;Notiz\nA;" + b"x" * (1024 * 1024) + b"\n"
    with pytest.raises(ReadError, match=r"more than 10\.000 characters"):
        read_table(data, "x.csv")


def test_it_refuses_too_many_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reading, "MAX_ROWS", 10)
    with pytest.raises(ReadError, match="more than 10 rows"):
        read_table(b"Name\n" + b"x\n" * 20, "x.csv")


def test_it_refuses_a_file_over_20_mb() -> None:
    with pytest.raises(ReadError, match="larger than 20 MB"):
        read_table(b"a;b\n" * (6 * 1024 * 1024), "x.csv")


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000), st.sampled_from(["x.csv", "x.xlsx", "x.xls", "x.ods", "x"]))
def test_arbitrary_bytes_never_crash(data: bytes, name: str) -> None:
    try:
        sheet = read_table(data, name)
    except ReadError as error:
        assert str(error)
    else:
        assert all(len(row) == sheet.width for row in sheet.rows)


_cell = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters=",\t"
    ),
    max_size=12,
).map(str.strip)


@settings(max_examples=150, deadline=None)
@given(
    st.integers(min_value=2, max_value=6).flatmap(
        lambda width: st.lists(
            st.lists(_cell, min_size=width, max_size=width), min_size=1, max_size=8
        )
    ),
    st.sampled_from(["utf-8-sig", "utf-8"]),
)
def test_a_table_written_as_csv_reads_back_equal(table: list[list[str]], encoding: str) -> None:
    output = io.StringIO()
    csv.writer(output, delimiter=";").writerows(table)
    expected = [row for row in table if any(row)]
    try:
        sheet = read_table(output.getvalue().encode(encoding), "t.csv")
    except ReadError:
        assert not expected
        return
    width = max(
        len(row) - next((i for i, c in enumerate(reversed(row)) if c), len(row)) for row in expected
    )
    assert [row for row in sheet.rows if any(row)] == [row[:width] for row in expected]


_word = st.sampled_from(
    ["Vorname", "Nachname", "E-Mail", "Telefon", "PLZ", "Ort", "Träger", "Beruf"]
)


@settings(max_examples=100, deadline=None)
@given(
    st.integers(min_value=0, max_value=5),
    st.lists(_word, min_size=3, max_size=8, unique=True),
    st.integers(min_value=1, max_value=10),
)
def test_the_header_row_is_found_under_title_rows(
    titles: int, header: list[str], rows: int
) -> None:
    width = len(header)
    table = [["Liste der Partner"] * width for _ in range(titles)]
    table.append(header)
    table += [[f"{r}{c}" if c % 2 else str(1000 + r) for c in range(width)] for r in range(rows)]
    assert find_header_row(table, is_header_word) == titles
