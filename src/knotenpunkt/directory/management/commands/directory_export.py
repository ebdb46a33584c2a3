"""Exports a tenant's directory of offers as HSDS: JSON or the tabular data package."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from knotenpunkt.core.models import LocalAuthority
from knotenpunkt.directory.hsds.serialize import stream_services_json
from knotenpunkt.directory.hsds.tabular import stream_datapackage


class Command(BaseCommand):
    help = (
        "Writes a tenant's offers as HSDS 3.0 with the DE profile: JSON (one page of full "
        "services, as the HSDS API returns them) or the tabular data package (a zip of CSV "
        "files and datapackage.json)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--tenant", required=True, help="The tenant's short name (slug).")
        parser.add_argument("--format", choices=["json", "tabular"], default="json")
        parser.add_argument(
            "--public",
            action="store_true",
            help="Only what the public guide shows: public, active, current offers; "
            "confidential addresses left out.",
        )
        parser.add_argument(
            "--output", default="-", help="File to write (default: standard output)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        tenant = LocalAuthority.objects.filter(slug=options["tenant"]).first()
        if tenant is None:
            raise CommandError(f"No tenant with the short name {options['tenant']!r}.")
        public = options["public"]
        if options["format"] == "json":
            chunks = stream_services_json(tenant, public=public)
        else:
            chunks = stream_datapackage(tenant, public=public)
        size = 0
        if options["output"] == "-":
            out = sys.stdout.buffer
            for chunk in chunks:
                out.write(chunk)
                size += len(chunk)
            out.flush()
            return
        path = Path(options["output"])
        with path.open("wb") as out:
            for chunk in chunks:
                out.write(chunk)
                size += len(chunk)
        self.stderr.write(f"{size:,} bytes written to {path}.")
