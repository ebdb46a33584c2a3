"""Keeping contact with partners: the contacts a coordinator records after a visit, call or event.

A :class:`Contact` is the coordination's working note about a partner — what support they need,
what topics move them, what they expect of the coordination — and the follow-up it promised.
Network partners never see these notes. Erasing a person (GDPR) blanks the free text of their
contacts but keeps the contacts themselves, so that "contacts in a year" still counts right.
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from knotenpunkt.core.models import TenantManager, tenant_fk, tenant_manager
from knotenpunkt.partners.models import Organisation, Person


class Contact(models.Model):
    """A contact with an organisation and/or a person of the network, on one day."""

    class Kind(models.TextChoices):
        VISIT = "visit", _("Visit at their workplace")
        CALL = "call", _("Phone call")
        EVENT = "event", _("Network event")
        EMAIL = "email", _("E-mail")
        VIDEO = "video", _("Video call")
        OTHER = "other", _("Other")

    local_authority = tenant_fk()
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Deleting an organisation deletes its contacts; persons are never deleted, only anonymised.
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name=_("organisation"),
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name=_("person"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.VISIT)
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("time"), null=True, blank=True)
    who = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contact held by"),
    )
    companions = models.CharField(
        _("also there"),
        max_length=200,
        blank=True,
        help_text=_("Colleagues who came along, for example from the health office."),
    )
    support_needed = models.TextField(_("support they need"), blank=True)
    topics_of_concern = models.TextField(_("topics that move them"), blank=True)
    expectations = models.TextField(_("what they expect of the coordination"), blank=True)
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True)
    follow_up_note = models.CharField(_("what to follow up"), max_length=300, blank=True)
    follow_up_done = models.BooleanField(_("follow-up done"), default=False)
    # Free keywords for now, comma-separated. The Topic taxonomy comes with the directory issue;
    # then this becomes a many-to-many to directory.Topic and the keywords are mapped onto it.
    topic_tags = models.CharField(
        _("topics"),
        max_length=200,
        blank=True,
        help_text=_("Keywords, separated by commas (for example: Stillförderung, Kita-Übergang)."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("last changed"), default=timezone.now, editable=False)

    objects: ClassVar[TenantManager[Contact]] = tenant_manager()

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-date", "-start_time", "-created_at"]
        indexes = [
            models.Index(
                fields=["local_authority", "organisation", "-date"], name="contact_org_date"
            ),
            models.Index(fields=["local_authority", "person", "-date"], name="contact_person_date"),
            models.Index(
                fields=["local_authority", "follow_up_done", "follow_up_on"],
                name="contact_follow_up",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(organisation__isnull=False) | models.Q(person__isnull=False),
                name="contact_with_organisation_or_person",
            )
        ]

    def __str__(self) -> str:
        partner = self.partner_label
        return f"{self.get_kind_display()} {self.date:%d.%m.%Y}: {partner}"

    @property
    def partner_label(self) -> str:
        """Who the contact was with: "person (organisation)", or either alone."""
        if self.person_id and self.organisation_id:
            return f"{self.person} ({self.organisation})"
        return str(self.person if self.person_id else self.organisation)

    @property
    def follow_up_open(self) -> bool:
        return self.follow_up_on is not None and not self.follow_up_done

    @property
    def tags(self) -> list[str]:
        return [tag.strip() for tag in self.topic_tags.split(",") if tag.strip()]


class ContactInterval(models.Model):
    """How often the coordination wants to hear from partners of a sector or a profession.

    An organisation is due when its last contact is older than the shortest interval among its
    sectors and the professions of its current people (:data:`DEFAULT_MONTHS` without any).
    """

    DEFAULT_MONTHS = 6

    local_authority = tenant_fk()
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sector = models.ForeignKey(
        "partners.Sector",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sector"),
    )
    profession = models.ForeignKey(
        "partners.Profession",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("profession"),
    )
    months = models.PositiveSmallIntegerField(_("months"))

    objects: ClassVar[TenantManager[ContactInterval]] = tenant_manager()

    class Meta:
        verbose_name = _("contact interval")
        verbose_name_plural = _("contact intervals")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(sector__isnull=False) & models.Q(profession__isnull=True))
                | (models.Q(sector__isnull=True) & models.Q(profession__isnull=False)),
                name="contact_interval_sector_xor_profession",
            ),
            models.UniqueConstraint(
                fields=["local_authority", "sector"],
                condition=models.Q(sector__isnull=False),
                name="contact_interval_unique_sector",
            ),
            models.UniqueConstraint(
                fields=["local_authority", "profession"],
                condition=models.Q(profession__isnull=False),
                name="contact_interval_unique_profession",
            ),
            models.CheckConstraint(
                condition=models.Q(months__gte=1), name="contact_interval_months_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sector or self.profession}: {self.months}"


class Tour(models.Model):
    """A day of visits to partners, starting and ending at the coordination office."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PLANNED = "planned", _("planned")
        DONE = "done", _("done")

    local_authority = tenant_fk()
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    date = models.DateField(_("date"))
    start_label = models.CharField(_("start and end"), max_length=200, default="", blank=True)
    start_latitude = models.FloatField(_("start latitude"), null=True, blank=True)
    start_longitude = models.FloatField(_("start longitude"), null=True, blank=True)
    day_start = models.TimeField(_("leave at"))
    day_end = models.TimeField(_("back by"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    travel_minutes = models.PositiveIntegerField(_("travel minutes"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    objects: ClassVar[TenantManager[Tour]] = tenant_manager()

    class Meta:
        verbose_name = _("tour")
        verbose_name_plural = _("tours")
        ordering = ["-date", "-created_at"]
        indexes = [models.Index(fields=["local_authority", "status", "date"])]

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y} ({self.get_status_display()})"


class TourStop(models.Model):
    """A partner to visit on a tour, with the visit's length, opening hours and planned times."""

    local_authority = tenant_fk()
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    tour = models.ForeignKey(Tour, on_delete=models.CASCADE, related_name="stops")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person"),
    )
    service_minutes = models.PositiveSmallIntegerField(_("visit length (minutes)"), default=45)
    opens = models.TimeField(_("open from"), null=True, blank=True)
    closes = models.TimeField(_("open until"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    planned_arrival = models.TimeField(_("arrival"), null=True, blank=True)
    planned_start = models.TimeField(_("visit from"), null=True, blank=True)
    planned_departure = models.TimeField(_("departure"), null=True, blank=True)
    unreachable = models.BooleanField(_("does not fit"), default=False)
    contact = models.ForeignKey(
        Contact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contact"),
    )

    objects: ClassVar[TenantManager[TourStop]] = tenant_manager()

    class Meta:
        verbose_name = _("tour stop")
        verbose_name_plural = _("tour stops")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["tour", "organisation"], name="tour_stop_unique_organisation"
            )
        ]

    def __str__(self) -> str:
        return str(self.organisation)


class WelcomeVisit(models.Model):
    """Welcome visits to families as an anonymous count: never names, addresses or birth dates.

    One row per area, month, guide edition and language; recording again adds to the count.
    """

    local_authority = tenant_fk()
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    area = models.ForeignKey(
        # RESTRICT: an area with welcome visits cannot be deleted, but a whole tenant can.
        "core.Area",
        on_delete=models.RESTRICT,
        related_name="+",
        verbose_name=_("area"),
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    guide_edition = models.CharField(_("guide edition handed over"), max_length=100, blank=True)
    language = models.CharField(_("language"), max_length=50)
    count = models.PositiveIntegerField(_("number of visits"))

    objects: ClassVar[TenantManager[WelcomeVisit]] = tenant_manager()

    class Meta:
        verbose_name = _("welcome visits")
        verbose_name_plural = _("welcome visits")
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(
                fields=["local_authority", "area", "month", "guide_edition", "language"],
                name="welcome_visit_unique_cell",
            ),
            models.CheckConstraint(
                condition=models.Q(count__gte=1), name="welcome_visit_count_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area} {self.month:%m/%Y}: {self.count}"
