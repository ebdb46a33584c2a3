"""Export of the partner register and the network structure as ``.xlsx`` and ``.csv``.

Every text cell that a spreadsheet program would read as a formula (it begins with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return) is prefixed with an apostrophe, so that an exported
name like ``=HYPERLINK(…)`` stays text (OWASP "CSV injection").
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook

from knotenpunkt.bodies.models import Body, Membership
from knotenpunkt.partners.models import Organisation, Person

DANGEROUS_STARTS = ("=", "+", "-", "@", "\t", "\r")
DATASETS = ("organisations", "persons", "bodies", "memberships")
FORMATS = ("xlsx", "csv")


def neutralise(value: Any) -> Any:
    """``value`` as a safe cell: text that could start a formula gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float | datetime.date):
        return value
    text = str(value)
    if text.startswith(DANGEROUS_STARTS):
        return "'" + text
    return text


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: Iterable[Sequence[Any]]


def _phone(value: Any) -> str:
    """German numbers in national form ("03901 8400"): no leading "+" that needs escaping."""
    if not value:
        return ""
    number = getattr(value, "country_code", None)
    if number == 49 and getattr(value, "is_valid", lambda: False)():
        return str(value.as_national)
    return str(value)


def _joined(names: Iterable[str]) -> str:
    return ", ".join(sorted(names))


def organisations_table() -> Table:
    """All organisations of the tenant with their sectors (two queries)."""
    queryset = Organisation.objects.prefetch_related("sectors").order_by("name")

    def rows() -> Iterator[list[Any]]:
        for org in queryset:
            yield [
                org.name,
                org.get_legal_form_display() if org.legal_form else "",
                _joined(sector.name for sector in org.sectors.all()),
                org.street,
                org.postcode,
                org.city,
                _phone(org.phone),
                org.email,
                org.website,
                org.notes,
            ]

    return Table(
        _("Organisations"),
        [
            _("Organisation"),
            _("Legal form"),
            _("Sectors"),
            _("Street"),
            _("Postcode"),
            _("Town"),
            _("Phone"),
            _("E-mail"),
            _("Website"),
            _("Notes"),
        ],
        rows(),
    )


def persons_table() -> Table:
    """All people (not the anonymised ones) with profession and organisations (two queries)."""
    queryset = (
        Person.objects.filter(erased_at__isnull=True)
        .select_related("profession")
        .prefetch_related("affiliations__organisation")
        .order_by("last_name", "first_name")
    )

    def rows() -> Iterator[list[Any]]:
        for person in queryset:
            yield [
                person.title,
                person.first_name,
                person.last_name,
                person.profession.name if person.profession else "",
                person.functions,
                _joined({a.organisation.name for a in person.affiliations.all() if a.end is None}),
                _phone(person.phone),
                _phone(person.mobile),
                person.email,
            ]

    return Table(
        _("People"),
        [
            _("Title"),
            _("First name"),
            _("Last name"),
            _("Profession"),
            _("Functions"),
            _("Organisation"),
            _("Phone"),
            _("Mobile"),
            _("E-mail"),
        ],
        rows(),
    )


def bodies_table() -> Table:
    queryset = Body.objects.select_related("kind", "parent").order_by("name")

    def rows() -> Iterator[list[Any]]:
        for body in queryset:
            yield [
                body.name,
                body.kind.name,
                body.get_level_display(),
                body.parent.name if body.parent else "",
                body.meeting_rhythm,
                body.description,
            ]

    return Table(
        _("Bodies"),
        [_("Body"), _("Kind"), _("Level"), _("Part of"), _("Meeting rhythm"), _("Description")],
        rows(),
    )


def memberships_table() -> Table:
    queryset = Membership.objects.select_related("body", "person", "organisation").order_by(
        "body__name", "role"
    )

    def rows() -> Iterator[list[Any]]:
        for membership in queryset:
            yield [
                membership.body.name,
                membership.person.full_name if membership.person else "",
                membership.organisation.name if membership.organisation else "",
                membership.get_role_display(),
                membership.start,
                membership.end,
            ]

    return Table(
        _("Memberships"),
        [_("Body"), _("Person"), _("Organisation"), _("Role"), _("From"), _("Until")],
        rows(),
    )


TABLES = {
    "organisations": organisations_table,
    "persons": persons_table,
    "bodies": bodies_table,
    "memberships": memberships_table,
}


def write_xlsx(table: Table) -> bytes:
    """The table as an Excel workbook (write-only mode: rows stream, memory stays flat)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=table.title[:31])
    sheet.append([neutralise(header) for header in table.headers])
    for row in table.rows:
        sheet.append([neutralise(value) for value in row])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def write_csv(table: Table) -> bytes:
    """The table as CSV for German Excel: UTF-8 with BOM, separated by semicolons."""
    output = io.StringIO()
    writer = csv.writer(output, delimiter=";", lineterminator="\r\n")
    writer.writerow([neutralise(header) for header in table.headers])
    for row in table.rows:
        writer.writerow([_csv_value(neutralise(value)) for value in row])
    return ("\ufeff" + output.getvalue()).encode("utf-8")


def _csv_value(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value
