"""Rebuilds the search index of the directory (after an upgrade, or a bulk load of offers)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_scopes import scope

from knotenpunkt.core.models import LocalAuthority
from knotenpunkt.directory.search.index import search_index_rebuild


class Command(BaseCommand):
    help = "Rebuild the search index of the offers of one tenant (--tenant) or of all tenants."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--tenant", help="short name (slug) of one tenant")

    def handle(self, *args: Any, **options: Any) -> None:
        tenants = LocalAuthority.objects.order_by("slug")
        if options["tenant"]:
            tenants = tenants.filter(slug=options["tenant"])
            if not tenants.exists():
                raise CommandError(f"No tenant with the short name {options['tenant']!r}.")
        for tenant in tenants:
            with scope(local_authority=tenant):
                search_index_rebuild(tenant)
            self.stdout.write(f"{tenant.slug}: search index rebuilt")
