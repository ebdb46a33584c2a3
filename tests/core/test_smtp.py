"""E-mail goes out through Django's real SMTP backend (to a local SMTP server in the test)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from email import message_from_bytes
from email.message import Message

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope, Session
from django.test import Client
from pytest_django.fixtures import Settings as SettingsWrapper

from knotenpunkt.core.models import User


class Inbox:
    """Collects what the local SMTP server receives."""

    def __init__(self) -> None:
        self.messages: list[tuple[Envelope, Message]] = []

    async def handle_DATA(self, server: object, session: Session, envelope: Envelope) -> str:
        content = envelope.content if isinstance(envelope.content, bytes) else b""
        self.messages.append((envelope, message_from_bytes(content)))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_inbox(settings: SettingsWrapper) -> Iterator[Inbox]:
    inbox = Inbox()
    with socket.socket() as probe:  # a free port: aiosmtpd checks readiness by connecting to it
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = port
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_USE_SSL = False
        yield inbox
    finally:
        controller.stop()


@pytest.mark.django_db
def test_a_password_reset_mail_reaches_the_smtp_server(
    smtp_inbox: Inbox, coordinator: User
) -> None:
    response = Client().post("/accounts/password/reset/", {"email": coordinator.email})
    assert response.status_code == 302
    assert len(smtp_inbox.messages) == 1
    envelope, message = smtp_inbox.messages[0]
    assert envelope.rcpt_tos == [coordinator.email]
    assert "/accounts/password/reset/" in message.get_payload(decode=True).decode()  # type: ignore[union-attr]
