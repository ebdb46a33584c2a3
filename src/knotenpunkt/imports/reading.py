"""Reading spreadsheets as coordinators keep them: bytes and a file name in, a table of strings out.

Pure: no ORM, no settings. Understood are ``.xlsx``/``.xlsm``, ``.xls`` and ``.ods`` (through
calamine) and ``.csv``/``.txt`` (separated by ``;``, ``,`` or tabs; UTF-8 with or without BOM,
UTF-16 with BOM as Excel's "Unicode text", else Windows-1252).

Every refusal raises :class:`ReadError` with a message for the user; nothing is half-read.

* Merged cells: calamine gives the anchor's value only; :func:`read_table` copies it into every
  cell of the merged range, so that a column that groups rows by merging ("Träger" spanning five
  people) reads as if the value were repeated.
* Formulas: the value Excel last calculated is read (a file written by a program that never
  calculated it reads empty there). A CSV cell that starts with ``=`` is kept as text and flagged.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

MAX_BYTES = 20 * 1024 * 1024
MAX_COLUMNS = 100
MAX_ROWS = 50_000
MAX_CELL_CHARS = 10_000
HEADER_SEARCH_ROWS = 20

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
TEXT_SUFFIXES = (".csv", ".txt", ".tsv")
DELIMITERS = (";", ",", "\t")

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class ReadError(ValueError):
    """The file cannot be read as a table; ``str(error)`` is the message for the user."""


@dataclass
class Sheet:
    """One table read from a file: rows of stripped strings, all of the same width."""

    rows: list[list[str]]
    kind: str
    name: str = ""
    sheet_names: list[str] = field(default_factory=list)
    #: (row index, column index) of CSV cells that look like formulas.
    formula_cells: list[tuple[int, int]] = field(default_factory=list)
    #: Notes for the user about the reading (formulas, merged cells, encoding).
    notes: list[str] = field(default_factory=list)

    @property
    def width(self) -> int:
        return len(self.rows[0]) if self.rows else 0


def file_kind(data: bytes, filename: str) -> str:
    """``xlsx``, ``xls``, ``ods`` or ``csv`` from the content, checked against the file name."""
    name = filename.lower()
    if data.startswith(_ZIP_MAGIC):
        if name.endswith(".ods"):
            return "ods"
        return "xlsx"
    if data.startswith(_OLE_MAGIC):
        return "xls"
    if name.endswith(SPREADSHEET_SUFFIXES):
        # Named like a workbook, but not one: many ".xls" files from older programs are really
        # HTML or text; only text we can read as CSV is accepted.
        return "csv"
    return "csv"


def read_table(data: bytes, filename: str, sheet: str | None = None) -> Sheet:
    """Reads ``data`` (the uploaded file) as a table; raises :class:`ReadError` if it cannot.

    ``sheet`` picks a worksheet of a workbook by name; by default the first that is not empty.
    """
    if len(data) > MAX_BYTES:
        raise ReadError(
            _("The file is larger than %(size)s MB. Split it or remove unused sheets.")
            % {"size": MAX_BYTES // (1024 * 1024)}
        )
    if not data.strip():
        raise ReadError(_("The file is empty."))
    kind = file_kind(data, filename)
    result = _read_csv(data) if kind == "csv" else _read_workbook(data, kind, sheet)
    _check_limits(result.rows)
    result.rows = _rectangular(result.rows)
    if not result.rows:
        raise ReadError(_("The sheet is empty: no cell holds a value."))
    return result


def _check_limits(rows: Sequence[Sequence[str]]) -> None:
    if len(rows) > MAX_ROWS:
        raise ReadError(
            _("The sheet has more than %(max)s rows. Split it into several files.")
            % {"max": f"{MAX_ROWS:,}".replace(",", ".")}
        )
    for number, row in enumerate(rows, start=1):
        if len(row) > MAX_COLUMNS and any(cell for cell in row[MAX_COLUMNS:]):
            raise ReadError(
                _("Row %(row)s has more than %(max)s columns. Remove the columns you do not need.")
                % {"row": number, "max": MAX_COLUMNS}
            )
        for cell in row:
            if len(cell) > MAX_CELL_CHARS:
                raise ReadError(
                    _("A cell in row %(row)s holds more than %(max)s characters.")
                    % {"row": number, "max": f"{MAX_CELL_CHARS:,}".replace(",", ".")}
                )


def _rectangular(rows: list[list[str]]) -> list[list[str]]:
    """Drops empty rows at the end and empty columns at the right; pads rows to one width."""
    while rows and not any(rows[-1]):
        rows.pop()
    width = 0
    for row in rows:
        for index in range(len(row) - 1, -1, -1):
            if row[index]:
                width = max(width, index + 1)
                break
    width = min(width, MAX_COLUMNS)
    return [(row + [""] * (width - len(row)))[:width] for row in rows]


# --- CSV --------------------------------------------------------------------------------------


def decode_text(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the encoding used; raises :class:`ReadError` for binary data."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as error:
            raise ReadError(_("The file's encoding is broken (UTF-16).")) from error
    if b"\x00" in data:
        raise ReadError(
            _("This is not a spreadsheet. Upload an Excel file (.xlsx, .xls), .ods or .csv.")
        )
    try:
        text, encoding = data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        try:
            text, encoding = data.decode("cp1252"), "windows-1252"
        except UnicodeDecodeError as error:
            raise ReadError(
                _(
                    "The file's encoding is broken: it is neither UTF-8 nor Windows-1252. "
                    "Save it again as “CSV UTF-8”."
                )
            ) from error
    controls = len(_CONTROL.findall(text))
    if controls and controls * 100 > len(text):
        raise ReadError(
            _("This is not a spreadsheet. Upload an Excel file (.xlsx, .xls), .ods or .csv.")
        )
    return text, encoding


def sniff_delimiter(text: str) -> str:
    """The separator (``;``, ``,`` or tab) that splits the first lines most consistently.

    Each candidate parses the first 50 lines; the one whose most common field count (above one)
    covers the most lines wins; ties go to ``;`` (German Excel), then ``,``, then tab.
    """
    sample_lines = text.splitlines()[:50]
    sample = "\n".join(sample_lines)
    best, best_score = ";", (0.0, 0)
    for delimiter in DELIMITERS:
        try:
            counts = [
                len(row)
                for row in csv.reader(io.StringIO(sample), delimiter=delimiter)
                if any(cell.strip() for cell in row)
            ]
        except csv.Error:
            continue
        if not counts:
            continue
        common, times = Counter(counts).most_common(1)[0]
        if common < 2:
            continue
        score = (times / len(counts), common)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _read_csv(data: bytes) -> Sheet:
    text, encoding = decode_text(data)
    delimiter = sniff_delimiter(text)
    rows: list[list[str]] = []
    formula_cells: list[tuple[int, int]] = []
    # csv's own field limit (128 KiB) would raise on a huge cell; our limit is checked afterwards.
    csv.field_size_limit(MAX_BYTES + 1)
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            if len(rows) >= MAX_ROWS + 1:
                break
            cleaned = [cell.strip() for cell in row]
            for column, cell in enumerate(cleaned):
                if cell.startswith("=") and len(cell) > 1:
                    formula_cells.append((len(rows), column))
            rows.append(cleaned)
    except csv.Error as error:
        raise ReadError(_("The CSV file is malformed: %(error)s") % {"error": error}) from error
    notes = []
    if encoding == "windows-1252":
        notes.append(
            _("The file was read as Windows-1252 (ANSI), as older Excel versions save it.")
        )
    if formula_cells:
        notes.append(
            ngettext(
                "%(count)s cell looks like a formula (it starts with “=”); it is read as text. "
                "Save the file from Excel again to get its value.",
                "%(count)s cells look like formulas (they start with “=”); they are read as text. "
                "Save the file from Excel again to get their values.",
                len(formula_cells),
            )
            % {"count": len(formula_cells)}
        )
    return Sheet(rows=rows, kind="csv", formula_cells=formula_cells, notes=notes)


# --- workbooks --------------------------------------------------------------------------------


def cell_text(value: object) -> str:
    """A cell's value as the text a person sees: ``5.0`` as ``5``, dates as ``2024-03-01``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value).strip()


def _read_workbook(data: bytes, kind: str, wanted: str | None) -> Sheet:
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_object(io.BytesIO(data))
    except (CalamineError, ValueError, OSError) as error:
        raise ReadError(
            _("This is not a spreadsheet, or it is damaged or protected by a password.")
        ) from error
    except Exception as error:  # calamine raises plain exceptions for some broken files
        raise ReadError(_("This is not a spreadsheet, or it is damaged.")) from error
    try:
        names = list(workbook.sheet_names)
        if not names:
            raise ReadError(_("The workbook has no sheets."))
        if wanted is not None and wanted not in names:
            raise ReadError(_("The workbook has no sheet “%(name)s”.") % {"name": wanted})
        candidates = [wanted] if wanted is not None else names
        for name in candidates:
            sheet = workbook.get_sheet_by_name(name)
            if sheet.height > MAX_ROWS + HEADER_SEARCH_ROWS:
                raise ReadError(
                    _("The sheet has more than %(max)s rows. Split it into several files.")
                    % {"max": f"{MAX_ROWS:,}".replace(",", ".")}
                )
            if sheet.width > MAX_COLUMNS * 2:
                raise ReadError(
                    _(
                        "The sheet has more than %(max)s columns. "
                        "Remove the columns you do not need."
                    )
                    % {"max": MAX_COLUMNS}
                )
            values = sheet.to_python(skip_empty_area=False)
            rows = [[cell_text(value) for value in row] for row in values]
            if not any(any(row) for row in rows):
                continue
            merged = _fill_merged(rows, sheet.merged_cell_ranges or [])
            notes = []
            if merged:
                notes.append(
                    ngettext(
                        "%(count)s merged cell range was filled with its value.",
                        "%(count)s merged cell ranges were filled with their value.",
                        merged,
                    )
                    % {"count": merged}
                )
            if kind == "xlsx" and _has_formulas(data):
                notes.append(
                    _("The file contains formulas; the values Excel last calculated were read.")
                )
            return Sheet(rows=rows, kind=kind, name=name, sheet_names=names, notes=notes)
    except ReadError:
        raise
    except Exception as error:
        raise ReadError(_("This is not a spreadsheet, or it is damaged.")) from error
    finally:
        workbook.close()
    raise ReadError(_("The sheet is empty: no cell holds a value."))


def _fill_merged(
    rows: list[list[str]], ranges: list[tuple[tuple[int, int], tuple[int, int]]]
) -> int:
    """Copies each merged range's anchor value into the range; returns how many ranges."""
    filled = 0
    for (top, left), (bottom, right) in ranges:
        if top >= len(rows) or left >= len(rows[top]):
            continue
        value = rows[top][left]
        if not value:
            continue
        bottom = min(bottom, MAX_ROWS + HEADER_SEARCH_ROWS)
        right = min(right, MAX_COLUMNS * 2)
        while len(rows) <= bottom:
            rows.append([])
        for row in rows[top : bottom + 1]:
            if len(row) <= right:
                row.extend([""] * (right + 1 - len(row)))
            for column in range(left, right + 1):
                if not row[column]:
                    row[column] = value
        filled += 1
    return filled


def _has_formulas(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in archive.infolist():
                if not info.filename.startswith("xl/worksheets/") or info.file_size > MAX_BYTES * 5:
                    continue
                content = archive.read(info)
                if b"<f>" in content or b"<f " in content:
                    return True
    except (zipfile.BadZipFile, OSError, KeyError):
        return False
    return False


# --- the header row ---------------------------------------------------------------------------


def find_header_row(
    rows: Sequence[Sequence[str]], is_known: Callable[[str], bool] | None = None
) -> int:
    """The index of the header row among the first :data:`HEADER_SEARCH_ROWS` rows.

    A row scores three points per cell that ``is_known`` recognises as a header word, one per
    other distinct non-numeric text, and loses one per repeated value (a merged title row repeats
    its text across the columns). A header needs at least one row below it. Ties: the earliest.
    """
    best_index, best_score = 0, float("-inf")
    limit = min(len(rows) - 1, HEADER_SEARCH_ROWS) if len(rows) > 1 else 1
    for index in range(max(limit, 1)):
        row = [cell for cell in rows[index] if cell]
        if not row:
            continue
        distinct = set(row)
        score = float(len(row) - len(distinct)) * -1
        for cell in distinct:
            if is_known is not None and is_known(cell):
                score += 3
            elif not _looks_numeric(cell) and len(cell) <= 60:
                score += 1
        if score > best_score:
            best_index, best_score = index, score
    return best_index


def _looks_numeric(text: str) -> bool:
    return bool(re.fullmatch(r"[\d\s.,+/()-]+", text))
