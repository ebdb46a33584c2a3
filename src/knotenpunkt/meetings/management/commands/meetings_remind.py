"""Reminds the owners of overdue action items, once per item (run daily, e.g. from cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django_scopes import scope

from knotenpunkt.core.models import LocalAuthority
from knotenpunkt.meetings.services import action_items_remind


class Command(BaseCommand):
    help = "E-mails the owners of overdue open action items once."

    def handle(self, *args: Any, **options: Any) -> None:
        total = 0
        for tenant in LocalAuthority.objects.order_by("pk"):
            with scope(local_authority=tenant):
                total += action_items_remind()
        self.stdout.write(f"{total} reminders sent.")
