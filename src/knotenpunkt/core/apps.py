from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "knotenpunkt.core"
    label = "core"
    verbose_name = _("Tenancy, areas and accounts")

    def ready(self) -> None:
        # Registers the Unicode-aware LOWER for SQLite connections (see text_search).
        from knotenpunkt.core import text_search  # noqa: F401
