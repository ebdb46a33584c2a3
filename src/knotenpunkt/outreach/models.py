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

from knotenpunkt.core.models import LocalAuthority, TenantManager, tenant_manager
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

    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.CASCADE, related_name="+", verbose_name=_("tenant")
    )
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
