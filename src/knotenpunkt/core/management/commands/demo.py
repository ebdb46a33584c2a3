"""``manage.py demo``: loads the demo tenants and prints the demo logins."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from knotenpunkt.core.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Load the demo tenants (Altmarkkreis Salzwedel, Musterstadt) and print the logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset", action="store_true", help="Replace demo data loaded earlier."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        logins = load_demo(reset=options["reset"])
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        width = max(len(login.email) for login in logins)
        for login in logins:
            self.stdout.write(f"  {login.email.ljust(width)}  {login.name} – {login.description}")
        self.stdout.write("")
        self.stdout.write(
            "The demo accounts are for a local demo only; never load them in production."
        )
