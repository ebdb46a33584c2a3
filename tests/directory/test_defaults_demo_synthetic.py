"""The directory's default topics, the Altmark demo's offers and the generator's offers."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any, cast

import pytest
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from knotenpunkt.core.demo import ALTMARK_SLUG, MUSTERSTADT_SLUG, load_demo
from knotenpunkt.core.hooks import install_tenant_defaults
from knotenpunkt.core.models import Area, LifePhase, LocalAuthority
from knotenpunkt.core.synthetic import GenerationContext, generate, registered_steps
from knotenpunkt.directory.demo_data import offers_by_key, parse_schedule
from knotenpunkt.directory.freshness import freshness_of
from knotenpunkt.directory.models import (
    Address,
    DirectorySettings,
    ErrorReport,
    Location,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceRevision,
    ServiceTranslation,
    Taxonomy,
    TaxonomyTerm,
    TaxonomyTermTranslation,
)
from knotenpunkt.directory.synthetic import SERVICES_PER_TENANT, create_directories
from knotenpunkt.directory.tenant_defaults import TOPICS_NAME, TOPICS_URI, default_topics
from knotenpunkt.partners.demo_data import PARTNER_EMAIL
from knotenpunkt.partners.models import Organisation
from tests.directory.factories import ServiceFactory

pytestmark = pytest.mark.django_db


def _overlaps(phase: LifePhase, service: Service) -> bool:
    """Whether a life phase (upper bound exclusive) meets the offer's ages (both inclusive)."""
    low = -9 if service.min_age_months is None else service.min_age_months
    high = 10_000 if service.max_age_months is None else service.max_age_months
    return phase.min_months <= high and phase.max_months > low


# --- Default topics ---------------------------------------------------------------------------


def test_it_installs_the_topic_taxonomy_once_through_the_tenant_hook(
    tenant: LocalAuthority,
) -> None:
    install_tenant_defaults(tenant)
    install_tenant_defaults(tenant)
    specs = default_topics()
    with scope(local_authority=tenant):
        taxonomy = Taxonomy.objects.get()
        assert taxonomy.is_topics
        assert taxonomy.name == TOPICS_NAME == "Themen der Frühen Hilfen und Präventionskette"
        assert taxonomy.uri == TOPICS_URI
        terms = list(TaxonomyTerm.objects.select_related("parent").prefetch_related("life_phases"))
        assert len(terms) == len(specs) >= 40
        by_code = {term.code: term for term in terms}
        for spec in specs:
            term = by_code[spec.code]
            assert term.taxonomy == taxonomy
            assert term.description and term.language == "de"
            assert term.term_uri == f"{TOPICS_URI}#{spec.code}"
            assert (term.parent.code if term.parent else "") == spec.parent_code
            assert sorted(p.code for p in term.life_phases.all()) == sorted(spec.life_phases)
        roots = [term for term in terms if term.parent is None]
        assert 6 <= len(roots) <= 10
        assert by_code["stillfoerderung"].parent == by_code["gesundheit"]
        assert by_code["stillfoerderung"].name == "Stillförderung"
        translations = TaxonomyTermTranslation.objects.filter(language="en")
        assert translations.count() == len(specs)
        assert translations.get(term=by_code["stillfoerderung"]).name == "Breastfeeding support"
        assert DirectorySettings.objects.get().verify_interval_months == 6


def test_it_adds_back_a_deleted_topic_and_keeps_a_renamed_one(tenant: LocalAuthority) -> None:
    install_tenant_defaults(tenant)
    with scope(local_authority=tenant):
        TaxonomyTerm.objects.filter(code="medienpraevention").delete()
        TaxonomyTerm.objects.filter(code="kita").update(name="Kindertagesbetreuung")
    install_tenant_defaults(tenant)
    with scope(local_authority=tenant):
        again = TaxonomyTerm.objects.get(code="medienpraevention")
        assert again.parent is not None and again.parent.code == "erziehung-bildung"
        assert again.translations.get().language == "en"
        assert again.life_phases.exists()
        assert TaxonomyTerm.objects.get(code="kita").name == "Kindertagesbetreuung"
        assert TaxonomyTerm.objects.count() == len(default_topics())


def test_the_default_topics_file_is_a_tree_with_known_life_phases() -> None:
    specs = default_topics()
    codes = [spec.code for spec in specs]
    assert len(set(codes)) == len(codes)
    seen: set[str] = set()
    known = set(LifePhase.objects.values_list("code", flat=True))
    for spec in specs:
        assert not spec.parent_code or spec.parent_code in seen  # parents come first
        assert set(spec.life_phases) <= known
        assert spec.name_en and spec.description_en and spec.description
        seen.add(spec.code)


# --- The demo ---------------------------------------------------------------------------------


@pytest.fixture
def demo(settings: Any, monkeypatch: pytest.MonkeyPatch) -> LocalAuthority:
    """The demo with the partner register's part and ours only, so that it builds quickly.

    The passwords of the demo users are not the point here: a fast hasher saves seconds.
    """
    from knotenpunkt.core import demo as core_demo
    from knotenpunkt.directory import demo_data
    from knotenpunkt.partners import demo_data as partners_demo

    def build(tenant: LocalAuthority) -> None:
        with scope(local_authority=tenant):
            partners_demo.build_demo(tenant)
            demo_data.build_demo(tenant)

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    monkeypatch.setattr(core_demo, "build_demo_data", build)
    load_demo()
    return LocalAuthority.objects.get(slug=ALTMARK_SLUG)


def test_the_demo_has_about_150_offers_over_places_life_phases_and_topics(
    demo: LocalAuthority,
) -> None:
    with scope(local_authority=demo):
        services = list(
            Service.objects.select_related("organisation").prefetch_related(
                "life_phases", "topics", "service_at_locations__location__area", "languages"
            )
        )
        assert 140 <= len(services) <= 170
        assert {s.organisation.local_authority_id for s in services} == {demo.pk}
        covered = {phase.code for s in services for phase in s.life_phases.all()}
        assert covered == set(LifePhase.objects.values_list("code", flat=True))
        for service in services:
            assert service.life_phases.all(), service.name
            assert all(_overlaps(phase, service) for phase in service.life_phases.all()), service
            assert service.topics.all(), service.name
            assert service.service_at_locations.all(), service.name
            assert "de" in {language.code for language in service.languages.all()}
        topics = {term.code for s in services for term in s.topics.all()}
        assert len(topics) >= 35
        places = Counter(
            link.location.area.name
            for s in services
            for link in s.service_at_locations.all()
            if link.location.area is not None
        )
        towns = places["Salzwedel"] + places["Gardelegen"] + places["Klötze"]
        assert towns > 0.6 * sum(places.values())
        villages = {"Dähre", "Jübar", "Kuhfelde", "Rohrberg", "Wallstawe", "Pretzier", "Mieste"}
        assert villages <= set(places)
        assert Counter(s.visibility for s in services)["professionals"] >= 2
        assert {"free", "reduced", "fee"} <= {s.cost_type for s in services}
        # Every physical location has a German address in the county.
        for location in Location.objects.prefetch_related("addresses"):
            if location.location_type == Location.LocationType.PHYSICAL:
                address = location.addresses.get()
                assert address.postal_code[:2] in {"29", "38", "39"}
                assert address.state_province == "Sachsen-Anhalt"
                assert location.has_position
        assert ServiceArea.objects.filter(area__isnull=False).count() >= len(services)
        translated = Counter(ServiceTranslation.objects.values_list("language", flat=True))
        assert translated["en"] >= 30
        assert {"ar", "uk", "ru", "tr"} <= set(translated)
    with scope(local_authority=LocalAuthority.objects.get(slug=MUSTERSTADT_SLUG)):
        assert not Service.objects.exists()
        assert TaxonomyTerm.objects.count() == len(default_topics())


def test_the_demo_mixes_fresh_due_overdue_and_hidden_offers(demo: LocalAuthority) -> None:
    now = timezone.now()
    with scope(local_authority=demo):
        settings = DirectorySettings.objects.get()
        services = list(Service.objects.all())
        stages = Counter(freshness_of(service, settings, now) for service in services)
        never = [s for s in services if s.last_verified_at is None]
    assert set(stages) == {"fresh", "due", "overdue", "hidden"}
    assert 0.55 <= stages["fresh"] / len(services) <= 0.7
    assert 0.15 <= (stages["due"] + stages["overdue"]) / len(services) <= 0.25
    assert 0.08 <= stages["hidden"] / len(services) <= 0.18
    assert 3 <= len(never) <= 8


def test_the_demo_hides_the_shelter_address_and_offers_arabic_breastfeeding_help(
    demo: LocalAuthority,
) -> None:
    now = timezone.now()
    with scope(local_authority=demo):
        shelter = Location.objects.get(confidential=True)
        assert shelter.name == "Frauenhaus Altmark"
        offer = Service.objects.get(service_at_locations__location=shelter)
        assert offer.phones.filter(number="116 016").exists()
        # The organisation's public address is its counselling office, not the shelter.
        street = Address.objects.get(location=shelter).address_1
        assert offer.organisation.street != street

        settings = DirectorySettings.objects.get()
        arabic = [
            service
            for service in Service.objects.filter(
                topics__code="stillfoerderung",
                languages__code="ar",
                translations__language="ar",
                cost_type=Service.CostType.FREE,
                visibility=Service.Visibility.PUBLIC,
                status=Service.Status.ACTIVE,
            ).distinct()
            if (service.min_age_months or 0) <= 3 <= (service.max_age_months or 0)
            and freshness_of(service, settings, now) == "fresh"
        ]
        assert arabic, "no fresh, free breastfeeding help in Arabic for a 3-month-old"
        places = Area.objects.filter(
            pk__in=ServiceAtLocation.objects.filter(service__in=arabic).values("location__area")
        )
        assert places.filter(is_central_place=False).count() >= 3  # in the villages


def test_the_demo_has_pending_proposals_of_the_partner_and_open_error_reports(
    demo: LocalAuthority,
) -> None:
    with scope(local_authority=demo):
        pending = ServiceRevision.objects.filter(status=ServiceRevision.Status.PENDING)
        assert pending.count() == 3
        assert {r.proposed_by.email for r in pending if r.proposed_by} == {PARTNER_EMAIL}
        practice = Organisation.objects.get(name="Hebammenpraxis Storchennest (Demo)")
        assert {r.organisation_id for r in pending} == {practice.pk}
        assert pending.filter(service__isnull=True).count() == 1  # a new offer
        assert all(r.data["name"] for r in pending)
        assert ErrorReport.objects.filter(status=ErrorReport.Status.OPEN).count() == 2
        own = offers_by_key(demo)["hs-stillcafe"]
        assert own.responsible is not None and own.responsible.user is not None
        assert own.responsible.user.email == PARTNER_EMAIL


def test_schedules_are_read_one_row_per_day() -> None:
    rows = parse_schedule("MO,WE 09:00-12:00 + 1TH 14:00-16:00")
    assert [(row.byday, row.freq) for row in rows] == [
        ("MO", "WEEKLY"),
        ("WE", "WEEKLY"),
        ("1TH", "MONTHLY"),
    ]
    assert rows[2].description == "Jeden ersten Donnerstag im Monat"
    assert str(rows[0].opens_at) == "09:00:00"


# --- The synthetic generator ------------------------------------------------------------------


def _only_with(monkeypatch: pytest.MonkeyPatch, step: Callable[[GenerationContext], None]) -> None:
    """Runs core's steps, the partner register's and ``step``, so that others cannot interfere."""
    from knotenpunkt.core import synthetic

    steps = [
        item
        for item in registered_steps()
        if item.name.startswith(("core.", "partners."))
        or item.name == "directory.create_directories"
    ]
    steps = [
        type(item)(item.order, item.name, step)
        if item.name == "directory.create_directories"
        else item
        for item in steps
    ]
    monkeypatch.setattr(synthetic, "registered_steps", lambda: steps)


def _summary() -> list[tuple[Any, ...]]:
    with scopes_disabled():
        return sorted(
            Service.objects.filter(local_authority__is_synthetic=True).values_list(
                "name", "organisation__name", "min_age_months", "cost_type", "description"
            )
        )


def test_the_generator_gives_each_tenant_250_offers_deterministically(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _only_with(monkeypatch, create_directories)
    report = generate(scale="county", seed=3)
    assert report.counts["services"] == SERVICES_PER_TENANT
    now = timezone.now()
    with scopes_disabled():
        tenant = LocalAuthority.objects.get(is_synthetic=True)
        assert Taxonomy.objects.get(local_authority=tenant).is_topics
        assert TaxonomyTerm.objects.filter(local_authority=tenant).count() == len(default_topics())
        settings = DirectorySettings.objects.get(local_authority=tenant)
        services = list(
            Service.objects.filter(local_authority=tenant).prefetch_related(
                "service_at_locations__location__addresses",
                "phones",
                "schedules",
                "topics",
                "life_phases",
                "languages",
                "service_areas",
            )
        )
        assert len(services) == SERVICES_PER_TENANT
        for service in services:
            (link,) = service.service_at_locations.all()
            assert link.location.addresses.all()
            assert len(service.phones.all()) == 1
            assert 1 <= len(service.topics.all()) <= 3
            assert service.life_phases.all()
            assert all(_overlaps(phase, service) for phase in service.life_phases.all())
            assert service.languages.all()
            assert service.service_areas.all()
        assert sum(1 for s in services if s.schedules.all()) > 0.8 * len(services)
        stages = Counter(freshness_of(s, settings, now) for s in services)
        assert {"fresh", "due", "overdue", "hidden"} <= set(stages)
        assert ServiceTranslation.objects.filter(local_authority=tenant).exists()
        assert not Service.objects.exclude(
            organisation__local_authority=tenant, local_authority=tenant
        ).exists()
        # The ids the generator reserved leave the table's own numbering intact.
        later = cast(Service, ServiceFactory(organisation=services[0].organisation))
        assert later.pk > max(service.pk for service in services)
        later.delete()
    first = _summary()
    generate(scale="county", seed=3, replace=True)
    assert _summary() == first


def test_the_generator_writes_a_county_in_a_fixed_number_of_queries(
    monkeypatch: pytest.MonkeyPatch, django_assert_max_num_queries: Any
) -> None:
    def measured(ctx: GenerationContext) -> None:
        # 250 offers, their topics and about 3,500 rows hanging off them: a few queries per
        # table, not one per row.
        with django_assert_max_num_queries(30):
            create_directories(ctx)

    _only_with(monkeypatch, measured)
    report = generate(scale="county", seed=1)
    assert report.counts["services"] == SERVICES_PER_TENANT
    assert report.counts["service_rows"] > 10 * SERVICES_PER_TENANT


def test_the_directory_step_runs_after_the_partner_register() -> None:
    names = [step.name for step in registered_steps()]
    assert names.index("directory.create_directories") > names.index(
        "partners.create_organisations"
    )
