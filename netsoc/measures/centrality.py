"""Centralities and network-level indices in the networkx / R ``sna`` conventions.

Actor level: betweenness (Freeman 1977), closeness (Freeman 1979), eigenvector
(Bonacich 1987), PageRank (Brin & Page 1998). Network level: transitivity,
reciprocity and Freeman (1979) centralization as ``sna::centralization``. On
large graphs each switches to its fast path in :mod:`netsoc.measures.paths`.
"""

from __future__ import annotations

from collections.abc import Mapping

import igraph as ig
import networkx as nx
import numpy as np

from netsoc.measures.paths import (
    _adjacency,
    _closeness_from_sums,
    _igraph_closeness,
    _use_fast,
    igraph_betweenness,
    to_igraph,
    undirected_distance_sums,
)

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
