"""The editions' pages: who may do what, a new edition from form to download, another tenant."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone
from django_scopes import scope

from knotenpunkt.core.models import AuditEntry, LocalAuthority, User
from knotenpunkt.directory.models import GuideEdition
from tests.access import check_tenant_urls
from tests.conftest import client_for
from tests.directory import test_booklet_support as support
from tests.directory.test_booklet_support import Directory
from tests.factories import AreaFactory

pytestmark = pytest.mark.django_db
# The shared fixtures, under their own names.
booklet_settings = support.booklet_settings
directory = support.directory


def done_edition(tenant: LocalAuthority, name: str = "2026/1") -> GuideEdition:
    with scope(local_authority=tenant):
        area = AreaFactory(local_authority=tenant)
        edition = GuideEdition(
            local_authority=tenant,
            name=name,
            area=area,
            status=GuideEdition.Status.DONE,
            progress=100,
            page_count=2,
            offer_count=1,
        )
        edition.pdf.save("test.pdf", ContentFile(b"%PDF-1.7 test"), save=False)
        edition.save()
    return edition


def test_every_edition_url_keeps_outsiders_and_visitors_out(
    tenant: LocalAuthority,
    booklet_settings: Any,
    coordinator_client: Client,
    partner_client: Client,
    outsider_client: Client,
    anonymous_client: Client,
) -> None:
    edition = done_edition(tenant)
    checked = check_tenant_urls(
        namespace="guide_editions",
        tenant=tenant.slug,
        url_kwargs={"edition": edition.uuid},
        coordinator=coordinator_client,
        partner=partner_client,
        outsider=outsider_client,
        anonymous=anonymous_client,
    )
    assert {url.name for url in checked} == {
        "guide_editions:list",
        "guide_editions:create",
        "guide_editions:detail",
        "guide_editions:progress",
        "guide_editions:download",
        "guide_editions:retry",
        "guide_editions:delete",
    }


def test_another_tenants_edition_is_not_found(
    tenant: LocalAuthority,
    other_tenant: LocalAuthority,
    booklet_settings: Any,
    coordinator_client: Client,
) -> None:
    foreign = done_edition(other_tenant)
    base = f"/t/{tenant.slug}/offers/editions/{foreign.uuid}/"
    for suffix in ("", "progress/", "download/"):
        assert coordinator_client.get(base + suffix).status_code == 404
    for suffix in ("retry/", "delete/"):
        assert coordinator_client.post(base + suffix).status_code == 404
    with scope(local_authority=other_tenant):
        assert GuideEdition.objects.filter(pk=foreign.pk).exists()


def test_a_coordinator_generates_an_edition_and_downloads_the_pdf(
    tenant: LocalAuthority,
    directory: Directory,
    booklet_settings: Any,
    coordinator_client: Client,
    tmp_path: Path,
) -> None:
    url = f"/t/{tenant.slug}/offers/editions/"
    assert coordinator_client.get(url + "new/").status_code == 200
    response = coordinator_client.post(
        url + "new/",
        {"name": "2026/1", "area": directory.town.pk, "life_phase": "", "language": "de"},
    )
    assert response.status_code == 302
    with scope(local_authority=tenant):
        edition = GuideEdition.objects.get()
        assert AuditEntry.objects.filter(object_id=str(edition.pk)).exists()
    assert response["Location"] == f"{url}{edition.uuid}/"
    assert edition.status == GuideEdition.Status.DONE, edition.error
    assert edition.progress == 100 and edition.page_count and edition.page_count >= 2
    assert edition.offer_count == 4
    assert edition.pdf.name.startswith("guides/")
    page = coordinator_client.get(response["Location"])
    assert page.status_code == 200 and b"Download the PDF" in page.content
    download = coordinator_client.get(f"{url}{edition.uuid}/download/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    listing = coordinator_client.get(url)
    assert b"2026/1" in listing.content


def test_an_area_of_another_tenant_cannot_be_chosen(
    tenant: LocalAuthority,
    other_tenant: LocalAuthority,
    booklet_settings: Any,
    coordinator_client: Client,
) -> None:
    with scope(local_authority=other_tenant):
        foreign_area = AreaFactory(local_authority=other_tenant)
    response = coordinator_client.post(
        f"/t/{tenant.slug}/offers/editions/new/",
        {"name": "2026/1", "area": foreign_area.pk, "language": "de"},
    )
    assert response.status_code == 200
    with scope(local_authority=tenant):
        assert not GuideEdition.objects.exists()


def test_volunteers_list_and_download_finished_editions_only(
    tenant: LocalAuthority, booklet_settings: Any, volunteer: User
) -> None:
    done = done_edition(tenant, "Fertig 2026")
    with scope(local_authority=tenant):
        running = GuideEdition.objects.create(
            local_authority=tenant, name="Läuft noch", area=done.area, progress=40
        )
    client = client_for(volunteer)
    listing = client.get(f"/t/{tenant.slug}/offers/editions/")
    assert listing.status_code == 200
    assert "Fertig 2026" in listing.content.decode()
    assert "Läuft noch" not in listing.content.decode()
    base = f"/t/{tenant.slug}/offers/editions/"
    assert client.get(f"{base}{done.uuid}/download/").status_code == 200
    assert client.get(f"{base}{running.uuid}/download/").status_code == 404
    assert client.get(f"{base}new/").status_code == 403
    assert client.get(f"{base}{done.uuid}/").status_code == 403


def test_the_progress_partial_polls_while_running_and_reloads_when_done(
    tenant: LocalAuthority, booklet_settings: Any, coordinator_client: Client
) -> None:
    edition = done_edition(tenant)
    with scope(local_authority=tenant):
        GuideEdition.objects.filter(pk=edition.pk).update(
            status=GuideEdition.Status.RUNNING,
            progress=40,
            touched_at=timezone.now() - dt.timedelta(hours=1),
        )
        edition.refresh_from_db()
    url = f"/t/{tenant.slug}/offers/editions/{edition.uuid}/progress/"
    # Untouched for long: stalled, no more polling.
    response = coordinator_client.get(url, headers={"HX-Request": "true"})
    assert b"hx-get" not in response.content
    with scope(local_authority=tenant):
        GuideEdition.objects.filter(pk=edition.pk).update(touched_at=timezone.now())
    response = coordinator_client.get(url, headers={"HX-Request": "true"})
    assert b"hx-get" in response.content and b'value="40"' in response.content
    assert "HX-Refresh" not in response
    with scope(local_authority=tenant):
        GuideEdition.objects.filter(pk=edition.pk).update(status=GuideEdition.Status.DONE)
    response = coordinator_client.get(url, headers={"HX-Request": "true"})
    assert response["HX-Refresh"] == "true"


def test_a_failed_edition_is_generated_again_and_can_be_deleted(
    tenant: LocalAuthority,
    directory: Directory,
    booklet_settings: Any,
    coordinator_client: Client,
) -> None:
    with scope(local_authority=tenant):
        edition = GuideEdition.objects.create(
            local_authority=tenant,
            name="2026/2",
            area=directory.village,
            status=GuideEdition.Status.FAILED,
            error="Boom",
        )
    base = f"/t/{tenant.slug}/offers/editions/{edition.uuid}/"
    assert coordinator_client.post(base + "retry/").status_code == 302
    with scope(local_authority=tenant):
        edition.refresh_from_db()
    assert edition.status == GuideEdition.Status.DONE and not edition.error
    stored = Path(edition.pdf.path)
    assert stored.exists()
    assert coordinator_client.post(base + "delete/").status_code == 302
    with scope(local_authority=tenant):
        assert not GuideEdition.objects.filter(pk=edition.pk).exists()


def test_the_list_takes_a_fixed_number_of_queries(
    tenant: LocalAuthority,
    booklet_settings: Any,
    coordinator_client: Client,
    django_assert_max_num_queries: Any,
) -> None:
    done_edition(tenant, "2026/1")
    url = f"/t/{tenant.slug}/offers/editions/"
    with django_assert_max_num_queries(30) as captured:
        assert coordinator_client.get(url).status_code == 200
    for number in range(5):
        done_edition(tenant, f"2026/{number + 2}")
    with django_assert_max_num_queries(len(captured.captured_queries)):
        response = coordinator_client.get(url)
    assert response.content.decode().count("PDF of edition") == 6
