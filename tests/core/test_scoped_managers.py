"""Every tenant-owned model must be scoped: a query without a tenant scope raises."""

from __future__ import annotations

from django.apps import apps
from django.db import models
from django_scopes import ScopeError

from knotenpunkt.core.models import LocalAuthority

#: Models that are not owned by one tenant, and why.
NOT_TENANT_OWNED = {
    "core.LocalAuthority": "is the tenant itself",
    "core.User": "one account can hold roles in several tenants",
    "core.LifePhase": "one fixed vocabulary of the prevention chain, shared by all tenants",
}


def project_models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models()
        if model.__module__.startswith("knotenpunkt.") and not model._meta.abstract
    ]


def test_every_project_model_is_scoped_or_declared_global() -> None:
    unscoped = []
    for model in project_models():
        label = model._meta.label
        if label in NOT_TENANT_OWNED:
            continue
        field_names = {field.name for field in model._meta.get_fields()}
        assert "local_authority" in field_names, f"{label} has no local_authority foreign key"
        field = model._meta.get_field("local_authority")
        assert field.related_model is LocalAuthority, f"{label}.local_authority is not a tenant FK"
        try:
            model._default_manager.all().exists()
        except ScopeError:
            continue
        unscoped.append(label)
    assert not unscoped, f"tenant-owned models without a scoped manager: {unscoped}"


def test_the_global_list_names_only_real_models() -> None:
    labels = {model._meta.label for model in project_models()}
    assert set(NOT_TENANT_OWNED) <= labels
