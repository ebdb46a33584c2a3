"""Shared set-up of the printed guide's tests (no tests in here).

``urlpatterns`` is the project's URL configuration with the editions mounted where the lead
mounts them (``/t/<tenant>/offers/editions/``) — unless config/urls.py does already.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.urls import URLResolver, include, path
from django_scopes import scope

from knotenpunkt.config import urls as project_urls
from knotenpunkt.core.models import Area, LifePhase, LocalAuthority
from knotenpunkt.directory.models import Service, ServiceArea
from tests.directory.factories import (
    AddressFactory,
    LocationFactory,
    PhoneFactory,
    ServiceAtLocationFactory,
    ServiceFactory,
    ServiceTranslationFactory,
    TopicFactory,
)
from tests.factories import AreaFactory

_mounted = any(
    isinstance(entry, URLResolver) and entry.namespace == "guide_editions"
    for entry in project_urls.urlpatterns
)
urlpatterns = list(project_urls.urlpatterns)
if not _mounted:
    urlpatterns.insert(
        0,
        path(
            "t/<slug:tenant>/offers/editions/",
            include("knotenpunkt.directory.booklet_urls"),
        ),
    )

SHELTER_STREET = "Geheimweg 7"


@pytest.fixture
def booklet_settings(settings: Any, tmp_path: Path) -> Any:
    """Editions generated inline, files in a temporary media folder, our URLs mounted."""
    settings.ROOT_URLCONF = __name__
    settings.GUIDE_EDITIONS_RUN_INLINE = True
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = "https://guide.example.org"
    return settings


@dataclass
class Directory:
    county: Area
    town: Area
    village: Area
    elsewhere: Area
    in_village: Service
    county_wide: Service
    elsewhere_only: Service
    shelter: Service
    hidden: Service
    translated: Service


def build_directory(tenant: LocalAuthority) -> Directory:
    """A county with a town, a village in the town and another town; offers of every kind."""
    with scope(local_authority=tenant):
        county = AreaFactory(local_authority=tenant, name="Landkreis", kind=Area.Kind.COUNTY)
        town = AreaFactory(local_authority=tenant, name="Salzwedel", parent=county)
        village = AreaFactory(local_authority=tenant, name="Pretzier", parent=town)
        elsewhere = AreaFactory(local_authority=tenant, name="Gardelegen", parent=county)
        topic = TopicFactory(
            local_authority=tenant, taxonomy__local_authority=tenant, name="Hebammenhilfe"
        )
        pregnancy = LifePhase.objects.get(code="pregnancy")
        baby = LifePhase.objects.get(code="age_0_1")

        def offer(name: str, place: Area | None, **fields: Any) -> Service:
            service = ServiceFactory(organisation__local_authority=tenant, name=name, **fields)
            service.topics.add(topic)
            service.life_phases.add(pregnancy, baby)
            if place is not None:
                link = ServiceAtLocationFactory(
                    service=service, location__area=place, location__name=f"Haus {name}"
                )
                AddressFactory(
                    location=link.location, address_1=f"Marktstraße {len(name)}", city=place.name
                )
            return service

        in_village = offer("Hebammensprechstunde Pretzier", village)
        PhoneFactory(service=in_village, number="03901 11111")
        county_wide = offer("Kreisweite Familienhotline", None)
        ServiceArea.objects.create(local_authority=tenant, service=county_wide, area=county)
        elsewhere_only = offer("Stillcafé Gardelegen", elsewhere)
        shelter = offer("Frauenhaus Notruf", None)
        shelter_location = LocationFactory(
            organisation=shelter.organisation, area=town, confidential=True, name="Frauenhaus"
        )
        AddressFactory(location=shelter_location, address_1=SHELTER_STREET, city="Salzwedel")
        ServiceAtLocationFactory(service=shelter, location=shelter_location)
        PhoneFactory(
            service=None, local_authority=tenant, location=shelter_location, number="03901 99999"
        )
        ServiceArea.objects.create(local_authority=tenant, service=shelter, area=town)
        hidden = offer("Nur für Fachleute", town, visibility=Service.Visibility.PROFESSIONALS)
        translated = offer("Elternberatung Salzwedel", town)
        ServiceTranslationFactory(
            service=translated, language="en", name="Parent advice Salzwedel", description="Help."
        )
    return Directory(
        county,
        town,
        village,
        elsewhere,
        in_village,
        county_wide,
        elsewhere_only,
        shelter,
        hidden,
        translated,
    )


def pdf_pages(pdf: bytes, tmp_path: Path) -> list[str] | None:
    """The text of each page (``pdftotext``), or None where poppler is not installed."""
    if shutil.which("pdftotext") is None:
        return None
    source = tmp_path / "booklet.pdf"
    source.write_bytes(pdf)
    text = subprocess.run(  # noqa: S603
        ["pdftotext", "-layout", str(source), "-"],  # noqa: S607
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")


@pytest.fixture
def directory(tenant: LocalAuthority) -> Iterator[Directory]:
    yield build_directory(tenant)
