"""The demo loader: the real Altmark places, demo figures, a second tenant, users for each role."""

from __future__ import annotations

import csv
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django_scopes import scope

from knotenpunkt.core.demo import (
    ALTMARK_SLUG,
    DEMO_PASSWORD,
    MUSTERSTADT_SLUG,
    PLACES_FILE,
    load_demo,
    read_places,
)
from knotenpunkt.core.models import Area, AreaFigure, Indicator, LocalAuthority, Role, User

pytestmark = pytest.mark.django_db
SHARED_PLACES = Path(__file__).resolve().parents[3] / "shared" / "data" / "altmark_places.csv"


def test_the_fixture_carries_the_shared_places_and_their_attribution() -> None:
    fixture = read_places()
    assert len(fixture) == 16
    if SHARED_PLACES.exists():
        with SHARED_PLACES.open(encoding="utf-8") as handle:
            shared = {
                (r["name"], r["lat"], r["lon"], r["central_town"]) for r in csv.DictReader(handle)
            }
        assert {(r["name"], r["lat"], r["lon"], r["central_town"]) for r in fixture} == shared
    text = PLACES_FILE.read_text(encoding="utf-8")
    assert "GeoNames (geonames.org), CC BY 4.0" in text


def test_the_demo_builds_two_tenants_with_places_figures_and_roles() -> None:
    out = StringIO()
    call_command("demo", stdout=out)
    altmark = LocalAuthority.objects.get(slug=ALTMARK_SLUG)
    with scope(local_authority=altmark):
        places = Area.objects.exclude(parent=None)
        assert places.count() == 16
        assert set(places.filter(is_central_place=True).values_list("name", flat=True)) == {
            "Salzwedel",
            "Gardelegen",
            "Klötze",
        }
        county = Area.objects.get(parent=None)
        population = AreaFigure.objects.get(area=county, year=2024, indicator=Indicator.POPULATION)
        assert population.value == 83_000
        assert "Demo" in population.source
        kinds = set(Role.objects.values_list("kind", flat=True))
    assert kinds == {"coordinator", "partner", "steering", "volunteer"}
    assert "knotenpunkt-demo" in out.getvalue()
    assert "koordination@altmark-demo.example.org" in out.getvalue()
    assert all(u.email.endswith("example.org") for u in User.objects.all())


def test_loading_twice_keeps_one_demo_and_reset_rebuilds_it() -> None:
    load_demo()
    load_demo()
    assert LocalAuthority.objects.filter(is_demo=True).count() == 2
    load_demo(reset=True)
    assert LocalAuthority.objects.filter(is_demo=True).count() == 2
    assert User.objects.filter(email="verbund@example.org").count() == 1


def test_the_demo_tenants_never_see_each_other() -> None:
    load_demo()
    client = Client()
    _log_in(client, "koordination@musterstadt-demo.example.org")
    assert client.get(f"/t/{MUSTERSTADT_SLUG}/").status_code == 200
    assert client.get(f"/t/{ALTMARK_SLUG}/").status_code == 404
    html = client.get(f"/t/{MUSTERSTADT_SLUG}/areas/").content.decode()
    assert "Nordstadt" in html and "Salzwedel" not in html


def test_the_start_page_shows_the_county_places() -> None:
    load_demo()
    client = Client()
    _log_in(client, "koordination@altmark-demo.example.org")
    html = client.get(f"/t/{ALTMARK_SLUG}/").content.decode()
    for name in ("Salzwedel", "Gardelegen", "Klötze", "Letzlingen", "Arendsee (Altmark)"):
        assert name in html


def _log_in(client: Client, email: str) -> None:
    """Logs in through the login form with the demo password, as a person would."""
    response = client.post("/accounts/login/", {"username": email, "password": DEMO_PASSWORD})
    assert response.status_code == 302, response.content.decode()
