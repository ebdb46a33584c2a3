"""A coordinator's first minute: the login page, logging in, the tenant's start page.

Each page is checked with axe-core against WCAG 2.1 A/AA, for a skip link as the first stop of the
keyboard, and for a strict Content-Security-Policy that the page itself keeps.
"""

from __future__ import annotations

from playwright.sync_api import ConsoleMessage, Page

from knotenpunkt.core.models import LocalAuthority, User
from tests.browser.conftest import assert_accessible, log_in, open_page

# Collects securitypolicyviolation events; an init script is not subject to the page's CSP.
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
    window.__cspViolations.push(
        `${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
        + ` (${event.sourceFile || "?"}:${event.lineNumber})`
    );
});
"""


def _csp_directives(header: str) -> dict[str, list[str]]:
    directives: dict[str, list[str]] = {}
    for part in header.split(";"):
        if part.strip():
            name, *values = part.split()
            directives[name.lower()] = values
    return directives


def test_login_page_is_accessible(page: Page, base_url: str) -> None:
    open_page(page, f"{base_url}/accounts/login/")

    assert page.locator('input[name="username"]').is_visible()
    assert page.locator('input[name="password"]').is_visible()
    assert_accessible(page)


def test_coordinator_logs_in_and_lands_on_the_accessible_start_page(
    page: Page, base_url: str, tenant: LocalAuthority, coordinator: User
) -> None:
    log_in(page, base_url, coordinator.email)

    assert page.url == f"{base_url}/t/{tenant.slug}/"
    assert_accessible(page)


def test_skip_link_is_the_first_stop_of_the_keyboard(
    page: Page, base_url: str, tenant: LocalAuthority, coordinator: User
) -> None:
    log_in(page, base_url, coordinator.email)
    assert page.url == f"{base_url}/t/{tenant.slug}/"

    page.keyboard.press("Tab")

    focused = page.evaluate(
        "() => ({href: document.activeElement.getAttribute('href'),"
        " text: document.activeElement.textContent.trim(),"
        " tag: document.activeElement.tagName})"
    )
    assert focused["href"] == "#main", f"the first Tab stop is {focused}, not a skip link to #main"
    assert page.locator("#main").count() == 1, "the skip link points to no element with id 'main'"
    assert page.locator("a[href='#main']").first.is_visible(), "the focused skip link stays hidden"


def test_start_page_keeps_a_strict_content_security_policy(
    page: Page, base_url: str, tenant: LocalAuthority, coordinator: User
) -> None:
    log_in(page, base_url, coordinator.email)
    console_errors: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            console_errors.append(message.text)

    page.on("console", on_console)
    page.add_init_script(CSP_LISTENER)
    response = open_page(page, f"{base_url}/t/{tenant.slug}/")

    header = response.header_value("content-security-policy")
    assert header, "the start page sends no Content-Security-Policy header"
    assert "default-src 'none'" in header
    directives = _csp_directives(header)
    script_src = directives.get("script-src", directives["default-src"])
    assert "'unsafe-inline'" not in script_src, header
    assert "'unsafe-eval'" not in script_src, header

    csp_errors = [
        text for text in console_errors if "Content Security Policy" in text or "Refused to" in text
    ]
    assert csp_errors == [], "CSP violations in the console:\n" + "\n".join(csp_errors)
    assert page.evaluate("window.__cspViolations") == []
