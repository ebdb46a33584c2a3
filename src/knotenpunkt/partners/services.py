"""Writes for the partner register. Each one is atomic and audited.

Organisations and persons are protected by optimistic locking: an edit form carries the
``version`` it was loaded with, and a save against a newer version is refused instead of silently
overwriting a colleague's change.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.apps import apps
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from knotenpunkt.core import audit, hooks
from knotenpunkt.core.audit import Actor
from knotenpunkt.core.models import AuditEntry, LocalAuthority, User
from knotenpunkt.core.services import ServiceError
from knotenpunkt.partners import geocoding
from knotenpunkt.partners.models import (
    Affiliation,
    Consent,
    LocationSource,
    Organisation,
    Person,
    Profession,
    SavedFilter,
    Sector,
    Unit,
)

ORGANISATION_FIELDS = [
    "name",
    "legal_form",
    "street",
    "postcode",
    "city",
    "area",
    "latitude",
    "longitude",
    "phone",
    "email",
    "website",
    "notes",
]
ORGANISATION_M2M = ["sectors", "areas_served"]
PERSON_FIELDS = [
    "title",
    "first_name",
    "last_name",
    "profession",
    "functions",
    "phone",
    "mobile",
    "email",
    "notes",
    "purpose",
    "legal_basis",
]
UNIT_FIELDS = ["name", "kind", "parent", "phone", "email"]
#: Fields of a person that name or reach them; blanked on erasure, also in the audit log.
PERSONAL_FIELDS = [
    "title",
    "first_name",
    "last_name",
    "functions",
    "phone",
    "mobile",
    "email",
    "notes",
    "user",
]
ERASED_NAME = "Gelöschte Person"


def stale_error() -> ServiceError:
    return ServiceError(
        _(
            "Someone else changed this record in the meantime. Your changes were not saved; "
            "compare them with the current values below and save again if they still apply."
        ),
        code="stale",
    )


def _names(objects: Iterable[models.Model]) -> list[str]:
    return sorted(str(obj) for obj in objects)


def _check_tenant(local_authority_id: int, *objects: Any) -> None:
    for obj in objects:
        if obj is None:
            continue
        items = obj if isinstance(obj, list | tuple | set | models.QuerySet) else [obj]
        for item in items:
            if getattr(item, "local_authority_id", local_authority_id) != local_authority_id:
                raise ServiceError(_("A chosen entry belongs to another local authority."))


def _claim_version(model: type[Organisation] | type[Person], pk: int, expected: int) -> int:
    """Bumps the row's version if it is still ``expected``; refuses a stale edit otherwise."""
    changed = model.objects.filter(pk=pk, version=expected).update(
        version=F("version") + 1, updated_at=timezone.now()
    )
    if not changed:
        raise stale_error()
    return expected + 1


# --- Organisations ----------------------------------------------------------------------------


def _address(org: Organisation) -> str:
    town = " ".join(part for part in (org.postcode, org.city) if part)
    return ", ".join(part for part in (org.street, town) if part)


def locate_organisation(org: Organisation, *, previous: Mapping[str, Any] | None = None) -> None:
    """Sets ``org``'s position and its source: from the record, the geocoder, or the area.

    A position typed in (new, or changed from the stored one) counts as entered with the record.
    An automatic position is looked up again only when the address or area changed.
    """
    has_position = org.latitude is not None and org.longitude is not None
    if has_position:
        if previous is None:
            org.location_source = LocationSource.RECORD
            return
        moved = (org.latitude, org.longitude) != (previous["latitude"], previous["longitude"])
        if moved or previous["location_source"] == LocationSource.RECORD:
            org.location_source = LocationSource.RECORD
            return
        same_place = (
            all(previous[name] == getattr(org, name) for name in ("street", "postcode", "city"))
            and previous["area"] == org.area_id
        )
        if same_place:
            return
    address = _address(org)
    found = geocoding.geocode(address) if geocoding.geocoder_enabled() and address else None
    if found is not None:
        org.latitude, org.longitude = found
        org.location_source = LocationSource.GEOCODER
    elif org.area is not None and org.area.has_centre:
        org.latitude, org.longitude = org.area.latitude, org.area.longitude
        org.location_source = LocationSource.AREA
    else:
        org.latitude = org.longitude = None
        org.location_source = LocationSource.NONE


def organisation_create(
    *, actor: Actor, local_authority: LocalAuthority, **data: Any
) -> Organisation:
    """Creates an organisation with its sectors and areas served, and finds its position."""
    _check_tenant(local_authority.pk, data.get("area"), *(data.get(n) for n in ORGANISATION_M2M))
    org = Organisation(
        local_authority=local_authority,
        **{k: v for k, v in data.items() if k in ORGANISATION_FIELDS},
    )
    locate_organisation(org)
    org.full_clean()
    with transaction.atomic():
        org.save()
        changes: dict[str, list[Any]] = {}
        for name in ORGANISATION_M2M:
            if data.get(name):
                getattr(org, name).set(data[name])
                changes[name] = [None, _names(data[name])]
        entry = audit.log_create(actor=actor, instance=org)
        if changes:
            entry.changes.update(changes)
            entry.save(update_fields=["changes"])
    return org


def organisation_update(
    *, actor: Actor, organisation: Organisation, data: Mapping[str, Any], version: int
) -> tuple[Organisation, bool]:
    """Changes an organisation loaded at ``version``; refuses if someone saved in between.

    Returns the organisation and whether anything changed.
    """
    org = organisation
    _check_tenant(
        org.local_authority_id, data.get("area"), *(data.get(n) for n in ORGANISATION_M2M)
    )
    before = audit.snapshot(org, [*ORGANISATION_FIELDS, "location_source"])
    for name in ORGANISATION_FIELDS:
        if name in data:
            setattr(org, name, data[name])
    locate_organisation(org, previous=before)
    org.full_clean()
    old_m2m = {name: set(getattr(org, name).all()) for name in ORGANISATION_M2M if name in data}
    m2m_changes = {
        name: [_names(old), _names(data[name])]
        for name, old in old_m2m.items()
        if old != set(data[name])
    }
    fields_changed = audit.diff(before, audit.snapshot(org, before.keys()))
    if not fields_changed and not m2m_changes:
        return org, False
    with transaction.atomic():
        org.version = _claim_version(Organisation, org.pk, version)
        org.updated_at = timezone.now()
        org.save(update_fields=[*fields_changed, "version", "updated_at"])
        for name in m2m_changes:
            getattr(org, name).set(data[name])
        changes = {**fields_changed, **m2m_changes}
        audit.record(actor=actor, action=AuditEntry.Action.UPDATE, instance=org, changes=changes)
    return org, True


def organisation_delete(*, actor: Actor, organisation: Organisation) -> None:
    """Deletes an organisation with its units and affiliations (the people stay)."""
    with transaction.atomic():
        Unit.objects.filter(organisation=organisation).update(parent=None)
        audit.log_delete(actor=actor, instance=organisation)
        organisation.delete()


# --- Units ------------------------------------------------------------------------------------


def _check_unit_parent(unit: Unit, parent: Unit | None) -> None:
    if parent is None:
        return
    if parent.organisation_id != unit.organisation_id:
        raise ServiceError(_("A unit can only be part of a unit of the same organisation."))
    parents = dict(
        Unit.objects.filter(organisation_id=unit.organisation_id).values_list("pk", "parent_id")
    )
    current: int | None = parent.pk
    while current is not None:
        if current == unit.pk:
            raise ServiceError(_("A unit cannot lie inside itself."))
        current = parents.get(current)


def unit_create(*, actor: Actor, organisation: Organisation, **data: Any) -> Unit:
    """Adds a unit (Fachdienst, Team …) to an organisation, perhaps inside another unit."""
    unit = Unit(
        local_authority_id=organisation.local_authority_id,
        organisation=organisation,
        **{k: v for k, v in data.items() if k in UNIT_FIELDS},
    )
    _check_unit_parent(unit, unit.parent)
    unit.full_clean()
    with transaction.atomic():
        unit.save()
        audit.log_create(actor=actor, instance=unit)
    return unit


def unit_update(
    *, actor: Actor, unit: Unit, data: Mapping[str, Any], version: int
) -> tuple[Unit, bool]:
    """Changes a unit loaded at ``version``; refuses a parent outside its organisation or inside
    the unit itself, and an edit made while someone else saved the unit."""
    _check_unit_parent(unit, data.get("parent"))
    before = audit.snapshot(unit, UNIT_FIELDS)
    changed = [n for n in UNIT_FIELDS if n in data and getattr(unit, n) != data[n]]
    if not changed:
        return unit, False
    for name in changed:
        setattr(unit, name, data[name])
    unit.full_clean()
    with transaction.atomic():
        claimed = Unit.objects.filter(pk=unit.pk, version=version).update(version=F("version") + 1)
        if not claimed:
            raise stale_error()
        unit.version = version + 1
        unit.save(update_fields=changed)
        audit.log_update(actor=actor, instance=unit, before=before)
    return unit, True


def unit_delete(*, actor: Actor, unit: Unit) -> None:
    """Deletes a unit without sub-units; its people stay affiliated with the organisation."""
    if unit.children.exists():
        raise ServiceError(
            _("Move or delete the units inside “%(name)s” first.") % {"name": unit.name}
        )
    with transaction.atomic():
        audit.log_delete(actor=actor, instance=unit)
        unit.delete()


# --- Persons ----------------------------------------------------------------------------------


def person_create(*, actor: Actor, local_authority: LocalAuthority, **data: Any) -> Person:
    """Creates a person (a professional of the network)."""
    _check_tenant(local_authority.pk, data.get("profession"))
    person = Person(
        local_authority=local_authority,
        **{k: v for k, v in data.items() if k in [*PERSON_FIELDS, "user"]},
    )
    person.full_clean(validate_constraints=False)
    with transaction.atomic():
        person.save()
        audit.log_create(actor=actor, instance=person)
    return person


def person_update(
    *, actor: Actor, person: Person, data: Mapping[str, Any], version: int
) -> tuple[Person, bool]:
    """Changes a person loaded at ``version``; refuses if someone saved in between."""
    if person.is_erased:
        raise ServiceError(_("This person has been anonymised and cannot be edited."))
    _check_tenant(person.local_authority_id, data.get("profession"))
    before = audit.snapshot(person, PERSON_FIELDS)
    changed = [n for n in PERSON_FIELDS if n in data and getattr(person, n) != data[n]]
    if not changed:
        return person, False
    for name in changed:
        setattr(person, name, data[name])
    person.full_clean(validate_constraints=False)
    with transaction.atomic():
        person.version = _claim_version(Person, person.pk, version)
        person.updated_at = timezone.now()
        person.save(update_fields=[*changed, "version", "updated_at"])
        audit.log_update(actor=actor, instance=person, before=before)
    return person, True


def affiliation_add(
    *,
    actor: Actor,
    person: Person,
    organisation: Organisation,
    unit: Unit | None = None,
    position: str = "",
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> Affiliation:
    """Records that ``person`` works at ``organisation`` (and perhaps in one of its units)."""
    _check_tenant(person.local_authority_id, organisation, unit)
    if unit is not None and unit.organisation_id != organisation.pk:
        raise ServiceError(_("The unit belongs to another organisation."))
    if start and end and end < start:
        raise ServiceError(_("The end lies before the start."))
    affiliation = Affiliation(
        local_authority_id=person.local_authority_id,
        person=person,
        organisation=organisation,
        unit=unit,
        position=position,
        start=start,
        end=end,
    )
    with transaction.atomic():
        affiliation.save()
        audit.log_create(actor=actor, instance=affiliation)
        Person.objects.filter(pk=person.pk).update(updated_at=timezone.now())
    return affiliation


def affiliation_end(
    *, actor: Actor, affiliation: Affiliation, end: datetime.date | None = None
) -> Affiliation:
    """Ends an affiliation (today unless ``end`` is given)."""
    end = end or timezone.localdate()
    if affiliation.start and end < affiliation.start:
        raise ServiceError(_("The end lies before the start."))
    before = audit.snapshot(affiliation, ["end"])
    affiliation.end = end
    with transaction.atomic():
        affiliation.save(update_fields=["end"])
        audit.log_update(actor=actor, instance=affiliation, before=before)
        Person.objects.filter(pk=affiliation.person_id).update(updated_at=timezone.now())
    return affiliation


def affiliation_remove(*, actor: Actor, affiliation: Affiliation) -> None:
    """Deletes an affiliation entered by mistake (an ended one should be ended, not removed)."""
    with transaction.atomic():
        audit.log_delete(actor=actor, instance=affiliation)
        affiliation.delete()


def consent_record(
    *,
    actor: Actor,
    person: Person,
    given_on: datetime.date,
    method: str,
    scope: str = "",
) -> Consent:
    """Records a person's consent: when, how, what it covers, and who recorded it."""
    if person.is_erased:
        raise ServiceError(_("This person has been anonymised."))
    consent = Consent(
        local_authority_id=person.local_authority_id,
        person=person,
        given_on=given_on,
        method=method,
        recorded_by=actor if isinstance(actor, User) else None,
    )
    if scope:
        consent.scope = scope
    consent.full_clean()
    with transaction.atomic():
        consent.save()
        audit.log_create(actor=actor, instance=consent)
    return consent


def consent_withdraw(*, actor: Actor, consent: Consent, on: datetime.date | None = None) -> Consent:
    """Marks a consent as withdrawn (today unless ``on`` is given)."""
    if consent.withdrawn_on is not None:
        raise ServiceError(_("This consent was withdrawn already."))
    before = audit.snapshot(consent, ["withdrawn_on"])
    consent.withdrawn_on = on or timezone.localdate()
    with transaction.atomic():
        consent.save(update_fields=["withdrawn_on"])
        audit.log_update(actor=actor, instance=consent, before=before)
    return consent


# --- GDPR -------------------------------------------------------------------------------------


def _membership_model() -> type[models.Model] | None:
    try:
        return apps.get_model("bodies", "Membership")
    except LookupError:
        return None


def person_erase(*, actor: Actor, person: Person) -> Person:
    """Anonymises a person in place (GDPR Art. 17) while keeping counts right.

    Names become "Gelöschte Person", contact details, notes and the login link are emptied and
    consents deleted; affiliations, memberships and the profession stay. Earlier audit entries
    about the person (and their affiliations, consents and memberships) lose the personal values
    and the name in their label; the erasure itself is logged without any erased value.
    """
    if person.is_erased:
        raise ServiceError(_("This person has been anonymised already."))
    with transaction.atomic():
        related: dict[str, list[str]] = {
            Person._meta.label: [str(person.pk)],
            Consent._meta.label: [str(pk) for pk in person.consents.values_list("pk", flat=True)],
            Affiliation._meta.label: [
                str(pk) for pk in person.affiliations.values_list("pk", flat=True)
            ],
        }
        membership = _membership_model()
        if membership is not None:
            related[membership._meta.label] = [
                str(pk)
                for pk in membership.objects.filter(person=person).values_list("pk", flat=True)  # type: ignore[attr-defined]
            ]
        # Entries of affiliations, consents and memberships removed earlier still name the
        # person: they are found by the person id recorded in their changes.
        for entry in AuditEntry.objects.filter(
            object_type__in=[label for label in related if label != Person._meta.label]
        ).only("object_type", "object_id", "changes"):
            if person.pk in (entry.changes.get("person") or []):
                related[entry.object_type].append(entry.object_id)
        # Other apps blank what they hold (contacts, import rows) while the name is still known.
        hooks.erase_person_data(person)
        person.consents.all().delete()
        for name in PERSONAL_FIELDS:
            setattr(person, name, None if name == "user" else "")
        person.last_name = ERASED_NAME
        person.erased_at = timezone.now()
        person.version += 1
        person.updated_at = person.erased_at
        person.save(update_fields=[*PERSONAL_FIELDS, "erased_at", "version", "updated_at"])
        for label, ids in related.items():
            for entry in AuditEntry.objects.filter(object_type=label, object_id__in=ids):
                if label == Person._meta.label:
                    entry.changes = {
                        key: ([None, None] if key in PERSONAL_FIELDS else value)
                        for key, value in entry.changes.items()
                    }
                    entry.object_label = ERASED_NAME
                else:
                    entry.changes = {
                        key: ([None, None] if key == "person" else value)
                        for key, value in entry.changes.items()
                    }
                    entry.object_label = _("Entry about an anonymised person")
                entry.save(update_fields=["changes", "object_label"])
        audit.record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            instance=person,
            changes={"erased": [None, True]},
        )
    return person


# --- Vocabularies -----------------------------------------------------------------------------


def sector_create(
    *, actor: Actor, local_authority: LocalAuthority, name: str, code: str = ""
) -> Sector:
    """Adds a sector to the tenant's vocabulary."""
    name = name.strip()
    if Sector.objects.filter(local_authority=local_authority, name__iexact=name).exists():
        raise ServiceError(_("There is a sector of this name already."))
    sector = Sector(local_authority=local_authority, name=name, code=code.strip())
    sector.full_clean()
    with transaction.atomic():
        sector.save()
        audit.log_create(actor=actor, instance=sector)
    return sector


def sector_update(*, actor: Actor, sector: Sector, name: str, code: str = "") -> Sector:
    """Renames a sector (and changes its short name)."""
    name = name.strip()
    if Sector.objects.filter(name__iexact=name).exclude(pk=sector.pk).exists():
        raise ServiceError(_("There is a sector of this name already."))
    before = audit.snapshot(sector, ["name", "code"])
    sector.name, sector.code = name, code.strip()
    sector.full_clean()
    with transaction.atomic():
        sector.save(update_fields=["name", "code"])
        audit.log_update(actor=actor, instance=sector, before=before)
    return sector


def sector_delete(*, actor: Actor, sector: Sector) -> None:
    """Deletes a sector that no organisation and no profession uses."""
    organisations = sector.organisations.count()
    professions = sector.professions.count()
    if organisations or professions:
        uses = [
            ngettext("%(count)d organisation", "%(count)d organisations", count) % {"count": count}
            for count in [organisations]
            if count
        ] + [
            ngettext("%(count)d profession", "%(count)d professions", count) % {"count": count}
            for count in [professions]
            if count
        ]
        raise ServiceError(
            _("“%(name)s” is still in use by %(uses)s. Change those first.")
            % {"name": sector.name, "uses": ", ".join(uses)}
        )
    with transaction.atomic():
        audit.log_delete(actor=actor, instance=sector)
        sector.delete()


def profession_create(
    *, actor: Actor, local_authority: LocalAuthority, name: str, sector: Sector | None = None
) -> Profession:
    """Adds a profession to the tenant's vocabulary."""
    name = name.strip()
    _check_tenant(local_authority.pk, sector)
    if Profession.objects.filter(local_authority=local_authority, name__iexact=name).exists():
        raise ServiceError(_("There is a profession of this name already."))
    profession = Profession(local_authority=local_authority, name=name, sector=sector)
    profession.full_clean()
    with transaction.atomic():
        profession.save()
        audit.log_create(actor=actor, instance=profession)
    return profession


def profession_update(
    *, actor: Actor, profession: Profession, name: str, sector: Sector | None = None
) -> Profession:
    """Renames a profession or changes its usual sector."""
    name = name.strip()
    _check_tenant(profession.local_authority_id, sector)
    if Profession.objects.filter(name__iexact=name).exclude(pk=profession.pk).exists():
        raise ServiceError(_("There is a profession of this name already."))
    before = audit.snapshot(profession, ["name", "sector"])
    profession.name, profession.sector = name, sector
    profession.full_clean()
    with transaction.atomic():
        profession.save(update_fields=["name", "sector"])
        audit.log_update(actor=actor, instance=profession, before=before)
    return profession


def profession_delete(*, actor: Actor, profession: Profession) -> None:
    """Deletes a profession that no person has."""
    people = profession.people.count()
    if people:
        raise ServiceError(
            ngettext(
                "“%(name)s” is still the profession of %(count)d person. Change that first.",
                "“%(name)s” is still the profession of %(count)d people. Change those first.",
                people,
            )
            % {"name": profession.name, "count": people}
        )
    with transaction.atomic():
        audit.log_delete(actor=actor, instance=profession)
        profession.delete()


# --- Saved filters ----------------------------------------------------------------------------


def saved_filter_save(
    *, actor: User, local_authority: LocalAuthority, list_name: str, name: str, query: str
) -> SavedFilter:
    """Keeps a list's filter under a name for this user; the same name replaces the old one."""
    name = name.strip()
    if not name:
        raise ServiceError(_("Give the filter a name."))
    with transaction.atomic():
        saved, created = SavedFilter.objects.update_or_create(
            local_authority=local_authority,
            user=actor,
            list_name=list_name,
            name=name,
            defaults={"query": query[:1000]},
        )
        if created:
            audit.log_create(actor=actor, instance=saved)
    return saved


def saved_filter_delete(*, actor: User, saved_filter: SavedFilter) -> None:
    """Deletes one of the user's own saved filters."""
    if saved_filter.user_id != actor.pk:
        raise ServiceError(_("This is another user's filter."))
    with transaction.atomic():
        audit.log_delete(actor=actor, instance=saved_filter)
        saved_filter.delete()
