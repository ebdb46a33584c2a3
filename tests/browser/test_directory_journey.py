"""Issue 5's "done means": a partner edits an offer, the coordinator approves, the public sees it.

All through the real pages of the demo tenant, found by role and label. The browser asks for
English so that the test reads the project's own message ids, whatever the German catalogue says.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django_scopes import scope
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from knotenpunkt.core.demo import ALTMARK_SLUG, DEMO_PASSWORD, DEMO_USERS
from knotenpunkt.core.models import LocalAuthority
from knotenpunkt.directory import selectors
from knotenpunkt.directory.models import Service, ServiceRevision
from knotenpunkt.partners.demo_data import COORDINATOR_EMAILS, PARTNER_EMAIL
from knotenpunkt.partners.models import Organisation
from tests.browser.conftest import assert_accessible, log_in, open_page
from tests.browser.test_directory_pages import load_directory_demo

NAMES = {email: name for email, name, *_rest in DEMO_USERS}
PARTNER_NAME = NAMES[PARTNER_EMAIL]
COORDINATOR_NAME = NAMES[COORDINATOR_EMAILS[ALTMARK_SLUG]]
NEW_DESCRIPTION = (
    "Neu ab Januar: Wir beraten Sie auch per Videosprechstunde, "
    "wenn der Weg in die Praxis zu weit ist."
)


@pytest.fixture
def english(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(locale="en-GB", timezone_id="Europe/Berlin")
    context.set_default_timeout(15_000)
    yield context
    context.close()


@pytest.fixture
def offer(transactional_db: None) -> Service:
    """A public offer of the demo partner's own practice with no proposal waiting yet."""
    load_directory_demo()
    tenant = LocalAuthority.objects.get(slug=ALTMARK_SLUG)
    with scope(local_authority=tenant):
        own = Organisation.objects.filter(affiliations__person__user__email=PARTNER_EMAIL)
        waiting = ServiceRevision.objects.filter(
            status=ServiceRevision.Status.PENDING, service__isnull=False
        ).values("service")
        offer = (
            selectors.public_services(tenant)
            .filter(organisation__in=own)
            .exclude(pk__in=waiting)
            .select_related("organisation")
            .order_by("name")
            .first()
        )
    assert offer is not None, "the demo partner has no public offer without a proposal"
    return offer


def _click_and_wait(page: Page, target: Locator) -> None:
    with page.expect_navigation(wait_until="networkidle"):
        target.click()


def _log_out(page: Page, full_name: str) -> None:
    """Logs out through the user menu in the page header (a disclosure with the user's name)."""
    page.get_by_role("banner").get_by_text(full_name, exact=True).click()
    _click_and_wait(page, page.get_by_role("banner").get_by_role("button", name="Log out"))
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)


def test_a_partners_change_is_approved_and_the_public_sees_it(
    english: BrowserContext, context: BrowserContext, base_url: str, offer: Service
) -> None:
    tenant_base = f"{base_url}/t/{ALTMARK_SLUG}/offers"
    page = english.new_page()

    # The partner opens one of their organisation's offers and proposes a new description.
    log_in(page, base_url, PARTNER_EMAIL, DEMO_PASSWORD)
    open_page(page, f"{tenant_base}/mine/")
    _click_and_wait(page, page.get_by_role("link", name=offer.name, exact=True))
    expect(page.get_by_role("heading", level=1)).to_have_text(offer.name)
    _click_and_wait(page, page.get_by_role("link", name="Propose a change", exact=True))
    assert_accessible(page)
    page.get_by_role("group", name="The offer").get_by_label(re.compile(r"^Description:?$")).fill(
        NEW_DESCRIPTION
    )
    page.get_by_label(re.compile(r"^Note for the coordination")).fill(
        "Wir bieten jetzt auch Video an."
    )
    _click_and_wait(page, page.get_by_role("button", name="Send for review"))
    assert "/proposals/" in page.url, page.url
    expect(page.get_by_role("status")).to_contain_text("sent to the coordination office")
    _log_out(page, PARTNER_NAME)

    # The coordinator finds it in the review queue, sees the diff field by field and approves.
    log_in(page, base_url, COORDINATOR_EMAILS[ALTMARK_SLUG], DEMO_PASSWORD)
    open_page(page, f"{tenant_base}/review/")
    row = page.get_by_role("row").filter(has_text="Wir bieten jetzt auch Video an.")
    expect(row).to_have_count(1)
    _click_and_wait(page, row.get_by_role("link", name=offer.name, exact=True))
    assert_accessible(page)
    changes = page.get_by_role("table", name=re.compile("What changes"))
    description_row = changes.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name=re.compile("^Description$", re.I))
    )
    expect(description_row).to_have_count(1)
    expect(description_row.get_by_role("cell").nth(1)).to_contain_text(NEW_DESCRIPTION)
    expect(description_row.get_by_role("cell").nth(0)).not_to_contain_text(NEW_DESCRIPTION)
    _click_and_wait(page, page.get_by_role("button", name="Approve and publish"))
    assert page.url.endswith("/offers/review/"), page.url
    expect(page.get_by_role("link", name=offer.name, exact=True)).to_have_count(0)
    _log_out(page, COORDINATOR_NAME)

    # Anyone, not logged in, reads the new description in the public guide.
    # (``context`` is a fresh browser context of its own, in German, never logged in.)
    visitor = context.new_page()
    open_page(visitor, f"{base_url}/g/{ALTMARK_SLUG}/")
    visitor.get_by_role("searchbox").fill(offer.name)
    _click_and_wait(visitor, visitor.get_by_role("search").get_by_role("button"))
    _click_and_wait(visitor, visitor.get_by_role("link", name=offer.name, exact=True).first)
    expect(visitor.get_by_role("heading", level=1)).to_have_text(offer.name)
    expect(visitor.get_by_role("main")).to_contain_text(NEW_DESCRIPTION)
    assert_accessible(visitor)
    with scope(local_authority=offer.local_authority):
        offer.refresh_from_db()
    assert offer.description == NEW_DESCRIPTION
