"""Reads for the partner register. Each runs a fixed number of queries, whatever the list size.

Search is a case-insensitive substring match over several fields for now; PostgreSQL full-text
search (``german`` configuration + trigram) and SQLite FTS5 come later behind one interface, as
docs/architecture.md describes.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from knotenpunkt.core import audit, hooks
from knotenpunkt.core.models import Area, AuditEntry, User
from knotenpunkt.core.text_search import field_contains, words_match
from knotenpunkt.partners.models import (
    Affiliation,
    Consent,
    Organisation,
    Person,
    Profession,
    SavedFilter,
    Sector,
    Unit,
)

ORGANISATION_SORTS = {
    "name": ["name"],
    "town": ["city", "name"],
    "changed": ["-updated_at", "name"],
}
PERSON_SORTS = {
    "name": ["last_name", "first_name"],
    "town": ["town", "last_name", "first_name"],
    "changed": ["-updated_at", "last_name"],
}


def membership_model() -> type[models.Model] | None:
    """The bodies app's Membership, if that app is installed (it is optional to this one)."""
    try:
        return apps.get_model("bodies", "Membership")
    except LookupError:
        return None


def contacts_installed() -> bool:
    """Whether the outreach app (contacts with partners) is installed; it is optional here."""
    return apps.is_installed("knotenpunkt.outreach")


def body_model() -> type[models.Model] | None:
    try:
        return apps.get_model("bodies", "Body")
    except LookupError:
        return None


def current_affiliations(on: datetime.date | None = None) -> Q:
    """Affiliations that have begun and not ended on ``on`` (today)."""
    day = on or timezone.localdate()
    return (Q(start__isnull=True) | Q(start__lte=day)) & (Q(end__isnull=True) | Q(end__gte=day))


def area_and_below(area: Area) -> list[int]:
    """The ids of ``area`` and every area inside it (one query)."""
    children: dict[int | None, list[int]] = {}
    for pk, parent in Area.objects.values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(pk)
    found, todo = [], [area.pk]
    while todo:
        current = todo.pop()
        if current in found:
            continue
        found.append(current)
        todo.extend(children.get(current, []))
    return found


@dataclass
class ListFilter:
    """What a list is narrowed and ordered by; all optional."""

    search: str = ""
    # The coordination's notes are searched for coordinators only.
    search_notes: bool = False
    sector: Sector | None = None
    profession: Profession | None = None
    area: Area | None = None
    body: models.Model | None = None
    # One of outreach.selectors.LAST_CONTACT_CHOICES ("" for any).
    last_contact: str = ""
    # Annotate ``last_contact`` (and allow sorting by it); off for network partners, who do not
    # see the coordination's contacts.
    with_last_contact: bool = True
    sort: str = "name"


LAST_CONTACT_SORTS = {"last_contact": False, "-last_contact": True}


def _last_contact(rows: QuerySet[Any], filters: ListFilter, sorts: dict[str, list[str]]) -> Any:
    """Annotates, filters and sorts ``rows`` by the last contact, if contacts are installed."""
    if not (filters.with_last_contact and contacts_installed()):
        return rows.order_by(*sorts.get(filters.sort, sorts["name"]))
    from knotenpunkt.outreach import selectors as contacts

    rows = contacts.with_last_contact(rows)
    if filters.last_contact:
        rows = contacts.filter_last_contact(rows, filters.last_contact)
    if filters.sort in LAST_CONTACT_SORTS:
        newest_first = LAST_CONTACT_SORTS[filters.sort]
        return rows.order_by(contacts.last_contact_order(newest_first=newest_first), *sorts["name"])
    return rows.order_by(*sorts.get(filters.sort, sorts["name"]))


def organisation_list(filters: ListFilter) -> QuerySet[Organisation]:
    """The current tenant's organisations, filtered and sorted, with sectors and head counts.

    Filters use subqueries rather than joins so that no row appears twice.
    """
    orgs = Organisation.objects.select_related("area").prefetch_related(
        Prefetch("sectors", queryset=Sector.objects.order_by("name"))
    )
    if filters.search:
        orgs = orgs.filter(
            words_match(
                filters.search,
                ["name", "email", "city", "street", "postcode"]
                + (["notes"] if filters.search_notes else []),
                extra=[
                    lambda word: Q(
                        pk__in=Unit.objects.filter(field_contains("name", word)).values(
                            "organisation"
                        )
                    )
                ],
            )
        )
    if filters.sector is not None:
        orgs = orgs.filter(
            pk__in=Organisation.sectors.through.objects.filter(sector=filters.sector).values(
                "organisation"
            )
        )
    if filters.profession is not None:
        orgs = orgs.filter(
            pk__in=Affiliation.objects.filter(current_affiliations())
            .filter(person__profession=filters.profession)
            .values("organisation")
        )
    if filters.area is not None:
        ids = area_and_below(filters.area)
        served = Organisation.areas_served.through.objects.filter(area__in=ids)
        orgs = orgs.filter(Q(area__in=ids) | Q(pk__in=served.values("organisation")))
    membership = membership_model()
    if filters.body is not None and membership is not None:
        members = membership.objects.filter(body=filters.body)  # type: ignore[attr-defined]
        orgs = orgs.filter(
            Q(pk__in=members.values("organisation"))
            | Q(
                pk__in=Affiliation.objects.filter(current_affiliations())
                .filter(person__in=members.values("person"))
                .values("organisation")
            )
        )
    people = (
        Affiliation.objects.filter(current_affiliations(), organisation=OuterRef("pk"))
        .order_by()
        .values("organisation")
        .annotate(n=Count("person", distinct=True))
        .values("n")
    )
    orgs = orgs.annotate(people_count=models.Subquery(people, output_field=models.IntegerField()))
    return _last_contact(orgs, filters, ORGANISATION_SORTS)


def person_list(filters: ListFilter) -> QuerySet[Person]:
    """The current tenant's persons, filtered and sorted, with their current organisations."""
    current = Affiliation.objects.filter(current_affiliations())
    town = (
        current.filter(person=OuterRef("pk"))
        .order_by("organisation__city")
        .values("organisation__city")[:1]
    )
    people = (
        Person.objects.select_related("profession")
        .prefetch_related(
            Prefetch(
                "affiliations",
                queryset=current.select_related("organisation", "unit").order_by(
                    "organisation__name"
                ),
                to_attr="current_affiliations",
            )
        )
        .annotate(town=models.Subquery(town))
    )
    if filters.search:
        people = people.filter(
            words_match(
                filters.search,
                ["last_name", "first_name", "email", "functions", "profession__name"],
                extra=[
                    lambda word: Q(
                        pk__in=Affiliation.objects.filter(
                            field_contains("organisation__name", word)
                            | field_contains("organisation__city", word)
                        ).values("person")
                    )
                ],
            )
        )
    if filters.profession is not None:
        people = people.filter(profession=filters.profession)
    if filters.sector is not None:
        in_sector = Organisation.sectors.through.objects.filter(sector=filters.sector)
        people = people.filter(
            Q(profession__sector=filters.sector)
            | Q(
                pk__in=current.filter(organisation__in=in_sector.values("organisation")).values(
                    "person"
                )
            )
        )
    if filters.area is not None:
        ids = area_and_below(filters.area)
        served = Organisation.areas_served.through.objects.filter(area__in=ids)
        people = people.filter(
            pk__in=current.filter(
                Q(organisation__area__in=ids) | Q(organisation__in=served.values("organisation"))
            ).values("person")
        )
    membership = membership_model()
    if filters.body is not None and membership is not None:
        members = membership.objects.filter(body=filters.body)  # type: ignore[attr-defined]
        people = people.filter(pk__in=members.values("person"))
    return _last_contact(people, filters, PERSON_SORTS)


# --- Access -----------------------------------------------------------------------------------


def person_of_user(user: User | Any) -> Person | None:
    """The person record linked to ``user``'s login in the current tenant, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Person.objects.filter(user=user, erased_at__isnull=True).first()


def own_organisation_ids(user: User | Any) -> set[int]:
    """The organisations of ``user``'s current affiliations in the current tenant."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(
        Affiliation.objects.filter(current_affiliations(), person__user=user).values_list(
            "organisation_id", flat=True
        )
    )


# --- Details ----------------------------------------------------------------------------------


@dataclass
class UnitNode:
    unit: Unit
    depth: int
    people: list[Affiliation] = field(default_factory=list)


def unit_tree(organisation: Organisation) -> list[UnitNode]:
    """An organisation's units as a depth-first list (one query)."""
    units = list(organisation.units.order_by("name"))
    children: dict[int | None, list[Unit]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    ordered: list[UnitNode] = []

    def walk(parent: int | None, depth: int) -> None:
        for unit in children.get(parent, []):
            ordered.append(UnitNode(unit, depth))
            walk(unit.pk, depth + 1)

    walk(None, 0)
    return ordered


@dataclass
class OrganisationDetail:
    organisation: Organisation
    units: list[UnitNode]
    current: list[Affiliation]
    former: list[Affiliation]
    sectors: list[Sector]
    areas_served: list[Area]
    memberships: list[Any]


def organisation_detail(organisation: Organisation) -> OrganisationDetail:
    """Everything an organisation's page shows, in a fixed number of queries."""
    today = timezone.localdate()
    affiliations = list(
        organisation.affiliations.select_related("person__profession", "unit").order_by(
            "person__last_name", "person__first_name"
        )
    )
    current = [
        a
        for a in affiliations
        if (a.end is None or a.end >= today) and (a.start is None or a.start <= today)
    ]
    former = [a for a in affiliations if a not in current]
    membership = membership_model()
    memberships: list[Any] = []
    if membership is not None:
        memberships = list(
            membership.objects.filter(organisation=organisation).select_related("body")  # type: ignore[attr-defined]
        )
    return OrganisationDetail(
        organisation=organisation,
        units=unit_tree(organisation),
        current=current,
        former=former,
        sectors=list(organisation.sectors.order_by("name")),
        areas_served=list(organisation.areas_served.order_by("name")),
        memberships=memberships,
    )


@dataclass
class PersonDetail:
    person: Person
    affiliations: list[Affiliation]
    consents: list[Consent]
    memberships: list[Any]


def person_detail(person: Person) -> PersonDetail:
    """Everything a person's page shows, in a fixed number of queries."""
    membership = membership_model()
    memberships: list[Any] = []
    if membership is not None:
        memberships = list(
            membership.objects.filter(person=person).select_related("body")  # type: ignore[attr-defined]
        )
    return PersonDetail(
        person=person,
        affiliations=list(
            person.affiliations.select_related("organisation", "unit").order_by(
                "-start", "organisation__name"
            )
        ),
        consents=list(person.consents.select_related("recorded_by")),
        memberships=memberships,
    )


def person_export(person: Person) -> dict[str, Any]:
    """Everything held about a person, as plain JSON-ready data (GDPR Art. 15 and 20).

    Includes the person's fields, affiliations, consents, memberships of bodies (if that app is
    installed) and the audit log entries about the person.
    """
    data: dict[str, Any] = {
        "person": {
            **audit.snapshot(person),
            "profession": person.profession.name if person.profession else None,
            "user": person.user.email if person.user else None,
            "legal_basis_label": str(person.get_legal_basis_display()),
        },
        "affiliations": [
            {
                "organisation": a.organisation.name,
                "unit": a.unit.name if a.unit else None,
                "position": a.position,
                "start": a.start.isoformat() if a.start else None,
                "end": a.end.isoformat() if a.end else None,
            }
            for a in person.affiliations.select_related("organisation", "unit")
        ],
        "consents": [
            {
                "given_on": c.given_on.isoformat(),
                "method": c.method,
                "scope": c.scope,
                "recorded_by": str(c.recorded_by) if c.recorded_by else None,
                "withdrawn_on": c.withdrawn_on.isoformat() if c.withdrawn_on else None,
            }
            for c in person.consents.select_related("recorded_by")
        ],
        "memberships": [
            {
                "body": str(m.body),
                "role": m.role,
                "start": m.start.isoformat() if m.start else None,
                "end": m.end.isoformat() if m.end else None,
            }
            for m in person_detail_memberships(person)
        ],
        **hooks.export_person_data(person),
        "audit_log": [
            {
                "at": e.at.isoformat(),
                "who": e.actor_label,
                "action": e.action,
                "object": e.object_type,
                "changes": e.changes,
            }
            for e in audit_entries_about(person)
        ],
        "exported_at": timezone.now().isoformat(),
    }
    return data


#: Models whose audit entries name a person through their ``person`` field.
PERSON_LINKED_LABELS = ("partners.Affiliation", "partners.Consent", "bodies.Membership")


def audit_entries_about(person: Person) -> list[AuditEntry]:
    """Audit entries about the person and about their affiliations, consents and memberships,
    including those of rows deleted since (found by the person id in their changes)."""
    own = AuditEntry.objects.filter(object_type=Person._meta.label, object_id=str(person.pk))
    linked = [
        entry
        for entry in AuditEntry.objects.filter(object_type__in=PERSON_LINKED_LABELS)
        if person.pk in (entry.changes.get("person") or [])
    ]
    return sorted([*own, *linked], key=lambda entry: (entry.at, entry.pk))


def person_detail_memberships(person: Person) -> list[Any]:
    membership = membership_model()
    if membership is None:
        return []
    return list(membership.objects.filter(person=person).select_related("body"))  # type: ignore[attr-defined]


def retention_years() -> int:
    from django.conf import settings

    return int(settings.PARTNERS_RETENTION_YEARS)


def retention_candidates(years: int | None = None) -> QuerySet[Person]:
    """Persons with no current affiliation or membership and no change for ``years`` years.

    A hint for the coordinator, who decides whether to erase them: nothing is erased by itself.
    """
    years = retention_years() if years is None else years
    cutoff = timezone.now() - datetime.timedelta(days=365 * years)
    people = Person.objects.filter(erased_at__isnull=True, updated_at__lt=cutoff).exclude(
        Exists(Affiliation.objects.filter(current_affiliations(), person=OuterRef("pk")))
    )
    membership = membership_model()
    if membership is not None:
        today = timezone.localdate()
        people = people.exclude(
            Exists(
                membership.objects.filter(  # type: ignore[attr-defined]
                    Q(end__isnull=True) | Q(end__gte=today), person=OuterRef("pk")
                )
            )
        )
    return people.select_related("profession").order_by("updated_at")


# --- Vocabularies and filters -----------------------------------------------------------------


def sectors_in_use() -> QuerySet[Sector]:
    """Sectors with how many organisations and professions use them."""
    return Sector.objects.annotate(
        organisation_count=Count("organisations", distinct=True),
        profession_count=Count("professions", distinct=True),
    ).order_by("name")


def professions_in_use() -> QuerySet[Profession]:
    """Professions with their usual sector and how many persons have them."""
    return (
        Profession.objects.select_related("sector")
        .annotate(person_count=Count("people"))
        .order_by("name")
    )


def saved_filters(user: User | Any, list_name: str) -> QuerySet[SavedFilter]:
    """The user's saved filters for one list."""
    return SavedFilter.objects.filter(user=user, list_name=list_name).order_by("name")
