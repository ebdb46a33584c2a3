"""Meetings of bodies (series, agenda, invitations, attendance, minutes), action items and needs.

Every model is tenant-owned and scoped. Secret tokens (invitation replies, calendar feeds) are
random (:func:`secrets.token_urlsafe`) and unique across tenants, so that a public link finds its
tenant by itself.
"""

from __future__ import annotations

import secrets
import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from knotenpunkt.bodies.models import Body
from knotenpunkt.core.models import (
    Area,
    LifePhase,
    TenantManager,
    tenant_fk,
    tenant_manager,
)
from knotenpunkt.partners.models import Organisation, Person


def new_token() -> str:
    """A secret for a link that works without login."""
    return secrets.token_urlsafe(32)


class MeetingSeries(models.Model):
    """Meetings of a body that recur every N weeks or months, at the same time and place."""

    class Unit(models.TextChoices):
        WEEKS = "weeks", _("weeks")
        MONTHS = "months", _("months")

    local_authority = tenant_fk()
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    body = models.ForeignKey(
        Body, on_delete=models.CASCADE, related_name="+", verbose_name=_("body")
    )
    title = models.CharField(_("title"), max_length=200)
    interval = models.PositiveSmallIntegerField(_("every"), default=1)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, default=Unit.WEEKS)
    first_date = models.DateField(_("first date"))
    until = models.DateField(_("until"), null=True, blank=True)
    start_time = models.TimeField(_("start time"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration in minutes"), default=120)
    place = models.CharField(_("place"), max_length=300, blank=True)
    video_url = models.URLField(_("video link"), blank=True)

    objects: ClassVar[TenantManager[MeetingSeries]] = tenant_manager()

    class Meta:
        verbose_name = _("meeting series")
        verbose_name_plural = _("meeting series")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    @property
    def weekday(self) -> int:
        """The weekday (0 = Monday) of the series, taken from its first date."""
        return self.first_date.weekday()


class Meeting(models.Model):
    """A meeting (Sitzung) of a body; ``sequence`` grows with each change sent to invitees."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        CANCELLED = "cancelled", _("cancelled")

    local_authority = tenant_fk()
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    body = models.ForeignKey(
        Body, on_delete=models.CASCADE, related_name="+", verbose_name=_("body")
    )
    series = models.ForeignKey(
        MeetingSeries,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("series"),
    )
    title = models.CharField(_("title"), max_length=200)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    video_url = models.URLField(_("video link"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    sequence = models.PositiveIntegerField(default=0, editable=False)
    invitations_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects: ClassVar[TenantManager[Meeting]] = tenant_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="meeting_end_after_start"
            )
        ]

    def __str__(self) -> str:
        local = timezone.localtime(self.start)
        return f"{self.title} ({local:%d.%m.%Y})"

    @property
    def ical_uid(self) -> str:
        """Stable per meeting, so that calendars replace rather than duplicate an event."""
        return f"meeting-{self.uuid}@knotenpunkt"

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED


class AgendaItem(models.Model):
    """One item (TOP) of a meeting's agenda, with its share of the minutes."""

    local_authority = tenant_fk()
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="agenda_items", verbose_name=_("meeting")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=300)
    owner = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("presented by"),
    )
    minutes = models.TextField(_("minutes"), blank=True)

    objects: ClassVar[TenantManager[AgendaItem]] = tenant_manager()

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class Invitation(models.Model):
    """An invitation of a member of a body to a meeting, answered by a link or by a calendar.

    The member is a person or, where an organisation as a whole is a member of the body, that
    organisation: then the invitation goes to the organisation's e-mail address.
    """

    class Response(models.TextChoices):
        NONE = "none", _("no answer yet")
        YES = "yes", _("attends")
        NO = "no", _("declines")
        MAYBE = "maybe", _("maybe")

    local_authority = tenant_fk()
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("meeting")
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    # The address the invitation went to (blanked when the person is erased).
    email = models.EmailField(_("e-mail"), blank=True)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    response = models.CharField(
        _("answer"), max_length=10, choices=Response.choices, default=Response.NONE
    )
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)

    objects: ClassVar[TenantManager[Invitation]] = tenant_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False, organisation__isnull=True)
                | models.Q(person__isnull=True, organisation__isnull=False),
                name="invitation_person_xor_organisation",
            ),
            models.UniqueConstraint(
                fields=["meeting", "person"],
                condition=models.Q(person__isnull=False),
                name="invitation_once",
            ),
            models.UniqueConstraint(
                fields=["meeting", "organisation"],
                condition=models.Q(organisation__isnull=False),
                name="invitation_once_per_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.invitee} – {self.meeting}"

    @property
    def invitee(self) -> Person | Organisation | None:
        """Who was invited: the person or the organisation."""
        return self.person or self.organisation


class Attendance(models.Model):
    """Whether a person was present at a meeting."""

    local_authority = tenant_fk()
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("meeting")
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="+", verbose_name=_("person")
    )
    present = models.BooleanField(_("present"), default=True)

    objects: ClassVar[TenantManager[Attendance]] = tenant_manager()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.meeting}"


class Minutes(models.Model):
    """The minutes (Protokoll) of a meeting, in Markdown, and its decisions."""

    local_authority = tenant_fk()
    meeting = models.OneToOneField(
        Meeting, on_delete=models.CASCADE, related_name="minutes", verbose_name=_("meeting")
    )
    text = models.TextField(_("minutes"), blank=True, help_text=_("Markdown; no HTML."))
    decisions = models.TextField(_("decisions"), blank=True, help_text=_("Markdown; no HTML."))
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    objects: ClassVar[TenantManager[Minutes]] = tenant_manager()

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")

    def __str__(self) -> str:
        return str(self.meeting)


class Need(models.Model):
    """A need for action (Handlungsbedarf) found in an area, topic or life phase."""

    class Source(models.TextChoices):
        MEETING = "meeting", _("meeting")
        VISIT = "visit", _("visit")
        SURVEY = "survey", _("survey")
        ANALYSIS = "analysis", _("analysis")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        IN_PROGRESS = "in_progress", _("in progress")
        MET = "met", _("met")
        DROPPED = "dropped", _("dropped")

    local_authority = tenant_fk()
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    area = models.ForeignKey(
        Area,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("area"),
    )
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    life_phase = models.ForeignKey(
        LifePhase,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("life phase"),
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    evidence = models.TextField(_("evidence"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(_("recorded"), default=timezone.now, editable=False)

    objects: ClassVar[TenantManager[Need]] = tenant_manager()

    class Meta:
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        ordering = ["-created_at", "title"]

    def __str__(self) -> str:
        return self.title


class ActionItem(models.Model):
    """A task (Aufgabe) with an owner and a due date, from a meeting or on a need."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")
        DROPPED = "dropped", _("dropped")

    local_authority = tenant_fk()
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=300)
    owner = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    due = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
        verbose_name=_("meeting"),
    )
    body = models.ForeignKey(
        Body,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("body"),
    )
    area = models.ForeignKey(
        Area,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("area"),
    )
    need = models.ForeignKey(
        Need,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
        verbose_name=_("need"),
    )
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True, editable=False)

    objects: ClassVar[TenantManager[ActionItem]] = tenant_manager()

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["due", "title"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        return (
            self.due is not None
            and self.due < timezone.localdate()
            and self.status in (self.Status.OPEN, self.Status.IN_PROGRESS)
        )


class CalendarFeed(models.Model):
    """A user's personal iCalendar feed of one tenant, reached by a secret link."""

    local_authority = tenant_fk()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects: ClassVar[TenantManager[CalendarFeed]] = tenant_manager()

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        constraints = [
            models.UniqueConstraint(fields=["local_authority", "user"], name="one_feed_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.local_authority_id}"
