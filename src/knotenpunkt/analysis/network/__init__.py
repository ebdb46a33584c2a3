"""The network as a graph (issue 8): islands, bridges, brokers, and whether ties cross sectors.

Pure functions over plain data: a selector builds a :class:`Network` (nodes with sector, area
and group; weighted ties of chosen kinds), the functions return dataclasses. :func:`analyse`
computes everything once; the single functions exist for focused views and tests and share the
prepared graph cached on the network.

Engine: igraph (C) for shortest paths, components, bridges, cut points and Louvain; plain Python
for brokerage, constraint, effective size, E–I index and bridge suggestions. Definitions follow
NetworkX where it has the metric (the tests compare on its classic data sets).
"""

from .bridging import REASONS, BridgeSuggestion, suggest_bridges
from .groups import Communities, EIIndex, GroupMixing, communities, ei_index, group_mixing
from .holes import ROLES, Brokerage, brokerage, constraint, effective_size, role
from .metrics import (
    Centralisation,
    Degree,
    Island,
    articulation_points,
    betweenness,
    bridges,
    closeness,
    degree_centralisation,
    degrees,
    density,
    islands,
    reciprocity,
)
from .model import GroupBy, Network, Node, NodeId, Tie
from .report import NetworkReport, NodeReport, analyse

__all__ = [
    "REASONS",
    "ROLES",
    "BridgeSuggestion",
    "Brokerage",
    "Centralisation",
    "Communities",
    "Degree",
    "EIIndex",
    "GroupBy",
    "GroupMixing",
    "Island",
    "Network",
    "NetworkReport",
    "Node",
    "NodeId",
    "NodeReport",
    "Tie",
    "analyse",
    "articulation_points",
    "betweenness",
    "bridges",
    "brokerage",
    "closeness",
    "communities",
    "constraint",
    "degree_centralisation",
    "degrees",
    "density",
    "effective_size",
    "ei_index",
    "group_mixing",
    "islands",
    "reciprocity",
    "role",
    "suggest_bridges",
]
