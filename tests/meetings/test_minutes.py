"""Minutes: Markdown shown sanitised, saved through the page, and printed as a PDF."""

from __future__ import annotations

import pytest
from django.test import Client
from django_scopes import scope

from knotenpunkt.core.models import LocalAuthority, User
from knotenpunkt.meetings import services
from knotenpunkt.meetings.models import Minutes
from knotenpunkt.meetings.rendering import LocalOnlyFetcher, render_markdown
from tests.meetings.conftest import Setting

EVIL = (
    "# Protokoll\n\n<script>alert('x')</script>\n\n"
    "[klick](javascript:alert(1)) <img src=x onerror=alert(2)>\n\n**Beschluss** gefasst"
)


def test_markdown_is_rendered_and_html_never_gets_through() -> None:
    html = str(render_markdown(EVIL))
    assert "<h1>Protokoll</h1>" in html
    assert "<strong>Beschluss</strong>" in html
    assert "<script" not in html
    assert 'href="javascript' not in html
    assert "<img" not in html


@pytest.mark.django_db
def test_a_script_in_the_minutes_never_reaches_the_page(
    tenant: LocalAuthority, setting: Setting, coordinator_client: Client
) -> None:
    url = f"/t/{tenant.slug}/meetings/{setting.meeting.uuid}/"
    response = coordinator_client.post(
        url + "minutes/", {"text": EVIL, "decisions": "- Wir machen das"}
    )
    assert response.status_code == 302
    with scope(local_authority=tenant):
        assert "<script>" in Minutes.objects.get(meeting=setting.meeting).text
    page = coordinator_client.get(url).content.decode()
    shown = page.split('<div class="card minutes">', 1)[1]
    assert "<h1>Protokoll</h1>" in shown
    assert "<script>alert" not in page
    assert "<li>Wir machen das</li>" in page


@pytest.mark.django_db
def test_the_minutes_print_as_a_pdf(
    tenant: LocalAuthority, setting: Setting, coordinator: User, partner_client: Client
) -> None:
    with scope(local_authority=tenant):
        services.minutes_save(
            actor=coordinator, meeting=setting.meeting, text=EVIL, decisions="Einstimmig."
        )
        services.agenda_item_create(actor=coordinator, meeting=setting.meeting, title="Begrüßung")
        services.attendance_record(
            actor=coordinator, meeting=setting.meeting, present=setting.members[:2]
        )
    response = partner_client.get(f"/t/{tenant.slug}/meetings/{setting.meeting.uuid}/minutes.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_pdf_fetcher_reads_no_network() -> None:
    fetcher = LocalOnlyFetcher()
    with pytest.raises(ValueError):
        fetcher.fetch("https://fonts.example.org/font.woff2")
