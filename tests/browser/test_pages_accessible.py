"""Every main page of a coordinator's week, in the demo tenant, meets WCAG 2.1 A/AA (axe-core)."""

from __future__ import annotations

import pytest
from django_scopes import scope
from playwright.sync_api import Page

from knotenpunkt.bodies.models import Body
from knotenpunkt.core.demo import ALTMARK_SLUG, DEMO_PASSWORD, load_demo
from knotenpunkt.core.models import Area, LocalAuthority
from knotenpunkt.meetings.models import Meeting
from knotenpunkt.outreach.models import Tour
from knotenpunkt.partners.models import Organisation, Person
from tests.browser.conftest import assert_accessible, log_in, open_page


@pytest.fixture
def demo_paths(transactional_db: None) -> list[str]:
    load_demo()
    tenant = LocalAuthority.objects.get(slug=ALTMARK_SLUG)
    with scope(local_authority=tenant):
        area = Area.objects.get(name="Gardelegen")
        organisation = Organisation.objects.order_by("name").first()
        person = Person.objects.order_by("last_name").first()
        body = Body.objects.order_by("name").first()
        meeting = Meeting.objects.filter(minutes__isnull=False).first()
        tour = Tour.objects.first()
    assert organisation and person and body and meeting and tour
    base = f"/t/{ALTMARK_SLUG}"
    return [
        f"{base}/",
        f"{base}/areas/",
        f"{base}/areas/{area.uuid}/",
        f"{base}/areas/{area.uuid}/edit/",
        f"{base}/areas/figures/import/",
        f"{base}/partners/",
        f"{base}/partners/people/",
        f"{base}/partners/organisations/{organisation.uuid}/",
        f"{base}/partners/people/{person.uuid}/",
        f"{base}/structure/",
        f"{base}/structure/bodies/{body.uuid}/",
        f"{base}/meetings/",
        f"{base}/meetings/{meeting.uuid}/",
        f"{base}/meetings/actions/",
        f"{base}/meetings/needs/",
        f"{base}/meetings/series/new/",
        f"{base}/contacts/care/",
        f"{base}/contacts/tours/",
        f"{base}/contacts/tours/{tour.uuid}/",
        f"{base}/contacts/tours/{tour.uuid}/print/",
        f"{base}/contacts/welcome-visits/",
        f"{base}/contacts/welcome-visits/statistics/",
        f"{base}/contacts/",
        f"{base}/contacts/new/?organisation={organisation.uuid}",
        f"{base}/import/",
        f"{base}/audit/",
        f"{base}/team/",
        f"{base}/settings/",
    ]


def test_the_coordinators_pages_have_no_accessibility_violations(
    page: Page, base_url: str, demo_paths: list[str]
) -> None:
    log_in(page, base_url, "koordination@altmark-demo.example.org", DEMO_PASSWORD)
    for path in demo_paths:
        open_page(page, f"{base_url}{path}")
        assert page.locator("main h1").count() == 1, path
        assert_accessible(page)


def test_the_pages_work_on_a_phone(page: Page, base_url: str, demo_paths: list[str]) -> None:
    page.set_viewport_size({"width": 375, "height": 740})
    log_in(page, base_url, "koordination@altmark-demo.example.org", DEMO_PASSWORD)
    for path in demo_paths[:6]:
        open_page(page, f"{base_url}{path}")
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 1, f"{path} scrolls sideways by {overflow}px on a phone"
        assert_accessible(page)
