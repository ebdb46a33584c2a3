"""Recording, changing and deleting contacts: refusals and the audit log."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from django_scopes import scope

from knotenpunkt.core.models import AuditEntry, LocalAuthority, User
from knotenpunkt.core.services import ServiceError
from knotenpunkt.outreach import selectors, services
from knotenpunkt.outreach.models import Contact
from tests.factories import UserFactory
from tests.outreach.factories import ContactFactory
from tests.partners.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 6, 2)


def test_it_logs_a_contact_held_by_the_actor(in_tenant: LocalAuthority, coordinator: User) -> None:
    org = OrganisationFactory(local_authority=in_tenant)
    contact = services.contact_log(
        actor=coordinator, local_authority=in_tenant, organisation=org, date=TODAY, kind="call"
    )
    assert contact.who == coordinator
    entry = AuditEntry.objects.get(object_type="outreach.Contact")
    assert entry.action == "create" and entry.actor == coordinator


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"organisation": None}, "Choose the organisation or the person"),
        ({"date": timezone.localdate() + datetime.timedelta(days=1)}, "cannot lie in the future"),
        ({"follow_up_on": TODAY - datetime.timedelta(days=1)}, "before the contact"),
    ],
)
def test_it_refuses_bad_contacts(
    in_tenant: LocalAuthority, coordinator: User, change: dict[str, object], message: str
) -> None:
    data: dict[str, object] = {
        "organisation": OrganisationFactory(local_authority=in_tenant),
        "date": TODAY,
        **change,
    }
    with pytest.raises(ServiceError, match=message):
        services.contact_log(actor=coordinator, local_authority=in_tenant, **data)  # type: ignore[arg-type]
    assert not Contact.objects.exists()


def test_it_refuses_partners_and_users_of_another_tenant(
    tenant: LocalAuthority, other_tenant: LocalAuthority, coordinator: User, outsider: User
) -> None:
    foreign_org = OrganisationFactory(local_authority=other_tenant)
    foreign_person = PersonFactory(local_authority=other_tenant)
    with scope(local_authority=tenant):
        for partner in ({"organisation": foreign_org}, {"person": foreign_person}):
            with pytest.raises(ServiceError, match="another local authority"):
                services.contact_log(
                    actor=coordinator,
                    local_authority=tenant,
                    date=TODAY,
                    **partner,  # type: ignore[arg-type]
                )
        with pytest.raises(ServiceError, match="no role here"):
            services.contact_log(
                actor=coordinator,
                local_authority=tenant,
                organisation=OrganisationFactory(local_authority=tenant),
                date=TODAY,
                who=outsider,
            )
        assert not Contact.objects.exists()


def test_it_updates_deletes_and_closes_follow_ups_with_audit(
    in_tenant: LocalAuthority, coordinator: User
) -> None:
    contact = ContactFactory(
        organisation=OrganisationFactory(local_authority=in_tenant),
        date=TODAY,
        follow_up_on=TODAY + datetime.timedelta(days=14),
    )
    assert list(selectors.open_follow_ups()) == [contact]
    _, changed = services.contact_update(
        actor=coordinator, contact=contact, data={"expectations": "Mehr Präsenz vor Ort"}
    )
    assert changed
    services.contact_follow_up_done(actor=coordinator, contact=contact)
    assert list(selectors.open_follow_ups()) == []
    with pytest.raises(ServiceError, match="done already"):
        services.contact_follow_up_done(actor=coordinator, contact=contact)
    services.contact_delete(actor=coordinator, contact=contact)
    assert not Contact.objects.exists()
    actions = list(
        AuditEntry.objects.filter(object_type="outreach.Contact")
        .order_by("at", "id")
        .values_list("action", flat=True)
    )
    assert actions == ["update", "update", "delete"]


def test_the_contact_list_filters_by_kind_dates_and_open_follow_ups(
    in_tenant: LocalAuthority,
) -> None:
    org = OrganisationFactory(local_authority=in_tenant)
    call = ContactFactory(organisation=org, kind="call", date=datetime.date(2025, 1, 5))
    visit = ContactFactory(
        organisation=org,
        date=datetime.date(2025, 3, 5),
        follow_up_on=datetime.date(2025, 4, 1),
    )
    ContactFactory(organisation=OrganisationFactory(local_authority=in_tenant))
    assert list(selectors.contact_list(selectors.ContactFilter(kind="call"))) == [call]
    between = selectors.ContactFilter(
        date_from=datetime.date(2025, 2, 1), date_to=datetime.date(2025, 3, 31)
    )
    assert list(selectors.contact_list(between)) == [visit]
    assert list(selectors.contact_list(selectors.ContactFilter(open_follow_ups=True))) == [visit]
    assert list(selectors.contact_list(selectors.ContactFilter(organisation=org))) == [visit, call]


def test_who_may_be_another_coordinator_of_the_tenant(
    in_tenant: LocalAuthority, coordinator: User
) -> None:
    colleague = UserFactory()
    from tests.factories import RoleFactory

    RoleFactory(local_authority=in_tenant, user=colleague)
    contact = services.contact_log(
        actor=coordinator,
        local_authority=in_tenant,
        person=PersonFactory(local_authority=in_tenant),
        date=TODAY,
        who=colleague,
    )
    assert contact.who == colleague
