"""``manage.py import_figures <tenant> <file.csv>``: area figures from CSV, all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_scopes import scope

from knotenpunkt.core import services
from knotenpunkt.core.figures_import import parse_figures_csv
from knotenpunkt.core.models import Area, LocalAuthority


class Command(BaseCommand):
    help = "Import yearly figures per area from a CSV file into one tenant (all rows or none)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("tenant", help="The tenant's short name (slug).")
        parser.add_argument("file", type=Path, help="CSV file as Excel saves it.")

    def handle(self, *args: Any, **options: Any) -> None:
        tenant = LocalAuthority.objects.filter(slug=options["tenant"]).first()
        if tenant is None:
            raise CommandError(f"There is no tenant “{options['tenant']}”.")
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path} cannot be read: {error.strerror}.") from None
        with scope(local_authority=tenant):
            parsed = parse_figures_csv(data, Area.objects.all())
            if not parsed.ok:
                for problem in parsed.problems:
                    self.stderr.write(str(problem))
                raise CommandError(f"Nothing was imported: {len(parsed.problems)} problem(s).")
            result = services.figures_import(
                actor=None, local_authority=tenant, rows=parsed.rows, file_name=path.name
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported: {result.created} new, {result.updated} changed, "
                f"{result.unchanged} unchanged."
            )
        )
