"""The pure structure module: trees, counts, programmes, shared members and the layout."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from knotenpunkt.bodies.structure import (
    OPERATIVE,
    STRATEGIC,
    BodyIn,
    MemberIn,
    ProgrammeIn,
    RelationIn,
    build_trees,
    effective_parents,
    layout,
    member_counts,
    programme_status,
    shared_members,
    walk,
    wrap_name,
)

KINDS = ["Netzwerk", "Steuerungsgruppe", "Arbeitsgruppe", "Sozialraumteam"]


@st.composite
def body_sets(draw: st.DrawFn) -> list[BodyIn]:
    """Up to 25 bodies with arbitrary parents: missing ones, self-parents and cycles included."""
    count = draw(st.integers(min_value=0, max_value=25))
    bodies = []
    for i in range(1, count + 1):
        parent = draw(st.one_of(st.none(), st.integers(min_value=0, max_value=count + 1)))
        bodies.append(
            BodyIn(
                id=i,
                name=draw(st.text(min_size=1, max_size=60)),
                kind=draw(st.sampled_from(KINDS)),
                level=draw(st.sampled_from([STRATEGIC, OPERATIVE])),
                parent_id=parent,
            )
        )
    return bodies


@st.composite
def well_formed(draw: st.DrawFn) -> list[BodyIn]:
    """Bodies whose parents always come earlier: real trees without cycles."""
    count = draw(st.integers(min_value=1, max_value=25))
    bodies = []
    for i in range(1, count + 1):
        parent = (
            draw(st.one_of(st.none(), st.integers(min_value=1, max_value=i - 1))) if i > 1 else None
        )
        bodies.append(
            BodyIn(
                i,
                f"Gremium {i}",
                draw(st.sampled_from(KINDS)),
                draw(st.sampled_from([STRATEGIC, OPERATIVE])),
                parent,
            )
        )
    return bodies


members_strategy = st.lists(
    st.builds(
        MemberIn,
        body_id=st.integers(min_value=1, max_value=8),
        member=st.sampled_from([f"p{i}" for i in range(10)] + [f"o{i}" for i in range(5)]),
        sectors=st.lists(st.sampled_from(["SGB V", "SGB VIII", "Schule"]), max_size=3).map(tuple),
        profession=st.sampled_from(["", "Hebamme", "Kinderärztin", "Erzieherin"]),
    ),
    max_size=60,
)


@settings(max_examples=150, deadline=None)
@given(body_sets())
def test_every_body_appears_once_in_the_trees_whatever_its_parent(bodies: list[BodyIn]) -> None:
    nodes = walk(build_trees(bodies))
    assert sorted(node.body.id for node in nodes) == [body.id for body in bodies]
    parents = effective_parents(bodies)
    for node in nodes:
        for child in node.children:
            assert parents[child.body.id] == node.body.id
            assert child.depth == node.depth + 1


@settings(max_examples=150, deadline=None)
@given(body_sets())
def test_the_layout_never_overlaps_boxes(bodies: list[BodyIn]) -> None:
    drawing = layout(bodies)
    boxes = drawing.boxes
    assert len(boxes) == len(bodies)
    for i, a in enumerate(boxes):
        assert a.x >= 0 and a.x + a.width <= drawing.width
        assert a.y >= 0 and a.bottom <= drawing.height
        for b in boxes[i + 1 :]:
            apart = (
                a.x + a.width <= b.x or b.x + b.width <= a.x or a.bottom <= b.y or b.bottom <= a.y
            )
            assert apart, (a, b)


@settings(max_examples=150, deadline=None)
@given(body_sets())
def test_children_are_drawn_below_their_parents_and_strategy_on_top(
    bodies: list[BodyIn],
) -> None:
    drawing = layout(bodies)
    parents = effective_parents(bodies)
    box = {b.body.id: b for b in drawing.boxes}
    for body in bodies:
        parent = parents[body.id]
        if parent is not None:
            assert box[body.id].y > box[parent].y

    # Strategic bodies whose chain upwards is all strategic lie above every operative body.
    def strategic_chain(body_id: int) -> bool:
        current: int | None = body_id
        while current is not None:
            if box[current].body.level != STRATEGIC:
                return False
            current = parents[current]
        return True

    tops = [box[b.id].y for b in bodies if strategic_chain(b.id)]
    operative = [box[b.id].y for b in bodies if b.level == OPERATIVE]
    if tops and operative:
        assert max(tops) < min(operative)
    assert len(drawing.parent_lines) == sum(1 for b in bodies if parents[b.id] is not None)


@settings(max_examples=100, deadline=None)
@given(well_formed(), st.data())
def test_relation_arrows_connect_the_boxes_they_name(
    bodies: list[BodyIn], data: st.DataObject
) -> None:
    ids = [b.id for b in bodies]
    relations = data.draw(
        st.lists(
            st.builds(
                RelationIn,
                source_id=st.sampled_from(ids),
                target_id=st.sampled_from(ids),
                kind=st.sampled_from(["reports_to", "feeds_into"]),
            ),
            max_size=10,
        )
    )
    drawing = layout(bodies, relations)
    assert len(drawing.arrows) == sum(1 for r in relations if r.source_id != r.target_id)
    for arrow in drawing.arrows:
        assert arrow.path.startswith("M ")
        assert 0 <= arrow.label_x <= drawing.width + 80


@settings(max_examples=150, deadline=None)
@given(members_strategy)
def test_member_counts_add_up(members: list[MemberIn]) -> None:
    per_body, totals = member_counts(members)
    for body_id, counts in per_body.items():
        distinct = {m.member for m in members if m.body_id == body_id}
        assert counts.members == len(distinct)
        assert sum(counts.by_profession.values()) == counts.members
        assert sum(counts.by_sector.values()) >= counts.members
    everyone = {m.member for m in members}
    assert totals.members == len(everyone)
    assert sum(totals.by_profession.values()) == totals.members
    assert totals.members <= sum(c.members for c in per_body.values())


@settings(max_examples=150, deadline=None)
@given(members_strategy)
def test_shared_members_are_the_common_members_of_two_bodies(members: list[MemberIn]) -> None:
    pairs = shared_members(members)
    seen = set()
    for pair in pairs:
        assert pair.a_id < pair.b_id
        a = {m.member for m in members if m.body_id == pair.a_id}
        b = {m.member for m in members if m.body_id == pair.b_id}
        assert pair.count == len(a & b) > 0
        seen.add((pair.a_id, pair.b_id))
    bodies = sorted({m.body_id for m in members})
    for i, x in enumerate(bodies):
        for y in bodies[i + 1 :]:
            common = {m.member for m in members if m.body_id == x} & {
                m.member for m in members if m.body_id == y
            }
            assert bool(common) == ((x, y) in seen)


def test_unmet_requirements_are_the_kinds_no_serving_body_has() -> None:
    bodies = [
        BodyIn(1, "Netzwerk Frühe Hilfen", "Netzwerk", STRATEGIC),
        BodyIn(2, "Steuerungsgruppe", "Steuerungsgruppe", STRATEGIC, 1),
        BodyIn(3, "AG 0–3", "Arbeitsgruppe", OPERATIVE, 1),
    ]
    federal = ProgrammeIn(1, "Bundesstiftung", ("Netzwerk", "Steuerungsgruppe"), (1, 2))
    state = ProgrammeIn(
        2, "Präventionsketten", ("Steuerungsgruppe", "Arbeitsgruppe", "Sozialraumteam"), (2, 3, 99)
    )
    first, second = programme_status([federal, state], bodies)
    assert first.is_met and first.unmet_kinds == ()
    assert second.unmet_kinds == ("Sozialraumteam",)
    assert second.served_kinds == ("Steuerungsgruppe", "Arbeitsgruppe")


@given(st.text(max_size=200))
def test_names_wrap_into_at_most_two_short_lines(name: str) -> None:
    lines = wrap_name(name)
    assert 1 <= len(lines) <= 2
    assert all(len(line) <= 25 for line in lines)
