"""Writes for the structure of the network. Each one is atomic and audited.

Objects that arrive here come from the current tenant's scoped managers or forms; the services
still check that everything a write links together belongs to one tenant, because a wrong link
across tenants would leak data from then on.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from knotenpunkt.bodies.models import Body, BodyKind, BodyRelation, Goal, Membership, Programme
from knotenpunkt.core import audit
from knotenpunkt.core.audit import Actor
from knotenpunkt.core.models import Area, LifePhase, LocalAuthority
from knotenpunkt.core.services import ServiceError, model_update
from knotenpunkt.partners.models import Organisation, Person

# --- Helpers ----------------------------------------------------------------------------------


def _same_tenant(tenant_id: int, objects: Iterable[models.Model | None], message: str) -> None:
    for obj in objects:
        if obj is not None and getattr(obj, "local_authority_id", tenant_id) != tenant_id:
            raise ServiceError(message)


def _names(objects: Iterable[models.Model]) -> list[str]:
    return sorted(str(obj) for obj in objects)


def _set_m2m(
    *,
    actor: Actor,
    instance: models.Model,
    values: Mapping[str, Sequence[models.Model] | None],
    creating: bool = False,
) -> bool:
    """Sets many-to-many fields and logs each changed one as ``{field: [old names, new names]}``.

    Returns whether any of them changed.
    """
    changes: dict[str, list[list[str]]] = {}
    for name, new in values.items():
        if new is None:
            continue
        manager = getattr(instance, name)
        before = [] if creating else _names(manager.all())
        after = _names(new)
        if before != after:
            manager.set(new)
            changes[name] = [before, after]
    if changes:
        audit.record(
            actor=actor,
            action="create" if creating else "update",
            instance=instance,
            changes=changes,
        )
    return bool(changes)


# --- Kinds of body ----------------------------------------------------------------------------


def body_kind_create(*, actor: Actor, local_authority: LocalAuthority, name: str) -> BodyKind:
    """Adds a kind of body to the tenant's vocabulary; names are unique per tenant."""
    name = name.strip()
    if BodyKind.objects.filter(local_authority=local_authority, name__iexact=name).exists():
        raise ServiceError(_("The kind “%(name)s” exists already.") % {"name": name})
    kind = BodyKind(local_authority=local_authority, name=name)
    kind.full_clean(validate_unique=False)
    with transaction.atomic():
        kind.save()
        audit.log_create(actor=actor, instance=kind)
    return kind


def body_kind_rename(*, actor: Actor, kind: BodyKind, name: str) -> tuple[BodyKind, bool]:
    """Renames a kind of body; every body of that kind shows the new name."""
    name = name.strip()
    clash = BodyKind.objects.filter(local_authority_id=kind.local_authority_id, name__iexact=name)
    if clash.exclude(pk=kind.pk).exists():
        raise ServiceError(_("The kind “%(name)s” exists already.") % {"name": name})
    return model_update(actor=actor, instance=kind, data={"name": name}, fields=["name"])


def body_kind_delete(*, actor: Actor, kind: BodyKind) -> None:
    """Deletes a kind that no body has and no programme requires."""
    if kind.bodies.exists():
        raise ServiceError(
            _("Bodies of the kind “%(name)s” exist; change their kind first.") % {"name": kind}
        )
    if Programme.objects.filter(required_kinds=kind).exists():
        raise ServiceError(
            _("A programme requires the kind “%(name)s”; change the programme first.")
            % {"name": kind}
        )
    with transaction.atomic():
        audit.log_delete(actor=actor, instance=kind)
        kind.delete()


# --- Bodies -----------------------------------------------------------------------------------

BODY_FIELDS = [
    "name",
    "kind",
    "level",
    "parent",
    "description",
    "meeting_rhythm",
    "rhythm_weeks",
]
BODY_M2M = ["life_phases", "areas", "partner_authorities"]


def _check_body_links(tenant_id: int, data: Mapping[str, Any]) -> None:
    _same_tenant(
        tenant_id,
        [data.get("kind"), data.get("parent"), *(data.get("areas") or [])],
        _("The body can only be linked to kinds, bodies and areas of this local authority."),
    )
    if any(authority.pk == tenant_id for authority in data.get("partner_authorities") or []):
        raise ServiceError(_("The own local authority cannot be a partner authority."))


def _check_no_cycle(body: Body, parent: Body | None) -> None:
    """Refuses a parent that is the body itself or lies below it (one query)."""
    if parent is None:
        return
    parents = dict(
        Body.objects.filter(local_authority_id=body.local_authority_id).values_list(
            "pk", "parent_id"
        )
    )
    current: int | None = parent.pk
    seen: set[int] = set()
    while current is not None and current not in seen:
        if current == body.pk:
            raise ServiceError(_("A body cannot be part of itself or of one of its sub-bodies."))
        seen.add(current)
        current = parents.get(current)


def body_create(
    *,
    actor: Actor,
    local_authority: LocalAuthority,
    life_phases: Sequence[LifePhase] = (),
    areas: Sequence[Area] = (),
    partner_authorities: Sequence[LocalAuthority] = (),
    **data: Any,
) -> Body:
    """Creates a body with its life phases, areas and partner authorities."""
    links = {"areas": areas, "partner_authorities": partner_authorities, **data}
    _check_body_links(local_authority.pk, links)
    body = Body(
        local_authority=local_authority, **{k: v for k, v in data.items() if k in BODY_FIELDS}
    )
    body.full_clean()
    with transaction.atomic():
        body.save()
        audit.log_create(actor=actor, instance=body)
        _set_m2m(
            actor=actor,
            instance=body,
            values={
                "life_phases": list(life_phases),
                "areas": list(areas),
                "partner_authorities": list(partner_authorities),
            },
            creating=True,
        )
    return body


def body_update(*, actor: Actor, body: Body, version: int, data: Mapping[str, Any]) -> Body:
    """Changes a body, if nobody changed it since ``version`` was read (optimistic locking).

    A stale ``version`` raises :class:`ServiceError` and changes nothing; a successful update
    raises the body's version by one, even when only its life phases or areas changed.
    """
    _check_body_links(body.local_authority_id, data)
    _check_no_cycle(body, data.get("parent"))
    with transaction.atomic():
        claimed = Body.objects.filter(pk=body.pk, version=version).update(version=F("version") + 1)
        if not claimed:
            raise ServiceError(
                _(
                    "Someone else changed this body in the meantime. Reload the page to see "
                    "their changes, then make yours again."
                )
            )
        body.version = version + 1
        before_fields = audit.snapshot(body, BODY_FIELDS)
        changed = [
            name for name in BODY_FIELDS if name in data and getattr(body, name) != data[name]
        ]
        for name in changed:
            setattr(body, name, data[name])
        if changed:
            body.full_clean()
            body.save(update_fields=changed)
            audit.log_update(actor=actor, instance=body, before=before_fields)
        _set_m2m(actor=actor, instance=body, values={name: data.get(name) for name in BODY_M2M})
    return body


def body_delete(*, actor: Actor, body: Body) -> None:
    """Deletes a body without sub-bodies, with its memberships, relations and goals."""
    if body.children.exists():
        raise ServiceError(_("Move or delete the bodies inside “%(name)s” first.") % {"name": body})
    with transaction.atomic():
        audit.log_delete(actor=actor, instance=body)
        body.delete()


# --- Relations --------------------------------------------------------------------------------


def relation_add(
    *, actor: Actor, source: Body, target: Body, kind: str, note: str = ""
) -> BodyRelation:
    """Records that ``source`` reports to, feeds into or shares members with ``target``."""
    if source.local_authority_id != target.local_authority_id:
        raise ServiceError(_("Both bodies must belong to this local authority."))
    if source.pk == target.pk:
        raise ServiceError(_("A body cannot be related to itself."))
    if BodyRelation.objects.filter(source=source, target=target, kind=kind).exists():
        raise ServiceError(_("This relation exists already."))
    relation = BodyRelation(
        local_authority_id=source.local_authority_id,
        source=source,
        target=target,
        kind=kind,
        note=note,
    )
    relation.full_clean(validate_constraints=False)
    with transaction.atomic():
        relation.save()
        audit.log_create(actor=actor, instance=relation)
    return relation


def relation_remove(*, actor: Actor, relation: BodyRelation) -> None:
    """Removes a relation between two bodies."""
    with transaction.atomic():
        audit.log_delete(actor=actor, instance=relation)
        relation.delete()


# --- Memberships ------------------------------------------------------------------------------


def active_memberships(on: datetime.date | None = None) -> Q:
    """The condition for memberships running on ``on`` (today by default)."""
    day = on or timezone.localdate()
    return (Q(start__isnull=True) | Q(start__lte=day)) & (Q(end__isnull=True) | Q(end__gte=day))


def membership_add(
    *,
    actor: Actor,
    body: Body,
    person: Person | None = None,
    organisation: Organisation | None = None,
    role: str = Membership.Role.MEMBER,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> Membership:
    """Adds a person or an organisation (exactly one) of the body's tenant to the body.

    Refuses a second running membership of the same member in the same body.
    """
    if (person is None) == (organisation is None):
        raise ServiceError(_("Choose either a person or an organisation."))
    _same_tenant(
        body.local_authority_id,
        [person, organisation],
        _("Only people and organisations of this local authority can be members."),
    )
    if person is not None and person.is_erased:
        raise ServiceError(_("An anonymised person cannot become a member."))
    same_member = Membership.objects.filter(body=body, person=person, organisation=organisation)
    if same_member.filter(Q(end__isnull=True) | Q(end__gte=timezone.localdate())).exists():
        raise ServiceError(
            _("%(member)s is already a member of this body.") % {"member": person or organisation}
        )
    membership = Membership(
        local_authority_id=body.local_authority_id,
        body=body,
        person=person,
        organisation=organisation,
        role=role,
        start=start,
        end=end,
    )
    membership.full_clean(validate_constraints=False)
    if start and end and end < start:
        raise ServiceError(_("A membership cannot end before it starts."))
    with transaction.atomic():
        membership.save()
        audit.log_create(actor=actor, instance=membership)
    return membership


def membership_end(
    *, actor: Actor, membership: Membership, end: datetime.date | None = None
) -> Membership:
    """Ends a membership on ``end`` (today by default); the history stays."""
    day = end or timezone.localdate()
    if membership.start and day < membership.start:
        raise ServiceError(_("A membership cannot end before it starts."))
    model_update(actor=actor, instance=membership, data={"end": day}, fields=["end"])
    return membership


def membership_remove(*, actor: Actor, membership: Membership) -> None:
    """Deletes a membership entered by mistake (ending it keeps the history instead)."""
    with transaction.atomic():
        audit.log_delete(actor=actor, instance=membership)
        membership.delete()


# --- Programmes -------------------------------------------------------------------------------

PROGRAMME_FIELDS = ["name", "funder", "start", "end", "description"]


def _check_programme(tenant_id: int, data: Mapping[str, Any]) -> None:
    _same_tenant(
        tenant_id,
        [*(data.get("required_kinds") or []), *(data.get("bodies") or [])],
        _("A programme can only refer to kinds and bodies of this local authority."),
    )
    start, end = data.get("start"), data.get("end")
    if start and end and end < start:
        raise ServiceError(_("A programme cannot end before it starts."))


def programme_create(
    *,
    actor: Actor,
    local_authority: LocalAuthority,
    required_kinds: Sequence[BodyKind] = (),
    bodies: Sequence[Body] = (),
    **data: Any,
) -> Programme:
    """Creates a funding programme with the kinds of body it requires and the bodies serving it."""
    _check_programme(
        local_authority.pk, {"required_kinds": required_kinds, "bodies": bodies, **data}
    )
    programme = Programme(
        local_authority=local_authority,
        **{k: v for k, v in data.items() if k in PROGRAMME_FIELDS},
    )
    programme.full_clean()
    with transaction.atomic():
        programme.save()
        audit.log_create(actor=actor, instance=programme)
        _set_m2m(
            actor=actor,
            instance=programme,
            values={"required_kinds": list(required_kinds), "bodies": list(bodies)},
            creating=True,
        )
    return programme


def programme_update(*, actor: Actor, programme: Programme, data: Mapping[str, Any]) -> Programme:
    """Changes a programme, its required kinds and its serving bodies."""
    _check_programme(programme.local_authority_id, data)
    with transaction.atomic():
        model_update(actor=actor, instance=programme, data=data, fields=PROGRAMME_FIELDS)
        _set_m2m(
            actor=actor,
            instance=programme,
            values={"required_kinds": data.get("required_kinds"), "bodies": data.get("bodies")},
        )
    return programme


def programme_delete(*, actor: Actor, programme: Programme) -> None:
    """Deletes a programme; its bodies stay."""
    with transaction.atomic():
        audit.log_delete(actor=actor, instance=programme)
        programme.delete()


# --- Leitbild and goals -----------------------------------------------------------------------

GOAL_FIELDS = ["kind", "title", "text", "body"]


def goal_create(*, actor: Actor, local_authority: LocalAuthority, **data: Any) -> Goal:
    """Adds the Leitbild or a goal, at the end of its list."""
    _same_tenant(
        local_authority.pk, [data.get("body")], _("The body belongs to another local authority.")
    )
    siblings = Goal.objects.filter(kind=data.get("kind", Goal.Kind.GOAL), body=data.get("body"))
    last = siblings.aggregate(models.Max("position"))["position__max"]
    goal = Goal(
        local_authority=local_authority,
        position=(last or 0) + 1,
        **{k: v for k, v in data.items() if k in GOAL_FIELDS},
    )
    goal.full_clean()
    with transaction.atomic():
        goal.save()
        audit.log_create(actor=actor, instance=goal)
    return goal


def goal_update(*, actor: Actor, goal: Goal, data: Mapping[str, Any]) -> tuple[Goal, bool]:
    """Changes the Leitbild or a goal."""
    _same_tenant(
        goal.local_authority_id,
        [data.get("body")],
        _("The body belongs to another local authority."),
    )
    return model_update(actor=actor, instance=goal, data=data, fields=GOAL_FIELDS)


def goal_delete(*, actor: Actor, goal: Goal) -> None:
    """Deletes the Leitbild or a goal."""
    with transaction.atomic():
        audit.log_delete(actor=actor, instance=goal)
        goal.delete()


def goal_reorder(*, actor: Actor, goals: Sequence[Goal]) -> None:
    """Numbers ``goals`` 1, 2, 3 … in the given order, logging each position that changed."""
    if len({goal.local_authority_id for goal in goals}) > 1:
        raise ServiceError(_("Goals of different local authorities cannot be ordered together."))
    with transaction.atomic():
        for position, goal in enumerate(goals, start=1):
            if goal.position != position:
                model_update(
                    actor=actor, instance=goal, data={"position": position}, fields=["position"]
                )


def goal_move(*, actor: Actor, goal: Goal, offset: int) -> None:
    """Moves a goal up (``offset`` -1) or down (+1) among the goals of its body and kind."""
    siblings = list(
        Goal.objects.filter(body=goal.body, kind=goal.kind).order_by("position", "title")
    )
    index = next(i for i, sibling in enumerate(siblings) if sibling.pk == goal.pk)
    target = max(0, min(len(siblings) - 1, index + offset))
    siblings.insert(target, siblings.pop(index))
    goal_reorder(actor=actor, goals=siblings)
