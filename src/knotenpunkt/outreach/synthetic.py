"""Synthetic contacts: a few per organisation over the last two years, some with follow-ups.

Runs after the partner register (100) and the structure (200). Written with ``bulk_create``;
about a fifth of the organisations get no contact at all, so that "never contacted" is realistic.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.utils import timezone

from knotenpunkt.core.models import Role
from knotenpunkt.core.synthetic import BATCH_SIZE, GenerationContext, generator_step
from knotenpunkt.outreach.models import Contact
from knotenpunkt.partners.models import Affiliation, Organisation

NEEDS = [
    "Räume für eine Sprechstunde",
    "Fortbildung zum Kinderschutz",
    "Kontakt zu den Familienhebammen",
    "Übersetzte Informationen für Eltern",
    "Fahrdienst für Familien aus den Dörfern",
    "Mehr Beratungszeit vor Ort",
]
TOPICS = [
    "Sprachförderung",
    "Medienprävention",
    "Übergang Kita–Schule",
    "Alleinerziehende",
    "Stillförderung",
    "Mobilität",
]
EXPECTATIONS = [
    "Regelmäßige Informationen über Angebote",
    "Einladung in die passende AG",
    "Hilfe beim Förderantrag",
    "Ein gemeinsamer Elternabend",
]
KINDS = [
    Contact.Kind.VISIT,
    Contact.Kind.VISIT,
    Contact.Kind.CALL,
    Contact.Kind.EVENT,
    Contact.Kind.EMAIL,
    Contact.Kind.VIDEO,
]


@generator_step(order=300)
def create_contacts(ctx: GenerationContext) -> None:
    """0–4 contacts per organisation within two years, a third with the organisation's people."""
    tenant_ids = [tenant.pk for tenant in ctx.tenants]
    today = timezone.localdate()
    coordinators: dict[int, int] = {}
    for tenant_id, user_id in (
        Role.objects.filter(local_authority_id__in=tenant_ids, kind=Role.Kind.COORDINATOR)
        .order_by("pk")
        .values_list("local_authority_id", "user_id")
    ):
        coordinators.setdefault(tenant_id, user_id)
    people: defaultdict[int, list[int]] = defaultdict(list)
    for organisation_id, person_id in (
        Affiliation.objects.filter(local_authority_id__in=tenant_ids, end__isnull=True)
        .order_by("pk")
        .values_list("organisation_id", "person_id")
    ):
        people[organisation_id].append(person_id)
    contacts: list[Contact] = []
    for organisation_id, tenant_id in (
        Organisation.objects.filter(local_authority_id__in=tenant_ids)
        .order_by("pk")
        .values_list("pk", "local_authority_id")
    ):
        rng = ctx.rng
        count = rng.choice([0, 1, 1, 2, 3, 4])
        for _ in range(count):
            day = today - datetime.timedelta(days=rng.randint(0, 730))
            staff = people.get(organisation_id, [])
            contact_person = rng.choice(staff) if staff and rng.random() < 0.35 else None
            follow_up = (
                day + datetime.timedelta(days=rng.randint(7, 60)) if rng.random() < 0.3 else None
            )
            contacts.append(
                Contact(
                    local_authority_id=tenant_id,
                    organisation_id=organisation_id,
                    person_id=contact_person,
                    kind=rng.choice(KINDS),
                    date=day,
                    who_id=coordinators.get(tenant_id),
                    support_needed=rng.choice(NEEDS),
                    topics_of_concern=rng.choice(TOPICS),
                    expectations=rng.choice(EXPECTATIONS),
                    topic_tags=rng.choice(TOPICS),
                    follow_up_on=follow_up,
                    follow_up_done=follow_up is not None
                    and follow_up < today - datetime.timedelta(days=30),
                )
            )
    Contact.objects.bulk_create(contacts, batch_size=BATCH_SIZE)
    ctx.counts["contacts"] += len(contacts)
