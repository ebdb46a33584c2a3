"""Reading calendar replies (iMIP) from an IMAP mailbox, with the standard library only.

Calendar programs send their answer to an invitation to the organiser's address, which is the
coordination office's mailbox (see :func:`knotenpunkt.meetings.ical.organizer_email`). People
read that mailbox too, so only messages that carry a calendar file are touched: they are
applied and marked as read; every other message stays unread for the people.
"""

from __future__ import annotations

import email
import email.policy
import imaplib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError

logger = logging.getLogger(__name__)

#: Content types under which calendar programs send iCalendar data.
CALENDAR_TYPES = frozenset({"text/calendar", "application/ics"})


@dataclass
class FetchResult:
    """What one run through the mailbox did."""

    messages: int = 0
    applied: int = 0
    refused: int = 0
    errors: list[str] = field(default_factory=list)


def calendar_parts(raw: bytes) -> list[bytes]:
    """The iCalendar parts of an e-mail (decoded from base64 or quoted-printable)."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    parts = []
    for part in message.walk():
        if part.get_content_type() in CALENDAR_TYPES:
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes) and payload.strip():
                parts.append(payload)
    return parts


def _message_bytes(fetched: Any) -> bytes | None:
    """The raw message from an IMAP FETCH answer: ``[(b'1 (BODY[] {n}', b'...'), b')']``."""
    for item in fetched or []:
        if isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], bytes):
            return item[1]
    return None


def fetch_replies(
    client: imaplib.IMAP4, *, folder: str, apply: Callable[[bytes], Any]
) -> FetchResult:
    """Applies the calendar parts of the unread messages in ``folder`` with ``apply``.

    ``apply`` records one reply and raises a :class:`ValidationError` (a ``ServiceError``) when
    it refuses it; refusals are logged and counted, and the message is marked as read all the
    same, so that it is not tried again on the next run. Messages without a calendar part are
    neither applied nor marked.
    """
    result = FetchResult()
    status, _data = client.select(folder)
    if status != "OK":
        raise OSError(f"cannot open the IMAP folder {folder!r}")
    status, found = client.search(None, "UNSEEN")
    if status != "OK":
        raise OSError("cannot search the IMAP folder")
    numbers = found[0].split() if found and found[0] else []
    for number in numbers:
        # BODY.PEEK leaves the message unread until we know it is ours.
        status, fetched = client.fetch(number.decode(), "(BODY.PEEK[])")
        raw = _message_bytes(fetched) if status == "OK" else None
        if raw is None:
            logger.warning("IMAP message %s could not be fetched", number.decode())
            continue
        parts = calendar_parts(raw)
        if not parts:
            continue
        result.messages += 1
        for part in parts:
            try:
                apply(part)
            except ValidationError as error:
                result.refused += 1
                reason = " ".join(error.messages)
                result.errors.append(reason)
                logger.warning("Calendar reply in message %s refused: %s", number.decode(), reason)
            else:
                result.applied += 1
                logger.info("Calendar reply in message %s recorded", number.decode())
        client.store(number.decode(), "+FLAGS", "\\Seen")
    return result
