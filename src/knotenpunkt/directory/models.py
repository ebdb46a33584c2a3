"""The directory of offers for families, stored as the Open Referral HSDS 3.0 model.

Field by field, these models follow HSDS 3.0 (``directory/hsds/spec/v3.0/schema``): an
:class:`~knotenpunkt.partners.models.Organisation` of the partner register (one register, not two)
provides :class:`Service`\\ s, which are delivered at :class:`Location`\\ s through
:class:`ServiceAtLocation`; phones, contacts, schedules, languages, costs, service areas, taxonomy
terms (through :class:`Attribute`), metadata and the rest hang off them as HSDS says. Every HSDS
object keeps its HSDS ``id`` in ``uuid``, so data imported from another HSDS publisher keeps its
identifiers and exports round-trip.

What HSDS lacks lives in the German profile (``docs/hsds-de-profile.md``): age in months from
pregnancy (-9), life phases, topics, catchment by our :class:`~knotenpunkt.core.models.Area`,
cost type, visibility, confidential addresses, barrier-free access and translations
(:class:`ServiceTranslation`, :class:`TaxonomyTermTranslation`). Freshness is ours too: a person
verifies an offer (``assured_date`` in HSDS), partners propose changes as
:class:`ServiceRevision`\\ s that a coordinator approves, and the public reports errors
(:class:`ErrorReport`).
"""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from knotenpunkt.core.models import Area, LifePhase, TenantManager, tenant_fk, tenant_manager
from knotenpunkt.partners.models import Organisation, Person

#: Languages that offers may be translated into and the public guide speaks (BCP 47 codes).
GUIDE_LANGUAGES: list[tuple[str, Any]] = [
    ("de", _("German")),
    ("en", _("English")),
    ("tr", _("Turkish")),
    ("ar", _("Arabic")),
    ("uk", _("Ukrainian")),
    ("ru", _("Russian")),
]

#: Pregnancy starts nine months before birth: ages in months count from -9.
PREGNANCY_START_MONTHS = -9


def belongs_to(to: Any, related_name: str, verbose_name: Any) -> Any:
    """An optional owner of an HSDS child row (a phone of a service, a location, a contact …).

    HSDS lets many tables hang off one of several objects; each such link is optional and the
    row goes with its owner.
    """
    return models.ForeignKey(
        to,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name=related_name,
        verbose_name=verbose_name,
    )


class HsdsObject(models.Model):
    """Fields every stored HSDS object has: its tenant and its HSDS ``id``."""

    local_authority = tenant_fk()
    # The HSDS ``id``. Kept on import, so that identifiers survive a round trip.
    # Unique per tenant, not globally: two tenants may import the same publisher's feed.
    uuid = models.UUIDField(_("HSDS id"), default=uuid.uuid4, db_index=True, editable=False)

    class Meta:
        abstract = True
        constraints = [
            models.UniqueConstraint(
                fields=["local_authority", "uuid"], name="%(app_label)s_%(class)s_unique_id"
            )
        ]


# --- Settings per tenant --------------------------------------------------------------------


class DirectorySettings(models.Model):
    """How fresh a tenant wants its offers: when to remind, when to hide."""

    local_authority = models.OneToOneField(
        "core.LocalAuthority",
        on_delete=models.CASCADE,
        related_name="directory_settings",
        verbose_name=_("tenant"),
    )
    verify_interval_months = models.PositiveSmallIntegerField(
        _("verify offers every (months)"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(36)],
        help_text=_(
            "After this time the responsible contact is asked whether the offer is still correct."
        ),
    )
    hide_after_months = models.PositiveSmallIntegerField(
        _("hide unverified offers after (months)"),
        default=9,
        validators=[MinValueValidator(1), MaxValueValidator(48)],
        help_text=_("Offers not verified for this long disappear from the public guide."),
    )
    publisher_email = models.EmailField(_("publisher e-mail"), blank=True)

    objects: ClassVar[TenantManager[DirectorySettings]] = tenant_manager()

    class Meta:
        verbose_name = _("directory settings")
        verbose_name_plural = _("directory settings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hide_after_months__gt=models.F("verify_interval_months")),
                name="directory_hide_after_reminder",
            )
        ]

    def __str__(self) -> str:
        return str(self.local_authority)


# --- Taxonomies: topics and any imported vocabulary ------------------------------------------


class Taxonomy(HsdsObject):
    """An HSDS taxonomy. Each tenant's topics (``is_topics``) are one, editable by coordinators."""

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    uri = models.URLField(_("URI"), max_length=500, blank=True)
    version = models.CharField(_("version"), max_length=40, blank=True)
    is_topics = models.BooleanField(_("topics of this directory"), default=False)

    objects: ClassVar[TenantManager[Taxonomy]] = tenant_manager()

    class Meta(HsdsObject.Meta):
        verbose_name = _("taxonomy")
        verbose_name_plural = _("taxonomies")
        ordering = ["name"]
        constraints = [
            *HsdsObject.Meta.constraints,
            models.UniqueConstraint(
                fields=["local_authority"],
                condition=models.Q(is_topics=True),
                name="taxonomy_one_topic_taxonomy",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class TaxonomyTerm(HsdsObject):
    """An HSDS taxonomy term; in the topic taxonomy, a topic (Thema) such as "Stillförderung"."""

    taxonomy = belongs_to(Taxonomy, "terms", _("taxonomy"))
    code = models.CharField(_("code"), max_length=100, blank=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent term"),
    )
    language = models.CharField(_("language"), max_length=10, blank=True)
    term_uri = models.URLField(_("term URI"), max_length=500, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # A topic may say which term of a wider taxonomy it corresponds to (e.g. Open Eligibility).
    maps_to = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="mapped_from",
        verbose_name=_("corresponds to"),
    )
    life_phases = models.ManyToManyField(
        LifePhase, blank=True, related_name="+", verbose_name=_("usual life phases")
    )

    objects: ClassVar[TenantManager[TaxonomyTerm]] = tenant_manager()

    class Meta(HsdsObject.Meta):
        verbose_name = _("taxonomy term")
        verbose_name_plural = _("taxonomy terms")
        ordering = ["position", "name"]
        constraints = [
            *HsdsObject.Meta.constraints,
            models.UniqueConstraint(
                fields=["taxonomy", "code"],
                condition=~models.Q(code=""),
                name="taxonomy_term_unique_code",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class TaxonomyTermTranslation(models.Model):
    """A topic's name and description in another language than German (DE profile)."""

    local_authority = tenant_fk()
    term = models.ForeignKey(
        TaxonomyTerm, on_delete=models.CASCADE, related_name="translations", verbose_name=_("term")
    )
    language = models.CharField(_("language"), max_length=10, choices=GUIDE_LANGUAGES)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    objects: ClassVar[TenantManager[TaxonomyTermTranslation]] = tenant_manager()

    class Meta:
        verbose_name = _("term translation")
        verbose_name_plural = _("term translations")
        constraints = [
            models.UniqueConstraint(
                fields=["term", "language"], name="term_translation_one_per_language"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.term} ({self.language})"


# --- Programmes, organisation identifiers, funding --------------------------------------------


class Program(HsdsObject):
    """An HSDS program: a group of services an organisation runs under one name."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="hsds_programs",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=200)
    alternate_name = models.CharField(_("alternate name"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)

    objects: ClassVar[TenantManager[Program]] = tenant_manager()

    class Meta(HsdsObject.Meta):
        verbose_name = _("programme of services")
        verbose_name_plural = _("programmes of services")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OrganizationIdentifier(HsdsObject):
    """A third-party identifier of an organisation (register number, charity number …)."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="hsds_identifiers",
        verbose_name=_("organisation"),
    )
    identifier_scheme = models.CharField(_("scheme"), max_length=100, blank=True)
    identifier_type = models.CharField(_("type"), max_length=100)
    identifier = models.CharField(_("identifier"), max_length=200)

    objects: ClassVar[TenantManager[OrganizationIdentifier]] = tenant_manager()

    class Meta(HsdsObject.Meta):
        verbose_name = _("organisation identifier")
        verbose_name_plural = _("organisation identifiers")
        ordering = ["identifier_type"]

    def __str__(self) -> str:
        return f"{self.identifier_type}: {self.identifier}"


# --- Services -----------------------------------------------------------------------------


class Service(HsdsObject):
    """An offer for families (Angebot): HSDS ``service`` with the German profile's fields."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        INACTIVE = "inactive", _("inactive")
        DEFUNCT = "defunct", _("ended")
        TEMPORARILY_CLOSED = "temporarily closed", _("temporarily closed")

    class CostType(models.TextChoices):
        FREE = "free", _("free of charge")
        REDUCED = "reduced", _("reduced fee possible")
        FEE = "fee", _("fee")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("public")
        PROFESSIONALS = "professionals", _("professionals only")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="services", verbose_name=_("provider")
    )
    program = models.ForeignKey(
        Program,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="services",
        verbose_name=_("programme of services"),
    )
    # German is the source language of the text fields; see ServiceTranslation for others.
    name = models.CharField(_("name"), max_length=250)
    alternate_name = models.CharField(_("alternate name"), max_length=250, blank=True)
    description = models.TextField(_("description"), blank=True)
    url = models.URLField(_("web page"), max_length=500, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    interpretation_services = models.TextField(_("interpretation services"), blank=True)
    application_process = models.TextField(_("how to get it"), blank=True)
    fees_description = models.TextField(_("costs (details)"), blank=True)
    accreditations = models.TextField(_("accreditations"), blank=True)
    eligibility_description = models.TextField(_("who it is for"), blank=True)
    # HSDS ages in years (numbers); kept as published when imported. Our own ages are in months.
    minimum_age = models.DecimalField(
        _("minimum age (years)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    maximum_age = models.DecimalField(
        _("maximum age (years)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    alert = models.TextField(_("short-term notice"), blank=True)
    wait_time = models.TextField(_("waiting time"), blank=True)
    # HSDS 3.0 keeps ``fees`` beside ``fees_description`` (deprecated there, kept for round trips).
    fees = models.TextField(_("fees (HSDS 3.0)"), blank=True)
    licenses = models.TextField(_("licences"), blank=True)
    # DE profile: age of the child in months, from pregnancy (-9); both bounds inclusive.
    min_age_months = models.SmallIntegerField(
        _("from age (months)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(PREGNANCY_START_MONTHS)],
        help_text=_("-9 is the start of pregnancy, 0 is birth."),
    )
    max_age_months = models.SmallIntegerField(
        _("up to age (months)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(PREGNANCY_START_MONTHS)],
    )
    life_phases = models.ManyToManyField(
        LifePhase, blank=True, related_name="+", verbose_name=_("life phases")
    )
    topics = models.ManyToManyField(
        TaxonomyTerm, blank=True, related_name="services", verbose_name=_("topics")
    )
    cost_type = models.CharField(
        _("costs"), max_length=10, choices=CostType.choices, default=CostType.FREE
    )
    visibility = models.CharField(
        _("visible to"), max_length=15, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    # Freshness. ``last_verified_at`` is HSDS ``assured_date``: a person confirmed the offer;
    # ``updated_at`` only says someone edited it.
    last_verified_at = models.DateTimeField(_("last verified"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    assurer_email = models.EmailField(_("verified by (e-mail)"), blank=True)
    responsible = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="responsible_for_services",
        verbose_name=_("responsible contact"),
        help_text=_("Receives the reminders to verify this offer."),
    )
    reminder_sent_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("last edited"), default=timezone.now, editable=False)

    objects: ClassVar[TenantManager[Service]] = tenant_manager()

    class Meta(HsdsObject.Meta):
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["local_authority", "name"]),
            models.Index(fields=["local_authority", "last_verified_at"]),
            models.Index(fields=["organisation", "name"]),
            # The public list (API, guide): active public offers by name, with the freshness dates
            # in the index so that counting them needs no table visits.
            models.Index(
                fields=["local_authority", "name", "id", "last_verified_at", "created_at"],
                condition=models.Q(status="active", visibility="public"),
                name="service_public_by_name",
            ),
        ]
        constraints = [
            *HsdsObject.Meta.constraints,
            models.CheckConstraint(
                condition=models.Q(min_age_months__isnull=True)
                | models.Q(max_age_months__isnull=True)
                | models.Q(max_age_months__gte=models.F("min_age_months")),
                name="service_age_range_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ServiceTranslation(models.Model):
    """A service's text in another language; German in :class:`Service` is the source."""

    local_authority = tenant_fk()
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="translations", verbose_name=_("offer")
    )
    language = models.CharField(_("language"), max_length=10, choices=GUIDE_LANGUAGES)
    name = models.CharField(_("name"), max_length=250, blank=True)
    alternate_name = models.CharField(_("alternate name"), max_length=250, blank=True)
    description = models.TextField(_("description"), blank=True)
    application_process = models.TextField(_("how to get it"), blank=True)
    eligibility_description = models.TextField(_("who it is for"), blank=True)
    fees_description = models.TextField(_("costs (details)"), blank=True)
    # The German text this translation was made from changed since: show it with a note.
    source_changed = models.BooleanField(_("German text changed since"), default=False)

    objects: ClassVar[TenantManager[ServiceTranslation]] = tenant_manager()

    #: The text fields that are translated, in the order forms show them.
    FIELDS: ClassVar[tuple[str, ...]] = (
        "name",
        "alternate_name",
        "description",
        "application_process",
        "eligibility_description",
        "fees_description",
    )

    class Meta:
        verbose_name = _("offer translation")
        verbose_name_plural = _("offer translations")
        constraints = [
            models.UniqueConstraint(
                fields=["service", "language"], name="service_translation_one_per_language"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service} ({self.language})"


# --- Locations --------------------------------------------------------------------------


class Location(HsdsObject):
    """Where services are delivered: a building, a postal address or a virtual place."""

    class LocationType(models.TextChoices):
        PHYSICAL = "physical", _("physical place")
        POSTAL = "postal", _("postal address only")
        VIRTUAL = "virtual", _("online")

    organisation = belongs_to(Organisation, "hsds_locations", _("organisation"))
    location_type = models.CharField(
        _("kind"), max_length=10, choices=LocationType.choices, default=LocationType.PHYSICAL
    )
    url = models.URLField(_("web address (online place)"), max_length=500, blank=True)
    name = models.CharField(_("name"), max_length=250, blank=True)
    alternate_name = models.CharField(_("alternate name"), max_length=250, blank=True)
    description = models.TextField(_("description"), blank=True)
    transportation = models.TextField(_("how to get there"), blank=True)
    latitude = models.FloatField(
        _("latitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.FloatField(
        _("longitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    external_identifier = models.CharField(_("external identifier"), max_length=200, blank=True)
    external_identifier_type = models.CharField(
        _("kind of external identifier"), max_length=100, blank=True
    )
    # DE profile.
    area = models.ForeignKey(
        Area,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("place"),
    )
    confidential = models.BooleanField(
        _("confidential address"),
        default=False,
        help_text=_("The address is never published (e.g. a women's shelter); only a contact."),
    )
    barrier_free = models.BooleanField(_("step-free access"), default=False)

    objects: ClassVar[TenantManager[Location]] = tenant_manager()

    class Meta(HsdsObject.Meta):
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ["name"]
        # The API's proximity filter narrows by a latitude/longitude box first.
        indexes = [models.Index(fields=["local_authority", "latitude", "longitude"])]
        constraints = [
            *HsdsObject.Meta.constraints,
            models.CheckConstraint(
                condition=(
                    models.Q(latitude__isnull=True, longitude__isnull=True)
                    | models.Q(latitude__isnull=False, longitude__isnull=False)
                ),
                name="location_position_complete",
            ),
        ]

    def __str__(self) -> str:
        return self.name or str(self.uuid)

    @property
    def has_position(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class Address(HsdsObject):
    """A physical or postal address of a location."""

    class AddressType(models.TextChoices):
        PHYSICAL = "physical", _("physical address")
        POSTAL = "postal", _("postal address")
        VIRTUAL = "virtual", _("virtual")

    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, related_name="addresses", verbose_name=_("location")
    )
    attention = models.CharField(_("for the attention of"), max_length=200, blank=True)
    address_1 = models.CharField(_("street and number"), max_length=250)
    address_2 = models.CharField(_("address addition"), max_length=250, blank=True)
    city = models.CharField(_("town"), max_length=120)
    region = models.CharField(_("region"), max_length=120, blank=True)
    state_province = models.CharField(_("federal state"), max_length=120)
    postal_code = models.CharField(_("postcode"), max_length=20)
    country = models.CharField(_("country"), max_length=2, default="DE")
    address_type = models.CharField(
        _("kind"), max_length=10, choices=AddressType.choices, default=AddressType.PHYSICAL
    )

    objects: ClassVar[TenantManager[Address]] = tenant_manager()

    class Meta(HsdsObject.Meta):
        verbose_name = _("address")
        verbose_name_plural = _("addresses")
        ordering = ["address_type", "id"]

    def __str__(self) -> str:
        return f"{self.address_1}, {self.postal_code} {self.city}"


class Accessibility(HsdsObject):
    """Accessibility provision at a location (ramp, lift, hearing loop …)."""

    location = models.ForeignKey(
        Location,
        on_delete=models.CASCADE,
        related_name="accessibility",
        verbose_name=_("location"),
    )
    description = models.TextField(_("description"), blank=True)
    details = models.TextField(_("details"), blank=True)
    url = models.URLField(_("web page"), max_length=500, blank=True)

    objects: ClassVar[TenantManager[Accessibility]] = tenant_manager()

    class Meta(HsdsObject.Meta):
        verbose_name = _("accessibility provision")
        verbose_name_plural = _("accessibility provisions")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.description[:80]


class ServiceAtLocation(HsdsObject):
    """A service delivered at a location, with what is special about it there."""

    service = models.ForeignKey(
        Service,
        on_delete=models.CASCADE,
        related_name="service_at_locations",
        verbose_name=_("offer"),
    )
    location = models.ForeignKey(
        Location,
        on_delete=models.CASCADE,
        related_name="service_at_locations",
        verbose_name=_("location"),
    )
    description = models.TextField(_("notes for this location"), blank=True)

    objects: ClassVar[TenantManager[ServiceAtLocation]] = tenant_manager()

    class Meta(HsdsObject.Meta):
        verbose_name = _("offer at a location")
        verbose_name_plural = _("offers at locations")
        ordering = ["id"]
        constraints = [
            *HsdsObject.Meta.constraints,
            models.UniqueConstraint(
                fields=["service", "location"], name="service_at_location_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service} @ {self.location}"


# --- Things that belong to one of several HSDS objects ------------------------------------


class DirectoryContact(HsdsObject):
    """An HSDS ``contact``: whom to ask about a service, location or organisation.

    Named apart from :class:`knotenpunkt.outreach.models.Contact` (a coordinator's visit log).
    ``person`` links it to the partner register when the contact is a professional there.
    """

    organisation = belongs_to(Organisation, "hsds_contacts", _("organisation"))
    service = belongs_to(Service, "contacts", _("offer"))
    service_at_location = belongs_to(ServiceAtLocation, "contacts", _("offer at a location"))
    location = belongs_to(Location, "contacts", _("location"))
    person = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="directory_contacts",
        verbose_name=_("person in the register"),
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    title = models.CharField(_("job title"), max_length=200, blank=True)
    department = models.CharField(_("department"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    objects: ClassVar[TenantManager[DirectoryContact]] = tenant_manager()

    class Meta(HsdsObject.Meta):
        verbose_name = _("contact for an offer")
        verbose_name_plural = _("contacts for offers")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name or self.email or self.department


class Phone(HsdsObject):
    """A phone number of a location, service, organisation, contact or service at a location."""

    location = belongs_to(Location, "phones", _("location"))
    service = belongs_to(Service, "phones", _("offer"))
    organisation = belongs_to(Organisation, "hsds_phones", _("organisation"))
    contact = belongs_to(DirectoryContact, "phones", _("contact"))
    service_at_location = belongs_to(ServiceAtLocation, "phones", _("offer at a location"))
    # As published: HSDS does not prescribe a format, and imported numbers stay as they were.
    number = models.CharField(_("number"), max_length=50)
    extension = models.DecimalField(
        _("extension"), max_digits=10, decimal_places=0, null=True, blank=True
    )
    type = models.CharField(_("kind"), max_length=20, blank=True)
    description = models.TextField(_("description"), blank=True)

    objects: ClassVar[TenantManager[Phone]] = tenant_manager()

    class Meta(HsdsObject.Meta):
        verbose_name = _("phone number")
        verbose_name_plural = _("phone numbers")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.number


class Schedule(HsdsObject):
    """When a service or location is open, as HSDS (iCalendar RRULE parts) says it."""

    service = belongs_to(Service, "schedules", _("offer"))
    location = belongs_to(Location, "schedules", _("location"))
    service_at_location = belongs_to(ServiceAtLocation, "schedules", _("offer at a location"))
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    dtstart = models.DateField(_("first date"), null=True, blank=True)
    timezone = models.DecimalField(
        _("UTC offset (hours)"), max_digits=4, decimal_places=2, null=True, blank=True
    )
    until = models.DateField(_("last date"), null=True, blank=True)
    count = models.PositiveIntegerField(_("number of dates"), null=True, blank=True)
    wkst = models.CharField(_("week starts on"), max_length=2, blank=True)
    freq = models.CharField(_("frequency"), max_length=10, blank=True)
    interval = models.PositiveIntegerField(_("interval"), null=True, blank=True)
    byday = models.CharField(_("weekdays"), max_length=60, blank=True)
    byweekno = models.CharField(_("weeks of the year"), max_length=200, blank=True)
    bymonthday = models.CharField(_("days of the month"), max_length=200, blank=True)
    byyearday = models.CharField(_("days of the year"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    opens_at = models.TimeField(_("opens at"), null=True, blank=True)
    closes_at = models.TimeField(_("closes at"), null=True, blank=True)
    schedule_link = models.URLField(_("booking link"), max_length=500, blank=True)
    attending_type = models.CharField(_("how to attend"), max_length=100, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    objects: ClassVar[TenantManager[Schedule]] = tenant_manager()

    class Meta(HsdsObject.Meta):
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.description or f"{self.freq} {self.byday} {self.opens_at}–{self.closes_at}"


class Language(HsdsObject):
    """A language a service, location or phone line is offered in."""

    service = belongs_to(Service, "languages", _("offer"))
    location = belongs_to(Location, "languages", _("location"))
    phone = belongs_to(Phone, "languages", _("phone number"))
    name = models.CharField(_("name"), max_length=100, blank=True)
    code = models.CharField(_("ISO 639 code"), max_length=10, blank=True, db_index=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects: ClassVar[TenantManager[Language]] = tenant_manager()

    class Meta(HsdsObject.Meta):
        verbose_name = _("language")
        verbose_name_plural = _("languages")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name or self.code


class CostOption(HsdsObject):
    """A price of a service and what it applies to."""

    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="cost_options", verbose_name=_("offer")
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    option = models.CharField(_("applies to"), max_length=300, blank=True)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    amount = models.DecimalField(
        _("amount"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    amount_description = models.CharField(_("amount details"), max_length=300, blank=True)

    objects: ClassVar[TenantManager[CostOption]] = tenant_manager()

    class Meta(HsdsObject.Meta):
        verbose_name = _("cost option")
        verbose_name_plural = _("cost options")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.amount} {self.currency} {self.option}".strip()


class ServiceArea(HsdsObject):
    """Where a service is available. ``area`` is our catchment area (DE profile)."""

    service = belongs_to(Service, "service_areas", _("offer"))
    service_at_location = belongs_to(ServiceAtLocation, "service_areas", _("offer at a location"))
    area = belongs_to(Area, "+", _("catchment area"))
    name = models.CharField(_("name"), max_length=250, blank=True)
    description = models.TextField(_("description"), blank=True)
    extent = models.TextField(_("extent (GeoJSON)"), blank=True)
    extent_type = models.CharField(_("kind of extent"), max_length=20, blank=True)
    uri = models.URLField(_("URI"), max_length=500, blank=True)

    objects: ClassVar[TenantManager[ServiceArea]] = tenant_manager()

    class Meta(HsdsObject.Meta):
        verbose_name = _("catchment area")
        verbose_name_plural = _("catchment areas")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name or str(self.area)


class Funding(HsdsObject):
    """A source of money for an organisation or service."""

    organisation = belongs_to(Organisation, "hsds_fundings", _("organisation"))
    service = belongs_to(Service, "fundings", _("offer"))
    source = models.CharField(_("source"), max_length=300)

    objects: ClassVar[TenantManager[Funding]] = tenant_manager()

    class Meta(HsdsObject.Meta):
        verbose_name = _("funding")
        verbose_name_plural = _("fundings")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.source


class RequiredDocument(HsdsObject):
    """A document needed to apply for or receive a service."""

    service = models.ForeignKey(
        Service,
        on_delete=models.CASCADE,
        related_name="required_documents",
        verbose_name=_("offer"),
    )
    document = models.CharField(_("document"), max_length=300)
    uri = models.URLField(_("web page"), max_length=500, blank=True)

    objects: ClassVar[TenantManager[RequiredDocument]] = tenant_manager()

    class Meta(HsdsObject.Meta):
        verbose_name = _("required document")
        verbose_name_plural = _("required documents")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.document


class Attribute(HsdsObject):
    """A taxonomy term attached to any HSDS object, as HSDS links them (``link_id``).

    The link is generic on purpose: HSDS lets any table carry attributes. Topics of a service
    are kept in :attr:`Service.topics` and exported as attributes with ``link_type`` "topic";
    this table holds every other attribute, e.g. those of imported data.
    """

    link_id = models.UUIDField(_("linked object"), db_index=True)
    link_entity = models.CharField(_("linked table"), max_length=40)
    link_type = models.CharField(_("link type"), max_length=100, blank=True)
    taxonomy_term = models.ForeignKey(
        TaxonomyTerm,
        on_delete=models.CASCADE,
        related_name="attributes",
        verbose_name=_("taxonomy term"),
    )
    value = models.TextField(_("value"), blank=True)
    label = models.CharField(_("label"), max_length=200, blank=True)

    objects: ClassVar[TenantManager[Attribute]] = tenant_manager()

    class Meta(HsdsObject.Meta):
        verbose_name = _("attribute")
        verbose_name_plural = _("attributes")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.link_entity}:{self.taxonomy_term}"


class Metadata(HsdsObject):
    """HSDS change metadata of any object: what changed, from what to what, by whom."""

    resource_id = models.UUIDField(_("resource"), db_index=True)
    resource_type = models.CharField(_("resource type"), max_length=40)
    last_action_date = models.DateField(_("date"))
    last_action_type = models.CharField(_("action"), max_length=40)
    field_name = models.CharField(_("field"), max_length=100)
    previous_value = models.TextField(_("previous value"), blank=True)
    replacement_value = models.TextField(_("new value"), blank=True)
    updated_by = models.CharField(_("updated by"), max_length=200)

    objects: ClassVar[TenantManager[Metadata]] = tenant_manager()

    class Meta(HsdsObject.Meta):
        verbose_name = _("metadata entry")
        verbose_name_plural = _("metadata")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.resource_type} {self.field_name} {self.last_action_date}"


# --- Freshness and self-service ---------------------------------------------------------------


class ServiceRevision(models.Model):
    """A proposed or approved version of an offer's editable fields.

    Partners propose changes; a coordinator approves or rejects them field by field in the review
    queue. ``data`` is a snapshot of the editable fields in the shape of
    :func:`knotenpunkt.directory.revisions.editable_snapshot` — a version record, not the store:
    approving writes it into the models above. Approved revisions are the offer's history.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for review")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")
        WITHDRAWN = "withdrawn", _("withdrawn")

    local_authority = tenant_fk()
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Empty for a proposal of a new offer.
    service = belongs_to(Service, "revisions", _("offer"))
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("provider"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    data = models.JSONField(_("proposed content"))
    # The offer's version the proposal was made against: a stale proposal is shown as such.
    base_version = models.PositiveIntegerField(_("based on version"), null=True, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    proposed_at = models.DateTimeField(_("proposed"), default=timezone.now)
    comment = models.TextField(_("comment"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_note = models.TextField(_("note of the review"), blank=True)

    objects: ClassVar[TenantManager[ServiceRevision]] = tenant_manager()

    class Meta:
        verbose_name = _("offer revision")
        verbose_name_plural = _("offer revisions")
        ordering = ["-proposed_at"]
        indexes = [models.Index(fields=["local_authority", "status", "-proposed_at"])]

    def __str__(self) -> str:
        return f"{self.data.get('name', '')} ({self.get_status_display()})"


class ErrorReport(models.Model):
    """A member of the public says an offer's information is wrong. No personal data is asked."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        FIXED = "fixed", _("corrected")
        DISMISSED = "dismissed", _("dismissed")

    local_authority = tenant_fk()
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="error_reports", verbose_name=_("offer")
    )
    message = models.TextField(_("what is wrong"), max_length=2000)
    created_at = models.DateTimeField(_("reported"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)

    objects: ClassVar[TenantManager[ErrorReport]] = tenant_manager()

    class Meta:
        verbose_name = _("error report")
        verbose_name_plural = _("error reports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.service}: {self.message[:60]}"


class ApiToken(models.Model):
    """A personal token for the partners' REST API. Only its hash is stored."""

    local_authority = tenant_fk()
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=100)
    # SHA-256 of the token: tokens are long random strings, so a fast hash is enough.
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("starts with"), max_length=8, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)

    objects: ClassVar[TenantManager[ApiToken]] = tenant_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


# --- The printed guide ------------------------------------------------------------------------


class GuideEdition(models.Model):
    """An edition of the printed guide (PDF booklet) for one area, life phase and language.

    Generated in the background (:mod:`knotenpunkt.directory.booklet`): ``status`` and
    ``progress`` show how far it got. Welcome visits name the edition they handed over.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting")
        RUNNING = "running", _("being generated")
        DONE = "done", _("ready")
        FAILED = "failed", _("failed")

    local_authority = tenant_fk()
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(
        _("edition"), max_length=100, help_text=_("For example 2026/1 or Spring 2026.")
    )
    area = models.ForeignKey(
        Area,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("area"),
    )
    life_phase = models.ForeignKey(
        LifePhase,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("life phase"),
    )
    language = models.CharField(_("language"), max_length=10, choices=GUIDE_LANGUAGES, default="de")
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(
        _("progress"), default=0, validators=[MaxValueValidator(100)]
    )
    error = models.TextField(_("error"), blank=True)
    pdf = models.FileField(_("PDF file"), upload_to="guides/", blank=True)
    page_count = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    offer_count = models.PositiveIntegerField(_("offers"), null=True, blank=True)
    # Last sign of life of the generation: a running edition untouched for long has stalled.
    touched_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects: ClassVar[TenantManager[GuideEdition]] = tenant_manager()

    class Meta:
        verbose_name = _("guide edition")
        verbose_name_plural = _("guide editions")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name
