"""Welcome visits: anonymous counts only, recorded by volunteers, statistics per area and month."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django_scopes import scope

from knotenpunkt.core.models import LocalAuthority, User
from knotenpunkt.core.services import ServiceError
from knotenpunkt.outreach import selectors, services
from knotenpunkt.outreach.forms import WelcomeVisitForm
from knotenpunkt.outreach.models import WelcomeVisit
from knotenpunkt.outreach.selectors import months_before
from tests.conftest import client_for
from tests.factories import AreaFactory
from tests.outreach.factories import WelcomeVisitFactory

pytestmark = pytest.mark.django_db

THIS_MONTH = datetime.date.today().replace(day=1)  # noqa: DTZ011
PERSONAL = ("name", "family", "address", "street", "birth", "child", "phone", "email", "postcode")


def test_the_model_has_no_field_for_personal_data() -> None:
    fields = {field.name for field in WelcomeVisit._meta.get_fields()}
    assert fields == {
        "id",
        "local_authority",
        "uuid",
        "area",
        "month",
        "guide_edition",
        "language",
        "count",
    }
    assert not [name for name in fields if any(word in name for word in PERSONAL)]


def test_the_form_never_accepts_personal_data(tenant: LocalAuthority) -> None:
    area = AreaFactory(local_authority=tenant)
    with scope(local_authority=tenant):
        form = WelcomeVisitForm(
            {
                "area": area.uuid,
                "month": THIS_MONTH.strftime("%Y-%m"),
                "language": "Arabisch",
                "count": "2",
                "family_name": "Müller",
                "address": "Hauptstraße 1",
                "birth_date": "2026-01-01",
            }
        )
        assert form.is_valid(), form.errors
    assert set(form.cleaned_data) == {"area", "month", "guide_edition", "language", "count"}
    assert not [name for name in form.fields if any(word in name for word in PERSONAL)]


def test_a_volunteer_records_visits_and_sees_nothing_else(
    tenant: LocalAuthority, volunteer: User
) -> None:
    area = AreaFactory(local_authority=tenant)
    client = client_for(volunteer)
    url = f"/t/{tenant.slug}/contacts/welcome-visits/"
    assert client.get(url).status_code == 200
    data = {"area": area.uuid, "month": THIS_MONTH.strftime("%Y-%m"), "language": "Deutsch"}
    assert client.post(url, {**data, "count": "3"}).status_code == 302
    assert client.post(url, {**data, "count": "2"}).status_code == 302
    cell = WelcomeVisit.objects.with_scopes_disabled().get()
    assert (cell.count, cell.month, cell.area) == (5, THIS_MONTH, area)
    base = f"/t/{tenant.slug}/contacts/"
    for path in ("welcome-visits/statistics/", "care/", "tours/", ""):
        assert client.get(base + path).status_code == 403, path


def test_it_refuses_bad_counts_months_and_other_tenants_areas(
    tenant: LocalAuthority,
    other_tenant: LocalAuthority,
    coordinator: User,
    coordinator_client: Client,
) -> None:
    area = AreaFactory(local_authority=tenant)
    foreign = AreaFactory(local_authority=other_tenant)
    url = f"/t/{tenant.slug}/contacts/welcome-visits/"
    month = THIS_MONTH.strftime("%Y-%m")
    for data in (
        {"area": area.uuid, "month": month, "language": "Deutsch", "count": "0"},
        {"area": area.uuid, "month": month, "language": "Deutsch", "count": "-2"},
        {"area": foreign.uuid, "month": month, "language": "Deutsch", "count": "1"},
        {"area": area.uuid, "month": "2099-01", "language": "Deutsch", "count": "1"},
        {"area": area.uuid, "month": "kein Monat", "language": "Deutsch", "count": "1"},
    ):
        assert coordinator_client.post(url, data).status_code == 200, data
    with scope(local_authority=tenant), pytest.raises(ServiceError):
        services.welcome_visits_record(
            actor=coordinator,
            local_authority=tenant,
            area=foreign,
            month=THIS_MONTH,
            language="Deutsch",
            count=1,
        )
    assert not WelcomeVisit.objects.with_scopes_disabled().exists()


def test_the_statistics_count_per_area_and_month(
    tenant: LocalAuthority,
    other_tenant: LocalAuthority,
    coordinator_client: Client,
    steering: User,
    django_assert_max_num_queries: object,
) -> None:
    north = AreaFactory(local_authority=tenant, name="Nord")
    south = AreaFactory(local_authority=tenant, name="Süd")
    last_month = months_before(THIS_MONTH, 1)
    WelcomeVisitFactory(area=north, count=3, language="Deutsch")
    WelcomeVisitFactory(area=north, count=2, language="Arabisch")
    WelcomeVisitFactory(area=south, count=4, month=last_month)
    WelcomeVisitFactory(area=south, count=9, month=months_before(THIS_MONTH, 13))
    WelcomeVisitFactory(area=AreaFactory(local_authority=other_tenant), count=7)
    with scope(local_authority=tenant):
        stats = selectors.welcome_statistics()
    assert len(stats.months) == 12
    assert stats.months[-1] == THIS_MONTH
    assert [(area.name, values[-2:], total) for area, values, total in stats.rows] == [
        ("Nord", [0, 5], 5),
        ("Süd", [4, 0], 4),
    ]
    assert stats.total == 9
    url = f"/t/{tenant.slug}/contacts/welcome-visits/statistics/"
    with django_assert_max_num_queries(10):  # type: ignore[operator]
        page = coordinator_client.get(url).content.decode()
    assert "Nord" in page
    assert client_for(steering).get(url).status_code == 200
