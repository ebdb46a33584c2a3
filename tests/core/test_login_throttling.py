"""Guessing passwords: repeated failures for one address from one IP pause its logins."""

from __future__ import annotations

import pytest
from django.test import Client

from knotenpunkt.core.models import User

pytestmark = pytest.mark.django_db


def _attempt(client: Client, email: str, password: str) -> int:
    return client.post("/accounts/login/", {"username": email, "password": password}).status_code


def test_it_locks_an_address_after_five_wrong_passwords(coordinator: User) -> None:
    client = Client()
    for _ in range(4):
        assert _attempt(client, "Coordinator@example.org", "wrong") == 200
    response = client.post(
        "/accounts/login/", {"username": "coordinator@example.org", "password": "x"}
    )
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    # Even the right password waits now.
    assert _attempt(client, "coordinator@example.org", "correct-horse-battery") == 429


def test_other_addresses_can_still_log_in(coordinator: User, partner: User) -> None:
    client = Client()
    for _ in range(5):
        _attempt(client, "coordinator@example.org", "wrong")
    assert _attempt(client, "partner@example.org", "correct-horse-battery") == 302


def test_a_successful_login_resets_the_count(coordinator: User) -> None:
    client = Client()
    for _ in range(4):
        _attempt(client, "coordinator@example.org", "wrong")
    assert _attempt(client, "coordinator@example.org", "correct-horse-battery") == 302
    other = Client()
    for _ in range(4):
        assert _attempt(other, "coordinator@example.org", "wrong") == 200
