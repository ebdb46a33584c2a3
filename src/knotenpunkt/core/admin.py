"""The instance admin's site: tenants, users and roles. Changes made here are audited too."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Model, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django_scopes import scopes_disabled

from knotenpunkt.core import audit
from knotenpunkt.core.hooks import install_tenant_defaults
from knotenpunkt.core.models import Area, AuditEntry, LocalAuthority, Role, User


class AuditedAdmin(admin.ModelAdmin):
    """Writes every admin change into the audit log; tenant-owned rows are read unscoped."""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        with scopes_disabled():
            return super().get_queryset(request).all()

    def save_model(
        self, request: HttpRequest, obj: Model, form: ModelForm[Any], change: bool
    ) -> None:
        before = audit.snapshot(type(obj)._base_manager.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)
        if before is None:
            audit.log_create(actor=request.user, instance=obj)
        else:
            audit.log_update(actor=request.user, instance=obj, before=before)

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        audit.log_delete(actor=request.user, instance=obj)
        super().delete_model(request, obj)


@admin.register(LocalAuthority)
class LocalAuthorityAdmin(AuditedAdmin):
    list_display = ["name", "slug", "kind", "is_demo"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def save_model(
        self, request: HttpRequest, obj: Model, form: ModelForm[Any], change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        if not change:
            assert isinstance(obj, LocalAuthority)  # noqa: S101
            install_tenant_defaults(obj)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "is_superuser", "last_login"]
    search_fields = ["email", "full_name"]
    list_filter = ["is_active", "is_superuser"]
    fieldsets = (
        (None, {"fields": ("email", "full_name", "password")}),
        (None, {"fields": ("is_active", "is_staff", "is_superuser")}),
        (None, {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"fields": ("email", "full_name", "password1", "password2")}),)
    readonly_fields = ["last_login", "date_joined"]
    filter_horizontal = ()


@admin.register(Role)
class RoleAdmin(AuditedAdmin):
    list_display = ["user", "kind", "local_authority", "granted_at"]
    list_filter = ["kind", "local_authority"]
    search_fields = ["user__email", "user__full_name"]
    autocomplete_fields = ["user"]


@admin.register(Area)
class AreaAdmin(AuditedAdmin):
    list_display = ["name", "kind", "local_authority", "parent"]
    list_filter = ["local_authority", "kind"]
    search_fields = ["name", "official_key"]
    raw_id_fields = ["parent"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_label", "action", "object_type", "object_label", "local_authority"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_label", "actor_label"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        with scopes_disabled():
            return super().get_queryset(request).all()

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
