"""Fast paths: python-igraph and scipy.sparse versions of the search-based measures.

Above :data:`FAST_THRESHOLD` nodes the measures of :mod:`netsoc.measures.centrality`
and :mod:`netsoc.measures.brokerage` switch to the functions here, which return
values in the networkx convention. Exact undirected betweenness and closeness
first reduce the graph (:func:`_prune`: components of under 3 nodes and
degree-1 vertices need no breadth-first search of their own) and, above
:data:`SPLIT_THRESHOLD` nodes, run in :data:`~netsoc._workers.SPLIT_PARTS`
fixed parts in forked worker processes (the ``*_task`` functions, which read
their inputs from :data:`netsoc._workers._SHARED`), summed in part order.

References
----------
Brandes, U. (2001). A faster algorithm for betweenness centrality.
*Journal of Mathematical Sociology* 25(2), 163-177.
Baglioni, M., Geraci, F., Pellegrini, M. & Lastres, E. (2012). Fast exact
computation of betweenness centrality in social networks. *ASONAM 2012*, 450-456.
"""

from __future__ import annotations

from dataclasses import dataclass

import igraph as ig
import networkx as nx
import numpy as np
import scipy.sparse as sp
from scipy.sparse import csgraph

from netsoc._workers import _SHARED, SPLIT_PARTS, _shared_map

#: graphs with more nodes than this use python-igraph / scipy.sparse paths
FAST_THRESHOLD = 1000
#: graphs with more nodes than this compute exact betweenness and closeness in
#: :data:`SPLIT_PARTS` fixed parts of the sources, run in parallel processes
SPLIT_THRESHOLD = 5000


def _use_fast(g: nx.Graph, method: str) -> bool:
    if method not in ("auto", "networkx", "igraph"):
        raise ValueError(f"method must be 'auto', 'networkx' or 'igraph', not {method!r}")
    return method == "igraph" or (method == "auto" and g.number_of_nodes() > FAST_THRESHOLD)


def to_igraph(g: nx.Graph, weight: str | None = None) -> tuple[ig.Graph, list]:
    """Convert to python-igraph keeping node order; returns ``(graph, nodes)``.

    Edge weights (attribute ``weight``) are stored as the igraph edge
    attribute ``"weight"`` when ``weight`` is given.
    """
    nodes = list(g)
    index = {n: i for i, n in enumerate(nodes)}
    edges = [(index[u], index[v]) for u, v in g.edges()]
    h = ig.Graph(n=len(nodes), edges=edges, directed=g.is_directed())
    if weight is not None:
        h.es["weight"] = [float(d.get(weight, 1)) for _, _, d in g.edges(data=True)]
    return h, nodes


@dataclass
class _Pruned:
    """An undirected graph reduced for exact BFS measures (see :func:`_prune`).

    Positions refer to ``keep`` (the vertices of components with at least 3
    nodes); ``edges`` are relabelled to those positions.
    """

    n: int
    keep: np.ndarray
    edges: np.ndarray
    sources: np.ndarray
    weight: np.ndarray
    leaves: np.ndarray
    anchor: np.ndarray
    size: np.ndarray


def _prune(n: int, edges: np.ndarray) -> _Pruned:
    """Reduce a simple undirected graph ``(n, edges)`` for exact betweenness and closeness.

    Vertices in components of 1 or 2 nodes have betweenness 0 and trivial
    closeness, so only larger components are kept. In those, a degree-1 vertex
    (a leaf) ``l`` hanging on ``a`` needs no breadth-first search of its own:
    every shortest path from ``l`` is ``l-a`` followed by a shortest path from
    ``a``, so Brandes' dependencies of source ``l`` equal those of source ``a``
    except at ``a`` itself, which lies on the paths from ``l`` to all other
    ``size - 2`` vertices of the component; and the distance sum of ``l`` is
    that of ``a`` plus ``size - 2``. The searches left are one per vertex of
    degree >= 2, each counted ``weight`` times (itself plus its leaves) -- the
    degree-1 reduction of Baglioni et al. (2012) and Sariyüce et al. (2013).
    """
    edges = np.asarray(edges, dtype=np.int64).reshape(-1, 2)
    edges = edges[edges[:, 0] != edges[:, 1]]
    if len(edges):
        lo, hi = np.minimum(edges[:, 0], edges[:, 1]), np.maximum(edges[:, 0], edges[:, 1])
        codes = np.unique(lo * n + hi)  # sorted, repeats dropped (1-d: much faster than axis=0)
        edges = np.column_stack([codes // n, codes % n])
    deg = np.bincount(edges.ravel(), minlength=n)
    adj = sp.coo_matrix((np.ones(len(edges)), (edges[:, 0], edges[:, 1])), shape=(n, n))
    _, labels = csgraph.connected_components(adj, directed=False)
    size_all = np.bincount(labels)[labels]
    keep = np.flatnonzero(size_all >= 3)
    pos = np.full(n, -1, dtype=np.int64)
    pos[keep] = np.arange(len(keep))
    sub = pos[edges]
    sub = sub[sub[:, 0] >= 0]
    deg_k = deg[keep]
    leaf_edge = deg_k[sub] == 1  # (m, 2): which end of each edge is a leaf
    leaves = np.concatenate([sub[leaf_edge[:, 0], 0], sub[leaf_edge[:, 1], 1]])
    anchor = np.concatenate([sub[leaf_edge[:, 0], 1], sub[leaf_edge[:, 1], 0]])
    order = np.argsort(leaves, kind="stable")
    leaves, anchor = leaves[order], anchor[order]
    weight = 1 + np.bincount(anchor, minlength=len(keep))
    sources = np.flatnonzero(deg_k >= 2)
    return _Pruned(n, keep, sub, sources, weight, leaves, anchor, size_all[keep])


def _pruned_sum(h: ig.Graph, p: _Pruned, sources: np.ndarray) -> np.ndarray:
    """Sum over ``sources`` (positions in ``p.keep``) of ``weight x`` their Brandes dependencies / 2."""
    total = np.zeros(len(p.keep))
    ws = p.weight[sources]
    for w in np.unique(ws):
        group = sources[ws == w].tolist()
        total += int(w) * np.asarray(h.betweenness(directed=False, sources=group), dtype=float)
    return total


def _leaf_terms(p: _Pruned) -> np.ndarray:
    """What the leaves' own searches add: each anchor lies on its leaf's paths to ``size - 2`` nodes."""
    extra = np.zeros(len(p.keep))
    np.add.at(extra, p.anchor, (p.size[p.anchor] - 2) / 2.0)
    return extra


def _weighted_betweenness_task(task: tuple) -> np.ndarray:
    key, sources = task
    p = _SHARED[key]
    h = ig.Graph(n=len(p.keep), edges=p.edges.tolist())
    return _pruned_sum(h, p, np.asarray(sources, dtype=np.int64))


def _closeness_sums_task(task: tuple) -> np.ndarray:
    """Distance sums (over the source's component) of the given sources."""
    key, sources = task
    p = _SHARED[key]
    h = ig.Graph(n=len(p.keep), edges=p.edges.tolist())
    c = np.asarray(h.closeness(vertices=sources), dtype=float)  # (size - 1) / sum
    return np.rint((p.size[sources] - 1) / c)


def _source_parts(p: _Pruned, parts: int) -> list[np.ndarray]:
    # interleaved within each weight group, so parts cost alike whatever the weights
    order = np.lexsort((p.sources, p.weight[p.sources]))
    ranked = p.sources[order]
    return [np.sort(ranked[i::parts]) for i in range(parts)]


def undirected_betweenness(n: int, edges: np.ndarray, jobs: int | None = None) -> np.ndarray:
    """Exact raw betweenness (pairs counted once) of the simple undirected graph ``(n, edges)``.

    The graph is reduced first (:func:`_prune`: components under 3 nodes and
    leaves need no search); the remaining searches run in python-igraph, in
    :data:`SPLIT_PARTS` fixed interleaved parts over worker processes when the
    graph has more than :data:`SPLIT_THRESHOLD` nodes, summed in part order, so
    the numbers do not depend on the number of cores.

    References
    ----------
    Brandes, U. (2001). A faster algorithm for betweenness centrality.
    *Journal of Mathematical Sociology* 25(2), 163-177.
    Baglioni, M., Geraci, F., Pellegrini, M. & Lastres, E. (2012). Fast exact
    computation of betweenness centrality in social networks. *ASONAM 2012*, 450-456.
    """
    p = _prune(n, edges)
    out = np.zeros(n)
    if not len(p.sources):
        return out
    parts = SPLIT_PARTS if n > SPLIT_THRESHOLD else 1
    res = _shared_map(_weighted_betweenness_task, p,
                      [c for c in _source_parts(p, parts) if len(c)], jobs)
    total = np.zeros(len(p.keep))
    for r in res:
        total += r
    out[p.keep] = total + _leaf_terms(p)
    return out


def undirected_distance_sums(n: int, edges: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sum of distances to the reachable nodes and component size of every node (undirected).

    Uses the reduction of :func:`_prune` (a leaf's sum is its anchor's plus
    ``size - 2``) and python-igraph searches, split like :func:`undirected_betweenness`.
    Returns ``(sums, sizes)``; sums are 0 for isolates.
    """
    p = _prune(n, edges)
    parts = SPLIT_PARTS if n > SPLIT_THRESHOLD else 1
    chunks = [c for c in (p.sources[i::parts] for i in range(parts)) if len(c)]
    sub = np.zeros(len(p.keep))
    for c, r in zip(chunks, _shared_map(_closeness_sums_task, p, chunks), strict=True):
        sub[c] = r
    return _expand_sums(n, edges, p, sub)


def _expand_sums(n: int, edges: np.ndarray, p: _Pruned,
                 sums_kept: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distance sums and component sizes of all nodes from those of the searched ones."""
    sums, sizes = np.zeros(n), np.ones(n)
    edges = np.asarray(edges, dtype=np.int64).reshape(-1, 2)
    lone = np.setdiff1d(np.unique(edges[edges[:, 0] != edges[:, 1]]), p.keep)
    sums[lone], sizes[lone] = 1.0, 2.0  # the two ends of a lone edge
    sub = np.array(sums_kept, dtype=float)
    sub[p.leaves] = sub[p.anchor] + p.size[p.leaves] - 2
    sums[p.keep], sizes[p.keep] = sub, p.size
    return sums, sizes


def _closeness_from_sums(sums: np.ndarray, sizes: np.ndarray, n: int) -> np.ndarray:
    """networkx closeness ``(r-1)/sum * (r-1)/(n-1)`` (0 for isolates), as floats in that order."""
    with np.errstate(invalid="ignore", divide="ignore"):
        raw = np.where(sums > 0, (sizes - 1) / np.where(sums > 0, sums, 1), np.nan)
        vals = np.where(sizes > 1, raw * (sizes - 1) / max(n - 1, 1), 0.0)
    return np.nan_to_num(vals)


def _betweenness_task(task: tuple) -> np.ndarray:
    key, sources = task
    n, edges, directed = _SHARED[key]
    h = ig.Graph(n=n, edges=edges, directed=directed)
    return np.asarray(h.betweenness(directed=directed, sources=sources), dtype=float)


def _closeness_task(task: tuple) -> np.ndarray:
    key, vertices = task
    n, edges, directed = _SHARED[key]
    h = ig.Graph(n=n, edges=edges, directed=directed)
    return np.asarray(h.closeness(vertices=vertices, mode="in" if directed else "all"),
                      dtype=float)


def _split_sources(n: int, parts: int = SPLIT_PARTS) -> list[list[int]]:
    # interleaved, so each part gets a similar mix of cheap (isolated) and costly sources
    return [list(range(i, n, parts)) for i in range(parts)]


def igraph_betweenness(n: int, edges: np.ndarray, directed: bool = False,
                       sources: list[int] | None = None, jobs: int | None = None) -> np.ndarray:
    """Raw igraph betweenness of the graph ``(n, edges)``, split over processes when large.

    Exact undirected betweenness goes through :func:`undirected_betweenness`.
    Otherwise, above :data:`SPLIT_THRESHOLD` nodes the sources are cut into
    :data:`SPLIT_PARTS` interleaved parts whose betweenness (Brandes'
    dependencies summed over each part's sources) is computed in parallel and
    summed in part order -- the same numbers on any number of cores. For an
    undirected graph igraph halves the sum over sources, as networkx does, so the
    parts add up to the full value.
    """
    edges = np.asarray(edges, dtype=np.int64).reshape(-1, 2)
    if sources is None and not directed:
        return undirected_betweenness(n, edges, jobs=jobs)
    if sources is None and n <= SPLIT_THRESHOLD:
        h = ig.Graph(n=n, edges=edges.tolist(), directed=directed)
        return np.asarray(h.betweenness(directed=directed), dtype=float)
    src = list(range(n)) if sources is None else list(sources)
    parts = [src[i::SPLIT_PARTS] for i in range(SPLIT_PARTS)]
    res = _shared_map(_betweenness_task, (n, edges.tolist(), directed), [p for p in parts if p],
                      jobs)
    total = np.zeros(n)
    for r in res:
        total += r
    return total


def _igraph_closeness(n: int, edges: list, directed: bool) -> np.ndarray:
    """igraph closeness (``(r-1)/sum`` over reachable nodes) of every node, split when large."""
    if n <= SPLIT_THRESHOLD:
        h = ig.Graph(n=n, edges=edges, directed=directed)
        return np.asarray(h.closeness(mode="in" if directed else "all"), dtype=float)
    parts = _split_sources(n)
    res = _shared_map(_closeness_task, (n, edges, directed), parts)
    out = np.empty(n)
    for p, r in zip(parts, res, strict=True):
        out[p] = r
    return out


def _adjacency(g: nx.Graph, weight: str | None) -> tuple[sp.csr_matrix, list]:
    nodes = list(g)
    a = nx.to_scipy_sparse_array(g, nodelist=nodes, weight=weight, format="csr", dtype=float)
    return sp.csr_matrix(a), nodes
