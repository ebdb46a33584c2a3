"""Reading yearly area figures from CSV, as coordinators export them from Excel.

Two layouts are understood, with German or English headers:

* wide – one row per area and year, one column per indicator::

      Gebiet;Jahr;Quelle;Einwohner;Kinder 0-3;Geburten
      Salzwedel;2024;Statistisches Landesamt;23.456;612;198

* long – one row per figure::

      area,year,indicator,value,source
      Salzwedel,2024,population,23456,Statistisches Landesamt

Areas are found by official key (``AGS`` column), by a path (``Gardelegen / Letzlingen``) or by a
name that is unique in the tenant. Parsing never writes: it returns rows and, line by line, every
problem found. The import service writes only a file without problems.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from knotenpunkt.core.models import Area, Indicator

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 100_000

_HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "area": ("area", "gebiet", "ort", "name", "gemeinde", "sozialraum", "ortsteil"),
    "official_key": ("official_key", "ags", "gemeindeschlüssel", "gemeindeschluessel"),
    "year": ("year", "jahr"),
    "source": ("source", "quelle"),
    "indicator": ("indicator", "kennzahl", "merkmal"),
    "value": ("value", "wert", "anzahl"),
}

_INDICATOR_ALIASES: dict[str, tuple[str, ...]] = {
    Indicator.POPULATION: ("einwohner", "einwohnerinnen", "bevölkerung", "population"),
    Indicator.CHILDREN_0_3: ("kinder 0-3", "kinder 0 bis 3", "kinder unter 3", "0-3"),
    Indicator.CHILDREN_3_6: ("kinder 3-6", "kinder 3 bis 6", "3-6"),
    Indicator.CHILDREN_6_10: ("kinder 6-10", "kinder 6 bis 10", "6-10"),
    Indicator.CHILDREN_10_18: ("jugendliche 10-18", "kinder 10-18", "10-18"),
    Indicator.YOUNG_ADULTS_18_27: ("junge erwachsene 18-27", "18-27"),
    Indicator.BIRTHS: ("geburten", "births"),
    Indicator.SINGLE_PARENTS_SGB2: (
        "alleinerziehende sgb ii",
        "alleinerziehende im sgb ii",
        "alleinerziehende sgb2",
    ),
    Indicator.HOUSEHOLDS_SGB2_WITH_CHILDREN: (
        "bedarfsgemeinschaften mit kindern",
        "haushalte sgb ii mit kindern",
    ),
}

_THOUSANDS = re.compile(r"^\d{1,3}([. ]\d{3})+$")


def _normalise(text: str) -> str:
    return " ".join(text.strip().lower().replace("–", "-").replace("_", " ").split())


def _indicator_for(header: str) -> str | None:
    key = _normalise(header)
    for indicator, aliases in _INDICATOR_ALIASES.items():
        if key == _normalise(indicator) or key in aliases:
            return str(indicator)
    for indicator in Indicator:
        if key == _normalise(str(indicator.label)):
            return str(indicator)
    return None


@dataclass(frozen=True)
class FigureRow:
    line: int
    area: Area
    year: int
    indicator: str
    value: int
    source: str


@dataclass(frozen=True)
class Problem:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        where = _("line %(line)s") % {"line": self.line}
        if self.column:
            where += f", {self.column}"
        return f"{where}: {self.message}"


@dataclass
class ParseResult:
    rows: list[FigureRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)


class AreaLookup:
    """Finds a tenant's area by official key, by path "A / B" or by a unique name."""

    def __init__(self, areas: Iterable[Area]) -> None:
        self.by_id = {area.pk: area for area in areas}
        self.by_key: dict[str, Area] = {}
        self.by_name: dict[str, list[Area]] = defaultdict(list)
        for area in self.by_id.values():
            if area.official_key:
                self.by_key[area.official_key.strip()] = area
            self.by_name[_normalise(area.name)].append(area)

    def path(self, area: Area) -> list[str]:
        names = []
        current: Area | None = area
        while current is not None:
            names.append(_normalise(current.name))
            current = self.by_id.get(current.parent_id) if current.parent_id else None
        return list(reversed(names))

    def find(self, name: str, official_key: str) -> tuple[Area | None, str]:
        """The area and, if none, why not (in the user's language)."""
        if official_key:
            area = self.by_key.get(official_key.strip())
            if area is None:
                return None, _("No area has the official key “%(key)s”.") % {"key": official_key}
            return area, ""
        parts = [_normalise(part) for part in name.split("/") if part.strip()]
        if not parts:
            return None, _("The area is missing.")
        candidates = [
            area
            for area in self.by_name.get(parts[-1], [])
            if self.path(area)[-len(parts) :] == parts
        ]
        if not candidates:
            return None, _("There is no area “%(name)s”.") % {"name": name.strip()}
        if len(candidates) > 1:
            return None, _(
                "“%(name)s” is not unique; write it as a path (e.g. “Town / %(name)s”) "
                "or give the official key."
            ) % {"name": name.strip()}
        return candidates[0], ""


def decode(data: bytes) -> str:
    """Text from UTF-8 (with or without BOM) or, as older Excel writes it, Windows-1252."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _dialect(text: str) -> type[csv.Dialect] | csv.Dialect:
    sample = text[:4096]
    try:
        return csv.Sniffer().sniff(sample, delimiters=";,\t")
    except csv.Error:
        return csv.excel


def _parse_count(raw: str) -> int | None:
    text = raw.strip()
    if _THOUSANDS.match(text):
        text = text.replace(".", "").replace(" ", "")
    if not text.isdigit():
        return None
    return int(text)


def parse_figures_csv(data: bytes, areas: Iterable[Area]) -> ParseResult:
    """Parses a CSV file of figures against a tenant's areas; never raises on bad content."""
    result = ParseResult()
    if len(data) > MAX_BYTES:
        result.problems.append(Problem(0, "", _("The file is larger than 5 MB.")))
        return result
    text = decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), _dialect(text))
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        result.problems.append(Problem(1, "", _("The file is empty or not a CSV file.")))
        return result

    columns: dict[str, int] = {}
    indicator_columns: dict[int, str] = {}
    unknown: list[str] = []
    for index, title in enumerate(header):
        key = _normalise(title)
        if not key:
            continue
        role = next((name for name, aliases in _HEADER_ALIASES.items() if key in aliases), None)
        if role is not None and role not in columns:
            columns[role] = index
            continue
        indicator = _indicator_for(title)
        if indicator is not None:
            indicator_columns[index] = indicator
        else:
            unknown.append(title.strip())

    long_layout = "indicator" in columns and "value" in columns
    missing = [name for name in ("year", "source") if name not in columns]
    if "area" not in columns and "official_key" not in columns:
        missing.insert(0, "area")
    if not long_layout and not indicator_columns:
        missing.append("indicator")
    if missing:
        result.problems.append(
            Problem(1, "", _("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
        )
    if unknown:
        result.problems.append(
            Problem(1, "", _("Unknown columns: %(columns)s.") % {"columns": ", ".join(unknown)})
        )
    if result.problems:
        return result

    lookup = AreaLookup(areas)
    seen: dict[tuple[int, int, str], int] = {}

    def cell(row: list[str], name: str) -> str:
        index = columns.get(name)
        return row[index].strip() if index is not None and index < len(row) else ""

    line = 1
    try:
        for row in reader:
            line += 1
            if line - 1 > MAX_ROWS:
                result.problems.append(Problem(line, "", _("More than 100,000 rows.")))
                break
            if not any(value.strip() for value in row):
                continue
            area, why = lookup.find(cell(row, "area"), cell(row, "official_key"))
            if area is None:
                result.problems.append(Problem(line, _("area"), why))
                continue
            year_text = cell(row, "year")
            year = int(year_text) if year_text.isdigit() else 0
            if not 1990 <= year <= 2100:
                result.problems.append(
                    Problem(line, _("year"), _("“%(value)s” is not a year.") % {"value": year_text})
                )
                continue
            source = cell(row, "source")
            if not source:
                result.problems.append(Problem(line, _("source"), _("The source is missing.")))
                continue
            if len(source) > 300:
                result.problems.append(
                    Problem(line, _("source"), _("The source is longer than 300 characters."))
                )
                continue
            if long_layout:
                indicator = _indicator_for(cell(row, "indicator"))
                if indicator is None:
                    result.problems.append(
                        Problem(
                            line,
                            _("indicator"),
                            _("Unknown indicator “%(value)s”.") % {"value": cell(row, "indicator")},
                        )
                    )
                    continue
                pairs = [(indicator, cell(row, "value"), _("value"))]
            else:
                pairs = [
                    (indicator, row[index].strip() if index < len(row) else "", header[index])
                    for index, indicator in indicator_columns.items()
                ]
            for indicator, raw, column in pairs:
                if raw == "" and not long_layout:
                    continue
                value = _parse_count(raw)
                if value is None or value > 2_000_000_000:
                    result.problems.append(
                        Problem(
                            line,
                            column,
                            _("“%(value)s” is not a count (a whole number of 0 or more).")
                            % {"value": raw},
                        )
                    )
                    continue
                figure_key = (area.pk, year, indicator)
                if figure_key in seen:
                    result.problems.append(
                        Problem(
                            line,
                            column,
                            _("The same figure is already in line %(line)s.")
                            % {"line": seen[figure_key]},
                        )
                    )
                    continue
                seen[figure_key] = line
                result.rows.append(FigureRow(line, area, year, indicator, value, source))
    except csv.Error as error:
        result.problems.append(
            Problem(line, "", _("The file cannot be read as CSV: %(error)s") % {"error": error})
        )
    if not result.rows and not result.problems:
        result.problems.append(Problem(1, "", _("The file holds no figures.")))
    return result
