"""The structure of a network as plain data: trees, member counts, unmet requirements, layout.

No ORM in here (see DESIGN, "functional core"): :mod:`knotenpunkt.bodies.selectors` builds the
input dataclasses, the structure page renders the output as an inline SVG and as lists. Everything
here is deterministic and tolerant of odd input (a parent outside the set, even a parent cycle
from a half-finished import): such a body is drawn as a root rather than lost.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations

STRATEGIC = "strategic"
OPERATIVE = "operative"

#: Counted under this key when a member has no sector or (organisations, or persons without
#: one) no profession; the page shows it as "not stated".
UNKNOWN = ""

# --- Input ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BodyIn:
    id: int
    name: str
    kind: str
    level: str
    parent_id: int | None = None


@dataclass(frozen=True)
class RelationIn:
    source_id: int
    target_id: int
    kind: str
    label: str = ""


@dataclass(frozen=True)
class MemberIn:
    """One active membership. ``member`` identifies the member across bodies ("p12", "o3")."""

    body_id: int
    member: str
    sectors: tuple[str, ...] = ()
    profession: str = UNKNOWN


@dataclass(frozen=True)
class ProgrammeIn:
    id: int
    name: str
    required_kinds: tuple[str, ...] = ()
    body_ids: tuple[int, ...] = ()


# --- Output -----------------------------------------------------------------------------------


@dataclass
class TreeNode:
    body: BodyIn
    depth: int
    children: list[TreeNode] = field(default_factory=list)


@dataclass(frozen=True)
class MemberCounts:
    """Distinct members, and how many of them are in each sector and profession.

    A member with several sectors is counted once in each of them (an organisation may work in
    SGB VIII and SGB V), so sector counts may add up to more than ``members``; profession counts
    always add up to ``members``.
    """

    members: int
    by_sector: dict[str, int]
    by_profession: dict[str, int]


@dataclass(frozen=True)
class ProgrammeStatus:
    programme: ProgrammeIn
    served_kinds: tuple[str, ...]
    unmet_kinds: tuple[str, ...]

    @property
    def is_met(self) -> bool:
        return not self.unmet_kinds


@dataclass(frozen=True)
class SharedMembers:
    """Two bodies (``a_id < b_id``) with ``count`` active members in common."""

    a_id: int
    b_id: int
    count: int


@dataclass(frozen=True)
class Box:
    body: BodyIn
    x: float
    y: float
    width: float
    height: float
    row: int
    lines: tuple[str, ...]

    @property
    def cx(self) -> float:
        return self.x + self.width / 2

    @property
    def cy(self) -> float:
        return self.y + self.height / 2

    @property
    def bottom(self) -> float:
        return self.y + self.height

    @property
    def text_lines(self) -> list[tuple[float, str]]:
        """The name's lines with the baseline of each, centred in the upper part of the box."""
        first = self.y + (24.0 if len(self.lines) == 1 else 19.0)
        return [(round(first + 15.0 * i, 1), line) for i, line in enumerate(self.lines)]

    @property
    def kind_y(self) -> float:
        """The baseline of the kind's line at the bottom of the box."""
        return round(self.y + self.height - 9.0, 1)


@dataclass(frozen=True)
class Line:
    """A parent line from the bottom of the parent's box to the top of the child's."""

    x1: float
    y1: float
    x2: float
    y2: float

    @property
    def path(self) -> str:
        """The line as an elbow: down, across just above the child, down into the child."""
        middle = self.y2 - 22.0
        return f"M {self.x1:.1f} {self.y1:.1f} V {middle:.1f} H {self.x2:.1f} V {self.y2:.1f}"


@dataclass(frozen=True)
class Arrow:
    """A relation drawn as a quadratic curve from ``source`` to ``target`` with its label."""

    relation: RelationIn
    path: str
    label_x: float
    label_y: float


@dataclass(frozen=True)
class Layout:
    width: float
    height: float
    boxes: tuple[Box, ...]
    parent_lines: tuple[Line, ...]
    arrows: tuple[Arrow, ...]
    #: The y of the line between the strategic band and the operative band (None if one is empty).
    band_y: float | None

    def box_of(self, body_id: int) -> Box | None:
        return next((box for box in self.boxes if box.body.id == body_id), None)


# --- Trees ------------------------------------------------------------------------------------


def effective_parents(bodies: Sequence[BodyIn]) -> dict[int, int | None]:
    """Each body's parent, or None where the parent is missing or the chain runs in a circle.

    In a cycle, the body with the smallest id in it becomes a root, so the rest still hang below.
    """
    ids = {body.id for body in bodies}
    parent = {
        b.id: (b.parent_id if b.parent_id in ids and b.parent_id != b.id else None) for b in bodies
    }
    for start in sorted(ids):
        seen: list[int] = []
        current: int | None = start
        while current is not None and current not in seen:
            seen.append(current)
            current = parent[current]
        if current is not None:  # came back to a body on this path: a cycle
            cycle = seen[seen.index(current) :]
            parent[min(cycle)] = None
    return parent


def _sort_key(body: BodyIn) -> tuple[int, str, int]:
    return (0 if body.level == STRATEGIC else 1, body.name.casefold(), body.id)


def build_trees(bodies: Sequence[BodyIn]) -> list[TreeNode]:
    """The bodies as trees by parent: strategic before operative, then by name."""
    parent = effective_parents(bodies)
    nodes = {body.id: TreeNode(body=body, depth=0) for body in bodies}
    roots: list[TreeNode] = []
    for body in sorted(bodies, key=_sort_key):
        parent_id = parent[body.id]
        (nodes[parent_id].children if parent_id is not None else roots).append(nodes[body.id])

    def set_depth(level: list[TreeNode], depth: int) -> None:
        for node in level:
            node.depth = depth
            set_depth(node.children, depth + 1)

    set_depth(roots, 0)
    return roots


def walk(roots: Iterable[TreeNode]) -> list[TreeNode]:
    """The nodes depth-first, parents before children."""
    ordered: list[TreeNode] = []
    stack = list(reversed(list(roots)))
    while stack:
        node = stack.pop()
        ordered.append(node)
        stack.extend(reversed(node.children))
    return ordered


# --- Counts -----------------------------------------------------------------------------------


def _count(members: dict[str, MemberIn]) -> MemberCounts:
    sectors: Counter[str] = Counter()
    professions: Counter[str] = Counter()
    for member in members.values():
        for sector in set(member.sectors) or {UNKNOWN}:
            sectors[sector] += 1
        professions[member.profession] += 1
    return MemberCounts(
        members=len(members),
        by_sector=dict(sorted(sectors.items(), key=lambda item: (-item[1], item[0]))),
        by_profession=dict(sorted(professions.items(), key=lambda item: (-item[1], item[0]))),
    )


def member_counts(
    members: Iterable[MemberIn],
) -> tuple[dict[int, MemberCounts], MemberCounts]:
    """Per body and for the whole network: distinct members by sector and by profession.

    A member in several bodies counts once in each body and once in the total.
    """
    per_body: defaultdict[int, dict[str, MemberIn]] = defaultdict(dict)
    everyone: dict[str, MemberIn] = {}
    for member in members:
        per_body[member.body_id].setdefault(member.member, member)
        everyone.setdefault(member.member, member)
    return {body_id: _count(found) for body_id, found in per_body.items()}, _count(everyone)


def shared_members(members: Iterable[MemberIn]) -> list[SharedMembers]:
    """Pairs of bodies with at least one common active member, most shared first."""
    bodies_of: defaultdict[str, set[int]] = defaultdict(set)
    for member in members:
        bodies_of[member.member].add(member.body_id)
    pairs: Counter[tuple[int, int]] = Counter()
    for body_ids in bodies_of.values():
        for pair in combinations(sorted(body_ids), 2):
            pairs[pair] += 1
    return [
        SharedMembers(a, b, count)
        for (a, b), count in sorted(pairs.items(), key=lambda item: (-item[1], item[0]))
    ]


# --- Programmes -------------------------------------------------------------------------------


def programme_status(
    programmes: Iterable[ProgrammeIn], bodies: Iterable[BodyIn]
) -> list[ProgrammeStatus]:
    """For each programme: the required kinds its serving bodies cover, and those none covers."""
    kind_of = {body.id: body.kind for body in bodies}
    result = []
    for programme in programmes:
        served = {kind_of[body_id] for body_id in programme.body_ids if body_id in kind_of}
        required = list(dict.fromkeys(programme.required_kinds))
        result.append(
            ProgrammeStatus(
                programme=programme,
                served_kinds=tuple(kind for kind in required if kind in served),
                unmet_kinds=tuple(kind for kind in required if kind not in served),
            )
        )
    return result


# --- Layout -----------------------------------------------------------------------------------

BOX_WIDTH = 196.0
BOX_HEIGHT = 58.0
H_GAP = 24.0
ROW_HEIGHT = 112.0
MARGIN = 24.0
#: About how many characters of 13px text fit on one line of a box.
LINE_CHARS = 22


def wrap_name(name: str, width: int = LINE_CHARS, lines: int = 2) -> tuple[str, ...]:
    """The name in at most ``lines`` lines of about ``width`` characters, cut with "…"."""
    words = name.split()
    result: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}".strip()
        if len(candidate) <= width or not current:
            current = candidate
        else:
            result.append(current)
            current = word
    if current:
        result.append(current)
    result = [line if len(line) <= width else line[: width - 1] + "…" for line in result]
    if len(result) > lines:
        last = result[lines - 1]
        result = [*result[: lines - 1], (last[: width - 1] if len(last) >= width else last) + "…"]
    return tuple(result) or ("",)


def _strategic_chains(roots: list[TreeNode]) -> set[int]:
    """Ids of bodies that are strategic with only strategic ancestors."""
    found: set[int] = set()

    def visit(node: TreeNode) -> None:
        if node.body.level != STRATEGIC:
            return
        found.add(node.body.id)
        for child in node.children:
            visit(child)

    for root in roots:
        visit(root)
    return found


def layout(bodies: Sequence[BodyIn], relations: Sequence[RelationIn] = ()) -> Layout:
    """Positions for drawing the structure as SVG, without any JS library.

    Each tree gets a horizontal strip as wide as its leaves; a parent sits centred over its
    children. Rows go downwards: strategic bodies on top, operative ones below, children under
    their parents. Because subtrees occupy disjoint strips and a body's descendants lie in lower
    rows, no two boxes overlap.
    """
    roots = build_trees(bodies)
    chains = _strategic_chains(roots)
    nodes = walk(roots)
    band = 1 + max((node.depth for node in nodes if node.body.id in chains), default=-1)
    rows: dict[int, int] = {}
    # Rows, top-down with an explicit stack (deep trees must not hit the recursion limit).
    stack: list[tuple[TreeNode, int | None]] = [(root, None) for root in reversed(roots)]
    while stack:
        node, parent_row = stack.pop()
        row = 0 if parent_row is None else parent_row + 1
        if node.body.id not in chains:
            row = max(row, band)
        rows[node.body.id] = row
        stack.extend((child, row) for child in reversed(node.children))

    # Slots: leaves take one each, depth-first, so every subtree's leaves are contiguous;
    # a parent sits midway between its first and last child.
    slot_of: dict[int, float] = {}
    next_slot = 0
    for node in nodes:
        if not node.children:
            slot_of[node.body.id] = next_slot
            next_slot += 1
    for node in reversed(nodes):  # children before their parents
        if node.children:
            first, last = node.children[0].body.id, node.children[-1].body.id
            slot_of[node.body.id] = (slot_of[first] + slot_of[last]) / 2

    slot_width = BOX_WIDTH + H_GAP
    boxes = []
    for node in nodes:
        body = node.body
        boxes.append(
            Box(
                body=body,
                x=round(MARGIN + slot_of[body.id] * slot_width, 1),
                y=round(MARGIN + rows[body.id] * ROW_HEIGHT, 1),
                width=BOX_WIDTH,
                height=BOX_HEIGHT,
                row=rows[body.id],
                lines=wrap_name(body.name),
            )
        )
    by_id = {box.body.id: box for box in boxes}
    parent_lines = tuple(
        Line(by_id[node.body.id].cx, by_id[node.body.id].bottom, child_box.cx, child_box.y)
        for node in nodes
        for child_box in (by_id[child.body.id] for child in node.children)
    )
    arrows = tuple(
        _arrow(relation, by_id[relation.source_id], by_id[relation.target_id])
        for relation in relations
        if relation.source_id in by_id
        and relation.target_id in by_id
        and relation.source_id != relation.target_id
    )
    row_count = 1 + max(rows.values(), default=-1)
    width = 2 * MARGIN + max(next_slot, 1) * slot_width - H_GAP
    height = 2 * MARGIN + max(row_count, 1) * ROW_HEIGHT - (ROW_HEIGHT - BOX_HEIGHT)
    has_both = bool(chains) and len(chains) < len(nodes)
    band_y = MARGIN + band * ROW_HEIGHT - (ROW_HEIGHT - BOX_HEIGHT) / 2 if has_both else None
    return Layout(
        width=round(width, 1),
        height=round(height, 1),
        boxes=tuple(boxes),
        parent_lines=parent_lines,
        arrows=arrows,
        band_y=round(band_y, 1) if band_y is not None else None,
    )


def _edge_point(box: Box, towards_x: float, towards_y: float) -> tuple[float, float]:
    """Where the line from the box's centre towards a point leaves the box."""
    dx, dy = towards_x - box.cx, towards_y - box.cy
    if dx == 0 and dy == 0:
        return box.cx, box.cy
    scale = min(
        (box.width / 2) / abs(dx) if dx else math.inf,
        (box.height / 2) / abs(dy) if dy else math.inf,
    )
    return box.cx + dx * scale, box.cy + dy * scale


def _arrow(relation: RelationIn, source: Box, target: Box) -> Arrow:
    # Bend each curve to its left, so that "A reports to B" and "B feeds into A" stay apart and
    # curves between boxes of one row arc over the boxes between them.
    dx, dy = target.cx - source.cx, target.cy - source.cy
    distance = math.hypot(dx, dy) or 1.0
    bend = min(60.0, 18.0 + distance / 6)
    control_x = (source.cx + target.cx) / 2 + dy / distance * bend
    control_y = (source.cy + target.cy) / 2 - abs(dx) / distance * bend
    x1, y1 = _edge_point(source, control_x, control_y)
    x2, y2 = _edge_point(target, control_x, control_y)
    label_x = (x1 + 2 * control_x + x2) / 4
    label_y = (y1 + 2 * control_y + y2) / 4
    path = f"M {x1:.1f} {y1:.1f} Q {control_x:.1f} {control_y:.1f} {x2:.1f} {y2:.1f}"
    return Arrow(relation=relation, path=path, label_x=round(label_x, 1), label_y=round(label_y, 1))
