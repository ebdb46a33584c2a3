"""The coordinators' exchange page: exports, the import upload and its report, access rules."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLResolver, include, path
from django_scopes import scope

from knotenpunkt.config.urls import urlpatterns as project_urlpatterns
from knotenpunkt.core.models import LocalAuthority
from knotenpunkt.directory.hsds.schemas import validate
from knotenpunkt.directory.models import Service
from tests.access import check_tenant_urls
from tests.directory.test_hsds_import import example, object_counts
from tests.directory.test_hsds_serialize import build_directory

# Until the project mounts the exchange (at /t/<tenant>/offers/exchange/), these tests do.
urlpatterns = list(project_urlpatterns)
if not any(
    isinstance(entry, URLResolver) and entry.namespace == "directory_exchange"
    for entry in urlpatterns
):
    urlpatterns.append(
        path("t/<slug:tenant>/offers/exchange/", include("knotenpunkt.directory.exchange_urls"))
    )

CSV_EXAMPLE = (
    Path(__file__).resolve().parents[2].parent / "shared" / "hsds" / "v3.0" / "examples" / "csv"
)


@pytest.fixture(autouse=True)
def _exchange_urls(settings: pytest.FixtureRequest) -> None:
    settings.ROOT_URLCONF = __name__  # type: ignore[attr-defined]


def _url(tenant: LocalAuthority, rest: str = "") -> str:
    return f"/t/{tenant.slug}/offers/exchange/{rest}"


def _body(response: object) -> bytes:
    return b"".join(response.streaming_content)  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_every_exchange_url_keeps_outsiders_partners_and_visitors_out(
    tenant: LocalAuthority,
    coordinator_client: Client,
    partner_client: Client,
    outsider_client: Client,
    anonymous_client: Client,
) -> None:
    checked = check_tenant_urls(
        namespace="directory_exchange",
        tenant=tenant.slug,
        url_kwargs={"fmt": "json", "subset": "public"},
        coordinator=coordinator_client,
        partner=partner_client,
        outsider=outsider_client,
        anonymous=anonymous_client,
    )
    assert {url.name for url in checked} == {
        "directory_exchange:index",
        "directory_exchange:export",
        "directory_exchange:import",
    }


@pytest.mark.django_db
def test_the_page_offers_the_exports_and_the_upload(
    tenant: LocalAuthority, coordinator_client: Client
) -> None:
    response = coordinator_client.get(_url(tenant))
    assert response.status_code == 200
    text = response.content.decode()
    for link in ("export/json/public/", "export/json/all/", "export/tabular/public/"):
        assert _url(tenant, link) in text
    assert 'enctype="multipart/form-data"' in text


@pytest.mark.django_db
def test_it_exports_json_and_the_data_package(
    tenant: LocalAuthority, other_tenant: LocalAuthority, coordinator_client: Client
) -> None:
    build_directory(tenant)
    build_directory(other_tenant, prefix="Fremd-")
    response = coordinator_client.get(_url(tenant, "export/json/public/"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    page = json.loads(_body(response))
    assert [s["name"] for s in page["contents"]] == ["Stillberatung"]
    assert page["total_items"] == 1
    assert validate(page["contents"][0], "service") == []
    everything = json.loads(_body(coordinator_client.get(_url(tenant, "export/json/all/"))))
    assert {s["name"] for s in everything["contents"]} == {"Stillberatung", "Fallberatung"}
    response = coordinator_client.get(_url(tenant, "export/tabular/all/"))
    assert response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(_body(response))) as archive:
        services = archive.read("services.csv").decode()
        assert "datapackage.json" in archive.namelist()
    assert "Stillberatung" in services
    assert "Fremd-" not in services  # another tenant's offers never leave it
    assert coordinator_client.get(_url(tenant, "export/xml/all/")).status_code == 404
    assert coordinator_client.get(_url(tenant, "export/json/some/")).status_code == 404


@pytest.mark.django_db
def test_it_imports_an_upload_and_shows_the_report(
    tenant: LocalAuthority, other_tenant: LocalAuthority, coordinator_client: Client
) -> None:
    good = example("service_full.json")
    bad = {**example("service_full.json"), "id": "0b7e0b0e-0000-4000-8000-00000000000a"}
    bad["status"] = "geöffnet"
    upload = SimpleUploadedFile(
        "offers.json", json.dumps([good, bad]).encode(), content_type="application/json"
    )
    response = coordinator_client.post(_url(tenant, "import/"), {"file": upload})
    assert response.status_code == 200
    text = response.content.decode()
    assert "1 created, 0 updated, 0 unchanged, 1 rejected." in text
    assert "geöffnet" in text
    assert "not on earth" in text  # the example's position 100, 101 is dropped with a note
    with scope(local_authority=tenant):
        assert list(Service.objects.values_list("name", flat=True)) == ["Community Counselling"]
    with scope(local_authority=other_tenant):
        assert not Service.objects.exists()


@pytest.mark.django_db
def test_it_imports_a_zipped_data_package(
    tenant: LocalAuthority, coordinator_client: Client
) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for file in CSV_EXAMPLE.iterdir():
            archive.write(file, f"hsds/{file.name}")
    upload = SimpleUploadedFile("package.zip", buffer.getvalue(), content_type="application/zip")
    response = coordinator_client.post(_url(tenant, "import/"), {"file": upload})
    assert response.status_code == 200
    text = response.content.decode()
    assert "4 created" in text
    assert "meta_table_descriptions.csv" in text


@pytest.mark.django_db
def test_a_bad_upload_gets_a_clear_message_and_writes_nothing(
    tenant: LocalAuthority, coordinator_client: Client
) -> None:
    counts = object_counts()
    for name, content, message in (
        ("offers.json", b"{not json", "not valid JSON"),
        ("offers.json", b"   ", "The file is empty."),
        ("package.zip", b"PK\x03\x04broken", "not a zip archive"),
    ):
        upload = SimpleUploadedFile(name, content)
        response = coordinator_client.post(_url(tenant, "import/"), {"file": upload})
        assert response.status_code == 400
        assert message in response.content.decode()
    response = coordinator_client.post(_url(tenant, "import/"), {})
    assert response.status_code == 400
    assert object_counts() == counts


@pytest.mark.django_db
def test_nobody_else_can_import(
    tenant: LocalAuthority,
    partner_client: Client,
    outsider_client: Client,
    anonymous_client: Client,
) -> None:
    counts = object_counts()
    for client, status in ((partner_client, 403), (outsider_client, 404), (anonymous_client, 302)):
        upload = SimpleUploadedFile(
            "offers.json", json.dumps(example("service_full.json")).encode()
        )
        response = client.post(_url(tenant, "import/"), {"file": upload})
        assert response.status_code == status
    assert object_counts() == counts
