"""Imports HSDS (JSON or a tabular data package) into a tenant's directory of offers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from knotenpunkt.core.models import LocalAuthority
from knotenpunkt.directory.hsds.importer import import_hsds, parse_json
from knotenpunkt.directory.hsds.tabular import import_datapackage


class Command(BaseCommand):
    help = (
        "Imports HSDS 3.0 into a tenant's directory: a JSON file (a service, an organisation, "
        "a taxonomy or term, a list or a page of them) or a tabular data package (a .zip file "
        "or a folder of CSV files). Each record is checked and written on its own; rejected "
        "records are listed with the reasons and write nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--tenant", required=True, help="The tenant's short name (slug).")
        parser.add_argument("path", help="A .json file, a .zip data package or a folder.")

    def handle(self, *args: Any, **options: Any) -> None:
        tenant = LocalAuthority.objects.filter(slug=options["tenant"]).first()
        if tenant is None:
            raise CommandError(f"No tenant with the short name {options['tenant']!r}.")
        path = Path(options["path"])
        if not path.exists():
            raise CommandError(f"{path} does not exist.")
        problems: list[str] = []
        try:
            if path.is_dir() or path.suffix.lower() == ".zip":
                report, problems = import_datapackage(
                    actor=None, local_authority=tenant, source=path
                )
            else:
                report = import_hsds(
                    actor=None, local_authority=tenant, data=parse_json(path.read_bytes())
                )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        for line in report.lines(problems):
            self.stdout.write(line)
