"""``manage.py imports_purge [--days N]``: forget uploaded sheets after a while (GDPR: storage
limitation). Run it daily, e.g. from cron or a systemd timer."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from knotenpunkt.imports.gdpr import PERSONAL_KEYS
from knotenpunkt.imports.models import ImportBatch, ImportRow


class Command(BaseCommand):
    help = "Delete the raw files and personal values of import batches older than N days."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=settings.IMPORTS_KEEP_DAYS,
            help="Keep batches this many days (default: IMPORTS_KEEP_DAYS).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        cutoff = timezone.now() - datetime.timedelta(days=max(options["days"], 1))
        with scopes_disabled(), transaction.atomic():
            batches = ImportBatch.objects.filter(created_at__lt=cutoff).exclude(
                status__in=[ImportBatch.Status.PREVIEWING, ImportBatch.Status.APPLYING]
            )
            batch_ids = list(batches.values_list("pk", flat=True))
            batches.update(content=None, table=[])
            rows = list(ImportRow.objects.filter(batch_id__in=batch_ids).only("pk", "values"))
            for row in rows:
                row.values = {
                    key: ("" if key in PERSONAL_KEYS else value)
                    for key, value in row.values.items()
                }
            ImportRow.objects.bulk_update(rows, ["values"], batch_size=1000)
        self.stdout.write(
            f"Purged {len(batch_ids)} import batches older than {options['days']} days."
        )
