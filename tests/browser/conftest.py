"""Browser tests: Debian's Chromium, driven through Playwright, against pytest-django's live server.

Every test under ``tests/browser/`` is marked ``browser`` (``pytest -m "not browser"`` leaves them
out). The browser is always the system's ``chromium`` package, never one downloaded by Playwright;
without it these tests fail and say what to install. ``assert_accessible`` runs axe-core (shipped
with axe-playwright-python) against WCAG 2.1 A and AA; ``log_in`` goes through the real login form.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

HERE = Path(__file__).resolve().parent
PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory's password
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

_axe = Axe()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.browser)


def chromium_path() -> str:
    """Debian's Chromium; fails the test (never skips) when it is not installed."""
    path = shutil.which("chromium") or "/usr/bin/chromium"
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        pytest.fail(
            "Browser tests need Debian's Chromium, which is not installed. Install it with\n"
            "    apt-get install --no-install-recommends chromium\n"
            "(scripts/test does this itself when run as root).",
            pytrace=False,
        )
    return path


# Playwright and the browser live as long as the browser tests do (package scope; pytest-django
# runs these transactional tests one after the other), not the whole session: while Playwright runs,
# the test thread has a running event loop, and the variable below must not reach later tests (the
# deploy check refuses it in subprocesses).
@pytest.fixture(autouse=True)
def _life_phases(transactional_db: None) -> None:
    """Puts back the life phases that a data migration made.

    Browser tests run against a live server, so they are transactional: each one empties every
    table when it ends, the migration's rows included, and the demo classifies by life phase.
    """
    from knotenpunkt.core.models import LIFE_PHASES, LifePhase

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


@pytest.fixture(scope="package")
def playwright() -> Iterator[Playwright]:
    with pytest.MonkeyPatch.context() as patch:
        # Playwright's sync API runs an event loop in the test thread, so Django's guard against
        # ORM calls from async code would refuse the factories used in these tests. The live
        # server answers from a thread of its own and is not affected.
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as pw:
            yield pw


@pytest.fixture(scope="package")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(locale="de-DE", timezone_id="Europe/Berlin")
    context.set_default_timeout(15_000)
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


@pytest.fixture
def base_url(live_server: Any) -> str:
    """The live server's address; using it makes the test transactional (``transactional_db``)."""
    return str(live_server.url)


def open_page(page: Page, url: str) -> Any:
    """Goes to ``url``, waits for the network to settle and fails on any HTTP error status."""
    response = page.goto(url, wait_until="networkidle")
    assert response is not None, f"no response for {url}"
    assert response.ok, f"GET {url} answered {response.status} {response.status_text}"
    return response


def log_in(page: Page, base_url: str, email: str, password: str = PASSWORD) -> None:
    """Logs in through the real login form, as a person would: type, type, press the button."""
    open_page(page, f"{base_url}/accounts/login/")
    form = page.locator("form").filter(has=page.locator('input[name="password"]'))
    form.locator('input[name="username"]').fill(email)
    form.locator('input[name="password"]').fill(password)
    with page.expect_navigation(wait_until="networkidle"):
        submit = 'button[type="submit"], input[type="submit"], button:not([type])'
        form.locator(submit).first.click()
    if "/accounts/login/" in page.url:
        errors = page.locator('[role="alert"], .errorlist, .form-errors').all_inner_texts()
        pytest.fail(f"login as {email} failed; the form says: {errors or '(no error shown)'}")


def _target(target: Any) -> str:
    # A node's target is a CSS selector, or a list of them through iframes and shadow roots.
    if isinstance(target, list):
        return " >>> ".join(_target(part) for part in target)
    return str(target)


def assert_accessible(page: Page, context: str | None = None) -> None:
    """Fails listing every axe-core violation of WCAG 2.1 A/AA on the page as it stands now."""
    results = _axe.run(
        page,
        context=context,
        options={
            "runOnly": {"type": "tag", "values": WCAG_TAGS},
            "resultTypes": ["violations"],
        },
    )
    violations = results.response["violations"]
    if not violations:
        return
    lines = [f"{len(violations)} violation(s) of WCAG 2.1 A/AA (axe-core) on {page.url}:"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} [{violation['impact']}]: {violation['help']} "
            f"({violation['helpUrl']})"
        )
        for node in violation["nodes"]:
            lines.append(f"    at {', '.join(_target(t) for t in node['target'])}")
            lines.append(f"       {node['html'][:200]}")
            summary = " ".join(node.get("failureSummary", "").split())
            if summary:
                lines.append(f"       {summary}")
    pytest.fail("\n".join(lines), pytrace=False)
