"""The partner API: tokens, whose offers, proposals, confirmations and clear refusals."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from django_scopes import scope

from knotenpunkt.core.models import AuditEntry, LocalAuthority, Role, User
from knotenpunkt.directory.api import services as api_services
from knotenpunkt.directory.models import GUIDE_LANGUAGES, ApiToken, Service, ServiceRevision
from knotenpunkt.partners.models import Organisation
from tests.directory.factories import TopicFactory
from tests.directory.test_api_support import URLCONF, bearer, located, public_service, token_for
from tests.factories import AreaFactory
from tests.partners.factories import AffiliationFactory, PersonFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls(URLCONF)]

BASE = "/api/v1"


@pytest.fixture
def own(tenant: LocalAuthority, partner: User) -> Organisation:
    """The organisation the partner user works for."""
    person = PersonFactory(local_authority=tenant, user=partner)
    return AffiliationFactory(person=person, organisation__local_authority=tenant).organisation


@pytest.fixture
def offer(own: Organisation) -> Service:
    service = public_service(own.local_authority, own, name="Elterncafé")
    located(service)
    return service


@pytest.fixture
def secret(partner: User, tenant: LocalAuthority) -> str:
    return token_for(partner, tenant)


def _get(client: Client, path: str, secret: str, expect: int = 200, **query: Any) -> Any:
    response = client.get(f"{BASE}{path}", query, **bearer(secret))
    assert response.status_code == expect, response.content
    return response.json()


def _post(client: Client, path: str, secret: str, body: Any, status: int) -> Any:
    response = client.post(
        f"{BASE}{path}", json.dumps(body), content_type="application/json", **bearer(secret)
    )
    assert response.status_code == status, response.content
    return response.json()


def test_it_lists_the_offers_of_my_organisations_only(
    tenant: LocalAuthority, offer: Service, secret: str, anonymous_client: Client
) -> None:
    public_service(tenant, name="Fremdes Angebot")
    body = _get(anonymous_client, "/offers", secret)
    assert body["count"] == 1
    (item,) = body["items"]
    assert item["id"] == str(offer.uuid)
    assert item["organisation"]["name"] == offer.organisation.name
    assert item["freshness"] == "fresh"
    assert item["pending_revisions"] == 0
    assert _get(anonymous_client, "/organisations", secret) == [
        {"id": str(offer.organisation.uuid), "name": offer.organisation.name}
    ]


def test_a_coordinator_sees_every_offer_of_the_tenant(
    tenant: LocalAuthority, offer: Service, coordinator: User, anonymous_client: Client
) -> None:
    public_service(tenant, name="Anderes Angebot")
    body = _get(anonymous_client, "/offers", token_for(coordinator, tenant))
    assert body["count"] == 2


def test_it_shows_one_offer_with_everything_a_partner_can_change(
    offer: Service, secret: str, anonymous_client: Client
) -> None:
    body = _get(anonymous_client, f"/offers/{offer.uuid}", secret)
    assert body["name"] == "Elterncafé"
    assert body["min_age_months"] == -9 and body["max_age_months"] == 36
    (location,) = body["locations"]
    assert location["postal_code"] == "29410"


def test_offers_of_other_organisations_and_tenants_are_not_found(
    tenant: LocalAuthority,
    other_tenant: LocalAuthority,
    offer: Service,
    secret: str,
    anonymous_client: Client,
) -> None:
    neighbour = public_service(tenant, name="Nachbarangebot")
    foreign = public_service(other_tenant, name="Fremde Kommune")
    for service in (neighbour, foreign):
        assert _get(anonymous_client, f"/offers/{service.uuid}", secret, 404)
        _post(anonymous_client, f"/offers/{service.uuid}/revisions", secret, {"name": "X"}, 404)
        _post(anonymous_client, f"/offers/{service.uuid}/verify", secret, {}, 404)
    new = {"organisation_id": str(neighbour.organisation.uuid), "name": "Kapern"}
    _post(anonymous_client, "/offers", secret, new, 404)
    with scope(local_authority=tenant):
        assert not ServiceRevision.objects.exists()


@pytest.mark.parametrize(
    "header",
    [None, "Bearer", "Bearer wrong", "Token {secret}", "Basic {secret}", "Bearer {secret}x"],
)
def test_it_needs_a_valid_token(
    offer: Service, secret: str, anonymous_client: Client, header: str | None
) -> None:
    extra = {} if header is None else {"HTTP_AUTHORIZATION": header.format(secret=secret)}
    response = anonymous_client.get(f"{BASE}/offers", **extra)
    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}


def test_a_logged_in_session_is_not_enough(offer: Service, partner_client: Client) -> None:
    assert partner_client.get(f"{BASE}/offers").status_code == 401


def test_a_revoked_token_opens_nothing(
    tenant: LocalAuthority, partner: User, offer: Service, secret: str, anonymous_client: Client
) -> None:
    with scope(local_authority=tenant):
        token = ApiToken.objects.get(user=partner)
        api_services.api_token_revoke(actor=partner, token=token)
    _get(anonymous_client, "/offers", secret, 401)


def test_the_token_stops_working_with_the_role(
    tenant: LocalAuthority, partner: User, offer: Service, secret: str, anonymous_client: Client
) -> None:
    with scope(local_authority=tenant):
        Role.objects.filter(user=partner).update(kind=Role.Kind.STEERING)
    _get(anonymous_client, "/offers", secret, 401)


def test_the_token_stops_working_with_the_account(
    partner: User, offer: Service, secret: str, anonymous_client: Client
) -> None:
    partner.is_active = False
    partner.save(update_fields=["is_active"])
    _get(anonymous_client, "/offers", secret, 401)


def test_a_token_opens_only_its_own_tenant(
    tenant: LocalAuthority,
    other_tenant: LocalAuthority,
    partner: User,
    offer: Service,
    anonymous_client: Client,
) -> None:
    # The same person is partner in another tenant too; that tenant's token sees none of ours.
    Role.objects.create(local_authority=other_tenant, user=partner, kind=Role.Kind.PARTNER)
    other_secret = token_for(partner, other_tenant)
    assert _get(anonymous_client, "/offers", other_secret)["count"] == 0
    _get(anonymous_client, f"/offers/{offer.uuid}", other_secret, 404)


def test_last_use_is_noted_at_most_once_a_minute(
    tenant: LocalAuthority, partner: User, offer: Service, secret: str, anonymous_client: Client
) -> None:
    with scope(local_authority=tenant):
        token = ApiToken.objects.get(user=partner)
    assert token.last_used_at is None
    _get(anonymous_client, "/offers", secret)
    with scope(local_authority=tenant):
        token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    _get(anonymous_client, "/offers", secret)
    with scope(local_authority=tenant):
        token.refresh_from_db()
        assert token.last_used_at == first
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - dt.timedelta(minutes=2))
    _get(anonymous_client, "/offers", secret)
    with scope(local_authority=tenant):
        token.refresh_from_db()
    assert token.last_used_at is not None and token.last_used_at > first


def test_a_proposed_change_waits_for_review(
    tenant: LocalAuthority, partner: User, offer: Service, secret: str, anonymous_client: Client
) -> None:
    topic = TopicFactory(taxonomy__local_authority=tenant)
    body = _post(
        anonymous_client,
        f"/offers/{offer.uuid}/revisions",
        secret,
        {"description": "Jetzt auch samstags.", "topics": [str(topic.uuid)], "comment": "Neu"},
        201,
    )
    assert body["status"] == "pending"
    assert body["offer_id"] == str(offer.uuid)
    assert body["proposed_by_me"] is True
    assert body["data"]["description"] == "Jetzt auch samstags."
    assert body["data"]["topics"] == [str(topic.uuid)]
    # What was not given stays as it was.
    assert body["data"]["name"] == "Elterncafé"
    with scope(local_authority=tenant):
        revision = ServiceRevision.objects.get()
        offer.refresh_from_db()
    assert revision.status == ServiceRevision.Status.PENDING
    assert revision.proposed_by == partner and revision.comment == "Neu"
    assert offer.description != "Jetzt auch samstags."
    listed = _get(anonymous_client, "/revisions", secret, status="pending")
    assert [item["id"] for item in listed["items"]] == [str(revision.uuid)]
    detail = _get(anonymous_client, f"/revisions/{revision.uuid}", secret)
    assert detail["data"]["description"] == "Jetzt auch samstags."
    assert _get(anonymous_client, "/offers", secret)["items"][0]["pending_revisions"] == 1


def test_a_partner_proposes_a_new_offer(
    tenant: LocalAuthority, own: Organisation, secret: str, anonymous_client: Client
) -> None:
    area = AreaFactory(local_authority=tenant)
    body = _post(
        anonymous_client,
        "/offers",
        secret,
        {
            "organisation_id": str(own.uuid),
            "name": "Babymassage",
            "min_age_months": 1,
            "max_age_months": 12,
            "locations": [
                {
                    "name": "Gemeindehaus",
                    "city": "Kalbe",
                    "postal_code": "39624",
                    "area_id": str(area.uuid),
                }
            ],
            "schedules": [{"weekday": "TU", "opens": "09:00", "closes": "11:30"}],
        },
        201,
    )
    assert body["offer_id"] is None and body["status"] == "pending"
    assert body["data"]["locations"][0]["area"] == str(area.uuid)
    assert body["data"]["schedules"][0] == {
        "weekday": "TU",
        "opens": "09:00",
        "closes": "11:30",
        "description": "",
    }
    with scope(local_authority=tenant):
        assert not Service.objects.filter(name="Babymassage").exists()
        assert ServiceRevision.objects.get().organisation == own


def _problems(body: dict[str, Any]) -> dict[str, str]:
    return {
        ".".join(str(part) for part in error["loc"][2:]): error["msg"] for error in body["detail"]
    }


def test_invalid_proposals_are_refused_field_by_field(
    tenant: LocalAuthority,
    other_tenant: LocalAuthority,
    offer: Service,
    secret: str,
    anonymous_client: Client,
) -> None:
    foreign_topic = TopicFactory(taxonomy__local_authority=other_tenant)
    foreign_area = AreaFactory(local_authority=other_tenant)
    body = _post(
        anonymous_client,
        f"/offers/{offer.uuid}/revisions",
        secret,
        {
            "name": "",
            "email": "keine-adresse",
            "url": "javascript:alert(1)",
            "min_age_months": -12,
            "cost_type": "teuer",
            "languages": ["Deutsch"],
        },
        422,
    )
    problems = _problems(body)
    assert set(problems) == {"name", "email", "url", "min_age_months", "cost_type", "languages.0"}
    assert "e-mail" in problems["email"]
    references = _post(
        anonymous_client,
        f"/offers/{offer.uuid}/revisions",
        secret,
        {
            "topics": [str(foreign_topic.uuid)],
            "life_phases": ["age_0_1", "age_99"],
            "locations": [{"name": "Fremd", "area_id": str(foreign_area.uuid)}],
        },
        422,
    )
    assert _problems(references) == {
        "topics.0": "Unknown topic.",
        "life_phases.1": "Unknown life phase.",
        "locations.0.area_id": "Unknown place.",
    }
    ages = _post(
        anonymous_client, f"/offers/{offer.uuid}/revisions", secret, {"max_age_months": -10}, 422
    )
    assert "max_age_months" in _problems(ages)
    below = _post(
        anonymous_client,
        f"/offers/{offer.uuid}/revisions",
        secret,
        {"max_age_months": -9, "min_age_months": 0},
        422,
    )
    assert below["detail"]
    nulls = _post(anonymous_client, f"/offers/{offer.uuid}/revisions", secret, {"name": None}, 422)
    assert "may not be null" in json.dumps(nulls)
    with scope(local_authority=tenant):
        assert not ServiceRevision.objects.exists()


def test_a_proposal_without_a_change_is_refused(
    offer: Service, secret: str, anonymous_client: Client
) -> None:
    body = _post(
        anonymous_client, f"/offers/{offer.uuid}/revisions", secret, {"name": "Elterncafé"}, 422
    )
    assert body["detail"][0]["code"] == "unchanged"


def test_not_json_is_refused(offer: Service, secret: str, anonymous_client: Client) -> None:
    response = anonymous_client.post(
        f"{BASE}/offers/{offer.uuid}/revisions",
        "name=x",
        content_type="text/plain",
        **bearer(secret),
    )
    assert response.status_code in {400, 422}


def test_confirming_an_offer_makes_it_fresh(
    tenant: LocalAuthority, partner: User, offer: Service, secret: str, anonymous_client: Client
) -> None:
    with scope(local_authority=tenant):
        Service.objects.filter(pk=offer.pk).update(
            last_verified_at=timezone.now() - dt.timedelta(days=250)
        )
    assert _get(anonymous_client, f"/offers/{offer.uuid}", secret)["freshness"] == "overdue"
    assert _get(anonymous_client, "/offers", secret, freshness="overdue")["count"] == 1
    assert _get(anonymous_client, "/offers", secret, freshness="fresh")["count"] == 0
    body = _post(anonymous_client, f"/offers/{offer.uuid}/verify", secret, {}, 200)
    assert body["freshness"] == "fresh"
    with scope(local_authority=tenant):
        offer.refresh_from_db()
        assert offer.verified_by == partner
        assert AuditEntry.objects.filter(object_type="directory.Service", actor=partner).exists()


def test_revisions_of_other_organisations_are_not_found(
    tenant: LocalAuthority, offer: Service, secret: str, anonymous_client: Client, coordinator: User
) -> None:
    neighbour = public_service(tenant, name="Nachbar")
    coordinator_secret = token_for(coordinator, tenant)
    theirs = _post(
        anonymous_client,
        f"/offers/{neighbour.uuid}/revisions",
        coordinator_secret,
        {"description": "Anders"},
        201,
    )
    _get(anonymous_client, f"/revisions/{theirs['id']}", secret, 404)
    assert _get(anonymous_client, "/revisions", secret)["count"] == 0
    _get(anonymous_client, f"/revisions/{uuid.uuid4()}", secret, 404)


def test_the_openapi_document_is_served_without_a_docs_page(anonymous_client: Client) -> None:
    document = anonymous_client.get(f"{BASE}/openapi.json").json()
    assert document["info"]["title"] == "Knotenpunkt partner API"
    assert "/api/v1/offers/{offer_id}/revisions" in document["paths"]
    assert document["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"
    assert anonymous_client.get(f"{BASE}/docs").status_code == 404


def test_the_token_never_reaches_the_audit_log(
    tenant: LocalAuthority, partner: User, secret: str
) -> None:
    with scope(local_authority=tenant):
        entries = list(AuditEntry.objects.filter(object_type="directory.ApiToken"))
        token = ApiToken.objects.get(user=partner)
    assert entries
    logged = json.dumps([entry.changes for entry in entries])
    assert secret not in logged and token.token_hash not in logged


def test_lists_use_a_fixed_number_of_queries(
    own: Organisation,
    secret: str,
    anonymous_client: Client,
    django_assert_max_num_queries: Any,
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for index in range(2):
        public_service(own.local_authority, own, name=f"Angebot {index}")
    for path in ("/offers", "/revisions", "/organisations"):
        _get(anonymous_client, path, secret)
        with CaptureQueriesContext(connection) as few:
            _get(anonymous_client, path, secret)
        allowed = len(few)  # read now: the next request resets the connection's query log
        for index in range(8):
            service = public_service(own.local_authority, own, name=f"Mehr {path} {index}")
            _post(
                anonymous_client,
                f"/offers/{service.uuid}/revisions",
                secret,
                {"description": "neu"},
                201,
            )
        with django_assert_max_num_queries(allowed):
            _get(anonymous_client, path, secret)


def test_the_api_speaks_the_models_vocabulary() -> None:
    from typing import get_args

    from knotenpunkt.directory.api import partner_schemas

    assert set(get_args(partner_schemas.Status)) == set(Service.Status.values)
    assert set(get_args(partner_schemas.CostType)) == set(Service.CostType.values)
    assert set(get_args(partner_schemas.Visibility)) == set(Service.Visibility.values)
    assert set(get_args(partner_schemas.TranslationLanguage)) == {
        code for code, _label in GUIDE_LANGUAGES if code != "de"
    }
