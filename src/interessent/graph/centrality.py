"""PageRank and betweenness centrality of the stakeholder network.

:func:`_centralities` computes both for the nodes of a networkx graph: with networkx's
exact algorithms while that is cheap, else on a sparse adjacency matrix. The sparse-matrix
path is also what :func:`~interessent.graph.rank_leaders` uses on large networks read
straight from the database: PageRank by power iteration (:func:`_pagerank`, as networkx
computes it) and betweenness by Brandes' algorithm, summed over a random sample of source
stakeholders within a work budget (:func:`_betweenness`).

networkx and scipy are imported where they are used, not with the module: a command that
reads a ranking kept in the database (or drafts letters) needs neither, and loading them
costs a third of a second.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:  # loaded where they are used: a ranking read back needs neither
    import networkx as nx
    import scipy.sparse as sp

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Method = Literal["auto", "exact", "sparse"]

#: networkx's exact betweenness costs about nodes × edges steps in Python (half a second
#: at this much); above it the sparse Brandes below is used instead.
_EXACT_WORK = 500_000
#: Work budget of sampled betweenness, in adjacency entries visited (see _brandes); one
#: unit is a few nanoseconds, so the budget is a fraction of a second.
_BETWEENNESS_WORK = 30_000_000
#: At least this many sources are sampled, however large the network, unless a network
#: of very long paths spends four budgets first.
_MIN_SOURCES = 16
#: One BFS level costs about as much Python overhead as visiting this many entries.
_LEVEL_COST = 4_000

#: Ties weaker than this count as no tie (0 strength; and no overflow dividing by them).
_MIN_WEIGHT = 1e-9
_ALPHA = 0.85
_TOL = 1.0e-6
_MAX_ITER = 100


def _pagerank(weights: sp.csr_matrix, alpha: float = _ALPHA, tol: float = _TOL,
              max_iter: int = _MAX_ITER) -> Floats:
    """PageRank by power iteration on a symmetric weighted adjacency matrix, as networkx
    computes it: uniform teleport, dangling (isolated) nodes spread evenly, stop when the
    L1 change is below ``n × tol``."""
    n = weights.shape[0]
    if n == 0:
        return np.zeros(0)
    degree = np.asarray(weights.sum(axis=1)).ravel()
    dangling = np.flatnonzero(degree == 0)
    inverse = np.divide(1.0, degree, out=np.zeros(n), where=degree != 0)
    x = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        last = x
        x = alpha * (weights @ (x * inverse) + last[dangling].sum() / n) + (1.0 - alpha) / n
        if np.abs(x - last).sum() < n * tol:
            break
    return np.asarray(x / x.sum(), dtype=np.float64)


def _brandes(adjacency: sp.csr_matrix, sources: Iterable[int], budget: float | None) -> tuple[
    Floats, int
]:
    """Brandes' betweenness, unnormalised and in hops, summed over ``sources`` (taken in
    order) until ``budget`` units of work are spent; returns the sums and how many sources
    were used.

    ``adjacency`` is symmetric with unit entries. Each source takes one breadth-first
    search in C (scipy.sparse.csgraph). Its levels are contiguous in the search order, so
    path counts (forward) and dependencies (backward) take one sparse matrix-vector
    product per level: over the level's own rows when the level is small, over the whole
    matrix when it holds a large share of the entries (cheaper than copying those rows).
    """
    from scipy.sparse import csgraph

    n = adjacency.shape[0]
    nnz = max(adjacency.nnz, 1)
    degree = np.diff(adjacency.indptr)
    total = np.zeros(n)
    sigma = np.zeros(n)
    delta = np.zeros(n)
    coeff = np.zeros(n)
    position = np.zeros(n, dtype=np.int64)
    spent = 0.0
    used = 0
    for source in sources:
        if budget is not None and spent >= budget and (used >= _MIN_SOURCES
                                                       or spent >= 4 * budget):
            break
        order, pred = csgraph.breadth_first_order(
            adjacency, int(source), directed=True, return_predecessors=True
        )
        used += 1
        reached = len(order)
        spent += reached + _LEVEL_COST
        if reached <= 2:
            continue
        position[order] = np.arange(reached)
        parent_at = position[pred[order[1:]]]  # non-decreasing in BFS order
        bounds = [0, 1]
        while bounds[-1] < reached:
            bounds.append(1 + int(np.searchsorted(parent_at, bounds[-1], side="left")))
        levels = [order[bounds[i]:bounds[i + 1]] for i in range(len(bounds) - 1)]
        rows: list[sp.csr_matrix | None] = []
        for level in levels:
            entries = int(degree[level].sum())
            if entries * 4 > nnz:
                rows.append(None)
                spent += 2 * nnz
            else:
                rows.append(adjacency[level])
                spent += 3 * entries
            spent += _LEVEL_COST

        sigma.fill(0.0)
        sigma[source] = 1.0
        for depth in range(1, len(levels)):
            sigma[levels[depth]] = _level_product(adjacency, rows, levels, depth, sigma)
        delta.fill(0.0)
        coeff.fill(0.0)
        for depth in range(len(levels) - 1, 0, -1):
            w = levels[depth]
            coeff[w] = (1.0 + delta[w]) / sigma[w]
            v = levels[depth - 1]
            delta[v] = sigma[v] * _level_product(adjacency, rows, levels, depth - 1, coeff)
        delta[source] = 0.0
        total += delta
    return total, used


def _level_product(
    adjacency: sp.csr_matrix, rows: Sequence[sp.csr_matrix | None], levels: Sequence[Ints],
    depth: int, vector: Floats,
) -> Floats:
    """The rows of ``adjacency @ vector`` that belong to BFS level ``depth``."""
    block = rows[depth]
    if block is None:
        return np.asarray(adjacency @ vector, dtype=np.float64)[levels[depth]]
    return np.asarray(block @ vector, dtype=np.float64)


def _betweenness(adjacency: sp.csr_matrix, *, sources: int | None, seed: int) -> Floats:
    """Betweenness (networkx's normalisation) from sampled sources: all of them when
    ``sources`` ≥ n, else a random sample, by default as many as the work budget allows."""
    n = adjacency.shape[0]
    if n <= 2:
        return np.zeros(n)
    sample = np.random.default_rng(seed).permutation(n)
    if sources is not None:
        sample = sample[: max(1, sources)]
        total, used = _brandes(adjacency, sample, None)
    else:
        total, used = _brandes(adjacency, sample, _BETWEENNESS_WORK)
    return np.asarray(total * (n / used) / ((n - 1) * (n - 2)), dtype=np.float64)


def _csr(n: int, a: Ints, b: Ints, w: Floats) -> sp.csr_matrix:
    """Symmetric adjacency with the largest weight of each pair; (near-)zero weights and
    self-ties are dropped."""
    import scipy.sparse as sp

    keep = (a != b) & (w > _MIN_WEIGHT)
    a, b, w = a[keep], b[keep], w[keep]
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    key = lo * np.int64(max(n, 1)) + hi
    order = np.argsort(key)
    key, w = key[order], w[order]
    if len(key):
        starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
        w = np.maximum.reduceat(w, starts)
        key = key[starts]
    lo, hi = key // max(n, 1), key % max(n, 1)
    matrix = sp.coo_matrix(
        (np.r_[w, w], (np.r_[lo, hi], np.r_[hi, lo])), shape=(n, n)
    ).tocsr()
    matrix.sort_indices()
    return matrix


def _binary(weights: sp.csr_matrix) -> sp.csr_matrix:
    pattern = weights.copy()
    pattern.data = np.ones_like(pattern.data)
    return pattern


def _centralities(
    graph: nx.Graph[Any], nodes: Sequence[Hashable], method: Method, sources: int | None,
    seed: int, weight: str | None,
) -> tuple[Floats, Floats]:
    """PageRank and betweenness of ``nodes`` (in that order) on the undirected ``graph``."""
    index = {node: i for i, node in enumerate(nodes)}
    n = len(nodes)
    a: list[int] = []
    b: list[int] = []
    w: list[float] = []
    for u, v, data in graph.edges(data=True):
        value = 1.0 if weight is None else float(data.get(weight, 1.0))
        if u != v and value > _MIN_WEIGHT:
            a.append(index[u])
            b.append(index[v])
            w.append(value)
    if method == "auto":
        method = "exact" if n * len(a) <= _EXACT_WORK else "sparse"
    if method == "exact":
        import networkx as nx

        clean: nx.Graph[int] = nx.Graph()
        clean.add_nodes_from(range(n))
        clean.add_weighted_edges_from(zip(a, b, w, strict=True))
        pr = nx.pagerank(clean, alpha=_ALPHA, tol=_TOL, max_iter=_MAX_ITER) if n else {}
        bc = nx.betweenness_centrality(clean, normalized=True)
        return (np.array([pr.get(i, 0.0) for i in range(n)], dtype=np.float64),
                np.array([bc.get(i, 0.0) for i in range(n)], dtype=np.float64))
    matrix = _csr(n, np.array(a, dtype=np.int64), np.array(b, dtype=np.int64),
                  np.array(w, dtype=np.float64))
    return _pagerank(matrix), _betweenness(_binary(matrix), sources=sources, seed=seed)
