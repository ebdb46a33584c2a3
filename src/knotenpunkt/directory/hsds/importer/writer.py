"""Writing one record: matching by HSDS id, creating or updating, unlinking what was left out.

The offer-specific part is :mod:`.offers`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from knotenpunkt.core.models import Area, LocalAuthority
from knotenpunkt.directory.hsds.importer.report import RecordOutcome, _Rejected
from knotenpunkt.directory.hsds.importer.values import (
    ACCESSIBILITY_FIELDS,
    ADDRESS_FIELDS,
    ATTRIBUTE_FIELDS,
    CONTACT_FIELDS,
    FUNDING_FIELDS,
    IDENTIFIER_FIELDS,
    LANGUAGE_FIELDS,
    LINKS,
    LOCATION_FIELDS,
    METADATA_FIELDS,
    ORGANIZATION_FIELDS,
    PHONE_FIELDS,
    PROGRAM_FIELDS,
    SCHEDULE_FIELDS,
    TAXONOMY_FIELDS,
    TERM_FIELDS,
    JsonDict,
    _field,
    _float,
    _has_field,
    _Spec,
    _text,
    _uuid,
)
from knotenpunkt.directory.hsds.serialize import (
    OPTIONAL_ORGANIZATION_FIELDS,
)
from knotenpunkt.directory.models import (
    GUIDE_LANGUAGES,
    Accessibility,
    Address,
    Attribute,
    DirectoryContact,
    Funding,
    Language,
    Location,
    Metadata,
    OrganizationIdentifier,
    Phone,
    Program,
    Schedule,
    Taxonomy,
    TaxonomyTerm,
    TaxonomyTermTranslation,
)
from knotenpunkt.partners.models import Organisation

ModelT = TypeVar("ModelT", bound=models.Model)

#: Namespace of the ids given to organisations whose HSDS id another tenant already uses.
ORGANISATION_REMAP_NAMESPACE = uuid.UUID("1b0f7a43-35a9-4f63-8a9e-5c2d4e8b7f60")

_GUIDE_LANGUAGE_CODES = frozenset(code for code, _label in GUIDE_LANGUAGES)
_SOURCE_LANGUAGE = "de"


# --- Writing ---------------------------------------------------------------------------------


class _TenantState:
    """What an import knows about the tenant across records (reset when a record fails)."""

    def __init__(self, tenant: LocalAuthority) -> None:
        self.tenant = tenant
        self._topics: Taxonomy | bool | None = False  # False: not looked up yet
        self._saved_topics: Taxonomy | bool | None = False

    def topics(self) -> Taxonomy | None:
        if self._topics is False:
            self._topics = Taxonomy.objects.filter(is_topics=True).first()
        return self._topics  # type: ignore[return-value]

    def adopt_topics(self, taxonomy: Taxonomy) -> None:
        self._topics = taxonomy

    def keep(self) -> None:
        self._saved_topics = self._topics

    def forget(self) -> None:
        self._topics = self._saved_topics


class _Writer:
    """Writes one record; counts what it created, updated and removed."""

    def __init__(self, state: _TenantState, outcome: RecordOutcome) -> None:
        self.state = state
        self.tenant = state.tenant
        self.outcome = outcome
        self.created = 0
        self.updated = 0
        self.removed = 0
        self.top_created = False
        self._seen: dict[tuple[type[models.Model], uuid.UUID], models.Model] = {}

    @property
    def changes(self) -> bool:
        return bool(self.created or self.updated or self.removed)

    def note(self, text: str) -> None:
        if text not in self.outcome.notes:
            self.outcome.notes.append(text)

    # -- generic --

    def _values(
        self, model: type[models.Model], specs: Sequence[_Spec], data: JsonDict, path: str
    ) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for spec in specs:
            where = f"{path}.{spec.key}" if path else spec.key
            values[spec.attr] = spec.convert(data.get(spec.key), _field(model, spec.attr), where)
        return values

    def _find(self, model: type[ModelT], object_id: uuid.UUID) -> ModelT | None:
        key = (model, object_id)
        if key in self._seen:
            return self._seen[key]  # type: ignore[return-value]
        found = model._default_manager.filter(uuid=object_id).first()
        if found is not None:
            self._seen[key] = found
        return found

    def _upsert(
        self,
        model: type[ModelT],
        object_id: uuid.UUID,
        values: Mapping[str, Any],
    ) -> tuple[ModelT, bool]:
        """Creates or updates the object with HSDS id ``object_id``; saves only what changed."""
        obj = self._find(model, object_id)
        if obj is None:
            obj = model(local_authority=self.tenant, uuid=object_id, **values)
            obj.save()
            self._seen[(model, object_id)] = obj
            self.created += 1
            return obj, True
        changed = []
        for name, value in values.items():
            attname = _field(model, name).attname
            current = getattr(obj, attname)
            new = value.pk if isinstance(value, models.Model) else value
            if current != new:
                setattr(obj, name, value)
                changed.append(name)
        if changed:
            obj.save(update_fields=changed)
            self.updated += 1
        return obj, False

    def _sync(
        self,
        model: type[models.Model],
        fk: str,
        parent: models.Model,
        keep: set[uuid.UUID],
    ) -> None:
        """Unlinks ``parent``'s children of ``model`` that the record left out."""
        stale = model._default_manager.filter(**{fk: parent}).exclude(uuid__in=keep)
        links = LINKS.get(model)
        for child in stale:
            if links is None or not _field(model, fk).null:
                child.delete()
                self.removed += 1
                continue
            setattr(child, fk, None)
            others = [name for name in links if getattr(child, f"{name}_id") is not None]
            in_use = isinstance(child, Location) and child.service_at_locations.exists()
            if others or in_use:
                child.save(update_fields=[fk])
                self.updated += 1
            else:
                child.delete()
                self.removed += 1

    def _children(
        self,
        data: JsonDict,
        key: str,
        path: str,
        model: type[models.Model],
        fk: str,
        parent: models.Model,
        write: Callable[[JsonDict, str, dict[str, models.Model]], tuple[models.Model, bool]],
    ) -> None:
        """Writes the list ``data[key]`` as children of ``parent`` (if the list is there)."""
        if key not in data:
            return
        keep: set[uuid.UUID] = set()
        for index, item in enumerate(data[key]):
            obj, _created = write(item, f"{path}{'.' if path else ''}{key}[{index}]", {fk: parent})
            keep.add(obj.uuid)  # type: ignore[attr-defined]
        self._sync(model, fk, parent, keep)

    def _links(self, obj: models.Model, entity: str, data: JsonDict, path: str) -> None:
        """The generic attributes and metadata of ``obj`` (where the record has the lists)."""
        object_id: uuid.UUID = obj.uuid  # type: ignore[attr-defined]
        if "attributes" in data:
            keep = set()
            for index, item in enumerate(data["attributes"]):
                attribute = self.attribute(item, f"{path}.attributes[{index}]", object_id, entity)
                keep.add(attribute.uuid)
            self._sync_generic(Attribute, "link_id", object_id, keep)
        if "metadata" in data:
            keep = set()
            for index, item in enumerate(data["metadata"]):
                entry = self.metadata(item, f"{path}.metadata[{index}]", object_id, entity)
                keep.add(entry.uuid)
            self._sync_generic(Metadata, "resource_id", object_id, keep)

    def _sync_generic(
        self, model: type[models.Model], key: str, object_id: uuid.UUID, keep: set[uuid.UUID]
    ) -> None:
        deleted, _counts = (
            model._default_manager.filter(**{key: object_id}).exclude(uuid__in=keep).delete()
        )
        self.removed += deleted

    def _reference(
        self, model: type[ModelT], value: Any, where: str, *, required: bool
    ) -> ModelT | None:
        if value is None:
            return None
        found = self._find(model, _uuid(value))
        if found is None:
            message = _("%(field)s refers to %(id)s, which is not in this directory.") % {
                "field": where,
                "id": value,
            }
            if required:
                raise _Rejected(message)
            self.note(message + " " + _("The link was left out."))
        return found

    def _optional_fields(
        self,
        model: type[models.Model],
        names: Sequence[str],
        data: JsonDict,
        values: dict[str, Any],
        where: str,
    ) -> None:
        for name in names:
            if _has_field(model, name):
                values[name] = _text(data.get(name), _field(model, name), f"{where}.{name}")
            elif data.get(name) not in (None, ""):
                self.note(
                    _("%(field)s is not kept: the directory has no such field.")
                    % {"field": f"{where}.{name}"}
                )

    # -- taxonomies --

    def taxonomy(self, data: JsonDict, path: str) -> tuple[Taxonomy, bool]:
        values = self._values(Taxonomy, TAXONOMY_FIELDS, data, path)
        taxonomy, created = self._upsert(Taxonomy, _uuid(data["id"]), values)
        self._links(taxonomy, "taxonomy", data, path or "taxonomy")
        return taxonomy, created

    def term(self, data: JsonDict, path: str) -> tuple[TaxonomyTerm, bool]:
        where = path or "taxonomy_term"
        values = self._values(TaxonomyTerm, TERM_FIELDS, data, path)
        taxonomy: Taxonomy | None = None
        if isinstance(data.get("taxonomy_detail"), dict):
            taxonomy, _created = self.taxonomy(data["taxonomy_detail"], f"{where}.taxonomy_detail")
        elif data.get("taxonomy_id") is not None:
            taxonomy = self._reference(
                Taxonomy, data["taxonomy_id"], f"{where}.taxonomy_id", required=False
            )
        values["taxonomy"] = taxonomy
        object_id = _uuid(data["id"])
        parent_id = data.get("parent_id")
        if parent_id is not None and _uuid(parent_id) == object_id:
            raise _Rejected(_("%(field)s: a term cannot be its own parent.") % {"field": where})
        values["parent"] = self._reference(
            TaxonomyTerm, parent_id, f"{where}.parent_id", required=False
        )
        term, created = self._upsert(TaxonomyTerm, object_id, values)
        if "translations" in data:
            self._term_translations(term, data["translations"], where)
        self._links(term, "taxonomy_term", data, where)
        return term, created

    def _term_translations(self, term: TaxonomyTerm, items: list[JsonDict], where: str) -> None:
        wanted: dict[str, JsonDict] = {}
        for index, item in enumerate(items):
            language = self._translation_language(item, f"{where}.translations[{index}]")
            if language is not None:
                wanted[language] = item
        existing = {t.language: t for t in term.translations.all()}
        for language, translation in existing.items():
            if language not in wanted:
                translation.delete()
                self.removed += 1
        for language, item in wanted.items():
            values = {
                "name": _text(item.get("name"), _field(TaxonomyTermTranslation, "name"), where),
                "description": _text(
                    item.get("description"),
                    _field(TaxonomyTermTranslation, "description"),
                    where,
                ),
            }
            current = existing.get(language)
            if current is None:
                TaxonomyTermTranslation.objects.create(
                    local_authority=self.tenant, term=term, language=language, **values
                )
                self.created += 1
            elif any(getattr(current, k) != v for k, v in values.items()):
                for name, value in values.items():
                    setattr(current, name, value)
                current.save(update_fields=list(values))
                self.updated += 1

    def _translation_language(self, item: JsonDict, where: str) -> str | None:
        language = str(item.get("language", ""))
        if language == _SOURCE_LANGUAGE:
            self.note(
                _("%(field)s: German is the source language; the entry was left out.")
                % {"field": where}
            )
            return None
        if language not in _GUIDE_LANGUAGE_CODES:
            self.note(
                _("%(field)s: the language %(language)s is not offered; the entry was left out.")
                % {"field": where, "language": language[:20]}
            )
            return None
        return language

    # -- attributes and metadata --

    def attribute(self, data: JsonDict, where: str, link_id: uuid.UUID, entity: str) -> Attribute:
        term = self._attribute_term(data, where)
        values = self._values(Attribute, ATTRIBUTE_FIELDS, data, where)
        values["link_entity"] = _text(
            data.get("link_entity") or entity, _field(Attribute, "link_entity"), where
        )
        if data.get("link_id") is not None and _uuid(data["link_id"]) != link_id:
            self.note(
                _("%(field)s.link_id differs from the object it is in; it was linked to that.")
                % {"field": where}
            )
        values["link_id"] = link_id
        values["taxonomy_term"] = term
        attribute, _created = self._upsert(Attribute, _uuid(data["id"]), values)
        return attribute

    def _attribute_term(self, data: JsonDict, where: str) -> TaxonomyTerm:
        if isinstance(data.get("taxonomy_term"), dict):
            nested, _created = self.term(data["taxonomy_term"], f"{where}.taxonomy_term")
            return nested
        term = self._reference(
            TaxonomyTerm, data.get("taxonomy_term_id"), f"{where}.taxonomy_term_id", required=True
        )
        if term is None:
            raise _Rejected(_("%(field)s has no taxonomy term.") % {"field": where})
        return term

    def metadata(self, data: JsonDict, where: str, resource_id: uuid.UUID, entity: str) -> Metadata:
        values = self._values(Metadata, METADATA_FIELDS, data, where)
        values["resource_type"] = values["resource_type"] or entity
        values["resource_id"] = resource_id
        entry, _created = self._upsert(Metadata, _uuid(data["id"]), values)
        return entry

    # -- organisations --

    def _organisation_id(self, value: Any) -> uuid.UUID:
        """The id an organisation is stored under here; another tenant may already use it."""
        hsds_id = _uuid(value)
        if Organisation.objects.filter(uuid=hsds_id).exists():
            return hsds_id
        if not Organisation.objects.with_scopes_disabled().filter(uuid=hsds_id).exists():
            return hsds_id
        mapped = uuid.uuid5(ORGANISATION_REMAP_NAMESPACE, f"{self.tenant.pk}:{hsds_id}")
        self.outcome.remapped[str(hsds_id)] = str(mapped)
        self.note(
            _(
                "The organisation id %(id)s is already used in another directory; "
                "it is stored here as %(stored)s."
            )
            % {"id": hsds_id, "stored": mapped}
        )
        return mapped

    def _organisation_reference(
        self, value: Any, where: str, *, required: bool
    ) -> Organisation | None:
        if value is None:
            return None
        hsds_id = _uuid(value)
        found = Organisation.objects.filter(uuid=hsds_id).first()
        if found is None:
            mapped = uuid.uuid5(ORGANISATION_REMAP_NAMESPACE, f"{self.tenant.pk}:{hsds_id}")
            found = Organisation.objects.filter(uuid=mapped).first()
            if found is not None:
                self.outcome.remapped[str(hsds_id)] = str(mapped)
        if found is None:
            message = _("%(field)s refers to %(id)s, which is not in this directory.") % {
                "field": where,
                "id": value,
            }
            if required:
                raise _Rejected(message)
            self.note(message + " " + _("The link was left out."))
        return found

    def organization(self, data: JsonDict, path: str) -> tuple[Organisation, bool]:
        where = path or "organization"
        values = self._values(Organisation, ORGANIZATION_FIELDS, data, path)
        self._optional_fields(Organisation, OPTIONAL_ORGANIZATION_FIELDS, data, values, where)
        object_id = self._organisation_id(data["id"])
        parent = self._organisation_reference(
            data.get("parent_organization_id"),
            f"{where}.parent_organization_id",
            required=False,
        )
        if parent is not None and parent.uuid == object_id:
            raise _Rejected(
                _("%(field)s: an organisation cannot be its own parent.") % {"field": where}
            )
        values["parent"] = parent
        before_updates = self.updated
        org, created = self._upsert(Organisation, object_id, values)
        if not created and self.updated > before_updates:
            # As an edit in the register would: other editors see that the record moved on.
            org.version += 1
            org.updated_at = timezone.now()
            org.save(update_fields=["version", "updated_at"])
        self._children(data, "funding", where, Funding, "organisation", org, self.funding)
        self._children(data, "contacts", where, DirectoryContact, "organisation", org, self.contact)
        self._children(data, "phones", where, Phone, "organisation", org, self.phone)
        self._children(data, "locations", where, Location, "organisation", org, self.location)
        self._children(data, "programs", where, Program, "organisation", org, self.program)
        self._children(
            data,
            "organization_identifiers",
            where,
            OrganizationIdentifier,
            "organisation",
            org,
            self.identifier,
        )
        self._links(org, "organization", data, where)
        return org, created

    def program(
        self, data: JsonDict, where: str, links: dict[str, models.Model]
    ) -> tuple[Program, bool]:
        values = self._values(Program, PROGRAM_FIELDS, data, where)
        organisation = links.get("organisation")
        if data.get("organization_id") is not None:
            organisation = (
                self._organisation_reference(
                    data["organization_id"],
                    f"{where}.organization_id",
                    required=organisation is None,
                )
                or organisation
            )
        if organisation is None:
            raise _Rejected(_("%(field)s has no organisation.") % {"field": where})
        values["organisation"] = organisation
        program, created = self._upsert(Program, _uuid(data["id"]), values)
        self._links(program, "program", data, where)
        return program, created

    def identifier(
        self, data: JsonDict, where: str, links: dict[str, models.Model]
    ) -> tuple[OrganizationIdentifier, bool]:
        values = self._values(OrganizationIdentifier, IDENTIFIER_FIELDS, data, where)
        identifier, created = self._upsert(
            OrganizationIdentifier, _uuid(data["id"]), {**values, **links}
        )
        self._links(identifier, "organization_identifier", data, where)
        return identifier, created

    def funding(
        self, data: JsonDict, where: str, links: dict[str, models.Model]
    ) -> tuple[Funding, bool]:
        values = self._values(Funding, FUNDING_FIELDS, data, where)
        funding, created = self._upsert(Funding, _uuid(data["id"]), {**values, **links})
        self._links(funding, "funding", data, where)
        return funding, created

    # -- contacts, phones, languages, schedules --

    def contact(
        self, data: JsonDict, where: str, links: dict[str, models.Model]
    ) -> tuple[DirectoryContact, bool]:
        values = self._values(DirectoryContact, CONTACT_FIELDS, data, where)
        contact, created = self._upsert(DirectoryContact, _uuid(data["id"]), {**values, **links})
        self._children(data, "phones", where, Phone, "contact", contact, self.phone)
        self._links(contact, "contact", data, where)
        return contact, created

    def phone(
        self, data: JsonDict, where: str, links: dict[str, models.Model]
    ) -> tuple[Phone, bool]:
        values = self._values(Phone, PHONE_FIELDS, data, where)
        phone, created = self._upsert(Phone, _uuid(data["id"]), {**values, **links})
        self._children(data, "languages", where, Language, "phone", phone, self.language)
        self._links(phone, "phone", data, where)
        return phone, created

    def language(
        self, data: JsonDict, where: str, links: dict[str, models.Model]
    ) -> tuple[Language, bool]:
        values = self._values(Language, LANGUAGE_FIELDS, data, where)
        language, created = self._upsert(Language, _uuid(data["id"]), {**values, **links})
        self._links(language, "language", data, where)
        return language, created

    def schedule(
        self, data: JsonDict, where: str, links: dict[str, models.Model]
    ) -> tuple[Schedule, bool]:
        values = self._values(Schedule, SCHEDULE_FIELDS, data, where)
        schedule, created = self._upsert(Schedule, _uuid(data["id"]), {**values, **links})
        self._links(schedule, "schedule", data, where)
        return schedule, created

    # -- locations --

    def location(
        self, data: JsonDict, where: str, links: dict[str, models.Model]
    ) -> tuple[Location, bool]:
        values = self._values(Location, LOCATION_FIELDS, data, where)
        latitude = _float(data.get("latitude"), _field(Location, "latitude"), where)
        longitude = _float(data.get("longitude"), _field(Location, "longitude"), where)
        if (latitude is None) != (longitude is None):
            raise _Rejected(
                _("%(field)s has only one of latitude and longitude.") % {"field": where}
            )
        if (
            latitude is not None
            and longitude is not None
            and (not -90 <= latitude <= 90 or not -180 <= longitude <= 180)
        ):
            self.note(
                _("%(field)s: the position %(lat)s, %(lon)s is not on earth; it was left out.")
                % {"field": where, "lat": latitude, "lon": longitude}
            )
            latitude = longitude = None
        values["latitude"], values["longitude"] = latitude, longitude
        organisation = links.get("organisation")
        if organisation is None and data.get("organization_id") is not None:
            organisation = self._organisation_reference(
                data["organization_id"], f"{where}.organization_id", required=False
            )
        object_id = _uuid(data["id"])
        existing = self._find(Location, object_id)
        if organisation is not None:
            values["organisation"] = organisation
        elif existing is None:
            values["organisation"] = None
        if "area_official_key" in data or existing is None:
            # Our places without an official key are not in HSDS: a record without the key
            # leaves the place of a location alone.
            values["area"] = self._area_for(data, where)
        location, created = self._upsert(Location, object_id, values)
        self._children(data, "languages", where, Language, "location", location, self.language)
        self._children(data, "addresses", where, Address, "location", location, self.address)
        self._children(
            data, "contacts", where, DirectoryContact, "location", location, self.contact
        )
        self._children(
            data, "accessibility", where, Accessibility, "location", location, self.accessibility
        )
        self._children(data, "phones", where, Phone, "location", location, self.phone)
        self._children(data, "schedules", where, Schedule, "location", location, self.schedule)
        self._links(location, "location", data, where)
        return location, created

    def _area_for(self, data: JsonDict, where: str) -> Area | None:
        key = data.get("area_official_key")
        if key is None:
            return None
        area = Area.objects.filter(official_key=key).order_by("pk").first()
        if area is None:
            self.note(
                _("%(field)s: no place with the official key %(key)s; it was left out.")
                % {"field": f"{where}.area_official_key", "key": key}
            )
        return area

    def address(
        self, data: JsonDict, where: str, links: dict[str, models.Model]
    ) -> tuple[Address, bool]:
        values = self._values(Address, ADDRESS_FIELDS, data, where)
        address, created = self._upsert(Address, _uuid(data["id"]), {**values, **links})
        self._links(address, "address", data, where)
        return address, created

    def accessibility(
        self, data: JsonDict, where: str, links: dict[str, models.Model]
    ) -> tuple[Accessibility, bool]:
        values = self._values(Accessibility, ACCESSIBILITY_FIELDS, data, where)
        item, created = self._upsert(Accessibility, _uuid(data["id"]), {**values, **links})
        self._links(item, "accessibility", data, where)
        return item, created
