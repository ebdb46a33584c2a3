"""Brokers and structural holes: Gould–Fernandez brokerage roles, Burt's constraint and
effective size.

All three run over the merged ties in plain Python with set intersections, in
``O(Σ_v deg(v) · min-degree)`` — well within ``O(Σ deg²)``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .model import GroupBy, Network, NodeId, Prepared

ROLES = ("coordinator", "itinerant", "gatekeeper", "representative", "liaison")


@dataclass(frozen=True, slots=True)
class Brokerage:
    """How often a node brokers in each of Gould and Fernandez's five roles.

    For an open two-path ``a → v → c`` (``a ≠ c``, no tie ``a → c``) the broker ``v`` is a
    *coordinator* when all three share a group, an *itinerant* (consultant) when ``a`` and ``c``
    share a group and ``v`` is an outsider, a *gatekeeper* when ``v`` shares the group of the
    receiver ``c`` only, a *representative* when ``v`` shares the group of the sender ``a`` only,
    and a *liaison* when all three groups differ.
    """

    coordinator: int = 0
    itinerant: int = 0
    gatekeeper: int = 0
    representative: int = 0
    liaison: int = 0

    @property
    def total(self) -> int:
        return (
            self.coordinator + self.itinerant + self.gatekeeper + self.representative + self.liaison
        )


def role(sender: str, broker: str, receiver: str) -> str:
    """The Gould–Fernandez role of ``broker`` on the two-path ``sender → broker → receiver``."""
    if sender == broker:
        return "coordinator" if broker == receiver else "representative"
    if broker == receiver:
        return "gatekeeper"
    return "itinerant" if sender == receiver else "liaison"


def brokerage(network: Network, *, by: GroupBy = "sector") -> dict[NodeId, Brokerage]:
    """Gould–Fernandez brokerage roles of every node by the grouping ``by``.

    Counts, per broker ``v``, the open two-paths ``a → v → c`` with ``a ≠ c`` and no tie
    ``a → c`` by the role they give ``v`` (see :class:`Brokerage`); as ``sna::brokerage`` in R.
    In an undirected network every tie counts as two directed ones, so each open two-path
    ``a – v – c`` is counted twice (once each way) and gatekeeper equals representative.
    Nodes without a value for ``by`` neither broker nor count as ends (all zero). Ties are
    binary here; weights do not count.

    Instead of enumerating all ``in × out`` pairs, the counts come from the group counts of the
    in- and out-neighbours; the closed pairs (``a → c`` present, or ``a = c``) are then found by
    set intersection and taken off. Gould & Fernandez (1989), "Structures of mediation",
    *Sociological Methodology* 19, 89–126.
    """
    p = network.prepared
    return dict(zip(p.ids(range(p.n)), _brokerage(p, by), strict=True))


def _tally(groups: list[str | None], members: Iterable[int]) -> dict[str, int]:
    """How many of ``members`` are in each group (ungrouped ones left out)."""
    counts: dict[str, int] = {}
    for i in members:
        g = groups[i]
        if g is not None:
            counts[g] = counts.get(g, 0) + 1
    return counts


def _brokerage(p: Prepared, by: GroupBy) -> list[Brokerage]:
    groups = p.groups(by)
    result = []
    empty = Brokerage()
    for v in range(p.n):
        gv = groups[v]
        outs = p.successors[v]
        if gv is None or not outs or not p.predecessors[v]:
            result.append(empty)
            continue
        in_count = _tally(groups, p.predecessors[v])
        out_count = _tally(groups, outs)
        in_total, out_total = sum(in_count.values()), sum(out_count.values())
        in_same, out_same = in_count.get(gv, 0), out_count.get(gv, 0)
        itinerant = sum(k * out_count.get(g, 0) for g, k in in_count.items() if g != gv)
        counts = {
            "coordinator": in_same * out_same,
            "itinerant": itinerant,
            "gatekeeper": (in_total - in_same) * out_same,
            "representative": in_same * (out_total - out_same),
            "liaison": (in_total - in_same) * (out_total - out_same) - itinerant,
        }
        for a in p.predecessors[v]:
            ga = groups[a]
            if ga is None:
                continue
            closed = p.successors[a] & outs
            if a in outs:
                closed.add(a)
            if closed:
                for gc, k in _tally(groups, closed).items():
                    counts[role(ga, gv, gc)] -= k
        result.append(Brokerage(**counts))
    return result


def constraint(network: Network) -> dict[NodeId, float | None]:
    """Burt's constraint ``c(v) = Σ_{j ∈ N(v)} (p_vj + Σ_{q ∈ N(v)} p_vq p_qj)²``.

    ``N(v)`` are the neighbours in either direction; ``p_ij = (a_ij + a_ji) / Σ_k (a_ik + a_ki)``
    is ``i``'s proportional investment in ``j`` with the tie weights ``a``. Low values mean
    many non-redundant contacts (structural holes), 1 a single contact; values can slightly
    exceed 1 in dense cliques. ``None`` for isolated nodes. Burt (1992), *Structural Holes*,
    ch. 2; as ``networkx.constraint(weight="weight")`` (which, unlike here, also gives NaN to
    directed nodes that only receive ties).
    """
    p = network.prepared
    values = _structural_holes(p)[0]
    return dict(zip(p.ids(range(p.n)), values, strict=True))


def effective_size(network: Network) -> dict[NodeId, float | None]:
    """Burt's effective size ``e(v) = Σ_{j ∈ N(v)} (1 − Σ_{q ∈ N(v)} p_vq m_jq)``.

    ``p`` as in :func:`constraint`; ``m_jq`` is ``j``'s mutual weight with ``q`` divided by
    ``j``'s largest mutual weight with anyone. For unweighted undirected ties this is
    Borgatti's ``n − 2t / n``. ``None`` for isolated nodes. Burt (1992); Borgatti (1997),
    *Connections* 20(1); as ``networkx.effective_size(weight="weight")``.
    """
    p = network.prepared
    values = _structural_holes(p)[1]
    return dict(zip(p.ids(range(p.n)), values, strict=True))


def _structural_holes(p: Prepared) -> tuple[list[float | None], list[float | None]]:
    """Constraint and effective size of every node in one pass (they share the intersections)."""
    cached = p._cache.get("holes")
    if cached is not None:
        return cached  # type: ignore[return-value]
    nbrs = p.neighbours
    total = [sum(nb.values()) for nb in nbrs]
    top = [max(nb.values(), default=0.0) for nb in nbrs]
    constraints: list[float | None] = []
    sizes: list[float | None] = []
    for v, nv in enumerate(nbrs):
        if not nv:
            constraints.append(None)
            sizes.append(None)
            continue
        sv = total[v]
        keys = nv.keys()
        c = 0.0
        e = 0.0
        for j, a_vj in nv.items():
            nj = nbrs[j]
            indirect = 0.0
            redundancy = 0.0
            for q in keys & nj.keys():
                p_vq = nv[q] / sv
                indirect += p_vq * nbrs[q][j] / total[q]
                redundancy += p_vq * nj[q] / top[j]
            c += (a_vj / sv + indirect) ** 2
            e += 1.0 - redundancy
        constraints.append(c)
        sizes.append(e)
    result = (constraints, sizes)
    p._cache["holes"] = result
    return result
