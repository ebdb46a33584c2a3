"""The public, read-only HSDS 3.0 API of a tenant's guide (``/api/hsds/<guide>/``).

Endpoints, parameters and paging follow the HSDS API reference and its OpenAPI document
(:func:`knotenpunkt.directory.hsds.openapi.build_openapi`, served here as ``openapi.json``):
``/``, ``/services``, ``/organizations``, ``/service_at_locations``, ``/taxonomies`` and
``/taxonomy_terms``, each with ``/{id}``. Filters are cumulative (AND). The DE profile is
published beside them: its merge patches under ``/profile/`` and the merged schemas under
``/schema/``.

Everything is JSON, also the errors (``{"detail": ...}``): 400 for a parameter the API cannot
use, 404 for an unknown id or tenant. Reading is open to every origin (CORS ``*``, no
credentials), answers carry an ETag (a hash of the body) and may be cached for a minute. Only
public data leaves: public, visible services (see :mod:`knotenpunkt.directory.api.selectors`),
and confidential locations without address or position (``public=True`` of the serialisers).
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, TypeVar, cast

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import quote_etag
from django_scopes import scope

from knotenpunkt.core.models import LocalAuthority
from knotenpunkt.core.tenancy import public_tenant
from knotenpunkt.directory.api import params
from knotenpunkt.directory.api import selectors as api_selectors
from knotenpunkt.directory.api.params import ParameterError
from knotenpunkt.directory.hsds import openapi, serialize, spec
from knotenpunkt.directory.hsds import profile as de_profile
from knotenpunkt.directory.models import Service, ServiceAtLocation, Taxonomy, TaxonomyTerm
from knotenpunkt.partners.models import Organisation

ViewFunc = TypeVar("ViewFunc", bound=Callable[..., HttpResponseBase])
ModelT = TypeVar("ModelT", bound=models.Model)

#: How long browsers and proxies may reuse an answer (seconds): short, offers change.
MAX_AGE = 60
#: The specification documents (profile, schemas, OpenAPI) change only with a release.
DOCUMENT_MAX_AGE = 3600
ALLOWED_METHODS = "GET, HEAD, OPTIONS"
JSON = "application/json"


# --- Plumbing: JSON, errors, CORS, caching ------------------------------------------------------


def _encode(data: Any) -> bytes:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).encode()


def error(status: int, detail: str, *, parameter: str | None = None) -> HttpResponse:
    """A JSON error answer in the shape of the OpenAPI document's ``Error``."""
    body: dict[str, Any] = {"detail": detail}
    if parameter is not None:
        body["parameter"] = parameter
    response = HttpResponse(_encode(body), status=status, content_type=JSON)
    response["Cache-Control"] = "no-store"
    return response


def _cors(response: HttpResponseBase) -> HttpResponseBase:
    # HSDS asks for open reading; no credentials are ever involved, so "*" is safe.
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = "ETag"
    return response


def hsds_endpoint(view: ViewFunc) -> ViewFunc:
    """Makes ``view`` an endpoint of the public API: read-only methods, CORS, errors as JSON.

    Goes outside :func:`~knotenpunkt.core.tenancy.public_tenant`, so that an unknown tenant is a
    JSON 404 as well. A preflight (``OPTIONS``) is answered without touching the database.
    """

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response: HttpResponseBase
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            response["Allow"] = ALLOWED_METHODS
            response["Access-Control-Allow-Methods"] = ALLOWED_METHODS
            response["Access-Control-Allow-Headers"] = "Accept, Accept-Language, If-None-Match"
            response["Access-Control-Max-Age"] = "86400"
        elif request.method not in ("GET", "HEAD"):
            response = error(405, "Only GET, HEAD and OPTIONS are allowed.")
            response["Allow"] = ALLOWED_METHODS
        else:
            try:
                response = view(request, *args, **kwargs)
            except ParameterError as refused:
                response = error(400, str(refused), parameter=refused.parameter)
            except (Http404, serialize.NotPublicError):
                response = error(404, "Not found.")
        return _cors(response)

    # No cookies, no writes: a forged request can do nothing here, and a POST deserves the
    # API's own 405 rather than the CSRF failure page.
    wrapped.csrf_exempt = True  # type: ignore[attr-defined]
    return cast(ViewFunc, wrapped)


def _tenant(request: HttpRequest) -> LocalAuthority:
    return request.tenant  # type: ignore[attr-defined]


def json_response(request: HttpRequest, data: Any, *, max_age: int = MAX_AGE) -> HttpResponseBase:
    """``data`` as JSON with an ETag; 304 when the client has this version already."""
    return encoded_response(request, _encode(data), max_age=max_age)


def encoded_response(
    request: HttpRequest, body: bytes, *, max_age: int = MAX_AGE
) -> HttpResponseBase:
    """Like :func:`json_response` for a body that is JSON already.

    The ETag is a hash of the body. No Last-Modified: a service's ``last_modified`` does not
    move when its organisation, its verification or a nested object changes, so a date would
    let clients keep stale copies; the body's hash is always right and costs nothing extra.
    """
    response = HttpResponse(body, content_type=JSON)
    etag = quote_etag(hashlib.sha256(body).hexdigest()[:40])
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=max_age)
    conditional = get_conditional_response(request, etag=etag, response=response)
    return conditional if conditional is not None else response


def _absolute(request: HttpRequest, url_name: str, **kwargs: Any) -> str:
    url = reverse(f"hsds_api:{url_name}", kwargs={"guide": _tenant(request).slug, **kwargs})
    return request.build_absolute_uri(url)


def api_root(request: HttpRequest) -> str:
    """The absolute URL of this tenant's API, without the trailing slash (the OpenAPI server)."""
    return _absolute(request, "base").rstrip("/")


def profile_uri(request: HttpRequest) -> str:
    """Where the DE profile of this API is published (HSDS ``profile``)."""
    return _absolute(request, "profile_index")


# --- Lists ------------------------------------------------------------------------------------


def _page_envelope(page: api_selectors.Page[Any], contents: list[Any]) -> dict[str, Any]:
    """The HSDS ``Page`` around ``contents``."""
    total_pages = page.total_pages
    return {
        "total_items": page.total,
        "total_pages": total_pages,
        "page_number": page.paging.page,
        "size": len(contents),
        "first_page": page.paging.page == 1,
        "last_page": page.paging.page >= total_pages,
        "empty": page.total == 0,
        "contents": contents,
    }


def _ndjson(
    tenant: LocalAuthority,
    matches: api_selectors.Matches[ModelT],
    prepare: Callable[[list[int]], QuerySet[ModelT]],
    render: Callable[[ModelT], Any],
) -> StreamingHttpResponse:
    def lines() -> Iterator[bytes]:
        # Streaming runs after the view has returned, outside its scope.
        with scope(local_authority=tenant):
            for data in _rendered(api_selectors.stream_of(matches, prepare), render):
                yield _encode(data) + b"\n"

    response = StreamingHttpResponse(lines(), content_type=openapi.NDJSON_MEDIA_TYPE)
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


def list_response(
    request: HttpRequest,
    matches: api_selectors.Matches[ModelT],
    prepare: Callable[[list[int]], QuerySet[ModelT]],
    render: Callable[[ModelT], Any],
) -> HttpResponseBase:
    """A page of ``matches`` in the HSDS envelope, or all of them with ``format=ndjson``."""
    paging = params.paging(request.GET)
    if params.response_format(request.GET) == "ndjson":
        return _ndjson(_tenant(request), matches, prepare, render)
    matches.count_key = _list_key(request)
    page = api_selectors.page_of(matches, paging, prepare)
    return json_response(request, _page_envelope(page, list(_rendered(page.items, render))))


def _list_key(request: HttpRequest) -> str:
    """The tenant, the endpoint and its filters: what a list's length depends on."""
    filters = sorted(
        (name, value)
        for name, values in request.GET.lists()
        if name not in {"page", "per_page", "format", "full", "minimal", "full_service"}
        for value in values
    )
    digest = hashlib.sha256(repr((request.path, filters)).encode()).hexdigest()[:32]
    return f"{_tenant(request).pk}:{digest}"


def _rendered(items: Iterable[ModelT], render: Callable[[ModelT], Any]) -> Iterator[Any]:
    for item in items:
        try:
            yield render(item)
        except serialize.NotPublicError:
            # Hidden for staleness in the instant between the query and now: leave it out.
            continue


def _service_filters(query: Mapping[str, str]) -> api_selectors.ServiceFilters:
    return api_selectors.ServiceFilters(
        search=params.search_text(query),
        taxonomy_term=params.identifier(query, "taxonomy_term_id"),
        taxonomy=params.identifier(query, "taxonomy_id"),
        organization=params.identifier(query, "organization_id"),
        modified_after=params.moment(query, "modified_after"),
    )


def _services(ids: list[int]) -> QuerySet[Service]:
    return serialize.prefetch_services(Service.objects.filter(pk__in=ids))


def _service_items(ids: list[int]) -> QuerySet[Service]:
    return serialize.prefetch_services(Service.objects.filter(pk__in=ids), full=False)


def _services_minimal(ids: list[int]) -> QuerySet[Service]:
    return Service.objects.filter(pk__in=ids).only("pk", "uuid", "updated_at")


def _service_minimal(service: Service) -> dict[str, Any]:
    """A service as ``minimal=true`` lists it: its id and when it was last modified."""
    return {"id": str(service.uuid), "last_modified": service.updated_at.isoformat()}


def _service_list_item(service: Service) -> dict[str, Any]:
    return serialize.service_list_item(service, public=True)


def _service_full(service: Service) -> dict[str, Any]:
    return serialize.service_full(service, public=True)


def _service_at_locations(ids: list[int]) -> QuerySet[ServiceAtLocation]:
    return serialize.prefetch_service_at_locations(ServiceAtLocation.objects.filter(pk__in=ids))


def _service_at_location_items(ids: list[int]) -> QuerySet[ServiceAtLocation]:
    return serialize.prefetch_service_at_locations(
        ServiceAtLocation.objects.filter(pk__in=ids), full=False
    )


def _organisations(ids: list[int]) -> QuerySet[Organisation]:
    return serialize.prefetch_organizations(Organisation.objects.filter(pk__in=ids))


def _organisation_items(ids: list[int]) -> QuerySet[Organisation]:
    return serialize.prefetch_organizations(Organisation.objects.filter(pk__in=ids), full=False)


def _organization_full(organisation: Organisation, *, full_service: bool) -> dict[str, Any]:
    """An organisation fully nested; its services in full only with ``full_service``.

    Without it the HSDS API reference asks for "simple information which could only contain
    the service.id": we give each service's id, name and status.
    """
    data = serialize.organization_full(organisation, public=True)
    if not full_service:
        data["services"] = [
            {key: service[key] for key in ("id", "name", "status")}
            for service in data.get("services", [])
        ]
    return data


def _taxonomies(ids: list[int]) -> QuerySet[Taxonomy]:
    return Taxonomy.objects.filter(pk__in=ids)


def _taxonomy_terms(ids: list[int]) -> QuerySet[TaxonomyTerm]:
    return (
        TaxonomyTerm.objects.filter(pk__in=ids)
        .select_related("taxonomy", "parent")
        .prefetch_related("translations")
    )


# --- Endpoints --------------------------------------------------------------------------------


@hsds_endpoint
@public_tenant
def base(request: HttpRequest) -> HttpResponseBase:
    """``GET /``: the HSDS version, the profile and where the OpenAPI document is."""
    return json_response(
        request,
        {
            "version": spec.HSDS_VERSION,
            "profile": profile_uri(request),
            "openapi_url": _absolute(request, "openapi"),
        },
    )


@functools.lru_cache(maxsize=64)
def _openapi_body(server_url: str, title: str, profile: str) -> bytes:
    return _encode(openapi.build_openapi(server_url=server_url, title=title, profile_uri=profile))


@hsds_endpoint
@public_tenant
def openapi_document(request: HttpRequest) -> HttpResponseBase:
    """``GET /openapi.json``: the self-contained OpenAPI document of this tenant's API."""
    tenant = _tenant(request)
    body = _openapi_body(
        api_root(request), f"{tenant.public_guide_name} – HSDS API", profile_uri(request)
    )
    return encoded_response(request, body, max_age=DOCUMENT_MAX_AGE)


@hsds_endpoint
@public_tenant
def services(request: HttpRequest) -> HttpResponseBase:
    """``GET /services``: public services, filtered and paged as the HSDS API describes."""
    query = request.GET
    minimal, full = params.boolean(query, "minimal"), params.boolean(query, "full")
    matches = api_selectors.service_matches(_tenant(request), _service_filters(query))
    if minimal:
        return list_response(request, matches, _services_minimal, _service_minimal)
    if full:
        return list_response(request, matches, _services, _service_full)
    return list_response(request, matches, _service_items, _service_list_item)


@hsds_endpoint
@public_tenant
def service_detail(request: HttpRequest, object_id: str) -> HttpResponseBase:
    """``GET /services/{id}``: one public service, fully nested."""
    service = api_selectors.public_service(_tenant(request), _path_id(object_id))
    if service is None:
        raise Http404
    service = _services([service.pk]).get()
    return json_response(request, serialize.service_full(service, public=True))


@hsds_endpoint
@public_tenant
def service_at_locations(request: HttpRequest) -> HttpResponseBase:
    """``GET /service_at_locations``: where public services are offered, near a place if asked.

    ``postcode`` and ``proximity`` as the HSDS API describes them (see
    :func:`knotenpunkt.directory.api.params.proximity` for the point we accept as well).
    """
    query = request.GET
    full = params.boolean(query, "full")
    postcode = params.postcode(query)
    proximity = params.proximity(query, has_postcode=bool(postcode))
    try:
        matches = api_selectors.service_at_location_matches(
            _tenant(request), _service_filters(query), postcode=postcode, proximity=proximity
        )
    except api_selectors.UnknownPostcode:
        raise ParameterError(
            "postcode",
            "no position is known for this postcode; give proximity as latitude,longitude,metres",
        ) from None

    if full:
        return list_response(
            request,
            matches,
            _service_at_locations,
            functools.partial(serialize.service_at_location_full, public=True),
        )
    return list_response(
        request,
        matches,
        _service_at_location_items,
        functools.partial(serialize.service_at_location_list_item, public=True),
    )


@hsds_endpoint
@public_tenant
def service_at_location_detail(request: HttpRequest, object_id: str) -> HttpResponseBase:
    """``GET /service_at_locations/{id}``: one service at a location, fully nested."""
    found = api_selectors.public_service_at_location(_tenant(request), _path_id(object_id))
    if found is None:
        raise Http404
    item = _service_at_locations([found.pk]).get()
    return json_response(request, serialize.service_at_location_full(item, public=True))


@hsds_endpoint
@public_tenant
def organizations(request: HttpRequest) -> HttpResponseBase:
    """``GET /organizations``: organisations with at least one public service."""
    query = request.GET
    full, full_service = params.boolean(query, "full"), params.boolean(query, "full_service")
    matches = api_selectors.organisation_matches(_tenant(request), search=params.search_text(query))

    if full or full_service:
        return list_response(
            request,
            matches,
            _organisations,
            functools.partial(_organization_full, full_service=full_service),
        )
    return list_response(
        request,
        matches,
        _organisation_items,
        functools.partial(serialize.organization_list_item, public=True),
    )


@hsds_endpoint
@public_tenant
def organization_detail(request: HttpRequest, object_id: str) -> HttpResponseBase:
    """``GET /organizations/{id}``: one organisation, with its public services."""
    full_service = params.boolean(request.GET, "full_service")
    found = api_selectors.public_organisation(_tenant(request), _path_id(object_id))
    if found is None:
        raise Http404
    organisation = _organisations([found.pk]).get()
    return json_response(request, _organization_full(organisation, full_service=full_service))


@hsds_endpoint
@public_tenant
def taxonomies(request: HttpRequest) -> HttpResponseBase:
    """``GET /taxonomies``: the tenant's taxonomies (its topics among them)."""
    matches = api_selectors.taxonomy_matches(search=params.search_text(request.GET))
    return list_response(request, matches, _taxonomies, serialize.taxonomy)


@hsds_endpoint
@public_tenant
def taxonomy_detail(request: HttpRequest, object_id: str) -> HttpResponseBase:
    found = Taxonomy.objects.filter(uuid=_path_id(object_id)).first()
    if found is None:
        raise Http404
    return json_response(request, serialize.taxonomy(found))


@hsds_endpoint
@public_tenant
def taxonomy_terms(request: HttpRequest) -> HttpResponseBase:
    """``GET /taxonomy_terms``: terms, by taxonomy, parent or only the top ones."""
    query = request.GET
    matches = api_selectors.taxonomy_term_matches(
        search=params.search_text(query),
        taxonomy=params.identifier(query, "taxonomy_id"),
        parent=params.identifier(query, "parent_id"),
        top_only=params.boolean(query, "top_only"),
    )
    return list_response(request, matches, _taxonomy_terms, serialize.taxonomy_term)


@hsds_endpoint
@public_tenant
def taxonomy_term_detail(request: HttpRequest, object_id: str) -> HttpResponseBase:
    found = TaxonomyTerm.objects.filter(uuid=_path_id(object_id)).first()
    if found is None:
        raise Http404
    return json_response(request, serialize.taxonomy_term(_taxonomy_terms([found.pk]).get()))


def _path_id(value: str) -> Any:
    """The id of a detail URL; one that is no UUID names nothing (404, not 400)."""
    try:
        return params.parse_identifier(value)
    except ParameterError:
        raise Http404 from None


# --- The DE profile and its schemas -------------------------------------------------------------


@hsds_endpoint
@public_tenant
def profile_index(request: HttpRequest) -> HttpResponseBase:
    """``GET /profile/``: what the DE profile is, and links to its patches and schemas."""
    patches = sorted(de_profile.profile_patches())
    return json_response(
        request,
        {
            "name": "Knotenpunkt DE profile of HSDS",
            "version": de_profile.PROFILE_VERSION,
            "hsds_version": spec.HSDS_VERSION,
            "description": (
                "German profile of the Open Referral Human Services Data Specification for "
                "early-help directories: ages in months from pregnancy (-9), life phases, "
                "topics, cost type, visibility, confidential addresses, barrier-free access, "
                "catchment areas and translations. Each patch is an RFC 7386 JSON Merge Patch "
                "over the HSDS core schema of the same name; the merged schemas are published "
                "under schema/."
            ),
            "patches": {name: _absolute(request, "profile_patch", name=name) for name in patches},
            "schemas": _absolute(request, "schema_index"),
        },
        max_age=DOCUMENT_MAX_AGE,
    )


@hsds_endpoint
@public_tenant
def profile_patch(request: HttpRequest, name: str) -> HttpResponseBase:
    """``GET /profile/<name>``: one merge patch of the DE profile."""
    patch = de_profile.profile_patches().get(name)
    if patch is None:
        raise Http404
    return json_response(request, patch, max_age=DOCUMENT_MAX_AGE)


@hsds_endpoint
@public_tenant
def schema_index(request: HttpRequest) -> HttpResponseBase:
    """``GET /schema/``: links to the DE profile's merged schemas."""
    names = [f"{name}.json" for name in spec.schema_names()]
    return json_response(
        request,
        {name: _absolute(request, "schema", name=name) for name in names},
        max_age=DOCUMENT_MAX_AGE,
    )


@hsds_endpoint
@public_tenant
def schema(request: HttpRequest, name: str) -> HttpResponseBase:
    """``GET /schema/<name>``: an HSDS object schema with the DE profile merged in."""
    if name.removesuffix(".json") not in spec.schema_names():
        raise Http404
    return json_response(request, de_profile.profile_schema(name), max_age=DOCUMENT_MAX_AGE)


@hsds_endpoint
@public_tenant
def not_found(request: HttpRequest, path: str = "") -> HttpResponseBase:
    """Any other address under the API: a JSON 404, like an unknown id."""
    raise Http404
