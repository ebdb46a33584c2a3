"""Writes for the directory of offers. Each one is atomic and audited; e-mails leave on commit.

Coordinators edit offers directly (optimistic locking through ``Service.version``, like the
partner register). Network partners propose changes to their own organisations' offers as
:class:`~knotenpunkt.directory.models.ServiceRevision`\\ s; a coordinator approves (the change
is applied) or rejects them. Every applied version is kept as an approved revision, so an offer's
history is complete whoever changed it.

Freshness: a person verifies an offer (``last_verified_at``); reminders go out once per period
with a one-click link (a signed token, :func:`verification_token`) that verifies without login.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings as django_settings
from django.core import signing
from django.core.cache import cache
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_scopes import scope

from knotenpunkt.core import audit
from knotenpunkt.core.audit import Actor
from knotenpunkt.core.models import AuditEntry, LocalAuthority, Role, User
from knotenpunkt.core.services import ServiceError, model_update
from knotenpunkt.directory import revisions, selectors
from knotenpunkt.directory.models import (
    DirectorySettings,
    ErrorReport,
    Service,
    ServiceRevision,
    TaxonomyTerm,
)
from knotenpunkt.partners.models import Organisation, Person
from knotenpunkt.partners.selectors import own_organisation_ids
from knotenpunkt.partners.services import stale_error

#: The salt of the one-click verification links (kept apart from every other signature).
VERIFY_SALT = "knotenpunkt.directory.verify-offer"
#: How long a verification link works.
VERIFY_LINK_MAX_AGE = datetime.timedelta(days=60)
#: Error reports from one address within :data:`ERROR_REPORT_WINDOW` seconds.
ERROR_REPORT_LIMIT = 5
ERROR_REPORT_WINDOW = 60 * 60
ERROR_REPORT_MIN_LENGTH = 10
ERROR_REPORT_MAX_LENGTH = 2000
SETTINGS_FIELDS = ["verify_interval_months", "hide_after_months", "publisher_email"]


def _user(actor: Actor) -> User | None:
    return actor if isinstance(actor, User) else None


def is_coordinator(actor: Actor) -> bool:
    """Whether ``actor`` is a coordinator of the current tenant."""
    user = _user(actor)
    return user is not None and Role.objects.filter(user=user, kind=Role.Kind.COORDINATOR).exists()


def may_act_for(actor: Actor, organisation: Organisation) -> bool:
    """Coordinators act for every organisation; a partner for those of their current
    affiliations."""
    return is_coordinator(actor) or organisation.pk in own_organisation_ids(actor)


def _require_own(actor: Actor, organisation: Organisation) -> None:
    if not may_act_for(actor, organisation):
        raise ServiceError(
            _("You can only change offers of your own organisation."), code="not_own"
        )


def _check_tenant(tenant_id: int, *objects: Any) -> None:
    for obj in objects:
        if obj is not None and obj.local_authority_id != tenant_id:
            raise ServiceError(_("A chosen entry belongs to another local authority."))


def validate_snapshot(data: Mapping[str, Any], organisation: Organisation) -> dict[str, Any]:
    """The normalised snapshot, checked as the offer would be saved; refusals as errors.

    Lets a proposal be refused when it is made, not only when a coordinator approves it.
    """
    data = revisions.normalise(data)
    if not data["name"]:
        raise ServiceError(_("Give the offer a name."), code="name")
    revisions.resolve_references(data)
    probe = Service(
        local_authority_id=organisation.local_authority_id,
        organisation=organisation,
        **{name: data[name] for name in revisions.SCALAR_FIELDS},
    )
    probe.full_clean(exclude=["uuid", "organisation", "program", "responsible"])
    return data


def _history(
    *,
    service: Service,
    data: Mapping[str, Any],
    actor: Actor,
    base_version: int | None,
    comment: str = "",
) -> ServiceRevision:
    """Records an applied version as an approved revision (the offer's history)."""
    now = timezone.now()
    revision = ServiceRevision.objects.create(
        local_authority_id=service.local_authority_id,
        service=service,
        organisation_id=service.organisation_id,
        status=ServiceRevision.Status.APPROVED,
        data=dict(data),
        base_version=base_version,
        proposed_by=_user(actor),
        proposed_at=now,
        comment=comment,
        reviewed_by=_user(actor),
        reviewed_at=now,
    )
    return revision


def _readable(changes: Mapping[str, list[Any]]) -> dict[str, list[Any]]:
    """The snapshot differences with topics and the responsible person by name, not id."""
    result = dict(changes)
    if "topics" in result:
        old, new = result["topics"]
        names = {
            str(uuid): name
            for uuid, name in TaxonomyTerm.objects.filter(uuid__in=[*old, *new]).values_list(
                "uuid", "name"
            )
        }
        result["topics"] = [
            sorted(names.get(item, item) for item in old),
            sorted(names.get(item, item) for item in new),
        ]
    if "responsible" in result:
        wanted = [item for item in result["responsible"] if item]
        people = {str(p.uuid): p.full_name for p in Person.objects.filter(uuid__in=wanted)}
        result["responsible"] = [
            people.get(item, item) if item else None for item in result["responsible"]
        ]
    return result


def _log_changes(
    *, actor: Actor, service: Service, action: str, changes: Mapping[str, list[Any]]
) -> None:
    """Logs an offer's changes; lists (topics, life phases, languages) as whole lists."""
    audit.record(actor=actor, action=action, instance=service, changes=_readable(changes))


# --- Coordinators edit offers -----------------------------------------------------------------


def service_create(*, actor: Actor, organisation: Organisation, data: Mapping[str, Any]) -> Service:
    """Creates an offer of ``organisation`` from a snapshot; the creator verifies it.

    Entering an offer is checking it, so it starts fresh (``last_verified_at`` now).
    """
    data = validate_snapshot(data, organisation)
    user = _user(actor)
    now = timezone.now()
    with transaction.atomic():
        service = Service(
            local_authority_id=organisation.local_authority_id,
            organisation=organisation,
            created_at=now,
            last_verified_at=now,
            verified_by=user,
            assurer_email=user.email if user else "",
        )
        revisions.apply_snapshot(service, data)
        changes = revisions.diff(revisions.empty_snapshot(), data)
        _log_changes(actor=actor, service=service, action=AuditEntry.Action.CREATE, changes=changes)
        _history(service=service, data=data, actor=actor, base_version=None)
    return service


def service_update(
    *, actor: Actor, service: Service, data: Mapping[str, Any], expected_version: int
) -> tuple[Service, bool]:
    """Changes an offer loaded at ``expected_version``; refuses if someone saved in between.

    Returns the offer and whether anything changed. Editing is not verifying: the "last
    verified" date stays as it was.
    """
    data = validate_snapshot(data, service.organisation)
    changes = revisions.diff(revisions.editable_snapshot(service), data)
    if not changes:
        return service, False
    with transaction.atomic():
        claimed = Service.objects.filter(pk=service.pk, version=expected_version).update(
            version=F("version") + 1, updated_at=timezone.now()
        )
        if not claimed:
            raise stale_error()
        service.version = expected_version + 1
        revisions.apply_snapshot(service, data)
        _log_changes(actor=actor, service=service, action=AuditEntry.Action.UPDATE, changes=changes)
        _history(service=service, data=data, actor=actor, base_version=expected_version)
    return service, True


# --- Partners propose, coordinators review ----------------------------------------------------


def _coordinator_emails(tenant_id: int) -> list[str]:
    return sorted(
        {
            email
            for email in Role.objects.filter(
                local_authority_id=tenant_id,
                kind=Role.Kind.COORDINATOR,
                user__is_active=True,
            ).values_list("user__email", flat=True)
            if email
        }
    )


def _notify_coordinators(revision: ServiceRevision, url_base: str) -> None:
    if not getattr(django_settings, "DIRECTORY_NOTIFY_COORDINATORS", True):
        return
    recipients = _coordinator_emails(revision.local_authority_id)
    if not recipients:
        return
    language = translation.get_language()
    tenant = revision.local_authority

    def send() -> None:
        with translation.override(language):
            url = _absolute(
                url_base,
                reverse(
                    "directory:revision_detail",
                    kwargs={"tenant": tenant.slug, "revision": revision.uuid},
                ),
            )
            EmailMessage(
                subject=_("Offer change to review: %(name)s") % {"name": revision.data["name"]},
                body=render_to_string(
                    "directory/email/revision_proposed.txt",
                    {"revision": revision, "tenant": tenant, "url": url},
                ),
                to=recipients,
            ).send()

    transaction.on_commit(send)


def _notify_proposer(revision: ServiceRevision, url_base: str) -> None:
    proposer = revision.proposed_by
    if proposer is None or not proposer.email or proposer == revision.reviewed_by:
        return
    language = translation.get_language()
    tenant = revision.local_authority

    def send() -> None:
        with translation.override(language):
            url = _absolute(
                url_base,
                reverse("directory:my_revisions", kwargs={"tenant": tenant.slug}),
            )
            if revision.status == ServiceRevision.Status.APPROVED:
                subject = _("Your change was approved: %(name)s")
            else:
                subject = _("Your change was not accepted: %(name)s")
            EmailMessage(
                subject=subject % {"name": revision.data["name"]},
                body=render_to_string(
                    "directory/email/revision_decided.txt",
                    {"revision": revision, "tenant": tenant, "url": url},
                ),
                to=[proposer.email],
            ).send()

    transaction.on_commit(send)


def revision_propose(
    *,
    actor: Actor,
    service: Service,
    data: Mapping[str, Any],
    comment: str = "",
    url_base: str = "",
) -> ServiceRevision:
    """A partner proposes a change to an offer of their own organisation.

    Nothing is applied: the proposal waits in the coordinators' review queue (they are told by
    e-mail). It remembers the offer's version, so a reviewer sees when the offer changed since.
    """
    _require_own(actor, service.organisation)
    data = validate_snapshot(data, service.organisation)
    if not revisions.diff(revisions.editable_snapshot(service), data):
        raise ServiceError(_("You did not change anything."), code="unchanged")
    with transaction.atomic():
        revision = ServiceRevision.objects.create(
            local_authority_id=service.local_authority_id,
            service=service,
            organisation_id=service.organisation_id,
            data=data,
            base_version=service.version,
            proposed_by=_user(actor),
            comment=comment.strip(),
        )
        audit.log_create(actor=actor, instance=revision)
        _notify_coordinators(revision, url_base)
    return revision


def revision_propose_new(
    *,
    actor: Actor,
    organisation: Organisation,
    data: Mapping[str, Any],
    comment: str = "",
    url_base: str = "",
) -> ServiceRevision:
    """A partner proposes a new offer of their own organisation (created once approved)."""
    _require_own(actor, organisation)
    data = validate_snapshot(data, organisation)
    with transaction.atomic():
        revision = ServiceRevision.objects.create(
            local_authority_id=organisation.local_authority_id,
            organisation=organisation,
            data=data,
            proposed_by=_user(actor),
            comment=comment.strip(),
        )
        audit.log_create(actor=actor, instance=revision)
        _notify_coordinators(revision, url_base)
    return revision


def _lock_pending(revision: ServiceRevision) -> ServiceRevision:
    locked = ServiceRevision.objects.select_for_update().get(pk=revision.pk)
    if locked.status != ServiceRevision.Status.PENDING:
        raise ServiceError(
            _("This proposal was decided already (%(status)s).")
            % {"status": locked.get_status_display()},
            code="decided",
        )
    return locked


def _decide(
    revision: ServiceRevision, locked: ServiceRevision, *, actor: Actor, status: str, note: str
) -> None:
    before = audit.snapshot(locked, ["status", "reviewed_by", "reviewed_at", "review_note"])
    locked.status = status
    locked.reviewed_by = _user(actor)
    locked.reviewed_at = timezone.now()
    locked.review_note = note.strip()
    locked.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note", "data"])
    audit.log_update(actor=actor, instance=locked, before=before)
    for name in ("status", "reviewed_by", "reviewed_at", "review_note", "data", "service"):
        setattr(revision, name, getattr(locked, name))


def revision_approve(
    *,
    actor: Actor,
    revision: ServiceRevision,
    note: str = "",
    keys: Collection[str] | None = None,
    url_base: str = "",
) -> Service:
    """Applies a pending proposal; the offer's version goes up and the revision is history.

    A proposal made against an older version is still approvable: it is applied over the
    current data, so the review shows it against the current data. ``keys`` (top-level snapshot
    keys, see :data:`knotenpunkt.directory.revisions.KEYS`) applies only those parts and keeps
    the current values of the rest; the revision then records what was applied. A proposed new
    offer is created, verified at approval.
    """
    if not is_coordinator(actor):
        raise ServiceError(_("Only coordinators approve changes."), code="not_coordinator")
    with transaction.atomic():
        locked = _lock_pending(revision)
        organisation = locked.organisation
        service = locked.service
        current = revisions.editable_snapshot(service) if service else revisions.empty_snapshot()
        proposed = revisions.normalise(locked.data)
        wanted = set(revisions.KEYS if keys is None else keys)
        applied = {key: proposed[key] if key in wanted else current[key] for key in revisions.KEYS}
        applied = validate_snapshot(applied, organisation)
        if service is None:
            # The proposer checked the content, the coordinator approved it: it starts fresh.
            verifier = locked.proposed_by or _user(actor)
            now = timezone.now()
            service = Service(
                local_authority_id=organisation.local_authority_id,
                organisation=organisation,
                created_at=now,
                last_verified_at=now,
                verified_by=verifier,
                assurer_email=verifier.email if verifier else "",
            )
            revisions.apply_snapshot(service, applied)
            _log_changes(
                actor=actor,
                service=service,
                action=AuditEntry.Action.CREATE,
                changes=revisions.diff(revisions.empty_snapshot(), applied),
            )
            locked.service = service
            locked.save(update_fields=["service"])
        else:
            changes = revisions.diff(current, applied)
            Service.objects.filter(pk=service.pk).update(
                version=F("version") + 1, updated_at=timezone.now()
            )
            service.refresh_from_db(fields=["version"])
            revisions.apply_snapshot(service, applied)
            _log_changes(
                actor=actor, service=service, action=AuditEntry.Action.UPDATE, changes=changes
            )
        locked.data = applied
        _decide(revision, locked, actor=actor, status=ServiceRevision.Status.APPROVED, note=note)
        _notify_proposer(locked, url_base)
    return service


def revision_reject(
    *, actor: Actor, revision: ServiceRevision, note: str = "", url_base: str = ""
) -> ServiceRevision:
    """Rejects a pending proposal; the partner is told by e-mail, with the note."""
    if not is_coordinator(actor):
        raise ServiceError(_("Only coordinators reject changes."), code="not_coordinator")
    with transaction.atomic():
        locked = _lock_pending(revision)
        _decide(revision, locked, actor=actor, status=ServiceRevision.Status.REJECTED, note=note)
        _notify_proposer(locked, url_base)
    return revision


def revision_withdraw(*, actor: Actor, revision: ServiceRevision) -> ServiceRevision:
    """The proposer takes back a pending proposal."""
    user = _user(actor)
    if user is None or revision.proposed_by_id != user.pk:
        raise ServiceError(_("Only who proposed a change can withdraw it."), code="not_proposer")
    with transaction.atomic():
        locked = _lock_pending(revision)
        _decide(revision, locked, actor=actor, status=ServiceRevision.Status.WITHDRAWN, note="")
    return revision


# --- Verification -----------------------------------------------------------------------------


def _mark_verified(*, actor: Actor, service: Service, email: str) -> Service:
    fields = ["last_verified_at", "verified_by", "assurer_email", "reminder_sent_at"]
    before = audit.snapshot(service, fields)
    service.last_verified_at = timezone.now()
    service.verified_by = _user(actor)
    service.assurer_email = email
    service.reminder_sent_at = None
    with transaction.atomic():
        service.save(update_fields=fields)
        audit.log_update(actor=actor, instance=service, before=before)
    return service


def service_verify(*, actor: Actor, service: Service) -> Service:
    """A person confirms that the offer is still correct: it is fresh again, reminder cleared."""
    _require_own(actor, service.organisation)
    user = _user(actor)
    return _mark_verified(actor=actor, service=service, email=user.email if user else "")


def _verified_stamp(service: Service) -> str:
    if service.last_verified_at is None:
        return ""
    return service.last_verified_at.astimezone(datetime.UTC).isoformat()


def verification_token(service: Service) -> str:
    """The one-click "still correct" token of ``service``, for the reminder e-mail.

    Signed (with the project's secret and :data:`VERIFY_SALT`) and time-stamped; it names the
    tenant, the offer and when it was last verified, so that it stops working once used (or
    once anyone verified the offer since) and after :data:`VERIFY_LINK_MAX_AGE`.
    """
    payload = {
        "t": service.local_authority.slug,
        "s": str(service.uuid),
        "v": _verified_stamp(service),
    }
    return signing.TimestampSigner(salt=VERIFY_SALT).sign_object(payload, compress=True)


def _token_payload(token: str) -> dict[str, str]:
    try:
        payload = signing.TimestampSigner(salt=VERIFY_SALT).unsign_object(
            token, max_age=VERIFY_LINK_MAX_AGE
        )
    except signing.SignatureExpired as error:
        raise ServiceError(
            _(
                "This link has expired. Please log in to confirm the offer, or ask the "
                "coordination office for a new link."
            ),
            code="expired",
        ) from error
    except (signing.BadSignature, ValueError) as error:
        raise ServiceError(
            _("This link is not valid. Please copy the whole link from the e-mail."),
            code="invalid",
        ) from error
    if not isinstance(payload, dict) or not {"t", "s", "v"} <= payload.keys():
        raise ServiceError(_("This link is not valid."), code="invalid")
    return payload


def check_verification_token(*, token: str, tenant: LocalAuthority) -> Service:
    """The offer a verification link stands for, without changing anything (the landing page).

    Run inside ``tenant``'s scope. Refuses expired, tampered, other tenants', unknown and used
    links, each with its own message and code (expired, invalid, unknown, used).
    """
    payload = _token_payload(token)
    if payload["t"] != tenant.slug:
        raise ServiceError(_("This link is not valid here."), code="invalid")
    service = (
        Service.objects.select_related("organisation", "local_authority", "responsible")
        .filter(uuid=payload["s"])
        .exclude(status=Service.Status.DEFUNCT)
        .first()
    )
    if service is None:
        raise ServiceError(_("This offer no longer exists in the directory."), code="unknown")
    if payload["v"] != _verified_stamp(service):
        raise ServiceError(
            _(
                "This link was used already, or someone confirmed the offer since. "
                "Nothing more to do, thank you."
            ),
            code="used",
        )
    return service


def service_verify_by_token(*, token: str, tenant: LocalAuthority | None = None) -> Service:
    """Verifies the offer of a one-click link (no login); the link works once.

    ``tenant`` (the public guide the link was opened in) must be the token's; without it the
    token's own tenant is used. The reminder's recipient is recorded as who verified.
    """
    payload = _token_payload(token)
    if tenant is None:
        tenant = LocalAuthority.objects.filter(slug=payload["t"]).first()
        if tenant is None:
            raise ServiceError(_("This link is not valid."), code="invalid")
    with scope(local_authority=tenant), transaction.atomic():
        service = check_verification_token(token=token, tenant=tenant)
        locked = Service.objects.select_for_update().get(pk=service.pk)
        if _verified_stamp(locked) != payload["v"]:
            raise ServiceError(_("This link was used already."), code="used")
        return _mark_verified(actor=None, service=service, email=reminder_recipient(service))


# --- Reminders --------------------------------------------------------------------------------


def reminder_recipient(service: Service) -> str:
    """Where the reminder for ``service`` goes: the responsible person, else the offer's
    e-mail, else the organisation's; empty if none is known."""
    person = service.responsible
    if person is not None and not person.is_erased and person.email:
        return person.email
    return service.email or service.organisation.email or ""


def _absolute(url_base: str, path: str) -> str:
    return url_base.rstrip("/") + path


def default_url_base() -> str:
    """The site's address for links in e-mails sent outside a request (``SITE_URL``)."""
    return str(getattr(django_settings, "SITE_URL", "") or "http://localhost:8000")


@dataclass(frozen=True)
class ReminderResult:
    """What a reminder run did: e-mails sent, offers reminded, offers without any address."""

    emails: int
    services: int
    without_address: int


def reminder_candidates(
    tenant: LocalAuthority, now: datetime.datetime | None = None
) -> list[Service]:
    """Offers due (or worse) and not reminded in the current period, with what the e-mail needs.

    A period starts when the offer was last verified (or created): a reminder sent before that
    belongs to an earlier period. Ended offers are never reminded.
    """
    limits = selectors.current_cutoffs(selectors.directory_settings(tenant), now)
    return list(
        Service.objects.filter(local_authority=tenant)
        .exclude(selectors.ENDED)
        .filter(selectors.reached(limits.due))
        .filter(
            Q(reminder_sent_at__isnull=True)
            | Q(reminder_sent_at__lt=Coalesce(F("last_verified_at"), F("created_at")))
        )
        .select_related("organisation", "responsible", "local_authority")
        .order_by("organisation__name", "name")
    )


def send_verification_reminders(
    *, tenant: LocalAuthority, now: datetime.datetime | None = None, url_base: str = ""
) -> ReminderResult:
    """E-mails whoever is responsible for offers that are due, once per due period.

    One e-mail per recipient lists their due offers, each with a one-click "still correct" link
    and a link to propose changes (plain text and HTML, in the site's language). Marks the
    offers as reminded; offers without any address are counted and left for the next run.
    """
    now = now or timezone.now()
    url_base = url_base or default_url_base()
    with scope(local_authority=tenant):
        candidates = reminder_candidates(tenant, now)
        by_recipient: dict[str, list[Service]] = {}
        without_address = 0
        for service in candidates:
            recipient = reminder_recipient(service)
            if recipient:
                by_recipient.setdefault(recipient.lower(), []).append(service)
            else:
                without_address += 1
        reminded = [service for services in by_recipient.values() for service in services]
        settings = selectors.directory_settings(tenant)
        with transaction.atomic():
            Service.objects.filter(pk__in=[service.pk for service in reminded]).update(
                reminder_sent_at=now
            )
            for service in reminded:
                audit.record(
                    actor=None,
                    action=AuditEntry.Action.UPDATE,
                    instance=service,
                    changes={"reminder_sent_at": [None, now.isoformat()]},
                )
            mails = [
                _reminder_mail(
                    tenant=tenant,
                    recipient=recipient,
                    services=services,
                    settings=settings,
                    url_base=url_base,
                )
                for recipient, services in by_recipient.items()
            ]

            def send() -> None:
                for mail in mails:
                    mail.send()

            transaction.on_commit(send)
    return ReminderResult(
        emails=len(by_recipient), services=len(reminded), without_address=without_address
    )


def _reminder_mail(
    *,
    tenant: LocalAuthority,
    recipient: str,
    services: list[Service],
    settings: DirectorySettings,
    url_base: str,
) -> EmailMultiAlternatives:
    items = [
        {
            "service": service,
            "verify_url": _absolute(
                url_base,
                reverse(
                    "guide:verify",
                    kwargs={"guide": tenant.slug, "token": verification_token(service)},
                ),
            ),
            "propose_url": _absolute(
                url_base,
                reverse(
                    "directory:revision_propose",
                    kwargs={"tenant": tenant.slug, "service": service.uuid},
                ),
            ),
        }
        for service in services
    ]
    with translation.override(django_settings.LANGUAGE_CODE):
        context = {
            "tenant": tenant,
            "items": items,
            "settings": settings,
            "max_age_days": VERIFY_LINK_MAX_AGE.days,
        }
        subject = (
            _("Is your offer still correct? %(name)s") % {"name": services[0].name}
            if len(services) == 1
            else _("Are your %(count)d offers still correct?") % {"count": len(services)}
        )
        mail = EmailMultiAlternatives(
            subject=subject,
            body=render_to_string("directory/email/reminder.txt", context),
            to=[recipient],
        )
        mail.attach_alternative(
            render_to_string("directory/email/reminder.html", context), "text/html"
        )
    return mail


# --- Error reports from the public ------------------------------------------------------------


def _rate_key(ip: str) -> str:
    # Only a keyed hash of the address lives in the cache, for an hour; nothing is stored.
    digest = hashlib.sha256(f"{django_settings.SECRET_KEY}:{ip}".encode()).hexdigest()
    return f"directory:error-report:{digest[:40]}"


def error_report_create(
    *, service: Service, message: str, ip: str, honeypot: str = ""
) -> ErrorReport | None:
    """Records a member of the public's report that an offer is wrong; no personal data kept.

    Refuses messages shorter than :data:`ERROR_REPORT_MIN_LENGTH` or longer than
    :data:`ERROR_REPORT_MAX_LENGTH` characters, and more than :data:`ERROR_REPORT_LIMIT` reports
    an hour from one address (counted in the cache under a keyed hash; the address itself is
    never stored). A filled honeypot field (a bot) is silently dropped: returns ``None``.
    """
    if honeypot.strip():
        return None
    text = message.strip()
    if len(text) < ERROR_REPORT_MIN_LENGTH:
        raise ServiceError(
            _("Please describe in a few words what is wrong (at least %(count)d characters).")
            % {"count": ERROR_REPORT_MIN_LENGTH},
            code="too_short",
        )
    if len(text) > ERROR_REPORT_MAX_LENGTH:
        raise ServiceError(
            _("Please keep it shorter (at most %(count)d characters).")
            % {"count": ERROR_REPORT_MAX_LENGTH},
            code="too_long",
        )
    key = _rate_key(ip)
    if int(cache.get(key, 0)) >= ERROR_REPORT_LIMIT:
        raise ServiceError(
            _("Thank you, we received several reports from you already. Please try again later."),
            code="rate_limited",
        )
    with transaction.atomic():
        report = ErrorReport.objects.create(
            local_authority_id=service.local_authority_id, service=service, message=text
        )
        audit.log_create(actor=None, instance=report)
    if not cache.add(key, 1, timeout=ERROR_REPORT_WINDOW):
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=ERROR_REPORT_WINDOW)
    return report


def error_report_resolve(*, actor: Actor, report: ErrorReport, status: str) -> ErrorReport:
    """Marks an error report as corrected or dismissed (or open again)."""
    if status not in ErrorReport.Status.values:
        raise ServiceError(_("Unknown status."))
    fields = ["status", "handled_by", "handled_at"]
    before = audit.snapshot(report, fields)
    report.status = status
    if status == ErrorReport.Status.OPEN:
        report.handled_by, report.handled_at = None, None
    else:
        report.handled_by, report.handled_at = _user(actor), timezone.now()
    with transaction.atomic():
        report.save(update_fields=fields)
        audit.log_update(actor=actor, instance=report, before=before)
    return report


# --- Settings ---------------------------------------------------------------------------------


def directory_settings_update(
    *, actor: Actor, settings: DirectorySettings, data: Mapping[str, Any]
) -> tuple[DirectorySettings, bool]:
    """Changes how often offers are verified and when unverified ones are hidden."""
    interval = data.get("verify_interval_months", settings.verify_interval_months)
    hide = data.get("hide_after_months", settings.hide_after_months)
    if hide <= interval:
        raise ServiceError(
            _("Offers can only be hidden after the reminder: choose more months for hiding."),
            code="order",
        )
    return model_update(actor=actor, instance=settings, data=data, fields=SETTINGS_FIELDS)
