"""The partner API (REST, django-ninja): partners keep their own organisations' offers current.

Mounted at ``/api/v1/``; its OpenAPI document is ``/api/v1/openapi.json``. There is no docs page:
ninja's Swagger UI loads from a CDN, which the Content-Security-Policy forbids.

Every call presents a personal API token (``Authorization: Bearer knp_…``, made on the page
"API tokens" of the offers). The token names its user and tenant; the user must still hold the
partner or coordinator role there. Partners see the offers of the organisations they currently
work for, coordinators all offers of the tenant; anything else is 404, as if it did not exist.

Nothing changes an offer directly: a change or a new offer is *proposed* and waits in the
coordinators' review queue (:func:`knotenpunkt.directory.services.revision_propose`); only the
confirmation that an offer is still correct applies at once.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable, Mapping
from typing import Any, Literal, TypeVar, cast

from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django_scopes import scope
from ninja import Field, NinjaAPI, Query, Schema, Status
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer

from knotenpunkt.core.models import Area, LifePhase
from knotenpunkt.core.services import ServiceError
from knotenpunkt.core.text_search import words_match
from knotenpunkt.directory import freshness, revisions
from knotenpunkt.directory import selectors as directory_selectors
from knotenpunkt.directory import services as directory_services
from knotenpunkt.directory.api import services as api_services
from knotenpunkt.directory.api import tokens
from knotenpunkt.directory.api.partner_schemas import (
    ErrorOut,
    OfferChangeIn,
    OfferFields,
    OfferNewIn,
    OfferOut,
    OfferPage,
    OfferSummaryOut,
    OrganisationOut,
    RevisionDetailOut,
    RevisionPage,
)
from knotenpunkt.directory.api.partner_schemas import Status as OfferStatus
from knotenpunkt.directory.models import Location, Service, ServiceRevision, TaxonomyTerm
from knotenpunkt.partners.models import Affiliation, Organisation, Person
from knotenpunkt.partners.selectors import current_affiliations

ViewFunc = TypeVar("ViewFunc", bound=Callable[..., Any])

MAX_PER_PAGE = 200


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>`` with a personal API token (see :mod:`.tokens`)."""

    def authenticate(self, request: HttpRequest, token: str) -> tokens.ApiCaller | None:
        caller = tokens.caller_for(token.strip())
        if caller is not None:
            with scope(local_authority=caller.tenant):
                api_services.api_token_touch(token=caller.token)
        return caller


api = NinjaAPI(
    title="Knotenpunkt partner API",
    version="1",
    description=(
        "Keep your organisation's offers in the directory current: list them, propose changes "
        "and new offers (a coordinator reviews each proposal), follow your proposals, and "
        "confirm that an offer is still correct. Authenticate with a personal API token "
        "(Authorization: Bearer …) made under Offers → API tokens."
    ),
    urls_namespace="partner_api",
    docs_url=None,
    auth=TokenAuth(),
)

ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}


@api.exception_handler(ServiceError)
def _refused(request: HttpRequest, exc: ServiceError) -> HttpResponse:
    """A refusal of the directory's services: the request was understood but cannot be done."""
    code = getattr(exc, "code", None) or ""
    return api.create_response(
        request,
        {
            "detail": [
                {"type": "refused", "loc": ["body"], "msg": message, "code": code}
                for message in exc.messages
            ]
        },
        status=422,
    )


def _caller(request: HttpRequest) -> tokens.ApiCaller:
    return cast(tokens.ApiCaller, request.auth)  # type: ignore[attr-defined]


def in_token_tenant(view: ViewFunc) -> ViewFunc:
    """Runs ``view`` inside the scope of the tenant the token belongs to."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        with scope(local_authority=_caller(request).tenant):
            return view(request, *args, **kwargs)

    return cast(ViewFunc, wrapped)


# --- Whose offers -------------------------------------------------------------------------------


def _organisations(caller: tokens.ApiCaller) -> QuerySet[Organisation]:
    """Coordinators: every organisation of the tenant; partners: those they currently work for."""
    if caller.is_coordinator:
        return Organisation.objects.all()
    own = Affiliation.objects.filter(
        current_affiliations(), person__user=caller.user, person__erased_at__isnull=True
    ).values("organisation")
    return Organisation.objects.filter(pk__in=own)


def _offers(caller: tokens.ApiCaller, *, stage: str | None = None) -> QuerySet[Service]:
    settings = directory_selectors.directory_settings(caller.tenant)
    offers = Service.objects.filter(organisation__in=_organisations(caller))
    if stage is not None:
        limits = directory_selectors.current_cutoffs(settings)
        offers = offers.filter(directory_selectors.freshness_q(stage, limits))
    return (
        directory_selectors.with_freshness(offers, settings)
        .select_related("organisation")
        .annotate(
            pending_revisions=Count(
                "revisions", filter=Q(revisions__status=ServiceRevision.Status.PENDING)
            )
        )
    )


def _offer(caller: tokens.ApiCaller, offer_id: uuid.UUID) -> Service:
    return get_object_or_404(_offers(caller), uuid=offer_id)


def _summary(service: Service) -> dict[str, Any]:
    return {
        "id": service.uuid,
        "organisation": {"id": service.organisation.uuid, "name": service.organisation.name},
        "name": service.name,
        "status": service.status,
        "visibility": service.visibility,
        "freshness": getattr(service, "freshness", freshness.FRESH),
        "last_verified_at": service.last_verified_at,
        "updated_at": service.updated_at,
        "version": service.version,
        "pending_revisions": getattr(service, "pending_revisions", 0),
    }


def _detail(service: Service) -> dict[str, Any]:
    snapshot = revisions.editable_snapshot(service)
    scalar = {name: snapshot[name] for name in revisions.SCALAR_FIELDS}
    return {
        **scalar,
        **_summary(service),
        **{name: snapshot[name] for name in (*revisions.LIST_FIELDS, "translations")},
        "locations": [
            {
                "id": entry["uuid"],
                "area_id": entry["area"],
                **{name: entry[name] for name in revisions.LOCATION_FIELDS if name != "area"},
            }
            for entry in snapshot["locations"]
        ],
        "schedules": snapshot["schedules"],
        **{name: snapshot[name] for name in revisions.CONTACT_FIELDS},
        "responsible_id": snapshot["responsible"],
    }


def _revision(revision: ServiceRevision, caller: tokens.ApiCaller, *, data: bool) -> dict[str, Any]:
    result = {
        "id": revision.uuid,
        "offer_id": revision.service.uuid if revision.service is not None else None,
        "organisation": {"id": revision.organisation.uuid, "name": revision.organisation.name},
        "name": str(revision.data.get("name", "")),
        "status": revision.status,
        "proposed_at": revision.proposed_at,
        "proposed_by_me": revision.proposed_by_id == caller.user.pk,
        "comment": revision.comment,
        "base_version": revision.base_version,
        "reviewed_at": revision.reviewed_at,
        "review_note": revision.review_note,
    }
    if data:
        result["data"] = revision.data
    return result


def _url_base(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


# --- Turning a request body into a snapshot -----------------------------------------------------


def _error(loc: list[str | int], message: str) -> dict[str, Any]:
    return {"type": "value_error", "loc": ["body", "payload", *loc], "msg": message}


def _snapshot_values(payload: OfferFields) -> dict[str, Any]:
    """The fields the client gave, in the snapshot's names and shapes."""
    given = payload.model_dump(
        exclude_unset=True, exclude={"comment", "organisation_id"}, mode="json"
    )
    if "responsible_id" in given:
        given["responsible"] = given.pop("responsible_id")
    if "locations" in given:
        given["locations"] = [
            {**entry, "uuid": entry.pop("id", None), "area": entry.pop("area_id", None)}
            for entry in given["locations"]
        ]
    if "schedules" in given:
        given["schedules"] = [
            {
                **entry,
                "opens": (entry["opens"] or "")[:5],
                "closes": (entry["closes"] or "")[:5],
            }
            for entry in given["schedules"]
        ]
    return given


def _unknown(loc: str, wanted: list[Any], known: set[str], message: str) -> list[dict[str, Any]]:
    return [
        _error([loc, index], message)
        for index, value in enumerate(wanted)
        if value is not None and str(value) not in known
    ]


def _check_references(
    given: Mapping[str, Any], organisation: Organisation, service: Service | None
) -> None:
    """Refuses, field by field, references to what the tenant (or organisation) lacks."""
    errors: list[dict[str, Any]] = []
    if given.get("topics"):
        terms = TaxonomyTerm.objects.filter(uuid__in=given["topics"])
        known = {str(value) for value in terms.values_list("uuid", flat=True)}
        errors += _unknown("topics", given["topics"], known, "Unknown topic.")
    if given.get("life_phases"):
        phases = LifePhase.objects.filter(code__in=given["life_phases"])
        codes = set(phases.values_list("code", flat=True))
        errors += _unknown("life_phases", given["life_phases"], codes, "Unknown life phase.")
    locations = given.get("locations") or []
    location_ids = [entry["uuid"] for entry in locations]
    if any(location_ids):
        own = Q(organisation=organisation)
        if service is not None:
            own |= Q(service_at_locations__service=service)
        known = {
            str(u)
            for u in Location.objects.filter(
                own, uuid__in=[i for i in location_ids if i]
            ).values_list("uuid", flat=True)
        }
        for index, value in enumerate(location_ids):
            if value is not None and value not in known:
                errors.append(_error(["locations", index, "id"], "Unknown location."))
    area_ids = [entry["area"] for entry in locations]
    if any(area_ids):
        known = {
            str(u)
            for u in Area.objects.filter(uuid__in=[i for i in area_ids if i]).values_list(
                "uuid", flat=True
            )
        }
        for index, value in enumerate(area_ids):
            if value is not None and value not in known:
                errors.append(_error(["locations", index, "area_id"], "Unknown place."))
    responsible = given.get("responsible")
    if responsible and not Person.objects.filter(uuid=responsible, erased_at__isnull=True).exists():
        errors.append(_error(["responsible_id"], "Unknown person."))
    if errors:
        raise NinjaValidationError(errors)


def _proposed_snapshot(
    current: Mapping[str, Any],
    payload: OfferFields,
    organisation: Organisation,
    service: Service | None,
) -> dict[str, Any]:
    given = _snapshot_values(payload)
    _check_references(given, organisation, service)
    data = revisions.normalise({**current, **given})
    low, high = data["min_age_months"], data["max_age_months"]
    if low is not None and high is not None and high < low:
        field = "max_age_months" if "max_age_months" in given else "min_age_months"
        raise NinjaValidationError(
            [_error([field], "The upper age must not be below the lower age.")]
        )
    return data


# --- Endpoints ----------------------------------------------------------------------------------


class OfferFilter(Schema):
    page: int = Field(1, ge=1, le=1_000_000)
    per_page: int = Field(50, ge=1, le=MAX_PER_PAGE)
    organisation_id: uuid.UUID | None = None
    status: OfferStatus | None = None
    freshness: Literal["fresh", "due", "overdue", "hidden"] | None = None
    search: str = Field("", max_length=200)


class RevisionFilter(Schema):
    page: int = Field(1, ge=1, le=1_000_000)
    per_page: int = Field(50, ge=1, le=MAX_PER_PAGE)
    status: Literal["pending", "approved", "rejected", "withdrawn"] | None = None
    offer_id: uuid.UUID | None = None
    mine: bool = Field(False, description="Only the proposals I made.")


def _paged(rows: QuerySet[Any], page: int, per_page: int) -> tuple[int, list[Any]]:
    count = rows.count()
    offset = (page - 1) * per_page
    return count, (list(rows[offset : offset + per_page]) if offset < count else [])


@api.get(
    "/organisations",
    response={200: list[OrganisationOut], **ERRORS},
    operation_id="listMyOrganisations",
    summary="The organisations whose offers I keep",
)
@in_token_tenant
def organisations(request: HttpRequest) -> list[dict[str, Any]]:
    rows = _organisations(_caller(request)).order_by("name", "pk")
    return [{"id": row.uuid, "name": row.name} for row in rows]


@api.get(
    "/offers",
    response={200: OfferPage, **ERRORS},
    operation_id="listOffers",
    summary="My organisations' offers",
)
@in_token_tenant
def offers(request: HttpRequest, filters: Query[OfferFilter]) -> dict[str, Any]:
    rows = _offers(_caller(request), stage=filters.freshness)
    if filters.organisation_id is not None:
        rows = rows.filter(organisation__uuid=filters.organisation_id)
    if filters.status is not None:
        rows = rows.filter(status=filters.status)
    if filters.search.strip():
        search = filters.search.replace("\x00", "")
        rows = rows.filter(words_match(search, ["name", "alternate_name", "description"]))
    count, page = _paged(rows.order_by("name", "pk"), filters.page, filters.per_page)
    return {
        "count": count,
        "page": filters.page,
        "per_page": filters.per_page,
        "items": [_summary(service) for service in page],
    }


@api.post(
    "/offers",
    response={201: RevisionDetailOut, **ERRORS},
    operation_id="proposeOffer",
    summary="Propose a new offer of one of my organisations",
)
@in_token_tenant
def offer_propose_new(request: HttpRequest, payload: OfferNewIn) -> Status[dict[str, Any]]:
    caller = _caller(request)
    organisation = get_object_or_404(_organisations(caller), uuid=payload.organisation_id)
    data = _proposed_snapshot(revisions.empty_snapshot(), payload, organisation, None)
    revision = directory_services.revision_propose_new(
        actor=caller.user,
        organisation=organisation,
        data=data,
        comment=payload.comment,
        url_base=_url_base(request),
    )
    return Status(201, _revision(revision, caller, data=True))


@api.get(
    "/offers/{offer_id}",
    response={200: OfferOut, **ERRORS},
    operation_id="getOffer",
    summary="One offer with everything that can be changed",
)
@in_token_tenant
def offer(request: HttpRequest, offer_id: uuid.UUID) -> dict[str, Any]:
    return _detail(_offer(_caller(request), offer_id))


@api.post(
    "/offers/{offer_id}/revisions",
    response={201: RevisionDetailOut, **ERRORS},
    operation_id="proposeChange",
    summary="Propose a change of an offer",
    description=(
        "Give only the fields to change; a list (topics, locations, …) replaces the whole list. "
        "The proposal waits for a coordinator's review."
    ),
)
@in_token_tenant
def offer_propose(
    request: HttpRequest, offer_id: uuid.UUID, payload: OfferChangeIn
) -> Status[dict[str, Any]]:
    caller = _caller(request)
    service = _offer(caller, offer_id)
    current = revisions.editable_snapshot(service)
    data = _proposed_snapshot(current, payload, service.organisation, service)
    revision = directory_services.revision_propose(
        actor=caller.user,
        service=service,
        data=data,
        comment=payload.comment,
        url_base=_url_base(request),
    )
    return Status(201, _revision(revision, caller, data=True))


@api.post(
    "/offers/{offer_id}/verify",
    response={200: OfferSummaryOut, **ERRORS},
    operation_id="verifyOffer",
    summary="Confirm that an offer is still correct",
)
@in_token_tenant
def offer_verify(request: HttpRequest, offer_id: uuid.UUID) -> dict[str, Any]:
    caller = _caller(request)
    service = _offer(caller, offer_id)
    directory_services.service_verify(actor=caller.user, service=service)
    return _summary(_offer(caller, offer_id))


@api.get(
    "/revisions",
    response={200: RevisionPage, **ERRORS},
    operation_id="listRevisions",
    summary="Proposals for my organisations' offers, newest first",
)
@in_token_tenant
def revision_list(request: HttpRequest, filters: Query[RevisionFilter]) -> dict[str, Any]:
    caller = _caller(request)
    rows = ServiceRevision.objects.filter(organisation__in=_organisations(caller))
    if filters.status is not None:
        rows = rows.filter(status=filters.status)
    if filters.offer_id is not None:
        rows = rows.filter(service__uuid=filters.offer_id)
    if filters.mine:
        rows = rows.filter(proposed_by=caller.user)
    rows = rows.select_related("service", "organisation").order_by("-proposed_at", "-pk")
    count, page = _paged(rows, filters.page, filters.per_page)
    return {
        "count": count,
        "page": filters.page,
        "per_page": filters.per_page,
        "items": [_revision(revision, caller, data=False) for revision in page],
    }


@api.get(
    "/revisions/{revision_id}",
    response={200: RevisionDetailOut, **ERRORS},
    operation_id="getRevision",
    summary="One proposal with its content",
)
@in_token_tenant
def revision_detail(request: HttpRequest, revision_id: uuid.UUID) -> dict[str, Any]:
    caller = _caller(request)
    revision = get_object_or_404(
        ServiceRevision.objects.filter(organisation__in=_organisations(caller)).select_related(
            "service", "organisation"
        ),
        uuid=revision_id,
    )
    return _revision(revision, caller, data=True)
