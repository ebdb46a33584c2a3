"""Import batches of the partner register, their rows, and the column mappings a tenant keeps.

A batch holds the uploaded file until it is applied (then the file is dropped: the rows keep what
was imported), its preview rows, and in ``changes`` everything the apply wrote, so that the whole
batch can be undone: per created object its model and key, per merged object the values of the
fields it filled before the import.
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from knotenpunkt.core.models import TenantManager, tenant_fk, tenant_manager


class ImportBatch(models.Model):
    """One uploaded file on its way into the register: upload → mapping → preview → apply."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("uploaded")
        PREVIEWING = "previewing", _("checking rows")
        PREVIEWED = "previewed", _("ready to apply")
        APPLYING = "applying", _("applying")
        APPLIED = "applied", _("applied")
        UNDONE = "undone", _("undone")
        FAILED = "failed", _("failed")

    local_authority = tenant_fk()
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    file_name = models.CharField(_("file"), max_length=255)
    file_kind = models.CharField(_("file type"), max_length=10)
    content = models.BinaryField(_("file content"), null=True, blank=True, editable=False)
    sheet_name = models.CharField(_("sheet"), max_length=200, blank=True)
    sheet_names = models.JSONField(_("sheets"), default=list, blank=True)
    notes = models.JSONField(_("notes on reading"), default=list, blank=True)
    header_row = models.PositiveIntegerField(_("header row"), default=0)
    headers = models.JSONField(_("column headers"), default=list, blank=True)
    #: The data rows below the header, as strings (until the batch is applied).
    table = models.JSONField(_("rows"), default=list, blank=True)
    mapping = models.JSONField(_("mapping"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.UPLOADED
    )
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    changes = models.JSONField(_("changes made"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("uploaded"), default=timezone.now, editable=False)
    previewed_at = models.DateTimeField(_("checked"), null=True, blank=True)
    applied_at = models.DateTimeField(_("applied"), null=True, blank=True)
    undone_at = models.DateTimeField(_("undone"), null=True, blank=True)
    #: Last sign of life of a running step (see :mod:`knotenpunkt.imports.tasks`).
    touched_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects: ClassVar[TenantManager[ImportBatch]] = tenant_manager()

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["local_authority", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def is_running(self) -> bool:
        return self.status in {self.Status.PREVIEWING, self.Status.APPLYING}


class ImportRow(models.Model):
    """One data row of a batch: its cleaned values, its status in the preview and the choice."""

    class Status(models.TextChoices):
        NEW = "new", _("new")
        MATCH = "match", _("matches an existing record")
        DUPLICATE = "duplicate", _("repeats an earlier row")
        INVALID = "invalid", _("invalid")

    class Decision(models.TextChoices):
        MERGE = "merge", _("merge into the existing record")
        CREATE = "create", _("create a new record")
        SKIP = "skip", _("skip")

    local_authority = tenant_fk()
    batch = models.ForeignKey(
        ImportBatch, on_delete=models.CASCADE, related_name="rows", verbose_name=_("import")
    )
    number = models.PositiveIntegerField(_("row in the file"))
    values = models.JSONField(_("values"), default=dict)
    problems = models.JSONField(_("problems"), default=dict, blank=True)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    organisation_id_match = models.BigIntegerField(null=True, blank=True)
    person_id_match = models.BigIntegerField(null=True, blank=True)
    match_label = models.CharField(_("matched record"), max_length=300, blank=True)
    score = models.FloatField(default=0)
    duplicate_of = models.PositiveIntegerField(_("repeats row"), null=True, blank=True)

    objects: ClassVar[TenantManager[ImportRow]] = tenant_manager()

    class Meta:
        verbose_name = _("import row")
        verbose_name_plural = _("import rows")
        ordering = ["batch", "number"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "number"], name="import_row_unique_number")
        ]
        indexes = [models.Index(fields=["batch", "status"])]

    def __str__(self) -> str:
        return f"{self.batch} #{self.number}"


class ColumnMapping(models.Model):
    """The mapping a tenant chose for a sheet layout, offered again for the same headers."""

    local_authority = tenant_fk()
    signature = models.CharField(_("header signature"), max_length=64)
    headers = models.JSONField(_("column headers"), default=list)
    mapping = models.JSONField(_("mapping"), default=list)
    updated_at = models.DateTimeField(_("last used"), default=timezone.now)

    objects: ClassVar[TenantManager[ColumnMapping]] = tenant_manager()

    class Meta:
        verbose_name = _("column mapping")
        verbose_name_plural = _("column mappings")
        constraints = [
            models.UniqueConstraint(
                fields=["local_authority", "signature"], name="column_mapping_unique_signature"
            )
        ]

    def __str__(self) -> str:
        return ", ".join(self.headers)[:100]
