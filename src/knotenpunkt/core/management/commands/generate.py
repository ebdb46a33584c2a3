"""``manage.py generate``: fills the database with deterministic synthetic data."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from knotenpunkt.core.synthetic import SCALES, generate


class Command(BaseCommand):
    help = (
        "Generates fictional tenants with areas, figures and accounts. The same scale and seed "
        "always give the same data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=list(SCALES), default="county")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete earlier synthetic tenants and accounts first.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        verbose = options["verbosity"] > 1
        try:
            report = generate(
                scale=options["scale"],
                seed=options["seed"],
                replace=options["replace"],
                stdout=self.stdout if verbose else None,
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        if report.replaced_tenants:
            self.stdout.write(f"Replaced {report.replaced_tenants} earlier synthetic tenants.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Synthetic data (scale {report.scale}, seed {report.seed}): "
                f"{report.tenants} tenants, {report.areas} areas, {report.figures} figures, "
                f"{report.users} users in {report.seconds:.1f} s."
            )
        )
