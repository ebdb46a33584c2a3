"""The database's freshness (lists, dashboard, guide, reminders) agrees with freshness_of."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from django_scopes import scope

from knotenpunkt.core.models import LocalAuthority
from knotenpunkt.directory import freshness as fresh
from knotenpunkt.directory import selectors
from knotenpunkt.directory.models import Service
from tests.directory.factories import ServiceFactory
from tests.partners.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_the_annotation_and_the_filters_match_the_pure_function(tenant: LocalAuthority) -> None:
    now = timezone.now()
    org = OrganisationFactory(local_authority=tenant)
    for days in range(0, 420, 5):
        ServiceFactory(organisation=org, last_verified_at=now - datetime.timedelta(days=days))
        ServiceFactory(
            organisation=org,
            last_verified_at=None,
            created_at=now - datetime.timedelta(days=days, hours=3),
        )
    ServiceFactory(organisation=org, status=Service.Status.DEFUNCT, last_verified_at=now)
    with scope(local_authority=tenant):
        settings = selectors.directory_settings(tenant)
        settings.verify_interval_months, settings.hide_after_months = 4, 8
        settings.save()
        annotated = list(selectors.with_freshness(Service.objects.all(), settings, now))
        expected = {s.pk: fresh.freshness_of(s, settings, now) for s in annotated}
        assert {s.pk: s.freshness for s in annotated} == expected
        assert set(expected.values()) == set(fresh.LADDER)
        limits = selectors.current_cutoffs(settings, now)
        for stage in fresh.LADDER:
            found = set(
                Service.objects.filter(selectors.freshness_q(stage, limits)).values_list(
                    "pk", flat=True
                )
            )
            assert found == {pk for pk, value in expected.items() if value == stage}, stage
