"""Views for meetings, series, minutes, action items, needs and the personal calendar feed.

Tenant views run inside the tenant's scope (see :mod:`knotenpunkt.core.middleware`). The public
views (answering an invitation, the calendar feed) find their tenant from the secret token.
"""

from __future__ import annotations

import contextlib
import copy
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_scopes import scope, scopes_disabled

from knotenpunkt.core.models import LocalAuthority, Role
from knotenpunkt.core.tenancy import COORDINATOR, PARTNER, STEERING, role_required
from knotenpunkt.meetings import rendering, selectors, services
from knotenpunkt.meetings.forms import (
    ActionItemFilterForm,
    ActionItemForm,
    AgendaItemForm,
    AttendanceForm,
    MeetingForm,
    MinutesForm,
    NeedFilterForm,
    NeedForm,
    ReplyUploadForm,
    RsvpForm,
    SeriesForm,
    StatusForm,
)
from knotenpunkt.meetings.ical import feed_ics
from knotenpunkt.meetings.models import (
    ActionItem,
    AgendaItem,
    CalendarFeed,
    Invitation,
    Meeting,
    Minutes,
    Need,
)

READERS = (COORDINATOR, STEERING, PARTNER)


def _tenant(request: HttpRequest) -> LocalAuthority:
    return request.tenant  # type: ignore[attr-defined]


def _roles(request: HttpRequest) -> frozenset[str]:
    return request.tenant_roles  # type: ignore[attr-defined]


def _url_base(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


def _visible_meeting(request: HttpRequest, meeting: UUID) -> Meeting:
    """A meeting the user may see; another tenant's or another body's is simply not found."""
    meetings = selectors.visible_meetings(request.user, _roles(request)).select_related(
        "body", "series", "local_authority"
    )
    return get_object_or_404(meetings, uuid=meeting)


def _coordinated_meeting(meeting: UUID) -> Meeting:
    return get_object_or_404(
        Meeting.objects.select_related("body", "local_authority"), uuid=meeting
    )


# --- Meetings ---------------------------------------------------------------------------------


@role_required(*READERS)
@require_GET
def meeting_list(request: HttpRequest, tenant: str) -> HttpResponse:
    past = request.GET.get("when") == "past"
    meetings = selectors.meeting_list(request.user, _roles(request), past=past)
    return render(request, "meetings/meeting_list.html", {"meetings": meetings, "past": past})


@role_required(*READERS)
@require_GET
def meeting_detail(request: HttpRequest, tenant: str, meeting: UUID) -> HttpResponse:
    obj = _visible_meeting(request, meeting)
    detail = selectors.meeting_detail(obj)
    context: dict[str, Any] = {
        "meeting": obj,
        "detail": detail,
        "minutes_text": rendering.render_markdown(detail.minutes.text if detail.minutes else ""),
        "minutes_decisions": rendering.render_markdown(
            detail.minutes.decisions if detail.minutes else ""
        ),
    }
    if COORDINATOR in _roles(request):
        present = {row.person_id for row in detail.attendances if row.present}
        context |= {
            "attendance_form": AttendanceForm(
                candidates=services.attendance_candidates(obj), initial={"present": list(present)}
            ),
            "minutes_form": MinutesForm(instance=detail.minutes),
            "agenda_form": AgendaItemForm(),
            "reply_form": ReplyUploadForm(),
        }
    return render(request, "meetings/meeting_detail.html", context)


@role_required(COORDINATOR)
@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest, tenant: str) -> HttpResponse:
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            obj = services.meeting_create(
                actor=request.user, local_authority=_tenant(request), **data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The meeting was planned."))
            return redirect("meetings:meeting_detail", tenant=tenant, meeting=obj.uuid)
    return render(request, "meetings/meeting_form.html", {"form": form, "meeting": None})


@role_required(COORDINATOR)
@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, tenant: str, meeting: UUID) -> HttpResponse:
    obj = _coordinated_meeting(meeting)
    form = MeetingForm(request.POST or None, instance=copy.copy(obj))
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(
                actor=request.user,
                meeting=obj,
                data=form.cleaned_data,
                url_base=_url_base(request),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("meetings:meeting_detail", tenant=tenant, meeting=obj.uuid)
    return render(request, "meetings/meeting_form.html", {"form": form, "meeting": obj})


@role_required(COORDINATOR)
@require_POST
def meeting_cancel(request: HttpRequest, tenant: str, meeting: UUID) -> HttpResponse:
    obj = _coordinated_meeting(meeting)
    try:
        services.meeting_cancel(actor=request.user, meeting=obj, url_base=_url_base(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The meeting was cancelled; invitees are told."))
    return redirect("meetings:meeting_detail", tenant=tenant, meeting=obj.uuid)


@role_required(COORDINATOR)
@require_POST
def invitations_send(request: HttpRequest, tenant: str, meeting: UUID) -> HttpResponse:
    obj = _coordinated_meeting(meeting)
    try:
        count = services.invitations_send(
            actor=request.user, meeting=obj, url_base=_url_base(request)
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            ngettext("%(count)s invitation was sent.", "%(count)s invitations were sent.", count)
            % {"count": count},
        )
    return redirect("meetings:meeting_detail", tenant=tenant, meeting=obj.uuid)


@role_required(COORDINATOR)
@require_POST
def invitation_reply_upload(request: HttpRequest, tenant: str, meeting: UUID) -> HttpResponse:
    """Reads an answer that a calendar program sent (an .ics file with METHOD:REPLY)."""
    obj = _coordinated_meeting(meeting)
    form = ReplyUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("meetings:meeting_detail", tenant=tenant, meeting=obj.uuid)
    try:
        invitations = services.invitation_reply_apply(
            actor=request.user, data=form.cleaned_data["ics"], meeting=obj
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        for invitation in invitations:
            messages.success(
                request,
                _("The answer of %(invitee)s was recorded: %(answer)s.")
                % {"invitee": invitation.invitee, "answer": invitation.get_response_display()},
            )
    return redirect("meetings:meeting_detail", tenant=tenant, meeting=obj.uuid)


@role_required(COORDINATOR)
@require_POST
def attendance_save(request: HttpRequest, tenant: str, meeting: UUID) -> HttpResponse:
    obj = _coordinated_meeting(meeting)
    form = AttendanceForm(request.POST, candidates=services.attendance_candidates(obj))
    if form.is_valid():
        services.attendance_record(
            actor=request.user, meeting=obj, present=form.cleaned_data["present"]
        )
        messages.success(request, _("The attendance was saved."))
    else:
        messages.error(request, _("The attendance could not be saved."))
    return redirect("meetings:meeting_detail", tenant=tenant, meeting=obj.uuid)


@role_required(COORDINATOR)
@require_POST
def agenda_item_add(request: HttpRequest, tenant: str, meeting: UUID) -> HttpResponse:
    obj = _coordinated_meeting(meeting)
    form = AgendaItemForm(request.POST)
    if form.is_valid():
        services.agenda_item_create(actor=request.user, meeting=obj, **form.cleaned_data)
        messages.success(request, _("The agenda item was added."))
    else:
        messages.error(request, _("Give the agenda item a title."))
    return redirect("meetings:meeting_detail", tenant=tenant, meeting=obj.uuid)


@role_required(COORDINATOR)
@require_POST
def agenda_item_delete(request: HttpRequest, tenant: str, agenda_item: UUID) -> HttpResponse:
    obj = get_object_or_404(AgendaItem.objects.select_related("meeting"), uuid=agenda_item)
    services.agenda_item_delete(actor=request.user, item=obj)
    messages.success(request, _("The agenda item was removed."))
    return redirect("meetings:meeting_detail", tenant=tenant, meeting=obj.meeting.uuid)


@role_required(COORDINATOR)
@require_POST
def minutes_save(request: HttpRequest, tenant: str, meeting: UUID) -> HttpResponse:
    obj = _coordinated_meeting(meeting)
    form = MinutesForm(request.POST, instance=Minutes.objects.filter(meeting=obj).first())
    if form.is_valid():
        services.minutes_save(
            actor=request.user,
            meeting=obj,
            text=form.cleaned_data["text"],
            decisions=form.cleaned_data["decisions"],
        )
        messages.success(request, _("The minutes were saved."))
    return redirect("meetings:meeting_detail", tenant=tenant, meeting=obj.uuid)


@role_required(*READERS)
@require_GET
def minutes_pdf(request: HttpRequest, tenant: str, meeting: UUID) -> HttpResponse:
    obj = _visible_meeting(request, meeting)
    context = selectors.minutes_pdf_context(obj)
    minutes = context["detail"].minutes
    context["minutes_text"] = rendering.render_markdown(minutes.text if minutes else "")
    context["minutes_decisions"] = rendering.render_markdown(minutes.decisions if minutes else "")
    pdf = rendering.minutes_pdf(context)
    response = HttpResponse(pdf, content_type="application/pdf")
    local = obj.start.date().isoformat()
    response["Content-Disposition"] = f'inline; filename="protokoll-{local}.pdf"'
    return response


@role_required(COORDINATOR)
@require_http_methods(["GET", "POST"])
def series_create(request: HttpRequest, tenant: str) -> HttpResponse:
    form = SeriesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        body = data.pop("body")
        try:
            series = services.series_create(
                actor=request.user, local_authority=_tenant(request), body=body, **data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            planned = series.meetings.count()
            messages.success(
                request,
                ngettext(
                    "The series “%(title)s” was planned with %(count)s meeting.",
                    "The series “%(title)s” was planned with %(count)s meetings.",
                    planned,
                )
                % {"title": series.title, "count": planned},
            )
            return redirect("meetings:meeting_list", tenant=tenant)
    return render(request, "meetings/series_form.html", {"form": form})


# --- Action items -----------------------------------------------------------------------------


@role_required(*READERS)
@require_GET
def action_item_list(request: HttpRequest, tenant: str) -> HttpResponse:
    form = ActionItemFilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    # Partners see only their own action items.
    only_mine = bool(filters.get("mine")) or not ({COORDINATOR, STEERING} & _roles(request))
    items = selectors.action_item_list(
        owner=selectors.person_of(request.user),
        only_mine=only_mine,
        overdue=bool(filters.get("overdue")),
    )
    return render(request, "meetings/action_item_list.html", {"form": form, "items": items})


@role_required(COORDINATOR)
@require_http_methods(["GET", "POST"])
def action_item_create(request: HttpRequest, tenant: str) -> HttpResponse:
    initial: dict[str, Any] = {}
    meeting_id = request.GET.get("meeting", "")
    if meeting_id:
        with contextlib.suppress(ValueError):
            initial["meeting"] = Meeting.objects.filter(uuid=UUID(meeting_id)).first()
    form = ActionItemForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.action_item_create(
                actor=request.user, local_authority=_tenant(request), **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The action item was created."))
            if item.meeting is not None:
                return redirect("meetings:meeting_detail", tenant=tenant, meeting=item.meeting.uuid)
            return redirect("meetings:action_item_list", tenant=tenant)
    return render(request, "meetings/action_item_form.html", {"form": form, "item": None})


@role_required(COORDINATOR)
@require_http_methods(["GET", "POST"])
def action_item_edit(request: HttpRequest, tenant: str, item: UUID) -> HttpResponse:
    obj = get_object_or_404(ActionItem, uuid=item)
    form = ActionItemForm(request.POST or None, instance=copy.copy(obj))
    if request.method == "POST" and form.is_valid():
        try:
            services.action_item_update(actor=request.user, item=obj, data=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("meetings:action_item_list", tenant=tenant)
    return render(request, "meetings/action_item_form.html", {"form": form, "item": obj})


@role_required(COORDINATOR)
@require_POST
def action_item_status(request: HttpRequest, tenant: str, item: UUID) -> HttpResponse:
    obj = get_object_or_404(ActionItem, uuid=item)
    form = StatusForm(request.POST)
    if form.is_valid():
        services.action_item_set_status(
            actor=request.user, item=obj, status=form.cleaned_data["status"]
        )
        messages.success(request, _("The status was changed."))
    return redirect("meetings:action_item_list", tenant=tenant)


# --- Needs ------------------------------------------------------------------------------------


@role_required(COORDINATOR, STEERING)
@require_GET
def need_list(request: HttpRequest, tenant: str) -> HttpResponse:
    form = NeedFilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    needs = selectors.need_list(
        area=filters.get("area"),
        life_phase=filters.get("life_phase"),
        status=filters.get("status") or "",
    )
    by_area, by_phase = selectors.need_tallies()
    return render(
        request,
        "meetings/need_list.html",
        {"form": form, "needs": needs, "by_area": by_area, "by_phase": by_phase},
    )


@role_required(COORDINATOR)
@require_http_methods(["GET", "POST"])
def need_create(request: HttpRequest, tenant: str) -> HttpResponse:
    form = NeedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.need_create(
                actor=request.user, local_authority=_tenant(request), **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The need was recorded."))
            return redirect("meetings:need_list", tenant=tenant)
    return render(request, "meetings/need_form.html", {"form": form, "need": None})


@role_required(COORDINATOR)
@require_http_methods(["GET", "POST"])
def need_edit(request: HttpRequest, tenant: str, need: UUID) -> HttpResponse:
    obj = get_object_or_404(Need, uuid=need)
    form = NeedForm(request.POST or None, instance=copy.copy(obj))
    if request.method == "POST" and form.is_valid():
        try:
            services.need_update(actor=request.user, need=obj, data=form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("meetings:need_list", tenant=tenant)
    return render(request, "meetings/need_form.html", {"form": form, "need": obj})


@role_required(COORDINATOR)
@require_POST
def need_delete(request: HttpRequest, tenant: str, need: UUID) -> HttpResponse:
    obj = get_object_or_404(Need, uuid=need)
    services.need_delete(actor=request.user, need=obj)
    messages.success(request, _("The need was deleted."))
    return redirect("meetings:need_list", tenant=tenant)


# --- Personal calendar feed -------------------------------------------------------------------


@role_required(*READERS)
@require_http_methods(["GET", "POST"])
def calendar_feed(request: HttpRequest, tenant: str) -> HttpResponse:
    """Shows the user's feed link; a POST gives it a new secret."""
    if request.method == "POST":
        feed = services.calendar_feed_regenerate(
            user=request.user,  # type: ignore[arg-type]
            local_authority=_tenant(request),
        )
        messages.success(request, _("Your calendar link was renewed; the old one stopped working."))
        return redirect("meetings:calendar_feed", tenant=tenant)
    feed = services.calendar_feed_get_or_create(
        user=request.user,  # type: ignore[arg-type]
        local_authority=_tenant(request),
    )
    url = request.build_absolute_uri(f"/m/feed/{feed.token}.ics")
    return render(request, "meetings/calendar_feed.html", {"feed_url": url})


# --- Public token views (no login, no tenant in the URL) --------------------------------------


def _invitation_by_token(token: str) -> Invitation:
    with scopes_disabled():
        invitation = (
            Invitation.objects.select_related("local_authority").filter(token=token).first()
        )
    if invitation is None:
        raise Http404(_("This reply link is unknown or no longer valid."))
    return invitation


@require_http_methods(["GET", "POST"])
def rsvp(request: HttpRequest, token: str) -> HttpResponse:
    """An invitee answers yes, no or maybe through the link in their invitation."""
    found = _invitation_by_token(token)
    with scope(local_authority=found.local_authority):
        invitation = get_object_or_404(
            Invitation.objects.select_related("meeting", "meeting__body", "person", "organisation"),
            pk=found.pk,
        )
        form = RsvpForm(request.POST or None)
        error = ""
        if request.method == "POST":
            if form.is_valid():
                try:
                    services.rsvp_answer(
                        invitation=invitation, response=form.cleaned_data["response"]
                    )
                except ValidationError as refused:
                    error = " ".join(refused.messages)
                else:
                    messages.success(request, _("Thank you, your answer was saved."))
                    return redirect("meetings_public:rsvp", token=token)
            else:
                error = _("Choose yes, no or maybe.")
        return render(
            request,
            "meetings/rsvp.html",
            {
                "invitation": invitation,
                "meeting": invitation.meeting,
                "public_tenant": found.local_authority,
                "error": error,
            },
            status=400 if error else 200,
        )


@require_GET
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """A user's personal calendar feed (iCalendar), found by its secret token."""
    with scopes_disabled():
        found = (
            CalendarFeed.objects.select_related("local_authority", "user")
            .filter(token=token, user__is_active=True)
            .first()
        )
    if found is None:
        raise Http404(_("This calendar link is unknown or no longer valid."))
    with scope(local_authority=found.local_authority):
        # A user who no longer holds a role in the tenant loses the feed with it.
        if not Role.objects.filter(user=found.user).exists():
            raise Http404(_("This calendar link is unknown or no longer valid."))
        meetings = selectors.feed_meetings(found)
        body = feed_ics(meetings, name=f"Knotenpunkt – {found.local_authority.name}")
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="knotenpunkt.ics"'
    return response
