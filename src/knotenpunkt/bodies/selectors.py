"""Reads for the structure of the network. Each runs a fixed number of queries.

:func:`structure_overview` turns the tenant's bodies, relations, memberships and programmes into
the plain input of :mod:`knotenpunkt.bodies.structure` and hands back its results together with
the model objects the page links to.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils import timezone
from django_scopes import scopes_disabled

from knotenpunkt.bodies import structure
from knotenpunkt.bodies.models import Body, BodyKind, BodyRelation, Goal, Membership, Programme
from knotenpunkt.bodies.services import active_memberships
from knotenpunkt.core.models import LocalAuthority, User
from knotenpunkt.partners.models import Affiliation, Organisation, Person


@dataclass(frozen=True)
class OwnMembers:
    """Whose memberships count as the visitor's own: their person record and organisations."""

    person_ids: frozenset[int] = frozenset()
    organisation_ids: frozenset[int] = frozenset()

    def owns(self, person_id: int | None, organisation_id: int | None) -> bool:
        return person_id in self.person_ids or organisation_id in self.organisation_ids


def own_members(user: User | AnonymousUser) -> OwnMembers:
    """The visitor's person record in this tenant and the organisations they currently work at
    (two queries)."""
    if not user.is_authenticated:
        return OwnMembers()
    person_ids = frozenset(Person.objects.filter(user=user).values_list("pk", flat=True))
    if not person_ids:
        return OwnMembers()
    today = timezone.localdate()
    organisation_ids = Affiliation.objects.filter(person__in=person_ids).filter(
        (Q(start__isnull=True) | Q(start__lte=today)) & (Q(end__isnull=True) | Q(end__gte=today))
    )
    return OwnMembers(
        person_ids=person_ids,
        organisation_ids=frozenset(organisation_ids.values_list("organisation_id", flat=True)),
    )


# --- The structure page -----------------------------------------------------------------------


@dataclass
class BodyNode:
    body: Body
    depth: int
    counts: structure.MemberCounts | None
    is_own: bool
    children: list[BodyNode] = field(default_factory=list)


@dataclass(frozen=True)
class DiagramBox:
    box: structure.Box
    body: Body
    is_own: bool


@dataclass(frozen=True)
class DiagramArrow:
    arrow: structure.Arrow
    relation: BodyRelation


@dataclass(frozen=True)
class SharedPair:
    a: Body
    b: Body
    count: int


@dataclass(frozen=True)
class ProgrammeRow:
    programme: Programme
    bodies: list[Body]
    required_kinds: list[str]
    unmet_kinds: tuple[str, ...]


@dataclass(frozen=True)
class StructureOverview:
    bodies: list[Body]
    tree: list[BodyNode]
    layout: structure.Layout
    boxes: list[DiagramBox]
    arrows: list[DiagramArrow]
    relations: list[BodyRelation]
    shared: list[SharedPair]
    totals: structure.MemberCounts
    programmes: list[ProgrammeRow]
    mission: list[Goal]
    goals: list[Goal]
    external_bodies: list[Body]
    own_body_ids: frozenset[int]


def member_inputs(memberships: QuerySet[Membership]) -> list[structure.MemberIn]:
    """Active memberships as plain input, each member with its sectors and profession (2 queries).

    A person's sector is the usual sector of their profession; an organisation's are its own.
    """
    rows = list(
        memberships.filter(active_memberships()).values_list(
            "body_id",
            "person_id",
            "organisation_id",
            "person__profession__name",
            "person__profession__sector__name",
        )
    )
    organisation_ids = {row[2] for row in rows if row[2] is not None}
    sectors_of: defaultdict[int, list[str]] = defaultdict(list)
    through = Organisation.sectors.through
    for organisation_id, name in through.objects.filter(
        organisation_id__in=organisation_ids
    ).values_list("organisation_id", "sector__name"):
        sectors_of[organisation_id].append(name)
    result = []
    for body_id, person_id, organisation_id, profession, person_sector in rows:
        if person_id is not None:
            result.append(
                structure.MemberIn(
                    body_id=body_id,
                    member=f"p{person_id}",
                    sectors=(person_sector,) if person_sector else (),
                    profession=profession or structure.UNKNOWN,
                )
            )
        else:
            result.append(
                structure.MemberIn(
                    body_id=body_id,
                    member=f"o{organisation_id}",
                    sectors=tuple(sorted(sectors_of[organisation_id])),
                )
            )
    return result


def structure_overview(
    *, tenant: LocalAuthority, user: User | AnonymousUser | None = None
) -> StructureOverview:
    """Everything the structure page shows, in a fixed number of queries (about a dozen)."""
    bodies = list(Body.objects.select_related("kind").order_by("name"))
    by_id = {body.pk: body for body in bodies}
    body_inputs = [
        structure.BodyIn(b.pk, b.name, b.kind.name, b.level, b.parent_id) for b in bodies
    ]
    relations = list(
        BodyRelation.objects.select_related("source", "target").order_by(
            "source__name", "kind", "target__name"
        )
    )
    relation_inputs = [
        structure.RelationIn(r.source_id, r.target_id, r.kind, r.get_kind_display())
        for r in relations
    ]
    members = member_inputs(Membership.objects.all())
    own = own_members(user) if user is not None else OwnMembers()
    own_body_ids = frozenset(
        Membership.objects.filter(active_memberships())
        .filter(Q(person__in=own.person_ids) | Q(organisation__in=own.organisation_ids))
        .values_list("body_id", flat=True)
        if own.person_ids
        else []
    )
    per_body, totals = structure.member_counts(members)

    roots = structure.build_trees(body_inputs)

    def convert(node: structure.TreeNode) -> BodyNode:
        return BodyNode(
            body=by_id[node.body.id],
            depth=node.depth,
            counts=per_body.get(node.body.id),
            is_own=node.body.id in own_body_ids,
            children=[convert(child) for child in node.children],
        )

    drawing = structure.layout(body_inputs, relation_inputs)
    relation_of = {(r.source_id, r.target_id, r.kind): r for r in relations}

    programmes = programme_list()
    goals = list(Goal.objects.filter(body__isnull=True).order_by("kind", "position", "title"))
    with scopes_disabled():
        external = list(
            Body.objects.filter(partner_authorities=tenant)
            .exclude(local_authority=tenant)
            .select_related("local_authority", "kind")
            .order_by("local_authority__name", "name")
        )
    return StructureOverview(
        bodies=bodies,
        tree=[convert(root) for root in roots],
        layout=drawing,
        boxes=[
            DiagramBox(box, by_id[box.body.id], box.body.id in own_body_ids)
            for box in drawing.boxes
        ],
        arrows=[
            DiagramArrow(
                arrow,
                relation_of[
                    (arrow.relation.source_id, arrow.relation.target_id, arrow.relation.kind)
                ],
            )
            for arrow in drawing.arrows
        ],
        relations=relations,
        shared=[
            SharedPair(by_id[pair.a_id], by_id[pair.b_id], pair.count)
            for pair in structure.shared_members(members)
        ],
        totals=totals,
        programmes=programmes,
        mission=[g for g in goals if g.kind == Goal.Kind.MISSION],
        goals=[g for g in goals if g.kind == Goal.Kind.GOAL],
        external_bodies=external,
        own_body_ids=own_body_ids,
    )


# --- Lists and details ------------------------------------------------------------------------


def body_list() -> QuerySet[Body]:
    """The tenant's bodies with kind, parent and the number of active members (one query)."""
    return (
        Body.objects.select_related("kind", "parent")
        .annotate(
            member_count=Count(
                "memberships",
                filter=Q(
                    Q(memberships__start__isnull=True)
                    | Q(memberships__start__lte=timezone.localdate())
                )
                & Q(
                    Q(memberships__end__isnull=True) | Q(memberships__end__gte=timezone.localdate())
                ),
            )
        )
        .order_by("level", "name")
    )


@dataclass(frozen=True)
class BodyDetail:
    body: Body
    ancestors: list[Body]
    children: list[Body]
    memberships: list[Membership]
    former_memberships: list[Membership]
    relations_out: list[BodyRelation]
    relations_in: list[BodyRelation]
    programmes: list[Programme]
    goals: list[Goal]
    counts: structure.MemberCounts
    own_membership_ids: frozenset[int]


def body_detail(body: Body, *, user: User | AnonymousUser | None = None) -> BodyDetail:
    """A body with its members (running and former), relations, programmes and goals."""
    memberships = list(
        body.memberships.select_related("person__profession", "organisation").order_by(
            "role", "person__last_name", "organisation__name", "start"
        )
    )
    today = timezone.localdate()
    running = [m for m in memberships if m.end is None or m.end >= today]
    former = [m for m in memberships if m.end is not None and m.end < today]
    parents = dict(Body.objects.values_list("pk", "parent_id"))
    chain: list[int] = []
    current = body.parent_id
    while current is not None and current not in chain:
        chain.append(current)
        current = parents.get(current)
    ancestors_by_id = Body.objects.in_bulk(chain)
    own = own_members(user) if user is not None else OwnMembers()
    _per_body, counts = structure.member_counts(member_inputs(Membership.objects.filter(body=body)))
    return BodyDetail(
        body=body,
        ancestors=[ancestors_by_id[pk] for pk in reversed(chain) if pk in ancestors_by_id],
        children=list(body.children.select_related("kind").order_by("name")),
        memberships=running,
        former_memberships=former,
        relations_out=list(body.relations_out.select_related("target").order_by("kind")),
        relations_in=list(body.relations_in.select_related("source").order_by("kind")),
        programmes=list(body.programmes.order_by("name")),
        goals=list(body.goals.order_by("kind", "position")),
        counts=counts,
        own_membership_ids=frozenset(
            m.pk for m in memberships if own.owns(m.person_id, m.organisation_id)
        ),
    )


def programme_rows(programmes: list[Programme]) -> list[ProgrammeRow]:
    """Programmes (with ``required_kinds`` and ``bodies__kind`` prefetched) and what is missing."""
    statuses = structure.programme_status(
        [
            structure.ProgrammeIn(
                p.pk,
                p.name,
                tuple(kind.name for kind in p.required_kinds.all()),
                tuple(body.pk for body in p.bodies.all()),
            )
            for p in programmes
        ],
        [
            structure.BodyIn(b.pk, b.name, b.kind.name, b.level, b.parent_id)
            for p in programmes
            for b in p.bodies.all()
        ],
    )
    return [
        ProgrammeRow(
            programme=p,
            bodies=list(p.bodies.all()),
            required_kinds=list(status.served_kinds + status.unmet_kinds),
            unmet_kinds=status.unmet_kinds,
        )
        for p, status in zip(programmes, statuses, strict=True)
    ]


def programme_list() -> list[ProgrammeRow]:
    """Programmes with their required kinds, serving bodies and unmet requirements (3 queries)."""
    return programme_rows(
        list(
            Programme.objects.prefetch_related(
                Prefetch("required_kinds", queryset=BodyKind.objects.order_by("name")),
                Prefetch("bodies", queryset=Body.objects.select_related("kind").order_by("name")),
            ).order_by("name")
        )
    )


def goal_list() -> QuerySet[Goal]:
    """The Leitbild and goals of the network and of its bodies, in their order (one query)."""
    return Goal.objects.select_related("body").order_by(
        F("body__name").asc(nulls_first=True), "kind", "position", "title"
    )


def body_kind_list() -> QuerySet[BodyKind]:
    """The kinds of body with how many bodies have each (one query)."""
    return BodyKind.objects.annotate(body_count=Count("bodies")).order_by("name")
