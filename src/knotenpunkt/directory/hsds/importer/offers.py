"""Writing an offer (HSDS service) with everything nested in it; the record writer."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from knotenpunkt.core.models import Area, LifePhase
from knotenpunkt.directory.hsds.importer.report import _Rejected
from knotenpunkt.directory.hsds.importer.values import (
    COST_OPTION_FIELDS,
    REQUIRED_DOCUMENT_FIELDS,
    SERVICE_AREA_FIELDS,
    SERVICE_FIELDS,
    JsonDict,
    _datetime,
    _field,
    _text,
    _uuid,
)
from knotenpunkt.directory.hsds.importer.writer import _Writer
from knotenpunkt.directory.hsds.serialize import (
    OPTIONAL_SERVICE_FIELDS,
    TOPIC_LINK_TYPE,
)
from knotenpunkt.directory.models import (
    CostOption,
    DirectoryContact,
    Funding,
    Language,
    Location,
    Phone,
    Program,
    RequiredDocument,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceTranslation,
    Taxonomy,
    TaxonomyTerm,
)
from knotenpunkt.partners.models import Organisation


class RecordWriter(_Writer):
    """Writes one record of any kind (see :meth:`write`)."""

    def write(self, kind: str, data: JsonDict) -> models.Model:
        if kind == "service":
            service, created = self.service(data, "")
            self.top_created = created
            return service
        if kind == "organization":
            org, created = self.organization(data, "")
            self.top_created = created
            return org
        if kind == "taxonomy_term":
            term, created = self.term(data, "")
            self.top_created = created
            return term
        taxonomy, created = self.taxonomy(data, "")
        self.top_created = created
        return taxonomy

    # -- services --

    def service(self, data: JsonDict, path: str) -> tuple[Service, bool]:
        where = path or "service"
        organisation: Organisation | None = None
        if isinstance(data.get("organization"), dict):
            organisation, _created = self.organization(
                data["organization"], f"{where}.organization"
            )
        elif data.get("organization_id") is not None:
            organisation = self._organisation_reference(
                data["organization_id"], f"{where}.organization_id", required=True
            )
        if organisation is None:
            raise _Rejected(
                _("%(field)s: an offer needs the organisation that provides it.") % {"field": where}
            )
        values = self._values(Service, SERVICE_FIELDS, data, path)
        self._optional_fields(Service, OPTIONAL_SERVICE_FIELDS, data, values, where)
        low, high = values["min_age_months"], values["max_age_months"]
        if low is not None and high is not None and high < low:
            raise _Rejected(
                _("%(field)s: maximum_age_months is below minimum_age_months.") % {"field": where}
            )
        program: Program | None = None
        if isinstance(data.get("program"), dict):
            program, _created = self.program(
                data["program"], f"{where}.program", {"organisation": organisation}
            )
        elif data.get("program_id") is not None:
            program = self._reference(
                Program, data["program_id"], f"{where}.program_id", required=False
            )
        values["organisation"] = organisation
        values["program"] = program
        modified = _datetime(data.get("last_modified"), _field(Service, "updated_at"), where)
        object_id = _uuid(data["id"])
        before_updates = self.updated
        service, created = self._upsert(Service, object_id, values)
        if not created and self.updated > before_updates:
            service.version += 1
            service.save(update_fields=["version"])
        if "life_phases" in data:
            self._life_phases(service, data["life_phases"])
        if "translations" in data:
            self._service_translations(service, data["translations"], where)
        self._children(data, "phones", where, Phone, "service", service, self.phone)
        self._children(data, "schedules", where, Schedule, "service", service, self.schedule)
        self._children(
            data, "service_areas", where, ServiceArea, "service", service, self.service_area
        )
        self._children(
            data,
            "service_at_locations",
            where,
            ServiceAtLocation,
            "service",
            service,
            self.service_at_location,
        )
        self._children(data, "languages", where, Language, "service", service, self.language)
        self._children(data, "funding", where, Funding, "service", service, self.funding)
        self._children(
            data, "cost_options", where, CostOption, "service", service, self.cost_option
        )
        self._children(
            data,
            "required_documents",
            where,
            RequiredDocument,
            "service",
            service,
            self.required_document,
        )
        self._children(data, "contacts", where, DirectoryContact, "service", service, self.contact)
        generic = self._service_topics(service, data, where)
        link_data = data if generic is None else {**data, "attributes": generic}
        self._links(service, "service", link_data, where)
        # Last: the nested writes must not count as an edit of the offer made now.
        stamp = modified or (timezone.now() if self.changes or created else service.updated_at)
        if service.updated_at != stamp:
            service.updated_at = stamp
            service.save(update_fields=["updated_at"])
        return service, created

    def _life_phases(self, service: Service, codes: list[str]) -> None:
        wanted = set(codes)
        current = {phase.code for phase in service.life_phases.all()}
        if wanted != current:
            service.life_phases.set(LifePhase.objects.filter(code__in=wanted))
            self.updated += 1

    def _service_translations(self, service: Service, items: list[JsonDict], where: str) -> None:
        wanted: dict[str, JsonDict] = {}
        for index, item in enumerate(items):
            language = self._translation_language(item, f"{where}.translations[{index}]")
            if language is not None:
                wanted[language] = item
        existing = {t.language: t for t in service.translations.all()}
        for language, translation in existing.items():
            if language not in wanted:
                translation.delete()
                self.removed += 1
        for language, item in wanted.items():
            values = {
                name: _text(
                    item.get(name),
                    _field(ServiceTranslation, name),
                    f"{where}.translations.{name}",
                )
                for name in ServiceTranslation.FIELDS
            }
            current = existing.get(language)
            if current is None:
                ServiceTranslation.objects.create(
                    local_authority=self.tenant, service=service, language=language, **values
                )
                self.created += 1
            elif any(getattr(current, k) != v for k, v in values.items()):
                for name, value in values.items():
                    setattr(current, name, value)
                current.save(update_fields=list(values))
                self.updated += 1

    def _service_topics(
        self, service: Service, data: JsonDict, where: str
    ) -> list[JsonDict] | None:
        """Topic attributes and the profile's ``topics`` become :attr:`Service.topics`.

        Returns the attributes that stay generic (None if the record has no attributes).
        """
        if "attributes" not in data and "topics" not in data:
            return None
        wanted: list[TaxonomyTerm] = []
        generic: list[JsonDict] = []
        for index, item in enumerate(data.get("attributes", [])):
            if item.get("link_type") != TOPIC_LINK_TYPE:
                generic.append(item)
                continue
            term = self._attribute_term(item, f"{where}.attributes[{index}]")
            if self._is_topic(term):
                if term not in wanted:
                    wanted.append(term)
            else:
                # Not our topic vocabulary: kept as the attribute it is.
                generic.append(item)
        for index, value in enumerate(data.get("topics", [])):
            listed = self._reference(
                TaxonomyTerm, value, f"{where}.topics[{index}]", required=False
            )
            if listed is not None and self._is_topic(listed):
                if listed not in wanted:
                    wanted.append(listed)
            elif listed is not None:
                self.note(
                    _("%(field)s is not a term of the topics; it was left out.")
                    % {"field": f"{where}.topics[{index}]"}
                )
        current = {term.pk for term in service.topics.all()}
        if current != {term.pk for term in wanted}:
            service.topics.set(wanted)
            self.updated += 1
        return generic if "attributes" in data else None

    def _is_topic(self, term: TaxonomyTerm) -> bool:
        if term.taxonomy_id is None:
            return False
        topics = self.state.topics()
        if topics is None:
            taxonomy = Taxonomy.objects.get(pk=term.taxonomy_id)
            taxonomy.is_topics = True
            taxonomy.save(update_fields=["is_topics"])
            self.state.adopt_topics(taxonomy)
            self.updated += 1
            self.note(
                _("The taxonomy %(name)s became this directory's topics.") % {"name": taxonomy.name}
            )
            return True
        return term.taxonomy_id == topics.pk

    def service_area(
        self, data: JsonDict, where: str, links: dict[str, models.Model]
    ) -> tuple[ServiceArea, bool]:
        values = self._values(ServiceArea, SERVICE_AREA_FIELDS, data, where)
        area: Area | None = None
        if data.get("area_id") is not None:
            area = Area.objects.filter(uuid=_uuid(data["area_id"])).first()
        if area is None and data.get("area_official_key") is not None:
            area = (
                Area.objects.filter(official_key=data["area_official_key"]).order_by("pk").first()
            )
        if area is None and (data.get("area_id") or data.get("area_official_key")):
            self.note(
                _(
                    "%(field)s: the catchment area is not a place of this directory; "
                    "it was left out."
                )
                % {"field": where}
            )
        values["area"] = area
        item, created = self._upsert(ServiceArea, _uuid(data["id"]), {**values, **links})
        self._links(item, "service_area", data, where)
        return item, created

    def service_at_location(
        self, data: JsonDict, where: str, links: dict[str, models.Model]
    ) -> tuple[ServiceAtLocation, bool]:
        location: Location | None = None
        if isinstance(data.get("location"), dict):
            location, _created = self.location(data["location"], f"{where}.location", {})
        else:
            location = self._reference(
                Location, data.get("location_id"), f"{where}.location_id", required=True
            )
        if location is None:
            raise _Rejected(_("%(field)s has no location.") % {"field": where})
        values: dict[str, Any] = {
            "description": _text(
                data.get("description"), _field(ServiceAtLocation, "description"), where
            ),
            "location": location,
            **links,
        }
        sal, created = self._upsert(ServiceAtLocation, _uuid(data["id"]), values)
        self._children(
            data, "contacts", where, DirectoryContact, "service_at_location", sal, self.contact
        )
        self._children(data, "phones", where, Phone, "service_at_location", sal, self.phone)
        self._children(
            data, "schedules", where, Schedule, "service_at_location", sal, self.schedule
        )
        self._links(sal, "service_at_location", data, where)
        return sal, created

    def cost_option(
        self, data: JsonDict, where: str, links: dict[str, models.Model]
    ) -> tuple[CostOption, bool]:
        values = self._values(CostOption, COST_OPTION_FIELDS, data, where)
        option, created = self._upsert(CostOption, _uuid(data["id"]), {**values, **links})
        self._links(option, "cost_option", data, where)
        return option, created

    def required_document(
        self, data: JsonDict, where: str, links: dict[str, models.Model]
    ) -> tuple[RequiredDocument, bool]:
        values = self._values(RequiredDocument, REQUIRED_DOCUMENT_FIELDS, data, where)
        document, created = self._upsert(RequiredDocument, _uuid(data["id"]), {**values, **links})
        self._links(document, "required_document", data, where)
        return document, created
