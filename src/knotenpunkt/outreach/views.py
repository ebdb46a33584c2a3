"""Views for keeping contact: record, change and delete contacts, mark follow-ups done, list them.

Coordinators write and read; steering group members read the list. Network partners and
volunteers are turned away: contacts are the coordination's working notes about the partners.
"""

from __future__ import annotations

import copy
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from knotenpunkt.core.models import LocalAuthority
from knotenpunkt.core.tenancy import COORDINATOR, STEERING, role_required
from knotenpunkt.outreach import selectors, services
from knotenpunkt.outreach.forms import ContactFilterForm, ContactForm
from knotenpunkt.outreach.models import Contact
from knotenpunkt.partners.models import Organisation, Person

PAGE_SIZE = 50


def _tenant(request: HttpRequest) -> LocalAuthority:
    return request.tenant  # type: ignore[attr-defined]


def _uuid(value: str) -> UUID:
    """A uuid from request input; anything else is a page that does not exist."""
    try:
        return UUID(value)
    except ValueError:
        raise Http404("No such page.") from None


def _back(request: HttpRequest, contact: Contact | None, tenant: str) -> HttpResponse:
    """Back to where the user came from (a partner's page or the list), if it is ours."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith(f"/t/{tenant}/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    if contact is not None and contact.person_id:
        return redirect("partners:person_detail", tenant=tenant, person=contact.person.uuid)  # type: ignore[union-attr]
    if contact is not None and contact.organisation_id:
        return redirect(
            "partners:organisation_detail",
            tenant=tenant,
            organisation=contact.organisation.uuid,  # type: ignore[union-attr]
        )
    return redirect("outreach:contact_list", tenant=tenant)


@role_required(COORDINATOR, STEERING)
@require_GET
def contact_list(request: HttpRequest, tenant: str) -> HttpResponse:
    """The tenant's contacts, filtered by kind, dates, open follow-ups or partner."""
    form = ContactFilterForm(request.GET or None)
    rows = selectors.contact_list(form.filters())
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode(
        [(key, str(value)) for key, value in request.GET.items() if key != "page" and value]
    )
    return render(
        request,
        "outreach/contact_list.html",
        {"form": form, "page": page, "query": query, "filters": form.filters()},
    )


@role_required(COORDINATOR)
@require_http_methods(["GET", "POST"])
def contact_create(request: HttpRequest, tenant: str) -> HttpResponse:
    """Records a contact; ``?organisation=<uuid>`` or ``?person=<uuid>`` preselects the partner."""
    initial: dict[str, object] = {"who": request.user.pk, "kind": Contact.Kind.VISIT}
    organisation = person = None
    if request.method == "GET":
        if request.GET.get("organisation"):
            organisation = get_object_or_404(Organisation, uuid=_uuid(request.GET["organisation"]))
            initial["organisation"] = organisation.uuid
        if request.GET.get("person"):
            person = get_object_or_404(
                Person, uuid=_uuid(request.GET["person"]), erased_at__isnull=True
            )
            initial["person"] = person.uuid
    form = ContactForm(request.POST or None, tenant=_tenant(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            contact = services.contact_log(
                actor=request.user, local_authority=_tenant(request), **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The contact was recorded."))
            return _back(request, contact, tenant)
    return render(
        request,
        "outreach/contact_form.html",
        {
            "form": form,
            "contact": None,
            "next": request.POST.get("next") or request.GET.get("next", ""),
            "partner": person or organisation,
        },
    )


def _get_contact(uuid: UUID) -> Contact:
    return get_object_or_404(Contact.objects.select_related("organisation", "person"), uuid=uuid)


@role_required(COORDINATOR)
@require_http_methods(["GET", "POST"])
def contact_edit(request: HttpRequest, tenant: str, contact: UUID) -> HttpResponse:
    obj = _get_contact(contact)
    if obj.person is not None and obj.person.is_erased:
        messages.error(
            request, _("This contact is with an anonymised person and can no longer be changed.")
        )
        return _back(request, obj, tenant)
    form = ContactForm(request.POST or None, instance=copy.copy(obj), tenant=_tenant(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_update(actor=request.user, contact=obj, data=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The changes were saved."))
            return _back(request, obj, tenant)
    return render(
        request,
        "outreach/contact_form.html",
        {
            "form": form,
            "contact": obj,
            "next": request.POST.get("next") or request.GET.get("next", ""),
        },
    )


@role_required(COORDINATOR)
@require_POST
def contact_delete(request: HttpRequest, tenant: str, contact: UUID) -> HttpResponse:
    obj = _get_contact(contact)
    services.contact_delete(actor=request.user, contact=obj)
    messages.success(request, _("The contact was deleted."))
    return _back(request, obj, tenant)


@role_required(COORDINATOR)
@require_POST
def follow_up_done(request: HttpRequest, tenant: str, contact: UUID) -> HttpResponse:
    obj = _get_contact(contact)
    try:
        services.contact_follow_up_done(actor=request.user, contact=obj)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The follow-up is marked as done."))
    return _back(request, obj, tenant)
