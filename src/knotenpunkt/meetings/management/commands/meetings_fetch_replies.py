"""Reads the answers of calendar programs to invitations from an IMAP mailbox (run from cron).

Settings: ``MEETINGS_IMAP_HOST`` (nothing happens without it), ``MEETINGS_IMAP_PORT`` (993: TLS;
143: STARTTLS), ``MEETINGS_IMAP_USER``, ``MEETINGS_IMAP_PASSWORD`` and ``MEETINGS_IMAP_FOLDER``
(``INBOX``). Each reply finds its tenant through the meeting named in its UID.
"""

from __future__ import annotations

import imaplib
import logging
import ssl
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from knotenpunkt.meetings.mailbox import fetch_replies
from knotenpunkt.meetings.services import invitation_reply_receive

logger = logging.getLogger("knotenpunkt.meetings.mailbox")

STARTTLS_PORT = 143


def connect(host: str, port: int) -> imaplib.IMAP4:
    """An encrypted connection: implicit TLS, or STARTTLS on port 143."""
    context = ssl.create_default_context()
    if port == STARTTLS_PORT:
        client = imaplib.IMAP4(host, port, timeout=30)
        client.starttls(ssl_context=context)
        return client
    return imaplib.IMAP4_SSL(host, port, ssl_context=context, timeout=30)


class Command(BaseCommand):
    help = "Records the answers to meeting invitations that calendar programs sent by e-mail."

    def handle(self, *args: Any, **options: Any) -> None:
        host = str(getattr(settings, "MEETINGS_IMAP_HOST", "") or "")
        if not host:
            raise CommandError("MEETINGS_IMAP_HOST is not set; there is no mailbox to read.")
        port = int(getattr(settings, "MEETINGS_IMAP_PORT", 993) or 993)
        user = str(getattr(settings, "MEETINGS_IMAP_USER", "") or "")
        password = str(getattr(settings, "MEETINGS_IMAP_PASSWORD", "") or "")
        folder = str(getattr(settings, "MEETINGS_IMAP_FOLDER", "") or "INBOX")
        try:
            client = connect(host, port)
        except (OSError, imaplib.IMAP4.error) as error:
            raise CommandError(f"Cannot reach the mailbox {host}:{port}: {error}") from None
        try:
            client.login(user, password)
            result = fetch_replies(
                client, folder=folder, apply=lambda data: invitation_reply_receive(data=data)
            )
        except (OSError, imaplib.IMAP4.error) as error:
            raise CommandError(f"Reading the mailbox failed: {error}") from None
        finally:
            try:
                client.logout()
            except (OSError, imaplib.IMAP4.error):
                logger.debug("IMAP logout failed", exc_info=True)
        logger.info(
            "Mailbox %s: %s messages with replies, %s recorded, %s refused",
            folder,
            result.messages,
            result.applied,
            result.refused,
        )
        self.stdout.write(
            f"{result.messages} messages with calendar replies: "
            f"{result.applied} recorded, {result.refused} refused."
        )
        for reason in result.errors:
            self.stderr.write(f"Refused: {reason}")
