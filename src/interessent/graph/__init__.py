"""The stakeholder network and its opinion leaders.

:func:`build_graph` turns the store into a networkx graph: one node per stakeholder, one
edge per pair of stakeholders tied by a relationship active on the day asked about, or by
taking part in the same meetings (co-participation). :func:`write_graph` writes it as
GraphML or GEXF for Gephi.

:func:`rank_leaders` ranks stakeholders as opinion leaders by a weighted sum of four
components, each scaled to 0–1 (``docs/leaders.md`` explains it for a board member):

- ``pagerank``: PageRank (damping 0.85) on the weighted, undirected network;
- ``betweenness``: betweenness centrality (how often someone sits on the shortest paths
  between others) counted in hops, exact on small networks and estimated from a random
  sample of source stakeholders on large ones;
- ``influence``: the declared influence 1–5 as ``(influence - 1) / 4``;
- ``role``: the largest plan ``weight`` of the roles the stakeholder holds.

The weights come from the plan's ``[leaders]`` table; the network is the registered
relationships (shared meetings only on request). Networks of more than
:data:`SPARSE_ABOVE` stakeholders are ranked straight from the database on sparse
matrices, never building a networkx graph; :func:`rank_graph` ranks any networkx graph.

Where things live (each module imports only from those above it):

==============  ==========================================================================
``centrality``  PageRank and betweenness: networkx's exact algorithms, or sparse matrices
                with betweenness from sampled sources for large networks
``network``     :func:`build_graph` from the store, co-participation ties and
                :data:`GATHERING_KINDS`, :func:`write_graph` (GraphML, GEXF)
``scores``      :class:`LeaderScore`, :func:`explain`, :data:`COMPONENTS`: the weighted
                score of the components and the order of a ranking
``leaders``     :func:`rank_leaders` (pinning, exclusion, the programme's own people, a
                target group's members; the large-network path straight from the
                database; rankings kept in the database until the next write),
                :func:`rank_graph`, :func:`leaders_unknown_to_programme`
``reasons``     :func:`leader_reasons`: why each leader ranks where they do, in words
==============  ==========================================================================

Each module reads its settings from its own namespace: to change :data:`SPARSE_ABOVE`
in a test, patch ``interessent.graph.leaders``.
"""

from __future__ import annotations

from .leaders import SPARSE_ABOVE, leaders_unknown_to_programme, rank_graph, rank_leaders
from .leaders import _network as _network  # for benchmarks/bench_leaders.py
from .network import (
    CO_PARTICIPATION_MAX_PARTICIPANTS,
    CO_PARTICIPATION_STEP,
    GATHERING_KINDS,
    GraphFormat,
    build_graph,
    write_graph,
)
from .reasons import leader_reasons
from .scores import COMPONENTS, LeaderScore, explain

__all__ = [
    "COMPONENTS",
    "CO_PARTICIPATION_MAX_PARTICIPANTS",
    "CO_PARTICIPATION_STEP",
    "GATHERING_KINDS",
    "SPARSE_ABOVE",
    "GraphFormat",
    "LeaderScore",
    "build_graph",
    "explain",
    "leader_reasons",
    "leaders_unknown_to_programme",
    "rank_graph",
    "rank_leaders",
    "write_graph",
]
