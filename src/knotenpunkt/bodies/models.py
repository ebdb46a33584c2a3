"""The structure of the network: bodies (Netzwerk, Steuerungsgruppe, AG …), their relations and
members, the funding programmes that require them, and the network's Leitbild and goals."""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from knotenpunkt.core.models import (
    Area,
    LifePhase,
    LocalAuthority,
    TenantManager,
    tenant_fk,
    tenant_manager,
)
from knotenpunkt.partners.models import Organisation, Person


class BodyKind(models.Model):
    """An editable kind of body: Netzwerk, Steuerungsgruppe, Arbeitskreis, Qualitätszirkel …"""

    local_authority = tenant_fk()
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=100)

    objects: ClassVar[TenantManager[BodyKind]] = tenant_manager()

    class Meta:
        verbose_name = _("kind of body")
        verbose_name_plural = _("kinds of body")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["local_authority", "name"], name="body_kind_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Body(models.Model):
    """A body of cooperation: a network, steering group, working group, Sozialraumteam …"""

    class Level(models.TextChoices):
        STRATEGIC = "strategic", _("strategic")
        OPERATIVE = "operative", _("operative")

    local_authority = tenant_fk()
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    # RESTRICT, not PROTECT: a kind in use cannot be deleted on its own (the service says so
    # first), but deleting the whole tenant removes kinds and bodies together.
    kind = models.ForeignKey(
        BodyKind, on_delete=models.RESTRICT, related_name="bodies", verbose_name=_("kind")
    )
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("part of"),
    )
    description = models.TextField(_("description"), blank=True)
    life_phases = models.ManyToManyField(
        LifePhase, blank=True, related_name="+", verbose_name=_("target life phases")
    )
    areas = models.ManyToManyField(Area, blank=True, related_name="+", verbose_name=_("areas"))
    partner_authorities = models.ManyToManyField(
        LocalAuthority,
        blank=True,
        related_name="+",
        verbose_name=_("other local authorities taking part"),
        help_text=_("For bodies across several counties or cities, e.g. an inter-municipal group."),
    )
    meeting_rhythm = models.CharField(
        _("meeting rhythm"),
        max_length=200,
        blank=True,
        help_text=_("For example: every six weeks, three hours."),
    )
    rhythm_weeks = models.PositiveSmallIntegerField(_("meets every … weeks"), null=True, blank=True)
    # Optimistic locking: every update raises it; an edit based on an older version is refused.
    version = models.PositiveIntegerField(default=1, editable=False)

    objects: ClassVar[TenantManager[Body]] = tenant_manager()

    class Meta:
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        ordering = ["name"]
        indexes = [models.Index(fields=["local_authority", "parent"])]

    def __str__(self) -> str:
        return self.name


class BodyRelation(models.Model):
    """How two bodies are related: one reports to, feeds into or shares members with the other."""

    class Kind(models.TextChoices):
        REPORTS_TO = "reports_to", _("reports to")
        FEEDS_INTO = "feeds_into", _("feeds into")
        SHARES_MEMBERS = "shares_members", _("shares members with")

    local_authority = tenant_fk()
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    source = models.ForeignKey(
        Body, on_delete=models.CASCADE, related_name="relations_out", verbose_name=_("body")
    )
    target = models.ForeignKey(
        Body, on_delete=models.CASCADE, related_name="relations_in", verbose_name=_("other body")
    )
    kind = models.CharField(_("relation"), max_length=20, choices=Kind.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects: ClassVar[TenantManager[BodyRelation]] = tenant_manager()

    class Meta:
        verbose_name = _("relation between bodies")
        verbose_name_plural = _("relations between bodies")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target", "kind"], name="body_relation_unique"
            ),
            models.CheckConstraint(
                condition=~models.Q(source=models.F("target")), name="body_relation_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.get_kind_display()} {self.target}"


class Membership(models.Model):
    """A person or an organisation in a body, with a role and dates."""

    class Role(models.TextChoices):
        COORDINATION = "coordination", _("Coordination")
        CHAIR = "chair", _("Chair")
        DEPUTY = "deputy", _("Deputy")
        MEMBER = "member", _("Member")
        GUEST = "guest", _("Guest")

    local_authority = tenant_fk()
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    body = models.ForeignKey(
        Body, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("body")
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("person"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    start = models.DateField(_("from"), null=True, blank=True)
    end = models.DateField(_("until"), null=True, blank=True)

    objects: ClassVar[TenantManager[Membership]] = tenant_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["role", "start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False, organisation__isnull=True)
                | models.Q(person__isnull=True, organisation__isnull=False),
                name="membership_person_xor_organisation",
            ),
            models.CheckConstraint(
                condition=models.Q(end__isnull=True)
                | models.Q(start__isnull=True)
                | models.Q(end__gte=models.F("start")),
                name="membership_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person or self.organisation} in {self.body}"

    @property
    def member(self) -> Person | Organisation | None:
        return self.person or self.organisation


class Programme(models.Model):
    """A funding programme (Bundesstiftung Frühe Hilfen, kinderstark …) and what it requires."""

    local_authority = tenant_fk()
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    funder = models.CharField(_("funder"), max_length=200, blank=True)
    start = models.DateField(_("from"), null=True, blank=True)
    end = models.DateField(_("until"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    required_kinds = models.ManyToManyField(
        BodyKind,
        blank=True,
        related_name="+",
        verbose_name=_("required kinds of body"),
    )
    bodies = models.ManyToManyField(
        Body,
        blank=True,
        related_name="programmes",
        verbose_name=_("bodies serving the programme"),
        help_text=_("One body can serve several programmes: no parallel bodies needed."),
    )

    objects: ClassVar[TenantManager[Programme]] = tenant_manager()

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Goal(models.Model):
    """The shared Leitbild of a network and its goals."""

    class Kind(models.TextChoices):
        MISSION = "mission", _("Mission statement (Leitbild)")
        GOAL = "goal", _("Goal")

    local_authority = tenant_fk()
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    body = models.ForeignKey(
        Body,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="goals",
        verbose_name=_("network or body"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.GOAL)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects: ClassVar[TenantManager[Goal]] = tenant_manager()

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["kind", "position", "title"]

    def __str__(self) -> str:
        return self.title
