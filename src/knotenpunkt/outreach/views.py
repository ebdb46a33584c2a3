"""Views for keeping contact: record, change and delete contacts, mark follow-ups done, list them.

Coordinators write and read; steering group members read the list. Network partners and
volunteers are turned away: contacts are the coordination's working notes about the partners.
"""

from __future__ import annotations

import copy
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from knotenpunkt.core.models import LocalAuthority
from knotenpunkt.core.tenancy import COORDINATOR, STEERING, VOLUNTEER, role_required
from knotenpunkt.outreach import selectors, services
from knotenpunkt.outreach.forms import (
    CareFilterForm,
    ContactFilterForm,
    ContactForm,
    ContactIntervalForm,
    MoveForm,
    StopForm,
    StopHoursForm,
    TourForm,
    WelcomeVisitForm,
)
from knotenpunkt.outreach.models import Contact, ContactInterval, Tour, TourStop
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
            # A visit is the moment to check the partner's offers: the page prompts for it.
            "partner_organisation": organisation,
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
            "partner_organisation": obj.organisation,
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


# --- Contact care ------------------------------------------------------------------------------


@role_required(COORDINATOR)
@require_GET
def contact_care(request: HttpRequest, tenant: str) -> HttpResponse:
    """Partners not contacted within their interval: organisations grouped by sector,
    profession or area, or people grouped by profession."""
    form = CareFilterForm(request.GET or None)
    show_people = form.people()
    draft = Tour.objects.filter(status=Tour.Status.DRAFT).order_by("-created_at").first()
    on_tour: set[int] = set()
    people_on_tour: set[int] = set()
    if draft is not None:
        for organisation_id, person_id in TourStop.objects.filter(tour=draft).values_list(
            "organisation_id", "person_id"
        ):
            on_tour.add(organisation_id)
            if person_id is not None:
                people_on_tour.add(person_id)
    return render(
        request,
        "outreach/contact_care.html",
        {
            "form": form,
            "show_people": show_people,
            "groups": [] if show_people else selectors.contact_care(group_by=form.group()),
            "people_groups": selectors.person_care() if show_people else [],
            "draft": draft,
            "on_tour": on_tour,
            "people_on_tour": people_on_tour,
            "interval_form": ContactIntervalForm(),
            "intervals": ContactInterval.objects.select_related("sector", "profession").order_by(
                "sector__name", "profession__name"
            ),
        },
    )


@role_required(COORDINATOR)
@require_POST
def contact_interval_set(request: HttpRequest, tenant: str) -> HttpResponse:
    form = ContactIntervalForm(request.POST)
    if form.is_valid():
        try:
            services.contact_interval_set(
                actor=request.user,
                local_authority=_tenant(request),
                months=form.cleaned_data["months"],
                sector=form.cleaned_data["sector"],
                profession=form.cleaned_data["profession"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The interval was saved."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("outreach:contact_care", tenant=tenant)


@role_required(COORDINATOR)
@require_POST
def care_put_on_tour(request: HttpRequest, tenant: str, organisation: UUID) -> HttpResponse:
    """Puts an organisation on the newest draft tour (a new one if there is none); HTMX-aware."""
    obj = get_object_or_404(Organisation, uuid=organisation)
    tour = services.draft_tour(actor=request.user, local_authority=_tenant(request))
    error = ""
    try:
        services.stop_add(actor=request.user, tour=tour, organisation=obj)
    except ValidationError as exc:
        error = " ".join(exc.messages)
    if request.htmx:  # type: ignore[attr-defined]
        return render(
            request,
            "outreach/partials/on_tour.html",
            {"tour": tour, "error": error, "organisation": obj},
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("%(name)s is on the tour.") % {"name": obj.name})
    return redirect("outreach:contact_care", tenant=tenant)


@role_required(COORDINATOR)
@require_POST
def care_put_person_on_tour(request: HttpRequest, tenant: str, person: UUID) -> HttpResponse:
    """Puts a person on the newest draft tour, at their organisation's address; HTMX-aware."""
    obj = get_object_or_404(Person, uuid=person, erased_at__isnull=True)
    tour = services.draft_tour(actor=request.user, local_authority=_tenant(request))
    error = ""
    try:
        services.stop_add_person(actor=request.user, tour=tour, person=obj)
    except ValidationError as exc:
        error = " ".join(exc.messages)
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "outreach/partials/on_tour.html", {"tour": tour, "error": error})
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("%(name)s is on the tour.") % {"name": obj.full_name})
    return redirect(f"{reverse('outreach:contact_care', kwargs={'tenant': tenant})}?show=people")


# --- Tours -------------------------------------------------------------------------------------


@role_required(COORDINATOR)
@require_http_methods(["GET", "POST"])
def tour_list(request: HttpRequest, tenant: str) -> HttpResponse:
    """The tours, and a form for a new one."""
    form = TourForm(request.POST or None, initial={"day_start": "08:00", "day_end": "16:00"})
    if request.method == "POST" and form.is_valid():
        try:
            tour = services.tour_create(
                actor=request.user, local_authority=_tenant(request), **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("outreach:tour_detail", tenant=tenant, tour=tour.uuid)
    page = Paginator(selectors.tour_list(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "outreach/tour_list.html", {"form": form, "page": page})


def _get_tour(uuid: UUID) -> Tour:
    return get_object_or_404(Tour, uuid=uuid)


@role_required(COORDINATOR)
@require_GET
def tour_detail(request: HttpRequest, tenant: str, tour: UUID) -> HttpResponse:
    """A tour's stops in order with times, the map, and its actions."""
    obj = _get_tour(tour)
    stops = selectors.tour_stops(obj)
    planned = obj.status == Tour.Status.PLANNED
    return render(
        request,
        "outreach/tour_detail.html",
        {
            "tour": obj,
            "stops": stops,
            # On a planned tour, the stops that do not fit stay at the end.
            "movable": [stop.pk for stop in stops if not (planned and stop.unreachable)],
            "stop_form": StopForm(),
            "map_data": selectors.tour_map_data(obj, stops),
            "tile_url": settings.MAP_TILE_URL,
            "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        },
    )


@role_required(COORDINATOR)
@require_GET
def tour_print(request: HttpRequest, tenant: str, tour: UUID) -> HttpResponse:
    """The printable itinerary: times, addresses and phone numbers."""
    obj = _get_tour(tour)
    return render(
        request,
        "outreach/tour_print.html",
        {"tour": obj, "stops": selectors.tour_stops(obj)},
    )


@role_required(COORDINATOR)
@require_POST
def tour_stop_add(request: HttpRequest, tenant: str, tour: UUID) -> HttpResponse:
    obj = _get_tour(tour)
    form = StopForm(request.POST)
    if form.is_valid():
        try:
            services.stop_add(actor=request.user, tour=obj, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The stop was added."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("outreach:tour_detail", tenant=tenant, tour=obj.uuid)


@role_required(COORDINATOR)
@require_POST
def tour_stop_remove(request: HttpRequest, tenant: str, tour: UUID, stop: UUID) -> HttpResponse:
    obj = _get_tour(tour)
    item = get_object_or_404(TourStop, uuid=stop, tour=obj)
    try:
        services.stop_remove(actor=request.user, stop=item)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The stop was removed."))
    return redirect("outreach:tour_detail", tenant=tenant, tour=obj.uuid)


@role_required(COORDINATOR)
@require_http_methods(["GET", "POST"])
def tour_stop_edit(request: HttpRequest, tenant: str, tour: UUID, stop: UUID) -> HttpResponse:
    """Changes a stop's opening hours and visit length."""
    obj = _get_tour(tour)
    item = get_object_or_404(TourStop.objects.select_related("organisation"), uuid=stop, tour=obj)
    initial = {"opens": item.opens, "closes": item.closes, "service_minutes": item.service_minutes}
    form = StopHoursForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            notes = services.stop_update(actor=request.user, stop=item, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The stop was changed."))
            for note in notes:
                messages.warning(request, note)
            return redirect("outreach:tour_detail", tenant=tenant, tour=obj.uuid)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "outreach/stop_form.html", {"form": form, "tour": obj, "stop": item}, status=status
    )


@role_required(COORDINATOR)
@require_POST
def tour_stop_move(request: HttpRequest, tenant: str, tour: UUID, stop: UUID) -> HttpResponse:
    """Moves a stop one place up or down (the order by hand)."""
    obj = _get_tour(tour)
    item = get_object_or_404(TourStop, uuid=stop, tour=obj)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Move a stop up or down."))
        return redirect("outreach:tour_detail", tenant=tenant, tour=obj.uuid)
    try:
        notes = services.stop_move(
            actor=request.user, stop=item, direction=form.cleaned_data["direction"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        for note in notes:
            messages.warning(request, note)
    return redirect("outreach:tour_detail", tenant=tenant, tour=obj.uuid)


@role_required(COORDINATOR)
@require_POST
def tour_plan(request: HttpRequest, tenant: str, tour: UUID) -> HttpResponse:
    """Plans the order (OR-Tools), or with ``keep_order`` only the times of the order by hand."""
    obj = _get_tour(tour)
    keep_order = request.POST.get("keep_order") == "1"
    try:
        notes = services.tour_plan(actor=request.user, tour=obj, keep_order=keep_order)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The tour is planned."))
        for note in notes:
            messages.warning(request, note)
    return redirect("outreach:tour_detail", tenant=tenant, tour=obj.uuid)


@role_required(COORDINATOR)
@require_POST
def tour_complete(request: HttpRequest, tenant: str, tour: UUID) -> HttpResponse:
    """Records the visits: each visited stop becomes a contact to fill in."""
    obj = _get_tour(tour)
    try:
        contacts = services.tour_complete(actor=request.user, tour=obj)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            ngettext(
                "%(count)s visit was recorded. Fill in what you learned.",
                "%(count)s visits were recorded. Fill in what you learned.",
                len(contacts),
            )
            % {"count": len(contacts)},
        )
    return redirect("outreach:tour_detail", tenant=tenant, tour=obj.uuid)


# --- Welcome visits ----------------------------------------------------------------------------


@role_required(COORDINATOR, VOLUNTEER)
@require_http_methods(["GET", "POST"])
def welcome_visit_record(request: HttpRequest, tenant: str) -> HttpResponse:
    """Volunteers and coordinators record welcome visits as anonymous counts."""
    form = WelcomeVisitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.welcome_visits_record(
                actor=request.user, local_authority=_tenant(request), **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The welcome visits were recorded. Thank you!"))
            return redirect("outreach:welcome_visit_record", tenant=tenant)
    return render(request, "outreach/welcome_visit_form.html", {"form": form})


@role_required(COORDINATOR, STEERING)
@require_GET
def welcome_statistics(request: HttpRequest, tenant: str) -> HttpResponse:
    """Welcome visits per area and month, the last twelve months."""
    return render(
        request,
        "outreach/welcome_statistics.html",
        {"stats": selectors.welcome_statistics()},
    )
