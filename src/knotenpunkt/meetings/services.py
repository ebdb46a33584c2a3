"""Writes for meetings, invitations, attendance, minutes, action items, needs and feeds.

Each write is atomic and audited; e-mails leave after the transaction commits.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_scopes import scope, scopes_disabled

from knotenpunkt.bodies.models import Body, Membership
from knotenpunkt.core import audit
from knotenpunkt.core.audit import Actor
from knotenpunkt.core.models import AuditEntry, LocalAuthority, User
from knotenpunkt.core.services import ServiceError, model_update
from knotenpunkt.meetings import ical
from knotenpunkt.meetings.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    CalendarFeed,
    Invitation,
    Meeting,
    MeetingSeries,
    Minutes,
    Need,
    new_token,
)
from knotenpunkt.partners.models import Organisation, Person

#: How many meetings a series without an end date creates at once.
MAX_OCCURRENCES = 12

MEETING_FIELDS = ["title", "start", "end", "place", "video_url"]
#: Changes to these fields are news for the invitees' calendars.
CALENDAR_FIELDS = {"title", "start", "end", "place", "video_url"}


# --- Series and meetings ----------------------------------------------------------------------


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def series_dates(series: MeetingSeries) -> list[datetime.date]:
    """The dates of a series: every ``interval`` weeks or months from the first date.

    Up to the series' end date, at most :data:`MAX_OCCURRENCES`. Monthly series keep the day of
    the month (clipped to the month's last day).
    """
    dates: list[datetime.date] = []
    while len(dates) < MAX_OCCURRENCES:
        step = len(dates) * series.interval
        if series.unit == MeetingSeries.Unit.WEEKS:
            day = series.first_date + datetime.timedelta(weeks=step)
        else:
            day = _add_months(series.first_date, step)
        if series.until is not None and day > series.until:
            break
        dates.append(day)
    return dates


def _aware(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, time))


def series_create(
    *, actor: Actor, local_authority: LocalAuthority, body: Body, **data: Any
) -> MeetingSeries:
    """Creates a series and its meetings; refuses a first date in the past or an end before it."""
    first_date: datetime.date = data["first_date"]
    if first_date < timezone.localdate():
        raise ServiceError(_("The first meeting of a series cannot lie in the past."))
    until = data.get("until")
    if until is not None and until < first_date:
        raise ServiceError(_("The series cannot end before its first meeting."))
    if body.local_authority_id != local_authority.pk:
        raise ServiceError(_("The body belongs to another tenant."))
    series = MeetingSeries(local_authority=local_authority, body=body, **data)
    series.full_clean()
    with transaction.atomic():
        series.save()
        audit.log_create(actor=actor, instance=series)
        duration = datetime.timedelta(minutes=series.duration_minutes)
        for day in series_dates(series):
            start = _aware(day, series.start_time)
            meeting_create(
                actor=actor,
                local_authority=local_authority,
                body=body,
                series=series,
                title=series.title,
                start=start,
                end=start + duration,
                place=series.place,
                video_url=series.video_url,
            )
    return series


def meeting_create(
    *,
    actor: Actor,
    local_authority: LocalAuthority,
    body: Body,
    series: MeetingSeries | None = None,
    **data: Any,
) -> Meeting:
    """Creates a single meeting of ``body``."""
    if body.local_authority_id != local_authority.pk:
        raise ServiceError(_("The body belongs to another tenant."))
    meeting = Meeting(
        local_authority=local_authority,
        body=body,
        series=series,
        **{key: value for key, value in data.items() if key in MEETING_FIELDS},
    )
    _check_times(meeting)
    meeting.full_clean()
    with transaction.atomic():
        meeting.save()
        audit.log_create(actor=actor, instance=meeting)
    return meeting


def _check_times(meeting: Meeting) -> None:
    if meeting.start and meeting.end and meeting.end <= meeting.start:
        raise ServiceError(_("A meeting must end after it starts."))


def meeting_update(
    *, actor: Actor, meeting: Meeting, data: Mapping[str, Any], url_base: str = ""
) -> tuple[Meeting, bool]:
    """Changes a meeting; a change of time, place or title raises ``sequence`` and, if
    invitations went out, sends every invitee the updated event (METHOD:REQUEST)."""
    if meeting.is_cancelled:
        raise ServiceError(_("A cancelled meeting cannot be changed."))
    start, end = data.get("start", meeting.start), data.get("end", meeting.end)
    if end <= start:
        raise ServiceError(_("A meeting must end after it starts."))
    news = {
        name for name in CALENDAR_FIELDS if name in data and getattr(meeting, name) != data[name]
    }
    with transaction.atomic():
        meeting, changed = model_update(
            actor=actor, instance=meeting, data=data, fields=MEETING_FIELDS
        )
        if changed and news:
            meeting.sequence += 1
            meeting.save(update_fields=["sequence"])
            _send_to_invitees(meeting, url_base=url_base, update=True)
    return meeting, changed


def meeting_cancel(*, actor: Actor, meeting: Meeting, url_base: str = "") -> Meeting:
    """Cancels a meeting; invitees get a cancellation (METHOD:CANCEL, STATUS:CANCELLED)."""
    if meeting.is_cancelled:
        raise ServiceError(_("The meeting is already cancelled."))
    before = audit.snapshot(meeting, ["status", "sequence"])
    with transaction.atomic():
        meeting.status = Meeting.Status.CANCELLED
        meeting.sequence += 1
        meeting.save(update_fields=["status", "sequence"])
        audit.log_update(actor=actor, instance=meeting, before=before)
        _send_to_invitees(meeting, url_base=url_base, update=True)
    return meeting


# --- Invitations ------------------------------------------------------------------------------


def _current_memberships(body: Body, day: datetime.date) -> QuerySet[Membership]:
    return Membership.objects.filter(
        Q(start__isnull=True) | Q(start__lte=day),
        Q(end__isnull=True) | Q(end__gte=day),
        body=body,
    )


def current_member_persons(
    body: Body, on: datetime.date | None = None, *, with_email: bool = True
) -> list[Person]:
    """The persons currently in ``body`` (not erased; with an e-mail address unless told)."""
    memberships = _current_memberships(body, on or timezone.localdate())
    persons = Person.objects.filter(
        pk__in=memberships.filter(person__isnull=False).values("person"), erased_at__isnull=True
    )
    if with_email:
        persons = persons.exclude(email="")
    return list(persons.order_by("last_name", "first_name"))


def current_member_organisations(body: Body, on: datetime.date | None = None) -> list[Organisation]:
    """The organisations that are members of ``body`` as a whole and have an e-mail address."""
    memberships = _current_memberships(body, on or timezone.localdate())
    return list(
        Organisation.objects.filter(
            pk__in=memberships.filter(organisation__isnull=False).values("organisation")
        )
        .exclude(email="")
        .order_by("name")
    )


def rsvp_url(invitation: Invitation, url_base: str) -> str:
    path = reverse("meetings_public:rsvp", kwargs={"token": invitation.token})
    return url_base.rstrip("/") + path


def invitations_send(*, actor: Actor, meeting: Meeting, url_base: str) -> int:
    """Invites the body's current members with an e-mail who are not yet invited.

    Members are persons, or organisations as a whole, which are invited at the organisation's
    e-mail address (:attr:`Organisation.email`).

    Each new invitee gets an e-mail with the event (.ics, METHOD:REQUEST) and a link to answer,
    sent after the transaction commits. Returns how many were invited.
    """
    if meeting.is_cancelled:
        raise ServiceError(_("A cancelled meeting cannot be sent out."))
    if meeting.end <= timezone.now():
        raise ServiceError(_("The meeting is over; invitations are no longer sent."))
    invited = set(meeting.invitations.values_list("person_id", "organisation_id"))
    new = [
        Invitation(
            local_authority_id=meeting.local_authority_id,
            meeting=meeting,
            person=person,
            email=person.email,
        )
        for person in current_member_persons(meeting.body)
        if (person.pk, None) not in invited
    ] + [
        Invitation(
            local_authority_id=meeting.local_authority_id,
            meeting=meeting,
            organisation=organisation,
            email=organisation.email,
        )
        for organisation in current_member_organisations(meeting.body)
        if (None, organisation.pk) not in invited
    ]
    if not new:
        raise ServiceError(_("Every current member with an e-mail address is already invited."))
    with transaction.atomic():
        for invitation in new:
            invitation.save()
            audit.log_create(actor=actor, instance=invitation)
        before = audit.snapshot(meeting, ["invitations_sent_at"])
        meeting.invitations_sent_at = timezone.now()
        meeting.save(update_fields=["invitations_sent_at"])
        audit.log_update(actor=actor, instance=meeting, before=before)
        _schedule_mails(meeting, new, url_base=url_base, update=False)
    return len(new)


def _send_to_invitees(meeting: Meeting, *, url_base: str, update: bool) -> None:
    invitations = list(
        meeting.invitations.exclude(email="").select_related("person", "organisation")
    )
    if invitations:
        _schedule_mails(meeting, invitations, url_base=url_base, update=update)


def _schedule_mails(
    meeting: Meeting, invitations: list[Invitation], *, url_base: str, update: bool
) -> None:
    language = translation.get_language()
    ids = [invitation.pk for invitation in invitations]
    transaction.on_commit(
        lambda: _send_mails(meeting, ids, url_base=url_base, update=update, language=language)
    )


def _send_mails(
    meeting: Meeting, ids: list[int], *, url_base: str, update: bool, language: str | None
) -> None:
    # On commit may run after the request's scope has closed: scope it again.
    with scope(local_authority=meeting.local_authority_id):
        invitations = list(
            Invitation.objects.filter(pk__in=ids)
            .exclude(email="")
            .select_related("person", "organisation")
        )
    sender = ical.organizer_email(meeting)
    with translation.override(language):
        if meeting.is_cancelled:
            subject = _("Cancelled: %(meeting)s")
        elif update:
            subject = _("Changed: %(meeting)s")
        else:
            subject = _("Invitation: %(meeting)s")
        subject = subject % {"meeting": meeting}
        for invitation in invitations:
            url = rsvp_url(invitation, url_base)
            body = render_to_string(
                "meetings/email/invitation.txt",
                {"meeting": meeting, "invitation": invitation, "url": url, "update": update},
            )
            message = EmailMessage(
                subject=subject,
                body=body,
                from_email=None,
                to=[invitation.email],
                reply_to=[sender],
            )
            method = "CANCEL" if meeting.is_cancelled else "REQUEST"
            message.attach(
                "einladung.ics" if not meeting.is_cancelled else "absage.ics",
                ical.invitation_ics(meeting, attendee=invitation.email, url=url),
                f"text/calendar; charset=utf-8; method={method}",
            )
            message.send()


def rsvp_answer(*, invitation: Invitation, response: str) -> Invitation:
    """Records an invitee's answer (yes, no, maybe) given through their link, without login."""
    if response not in {Invitation.Response.YES, Invitation.Response.NO, Invitation.Response.MAYBE}:
        raise ServiceError(_("Choose yes, no or maybe."))
    if invitation.meeting.is_cancelled:
        raise ServiceError(_("The meeting was cancelled."))
    return model_update(
        actor=None,
        instance=invitation,
        data={"response": response, "responded_at": timezone.now()},
        fields=["response", "responded_at"],
    )[0]


def _read_reply(data: bytes) -> ical.Reply:
    try:
        return ical.parse_reply(data)
    except ical.ReplyError as error:
        raise ServiceError(str(error)) from None


def invitation_reply_apply(
    *, actor: Actor, data: bytes, meeting: Meeting | None = None
) -> list[Invitation]:
    """Records the answer a calendar program sent for an invitation (iMIP, METHOD:REPLY).

    Runs inside the tenant's scope: the reply's UID must name a meeting of this tenant (and be
    ``meeting`` when given), its attendee an address that meeting's invitation went to. An
    answer to an earlier version of a meeting that has since changed is refused, as is an
    answer to a cancelled meeting. Anything else that is wrong with the file raises a
    :class:`ServiceError` and changes nothing. Returns the answered invitations (usually one;
    more where person and organisation share the address, as their calendar holds one event).
    """
    reply = _read_reply(data)
    found = Meeting.objects.filter(uuid=reply.meeting_uuid).first()
    if found is None:
        raise ServiceError(_("The reply is about a meeting that is not known here."))
    if meeting is not None and found.pk != meeting.pk:
        raise ServiceError(
            _("The reply is about another meeting: %(meeting)s.") % {"meeting": found}
        )
    if found.is_cancelled:
        raise ServiceError(_("The meeting was cancelled."))
    if reply.sequence < found.sequence:
        raise ServiceError(
            _("The reply answers an earlier version of the meeting, which has changed since.")
        )
    invitations = list(
        Invitation.objects.filter(meeting=found, email__iexact=reply.attendee)
        .exclude(email="")
        .select_related("person", "organisation", "meeting")
    )
    if not invitations:
        raise ServiceError(
            _("No invitation to this meeting went to %(email)s.") % {"email": reply.attendee}
        )
    now = timezone.now()
    with transaction.atomic():
        for invitation in invitations:
            model_update(
                actor=actor,
                instance=invitation,
                data={"response": reply.response, "responded_at": now},
                fields=["response", "responded_at"],
            )
    return invitations


def invitation_reply_receive(*, data: bytes) -> list[Invitation]:
    """Records a reply that arrived by e-mail, where no tenant is known beforehand.

    The meeting's uuid in the reply's UID finds the tenant; the reply is then applied inside
    that tenant's scope exactly as :func:`invitation_reply_apply` does (without an actor).
    """
    reply = _read_reply(data)
    with scopes_disabled():
        tenant_id = (
            Meeting.objects.filter(uuid=reply.meeting_uuid)
            .values_list("local_authority_id", flat=True)
            .first()
        )
    if tenant_id is None:
        raise ServiceError(_("The reply is about a meeting that is not known here."))
    with scope(local_authority=tenant_id):
        return invitation_reply_apply(actor=None, data=data)


# --- Attendance, agenda and minutes -----------------------------------------------------------


def attendance_candidates(meeting: Meeting) -> list[Person]:
    """Who may be marked present: the invitees, the current members and anyone already marked."""
    ids = set(meeting.invitations.filter(person__isnull=False).values_list("person_id", flat=True))
    ids |= {
        person.pk
        for person in current_member_persons(
            meeting.body, on=timezone.localdate(meeting.start), with_email=False
        )
    }
    ids |= set(meeting.attendances.values_list("person_id", flat=True))
    return list(Person.objects.filter(pk__in=ids).order_by("last_name", "first_name"))


def attendance_record(*, actor: Actor, meeting: Meeting, present: Iterable[Person]) -> None:
    """Records who was present; everyone else among the candidates is recorded as absent."""
    present_ids = {person.pk for person in present}
    candidates = attendance_candidates(meeting)
    allowed = {person.pk for person in candidates}
    if not present_ids <= allowed:
        raise ServiceError(_("Only invitees and members of the body can be marked present."))
    with transaction.atomic():
        existing = {row.person_id: row for row in meeting.attendances.all()}
        before = sorted(str(row.person_id) for row in existing.values() if row.present)
        for person in candidates:
            row = existing.get(person.pk)
            is_present = person.pk in present_ids
            if row is None:
                Attendance.objects.create(
                    local_authority_id=meeting.local_authority_id,
                    meeting=meeting,
                    person=person,
                    present=is_present,
                )
            elif row.present != is_present:
                row.present = is_present
                row.save(update_fields=["present"])
        after = sorted(str(pk) for pk in present_ids)
        if before != after:
            names = {p.pk: str(p) for p in candidates}
            audit.record(
                actor=actor,
                action=AuditEntry.Action.UPDATE,
                instance=meeting,
                changes={
                    "attendance": [
                        [names.get(int(pk), pk) for pk in before],
                        [names[int(pk)] for pk in after],
                    ]
                },
            )


def agenda_item_create(
    *, actor: Actor, meeting: Meeting, title: str, owner: Person | None = None, minutes: str = ""
) -> AgendaItem:
    """Adds an item at the end of the meeting's agenda."""
    position = meeting.agenda_items.count() + 1
    item = AgendaItem(
        local_authority_id=meeting.local_authority_id,
        meeting=meeting,
        position=position,
        title=title,
        owner=owner,
        minutes=minutes,
    )
    item.full_clean()
    with transaction.atomic():
        item.save()
        audit.log_create(actor=actor, instance=item)
    return item


def agenda_item_delete(*, actor: Actor, item: AgendaItem) -> None:
    """Removes an item from the agenda."""
    with transaction.atomic():
        audit.log_delete(actor=actor, instance=item)
        item.delete()


def minutes_save(*, actor: Actor, meeting: Meeting, text: str, decisions: str) -> Minutes:
    """Saves the minutes of a meeting (Markdown, sanitised when shown)."""
    with transaction.atomic():
        minutes = Minutes.objects.filter(meeting=meeting).first()
        if minutes is None:
            minutes = Minutes(
                local_authority_id=meeting.local_authority_id,
                meeting=meeting,
                text=text,
                decisions=decisions,
            )
            minutes.full_clean()
            minutes.save()
            audit.log_create(actor=actor, instance=minutes)
            return minutes
        model_update(
            actor=actor,
            instance=minutes,
            data={"text": text, "decisions": decisions},
            fields=["text", "decisions"],
        )
    return minutes


# --- Action items and needs -------------------------------------------------------------------

ACTION_ITEM_FIELDS = ["title", "owner", "due", "status", "meeting", "body", "area", "need"]
NEED_FIELDS = [
    "title",
    "description",
    "area",
    "topic",
    "life_phase",
    "source",
    "evidence",
    "status",
]


def _same_tenant(local_authority_id: int, data: Mapping[str, Any]) -> None:
    for value in data.values():
        tenant_id = getattr(value, "local_authority_id", None)
        if tenant_id is not None and tenant_id != local_authority_id:
            raise ServiceError(_("A linked object belongs to another tenant."))


def action_item_create(*, actor: Actor, local_authority: LocalAuthority, **data: Any) -> ActionItem:
    """Creates an action item (from a meeting, on a need, for a body or area)."""
    _same_tenant(local_authority.pk, data)
    item = ActionItem(
        local_authority=local_authority,
        **{key: value for key, value in data.items() if key in ACTION_ITEM_FIELDS},
    )
    if item.meeting is not None and item.body is None:
        item.body = item.meeting.body
    item.full_clean()
    with transaction.atomic():
        item.save()
        audit.log_create(actor=actor, instance=item)
    return item


def action_item_update(
    *, actor: Actor, item: ActionItem, data: Mapping[str, Any]
) -> tuple[ActionItem, bool]:
    """Changes an action item; a new due date lets the reminder go out again."""
    _same_tenant(item.local_authority_id, data)
    due_changed = "due" in data and data["due"] != item.due
    with transaction.atomic():
        item, changed = model_update(
            actor=actor, instance=item, data=data, fields=ACTION_ITEM_FIELDS
        )
        if due_changed and item.reminded_at is not None:
            item.reminded_at = None
            item.save(update_fields=["reminded_at"])
    return item, changed


def action_item_set_status(*, actor: Actor, item: ActionItem, status: str) -> ActionItem:
    """Moves an action item to ``status`` (open, in progress, done, dropped)."""
    if status not in ActionItem.Status.values:
        raise ServiceError(_("Unknown status."))
    return model_update(actor=actor, instance=item, data={"status": status}, fields=["status"])[0]


def action_items_remind(*, today: datetime.date | None = None) -> int:
    """E-mails the owners of overdue open action items, once per item; returns how many.

    Runs inside the scope of one tenant (see the ``meetings_remind`` command).
    """
    day = today or timezone.localdate()
    items = list(
        ActionItem.objects.filter(
            due__lt=day,
            status__in=[ActionItem.Status.OPEN, ActionItem.Status.IN_PROGRESS],
            reminded_at__isnull=True,
            owner__isnull=False,
            owner__erased_at__isnull=True,
        )
        .exclude(owner__email="")
        .select_related("owner", "local_authority", "meeting")
    )
    now = timezone.now()
    with transaction.atomic():
        for item in items:
            item.reminded_at = now
            item.save(update_fields=["reminded_at"])
            audit.record(
                actor=None,
                action=AuditEntry.Action.UPDATE,
                instance=item,
                changes={"reminded_at": [None, str(now)]},
            )
        language = translation.get_language()
        transaction.on_commit(lambda: _send_reminders(items, language))
    return len(items)


def _send_reminders(items: list[ActionItem], language: str | None) -> None:
    with translation.override(language):
        for item in items:
            if item.owner is None:
                continue
            EmailMessage(
                subject=_("Overdue: %(title)s") % {"title": item.title},
                body=render_to_string("meetings/email/reminder.txt", {"item": item}),
                to=[item.owner.email],
            ).send()


def need_create(*, actor: Actor, local_authority: LocalAuthority, **data: Any) -> Need:
    """Records a need for action."""
    _same_tenant(local_authority.pk, data)
    need = Need(
        local_authority=local_authority,
        **{key: value for key, value in data.items() if key in NEED_FIELDS},
    )
    need.full_clean()
    with transaction.atomic():
        need.save()
        audit.log_create(actor=actor, instance=need)
    return need


def need_update(*, actor: Actor, need: Need, data: Mapping[str, Any]) -> tuple[Need, bool]:
    """Changes a need."""
    _same_tenant(need.local_authority_id, data)
    return model_update(actor=actor, instance=need, data=data, fields=NEED_FIELDS)


def need_delete(*, actor: Actor, need: Need) -> None:
    """Deletes a need; its action items stay, without the link."""
    with transaction.atomic():
        audit.log_delete(actor=actor, instance=need)
        need.delete()


# --- Calendar feeds ---------------------------------------------------------------------------


def calendar_feed_get_or_create(*, user: User, local_authority: LocalAuthority) -> CalendarFeed:
    """The user's feed in the tenant, created on first use."""
    with transaction.atomic():
        feed = CalendarFeed.objects.filter(user=user).first()
        if feed is None:
            feed = CalendarFeed.objects.create(local_authority=local_authority, user=user)
            audit.log_create(actor=user, instance=feed)
    return feed


def calendar_feed_regenerate(*, user: User, local_authority: LocalAuthority) -> CalendarFeed:
    """Gives the user's feed a new secret; the old link stops working."""
    feed = calendar_feed_get_or_create(user=user, local_authority=local_authority)
    with transaction.atomic():
        feed.token = new_token()
        feed.save(update_fields=["token"])
        audit.record(
            actor=user,
            action=AuditEntry.Action.UPDATE,
            instance=feed,
            changes={"token": ["***", "***"]},
        )
    return feed
