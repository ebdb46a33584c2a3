"""The ``meetings_fetch_replies`` command: calendar replies from an IMAP mailbox (faked here)."""

from __future__ import annotations

from email.message import EmailMessage
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django_scopes import scopes_disabled

from knotenpunkt.core.models import LocalAuthority
from knotenpunkt.meetings import mailbox
from knotenpunkt.meetings.management.commands import meetings_fetch_replies
from knotenpunkt.meetings.models import Invitation
from tests.meetings.conftest import Setting
from tests.meetings.factories import InvitationFactory, MeetingFactory, reply_ics


def _mail(subject: str, ics: bytes | None = None) -> bytes:
    message = EmailMessage()
    message["From"] = "fachkraft@example.org"
    message["To"] = "koordination@example.org"
    message["Subject"] = subject
    message.set_content("Diese Nachricht enthält eine Antwort.")
    if ics is not None:
        # As Outlook and Thunderbird send it: the reply as a text/calendar part (base64).
        message.add_attachment(
            ics, maintype="text", subtype="calendar", params={"method": "REPLY"}, filename="a.ics"
        )
    return message.as_bytes()


class FakeImap:
    """Just enough of :class:`imaplib.IMAP4` for the command, with messages in memory."""

    instances: list[FakeImap] = []
    messages: dict[str, bytes] = {}

    def __init__(self, host: str, port: int, **kwargs: Any) -> None:
        self.address = (host, port)
        self.logged_in: tuple[str, str] | None = None
        self.selected = ""
        self.seen: set[str] = set()
        self.logged_out = False
        FakeImap.instances.append(self)

    def login(self, user: str, password: str) -> tuple[str, list[bytes]]:
        self.logged_in = (user, password)
        return "OK", [b"Logged in"]

    def select(self, folder: str) -> tuple[str, list[bytes]]:
        self.selected = folder
        return "OK", [str(len(self.messages)).encode()]

    def search(self, charset: Any, criterion: str) -> tuple[str, list[bytes]]:
        assert criterion == "UNSEEN"
        return "OK", [" ".join(self.messages).encode()]

    def fetch(self, number: str, parts: str) -> tuple[str, list[Any]]:
        assert "PEEK" in parts  # fetching must not mark a message as read by itself
        raw = self.messages[number]
        return "OK", [(f"{number} (BODY[] {{{len(raw)}}}".encode(), raw), b")"]

    def store(self, number: str, command: str, flags: str) -> tuple[str, list[bytes]]:
        assert (command, flags) == ("+FLAGS", "\\Seen")
        self.seen.add(number)
        return "OK", [b""]

    def logout(self) -> tuple[str, list[bytes]]:
        self.logged_out = True
        return "BYE", [b""]


@pytest.fixture
def fake_imap(monkeypatch: pytest.MonkeyPatch, settings: Any) -> type[FakeImap]:
    settings.MEETINGS_IMAP_HOST = "imap.example.org"
    settings.MEETINGS_IMAP_PORT = 993
    settings.MEETINGS_IMAP_USER = "koordination"
    settings.MEETINGS_IMAP_PASSWORD = "geheim"
    settings.MEETINGS_IMAP_FOLDER = "Antworten"
    FakeImap.instances = []
    FakeImap.messages = {}
    monkeypatch.setattr(meetings_fetch_replies.imaplib, "IMAP4_SSL", FakeImap)
    return FakeImap


@pytest.mark.django_db
def test_it_records_replies_of_several_tenants_and_leaves_other_mail_unread(
    tenant: LocalAuthority,
    other_tenant: LocalAuthority,
    setting: Setting,
    fake_imap: type[FakeImap],
) -> None:
    mine = InvitationFactory(meeting=setting.meeting, person=setting.members[1])
    theirs = InvitationFactory(meeting=MeetingFactory(local_authority=other_tenant))
    fake_imap.messages = {
        "1": _mail("Angenommen", reply_ics(setting.meeting, mine.email, "ACCEPTED")),
        "2": _mail("Urlaubsplanung"),
        "3": _mail("Abgelehnt", reply_ics(theirs.meeting, theirs.email, "DECLINED")),
        "4": _mail("Falsch", reply_ics(setting.meeting, "fremd@example.org", "ACCEPTED")),
    }
    out, err = StringIO(), StringIO()
    call_command("meetings_fetch_replies", stdout=out, stderr=err)
    (client,) = fake_imap.instances
    assert client.address == ("imap.example.org", 993)
    assert client.logged_in == ("koordination", "geheim")
    assert client.selected == "Antworten"
    assert client.logged_out
    # Messages with a calendar part are read, the others stay unread for the people.
    assert client.seen == {"1", "3", "4"}
    with scopes_disabled():
        assert Invitation.objects.get(pk=mine.pk).response == Invitation.Response.YES
        assert Invitation.objects.get(pk=theirs.pk).response == Invitation.Response.NO
    assert "3 messages with calendar replies: 2 recorded, 1 refused." in out.getvalue()
    assert "fremd@example.org" in err.getvalue()


@pytest.mark.django_db
def test_a_reply_for_an_unknown_meeting_changes_nothing(
    tenant: LocalAuthority, setting: Setting, fake_imap: type[FakeImap]
) -> None:
    invitation = InvitationFactory(meeting=setting.meeting, person=setting.members[1])
    unknown = MeetingFactory.build(local_authority=tenant)
    fake_imap.messages = {"7": _mail("?", reply_ics(unknown, invitation.email))}
    err = StringIO()
    call_command("meetings_fetch_replies", stdout=StringIO(), stderr=err)
    assert "not known here" in err.getvalue()
    with scopes_disabled():
        assert Invitation.objects.get(pk=invitation.pk).response == Invitation.Response.NONE


def test_it_needs_a_mailbox(settings: Any) -> None:
    settings.MEETINGS_IMAP_HOST = ""
    with pytest.raises(CommandError):
        call_command("meetings_fetch_replies", stdout=StringIO())


def test_it_reads_calendar_parts_of_any_encoding() -> None:
    ics = b"BEGIN:VCALENDAR\r\nMETHOD:REPLY\r\nEND:VCALENDAR\r\n"
    assert mailbox.calendar_parts(_mail("x", ics)) == [ics]
    assert mailbox.calendar_parts(_mail("x")) == []
    assert mailbox.calendar_parts(b"not even an e-mail") == []
