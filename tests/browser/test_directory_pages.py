"""The directory of offers in the demo tenant meets WCAG 2.1 A/AA (axe-core), for every role.

The coordinator's and the partner's pages are checked logged in; the public guide is checked
anonymously at desktop and phone width, and it keeps working with JavaScript switched off.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django_scopes import scope
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize

from knotenpunkt.core.demo import ALTMARK_SLUG, DEMO_PASSWORD, load_demo
from knotenpunkt.core.models import LIFE_PHASES, LifePhase, LocalAuthority
from knotenpunkt.directory import selectors, services
from knotenpunkt.directory.models import Address, Service, ServiceRevision
from knotenpunkt.partners.demo_data import COORDINATOR_EMAILS, PARTNER_EMAIL
from knotenpunkt.partners.models import Organisation
from tests.browser.conftest import assert_accessible, log_in, open_page

PHONE: ViewportSize = {"width": 390, "height": 844}


@dataclass(frozen=True)
class DirectoryDemo:
    """Addresses of the demo's directory pages, and what the confidential offer must not show."""

    coordinator_paths: list[str]
    partner_paths: list[str]
    guide: str
    offer: str
    offer_name: str
    confidential_offer: str
    confidential_streets: list[str]
    verify_token: str
    search_word: str


def load_directory_demo() -> None:
    """Loads the demo; first puts back the life phases a data migration made.

    A transactional test empties every table when it ends, the migration's rows included, and
    the directory's demo classifies its offers by life phase.
    """
    for position, (code, min_months, max_months, is_transition) in enumerate(LIFE_PHASES):
        LifePhase.objects.update_or_create(
            code=code,
            defaults={
                "min_months": min_months,
                "max_months": max_months,
                "is_transition": is_transition,
                "position": position,
            },
        )
    load_demo()


@pytest.fixture
def demo(transactional_db: None) -> DirectoryDemo:
    load_directory_demo()
    tenant = LocalAuthority.objects.get(slug=ALTMARK_SLUG)
    with scope(local_authority=tenant):
        public = selectors.public_services(tenant).order_by("name")
        offer = public.filter(service_at_locations__location__confidential=False).first()
        confidential = public.filter(service_at_locations__location__confidential=True).first()
        assert offer is not None and confidential is not None
        streets = [
            address.address_1
            for address in Address.objects.filter(
                location__confidential=True,
                location__service_at_locations__service=confidential,
            )
            if address.address_1
        ]
        revision = (
            ServiceRevision.objects.filter(
                status=ServiceRevision.Status.PENDING, service__isnull=False
            )
            .order_by("proposed_at")
            .first()
        )
        own = (
            Service.objects.filter(
                organisation__in=Organisation.objects.filter(
                    affiliations__person__user__email=PARTNER_EMAIL
                )
            )
            .order_by("name")
            .first()
        )
        assert revision is not None and own is not None
        token = services.verification_token(offer)
    base = f"/t/{ALTMARK_SLUG}/offers"
    return DirectoryDemo(
        coordinator_paths=[
            f"{base}/",
            f"{base}/{offer.uuid}/",
            f"{base}/{offer.uuid}/edit/",
            f"{base}/new/",
            f"{base}/review/",
            f"{base}/proposals/{revision.uuid}/",
            f"{base}/freshness/",
            f"{base}/reports/",
            f"{base}/settings/",
            f"{base}/exchange/",
            f"{base}/api-tokens/",
        ],
        partner_paths=[
            f"{base}/mine/",
            f"{base}/mine/proposals/",
            f"{base}/{own.uuid}/",
            f"{base}/{own.uuid}/propose/",
            f"{base}/mine/new/",
            f"{base}/proposals/{revision.uuid}/",
        ],
        guide=f"/g/{ALTMARK_SLUG}",
        offer=str(offer.uuid),
        offer_name=offer.name,
        confidential_offer=str(confidential.uuid),
        confidential_streets=streets,
        verify_token=token,
        search_word=offer.name.split()[0],
    )


def _check(page: Page, url: str) -> None:
    open_page(page, url)
    assert page.locator("main h1").count() == 1, url
    assert_accessible(page)


def test_the_coordinators_directory_pages_have_no_accessibility_violations(
    page: Page, base_url: str, demo: DirectoryDemo
) -> None:
    log_in(page, base_url, COORDINATOR_EMAILS[ALTMARK_SLUG], DEMO_PASSWORD)
    for path in demo.coordinator_paths:
        _check(page, f"{base_url}{path}")
    # The proposal shows its changes field by field.
    open_page(page, f"{base_url}{demo.coordinator_paths[5]}")
    assert page.locator("main table tbody th[scope=row]").count() >= 1


def test_the_partners_directory_pages_have_no_accessibility_violations(
    page: Page, base_url: str, demo: DirectoryDemo
) -> None:
    log_in(page, base_url, PARTNER_EMAIL, DEMO_PASSWORD)
    for path in demo.partner_paths:
        _check(page, f"{base_url}{path}")


def _guide_pages(page: Page, base_url: str, demo: DirectoryDemo) -> None:
    guide = f"{base_url}{demo.guide}"
    _check(page, f"{guide}/")
    assert page.get_by_role("link", name=demo.offer_name, exact=True).count() >= 1
    _check(page, f"{guide}/{demo.offer}/")
    _check(page, f"{guide}/{demo.confidential_offer}/")
    text = page.locator("main").inner_text()
    assert demo.confidential_streets, "the women's shelter has no confidential street address"
    for street in demo.confidential_streets:
        assert street not in text, f"the confidential address {street!r} is published"
    _check(page, f"{guide}/{demo.offer}/report/")
    page.locator("main form textarea").first.fill("Die Telefonnummer stimmt nicht mehr.")
    with page.expect_navigation(wait_until="networkidle"):
        page.locator('main form button[type="submit"]').click()
    assert page.url.endswith(f"/{demo.offer}/report/thanks/"), page.url
    assert_accessible(page)
    _check(page, f"{guide}/v/{demo.verify_token}/")
    confirm = page.locator('main form button[type="submit"]')
    assert confirm.count() == 1, "the verification link was refused"
    with page.expect_navigation(wait_until="networkidle"):
        confirm.click()
    assert page.locator("main .message--success").count() == 1
    assert_accessible(page)


def _no_sideways_scrolling(page: Page) -> None:
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 1, f"{page.url} scrolls sideways by {overflow}px on a phone"


def test_the_public_guide_has_no_accessibility_violations(
    page: Page, base_url: str, demo: DirectoryDemo
) -> None:
    _guide_pages(page, base_url, demo)


def test_the_public_guide_works_on_a_phone(page: Page, base_url: str, demo: DirectoryDemo) -> None:
    page.set_viewport_size(PHONE)
    _guide_pages(page, base_url, demo)
    guide = f"{base_url}{demo.guide}"
    for url in (f"{guide}/", f"{guide}/{demo.offer}/", f"{guide}/{demo.confidential_offer}/"):
        open_page(page, url)
        _no_sideways_scrolling(page)


@pytest.fixture
def no_script(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(
        locale="de-DE", timezone_id="Europe/Berlin", java_script_enabled=False
    )
    context.set_default_timeout(15_000)
    yield context
    context.close()


def test_the_public_guide_works_without_javascript(
    no_script: BrowserContext, base_url: str, demo: DirectoryDemo
) -> None:
    page = no_script.new_page()
    guide = f"{base_url}{demo.guide}"
    open_page(page, f"{guide}/")
    assert page.locator("main h1").count() == 1
    everything = page.locator("main li.offer-card").count()
    assert everything > 1

    page.get_by_role("searchbox").fill(demo.search_word)
    with page.expect_navigation(wait_until="networkidle"):
        page.get_by_role("search").get_by_role("button").click()
    assert "q=" in page.url
    found = page.get_by_role("link", name=demo.offer_name, exact=True)
    assert found.count() >= 1

    with page.expect_navigation(wait_until="networkidle"):
        found.first.click()
    assert page.url.endswith(f"/{demo.offer}/")
    assert page.get_by_role("heading", level=1).inner_text().strip() == demo.offer_name
