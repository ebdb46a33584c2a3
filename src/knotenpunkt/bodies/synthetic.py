"""Synthetic structures: per tenant a network, a steering group and working groups with members.

Runs after the partner register's step (order 100), so that members can be drawn from the
tenant's synthetic people and organisations. Everything is written with ``bulk_create``.
"""

from __future__ import annotations

from collections import defaultdict

from knotenpunkt.bodies.models import Body, BodyKind, BodyRelation, Membership, Programme
from knotenpunkt.bodies.tenant_defaults import default_kinds
from knotenpunkt.core.synthetic import BATCH_SIZE, GenerationContext, generator_step
from knotenpunkt.partners.models import Organisation, Person

WORKING_GROUP_TOPICS = [
    "AG 0–3 Jahre",
    "AG Übergang Kita–Schule",
    "AG Schwangerschaft und Geburt",
    "AG Medienprävention",
    "AG Stillförderung",
    "AG Kinderschutz",
    "AG Familienbildung",
    "AG Sprachförderung",
    "AG Alleinerziehende",
    "AG Gesundheit im Quartier",
]


@generator_step(order=200)
def create_structure(ctx: GenerationContext) -> None:
    """Kinds of body, a network with a steering group and 3–6 working groups per tenant,
    relations, one federal programme, and memberships of the tenant's people and organisations."""
    tenant_ids = [tenant.pk for tenant in ctx.tenants]
    existing = {
        (kind.local_authority_id, kind.name): kind
        for kind in BodyKind.objects.filter(local_authority_id__in=tenant_ids)
    }
    new_kinds = [
        kind
        for tenant in ctx.tenants
        for kind in default_kinds(tenant)
        if (tenant.pk, kind.name) not in existing
    ]
    BodyKind.objects.bulk_create(new_kinds, batch_size=BATCH_SIZE)
    kinds = {**existing, **{(k.local_authority_id, k.name): k for k in new_kinds}}
    ctx.counts["body_kinds"] += len(new_kinds)

    persons: defaultdict[int, list[int]] = defaultdict(list)
    for pk, tenant_id in (
        Person.objects.filter(local_authority_id__in=tenant_ids, erased_at__isnull=True)
        .order_by("pk")
        .values_list("pk", "local_authority_id")
    ):
        persons[tenant_id].append(pk)
    organisations: defaultdict[int, list[int]] = defaultdict(list)
    for pk, tenant_id in (
        Organisation.objects.filter(local_authority_id__in=tenant_ids)
        .order_by("pk")
        .values_list("pk", "local_authority_id")
    ):
        organisations[tenant_id].append(pk)

    tops: list[Body] = []
    for tenant in ctx.tenants:
        tops.append(
            Body(
                local_authority=tenant,
                name=f"Netzwerk Frühe Hilfen {tenant.name}",
                kind=kinds[(tenant.pk, "Netzwerk")],
                level=Body.Level.STRATEGIC,
                meeting_rhythm="zweimal im Jahr",
                rhythm_weeks=26,
            )
        )
    Body.objects.bulk_create(tops, batch_size=BATCH_SIZE)
    below: list[Body] = []
    groups_of: dict[int, tuple[Body, list[Body]]] = {}
    for tenant, network in zip(ctx.tenants, tops, strict=True):
        steering = Body(
            local_authority=tenant,
            name="Steuerungsgruppe Frühe Hilfen",
            kind=kinds[(tenant.pk, "Steuerungsgruppe")],
            level=Body.Level.STRATEGIC,
            parent=network,
            meeting_rhythm="alle drei Monate",
            rhythm_weeks=13,
        )
        groups = [
            Body(
                local_authority=tenant,
                name=topic,
                kind=kinds[(tenant.pk, "Arbeitsgruppe")],
                level=Body.Level.OPERATIVE,
                parent=network,
                meeting_rhythm="alle sechs Wochen, drei Stunden",
                rhythm_weeks=6,
            )
            for topic in ctx.rng.sample(WORKING_GROUP_TOPICS, ctx.rng.randint(3, 6))
        ]
        below += [steering, *groups]
        groups_of[tenant.pk] = (steering, groups)
    Body.objects.bulk_create(below, batch_size=BATCH_SIZE)
    ctx.counts["bodies"] += len(tops) + len(below)

    relations = [
        BodyRelation(
            local_authority_id=group.local_authority_id,
            source=group,
            target=steering,
            kind=BodyRelation.Kind.REPORTS_TO,
        )
        for steering, groups in groups_of.values()
        for group in groups
    ]
    BodyRelation.objects.bulk_create(relations, batch_size=BATCH_SIZE)
    ctx.counts["body_relations"] += len(relations)

    memberships: list[Membership] = []
    for tenant, network in zip(ctx.tenants, tops, strict=True):
        steering, groups = groups_of[tenant.pk]
        people, orgs = persons[tenant.pk], organisations[tenant.pk]
        for organisation_id in orgs[:40]:
            memberships.append(_member(network, organisation_id=organisation_id))
        for organisation_id in ctx.rng.sample(orgs, min(len(orgs), ctx.rng.randint(3, 6))):
            memberships.append(_member(steering, organisation_id=organisation_id))
        for group in groups:
            chosen = ctx.rng.sample(people, min(len(people), ctx.rng.randint(4, 10)))
            for position, person_id in enumerate(chosen):
                role = Membership.Role.CHAIR if position == 0 else Membership.Role.MEMBER
                memberships.append(_member(group, person_id=person_id, role=role))
            for organisation_id in ctx.rng.sample(orgs, min(len(orgs), ctx.rng.randint(1, 3))):
                memberships.append(_member(group, organisation_id=organisation_id))
    Membership.objects.bulk_create(memberships, batch_size=BATCH_SIZE)
    ctx.counts["memberships"] += len(memberships)

    programmes = [
        Programme(local_authority=tenant, name="Bundesstiftung Frühe Hilfen", funder="Bund")
        for tenant in ctx.tenants
    ]
    Programme.objects.bulk_create(programmes, batch_size=BATCH_SIZE)
    Programme.required_kinds.through.objects.bulk_create(
        [
            Programme.required_kinds.through(programme_id=programme.pk, bodykind_id=kind.pk)
            for tenant, programme in zip(ctx.tenants, programmes, strict=True)
            for kind in (kinds[(tenant.pk, "Netzwerk")], kinds[(tenant.pk, "Steuerungsgruppe")])
        ],
        batch_size=BATCH_SIZE,
    )
    Programme.bodies.through.objects.bulk_create(
        [
            Programme.bodies.through(programme_id=programme.pk, body_id=body.pk)
            for tenant, network, programme in zip(ctx.tenants, tops, programmes, strict=True)
            for body in (network, groups_of[tenant.pk][0])
        ],
        batch_size=BATCH_SIZE,
    )
    ctx.counts["programmes"] += len(programmes)


def _member(
    body: Body,
    *,
    person_id: int | None = None,
    organisation_id: int | None = None,
    role: str = Membership.Role.MEMBER,
) -> Membership:
    return Membership(
        local_authority_id=body.local_authority_id,
        body=body,
        person_id=person_id,
        organisation_id=organisation_id,
        role=role,
    )
