"""Reads for the directory of offers. Each runs a fixed number of queries, whatever the size.

Freshness is computed in the database with the cutoffs of :mod:`knotenpunkt.directory.freshness`
(one ``CASE`` over ``last_verified_at`` and ``created_at``), so that lists, the dashboard, the
public guide and the reminders agree with :func:`~knotenpunkt.directory.freshness.freshness_of`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    F,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from knotenpunkt.core.models import LIFE_PHASE_LABELS, Area, LifePhase, LocalAuthority, User
from knotenpunkt.core.text_search import field_contains, words_match
from knotenpunkt.directory import freshness as fresh
from knotenpunkt.directory import revisions
from knotenpunkt.directory.models import (
    GUIDE_LANGUAGES,
    Address,
    CostOption,
    DirectorySettings,
    ErrorReport,
    Language,
    Location,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceRevision,
    ServiceTranslation,
    TaxonomyTerm,
)
from knotenpunkt.partners.models import Organisation, Person
from knotenpunkt.partners.selectors import area_and_below, current_affiliations

# --- Settings and freshness -------------------------------------------------------------------


def directory_settings(tenant: LocalAuthority) -> DirectorySettings:
    """The tenant's directory settings, created with the defaults on first use."""
    found, _created = DirectorySettings.objects.get_or_create(local_authority=tenant)
    return found


def current_cutoffs(
    settings: DirectorySettings, now: datetime.datetime | None = None
) -> fresh.Cutoffs:
    """The freshness cutoffs of ``settings`` at ``now`` (default: the current time)."""
    return fresh.cutoffs(
        now=now or timezone.now(),
        verify_interval_months=settings.verify_interval_months,
        hide_after_months=settings.hide_after_months,
    )


def reached(cutoff: datetime.datetime) -> Q:
    """Offers whose anchor (last verified, else created) lies at or before ``cutoff``."""
    return Q(last_verified_at__lte=cutoff) | Q(
        last_verified_at__isnull=True, created_at__lte=cutoff
    )


ENDED = Q(status=Service.Status.DEFUNCT)


def freshness_q(stage: str, limits: fresh.Cutoffs) -> Q:
    """The offers at ``stage`` on the freshness ladder, as a filter."""
    if stage == fresh.HIDDEN:
        return ENDED | reached(limits.hidden)
    if stage == fresh.OVERDUE:
        return ~ENDED & reached(limits.overdue) & ~reached(limits.hidden)
    if stage == fresh.DUE:
        return ~ENDED & reached(limits.due) & ~reached(limits.overdue)
    return ~ENDED & ~reached(limits.due)


def freshness_case(limits: fresh.Cutoffs) -> Case:
    """A ``CASE`` expression giving each offer's stage ("fresh" … "hidden")."""
    return Case(
        When(ENDED, then=Value(fresh.HIDDEN)),
        When(reached(limits.hidden), then=Value(fresh.HIDDEN)),
        When(reached(limits.overdue), then=Value(fresh.OVERDUE)),
        When(reached(limits.due), then=Value(fresh.DUE)),
        default=Value(fresh.FRESH),
        output_field=CharField(),
    )


def with_freshness(
    services: QuerySet[Service], settings: DirectorySettings, now: datetime.datetime | None = None
) -> QuerySet[Service]:
    """``services`` with a ``freshness`` annotation."""
    return services.annotate(freshness=freshness_case(current_cutoffs(settings, now)))


def public_services(
    tenant: LocalAuthority, now: datetime.datetime | None = None
) -> QuerySet[Service]:
    """The offers the public may see: active, public, and not hidden for staleness.

    A plain filter on ``last_verified_at`` and ``created_at`` (indexed), no Python loop; an offer
    never verified stays visible while it is younger than the tenant's ``hide_after_months``.
    """
    limits = current_cutoffs(directory_settings(tenant), now)
    return Service.objects.filter(
        local_authority=tenant,
        status=Service.Status.ACTIVE,
        visibility=Service.Visibility.PUBLIC,
    ).exclude(reached(limits.hidden))


# --- Lists ------------------------------------------------------------------------------------


@dataclass
class ServiceFilter:
    """What the offer list is narrowed by; all optional."""

    search: str = ""
    organisation: Organisation | None = None
    area: Area | None = None
    topic: TaxonomyTerm | None = None
    life_phase: LifePhase | None = None
    freshness: str = ""
    status: str = ""
    visibility: str = ""


def _places_prefetch() -> Prefetch[Any]:
    return Prefetch(
        "service_at_locations",
        queryset=ServiceAtLocation.objects.select_related("location__area").order_by("id"),
    )


def service_list(
    filters: ServiceFilter,
    *,
    settings: DirectorySettings,
    now: datetime.datetime | None = None,
) -> QuerySet[Service]:
    """The tenant's offers, filtered, with freshness, provider and places (three queries a page).

    The area filter finds offers delivered at a location in the area or an area inside it; the
    freshness filter leaves ended offers out, as the dashboard does.
    Filters use subqueries, so that no offer appears twice.
    """
    limits = current_cutoffs(settings, now)
    services = (
        Service.objects.select_related("organisation")
        .prefetch_related(_places_prefetch())
        .annotate(freshness=freshness_case(limits))
    )
    if filters.search:
        services = services.filter(
            words_match(
                filters.search,
                ["name", "alternate_name", "description", "organisation__name"],
                extra=[
                    lambda word: Q(
                        pk__in=ServiceAtLocation.objects.filter(
                            field_contains("location__name", word)
                            | Q(
                                location__in=Address.objects.filter(
                                    field_contains("city", word)
                                ).values("location")
                            )
                        ).values("service")
                    )
                ],
            )
        )
    if filters.organisation is not None:
        services = services.filter(organisation=filters.organisation)
    if filters.area is not None:
        services = services.filter(
            pk__in=ServiceAtLocation.objects.filter(
                location__area__in=area_and_below(filters.area)
            ).values("service")
        )
    if filters.topic is not None:
        services = services.filter(
            pk__in=Service.topics.through.objects.filter(taxonomyterm=filters.topic).values(
                "service"
            )
        )
    if filters.life_phase is not None:
        services = services.filter(
            pk__in=Service.life_phases.through.objects.filter(lifephase=filters.life_phase).values(
                "service"
            )
        )
    if filters.freshness in fresh.LADDER:
        # Ended offers have no freshness to speak of; the dashboard leaves them out too.
        services = services.filter(freshness_q(filters.freshness, limits)).exclude(ENDED)
    if filters.status:
        services = services.filter(status=filters.status)
    if filters.visibility:
        services = services.filter(visibility=filters.visibility)
    return services.order_by("name", "pk")


def services_of_partner(
    user: User | Any, tenant: LocalAuthority, now: datetime.datetime | None = None
) -> QuerySet[Service]:
    """The offers of the organisations where ``user``'s person currently works (partners' view).

    A partner user is linked through ``Person.user``; their organisations are those of the
    person's current affiliations.
    """
    if not getattr(user, "is_authenticated", False):
        return Service.objects.none()
    from knotenpunkt.partners.models import Affiliation

    organisations = Affiliation.objects.filter(
        current_affiliations(), person__user=user, person__erased_at__isnull=True
    ).values("organisation")
    return (
        with_freshness(
            Service.objects.filter(organisation__in=organisations), directory_settings(tenant), now
        )
        .select_related("organisation")
        .prefetch_related(_places_prefetch())
        .order_by("organisation__name", "name")
    )


def organisation_services(
    organisation: Organisation, settings: DirectorySettings, now: datetime.datetime | None = None
) -> QuerySet[Service]:
    """One organisation's offers that are not ended, with freshness (the verify prompt)."""
    return with_freshness(
        Service.objects.filter(organisation=organisation).exclude(ENDED), settings, now
    ).order_by("name")


def review_queue(tenant: LocalAuthority) -> QuerySet[ServiceRevision]:
    """Proposals waiting for review, oldest first; ``stale`` marks those made against an older
    version of the offer than the current one."""
    return (
        ServiceRevision.objects.filter(
            local_authority=tenant, status=ServiceRevision.Status.PENDING
        )
        .select_related("service", "organisation", "proposed_by")
        .annotate(
            stale=Case(
                When(
                    Q(service__isnull=False) & ~Q(base_version=F("service__version")),
                    then=Value(True),
                ),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .order_by("proposed_at", "pk")
    )


def revisions_of_user(user: User | Any) -> QuerySet[ServiceRevision]:
    """The proposals ``user`` made, newest first, with their offer and provider."""
    return (
        ServiceRevision.objects.filter(proposed_by=user)
        .select_related("service", "organisation", "reviewed_by")
        .order_by("-proposed_at", "-pk")
    )


def error_reports(status: str = ErrorReport.Status.OPEN) -> QuerySet[ErrorReport]:
    """Error reports from the public with their offer, newest first ("" for all)."""
    reports = ErrorReport.objects.select_related("service__organisation", "handled_by")
    if status:
        reports = reports.filter(status=status)
    return reports.order_by("-created_at", "-pk")


# --- The staleness dashboard ------------------------------------------------------------------


@dataclass
class StageCounts:
    fresh: int = 0
    due: int = 0
    overdue: int = 0
    hidden: int = 0

    @property
    def total(self) -> int:
        return self.fresh + self.due + self.overdue + self.hidden

    def add(self, stage: str, count: int) -> None:
        setattr(self, stage, getattr(self, stage) + count)


@dataclass
class DashboardRow:
    uuid: Any
    name: str
    counts: StageCounts = field(default_factory=StageCounts)


@dataclass
class StalenessDashboard:
    settings: DirectorySettings
    overall: StageCounts
    organisations: list[DashboardRow]
    areas: list[DashboardRow]
    #: Offers without any location (they appear in no area row).
    without_place: StageCounts


def _rows(values: Iterable[Mapping[str, Any]], uuid_key: str, name_key: str) -> list[DashboardRow]:
    rows: dict[Any, DashboardRow] = {}
    for item in values:
        row = rows.setdefault(
            item[uuid_key], DashboardRow(uuid=item[uuid_key], name=item[name_key] or "")
        )
        row.counts.add(item["stage"], item["n"])
    return sorted(rows.values(), key=lambda row: (-row.counts.total, row.name.lower()))


def staleness_dashboard(
    tenant: LocalAuthority, now: datetime.datetime | None = None
) -> StalenessDashboard:
    """How many offers are fresh, due, overdue and hidden: overall, per provider and per place.

    Ended offers are left out. An offer counts in the area of each of its locations (once per
    area). Four queries (five when the settings are created), whatever the number of offers.
    """
    settings = directory_settings(tenant)
    limits = current_cutoffs(settings, now)
    services = (
        Service.objects.filter(local_authority=tenant)
        .exclude(ENDED)
        .annotate(stage=freshness_case(limits))
    )
    overall = StageCounts()
    for item in services.values("stage").annotate(n=Count("pk")).order_by():
        overall.add(item["stage"], item["n"])
    organisations = _rows(
        services.values("organisation__uuid", "organisation__name", "stage")
        .annotate(n=Count("pk"))
        .order_by(),
        "organisation__uuid",
        "organisation__name",
    )
    by_area = list(
        services.values(
            "service_at_locations__location__area__uuid",
            "service_at_locations__location__area__name",
            "stage",
        )
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    # Offers at locations without a place and offers without any location share the None row;
    # only the latter are "without place", so count them apart from the area rows.
    areas = _rows(
        [item for item in by_area if item["service_at_locations__location__area__uuid"]],
        "service_at_locations__location__area__uuid",
        "service_at_locations__location__area__name",
    )
    without_place = StageCounts()
    for item in by_area:
        if item["service_at_locations__location__area__uuid"] is None:
            without_place.add(item["stage"], item["n"])
    return StalenessDashboard(
        settings=settings,
        overall=overall,
        organisations=organisations,
        areas=areas,
        without_place=without_place,
    )


# --- Details ----------------------------------------------------------------------------------


def detail_prefetch() -> list[Any]:
    """Everything an offer's page shows, for ``prefetch_related``."""
    return [
        *revisions.snapshot_prefetch(),
        Prefetch("cost_options", queryset=CostOption.objects.order_by("id")),
        Prefetch(
            "service_areas", queryset=ServiceArea.objects.select_related("area").order_by("id")
        ),
        "required_documents",
        "fundings",
    ]


def age_text(low: int | None, high: int | None) -> str:
    """An age range in months (from -9, pregnancy) as people say it: "1 to 3 years"."""

    def one(months: int) -> str:
        if months < 0:
            return _("pregnancy")
        if months == 0:
            return _("birth")
        if months >= 24 and months % 12 == 0:
            return _("%(years)d years") % {"years": months // 12}
        return _("%(months)d months") % {"months": months}

    if low is None and high is None:
        return ""
    if high is None:
        return _("from %(age)s") % {"age": one(low or 0)}
    if low is None:
        return _("up to %(age)s") % {"age": one(high)}
    return _("%(low)s to %(high)s") % {"low": one(low), "high": one(high)}


def schedule_text(schedule: Schedule) -> str:
    """An opening-hours entry as one line ("Tuesday 09:00–12:00 by appointment")."""
    days = dict(revisions.WEEKDAYS)
    weekdays = ", ".join(
        str(days.get(code.strip()[-2:], code)) for code in schedule.byday.split(",") if code
    )
    hours = "–".join(
        moment.strftime("%H:%M") for moment in (schedule.opens_at, schedule.closes_at) if moment
    )
    parts = [weekdays, hours, schedule.description]
    if schedule.freq and schedule.freq != "WEEKLY" and not schedule.description:
        parts.append(schedule.freq.lower())
    return " ".join(part for part in parts if part)


@dataclass
class ServiceDetail:
    service: Service
    freshness: str
    snapshot: dict[str, Any]
    locations: list[Location]
    schedules: list[Schedule]
    schedule_lines: list[str]
    age: str
    phones: list[Phone]
    languages: list[Language]
    translations: list[ServiceTranslation]
    history: list[tuple[ServiceRevision, list[FieldChange]]]
    pending: list[ServiceRevision]
    reports: list[ErrorReport]


def service_detail(
    service: Service, *, settings: DirectorySettings, now: datetime.datetime | None = None
) -> ServiceDetail:
    """Everything the offer's page shows: all HSDS parts, its history of approved versions with
    what changed in each, pending proposals and open error reports (a fixed number of queries)."""
    service = (
        Service.objects.select_related("organisation", "program", "responsible", "verified_by")
        .prefetch_related(*detail_prefetch())
        .get(pk=service.pk)
    )
    approved = list(
        ServiceRevision.objects.filter(service=service, status=ServiceRevision.Status.APPROVED)
        .select_related("proposed_by", "reviewed_by")
        .order_by("reviewed_at", "pk")
    )
    pending = list(
        ServiceRevision.objects.filter(service=service, status=ServiceRevision.Status.PENDING)
        .select_related("proposed_by")
        .order_by("proposed_at")
    )
    reports = list(ErrorReport.objects.filter(service=service).select_related("handled_by")[:50])
    schedules = [row for row in service.schedules.all() if row.location_id is None]
    return ServiceDetail(
        service=service,
        freshness=fresh.freshness_of(service, settings, now or timezone.now()),
        snapshot=revisions.editable_snapshot(service),
        locations=[link.location for link in service.service_at_locations.all()],
        schedules=schedules,
        schedule_lines=[schedule_text(row) for row in schedules],
        age=age_text(service.min_age_months, service.max_age_months),
        phones=[phone for phone in service.phones.all() if phone.location_id is None],
        languages=list(service.languages.all()),
        translations=list(service.translations.all()),
        history=history_with_changes(approved)[::-1],
        pending=pending,
        reports=reports,
    )


# --- Field-by-field differences ---------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    """One changed field of an offer: its snapshot key, label, and old and new value as text.

    ``key`` is the top-level snapshot key it belongs to (a coordinator approves per key).
    Multi-line values (locations, opening hours) separate their lines with newlines.
    """

    key: str
    label: str
    old: str
    new: str


class _Names:
    """Readable names for the references in snapshots, looked up in three queries at most."""

    def __init__(self, snapshots: Sequence[Mapping[str, Any]]) -> None:
        topics: set[str] = set()
        areas: set[str] = set()
        people: set[str] = set()
        for data in snapshots:
            topics.update(data.get("topics") or [])
            areas.update(
                entry["area"] for entry in data.get("locations") or [] if entry.get("area")
            )
            if data.get("responsible"):
                people.add(data["responsible"])
        self.topics = (
            {
                str(u): n
                for u, n in TaxonomyTerm.objects.filter(uuid__in=topics).values_list("uuid", "name")
            }
            if topics
            else {}
        )
        self.areas = (
            {str(u): n for u, n in Area.objects.filter(uuid__in=areas).values_list("uuid", "name")}
            if areas
            else {}
        )
        self.people = (
            {str(p.uuid): p.full_name for p in Person.objects.filter(uuid__in=people)}
            if people
            else {}
        )


def _verbose_name(model: type[Any], name: str) -> str:
    return str(capfirst(getattr(model._meta.get_field(name), "verbose_name", name)))


def _label(name: str) -> str:
    return _verbose_name(Service, name)


CHOICE_FIELDS: dict[str, Any] = {
    "status": Service.Status,
    "cost_type": Service.CostType,
    "visibility": Service.Visibility,
}


def _scalar_text(name: str, value: Any) -> str:
    if value is None or value == "":
        return ""
    if name in CHOICE_FIELDS:
        try:
            return str(CHOICE_FIELDS[name](value).label)
        except ValueError:
            return str(value)
    if name in revisions.INT_FIELDS:
        return _("%(months)s months") % {"months": value}
    return str(value)


def location_line(entry: Mapping[str, Any], names: _Names) -> str:
    """A location of a snapshot as one readable line."""
    town = " ".join(part for part in (entry.get("postal_code"), entry.get("city")) if part)
    address = ", ".join(
        part for part in (entry.get("address_1"), entry.get("address_2"), town) if part
    )
    parts = [entry.get("name") or _("(no name)")]
    if address:
        parts.append(address)
    if entry.get("area"):
        parts.append(_("place: %(area)s") % {"area": names.areas.get(entry["area"], "?")})
    if entry.get("confidential"):
        parts.append(_("confidential address"))
    if entry.get("barrier_free"):
        parts.append(_("step-free access"))
    if entry.get("phones"):
        parts.append(_("phone: %(numbers)s") % {"numbers": ", ".join(entry["phones"])})
    return " · ".join(str(part) for part in parts)


def schedule_line(entry: Mapping[str, Any]) -> str:
    """An opening-hours row of a snapshot as one readable line."""
    day = dict(revisions.WEEKDAYS).get(entry.get("weekday") or "", "")
    hours = "–".join(part for part in (entry.get("opens"), entry.get("closes")) if part)
    parts = [str(part) for part in (day, hours, entry.get("description")) if part]
    return " ".join(parts)


def changes_between(
    before: Mapping[str, Any], after: Mapping[str, Any], names: _Names | None = None
) -> list[FieldChange]:
    """The field-by-field differences of two snapshots, in the order the form shows fields."""
    old, new = revisions.normalise(before), revisions.normalise(after)
    names = names or _Names([old, new])
    changes: list[FieldChange] = []
    for name in revisions.SCALAR_FIELDS:
        if old[name] != new[name]:
            changes.append(
                FieldChange(
                    name, _label(name), _scalar_text(name, old[name]), _scalar_text(name, new[name])
                )
            )
    lists = {
        "topics": (_("Topics"), lambda code: names.topics.get(code, "?")),
        "life_phases": (_("Life phases"), lambda code: str(LIFE_PHASE_LABELS.get(code, code))),
        "languages": (
            _("Languages offered"),
            lambda code: str(revisions.LANGUAGE_NAMES.get(code, code)),
        ),
    }
    for key, (label, name_of) in lists.items():
        if old[key] != new[key]:
            changes.append(
                FieldChange(
                    key,
                    label,
                    ", ".join(sorted(name_of(item) for item in old[key])),
                    ", ".join(sorted(name_of(item) for item in new[key])),
                )
            )
    languages = dict(GUIDE_LANGUAGES)
    for language in sorted(set(old["translations"]) | set(new["translations"])):
        was = old["translations"].get(language, {})
        will = new["translations"].get(language, {})
        for name in revisions.TEXT_FIELDS_TRANSLATED:
            if was.get(name, "") != will.get(name, ""):
                field_label = _verbose_name(ServiceTranslation, name)
                label = f"{field_label} ({languages.get(language, language)})"
                changes.append(
                    FieldChange("translations", label, was.get(name, ""), will.get(name, ""))
                )
    if old["locations"] != new["locations"]:
        old_by_uuid = {entry["uuid"]: entry for entry in old["locations"] if entry["uuid"]}
        matched: set[str] = set()
        for entry in new["locations"]:
            previous = old_by_uuid.get(entry["uuid"] or "")
            if previous is not None:
                matched.add(previous["uuid"])
                if previous == entry:
                    continue
            changes.append(
                FieldChange(
                    "locations",
                    _("Location"),
                    location_line(previous, names) if previous else "",
                    location_line(entry, names),
                )
            )
        for entry in old["locations"]:
            if entry["uuid"] not in matched:
                changes.append(
                    FieldChange("locations", _("Location"), location_line(entry, names), "")
                )
    if old["schedules"] != new["schedules"]:
        changes.append(
            FieldChange(
                "schedules",
                _("Opening hours"),
                "\n".join(schedule_line(entry) for entry in old["schedules"]),
                "\n".join(schedule_line(entry) for entry in new["schedules"]),
            )
        )
    contact_labels = {
        "phone": _("Phone"),
        "contact_name": _("Contact person or office"),
        "contact_email": _("Contact e-mail"),
    }
    for key, label in contact_labels.items():
        if old[key] != new[key]:
            changes.append(FieldChange(key, label, old[key], new[key]))
    if old["responsible"] != new["responsible"]:
        changes.append(
            FieldChange(
                "responsible",
                _label("responsible"),
                names.people.get(old["responsible"] or "", ""),
                names.people.get(new["responsible"] or "", ""),
            )
        )
    return changes


def revision_diff(revision: ServiceRevision) -> list[FieldChange]:
    """What approving ``revision`` changes (or changed), field by field.

    A pending, rejected or withdrawn proposal is compared with the offer's current data — also
    when it was made against an older version, so that the reviewer sees what approving would
    really do. An approved version is compared with the approved version before it (the
    history); a proposal of a new offer with an empty offer.
    """
    if revision.status == ServiceRevision.Status.APPROVED and revision.service_id is not None:
        previous = (
            ServiceRevision.objects.filter(
                service_id=revision.service_id,
                status=ServiceRevision.Status.APPROVED,
                reviewed_at__lt=revision.reviewed_at,
            )
            .order_by("-reviewed_at", "-pk")
            .first()
        )
        before = previous.data if previous else revisions.empty_snapshot()
    elif revision.service is not None:
        before = revisions.editable_snapshot(revision.service)
    else:
        before = revisions.empty_snapshot()
    return changes_between(before, revision.data)


def history_with_changes(
    approved: Sequence[ServiceRevision],
) -> list[tuple[ServiceRevision, list[FieldChange]]]:
    """Approved versions (oldest first) each with what changed against the one before."""
    names = _Names([revision.data for revision in approved])
    result = []
    before: Mapping[str, Any] = revisions.empty_snapshot()
    for revision in approved:
        result.append((revision, changes_between(before, revision.data, names)))
        before = revision.data
    return result
