"""Sends the reminders to verify offers that are due, once per period (run daily, e.g. cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from knotenpunkt.core.models import LocalAuthority
from knotenpunkt.directory.services import default_url_base, send_verification_reminders


class Command(BaseCommand):
    help = (
        "E-mails the responsible contacts of offers that are due for verification, once per "
        "period, with a one-click link to confirm them (all tenants)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--url-base",
            default="",
            help="Address of the site for the links in the e-mails (default: the SITE_URL "
            "setting).",
        )
        parser.add_argument("--tenant", default="", help="Only this tenant (its short name).")

    def handle(self, *args: Any, **options: Any) -> None:
        url_base = options["url_base"] or default_url_base()
        tenants = LocalAuthority.objects.order_by("pk")
        if options["tenant"]:
            tenants = tenants.filter(slug=options["tenant"])
        emails = reminded = without = 0
        for tenant in tenants:
            result = send_verification_reminders(tenant=tenant, url_base=url_base)
            emails += result.emails
            reminded += result.services
            without += result.without_address
        self.stdout.write(
            f"{emails} reminders sent for {reminded} offers; "
            f"{without} offers have no e-mail address to remind."
        )
