"""The public guide (Familienwegweiser) of a tenant: offers, reporting an error, verifying.

No login: every view runs through :func:`~knotenpunkt.core.tenancy.public_tenant`, which finds
the tenant from the ``<guide>`` part of the address. Only public, active offers that are not
hidden for staleness appear (:func:`~knotenpunkt.directory.selectors.public_services`);
confidential addresses (women's shelters) are never shown, only how to get in touch. The pages
load nothing from third parties and work without JavaScript.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods

from knotenpunkt.core.services import ServiceError
from knotenpunkt.core.tenancy import public_tenant
from knotenpunkt.core.text_search import field_contains, words_match
from knotenpunkt.directory import selectors, services
from knotenpunkt.directory.forms import ErrorReportForm
from knotenpunkt.directory.models import (
    Address,
    Phone,
    Service,
    ServiceAtLocation,
    ServiceTranslation,
)

PAGE_SIZE = 30
LOCALISED_FIELDS = ServiceTranslation.FIELDS


@dataclass
class Localised:
    """An offer's texts in the reader's language, with German as the fallback per field.

    ``languages`` says, per field, the language the text is in (for the ``lang`` attribute).
    """

    texts: dict[str, str]
    languages: dict[str, str]

    def __getattr__(self, name: str) -> Any:
        if name in LOCALISED_FIELDS:
            return self.texts[name]
        raise AttributeError(name)


def localised(service: Service, language: str) -> Localised:
    """The offer's texts in ``language`` where translated, else the German source."""
    language = (language or "de").split("-")[0]
    found = next((t for t in service.translations.all() if t.language == language), None)
    texts, languages = {}, {}
    for name in LOCALISED_FIELDS:
        translated = getattr(found, name, "") if found is not None else ""
        texts[name] = translated or getattr(service, name)
        languages[name] = language if translated else "de"
    return Localised(texts=texts, languages=languages)


def _public_list(tenant: Any, search: str) -> QuerySet[Service]:
    services = (
        selectors.public_services(tenant)
        .select_related("organisation")
        .prefetch_related(
            Prefetch("translations", queryset=ServiceTranslation.objects.order_by("language")),
            Prefetch(
                "service_at_locations",
                queryset=ServiceAtLocation.objects.select_related("location__area")
                .prefetch_related(
                    Prefetch("location__addresses", queryset=Address.objects.order_by("id"))
                )
                .order_by("id"),
            ),
        )
    )
    if search:
        services = services.filter(
            words_match(
                search,
                ["name", "alternate_name", "description", "organisation__name"],
                extra=[
                    lambda word: Q(
                        pk__in=ServiceTranslation.objects.filter(
                            field_contains("name", word) | field_contains("description", word)
                        ).values("service")
                    ),
                    # Places are searched only where the address is not confidential.
                    lambda word: Q(
                        pk__in=ServiceAtLocation.objects.filter(
                            location__confidential=False,
                        )
                        .filter(
                            field_contains("location__area__name", word)
                            | Q(
                                location__in=Address.objects.filter(
                                    field_contains("city", word)
                                ).values("location")
                            )
                        )
                        .values("service")
                    ),
                ],
            )
        )
    return services.order_by("name", "pk")


@public_tenant
@require_GET
def offer_list(request: HttpRequest) -> HttpResponse:
    """The public list of offers with a simple text search."""
    search = request.GET.get("q", "")[:100].strip()
    page = Paginator(_public_list(request.tenant, search), PAGE_SIZE).get_page(  # type: ignore[attr-defined]
        request.GET.get("page")
    )
    language = translation.get_language() or "de"
    rows = [
        {
            "service": service,
            "text": localised(service, language),
            "places": _public_places(service),
            "age": selectors.age_text(service.min_age_months, service.max_age_months),
        }
        for service in page.object_list
    ]
    return render(
        request,
        "directory/guide/offer_list.html",
        {
            "page": page,
            "rows": rows,
            "search": search,
            "query": urlencode({"q": search}) if search else "",
        },
    )


def _public_places(service: Service) -> list[str]:
    """Towns of the offer's locations, leaving out confidential ones entirely."""
    places: list[str] = []
    for link in service.service_at_locations.all():
        location = link.location
        if location.confidential:
            continue
        address = next(iter(location.addresses.all()), None)
        place = address.city if address else (location.area.name if location.area else "")
        if place and place not in places:
            places.append(place)
    return places


def _public_service(request: HttpRequest, uuid: UUID) -> Service:
    return get_object_or_404(
        selectors.public_services(request.tenant)  # type: ignore[attr-defined]
        .select_related("organisation")
        .prefetch_related(
            *selectors.detail_prefetch(),
        ),
        uuid=uuid,
    )


@public_tenant
@require_GET
def offer_detail(request: HttpRequest, service: UUID) -> HttpResponse:
    """One offer for families: what, for whom, where and when, costs, how to get in touch."""
    obj = _public_service(request, service)
    language = translation.get_language() or "de"
    locations = [link.location for link in obj.service_at_locations.all()]
    schedules = [row for row in obj.schedules.all() if row.location_id is None]
    return render(
        request,
        "directory/guide/offer_detail.html",
        {
            "service": obj,
            "text": localised(obj, language),
            "age": selectors.age_text(obj.min_age_months, obj.max_age_months),
            "offer_languages": [row.name or row.code for row in obj.languages.all()],
            "locations": locations,
            "schedule_lines": [selectors.schedule_text(row) for row in schedules],
            "phones": [phone for phone in obj.phones.all() if _own_phone(phone)],
            "contacts": [
                contact
                for contact in obj.contacts.all()
                if contact.location_id is None and contact.service_at_location_id is None
            ],
        },
    )


def _own_phone(phone: Phone) -> bool:
    return phone.location_id is None and phone.contact_id is None


def client_address(request: HttpRequest) -> str:
    """The visitor's address, for rate limiting only (it is never stored).

    Behind ``TRUSTED_PROXY_COUNT`` reverse proxies (a setting, 0 by default) the address is the
    one the outermost trusted proxy saw, taken from ``X-Forwarded-For``; a client cannot forge
    it, since the proxies append to what the client sent.
    """
    proxies = int(getattr(django_settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    forwarded = [
        part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part
    ]
    if proxies > 0 and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return str(request.META.get("REMOTE_ADDR", ""))


@public_tenant
@require_http_methods(["GET", "POST"])
def report_error(request: HttpRequest, service: UUID) -> HttpResponse:
    """ "Report an error": a short text, no personal data; rate-limited, with a honeypot."""
    obj = _public_service(request, service)
    form = ErrorReportForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.error_report_create(
                    service=obj,
                    message=form.cleaned_data["message"],
                    ip=client_address(request),
                    honeypot=form.cleaned_data.get("website", ""),
                )
            except ServiceError as error:
                form.add_error(None, ValidationError(error.messages))
                status = 429 if error.code == "rate_limited" else 400
            else:
                return redirect(
                    "guide:report_thanks",
                    guide=request.tenant.slug,  # type: ignore[attr-defined]
                    service=obj.uuid,
                )
        else:
            status = 400
    return render(
        request,
        "directory/guide/report_form.html",
        {"service": obj, "form": form, "text": localised(obj, translation.get_language() or "de")},
        status=status,
    )


@public_tenant
@require_GET
def report_thanks(request: HttpRequest, service: UUID) -> HttpResponse:
    obj = _public_service(request, service)
    return render(request, "directory/guide/report_thanks.html", {"service": obj})


@public_tenant
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest, token: str) -> HttpResponse:
    """The one-click "still correct" link of a reminder. GET shows the offer and a button;
    only the POST of that button verifies (so that link previews change nothing)."""
    tenant = request.tenant  # type: ignore[attr-defined]
    error: ServiceError | None = None
    service: Service | None = None
    done = False
    try:
        if request.method == "POST":
            service = services.service_verify_by_token(token=token, tenant=tenant)
            done = True
        else:
            service = services.check_verification_token(token=token, tenant=tenant)
    except ServiceError as refused:
        error = refused
    status = 200
    if error is not None and error.code != "used":
        status = 410 if error.code in ("expired", "unknown") else 400
    is_public = (
        service is not None and selectors.public_services(tenant).filter(pk=service.pk).exists()
    )
    return render(
        request,
        "directory/guide/verify.html",
        {
            "service": service,
            "is_public": is_public,
            "error": " ".join(error.messages) if error else "",
            "error_code": error.code if error else "",
            "done": done,
        },
        status=status,
    )
