"""Accounts: login by e-mail with argon2, password reset and invitations by e-mail, roles."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django_scopes import scope

from knotenpunkt.core.models import LocalAuthority, Role, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_passwords_are_hashed_with_argon2() -> None:
    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert UserFactory().password.startswith("argon2")


def test_a_user_logs_in_with_the_e_mail_address_in_any_case(
    tenant: LocalAuthority, coordinator: User
) -> None:
    client = Client()
    response = client.post(
        "/accounts/login/",
        {"username": "Coordinator@Example.org", "password": "correct-horse-battery"},
    )
    assert response.status_code == 302
    assert client.get("/").url == f"/t/{tenant.slug}/"  # type: ignore[attr-defined]


def test_a_wrong_password_is_refused_with_a_message(coordinator: User) -> None:
    response = Client().post(
        "/accounts/login/", {"username": "coordinator@example.org", "password": "wrong"}
    )
    assert response.status_code == 200
    assert "correct" in response.content.decode()  # "Please enter a correct e-mail address …"


def test_a_password_reset_sends_a_working_link(coordinator: User) -> None:
    client = Client()
    client.post("/accounts/password/reset/", {"email": "coordinator@example.org"})
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body)
    assert link is not None
    form_page = client.get(link.group(1), follow=True)
    set_url = form_page.redirect_chain[-1][0]
    response = client.post(
        set_url,
        {"new_password1": "a-new-long-passphrase", "new_password2": "a-new-long-passphrase"},
    )
    assert response.status_code == 302
    coordinator.refresh_from_db()
    assert coordinator.check_password("a-new-long-passphrase")


def test_an_unknown_address_gets_the_same_answer_and_no_mail() -> None:
    response = Client().post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert response.url == "/accounts/password/reset/sent/"  # type: ignore[attr-defined]
    assert mail.outbox == []


def test_a_coordinator_invites_a_new_person(
    tenant: LocalAuthority, coordinator_client: Client, django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = coordinator_client.post(
            f"/t/{tenant.slug}/team/",
            {"email": "Hebamme@Example.org", "full_name": "Hanna Hebamme", "kind": "partner"},
        )
    assert response.status_code == 302
    user = User.objects.get(email="hebamme@example.org")
    assert not user.has_usable_password()
    with scope(local_authority=tenant):
        assert Role.objects.get(user=user).kind == "partner"
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/" in mail.outbox[0].body
    assert mail.outbox[0].to == ["hebamme@example.org"]


def test_granting_a_second_role_to_an_existing_user_sends_no_mail(
    tenant: LocalAuthority, partner: User, coordinator_client: Client
) -> None:
    response = coordinator_client.post(
        f"/t/{tenant.slug}/team/", {"email": partner.email, "kind": "steering"}
    )
    assert response.status_code == 302
    with scope(local_authority=tenant):
        assert set(Role.objects.filter(user=partner).values_list("kind", flat=True)) == {
            "partner",
            "steering",
        }
    assert mail.outbox == []


def test_a_duplicate_role_is_refused(
    tenant: LocalAuthority, partner: User, coordinator_client: Client
) -> None:
    response = coordinator_client.post(
        f"/t/{tenant.slug}/team/", {"email": partner.email, "kind": "partner"}
    )
    assert "already holds this role" in response.content.decode()


def test_the_last_coordinator_cannot_be_removed(
    tenant: LocalAuthority, coordinator: User, coordinator_client: Client
) -> None:
    with scope(local_authority=tenant):
        role = Role.objects.get(user=coordinator)
    response = coordinator_client.post(f"/t/{tenant.slug}/team/{role.uuid}/revoke/", follow=True)
    assert "at least one coordinator" in response.content.decode()
    with scope(local_authority=tenant):
        assert Role.objects.filter(pk=role.pk).exists()


def test_revoking_a_role_takes_access_away(
    tenant: LocalAuthority, partner: User, partner_client: Client, coordinator_client: Client
) -> None:
    with scope(local_authority=tenant):
        role = Role.objects.get(user=partner)
    coordinator_client.post(f"/t/{tenant.slug}/team/{role.uuid}/revoke/")
    assert partner_client.get(f"/t/{tenant.slug}/").status_code == 404


def test_a_role_of_another_tenant_cannot_be_revoked(
    tenant: LocalAuthority, outsider: User, coordinator_client: Client, other_tenant: LocalAuthority
) -> None:
    with scope(local_authority=other_tenant):
        role = Role.objects.get(user=outsider)
    response = coordinator_client.post(f"/t/{tenant.slug}/team/{role.uuid}/revoke/")
    assert response.status_code == 404
    with scope(local_authority=other_tenant):
        assert Role.objects.filter(pk=role.pk).exists()
