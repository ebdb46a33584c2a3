"""Shared helpers of the freshness helper's directory tests (views, services, public guide).

``urlpatterns`` is the project's URL configuration with the directory mounted where the lead
mounts it (``/t/<tenant>/offers/`` and ``/g/<guide>/``), for tests marked
``pytest.mark.urls("tests.directory.freshness_support")``; once config/urls.py mounts them,
nothing is added.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import URLResolver, include, path
from django.utils import timezone
from django_scopes import scope

from knotenpunkt.config.urls import urlpatterns as project_urlpatterns
from knotenpunkt.core.models import LocalAuthority, User
from knotenpunkt.directory import revisions
from knotenpunkt.directory.models import Service
from knotenpunkt.partners.models import Organisation, Person
from tests.directory.factories import ServiceFactory
from tests.partners.factories import AffiliationFactory, OrganisationFactory, PersonFactory

URLS = "tests.directory.freshness_support"


def _mounted(namespace: str) -> bool:
    return any(
        isinstance(entry, URLResolver) and entry.namespace == namespace
        for entry in project_urlpatterns
    )


urlpatterns: list[Any] = list(project_urlpatterns)
if not _mounted("directory"):
    urlpatterns.append(path("t/<slug:tenant>/offers/", include("knotenpunkt.directory.urls")))
if not _mounted("guide"):
    urlpatterns.append(path("g/<slug:guide>/", include("knotenpunkt.directory.public_urls")))


def works_at(user: User, organisation: Organisation) -> Person:
    """Links ``user`` to a person with a current affiliation at ``organisation``."""
    person = PersonFactory(local_authority=organisation.local_authority, user=user)
    AffiliationFactory(person=person, organisation=organisation)
    return person


def months_ago(months: int, days: int = 0) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=months * 31 + days)


def offer(tenant: LocalAuthority, **kwargs: Any) -> Service:
    """An offer in ``tenant`` (of a new organisation unless one is given)."""
    if "organisation" not in kwargs:
        kwargs["organisation"] = OrganisationFactory(local_authority=tenant)
    return ServiceFactory(**kwargs)


def snapshot(service: Service, **changes: Any) -> dict[str, Any]:
    """The offer's editable snapshot with ``changes``."""
    with scope(local_authority=service.local_authority):
        data = revisions.editable_snapshot(service)
    data.update(changes)
    return data


def form_data(
    data: dict[str, Any],
    *,
    version: int | None = None,
    organisation: Organisation | None = None,
    comment: str = "",
) -> dict[str, Any]:
    """The POST of the offer editor that submits the snapshot ``data`` unchanged."""
    post: dict[str, Any] = {}
    for name in (*revisions.SCALAR_FIELDS, *revisions.CONTACT_FIELDS):
        value = data.get(name)
        post[name] = "" if value is None else str(value)
    post["topics"] = list(data.get("topics") or [])
    post["life_phases"] = list(data.get("life_phases") or [])
    post["languages"] = list(data.get("languages") or [])
    post["responsible"] = data.get("responsible") or ""
    if version is not None:
        post["version"] = str(version)
    if organisation is not None:
        post["organisation"] = str(organisation.uuid)
    if comment:
        post["comment"] = comment
    locations = data.get("locations") or []
    post.update(
        {
            "locations-TOTAL_FORMS": str(len(locations)),
            "locations-INITIAL_FORMS": str(len(locations)),
            "locations-MIN_NUM_FORMS": "0",
            "locations-MAX_NUM_FORMS": "50",
        }
    )
    for index, entry in enumerate(locations):
        prefix = f"locations-{index}-"
        for name in ("uuid", "name", *revisions.ADDRESS_FIELDS):
            post[prefix + name] = entry.get(name) or ""
        post[prefix + "area"] = entry.get("area") or ""
        post[prefix + "phones"] = ", ".join(entry.get("phones") or [])
        if entry.get("confidential"):
            post[prefix + "confidential"] = "on"
        if entry.get("barrier_free"):
            post[prefix + "barrier_free"] = "on"
    schedules = data.get("schedules") or []
    post.update(
        {
            "hours-TOTAL_FORMS": str(len(schedules)),
            "hours-INITIAL_FORMS": str(len(schedules)),
            "hours-MIN_NUM_FORMS": "0",
            "hours-MAX_NUM_FORMS": "50",
        }
    )
    for index, entry in enumerate(schedules):
        for name in revisions.SCHEDULE_FIELDS:
            post[f"hours-{index}-{name}"] = entry.get(name) or ""
    for language, _label in revisions.TRANSLATION_LANGUAGES:
        texts = (data.get("translations") or {}).get(language, {})
        for name in revisions.TEXT_FIELDS_TRANSLATED:
            post[f"translation-{language}-{name}"] = texts.get(name, "")
    return post
