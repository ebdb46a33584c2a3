"""The partner register: organisations and their units, professionals, professions and sectors.

Professionals' personal data is processed under the GDPR: each :class:`Person` carries the purpose
and legal basis of the processing, consents are recorded in :class:`Consent`, and erasure
anonymises the person in place so that counts (members of a body, contacts in a year) stay right.
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from knotenpunkt.core.models import Area, TenantManager, tenant_fk, tenant_manager

postcode_validator = RegexValidator(r"^\d{5}$", _("A German postcode has five digits."))


class Sector(models.Model):
    """A legal sphere or field of work (Rechtskreis): SGB VIII, health, school, Kita …"""

    local_authority = tenant_fk()
    name = models.CharField(_("name"), max_length=120)
    code = models.CharField(_("short name"), max_length=30, blank=True)
    description = models.CharField(_("description"), max_length=300, blank=True)

    objects: ClassVar[TenantManager[Sector]] = tenant_manager()

    class Meta:
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["local_authority", "name"], name="sector_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})" if self.code else self.name


class Profession(models.Model):
    """A profession of professionals (Hebamme, Kinderärzt:in, Erzieher:in …)."""

    local_authority = tenant_fk()
    name = models.CharField(_("name"), max_length=120)
    sector = models.ForeignKey(
        Sector,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="professions",
        verbose_name=_("usual sector"),
    )

    objects: ClassVar[TenantManager[Profession]] = tenant_manager()

    class Meta:
        verbose_name = _("profession")
        verbose_name_plural = _("professions")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["local_authority", "name"], name="profession_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name


class LocationSource(models.TextChoices):
    RECORD = "record", _("entered with the record")
    GEOCODER = "geocoder", _("found by the geocoder")
    AREA = "area", _("centre of the area")
    NONE = "none", _("unknown")


class Organisation(models.Model):
    """A provider or institution of the network (Träger, Einrichtung)."""

    class LegalForm(models.TextChoices):
        PUBLIC_BODY = "public_body", _("Public authority")
        ASSOCIATION = "association", _("Registered association (e.V.)")
        NONPROFIT_COMPANY = "nonprofit_company", _("Non-profit company (gGmbH)")
        COMPANY = "company", _("Company (GmbH, AG)")
        FOUNDATION = "foundation", _("Foundation")
        CHURCH = "church", _("Church body")
        PRACTICE = "practice", _("Practice or freelancer")
        OTHER = "other", _("Other")

    local_authority = tenant_fk()
    # Unique per tenant: it is also the HSDS organization id, and two tenants may import the same
    # publisher's data.
    uuid = models.UUIDField(default=uuid.uuid4, db_index=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    legal_form = models.CharField(
        _("legal form"), max_length=30, choices=LegalForm.choices, blank=True
    )
    sectors = models.ManyToManyField(
        Sector, blank=True, related_name="organisations", verbose_name=_("sectors")
    )
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(
        _("postcode"), max_length=5, blank=True, validators=[postcode_validator]
    )
    city = models.CharField(_("town"), max_length=120, blank=True)
    area = models.ForeignKey(
        Area,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("located in"),
    )
    areas_served = models.ManyToManyField(
        Area, blank=True, related_name="served_by", verbose_name=_("areas served")
    )
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
    location_source = models.CharField(
        _("source of the position"),
        max_length=10,
        choices=LocationSource.choices,
        default=LocationSource.NONE,
    )
    phone = PhoneNumberField(_("phone"), blank=True, region="DE")
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # HSDS ``organization`` fields that the directory of offers publishes.
    alternate_name = models.CharField(_("alternate name"), max_length=200, blank=True)
    description = models.TextField(
        _("public description"),
        blank=True,
        help_text=_("Shown with the organisation's offers in the public guide."),
    )
    year_incorporated = models.PositiveSmallIntegerField(
        _("year founded"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1000), MaxValueValidator(2100)],
    )
    # As published by HSDS sources; ``legal_form`` is our own structured choice.
    legal_status = models.CharField(_("legal status (as published)"), max_length=200, blank=True)
    tax_status = models.CharField(_("tax status"), max_length=200, blank=True)
    tax_id = models.CharField(_("tax number"), max_length=100, blank=True)
    logo_url = models.URLField(_("logo (web address)"), max_length=500, blank=True)
    uri = models.URLField(_("persistent identifier (URI)"), max_length=500, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent organisation"),
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("last changed"), default=timezone.now, editable=False)

    objects: ClassVar[TenantManager[Organisation]] = tenant_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        indexes = [models.Index(fields=["local_authority", "name"])]
        constraints = [
            models.UniqueConstraint(
                fields=["local_authority", "uuid"], name="organisation_unique_uuid_per_tenant"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    """A part of an organisation (Fachdienst, Team, Abteilung, Standort), as a tree."""

    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("Department (Abteilung/Fachbereich)")
        SERVICE = "service", _("Specialist service (Fachdienst)")
        TEAM = "team", _("Team")
        SITE = "site", _("Site (Standort/Einrichtung)")

    local_authority = tenant_fk()
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="units", verbose_name=_("organisation")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("part of"),
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.SERVICE)
    phone = PhoneNumberField(_("phone"), blank=True, region="DE")
    email = models.EmailField(_("e-mail"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects: ClassVar[TenantManager[Unit]] = tenant_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "parent", "name"], name="unit_unique_name_per_parent"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.name}"


class Person(models.Model):
    """A professional of the network (Fachkraft). Never a family member: families stay anonymous."""

    class LegalBasis(models.TextChoices):
        CONSENT = "consent", _("Consent (Art. 6(1)(a) GDPR)")
        CONTRACT = "contract", _("Contract or cooperation agreement (Art. 6(1)(b) GDPR)")
        PUBLIC_TASK = (
            "public_task",
            _("Public task: network of early help (Art. 6(1)(e) GDPR with § 3 KKG)"),
        )
        LEGITIMATE_INTEREST = "legitimate_interest", _("Legitimate interest (Art. 6(1)(f) GDPR)")

    local_authority = tenant_fk()
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=40, blank=True)
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100)
    profession = models.ForeignKey(
        Profession,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("profession"),
    )
    functions = models.CharField(
        _("functions"),
        max_length=200,
        blank=True,
        help_text=_("For example: head of the service, child protection specialist."),
    )
    phone = PhoneNumberField(_("phone"), blank=True, region="DE")
    mobile = PhoneNumberField(_("mobile"), blank=True, region="DE")
    email = models.EmailField(_("e-mail"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    purpose = models.CharField(
        _("purpose of processing"),
        max_length=300,
        default=_("Cooperation in the local prevention network"),
    )
    legal_basis = models.CharField(
        _("legal basis"), max_length=30, choices=LegalBasis.choices, default=LegalBasis.PUBLIC_TASK
    )
    # The account of a professional who logs in as a network partner: their own organisations
    # are those of their current affiliations.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("login"),
    )
    erased_at = models.DateTimeField(_("anonymised"), null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("last changed"), default=timezone.now, editable=False)

    objects: ClassVar[TenantManager[Person]] = tenant_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["last_name", "first_name"]
        indexes = [models.Index(fields=["local_authority", "last_name", "first_name"])]
        constraints = [
            models.UniqueConstraint(
                fields=["local_authority", "user"], name="person_one_per_user_and_tenant"
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.title, self.first_name, self.last_name) if part)

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None


class Affiliation(models.Model):
    """A person working at an organisation (and perhaps in one of its units), with dates."""

    local_authority = tenant_fk()
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="affiliations", verbose_name=_("person")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="affiliations",
        verbose_name=_("organisation"),
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="affiliations",
        verbose_name=_("unit"),
    )
    position = models.CharField(_("position"), max_length=200, blank=True)
    start = models.DateField(_("from"), null=True, blank=True)
    end = models.DateField(_("until"), null=True, blank=True)

    objects: ClassVar[TenantManager[Affiliation]] = tenant_manager()

    class Meta:
        verbose_name = _("affiliation")
        verbose_name_plural = _("affiliations")
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True)
                | models.Q(start__isnull=True)
                | models.Q(end__gte=models.F("start")),
                name="affiliation_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} @ {self.organisation}"


class Consent(models.Model):
    """A person's consent to the processing of their data: when, how, recorded by whom."""

    class Method(models.TextChoices):
        WRITTEN = "written", _("in writing")
        EMAIL = "email", _("by e-mail")
        FORM = "form", _("online form")
        VERBAL = "verbal", _("verbally (noted)")

    local_authority = tenant_fk()
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="consents", verbose_name=_("person")
    )
    given_on = models.DateField(_("given on"))
    method = models.CharField(_("how"), max_length=10, choices=Method.choices)
    scope = models.CharField(
        _("consent covers"),
        max_length=300,
        default=_("Contact details in the partner register and the network's mailing list"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)

    objects: ClassVar[TenantManager[Consent]] = tenant_manager()

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_on"]

    def __str__(self) -> str:
        return f"{self.person}: {self.given_on}"


class SavedFilter(models.Model):
    """A list filter a user keeps under a name (e.g. "Hebammen im Norden")."""

    local_authority = tenant_fk()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    list_name = models.CharField(_("list"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    query = models.CharField(_("filter"), max_length=1000)

    objects: ClassVar[TenantManager[SavedFilter]] = tenant_manager()

    class Meta:
        verbose_name = _("saved filter")
        verbose_name_plural = _("saved filters")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["local_authority", "user", "list_name", "name"],
                name="saved_filter_unique_name",
            )
        ]

    def __str__(self) -> str:
        return self.name
