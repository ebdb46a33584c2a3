"""Hooks that let each app add its part to a tenant without core importing the app.

An app contributes by defining, in a module of its own package:

* ``tenant_defaults.py`` with ``install_defaults(tenant)`` – the vocabularies a new tenant starts
  with (sectors, professions, kinds of body …); it must be idempotent;
* ``demo_data.py`` with ``build_demo(tenant)`` – the app's objects for a demo tenant (it looks at
  ``tenant.slug`` to decide what to build);
* ``gdpr.py`` with ``erase_person(person)`` and ``export_person(person) -> dict`` – what the app
  holds about a professional, blanked on erasure and included in the export under the keys the
  returned dict names (GDPR Art. 15, 17).

Apps run in the order of ``INSTALLED_APPS``, so an app may rely on the ones listed before it.
"""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.apps import apps
from django_scopes import scope

from knotenpunkt.core.models import LocalAuthority


def _run(module_name: str, function_name: str, **kwargs: Any) -> None:
    for config in apps.get_app_configs():
        if not config.name.startswith("knotenpunkt."):
            continue
        dotted = f"{config.name}.{module_name}"
        if find_spec(dotted) is None:
            continue
        getattr(import_module(dotted), function_name)(**kwargs)


def install_tenant_defaults(tenant: LocalAuthority) -> None:
    """Gives a tenant every app's default vocabularies (idempotent)."""
    with scope(local_authority=tenant):
        _run("tenant_defaults", "install_defaults", tenant=tenant)


def build_demo_data(tenant: LocalAuthority) -> None:
    """Lets every app add its demo objects to a demo tenant."""
    with scope(local_authority=tenant):
        _run("demo_data", "build_demo", tenant=tenant)


def erase_person_data(person: Any) -> None:
    """Lets every app blank what it holds about a person being erased (in the same transaction)."""
    _run("gdpr", "erase_person", person=person)


def export_person_data(person: Any) -> dict[str, Any]:
    """Collects what every app holds about a person, merged into one dict."""
    collected: dict[str, Any] = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("knotenpunkt."):
            continue
        dotted = f"{config.name}.gdpr"
        if find_spec(dotted) is not None:
            collected.update(import_module(dotted).export_person(person=person))
    return collected
