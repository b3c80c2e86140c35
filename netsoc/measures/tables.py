"""Actor- and network-level measures with the conventions of ``DESIGN.md`` §3.

Every number here is defined so that it can be checked against a reference
implementation: networkx for centralities, R ``sna`` for brokerage and Freeman
centralization, R ``igraph`` for Burt's constraint. On large graphs the same
functions switch to python-igraph or scipy.sparse (``method="auto"`` above
:data:`FAST_THRESHOLD` nodes) and return values in the networkx convention;
``tests/test_measures.py`` checks that both paths agree.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Collection, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse import csgraph

from netsoc._workers import _KEYS, _SHARED, SPLIT_PARTS, _shared_map, n_jobs
from netsoc.graphs import Networks
from netsoc.i18n import Note
from netsoc.study import Study

#: graphs with more nodes than this use python-igraph / scipy.sparse paths
FAST_THRESHOLD = 1000
#: graphs with more nodes than this compute exact betweenness and closeness in
#: :data:`SPLIT_PARTS` fixed parts of the sources, run in parallel processes
SPLIT_THRESHOLD = 5000

ROLES: tuple[str, ...] = ("coordinator", "itinerant", "representative", "gatekeeper", "liaison")
#: column names of ``sna::brokerage()$raw.nli`` for the roles above, then the total
SNA_ROLE_NAMES: tuple[str, ...] = ("w_I", "w_O", "b_IO", "b_OI", "b_O", "t")

ACTOR_COLUMNS: tuple[str, ...] = (
    "actor_id", "name", "type", "kommun_kod", "degree", "strength", "betweenness",
    "betweenness_norm", "closeness", "eigenvector", "pagerank", "constraint",
    "coordinator", "itinerant", "representative", "gatekeeper", "liaison",
    "brokerage_total", "in_degree_reported", "out_degree_reported",
    "placements_hosted", "placements_referred",
)


# ---------------------------------------------------------------------------
# helpers


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


def _group_labels(g: nx.Graph, groups) -> dict:
    """Node -> group label from a node attribute name or a mapping ('' when missing)."""
    if isinstance(groups, str):
        lab = {n: d.get(groups) for n, d in g.nodes(data=True)}
    elif isinstance(groups, Mapping | pd.Series):
        lab = {n: groups.get(n) for n in g}
    else:
        raise TypeError("groups must be a node attribute name or a mapping node -> group")
    out = {}
    for n, v in lab.items():
        out[n] = "" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v)
    return out


# ---------------------------------------------------------------------------
# centralities (networkx convention, fast paths behind the same function)


def betweenness(g: nx.Graph, normalized: bool = False, method: str = "auto") -> dict:
    """Unweighted shortest-path betweenness in the networkx/sna convention.

    For an undirected graph each unordered pair counts once, so the raw value
    equals ``networkx.betweenness_centrality(g, normalized=False)`` and
    R ``sna::betweenness(g, gmode="graph")``. ``normalized=True`` divides by
    ``(n-1)(n-2)/2`` (undirected) or ``(n-1)(n-2)`` (directed).

    Parameters
    ----------
    g : nx.Graph or nx.DiGraph
    normalized : bool
    method : {"auto", "networkx", "igraph"}
        ``auto`` uses igraph above :data:`FAST_THRESHOLD` nodes.

    Returns
    -------
    dict
        node -> betweenness.

    Examples
    --------
    >>> b = betweenness(nx.krackhardt_kite_graph())
    >>> round(b[7], 3)  # Heather
    14.0

    References
    ----------
    Freeman, L. C. (1977). A set of measures of centrality based on betweenness.
    *Sociometry* 40(1), 35-41.
    Brandes, U. (2001). A faster algorithm for betweenness centrality.
    *Journal of Mathematical Sociology* 25(2), 163-177.
    """
    n = g.number_of_nodes()
    if _use_fast(g, method):
        nodes = list(g)
        index = {v: i for i, v in enumerate(nodes)}
        edges = np.array([(index[u], index[v]) for u, v in g.edges()],
                         dtype=np.int64).reshape(-1, 2)
        vals = igraph_betweenness(n, edges, directed=g.is_directed())
        if normalized:
            scale = (n - 1) * (n - 2) / (1 if g.is_directed() else 2)
            vals = vals / scale if scale > 0 else vals * 0.0
        return dict(zip(nodes, vals.tolist(), strict=True))
    b = nx.betweenness_centrality(g, normalized=False)
    if normalized:
        scale = (n - 1) * (n - 2) / (1 if g.is_directed() else 2)
        b = {k: (v / scale if scale > 0 else 0.0) for k, v in b.items()}
    return b


def closeness(g: nx.Graph, method: str = "auto") -> dict:
    """Closeness centrality, networkx convention (Wasserman-Faust on disconnected graphs).

    ``C(u) = (r-1)/sum_v d(v,u) * (r-1)/(n-1)`` where ``r`` is the number of
    nodes that reach ``u`` (itself included); isolates get 0. Unweighted
    distances; for directed graphs incoming distances (as networkx).

    Examples
    --------
    >>> round(closeness(nx.path_graph(3))[1], 3)
    1.0

    References
    ----------
    Freeman, L. C. (1979). Centrality in social networks: conceptual
    clarification. *Social Networks* 1(3), 215-239.
    Wasserman, S. & Faust, K. (1994). *Social Network Analysis*. Cambridge UP, p. 201.
    """
    n = g.number_of_nodes()
    if not _use_fast(g, method):
        return nx.closeness_centrality(g)
    h, nodes = to_igraph(g)
    if not g.is_directed():
        sums, sizes = undirected_distance_sums(n, np.array(h.get_edgelist(), dtype=np.int64))
        return dict(zip(nodes, _closeness_from_sums(sums, sizes, n).tolist(), strict=True))
    raw = _igraph_closeness(n, h.get_edgelist(), True)  # (r-1)/sum over the nodes reaching it
    reach = np.array([len(h.subcomponent(i, mode="in")) for i in range(n)], dtype=float)
    with np.errstate(invalid="ignore"):
        vals = np.where(reach > 1, raw * (reach - 1) / max(n - 1, 1), 0.0)
    return dict(zip(nodes, np.nan_to_num(vals).tolist(), strict=True))


def eigenvector(g: nx.Graph, weight: str | None = "weight", method: str = "auto",
                max_iter: int = 1000, tol: float = 1.0e-6) -> dict:
    """Eigenvector centrality, networkx convention (unit Euclidean norm).

    Power iteration on ``A + I`` from a uniform start, stopping when the L1
    change is below ``n * tol`` -- the algorithm of
    ``networkx.eigenvector_centrality``; the fast path runs the same iteration
    with a scipy.sparse matrix. Weighted by ``weight`` (tie strength).

    Examples
    --------
    >>> e = eigenvector(nx.star_graph(3), weight=None)
    >>> round(e[0], 4)
    0.7071

    References
    ----------
    Bonacich, P. (1987). Power and centrality: a family of measures.
    *American Journal of Sociology* 92(5), 1170-1182.
    """
    if g.number_of_nodes() == 0:
        return {}
    if not _use_fast(g, method):
        return nx.eigenvector_centrality(g, max_iter=max_iter, tol=tol, weight=weight)
    a, nodes = _adjacency(g, weight)
    at = a.T.tocsr()  # x_new[v] += x[u] * w(u, v): in-edges, as networkx
    n = len(nodes)
    x = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        xlast = x
        x = xlast + at @ xlast
        norm = np.sqrt(np.sum(x * x)) or 1.0
        x = x / norm
        if np.sum(np.abs(x - xlast)) < n * tol:
            return dict(zip(nodes, x.tolist(), strict=True))
    raise nx.PowerIterationFailedConvergence(max_iter)


def pagerank(g: nx.Graph, alpha: float = 0.85, weight: str | None = "weight") -> dict:
    """PageRank (networkx, scipy-based; weighted by tie strength).

    Examples
    --------
    >>> round(sum(pagerank(nx.path_graph(4)).values()), 6)
    1.0

    References
    ----------
    Brin, S. & Page, L. (1998). The anatomy of a large-scale hypertextual web
    search engine. *Computer Networks and ISDN Systems* 30, 107-117.
    """
    if g.number_of_nodes() == 0:
        return {}
    return nx.pagerank(g, alpha=alpha, weight=weight, max_iter=1000, tol=1.0e-10)


def constraint(g: nx.Graph, weight: str | None = "weight", method: str = "auto") -> dict:
    """Burt's constraint, weighted (networkx / igraph convention).

    ``c_i = sum_j (p_ij + sum_q p_iq p_qj)^2`` over neighbours ``j`` of ``i``,
    with ``p_ij = (a_ij + a_ji) / sum_k (a_ik + a_ki)``. Isolates get NaN.
    Equal to ``networkx.constraint`` and R ``igraph::constraint(g, weights=)``.

    Examples
    --------
    >>> c = constraint(nx.star_graph(3), weight=None)
    >>> round(c[0], 4), round(c[1], 4)
    (0.3333, 1.0)

    References
    ----------
    Burt, R. S. (1992). *Structural Holes: The Social Structure of Competition*.
    Harvard University Press.
    """
    if not _use_fast(g, method):
        return nx.constraint(g, weight=weight)
    h, nodes = to_igraph(g, weight=weight)
    vals = h.constraint(weights="weight" if weight is not None else None)
    return dict(zip(nodes, [float(v) for v in vals], strict=True))


# ---------------------------------------------------------------------------
# network-level indices


def transitivity(g: nx.Graph, method: str = "auto") -> float:
    """Global clustering coefficient ``3 x triangles / connected triples``, as ``networkx.transitivity``.

    Self-loops are ignored; 0 when there is no triangle. The fast path counts
    triangles with python-igraph and returns the same float as networkx (the
    ratio of the same two integers).

    Examples
    --------
    >>> round(transitivity(nx.karate_club_graph()), 4)
    0.2557
    """
    if not _use_fast(g, method):
        return float(nx.transitivity(g))
    nodes = list(g)
    index = {v: i for i, v in enumerate(nodes)}
    edges = [(index[u], index[v]) for u, v in g.edges() if u != v]
    h = ig.Graph(n=len(nodes), edges=edges)
    deg = np.asarray(h.degree(), dtype=np.int64)
    contri = int(np.sum(deg * (deg - 1)))  # ordered pairs of neighbours: 2 x triples
    if contri == 0:
        return 0.0
    ratio = h.transitivity_undirected()  # 3 T / triples = 6 T / contri
    six_t = round(ratio * contri) if np.isfinite(ratio) else 0
    return 0.0 if six_t == 0 else six_t / contri


def reciprocity(g: nx.DiGraph) -> float:
    """Share of arcs whose reverse arc exists, as ``networkx.reciprocity(g)`` (self-loops not reciprocal).

    Examples
    --------
    >>> reciprocity(nx.DiGraph([(1, 2), (2, 1), (2, 3)]))
    0.6666666666666666
    """
    m = g.number_of_edges()
    if m == 0:
        raise nx.NetworkXError("Not defined for empty graphs")
    succ = g._succ
    mutual = sum(1 for u, v in g.edges() if u != v and u in succ[v])
    return mutual / m


def freeman_centralization(g: nx.Graph, measure: str = "degree",
                           values: Mapping | None = None) -> float:
    """Freeman centralization of the binary undirected graph, normalised as R ``sna``.

    ``C = sum_i (c_max - c_i) / max_dev`` where ``max_dev`` is the value for a
    star of the same size: ``(n-1)(n-2)`` for degree and ``(n-1)^2 (n-2)/2``
    for raw betweenness. Equals ``sna::centralization(g, degree, mode="graph")``
    and ``sna::centralization(g, betweenness, mode="graph")``. Directed input is
    symmetrised (any direction); weights are ignored. NaN for fewer than 3 nodes.

    Parameters
    ----------
    g : nx.Graph
    measure : {"degree", "betweenness"}
    values : mapping, optional
        Precomputed raw betweenness of ``g`` (node -> value), to avoid recomputing.

    Examples
    --------
    >>> freeman_centralization(nx.star_graph(5))
    1.0
    >>> round(freeman_centralization(nx.karate_club_graph()), 4)
    0.3996

    References
    ----------
    Freeman, L. C. (1979). Centrality in social networks: conceptual
    clarification. *Social Networks* 1(3), 215-239.
    """
    h = nx.Graph(g.to_undirected(as_view=True)) if g.is_directed() else g
    n = h.number_of_nodes()
    if n < 3:
        return float("nan")
    if measure == "degree":
        c = np.array([d for _, d in h.degree()], dtype=float)
        max_dev = (n - 1) * (n - 2)
    elif measure == "betweenness":
        b = betweenness(h) if values is None else values
        c = np.array([b[v] for v in h], dtype=float)
        max_dev = (n - 1) ** 2 * (n - 2) / 2
    else:
        raise ValueError("measure must be 'degree' or 'betweenness'")
    return float(np.sum(c.max() - c) / max_dev)


@dataclass
class EIResult:
    """Krackhardt-Stern E-I index with a permutation test.

    Attributes
    ----------
    ei : float
        ``(E - I) / (E + I)``; NaN without ties.
    external, internal : int
        Ties between / within groups.
    expected : float
        Expected E-I when group labels are assigned at random (group sizes fixed).
    p_value : float
        Two-sided permutation p-value, ``(1 + #{|EI* - expected| >= |EI - expected|}) / (R + 1)``.
    p_greater, p_less : float
        One-sided permutation p-values (more external / more internal than chance).
    permutations, seed : int
    """

    ei: float
    external: int
    internal: int
    expected: float
    p_value: float
    p_greater: float
    p_less: float
    permutations: int
    seed: int | None

    def summary(self) -> str:
        return (
            f"E-I index {self.ei:.3f} (external {self.external}, internal {self.internal}); "
            f"expected {self.expected:.3f}; permutation p = {self.p_value:.4f} "
            f"({self.permutations} permutations, seed {self.seed})"
        )


def ei_index(g: nx.Graph, groups, permutations: int = 1000, seed: int | None = 0) -> EIResult:
    """Krackhardt-Stern E-I index of ``g`` by ``groups`` with a permutation p-value.

    ``EI = (E - I) / (E + I)``, E = ties between groups, I = ties within.
    Directed graphs count arcs. Nodes with a missing group label are left out
    (with their ties). The null distribution shuffles the labels over the
    nodes (group sizes fixed) with a seeded generator, so the same seed gives
    the same p-value.

    Parameters
    ----------
    g : nx.Graph
    groups : str or mapping
        Node attribute name, or node -> group.
    permutations : int
    seed : int or None

    Examples
    --------
    >>> g = nx.Graph([(1, 2), (2, 3), (3, 4)])
    >>> ei_index(g, {1: "a", 2: "a", 3: "b", 4: "b"}, permutations=0).ei
    -0.3333333333333333

    References
    ----------
    Krackhardt, D. & Stern, R. N. (1988). Informal networks and organizational
    crises: an experimental simulation. *Social Psychology Quarterly* 51(2), 123-140.
    Phipson, B. & Smyth, G. K. (2010). Permutation p-values should never be zero.
    *Statistical Applications in Genetics and Molecular Biology* 9(1).
    """
    lab = _group_labels(g, groups)
    nodes = [n for n in g if lab[n] != ""]
    index = {n: i for i, n in enumerate(nodes)}
    codes, uniq = pd.factorize(pd.Series([lab[n] for n in nodes], dtype=object), sort=True)
    edges = np.array(
        [(index[u], index[v]) for u, v in g.edges() if u in index and v in index and u != v],
        dtype=np.int64,
    ).reshape(-1, 2)
    m = len(edges)
    nn = len(nodes)
    sizes = np.bincount(codes, minlength=len(uniq)).astype(float) if nn else np.zeros(0)
    p_ext = 1.0 - (np.sum(sizes * (sizes - 1)) / (nn * (nn - 1)) if nn > 1 else 1.0)
    expected = 2.0 * p_ext - 1.0
    if m == 0:
        return EIResult(float("nan"), 0, 0, expected, float("nan"), float("nan"),
                        float("nan"), permutations, seed)
    ext = int(np.sum(codes[edges[:, 0]] != codes[edges[:, 1]]))
    ei = (2.0 * ext - m) / m
    if permutations <= 0:
        return EIResult(ei, ext, m - ext, expected, float("nan"), float("nan"),
                        float("nan"), 0, seed)
    rng = np.random.default_rng(seed)
    perm_ei = np.empty(permutations)
    batch = max(1, min(permutations, 2_000_000 // max(nn, 1)))
    # narrow labels: the same shuffles (they depend on the length only), a third of the time
    small = codes.astype(np.int16) if len(uniq) < 2**15 else codes
    done = 0
    while done < permutations:
        k = min(batch, permutations - done)
        labels = rng.permuted(np.tile(small, (k, 1)), axis=1)
        e = np.sum(labels[:, edges[:, 0]] != labels[:, edges[:, 1]], axis=1)
        perm_ei[done:done + k] = (2.0 * e - m) / m
        done += k
    eps = 1e-12
    p_two = (1 + np.sum(np.abs(perm_ei - expected) >= abs(ei - expected) - eps)) / (permutations + 1)
    p_greater = (1 + np.sum(perm_ei >= ei - eps)) / (permutations + 1)
    p_less = (1 + np.sum(perm_ei <= ei + eps)) / (permutations + 1)
    return EIResult(ei, ext, m - ext, expected, float(p_two), float(p_greater),
                    float(p_less), permutations, seed)


def brokerage_roles(g: nx.DiGraph, groups) -> pd.DataFrame:
    """Gould-Fernandez brokerage roles of every node of a directed graph.

    For each two-path ``i -> j -> k`` with ``i != k`` and no arc ``i -> k``,
    broker ``j`` is counted as

    ========================  ===========  =======================
    role                      sna column   groups
    ========================  ===========  =======================
    coordinator               ``w_I``      i, j, k all the same
    itinerant (consultant)    ``w_O``      i = k, j different
    representative            ``b_IO``     i = j, k different
    gatekeeper                ``b_OI``     j = k, i different
    liaison                   ``b_O``      all different
    ========================  ===========  =======================

    Raw counts equal R ``sna::brokerage(g, cl)$raw.nli``. The expected counts
    and z-scores are those of ``sna`` (Gould & Fernandez's null of independent
    arcs with the observed density, ``exp.nli`` and ``z.nli``); a z-score is
    NaN where the null variance is 0 (e.g. coordinator in a one-member group).

    Parameters
    ----------
    g : nx.DiGraph
        Binary use of arcs (weights ignored); self-loops ignored.
    groups : str or mapping
        Node attribute name, or node -> group. Missing labels form one group.

    Returns
    -------
    DataFrame
        Indexed by node: ``coordinator, itinerant, representative,
        gatekeeper, liaison, brokerage_total``, then ``<role>_expected`` and
        ``<role>_z`` for each role and the total.

    Examples
    --------
    >>> g = nx.DiGraph([("a", "b"), ("b", "c")])
    >>> int(brokerage_roles(g, {"a": 1, "b": 2, "c": 2}).loc["b", "gatekeeper"])
    1

    References
    ----------
    Gould, R. V. & Fernandez, R. M. (1989). Structures of mediation: a formal
    approach to brokerage in transaction networks. *Sociological Methodology*
    19, 89-126.
    """
    if not g.is_directed():
        raise ValueError("brokerage roles need a directed graph (the reported layer)")
    nodes = list(g)
    n_nodes = len(nodes)
    index = {v: i for i, v in enumerate(nodes)}
    lab = _group_labels(g, groups)
    cl, _ = pd.factorize(pd.Series([lab[v] for v in nodes], dtype=object))
    raw = np.zeros((n_nodes, 5))
    arcs = [(index[u], index[v]) for u, v in g.edges() if u != v]
    m = len(arcs)
    if m:
        src = np.array([a for a, _ in arcs], dtype=np.int64)
        dst = np.array([b for _, b in arcs], dtype=np.int64)
        arc_keys = np.sort(src * n_nodes + dst)
        order = np.argsort(dst, kind="stable")
        in_ptr = np.searchsorted(dst[order], np.arange(n_nodes + 1))
        out_order = np.argsort(src, kind="stable")
        out_ptr = np.searchsorted(src[out_order], np.arange(n_nodes + 1))
        for j in range(n_nodes):
            ins = src[order[in_ptr[j]:in_ptr[j + 1]]]
            outs = dst[out_order[out_ptr[j]:out_ptr[j + 1]]]
            if not len(ins) or not len(outs):
                continue
            ii = np.repeat(ins, len(outs))
            kk = np.tile(outs, len(ins))
            ok = ii != kk
            ii, kk = ii[ok], kk[ok]
            keys = ii * n_nodes + kk
            pos = np.searchsorted(arc_keys, keys)
            pos[pos >= len(arc_keys)] = 0
            ok = arc_keys[pos] != keys  # no arc i -> k: j brokers
            ci, ck, cj = cl[ii[ok]], cl[kk[ok]], cl[j]
            raw[j, 0] += np.sum((ci == cj) & (ck == cj))
            raw[j, 2] += np.sum((ci == cj) & (ck != cj))
            raw[j, 3] += np.sum((ci != cj) & (ck == cj))
            raw[j, 1] += np.sum((ci != cj) & (ck != cj) & (ci == ck))
            raw[j, 4] += np.sum((ci != cj) & (ck != cj) & (ci != ck))
    raw = np.column_stack([raw, raw.sum(axis=1)])
    exp, sd = _brokerage_null(cl, n_nodes, m)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (raw - exp) / sd
    z[sd == 0] = np.nan
    names = [*ROLES, "brokerage_total"]
    out = pd.DataFrame(raw, index=pd.Index(nodes), columns=names)
    for c, name in enumerate(names):
        out[f"{name}_expected"] = exp[:, c]
        out[f"{name}_z"] = z[:, c]
    return out


def _brokerage_null(cl: np.ndarray, n_nodes: int, m: int) -> tuple[np.ndarray, np.ndarray]:
    """Expected value and s.d. per node and role under Gould & Fernandez's null (as sna)."""
    N = float(n_nodes)
    if n_nodes < 2:
        z = np.zeros((n_nodes, 6))
        return z, z.copy()
    d = m / (N * (N - 1))
    q = d * d * (1 - d)
    r3 = d ** 3 * (1 - d) ** 3
    n = np.bincount(cl).astype(float)
    ebr = np.zeros((len(n), 6))
    vbr = np.zeros((len(n), 6))
    for i in range(len(n)):
        ni = n[i]
        rest = np.delete(n, i)
        ebr[i, 0] = q * (ni - 1) * (ni - 2)
        vbr[i, 0] = ebr[i, 0] * (1 - q) + 2 * (ni - 1) * (ni - 2) * (ni - 3) * r3
        ebr[i, 1] = q * np.sum(rest * (rest - 1))
        vbr[i, 1] = ebr[i, 1] * (1 - q) + 2 * np.sum(rest * (rest - 1) * (rest - 2)) * r3
        ebr[i, 2] = q * (N - ni) * (ni - 1)
        vbr[i, 2] = ebr[i, 2] * (1 - q) + 2 * (
            (ni - 1) * _choose2(N - ni) + (N - ni) * _choose2(ni - 1)
        ) * r3
        ebr[i, 3] = ebr[i, 2]
        vbr[i, 3] = vbr[i, 2]
        ebr[i, 4] = q * (np.sum(np.outer(rest, rest)) - np.sum(rest ** 2))
        vbr[i, 4] = ebr[i, 4] * (1 - q) + 4 * np.sum(rest * _choose2(N - rest - ni) * r3)
        ebr[i, 5] = q * (N - 1) * (N - 2)
        vbr[i, 5] = ebr[i, 5] * (1 - q) + 2 * (N - 1) * (N - 2) * (N - 3) * r3
    return ebr[cl], np.sqrt(vbr[cl])


def _choose2(x):
    """R's ``choose(x, 2)`` for real x (``x(x-1)/2``, 0 for x < 2 integers as R)."""
    x = np.asarray(x, dtype=float)
    return np.where(x < 2, np.where(x < 0, x * (x - 1) / 2, 0.0), x * (x - 1) / 2)


def type_mixing(networks: Networks | nx.Graph, groups="type",
                layer: str = "collaboration") -> pd.DataFrame:
    """Observed versus expected ties between groups (actor types by default).

    ``ties`` counts edges between a node of ``group_from`` and one of
    ``group_to`` (arcs from -> to on a directed layer; on an undirected layer
    the table is symmetric and the diagonal counts within-group edges).
    ``expected`` is the count if the layer's edges fell on random pairs:
    ``m * pairs(g, h) / pairs(all)`` with ``pairs(g, h) = n_g n_h`` and
    ``n_g (n_g - 1) / 2`` within a group (``n_g (n_g - 1)`` when directed).
    ``ratio = ties / expected`` is the block density over the overall density.

    Examples
    --------
    >>> g = nx.Graph([(1, 2), (3, 4)])
    >>> nx.set_node_attributes(g, {1: "a", 2: "a", 3: "a", 4: "b"}, "type")
    >>> type_mixing(g).query("group_from == 'a' and group_to == 'a'")["ties"].item()
    1

    References
    ----------
    Wasserman, S. & Faust, K. (1994). *Social Network Analysis*, ch. 10 (blockmodels:
    block densities against the overall density).
    """
    g = networks if isinstance(networks, nx.Graph) else networks.layers()[layer]
    lab = _group_labels(g, groups)
    directed = g.is_directed()
    labels = sorted({v for v in lab.values() if v != ""})
    size = pd.Series([lab[v] for v in g], dtype=object).value_counts()
    n = sum(int(size.get(x, 0)) for x in labels)
    counts: dict[tuple[str, str], int] = {}
    m = 0
    for u, v in g.edges():
        a, b = lab[u], lab[v]
        if u == v or a == "" or b == "":
            continue
        m += 1
        counts[(a, b)] = counts.get((a, b), 0) + 1
        if not directed and a != b:
            counts[(b, a)] = counts.get((b, a), 0) + 1
    total_pairs = n * (n - 1) / (1 if directed else 2)
    rows = []
    for a in labels:
        for b in labels:
            na, nb = float(size.get(a, 0)), float(size.get(b, 0))
            if a == b:
                pairs = na * (na - 1) / (1 if directed else 2)
            else:
                pairs = na * nb
            expected = m * pairs / total_pairs if total_pairs > 0 else float("nan")
            ties = counts.get((a, b), 0)
            ratio = ties / expected if expected > 0 else float("nan")
            rows.append((a, b, ties, expected, ratio))
    return pd.DataFrame(rows, columns=["group_from", "group_to", "ties", "expected", "ratio"])


# ---------------------------------------------------------------------------
# robustness to non-response


@dataclass
class Robustness:
    """Degree and betweenness under seeded perturbations of non-respondents' ties.

    Attributes
    ----------
    bands : DataFrame
        Indexed by actor: ``degree_lo, degree_hi, betweenness_lo, betweenness_hi``
        (5th and 95th percentiles over the runs).
    sensitivity : DataFrame
        The observed top-10 by betweenness: ``actor_id, name, type, rank,
        betweenness, rank_median, rank_lo, rank_hi, share_top10``.
    runs, seed : int
    drop_probability, add_rate : float
        The perturbation parameters (see :func:`robustness`).
    nonrespondents : int
    top10_overlap : float
        Mean share of the observed top-10 that stays in the top-10.
    notes : list of str
        Plain-language caveats for the report.
    observed_betweenness : Series
        Raw betweenness on the unperturbed ``collaboration`` layer.
    """

    bands: pd.DataFrame
    sensitivity: pd.DataFrame
    runs: int
    seed: int | None
    drop_probability: float
    add_rate: float
    nonrespondents: int
    top10_overlap: float
    notes: list[str] = field(default_factory=list)
    observed_betweenness: pd.Series | None = None

    def summary(self) -> str:
        return (
            f"{self.runs} perturbations (seed {self.seed}) of {self.nonrespondents} "
            f"non-respondents' ties: drop p = {self.drop_probability:.3f}, "
            f"add rate {self.add_rate:.3f} per non-respondent; top-10 betweenness overlap "
            f"{self.top10_overlap:.2f}"
        )


def reciprocation_rate(reported: nx.DiGraph, respondents: set) -> float:
    """Share of respondent-respondent pairs with a tie that both sides reported.

    NaN when no tie joins two respondents.
    """
    pairs = mutual = 0
    for u, v in reported.edges():
        if u in respondents and v in respondents and u != v:
            if reported.has_edge(v, u):
                mutual += 1  # counted once from each side
            else:
                pairs += 1
    both = mutual / 2
    total = pairs + both
    return both / total if total else float("nan")


def _unconfirmed_rate(reported: nx.DiGraph, respondents: set) -> float:
    """Mean number of ties a respondent reports to another respondent who does not report it back."""
    if not respondents:
        return 0.0
    k = sum(
        1
        for u, v in reported.edges()
        if u in respondents and v in respondents and u != v and not reported.has_edge(v, u)
    )
    return k / len(respondents)


def robustness(networks: Networks, runs: int = 100, seed: int | None = 0,
               quantiles: tuple[float, float] = (0.05, 0.95),
               top: int = 10, work_limit: float = 2e8,
               observed_betweenness: Mapping | None = None,
               min_pivots: int = 50, min_runs: int = 20,
               response_known: bool | None = None) -> Robustness:
    """Robustness bands for degree and betweenness under non-response.

    Non-respondents are the actors who were asked but did not answer
    (status ``declined`` or ``not_reached``); their ties in the
    ``collaboration`` layer are seen only from the other side. Actors never
    asked (``not_asked``: outside the survey's frame, e.g. the companies and
    associations of a study that interviewed public actors) are not perturbed
    when ``respondents.csv`` says who was asked (``response_known``). Without it
    non-response is unknown and every actor that reported nothing counts as a
    non-respondent. ``response_known=None`` infers it from the statuses (known
    when any actor is ``declined`` or ``not_reached``).
    Each of ``runs`` seeded perturbations

    * drops every edge touching a non-respondent with probability ``1 - r``,
      where ``r`` is the share of respondent-respondent ties that both sides
      reported (a tie seen from one side is confirmed by the other with
      probability ``r``);
    * adds to each non-respondent a Poisson number of new edges with mean
      equal to the number of ties respondents report that other respondents
      do not confirm, to partners drawn (with replacement; repeats, self-pairs
      and existing ties dropped) with probability proportional to degree + 1.

    Degree and (binary, raw) betweenness are recomputed each run; the bands
    are the ``quantiles`` over runs; the sensitivity table shows how the
    observed top-``top`` betweenness ranking moves.

    Exact betweenness costs one breadth-first search per actor with two or
    more ties (see :func:`undirected_betweenness`), each ``k + m`` (``k`` the
    actors in components of 3 or more, ``m`` the expected number of edges of a
    perturbed graph); when ``runs`` of them would exceed ``work_limit`` each
    run estimates betweenness from random pivot sources among those actors
    (Brandes & Pich 2007: uniform sample, scaled by population / sample, so
    unbiased; the leaves' part stays exact), at least ``min_pivots`` per run;
    when even that exceeds ``work_limit``, fewer runs are made (at least
    ``min_runs``). A note says which. The runs are spread over worker
    processes (:func:`n_jobs`); the numbers do not depend on how many.

    References
    ----------
    Stork, D. & Richards, W. D. (1992). Nonrespondents in communication network
    studies. *Group & Organization Management* 17(2), 193-209.
    Borgatti, S. P., Carley, K. M. & Krackhardt, D. (2006). On the robustness
    of centrality measures under conditions of imperfect data. *Social
    Networks* 28(2), 124-136.
    Brandes, U. & Pich, C. (2007). Centrality estimation in large networks.
    *International Journal of Bifurcation and Chaos* 17(7), 2303-2318.
    Huisman, M. (2009). Imputation of missing network data: some simple
    procedures. *Journal of Social Structure* 10(1).
    """
    plan = _plan_robustness(networks, runs, seed, work_limit, min_pivots, min_runs,
                            response_known)
    if observed_betweenness is not None:
        b0 = np.array([observed_betweenness[v] for v in plan.nodes], dtype=float)
    else:
        b0 = undirected_betweenness(plan.n, plan.edges)
    return _finish_robustness(plan, b0, _run_betweenness(plan), quantiles, top)


@dataclass
class _RobustPlan:
    """The perturbed graphs of :func:`robustness`, drawn before any betweenness is computed."""

    g: nx.Graph
    nodes: list
    edges: np.ndarray
    nonresp: np.ndarray
    deg0: np.ndarray
    drop_p: float
    add_rate: float
    reciprocation: float
    run_edges: list
    run_seeds: list
    pivots: int | None
    seed: int | None
    notes: list

    @property
    def n(self) -> int:
        return len(self.nodes)


def _plan_robustness(networks: Networks, runs: int, seed: int | None, work_limit: float,
                     min_pivots: int, min_runs: int,
                     response_known: bool | None) -> _RobustPlan:
    g = networks.collaboration
    nodes = list(g)
    n = len(nodes)
    index = {v: i for i, v in enumerate(nodes)}
    status = networks.status if networks.status is not None else pd.Series(dtype=object)
    respondents = {a for a, s in status.items() if s == "completed"}
    if response_known is None:
        response_known = bool(status.isin(["declined", "not_reached"]).any())
    if response_known:
        missing = {a for a, s in status.items() if s in ("declined", "not_reached")}
        nonresp = np.array([v in missing for v in nodes], dtype=bool)
    else:
        nonresp = np.array([v not in respondents for v in nodes], dtype=bool)
    r = reciprocation_rate(networks.reported, respondents)
    drop_p = 0.0 if np.isnan(r) else 1.0 - r
    add_rate = _unconfirmed_rate(networks.reported, respondents)
    edges = np.array([(index[u], index[v]) for u, v in g.edges() if u != v],
                     dtype=np.int64).reshape(-1, 2)
    uncertain = nonresp[edges[:, 0]] | nonresp[edges[:, 1]] if len(edges) else np.zeros(0, bool)
    deg0 = np.bincount(edges.ravel(), minlength=n).astype(float)
    nonresp_idx = np.flatnonzero(nonresp)
    # separate streams: the perturbations do not depend on how betweenness is computed
    perturb_ss, pivot_ss = np.random.SeedSequence(seed).spawn(2)
    rng = np.random.default_rng(perturb_ss)
    notes = []
    pivots = None
    # a perturbed graph keeps the certain edges, a share 1 - drop_p of the
    # uncertain ones and gains about add_rate edges per non-respondent; every
    # non-respondent may join the searched part of the graph
    p0 = _prune(n, edges)
    m_run = len(edges) - drop_p * uncertain.sum() + add_rate * len(nonresp_idx)
    searches = min(n, len(p0.sources) + len(nonresp_idx))
    cost = min(n, len(p0.keep) + len(nonresp_idx)) + m_run  # one breadth-first search
    requested = runs
    if runs > 0 and searches and runs * searches * cost > work_limit:
        pivots = int(min(searches, max(min_pivots, work_limit // (runs * cost))))
        if pivots < searches:
            if runs * pivots * cost > work_limit and runs > min_runs:
                # still too costly: fewer runs (bands from fewer draws, said in the note)
                runs = int(max(min_runs, work_limit // (pivots * cost)))
            if runs < requested:
                notes.append(Note("measures.pivot_betweenness_fewer_runs", runs=runs,
                                  requested=requested, pivots=pivots, n=n))
            else:
                notes.append(Note("measures.pivot_betweenness", runs=runs, pivots=pivots, n=n))
        else:
            pivots = None
    run_edges = []
    for _ in range(runs):
        keep = ~uncertain | (rng.random(len(edges)) >= drop_p)
        kept = edges[keep]
        new = _added_edges(rng, kept, nonresp_idx, deg0 + 1.0, add_rate, n)
        run_edges.append(np.vstack([kept, new]).astype(np.int32))
    run_seeds = pivot_ss.spawn(runs)
    return _RobustPlan(g, nodes, edges, nonresp, deg0, drop_p, add_rate, r, run_edges,
                       run_seeds, pivots, seed, notes)


def _finish_robustness(plan: _RobustPlan, b0: np.ndarray, bet_runs: np.ndarray,
                       quantiles: tuple[float, float], top: int) -> Robustness:
    runs, n, nodes = len(plan.run_edges), plan.n, plan.nodes
    lo, hi = quantiles
    if runs > 0:
        deg_runs = np.vstack([np.bincount(e.ravel(), minlength=n) for e in plan.run_edges])
        # "lower"/"higher": the band ends are values some run actually produced
        bands = pd.DataFrame({
            "degree_lo": np.quantile(deg_runs, lo, axis=0, method="lower").astype(float),
            "degree_hi": np.quantile(deg_runs, hi, axis=0, method="higher").astype(float),
            "betweenness_lo": np.quantile(bet_runs, lo, axis=0, method="lower"),
            "betweenness_hi": np.quantile(bet_runs, hi, axis=0, method="higher"),
        }, index=pd.Index(nodes, name="actor_id"))
    else:
        bands = pd.DataFrame({"degree_lo": plan.deg0, "degree_hi": plan.deg0,
                              "betweenness_lo": b0, "betweenness_hi": b0},
                             index=pd.Index(nodes, name="actor_id"))
    sens, overlap = _sensitivity(plan.g, nodes, b0, bet_runs[:runs], top)
    notes = list(plan.notes)
    if np.isnan(plan.reciprocation):
        notes.append(Note("measures.no_respondent_ties"))
    return Robustness(bands, sens, runs, plan.seed, plan.drop_p, plan.add_rate,
                      int(plan.nonresp.sum()), overlap, notes,
                      pd.Series(b0, index=pd.Index(nodes, name="actor_id")))


def _run_betweenness_one(n: int, edges: np.ndarray, pivots: int | None,
                         seed: np.random.SeedSequence) -> np.ndarray:
    """Betweenness of one perturbed graph: exact, or from ``pivots`` sampled searches."""
    p = _prune(n, edges)
    out = np.zeros(n)
    if not len(p.sources):
        return out
    h = ig.Graph(n=len(p.keep), edges=p.edges.tolist())
    if pivots is None or pivots >= len(p.sources):
        total = _pruned_sum(h, p, p.sources)
    else:
        rng = np.random.default_rng(seed)
        sample = np.sort(rng.choice(p.sources, size=pivots, replace=False))
        total = _pruned_sum(h, p, sample) * len(p.sources) / pivots
    out[p.keep] = total + _leaf_terms(p)
    return out


def _run_betweenness_task(task: tuple) -> list[np.ndarray]:
    key, ks = task
    plan = _SHARED[key]
    return [_run_betweenness_one(plan.n, plan.run_edges[k], plan.pivots, plan.run_seeds[k])
            for k in ks]


def _run_chunks(plan: _RobustPlan) -> list[list[int]]:
    runs = len(plan.run_edges)
    parts = min(runs, 2 * SPLIT_PARTS) if runs * plan.n > 50_000 else min(runs, 1)
    return [list(range(i, runs, parts)) for i in range(parts)]


def _collect_runs(plan: _RobustPlan, chunks: list[list[int]], res: list) -> np.ndarray:
    out = np.empty((len(plan.run_edges), plan.n))
    for c, rows in zip(chunks, res, strict=True):
        for k, row in zip(c, rows, strict=True):
            out[k] = row
    return out


def _run_betweenness(plan: _RobustPlan) -> np.ndarray:
    """Betweenness of each perturbation run (rows), runs spread over worker processes."""
    chunks = _run_chunks(plan)
    jobs = None if len(chunks) > 1 else 1  # small jobs: not worth a process
    return _collect_runs(plan, chunks, _shared_map(_run_betweenness_task, plan, chunks, jobs))


def _added_edges(rng: np.random.Generator, kept: np.ndarray, nonresp_idx: np.ndarray,
                 weights: np.ndarray, add_rate: float, n: int) -> np.ndarray:
    """New edges for non-respondents in one perturbation run (vectorised).

    Each non-respondent gets a Poisson(``add_rate``) number of draws of partners,
    with replacement, with probability proportional to ``weights`` (degree + 1);
    self-pairs, repeats and edges already present are dropped.
    """
    if add_rate <= 0 or n < 2 or not len(nonresp_idx):
        return np.empty((0, 2), dtype=np.int64)
    counts = rng.poisson(add_rate, size=len(nonresp_idx))
    src = np.repeat(nonresp_idx, counts)
    dst = rng.choice(n, size=len(src), p=weights / weights.sum())
    ok = src != dst
    pairs = np.sort(np.column_stack([src[ok], dst[ok]]), axis=1).astype(np.int64)
    codes = np.unique(pairs[:, 0] * n + pairs[:, 1])
    if len(kept):
        k = np.sort(kept, axis=1)
        codes = codes[~np.isin(codes, k[:, 0] * n + k[:, 1])]
    return np.column_stack([codes // n, codes % n]).astype(np.int64)


def _ranks(values: np.ndarray) -> np.ndarray:
    """Competition ranks, 1 = largest (ties share the best rank).

    Equals ``scipy.stats.rankdata(-values, method="min")`` (as integers).
    """
    neg = -np.asarray(values, dtype=float)
    return np.searchsorted(np.sort(neg), neg, side="left") + 1


def _sensitivity(g: nx.Graph, nodes: list, b0: np.ndarray, runs: np.ndarray,
                 top: int) -> tuple[pd.DataFrame, float]:
    cols = ["actor_id", "name", "type", "rank", "betweenness", "rank_median", "rank_lo",
            "rank_hi", "share_top10"]
    if not len(nodes):
        return pd.DataFrame(columns=cols), float("nan")
    r0 = _ranks(b0)
    order = sorted(range(len(nodes)), key=lambda i: (-b0[i], str(nodes[i])))
    chosen = [i for i in order[:top] if b0[i] > 0]
    if not chosen:
        return pd.DataFrame(columns=cols), float("nan")
    if len(runs):
        run_ranks = np.vstack([_ranks(b) for b in runs])
        in_top = run_ranks <= top
    rows = []
    for i in chosen:
        if len(runs):
            rr = run_ranks[:, i]
            rows.append((nodes[i], g.nodes[nodes[i]].get("name", ""), g.nodes[nodes[i]].get("type", ""),
                         int(r0[i]), float(b0[i]), float(np.median(rr)),
                         float(np.quantile(rr, 0.05, method="lower")),
                         float(np.quantile(rr, 0.95, method="higher")),
                         float(in_top[:, i].mean())))
        else:
            rows.append((nodes[i], g.nodes[nodes[i]].get("name", ""), g.nodes[nodes[i]].get("type", ""),
                         int(r0[i]), float(b0[i]), float(r0[i]), float(r0[i]), float(r0[i]), 1.0))
    overlap = float(np.mean([in_top[:, chosen].mean(axis=1)])) if len(runs) else 1.0
    return pd.DataFrame(rows, columns=cols), overlap


# ---------------------------------------------------------------------------
# tables


def _group_map(study: Study, groups: str) -> dict:
    if groups not in study.actors.columns:
        raise ValueError(
            f"network.groups = {groups!r} is not a column of actors.csv "
            f"(columns: {', '.join(map(str, study.actors.columns))})"
        )
    return dict(zip(study.actors["actor_id"].astype(str), study.actors[groups], strict=True))


def actor_measures(study: Study, networks: Networks, groups: str = "type",
                   seed: int | None = None, robustness_runs: int | None = None,
                   method: str = "auto", robust: Robustness | None = None) -> pd.DataFrame:
    """One row per actor with the ``actors.csv`` columns of ``DESIGN.md`` §3.

    ``community`` is left to the communities stage. Extra columns:
    ``<role>_expected`` and ``<role>_z`` for the brokerage roles (sna's
    Gould-Fernandez null) and the robustness bands ``degree_lo, degree_hi,
    betweenness_lo, betweenness_hi``.

    Parameters
    ----------
    study : Study
    networks : Networks
    groups : str
        ``actors.csv`` column defining groups for brokerage.
    seed : int, optional
        Seed for the robustness perturbations (default ``study.settings.seed``).
    robustness_runs : int, optional
        Default ``study.settings.robustness_runs``.
    method : {"auto", "networkx", "igraph"}
    robust : Robustness, optional
        A precomputed :func:`robustness` result (so the pipeline computes it once).
    """
    seed = study.settings.seed if seed is None else seed
    runs = study.settings.robustness_runs if robustness_runs is None else robustness_runs
    df = _light_actor_table(study, networks, groups, method)
    if robust is None:
        robust = robustness(networks, runs=runs, seed=seed,
                            response_known=study.response_known)
    b = robust.observed_betweenness
    if b is None or method == "networkx":
        b = betweenness(networks.collaboration, method=method)
    _fill_heavy_columns(df, networks.collaboration, b,
                        closeness(networks.collaboration, method=method), robust)
    return df


def _light_actor_table(study: Study, networks: Networks, groups: str,
                       method: str = "auto") -> pd.DataFrame:
    """actors.csv without the columns that need a search from every actor (left NaN)."""
    g = networks.collaboration
    ids = study.actors["actor_id"].astype(str).tolist()
    a = study.actors
    df = pd.DataFrame({
        "actor_id": ids,
        "name": a["name"].to_numpy(),
        "type": a["type"].to_numpy(),
        "kommun_kod": a["kommun_kod"].to_numpy() if "kommun_kod" in a else pd.NA,
    })
    df["degree"] = [g.degree(v) for v in ids]
    df["strength"] = [g.degree(v, weight="weight") for v in ids]
    df["betweenness"] = np.nan
    df["betweenness_norm"] = np.nan
    df["closeness"] = np.nan
    try:
        e = eigenvector(g, method=method)
        df["eigenvector"] = [e[v] for v in ids]
    except nx.PowerIterationFailedConvergence:
        df["eigenvector"] = np.nan
    pr = pagerank(g)
    df["pagerank"] = [pr[v] for v in ids]
    con = constraint(g, method=method)
    df["constraint"] = [con[v] for v in ids]
    br = brokerage_roles(networks.reported, _group_map(study, groups))
    for col in [*ROLES, "brokerage_total"]:
        df[col] = br.loc[ids, col].to_numpy().astype(int)
    rep = networks.reported
    df["in_degree_reported"] = [rep.in_degree(v) for v in ids]
    df["out_degree_reported"] = [rep.out_degree(v) for v in ids]
    pl = study.placements
    if pl is not None:
        hosted = pl["host_id"].astype(str).value_counts()
        referred = pl["referrer_id"].astype(str).value_counts()
        df["placements_hosted"] = [int(hosted.get(v, 0)) for v in ids]
        df["placements_referred"] = [int(referred.get(v, 0)) for v in ids]
    else:
        df["placements_hosted"] = 0
        df["placements_referred"] = 0
    for col in [*ROLES, "brokerage_total"]:
        df[f"{col}_expected"] = br.loc[ids, f"{col}_expected"].to_numpy()
        df[f"{col}_z"] = br.loc[ids, f"{col}_z"].to_numpy()
    for col in ("degree_lo", "degree_hi", "betweenness_lo", "betweenness_hi"):
        df[col] = np.nan
    return df


def _fill_heavy_columns(df: pd.DataFrame, g: nx.Graph, b: Mapping, c: Mapping,
                        robust: Robustness) -> None:
    """Betweenness, closeness and the robustness bands, into ``df`` in place."""
    ids = df["actor_id"].tolist()
    n = g.number_of_nodes()
    scale = (n - 1) * (n - 2) / 2
    df["betweenness"] = [b[v] for v in ids]
    df["betweenness_norm"] = df["betweenness"] / scale if scale > 0 else 0.0
    df["closeness"] = [c[v] for v in ids]
    bands = robust.bands.reindex(ids)
    for col in ("degree_lo", "degree_hi", "betweenness_lo", "betweenness_hi"):
        df[col] = bands[col].to_numpy()


#: undirected layers whose exact betweenness would cost more than this (``n (n + m)``,
#: one BFS per node) get their betweenness centralization from pivot sampling
CENTRALIZATION_WORK_LIMIT = 5e8
#: work (``pivots (n + m)``) spent on such an estimate
CENTRALIZATION_PIVOT_WORK = 1e8


def _layer_search(g: nx.Graph, seed: int | None) -> tuple[int, np.ndarray, list[int] | None]:
    """``(n, edges, pivot sources)`` for a layer's betweenness; sources ``None`` = exact.

    Exact when it costs at most :data:`CENTRALIZATION_WORK_LIMIT`, otherwise
    seeded random pivots (:data:`CENTRALIZATION_PIVOT_WORK`, at least 100).
    """
    n, m = g.number_of_nodes(), g.number_of_edges()
    index = {v: i for i, v in enumerate(g)}
    edges = np.array([(index[u], index[v]) for u, v in g.edges() if u != v],
                     dtype=np.int64).reshape(-1, 2)
    if n * (n + m) <= CENTRALIZATION_WORK_LIMIT:
        return n, edges, None
    k = int(min(n, max(100, CENTRALIZATION_PIVOT_WORK // (n + m))))
    rng = np.random.default_rng(np.random.SeedSequence([0 if seed is None else seed, n, m]))
    return n, edges, np.sort(rng.choice(n, size=k, replace=False)).tolist()


def _search_betweenness(n: int, edges: np.ndarray, sources: list[int] | None,
                        jobs: int | None = None) -> np.ndarray:
    """Raw betweenness as :func:`betweenness`'s fast path (exact) or its pivot estimate."""
    if sources is None:
        return undirected_betweenness(n, edges, jobs=jobs)
    return igraph_betweenness(n, edges, sources=sources, jobs=jobs) * n / len(sources)


def _layer_task(task: tuple) -> np.ndarray:
    key, name = task
    n, edges, sources = _SHARED[key][name]
    return _search_betweenness(n, edges, sources, jobs=1)


def _estimate_note(name: str, g: nx.Graph, sources: list[int] | None,
                   notes: list[str] | None) -> None:
    if sources is not None and notes is not None:
        notes.append(Note("measures.centralization_estimated", layer=name,
                          n=g.number_of_nodes(), m=g.number_of_edges(), pivots=len(sources)))


def _layer_betweenness(name: str, g: nx.Graph, seed: int | None,
                       notes: list[str] | None) -> dict | None:
    """Raw betweenness of a layer for its centralization: exact, or a pivot estimate if huge."""
    n, m = g.number_of_nodes(), g.number_of_edges()
    if n * (n + m) <= CENTRALIZATION_WORK_LIMIT:
        return None  # freeman_centralization computes it exactly
    n, edges, sources = _layer_search(g, seed)
    _estimate_note(name, g, sources, notes)
    return dict(zip(g, _search_betweenness(n, edges, sources).tolist(), strict=True))


def _layer_rows(name: str, g: nx.Graph, bet: Mapping | None = None,
                seed: int | None = None,
                notes: list[str] | None = None) -> list[tuple[str, str, float]]:
    rows = []
    n = g.number_of_nodes()
    m = g.number_of_edges()
    rows.append(("n_actors", name, float(n)))
    rows.append(("n_ties", name, float(m)))
    rows.append(("density", name, float(nx.density(g)) if n > 1 else float("nan")))
    comps = list(nx.weakly_connected_components(g) if g.is_directed()
                 else nx.connected_components(g))
    rows.append(("components", name, float(len(comps))))
    rows.append(("largest_component", name, float(max((len(c) for c in comps), default=0))))
    rows.append(("isolates", name, float(nx.number_of_isolates(g))))
    if g.is_directed():
        rows.append(("reciprocity", name, reciprocity(g) if m else float("nan")))
    else:
        rows.append(("degree_centralization", name, freeman_centralization(g, "degree")))
        if bet is _LATER:
            value = float("nan")  # filled in by PendingMeasures.result()
            if name != "collaboration":
                n_, m_ = g.number_of_nodes(), g.number_of_edges()
                if n_ * (n_ + m_) > CENTRALIZATION_WORK_LIMIT:
                    _estimate_note(name, g, _layer_search(g, seed)[2], notes)
        else:
            if bet is None:
                bet = _layer_betweenness(name, g, seed, notes)
            value = freeman_centralization(g, "betweenness", values=bet)
        rows.append(("betweenness_centralization", name, value))
        rows.append(("transitivity", name, transitivity(g)))
    return rows


def network_measures(study: Study, networks: Networks, groups: str = "type",
                     seed: int | None = None, permutations: int | None = None,
                     robust: Robustness | None = None,
                     notes: list[str] | None = None,
                     later: Collection[str] = ("collaboration",)) -> pd.DataFrame:
    """``tables/network.csv``: one row per ``(metric, layer)``.

    Metrics per layer: ``n_actors, n_ties, density, components,
    largest_component, isolates``; undirected layers add
    ``degree_centralization, betweenness_centralization`` (sna convention, see
    :func:`freeman_centralization`) and ``transitivity``; directed layers
    ``reciprocity`` (share of arcs reciprocated). ``ei_index, ei_expected,
    ei_p_value`` on ``collaboration`` and ``reported``; ``response_rate``
    (completed / asked; NaN when ``respondents.csv`` is absent),
    ``respondents`` and ``reciprocation_rate`` on ``reported``; with ``robust``
    the robustness parameters and ``top10_overlap``. With several waves the
    E-I and response rows are repeated per wave (layers ``<layer>_w<k>``, as
    :mod:`netsoc.waves` names them). (``modularity`` is added by the communities stage.)

    On a layer so large that exact betweenness would cost more than
    :data:`CENTRALIZATION_WORK_LIMIT` its betweenness centralization is
    estimated from random pivot sources (seeded) and a sentence is appended
    to ``notes``; the ``collaboration`` layer reuses ``robust``'s exact values.
    """
    seed = study.settings.seed if seed is None else seed
    perms = study.settings.ei_permutations if permutations is None else permutations
    gmap = _group_map(study, groups)
    rows: list[tuple[str, str, float]] = []
    for name, g in networks.layers().items():
        bet = None
        if robust is _LATER and name in later:
            bet = _LATER
        elif name == "collaboration" and robust is not None:
            bet = robust.observed_betweenness
        rows.extend(_layer_rows(name, g, bet, seed=seed, notes=notes))
    # the structure of each wave is in netsoc.waves; here E-I and response per wave
    sets = [("", networks)] + [(f"_w{w}", wn) for w, wn in networks.by_wave.items()]
    for suffix, nets in sets:
        for name in ("collaboration", "reported"):
            res = ei_index(nets.layers()[name], gmap, permutations=perms, seed=seed)
            rows.append(("ei_index", name + suffix, res.ei))
            rows.append(("ei_expected", name + suffix, res.expected))
            rows.append(("ei_p_value", name + suffix, res.p_value))
        status = nets.status if nets.status is not None else study.respondent_status(nets.wave)
        asked = status.isin(["completed", "declined", "not_reached"])
        done = status == "completed"
        rate = float(done.sum() / asked.sum()) if study.response_known and asked.sum() else float("nan")
        rows.append(("response_rate", "reported" + suffix, rate))
        rows.append(("respondents", "reported" + suffix, float(done.sum())))
        rows.append(("reciprocation_rate", "reported" + suffix,
                     reciprocation_rate(nets.reported, set(status.index[done]))))
    if robust is not None and robust is not _LATER:
        rows.extend(_robust_rows(robust))
    return pd.DataFrame(rows, columns=["metric", "layer", "value"])


def _robust_rows(robust: Robustness) -> list[tuple[str, str, float]]:
    return [("robustness_runs", "collaboration", float(robust.runs)),
            ("robustness_drop_probability", "collaboration", robust.drop_probability),
            ("robustness_add_rate", "collaboration", robust.add_rate),
            ("top10_overlap", "collaboration", robust.top10_overlap)]


def measure_tables(study: Study, networks: Networks, seed: int | None = None,
                   groups: str | None = None) -> tuple[dict[str, pd.DataFrame], Robustness]:
    """All tables of this stage: ``actors``, ``network``, ``type_mixing``,
    ``betweenness_sensitivity`` -- plus the :class:`Robustness` result."""
    return start_measure_tables(study, networks, seed=seed, groups=groups,
                                background=False).result()


#: graphs with more nodes than this get their exact betweenness, closeness and
#: robustness runs computed in background worker processes by start_measure_tables
BACKGROUND_THRESHOLD = FAST_THRESHOLD
_LATER = object()


class PendingMeasures:
    """The measures stage, started: what needs a search from every actor runs in the background.

    Exact betweenness and closeness of the ``collaboration`` layer and the
    betweenness of every robustness run are submitted to forked worker
    processes (:func:`n_jobs`); the rest of the stage is computed at once in
    the calling process, which can then go on with other stages. ``actors``
    (with the search-based columns NaN until :meth:`result`), ``network``
    (collaboration's betweenness centralization and the robustness rows
    pending) and ``type_mixing`` are available at once. :meth:`result`
    waits, fills ``actors`` in place and returns what :func:`measure_tables`
    returns -- the same numbers whether or not it ran in the background.
    """

    def __init__(self, study: Study, networks: Networks, seed: int, groups: str,
                 background: bool):
        self.study, self.networks, self.seed = study, networks, seed
        g = networks.collaboration
        self._plan = _plan_robustness(networks, study.settings.robustness_runs, seed, 2e8, 50,
                                      20, study.response_known)
        self._fast = g.number_of_nodes() > FAST_THRESHOLD
        self._pool = None
        self._keys: list[int] = []
        # other undirected layers: their betweenness centralization (exact or estimated)
        self._layers = {name: layer for name, layer in networks.layers().items()
                        if name != "collaboration" and not layer.is_directed()}
        self._later = {"collaboration"}
        if background and self._fast and n_jobs() > 1 and "fork" in \
                multiprocessing.get_all_start_methods():
            self._later |= set(self._layers)
            self._submit()
        self.actors = _light_actor_table(study, networks, groups)
        self.network = network_measures(study, networks, groups=groups, seed=seed,
                                        robust=_LATER, notes=self._plan.notes,
                                        later=self._later)
        self.type_mixing = type_mixing(
            networks.collaboration if groups == "type" else _relabel(networks, study, groups))

    def _submit(self) -> None:
        plan = self._plan
        self._pruned = _prune(plan.n, plan.edges)
        p = self._pruned
        parts = SPLIT_PARTS if plan.n > SPLIT_THRESHOLD else 1
        self._bet_parts = [c for c in _source_parts(p, parts) if len(c)]
        self._clo_parts = [c for c in (p.sources[i::parts] for i in range(parts)) if len(c)]
        self._run_parts = _run_chunks(plan)
        searches = {name: _layer_search(layer, self.seed) for name, layer in self._layers.items()}
        kp, kr, kl = next(_KEYS), next(_KEYS), next(_KEYS)
        _SHARED[kp], _SHARED[kr], _SHARED[kl] = p, plan, searches
        self._keys = [kp, kr, kl]
        self._pool = ProcessPoolExecutor(max_workers=n_jobs(),
                                         mp_context=multiprocessing.get_context("fork"))
        submit = self._pool.submit
        # the longest tasks first, so the workers finish together
        self._futures = {
            "bet": [submit(_weighted_betweenness_task, (kp, c)) for c in self._bet_parts],
            "runs": [submit(_run_betweenness_task, (kr, c)) for c in self._run_parts],
            "clo": [submit(_closeness_sums_task, (kp, c)) for c in self._clo_parts],
            "layers": {name: submit(_layer_task, (kl, name)) for name in searches},
        }

    def close(self) -> None:
        """Stop the worker processes (also when the caller gave up on the result)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        for k in self._keys:
            _SHARED.pop(k, None)
        self._keys = []

    def result(self) -> tuple[dict[str, pd.DataFrame], Robustness]:
        """Wait for the background work; returns ``(tables, robustness)`` as :func:`measure_tables`."""
        plan, g = self._plan, self.networks.collaboration
        try:
            if self._pool is not None:
                p = self._pruned
                total = np.zeros(len(p.keep))
                for f in self._futures["bet"]:
                    total += f.result()
                b0 = np.zeros(plan.n)
                b0[p.keep] = total + _leaf_terms(p)
                bet_runs = _collect_runs(plan, self._run_parts,
                                         [f.result() for f in self._futures["runs"]])
                sums = np.zeros(len(p.keep))
                for c, f in zip(self._clo_parts, self._futures["clo"], strict=True):
                    sums[c] = f.result()
                clo = _closeness_values(plan, p, sums)
                layer_bet = {name: dict(zip(self._layers[name], f.result().tolist(), strict=True))
                             for name, f in self._futures["layers"].items()}
            else:
                layer_bet = {}
                b0 = undirected_betweenness(plan.n, plan.edges)
                bet_runs = _run_betweenness(plan)
                clo = closeness(g)
        finally:
            self.close()
        robust = _finish_robustness(plan, b0, bet_runs, (0.05, 0.95), 10)
        _fill_heavy_columns(self.actors, g, robust.observed_betweenness, clo, robust)
        net = self.network
        where = (net["metric"] == "betweenness_centralization") & (net["layer"] == "collaboration")
        net.loc[where, "value"] = freeman_centralization(g, "betweenness",
                                                         values=robust.observed_betweenness)
        for name, bet in layer_bet.items():
            where = (net["metric"] == "betweenness_centralization") & (net["layer"] == name)
            net.loc[where, "value"] = freeman_centralization(self._layers[name], "betweenness",
                                                             values=bet)
        network = pd.concat([net, pd.DataFrame(_robust_rows(robust), columns=net.columns)],
                            ignore_index=True)
        tables = {"actors": self.actors, "network": network, "type_mixing": self.type_mixing,
                  "betweenness_sensitivity": robust.sensitivity}
        return tables, robust


def _closeness_values(plan: _RobustPlan, p: _Pruned, sums_kept: np.ndarray) -> dict:
    """Closeness (networkx convention) from the distance sums of the searched actors."""
    sums, sizes = _expand_sums(plan.n, plan.edges, p, sums_kept)
    return dict(zip(plan.nodes, _closeness_from_sums(sums, sizes, plan.n).tolist(), strict=True))


def start_measure_tables(study: Study, networks: Networks, seed: int | None = None,
                         groups: str | None = None, background: bool = True) -> PendingMeasures:
    """Start the measures stage; see :class:`PendingMeasures`.

    With ``background`` (and more than :data:`BACKGROUND_THRESHOLD` actors and
    more than one usable core) the search-based measures run in worker
    processes while the caller goes on; call ``result()`` (or ``close()``) on
    the returned object.
    """
    seed = study.settings.seed if seed is None else seed
    groups = groups or study.settings.groups or "type"
    return PendingMeasures(study, networks, seed, groups,
                           background and networks.collaboration.number_of_nodes()
                           > BACKGROUND_THRESHOLD)


def _relabel(networks: Networks, study: Study, groups: str) -> nx.Graph:
    g = networks.collaboration.copy()
    nx.set_node_attributes(g, {k: v for k, v in _group_map(study, groups).items()}, "type")
    return g


__all__ = [
    "ACTOR_COLUMNS", "EIResult", "FAST_THRESHOLD", "Robustness", "actor_measures",
    "betweenness", "brokerage_roles", "closeness", "constraint", "ei_index", "eigenvector",
    "freeman_centralization", "igraph_betweenness", "measure_tables", "n_jobs",
    "network_measures", "pagerank", "PendingMeasures", "reciprocation_rate", "reciprocity",
    "robustness", "start_measure_tables", "to_igraph", "transitivity", "type_mixing",
    "undirected_betweenness", "undirected_distance_sums",
]
