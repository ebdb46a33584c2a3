"""Personal API tokens for the partner API: list, create (shown once), revoke.

Each user manages only their own tokens of the current tenant; partners and coordinators may
have them (the roles the partner API serves).
"""

from __future__ import annotations

from typing import cast
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from knotenpunkt.core.models import User
from knotenpunkt.core.tenancy import COORDINATOR, PARTNER, role_required
from knotenpunkt.directory.api import services
from knotenpunkt.directory.api.forms import ApiTokenForm
from knotenpunkt.directory.models import ApiToken


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _own_tokens(request: HttpRequest) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=_user(request)).order_by("revoked_at", "-created_at")


@role_required(COORDINATOR, PARTNER)
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest, tenant: str) -> HttpResponse:
    """The user's tokens; a POST creates one and shows its secret this once."""
    form = ApiTokenForm(request.POST or None)
    secret = ""
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                _token, secret = services.api_token_create(
                    actor=_user(request),
                    local_authority=request.tenant,  # type: ignore[attr-defined]
                    name=form.cleaned_data["name"],
                )
            except ValidationError as refused:
                form.add_error(None, refused)
                status = 400
            else:
                form = ApiTokenForm()
                status = 201
        else:
            status = 400
    response = render(
        request,
        "directory/api/token_list.html",
        {
            "form": form,
            "tokens": _own_tokens(request),
            "secret": secret,
            "api_url": request.build_absolute_uri(reverse("partner_api:api-root")),
            "openapi_url": request.build_absolute_uri(reverse("partner_api:openapi-json")),
        },
        status=status,
    )
    if secret:
        # The secret is in this page only: keep it out of every cache.
        response["Cache-Control"] = "no-store"
    return response


@role_required(COORDINATOR, PARTNER)
@require_POST
def token_revoke(request: HttpRequest, tenant: str, token: UUID) -> HttpResponse:
    """Revokes one of the user's own tokens; another user's token is not found."""
    found = get_object_or_404(ApiToken, uuid=token, user=_user(request))
    services.api_token_revoke(actor=_user(request), token=found)
    messages.success(request, _("The token “%(name)s” was revoked.") % {"name": found.name})
    return redirect("api_tokens:token_list", tenant=tenant)
