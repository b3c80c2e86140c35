"""Network layers built from a :class:`~netsoc.study.Study`.

Every layer holds **every actor** as a node (isolates included), with the node
attributes ``name``, ``type``, ``kommun_kod`` and ``status`` (response status)
and an integer or float edge attribute ``weight``. The layers follow
``DESIGN.md`` §3:

``reported``
    ``ties.csv`` as a directed graph respondent -> alter; several relations
    (and waves) between the same ordered pair collapse to one arc whose weight
    is the maximum strength.
``collaboration``
    the undirected symmetrisation of ``reported`` (see :func:`symmetrize`).
``formal``
    ``affiliations.csv`` as a directed graph, as written; weight = number of
    documented relations between the pair.
``placement``
    directed referrer -> host; weight = number of placements.
``coplacement``
    undirected host -- host; weight = number of persons placed at both hosts.

Self-ties (an actor naming itself, a placement whose referrer is its host) are
not edges of any layer; they carry no relational information.
"""

from __future__ import annotations

import csv
import gc
import math
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice, repeat
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp

from netsoc import _workers
from netsoc.study import Study

SYMMETRIZE_METHODS: tuple[str, ...] = ("union", "mutual", "max", "min", "reconstruct")
LAYER_NAMES: tuple[str, ...] = ("reported", "collaboration", "formal", "placement", "coplacement")


@dataclass
class Networks:
    """The network layers of a study.

    Attributes
    ----------
    reported : nx.DiGraph
        Reported ties, respondent -> alter, weight = max strength.
    collaboration : nx.Graph
        Undirected symmetrisation of ``reported`` by ``symmetrize``.
    formal : nx.DiGraph or None
        Affiliations (``None`` only inside ``by_wave``).
    placement : nx.DiGraph or None
        Referrer -> host, weight = number of placements (``None`` inside ``by_wave``).
    coplacement : nx.Graph or None
        Host -- host projection of shared persons; ``None`` without placements.
    by_wave : dict
        wave -> :class:`Networks` with the ``reported`` and ``collaboration``
        layers of that wave only (empty when the study has a single wave).
    symmetrize : str
        The symmetrisation used for ``collaboration``.
    status : pandas.Series
        Response status per actor (``completed``, ``declined``, ``not_reached``,
        ``not_asked``), as used by ``reconstruct`` and the robustness bands.
    wave : int or None
        The wave these layers are restricted to (``None``: all waves).
    """

    reported: nx.DiGraph
    collaboration: nx.Graph
    formal: nx.DiGraph | None = None
    placement: nx.DiGraph | None = None
    coplacement: nx.Graph | None = None
    by_wave: dict[int, Networks] = field(default_factory=dict)
    symmetrize: str = "union"
    status: pd.Series | None = None
    wave: int | None = None

    def layers(self) -> dict[str, nx.Graph]:
        """The present layers by name, in the order of ``LAYER_NAMES``."""
        out = {}
        for name in LAYER_NAMES:
            g = getattr(self, name)
            if g is not None:
                out[name] = g
        return out

    def summary(self) -> str:
        """One line per layer: nodes, edges, directedness."""
        lines = [f"Networks (symmetrize={self.symmetrize!r}, wave={self.wave})"]
        for name, g in self.layers().items():
            kind = "directed" if g.is_directed() else "undirected"
            lines.append(
                f"  {name:<14} {g.number_of_nodes():>7} nodes {g.number_of_edges():>8} edges  {kind}"
            )
        if self.by_wave:
            lines.append(f"  waves: {', '.join(str(w) for w in self.by_wave)}")
        return "\n".join(lines)


# ---------------------------------------------------------------------------
# building blocks


def _text(value) -> str:
    """Attribute text for GraphML/GEXF: never None/NaN (Gephi refuses them)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value)


def _actor_nodes(study: Study, status: pd.Series) -> list[tuple[str, dict]]:
    """(actor id, attributes) of every actor, in file order: the nodes of every layer."""
    a = study.actors
    kommun = a["kommun_kod"] if "kommun_kod" in a else pd.Series(pd.NA, index=a.index)
    known = dict(zip(status.index, status.to_numpy(), strict=True))

    def cells(s: pd.Series) -> np.ndarray:
        return s.to_numpy(dtype=object)

    return [
        (str(aid), {"name": _text(name), "type": _text(typ), "kommun_kod": _text(kk),
                    "status": _text(known.get(aid, "not_asked"))})
        for aid, name, typ, kk in zip(cells(a["actor_id"]), cells(a["name"]), cells(a["type"]),
                                      cells(kommun), strict=True)
    ]


def _empty_graph(study: Study, status: pd.Series, directed: bool,
                 nodes: list[tuple[str, dict]] | None = None) -> nx.Graph:
    g = nx.DiGraph() if directed else nx.Graph()
    _add_nodes(g, nodes if nodes is not None else _actor_nodes(study, status))
    return g


def _add_nodes(g: nx.Graph, nodes) -> None:
    """``g.add_nodes_from(nodes)`` for ``(node, attributes)`` of new, distinct nodes.

    Each node gets its own copy of the attributes, as with networkx.
    """
    if type(g) not in (nx.Graph, nx.DiGraph) or len(g):
        g.add_nodes_from(nodes)
        return
    directed = g.is_directed()
    for n, attrs in nodes:
        if n is None:
            raise ValueError("None cannot be a node")
        g._node[n] = dict(attrs)
        g._adj[n] = {}
        if directed:
            g._pred[n] = {}
    _clear_cache(g)


def _clear_cache(g: nx.Graph) -> None:
    """Drop networkx's cached conversions of ``g`` (networkx >= 3.3 keeps them)."""
    clear = getattr(nx, "_clear_cache", None)
    if clear is not None:
        clear(g)


def _add_edges(g: nx.Graph, edges) -> None:
    """``g.add_edges_from(edges)`` for ``(u, v, data)`` of distinct pairs of nodes of ``g``.

    The same adjacency, in the same order, as networkx builds, without its
    per-edge checks: a third of the time for the 334,000 coplacement edges of a
    national study.
    """
    if type(g) not in (nx.Graph, nx.DiGraph):
        g.add_edges_from(edges)
        return
    succ, pred = (g._succ, g._pred) if g.is_directed() else (g._adj, g._adj)
    for u, v, data in edges:
        succ[u][v] = data
        pred[v][u] = data
    _clear_cache(g)


def _reported_arcs(ties: pd.DataFrame | None) -> pd.DataFrame:
    """One row per ordered pair: max strength, relations joined by ';'."""
    cols = ["source", "target", "weight", "relation"]
    if ties is None or not len(ties):
        return pd.DataFrame(columns=cols)
    t = ties[ties["respondent_id"] != ties["alter_id"]]
    if not len(t):
        return pd.DataFrame(columns=cols)
    strength = pd.to_numeric(t["strength"], errors="coerce").fillna(1).astype(int)
    t = t.assign(source=t["respondent_id"].astype(str), target=t["alter_id"].astype(str),
                 weight=strength, relation=t["relation"].astype(str))
    g = t.groupby(["source", "target"], sort=True)
    arcs = g["weight"].max().to_frame()
    arcs["relation"] = _joined_relations(arcs.index, t["source"], t["target"], t["relation"])
    return arcs.reset_index()[cols]


def _joined_relations(pairs, sources: pd.Series, targets: pd.Series, relations: pd.Series) -> list[str]:
    """For each (source, target) of ``pairs``: its distinct relations, sorted, ';'-joined."""
    found: dict[tuple, set] = {}
    for key in zip(sources.to_numpy(dtype=object), targets.to_numpy(dtype=object),
                   relations.to_numpy(dtype=object), strict=True):
        found.setdefault(key[:2], set()).add(key[2])
    return [";".join(sorted(found[key])) for key in pairs]


def symmetrize(
    reported: nx.DiGraph,
    method: str = "union",
    nonrespondents: set | None = None,
) -> nx.Graph:
    """Undirected symmetrisation of a directed, weighted reported-tie graph.

    Parameters
    ----------
    reported : nx.DiGraph
        Arcs ego -> alter with a ``weight`` (strength).
    method : {"union", "mutual", "max", "min", "reconstruct"}
        ``union``
            an edge where either side reported the tie; weight = the larger
            strength (UCINET's *maximum* symmetrisation).
        ``max``
            the same as ``union`` (kept as the name UCINET uses).
        ``mutual``
            an edge only where both sides reported the tie; weight = the
            larger strength.
        ``min``
            an edge only where both sides reported the tie; weight = the
            smaller strength (UCINET's *minimum* symmetrisation).
        ``reconstruct``
            Stork & Richards' reconstruction: a non-respondent's own reports
            are replaced by what others reported about it (``x_ij := x_ji``),
            then ``union``.  Between two respondents this is ``union``.
    nonrespondents : set, optional
        Actors whose own reports are replaced under ``reconstruct`` (actors
        whose status is not ``completed``).

    Returns
    -------
    nx.Graph
        All nodes of ``reported`` with their attributes; edges with ``weight``
        and ``relation`` (relations of both directions, ';'-joined).

    Examples
    --------
    >>> d = nx.DiGraph()
    >>> d.add_weighted_edges_from([("a", "b", 2), ("b", "a", 4), ("a", "c", 1)])
    >>> sorted(symmetrize(d, "union").edges(data="weight"))
    [('a', 'b', 4), ('a', 'c', 1)]
    >>> sorted(symmetrize(d, "min").edges(data="weight"))
    [('a', 'b', 2)]

    References
    ----------
    Stork, D. & Richards, W. D. (1992). Nonrespondents in communication network
    studies. *Group & Organization Management* 17(2), 193-209.
    Borgatti, S. P., Everett, M. G. & Freeman, L. C. (2002). *UCINET for Windows*.
    """
    if method not in SYMMETRIZE_METHODS:
        raise ValueError(
            f"unknown symmetrize method {method!r}; choose one of {', '.join(SYMMETRIZE_METHODS)}"
        )
    g = nx.Graph()
    _add_nodes(g, reported.nodes(data=True))
    arcs = {(u, v): (d.get("weight", 1), d.get("relation", "")) for u, v, d in reported.edges(data=True)}
    if method == "reconstruct":
        nonresp = set(nonrespondents or ())
        rebuilt = {}
        for (u, v), val in arcs.items():
            if u not in nonresp:
                rebuilt[(u, v)] = val  # respondent's own report
            if v in nonresp:
                rebuilt[(v, u)] = val  # what u said about non-respondent v stands for v's report
        arcs = rebuilt
        method = "union"
    pairs: dict[tuple, list] = {}
    for (u, v), val in arcs.items():
        key = (u, v) if (u, v) in pairs or (v, u) not in pairs else (v, u)
        pairs.setdefault(key, []).append(val)
    edges = []
    for (u, v), vals in pairs.items():
        both = len(vals) == 2
        if method in ("mutual", "min") and not both:
            continue
        weights = [w for w, _ in vals]
        w = min(weights) if method == "min" else max(weights)
        rel = ";".join(sorted({r for _, rs in vals for r in str(rs).split(";") if r}))
        edges.append((u, v, {"weight": w, "relation": rel}))
    _add_edges(g, edges)
    return g


def coplacement_matrix(placements: pd.DataFrame, hosts: list[str]) -> sp.csr_matrix:
    """Host x host matrix of persons placed at both hosts (diagonal = persons per host).

    Uses a sparse persons x hosts incidence matrix ``B`` (one where a person was
    placed at a host, however often) and returns ``B.T @ B``; a million
    placements fit comfortably in memory.

    Examples
    --------
    >>> p = pd.DataFrame({"person_key": ["p1", "p1", "p2", "p2", "p2"],
    ...                   "host_id": ["A", "B", "A", "B", "C"]})
    >>> coplacement_matrix(p, ["A", "B", "C"]).toarray()
    array([[2, 2, 1],
           [2, 2, 1],
           [1, 1, 1]])
    """
    p = placements[["person_key", "host_id"]].dropna()
    codes, names = _factorize_text(p["host_id"])
    col = pd.Index(hosts).get_indexer(names)[codes]
    keep = col >= 0
    row, persons = _factorize_text(p["person_key"][keep])
    return _cooccurrence(row, len(persons), col[keep], len(hosts))


def _cooccurrence(row: np.ndarray, n_rows: int, col: np.ndarray, n_cols: int) -> sp.csr_matrix:
    """``B.T @ B`` of the 0/1 matrix ``B`` with ones at ``(row, col)``.

    Rows (persons) may be numbered in any order: the product does not depend on it.
    """
    b = sp.csr_matrix((np.ones(len(row), dtype=np.int64), (row, col)), shape=(n_rows, n_cols))
    b.data[:] = 1  # duplicates were summed; a person counts once per host
    b.sum_duplicates()
    b.data[:] = 1
    return (b.T @ b).tocsr()


def _factorize_text(s: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(codes, names): ``names[codes]`` is ``s.astype(str)``, each distinct name once."""
    if not isinstance(s.dtype, pd.StringDtype):
        s = s.astype(str)  # before grouping: 1 and "1" are one name
    codes, uniques = pd.factorize(s, use_na_sentinel=False)
    return codes, pd.Series(uniques, dtype=object).astype(str).to_numpy(dtype=object)


def _pair_counts(u: np.ndarray, v: np.ndarray, u_names: np.ndarray,
                 v_names: np.ndarray) -> tuple[list, list, list]:
    """Distinct (u, v) code pairs with their counts, ordered by (u name, v name)."""
    u_rank = np.empty(len(u_names), dtype=np.int64)
    u_rank[np.argsort(u_names, kind="stable")] = np.arange(len(u_names))
    v_rank = np.empty(len(v_names), dtype=np.int64)
    v_rank[np.argsort(v_names, kind="stable")] = np.arange(len(v_names))
    pairs, counts = np.unique(u_rank[u] * len(v_names) + v_rank[v], return_counts=True)
    u_sorted = np.sort(u_names) if len(u_names) else u_names
    v_sorted = np.sort(v_names) if len(v_names) else v_names
    return (u_sorted[pairs // max(len(v_names), 1)].tolist(),
            v_sorted[pairs % max(len(v_names), 1)].tolist(), counts.tolist())


def _all_text(s: pd.Series) -> bool:
    return isinstance(s.dtype, pd.StringDtype) or pd.api.types.infer_dtype(s, skipna=False) == "string"


def _placement_layer(pl: pd.DataFrame, ids: set[str],
                     placement: nx.DiGraph) -> tuple[list[str], sp.csr_matrix | None]:
    """Add the referrer -> host arcs to ``placement``; (hosts, coplacement matrix).

    Works on the distinct referrers and hosts: a million placements name a few thousand.
    """
    ref, ref_names = _factorize_text(pl["referrer_id"])
    host, host_names = _factorize_text(pl["host_id"])
    known = (np.array([n in ids for n in ref_names], dtype=bool)[ref]
             & np.array([n in ids for n in host_names], dtype=bool)[host])
    link = known & (ref_names[ref] != host_names[host])
    # one arc per (referrer, host), in sorted order, weight = number of placements
    us, vs, ns = _pair_counts(ref[link], host[link], ref_names, host_names)
    _add_edges(placement, [(u, v, {"weight": n}) for u, v, n in zip(us, vs, ns, strict=True)])
    hosts = sorted(host_names[np.unique(host[known])].tolist())
    if not hosts:
        return hosts, None
    col = pd.Index(hosts).get_indexer(host_names)[host]
    persons = pl["person_key"]
    keep = known & persons.notna().to_numpy()
    row, names = _factorize_text(persons[keep])
    return hosts, _cooccurrence(row, len(names), col[keep], len(hosts))


def _placement_layer_pandas(pl: pd.DataFrame, ids: set[str],
                            placement: nx.DiGraph) -> tuple[list[str], sp.csr_matrix | None]:
    """:func:`_placement_layer` for id columns that are not all text."""
    pl = pl[pl["referrer_id"].astype(str).isin(ids) & pl["host_id"].astype(str).isin(ids)]
    links = pl[pl["referrer_id"] != pl["host_id"]]
    counts = links.groupby(["referrer_id", "host_id"], sort=True).size()
    _add_edges(placement, [(str(u), str(v), {"weight": int(n)}) for (u, v), n in counts.items()])
    hosts = sorted(pl["host_id"].astype(str).unique())
    return hosts, (coplacement_matrix(pl, hosts) if hosts else None)


def build_networks(
    study: Study, symmetrize: str | None = None, wave: int | None = None
) -> Networks:
    """Build every network layer of ``study``.

    Parameters
    ----------
    study : Study
    symmetrize : str, optional
        Symmetrisation for the ``collaboration`` layer; default
        ``study.settings.symmetrize``. See :func:`netsoc.graphs.symmetrize`.
    wave : int, optional
        Restrict ties (and response status) to one wave. Without it all waves
        are merged (max strength) and ``by_wave`` holds one :class:`Networks`
        per wave when there is more than one.

    Returns
    -------
    Networks

    Examples
    --------
    >>> actors = pd.DataFrame({"actor_id": ["a", "b"], "name": ["A", "B"],
    ...                        "type": ["kommun", "association"], "kommun_kod": ["0127", pd.NA]})
    >>> ties = pd.DataFrame({"respondent_id": ["a"], "alter_id": ["b"],
    ...                      "relation": ["referral"], "strength": [3], "wave": [1]})
    >>> nets = build_networks(Study(actors=actors, ties=ties))
    >>> nets.collaboration["a"]["b"]["weight"]
    3
    """
    with _gc_paused():
        return _build_networks(study, symmetrize, wave)


@contextmanager
def _gc_paused():
    """No cyclic garbage collection while the graphs are built.

    Building creates about a million dicts and tuples (nodes, adjacency, edge
    data) and no garbage cycles; without the pause CPython would walk the
    growing heap again and again (a third of the time for a national study).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _build_networks(study: Study, symmetrize: str | None, wave: int | None) -> Networks:
    method = symmetrize or study.settings.symmetrize or "union"
    if method not in SYMMETRIZE_METHODS:
        raise ValueError(
            f"network.symmetrize = {method!r} is not one of {', '.join(SYMMETRIZE_METHODS)}"
        )
    status = study.respondent_status(wave)
    ids = set(study.actors["actor_id"].astype(str))

    ties = study.ties
    if ties is not None and wave is not None:
        ties = ties[ties["wave"] == wave]
    if ties is not None:
        ties = ties[ties["respondent_id"].astype(str).isin(ids) & ties["alter_id"].astype(str).isin(ids)]
    nodes = _actor_nodes(study, status)
    reported = _empty_graph(study, status, directed=True, nodes=nodes)
    _add_edges(reported, [(s, t, {"weight": int(w), "relation": rel})
                          for s, t, w, rel in _reported_arcs(ties).itertuples(index=False)])
    nonresp = {a for a, st in status.items() if st != "completed"}
    collaboration = symmetrize_graph(reported, method, nonresp)

    if wave is not None:
        return Networks(reported, collaboration, symmetrize=method, status=status, wave=wave)

    formal = _empty_graph(study, status, directed=True, nodes=nodes)
    aff = study.affiliations
    if aff is not None and len(aff):
        a = aff[(aff["actor_id"] != aff["partner_id"])
                & aff["actor_id"].astype(str).isin(ids) & aff["partner_id"].astype(str).isin(ids)]
        sizes = a.groupby(["actor_id", "partner_id"], sort=True).size()
        relations = _joined_relations(sizes.index, a["actor_id"], a["partner_id"],
                                      a["relation"].astype(str))
        _add_edges(formal, [(str(u), str(v), {"weight": int(n), "relation": rel})
                            for ((u, v), n), rel in zip(sizes.items(), relations, strict=True)])

    placement = _empty_graph(study, status, directed=True, nodes=nodes)
    coplacement = None
    pl = study.placements
    if pl is not None:
        coplacement = _empty_graph(study, status, directed=False, nodes=nodes)
        if _all_text(pl["referrer_id"]) and _all_text(pl["host_id"]):
            hosts, m = _placement_layer(pl, ids, placement)
        else:  # ids that are not text (a Study built by hand): grouped as pandas does
            hosts, m = _placement_layer_pandas(pl, ids, placement)
        if hosts:
            m = sp.triu(m, k=1).tocoo()
            pos = m.data > 0
            names = np.array(hosts, dtype=object)
            _add_edges(coplacement, [
                (u, v, {"weight": w}) for u, v, w in zip(
                    names[m.row[pos]].tolist(), names[m.col[pos]].tolist(),
                    m.data[pos].tolist(), strict=True)
            ])

    by_wave = {}
    waves = study.waves
    if len(waves) > 1:
        by_wave = {w: build_networks(study, method, wave=w) for w in waves}
    return Networks(reported, collaboration, formal, placement, coplacement, by_wave,
                    symmetrize=method, status=status)


# the public name `symmetrize` is shadowed by build_networks' parameter
symmetrize_graph = symmetrize


# ---------------------------------------------------------------------------
# exports


def _clean_attrs(d: dict) -> dict:
    """Plain Python bool/int/float/str values, no None/NaN (GraphML and GEXF need typed values)."""
    return {k: _clean_value(v) for k, v in d.items()}


def _export_copy(g: nx.Graph) -> nx.Graph:
    h = g.__class__()
    h.add_nodes_from((n, _clean_attrs(d)) for n, d in g.nodes(data=True))
    h.add_edges_from((u, v, _clean_attrs(d)) for u, v, d in g.edges(data=True))
    return h


# Fast GraphML / GEXF writers. networkx builds an ElementTree of the whole graph
# (about 1 s per 10,000 edges); these stream the same bytes (tests compare them
# with networkx's output) for the plain str/int/float attributes _export_copy
# leaves, and hand anything else back to networkx.
_XML_TYPES = {str: "string", int: "long", float: "double"}
_GEXF_NODE_RESERVED = frozenset({"id", "label", "pid", "start", "end", "viz", "parents", "spells"})
_GEXF_EDGE_RESERVED = frozenset({"id", "label", "type", "start", "end", "viz", "spells", "key"})


def _plain(g: nx.Graph) -> bool:
    if g.is_multigraph() or g.graph:
        return False
    ok = _XML_TYPES.keys()
    return (all(type(v) in ok for _, d in g.nodes(data=True) for v in d.values())
            and all(type(v) in ok for _, _, d in g.edges(data=True) for v in d.values()))


def write_graphml(g: nx.Graph, path: str | Path) -> None:
    """GraphML exactly as ``networkx.write_graphml`` writes it, streamed (fast on large graphs)."""
    from xml.etree.ElementTree import _escape_attrib, _escape_cdata

    if not _plain(g):
        nx.write_graphml(g, path)
        return
    keys: dict[tuple[str, str, str], str] = {}

    def key(name, value, scope):
        k = (str(name), _XML_TYPES[type(value)], scope)
        if k not in keys:
            keys[k] = f"d{len(keys)}"
        return keys[k]

    def data(k, v, scope):
        text = _escape_cdata(str(v))
        kid = key(k, v, scope)
        return (f'      <data key="{kid}">{text}</data>\n' if text
                else f'      <data key="{kid}" />\n')

    body = []
    for n, d in g.nodes(data=True):
        if d:
            body.append(f'    <node id="{_escape_attrib(str(n))}">\n')
            body.extend(data(k, v, "node") for k, v in d.items())
            body.append("    </node>\n")
        else:
            body.append(f'    <node id="{_escape_attrib(str(n))}" />\n')
    for u, v, d in g.edges(data=True):
        head = f'    <edge source="{_escape_attrib(str(u))}" target="{_escape_attrib(str(v))}"'
        if d:
            body.append(head + ">\n")
            body.extend(data(k, x, "edge") for k, x in d.items())
            body.append("    </edge>\n")
        else:
            body.append(head + " />\n")
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("<?xml version='1.0' encoding='utf-8'?>\n")
        f.write('<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
                'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
                'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
                'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n')
        for (name, typ, scope), kid in reversed(keys.items()):
            f.write(f'  <key id="{kid}" for="{scope}" attr.name="{_escape_attrib(name)}" '
                    f'attr.type="{typ}" />\n')
        edgedefault = "directed" if g.is_directed() else "undirected"
        if body:
            f.write(f'  <graph edgedefault="{edgedefault}">\n')
            f.writelines(body)
            f.write("  </graph>\n</graphml>\n")
        else:
            f.write(f'  <graph edgedefault="{edgedefault}" />\n</graphml>\n')


def write_gexf(g: nx.Graph, path: str | Path) -> None:
    """GEXF 1.2 exactly as ``networkx.write_gexf`` writes it, streamed (fast on large graphs)."""
    import time as _time
    from xml.etree.ElementTree import _escape_attrib

    if (not _plain(g)
            or any(_GEXF_NODE_RESERVED & d.keys() for _, d in g.nodes(data=True))
            or any(_GEXF_EDGE_RESERVED & d.keys() for _, _, d in g.edges(data=True))):
        nx.write_gexf(g, path)
        return
    attr_ids: dict[str, dict[str, tuple[str, str]]] = {"node": {}, "edge": {}}
    classes: list[str] = []  # in order of first attribute

    def attr(cls, name, value):
        ids = attr_ids[cls]
        if name not in ids:
            if not ids:
                classes.append(cls)
            ids[name] = (str(sum(len(x) for x in attr_ids.values())), _XML_TYPES[type(value)])
        return ids[name][0]

    def attvalues(cls, d, indent):
        if not d:
            return []
        out = [f"{indent}<attvalues>\n"]
        out.extend(f'{indent}  <attvalue for="{attr(cls, str(k), v)}" '
                   f'value="{_escape_attrib(str(v))}" />\n' for k, v in d.items())
        out.append(f"{indent}</attvalues>\n")
        return out

    nodes = []
    for n, d in g.nodes(data=True):
        esc = _escape_attrib(str(n))
        vals = attvalues("node", d, "        ")
        if vals:
            nodes.append(f'      <node id="{esc}" label="{esc}">\n')
            nodes.extend(vals)
            nodes.append("      </node>\n")
        else:
            nodes.append(f'      <node id="{esc}" label="{esc}" />\n')
    edges = []
    for i, (u, v, d) in enumerate(g.edges(data=True)):
        d = dict(d)
        head = (f'      <edge source="{_escape_attrib(str(u))}" '
                f'target="{_escape_attrib(str(v))}" id="{i}"')
        if "weight" in d:
            head += f' weight="{_escape_attrib(str(d.pop("weight")))}"'
        vals = attvalues("edge", d, "        ")
        if vals:
            edges.append(head + ">\n")
            edges.extend(vals)
            edges.append("      </edge>\n")
        else:
            edges.append(head + " />\n")
    edgetype = "directed" if g.is_directed() else "undirected"
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("<?xml version='1.0' encoding='utf-8'?>\n")
        f.write('<gexf xmlns="http://www.gexf.net/1.2draft" '
                'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
                'xsi:schemaLocation="http://www.gexf.net/1.2draft '
                'http://www.gexf.net/1.2draft/gexf.xsd" version="1.2">\n')
        f.write(f'  <meta lastmodifieddate="{_time.strftime("%Y-%m-%d")}">\n'
                f"    <creator>NetworkX {nx.__version__}</creator>\n  </meta>\n")
        f.write(f'  <graph defaultedgetype="{edgetype}" mode="static" name="">\n')
        for cls in reversed(classes):  # networkx inserts each new class block first
            f.write(f'    <attributes mode="static" class="{cls}">\n')
            for name, (aid, typ) in attr_ids[cls].items():
                f.write(f'      <attribute id="{aid}" title="{_escape_attrib(name)}" '
                        f'type="{typ}" />\n')
            f.write("    </attributes>\n")
        for tag, rows in (("nodes", nodes), ("edges", edges)):
            if rows:
                f.write(f"    <{tag}>\n")
                f.writelines(rows)
                f.write(f"    </{tag}>\n")
            else:
                f.write(f"    <{tag} />\n")
        f.write("  </graph>\n</gexf>\n")


def _dl_label(s: str) -> str:
    return '"' + str(s).replace('"', "'") + '"'


def write_ucinet_dl(g: nx.Graph, path: str | Path) -> None:
    """Write ``g`` as a UCINET DL edge list (``format=edgelist1``, labels, weights).

    Undirected edges are written in both directions so UCINET reads a
    symmetric matrix.
    """
    nodes = list(g)
    index = {n: i + 1 for i, n in enumerate(nodes)}
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(f"dl n={len(nodes)} format=edgelist1\n")
        f.write("labels:\n")
        f.write(",".join(_dl_label(n) for n in nodes) + "\n")
        f.write("data:\n")
        for u, v, w in g.edges(data="weight", default=1):
            f.write(f"{index[u]} {index[v]} {w}\n")
            if not g.is_directed():
                f.write(f"{index[v]} {index[u]} {w}\n")


def write_edge_csv(g: nx.Graph, path: str | Path) -> None:
    """Edge list CSV: ``source,target,weight`` plus any other edge attributes."""
    keys = sorted({k for _, _, d in g.edges(data=True) for k in d} - {"weight"})
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["source", "target", "weight", *keys])
        for u, v, d in g.edges(data=True):
            w.writerow([u, v, d.get("weight", 1), *(_text(d.get(k)) for k in keys)])


#: layers whose edge weights count people (small counts are suppressed on export)
PEOPLE_LAYERS: frozenset[str] = frozenset({"placement", "coplacement"})


def _suppress_people(g: nx.Graph, min_cell: int) -> nx.Graph:
    """Copy of a people-counting layer with weights 1..min_cell-1 hidden.

    The edge keeps its existence (that some placement happened is part of the
    network), ``weight`` becomes 1 and ``people`` reads ``"<min_cell"``;
    larger counts keep their value in both attributes.
    """
    h = g.copy()
    for _, _, d in h.edges(data=True):
        w = int(d.get("weight", 1))
        if 0 < w < min_cell:
            d["weight"] = 1
            d["people"] = f"<{min_cell}"
        else:
            d["people"] = str(w)
    return h


def _write_layer_generic(name: str, g: nx.Graph, paths: dict[str, Path], min_cell: int) -> None:
    """All files of one layer through graph copies (for layers :func:`_edge_table` cannot tabulate)."""
    if name in PEOPLE_LAYERS and min_cell > 1:
        g = _suppress_people(g, min_cell)
    h = _export_copy(g)
    write_graphml(h, paths["graphml"])
    write_gexf(h, paths["gexf"])
    # Pajek wants labels without attributes dicts it cannot express
    p = h.__class__()
    p.add_nodes_from(h)
    p.add_edges_from((u, v, {"weight": d.get("weight", 1)}) for u, v, d in h.edges(data=True))
    nx.write_pajek(p, paths["net"])
    write_ucinet_dl(h, paths["dl"])
    write_edge_csv(h, paths["csv"])


# ---------------------------------------------------------------------------
# Fast export: every file of a layer from one table of cleaned attribute values.
#
# The layers built here have the same attribute names, in the same order and of
# one type, on every node and on every edge. Then each value is cleaned
# (_clean_value) once, each distinct value is rendered once per format, and a
# file is a join of precomputed pieces; the node pieces are shared by all layers
# with the same nodes. The bytes are those of the generic path above (networkx's
# writers); tests compare the two. Anything else takes the generic path.


def _clean_value(v):
    """One value as :func:`_clean_attrs` cleans it."""
    if isinstance(v, bool | np.bool_):
        return bool(v)
    if isinstance(v, int | np.integer):
        return int(v)
    if isinstance(v, float | np.floating):
        return float(v) if np.isfinite(v) else 0.0
    return _text(v)


def _clean_column(col: list) -> tuple[list, type | None]:
    """(cleaned values, their one type), or type None when the cleaned types differ."""
    types = set(map(type, col))
    if len(types) == 1:
        t = types.pop()
        if t in (str, int, bool):
            return col, t
        if t is float:
            if all(map(math.isfinite, col)):
                return col, float
            return [x if math.isfinite(x) else 0.0 for x in col], float
    col = [_clean_value(x) for x in col]
    types = set(map(type, col))
    return col, (types.pop() if len(types) == 1 else None)


@dataclass
class _Table:
    """Attribute values of all nodes or all edges, one cleaned column per name."""

    keys: tuple[str, ...]
    cols: list[list]
    types: list[type]


def _table(dicts: list[dict], people: int | None = None) -> _Table | None:
    """Columns of ``dicts``, or None when they differ in names/order/types.

    With ``people`` (a ``min_cell``), the weights are suppressed first exactly
    as :func:`_suppress_people` does.
    """
    if not dicts:
        return _Table((), [], [])
    shapes = set(map(tuple, dicts))
    if len(shapes) != 1:
        return None
    keys = shapes.pop()
    if not all(type(k) is str for k in keys):
        return None
    raw = {k: [d[k] for d in dicts] for k in keys}
    if people is not None:
        if "weight" not in raw:
            return None
        wr = raw["weight"]
        ws = wr if set(map(type, wr)) == {int} else [int(x) for x in wr]
        hidden = f"<{people}"
        raw["weight"] = [1 if 0 < w < people else x for w, x in zip(ws, wr, strict=True)]
        raw["people"] = [hidden if 0 < w < people else str(w) for w in ws]
        keys = tuple(raw)  # "people" keeps its place, or comes last, as in a dict
    cols, types = [], []
    for k in keys:
        col, t = _clean_column(raw[k])
        if t is None:
            return None
        cols.append(col)
        types.append(t)
    return _Table(keys, cols, types)


def _rendered(col: list, typ: type, fn) -> list[str]:
    """``[fn(x) for x in col]``, calling ``fn`` once per distinct value."""
    if typ is float:  # 0.0 == -0.0 but they print differently
        return [fn(x) for x in col]
    memo = {x: fn(x) for x in set(col)}
    return list(map(memo.__getitem__, col))


def _graphml_data(kid: str):
    from xml.etree.ElementTree import _escape_cdata

    def fn(v):
        text = _escape_cdata(str(v))
        return f'      <data key="{kid}">{text}</data>\n' if text else f'      <data key="{kid}" />\n'
    return fn


def _gexf_value(v) -> str:
    from xml.etree.ElementTree import _escape_attrib

    return _escape_attrib(str(v).lower() if isinstance(v, bool) else str(v))


def _gexf_attvalue(aid: str):
    def fn(v):
        return f'          <attvalue for="{aid}" value="{_gexf_value(v)}" />\n'
    return fn


def _xml_type(t: type) -> str:
    return "boolean" if t is bool else _XML_TYPES[t]


def _qstr(v) -> str:
    """networkx's Pajek quoting (``make_qstr``)."""
    t = str(v)
    return f'"{t}"' if " " in t else t


class _NodePart:
    """The pieces of every file that depend only on the nodes (shared by the layers)."""

    def __init__(self, raw: list[tuple]):
        from xml.etree.ElementTree import _escape_attrib

        self.raw = raw
        self.nodes = [n for n, _ in raw]
        self.ids = [str(n) for n in self.nodes]
        self.escaped = [_escape_attrib(i) for i in self.ids]
        self.table = _table([d for _, d in raw])
        # GEXF writes these names as XML attributes: networkx's writer handles them
        self.fits = self.table is not None and not _GEXF_NODE_RESERVED & set(self.table.keys)
        self._cache: dict[str, object] = {}

    def same(self, raw: list[tuple]) -> bool:
        return raw == self.raw

    def number(self) -> dict:
        """node -> its 1-based number and a space (Pajek, DL)."""
        if "number" not in self._cache:
            self._cache["number"] = {n: f"{i} " for i, n in enumerate(self.nodes, 1)}
        return self._cache["number"]

    def graphml(self) -> tuple[str, dict, dict, dict]:
        """(node elements, edge-start by node, edge-end by node, edge-end without data by node)."""
        if "graphml" not in self._cache:
            t = self.table
            parts = [_rendered(col, typ, _graphml_data(f"d{i}"))
                     for i, (col, typ) in enumerate(zip(t.cols, t.types, strict=True))]
            if t.keys:
                text = "".join(map("".join, zip(
                    (f'    <node id="{e}">\n' for e in self.escaped), *parts,
                    repeat("    </node>\n", len(self.nodes)), strict=True)))
            else:
                text = "".join(f'    <node id="{e}" />\n' for e in self.escaped)
            self._cache["graphml"] = (
                text,
                {n: f'    <edge source="{e}" target="' for n, e in zip(self.nodes, self.escaped, strict=True)},
                {n: f'{e}">\n' for n, e in zip(self.nodes, self.escaped, strict=True)},
                {n: f'{e}" />\n' for n, e in zip(self.nodes, self.escaped, strict=True)},
            )
        return self._cache["graphml"]

    def gexf(self) -> tuple[str, dict, dict]:
        """(node elements, edge-start by node, edge-target-and-id-start by node)."""
        if "gexf" not in self._cache:
            t = self.table
            if t.keys:
                parts = [_rendered(col, typ, _gexf_attvalue(str(i)))
                         for i, (col, typ) in enumerate(zip(t.cols, t.types, strict=True))]
                text = "".join(map("".join, zip(
                    (f'      <node id="{e}" label="{e}">\n        <attvalues>\n'
                     for e in self.escaped), *parts,
                    repeat("        </attvalues>\n      </node>\n", len(self.nodes)), strict=True)))
            else:
                text = "".join(f'      <node id="{e}" label="{e}" />\n' for e in self.escaped)
            self._cache["gexf"] = (
                text,
                {n: f'      <edge source="{e}" target="' for n, e in zip(self.nodes, self.escaped, strict=True)},
                {n: f'{e}" id="' for n, e in zip(self.nodes, self.escaped, strict=True)},
            )
        return self._cache["gexf"]

    def pajek(self) -> str:
        if "pajek" not in self._cache:
            self._cache["pajek"] = "".join(
                f"{i} {_qstr(n)} 0.0 0.0 ellipse\n" for i, n in enumerate(self.ids, 1))
        return self._cache["pajek"]

    def dl_labels(self) -> str:
        if "dl" not in self._cache:
            self._cache["dl"] = ",".join(map(_dl_label, self.nodes)) + "\n"
        return self._cache["dl"]


class _NodeParts:
    """The :class:`_NodePart` of the last layer seen: reused while the nodes are the same."""

    def __init__(self):
        self.last: _NodePart | None = None

    def get(self, g: nx.Graph) -> _NodePart:
        raw = list(g.nodes(data=True))
        if self.last is None or not self.last.same(raw):
            self.last = _NodePart(raw)
        return self.last


def _edge_lists(g: nx.Graph) -> tuple[list, list, list[dict]]:
    """Sources, targets and data of ``g.edges(data=True)``, in its order, read off the adjacency.

    (``list(g.edges(data=True))`` walks the edges twice: once to count them.)
    """
    us: list = []
    vs: list = []
    ds: list[dict] = []
    if g.is_directed():
        for u, nbrs in g._succ.items():
            us.extend(repeat(u, len(nbrs)))
            vs.extend(nbrs)
            ds.extend(nbrs.values())
        return us, vs, ds
    seen = set()
    for u, nbrs in g._adj.items():
        new = [v for v in nbrs if v not in seen]  # networkx's order: each edge at its first end
        us.extend(repeat(u, len(new)))
        vs.extend(new)
        ds.extend(map(nbrs.__getitem__, new))
        seen.add(u)
    return us, vs, ds


def _write_all(f, strings, chunk: int = 1 << 15) -> None:
    """``f.writelines(strings)``, a joined chunk at a time (far fewer text-layer calls)."""
    it = iter(strings)
    while batch := list(islice(it, chunk)):
        f.write("".join(batch))


def _write_layer_fast(g: nx.Graph, paths: dict[str, Path], people: int | None,
                      parts: _NodeParts) -> bool:
    """Write the files of a layer from tables; False (nothing written) if it cannot."""
    import time as _time
    from xml.etree.ElementTree import _escape_attrib

    if type(g) not in (nx.Graph, nx.DiGraph):
        return False
    node = parts.get(g)
    if not node.fits:
        return False
    us, vs, ds = _edge_lists(g)
    et = _table(ds, people)
    if et is None or _GEXF_EDGE_RESERVED & set(et.keys):
        return False
    del ds
    m = len(us)
    directed = g.is_directed()
    cols = dict(zip(et.keys, zip(et.cols, et.types, strict=True), strict=True))
    weight = cols.get("weight")

    # GraphML: node keys d0.., then edge keys; networkx lists the keys last first
    nt = node.table
    keys = [(k, _xml_type(t), "node") for k, t in zip(nt.keys, nt.types, strict=True)]
    keys += [(k, _xml_type(t), "edge") for k, t in zip(et.keys, et.types, strict=True)]
    node_text, starts, ends, ends_bare = node.graphml()
    with open(paths["graphml"], "w", encoding="utf-8", newline="\n") as f:
        f.write("<?xml version='1.0' encoding='utf-8'?>\n"
                '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
                'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
                'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
                'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n')
        for i in reversed(range(len(keys))):
            name, typ, scope = keys[i]
            f.write(f'  <key id="d{i}" for="{scope}" attr.name="{_escape_attrib(name)}" '
                    f'attr.type="{typ}" />\n')
        edgedefault = "directed" if directed else "undirected"
        if node_text or m:
            f.write(f'  <graph edgedefault="{edgedefault}">\n')
            f.write(node_text)
            if et.keys:
                data = [_rendered(col, typ, _graphml_data(f"d{len(nt.keys) + i}"))
                        for i, (col, typ) in enumerate(zip(et.cols, et.types, strict=True))]
                _write_all(f, map("".join, zip(map(starts.__getitem__, us),
                                              map(ends.__getitem__, vs), *data,
                                              repeat("    </edge>\n", m), strict=True)))
            else:
                _write_all(f, map(str.__add__, map(starts.__getitem__, us),
                                 map(ends_bare.__getitem__, vs)))
            f.write("  </graph>\n</graphml>\n")
        else:
            f.write(f'  <graph edgedefault="{edgedefault}" />\n</graphml>\n')

    # GEXF: weight is an attribute of the edge element, the rest attvalues
    gt = node.table
    node_text, starts, mids = node.gexf()
    attrs = [k for k in et.keys if k != "weight"]
    with open(paths["gexf"], "w", encoding="utf-8", newline="\n") as f:
        f.write("<?xml version='1.0' encoding='utf-8'?>\n"
                '<gexf xmlns="http://www.gexf.net/1.2draft" '
                'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
                'xsi:schemaLocation="http://www.gexf.net/1.2draft '
                'http://www.gexf.net/1.2draft/gexf.xsd" version="1.2">\n'
                f'  <meta lastmodifieddate="{_time.strftime("%Y-%m-%d")}">\n'
                f"    <creator>NetworkX {nx.__version__}</creator>\n  </meta>\n"
                f'  <graph defaultedgetype="{"directed" if directed else "undirected"}" '
                'mode="static" name="">\n')
        blocks = []  # networkx inserts each new class block first
        if gt.keys:
            blocks.append(("node", [(str(i), k, _xml_type(t)) for i, (k, t)
                                    in enumerate(zip(gt.keys, gt.types, strict=True))]))
        if attrs and m:
            blocks.append(("edge", [(str(len(gt.keys) + i), k, _xml_type(cols[k][1]))
                                    for i, k in enumerate(attrs)]))
        for cls, rows in reversed(blocks):
            f.write(f'    <attributes mode="static" class="{cls}">\n')
            f.writelines(f'      <attribute id="{aid}" title="{_escape_attrib(k)}" type="{typ}" />\n'
                         for aid, k, typ in rows)
            f.write("    </attributes>\n")
        f.write("    <nodes>\n" + node_text + "    </nodes>\n" if node_text else "    <nodes />\n")
        if m:
            f.write("    <edges>\n")
            w = (_rendered(*weight, lambda v: f'" weight="{_escape_attrib(str(v))}"')
                 if weight else repeat('"', m))
            if attrs:
                vals = [_rendered(*cols[k], _gexf_attvalue(str(len(gt.keys) + i)))
                        for i, k in enumerate(attrs)]
                _write_all(f, map("".join, zip(
                    map(starts.__getitem__, us), map(mids.__getitem__, vs), map(str, range(m)), w,
                    repeat(">\n        <attvalues>\n", m), *vals,
                    repeat("        </attvalues>\n      </edge>\n", m), strict=True)))
            else:
                _write_all(f, map("".join, zip(map(starts.__getitem__, us), map(mids.__getitem__, vs),
                                              map(str, range(m)), w, repeat(" />\n", m), strict=True)))
            f.write("    </edges>\n")
        else:
            f.write("    <edges />\n")
        f.write("  </graph>\n</gexf>\n")

    # Pajek (as nx.write_pajek writes a copy with only the weights) and UCINET DL
    number = node.number()  # "<k> "
    nu = list(map(number.__getitem__, us))
    nv = list(map(number.__getitem__, vs))
    with open(paths["net"], "w", encoding="utf-8", newline="\n") as f:
        f.write(f"*vertices {len(node.nodes)}\n")
        f.write(node.pajek())
        f.write("*arcs\n" if directed else "*edges\n")
        ws = (_rendered(*weight, lambda v: _qstr(v) + "\n") if weight else repeat("1\n", m))
        _write_all(f, map("".join, zip(nu, nv, ws, strict=True)))
    with open(paths["dl"], "w", encoding="utf-8", newline="\n") as f:
        f.write(f"dl n={len(node.nodes)} format=edgelist1\nlabels:\n")
        f.write(node.dl_labels())
        f.write("data:\n")
        ws = _rendered(*weight, "{}\n".format) if weight else repeat("1\n", m)
        if directed:
            _write_all(f, map("".join, zip(nu, nv, ws, strict=True)))
        else:  # both directions, so that UCINET reads a symmetric matrix
            ws = list(ws)
            _write_all(f, map("".join, zip(nu, nv, ws, nv, nu, ws, strict=True)))

    # edge CSV: the csv module prints the cleaned values as _text would
    others = sorted(set(et.keys) - {"weight"})
    with open(paths["csv"], "w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(["source", "target", "weight", *others])
        out.writerows(zip(us, vs, weight[0] if weight else repeat(1, m),
                          *(cols[k][0] for k in others), strict=True))
    return True


def _layer_paths(name: str, out: Path) -> dict[str, Path]:
    return {
        "graphml": out / f"{name}.graphml",
        "gexf": out / f"{name}.gexf",
        "net": out / f"{name}.net",
        "dl": out / f"{name}.dl",
        "csv": out / f"{name}_edges.csv",
    }


def _write_layer(task: tuple) -> list[Path]:
    """The five files of one layer: ``task = (name, graph, out_dir, min_cell[, node parts])``."""
    name, g, out, min_cell = task[:4]
    parts = task[4] if len(task) > 4 else _NodeParts()
    paths = _layer_paths(name, out)
    people = min_cell if name in PEOPLE_LAYERS and min_cell > 1 else None
    if not _write_layer_fast(g, paths, people, parts):
        _write_layer_generic(name, g, paths, min_cell)
    return list(paths.values())


def _write_shared_layer(task: tuple) -> list[Path]:
    key, name = task
    layers, out, min_cell, parts = _workers._SHARED[key]
    return _write_layer((name, layers[name], out, min_cell, parts))


def _export_layers(networks: Networks) -> dict[str, nx.Graph]:
    layers = dict(networks.layers())
    for w, wn in networks.by_wave.items():
        for name, g in wn.layers().items():
            layers[f"{name}_w{w}"] = g
    return layers


def write_graph_files(networks: Networks, out_dir: str | Path, min_cell: int = 1) -> list[Path]:
    """Write every layer as GraphML, GEXF, Pajek, UCINET DL and an edge-list CSV.

    Files are ``<layer>.graphml``, ``<layer>.gexf``, ``<layer>.net``,
    ``<layer>.dl`` and ``<layer>_edges.csv`` in ``out_dir`` (created), plus
    ``<layer>_w<k>.*`` for each wave when there are several (as :mod:`netsoc.waves` names them).
    The files are those networkx's writers make (``write_graphml``,
    ``write_gexf``, ``write_pajek``) of the layers with plain attribute values.

    ``placement`` and ``coplacement`` weights count people: with
    ``min_cell > 1`` counts ``1 .. min_cell-1`` are exported as weight 1 with
    the text attribute ``people = "<min_cell"`` (see :func:`_suppress_people`).

    Returns
    -------
    list of Path
        The files written.

    See Also
    --------
    start_graph_files : the same in a background process.
    """
    return _write_graph_files(networks, Path(out_dir), min_cell, None)


def _write_graph_files(networks: Networks, out: Path, min_cell: int,
                       jobs: int | None) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    layers = _export_layers(networks)
    parts = _NodeParts()
    if sum(g.number_of_edges() for g in layers.values()) > _PARALLEL_EDGES and jobs != 1:
        # large exports: layers are written in forked worker processes (which
        # inherit the graphs), largest first so the workers finish together
        key = next(_workers._KEYS)
        _workers._SHARED[key] = (layers, out, min_cell, parts)
        order = sorted(layers, key=lambda k: -layers[k].number_of_edges())
        try:
            done = dict(zip(order, _workers._parallel_map(
                _write_shared_layer, [(key, name) for name in order], jobs), strict=True))
        finally:
            _workers._SHARED.pop(key, None)
        results = [done[name] for name in layers]
    else:
        results = [_write_layer((name, g, out, min_cell, parts)) for name, g in layers.items()]
    return [p for paths in results for p in paths]


#: edges above which write_graph_files writes layers in worker processes
_PARALLEL_EDGES = 100_000


#: worker processes of the background writer. 1: it writes the layers itself.
#: On 2 cores, with the caller busy meanwhile, workers of its own only compete
#: with the caller (national study: 5.3 s wall and 5.2 s CPU vs 4.6-5.2 s and 4.5 s).
_CHILD_JOBS: int | None = 1


class GraphFilesError(RuntimeError):
    """Writing the graph files failed in the background process (the cause is chained)."""


class GraphFiles:
    """Graph files being written by :func:`start_graph_files`; :meth:`wait` for them."""

    def __init__(self, out_dir: Path, process=None, conn=None,
                 files: list[Path] | None = None, error: BaseException | None = None):
        self.out_dir = out_dir
        self._process = process
        self._conn = conn
        self._files = files
        self._error = error

    def wait(self) -> list[Path]:
        """Block until the files are written; the list :func:`write_graph_files` returns.

        Raises
        ------
        GraphFilesError
            When the background process failed (its exception is the
            ``__cause__``, its traceback in the message) or died.
        Exception
            Whatever :func:`write_graph_files` raised, when it ran in this process.
        """
        if self._process is not None:
            try:
                msg = self._conn.recv()
            except EOFError:
                msg = None  # the child died without a word
            finally:
                self._conn.close()
            self._process.join()
            code = self._process.exitcode
            self._process = None
            if msg is None:
                self._error = GraphFilesError(
                    f"the background process writing graph files to {self.out_dir} "
                    f"ended (exit code {code}) before reporting")
            elif msg[0] == "ok":
                self._files = msg[1]
            else:
                _, exc, text = msg
                err = GraphFilesError(
                    f"writing graph files to {self.out_dir} failed in the background process:\n{text}")
                err.__cause__ = exc
                self._error = err
        if self._error is not None:
            raise self._error
        return list(self._files)


def _graph_files_child(conn, networks: Networks, out: Path, min_cell: int) -> None:
    import traceback

    # short-lived and exits without freeing: collecting would only copy the
    # parent's pages (copy-on-write) to scan objects that die with the process
    gc.disable()
    try:
        msg = ("ok", _write_graph_files(networks, out, min_cell, _CHILD_JOBS))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which raises
        text = traceback.format_exc()
        try:
            import pickle

            pickle.dumps(exc)
        except Exception:  # noqa: BLE001 - an exception that cannot travel: its text does
            exc = RuntimeError(f"{type(exc).__name__}: {exc}")
        msg = ("error", exc, text)
    conn.send(msg)
    conn.close()


def start_graph_files(networks: Networks, out_dir: str | Path, min_cell: int = 1) -> GraphFiles:
    """Start :func:`write_graph_files` in a forked background process.

    The caller goes on (e.g. rendering the report) while the files are
    written, and collects them with :meth:`GraphFiles.wait`, which raises if
    writing failed. Where ``fork`` is unavailable, or with one job
    (:func:`netsoc._workers.n_jobs`, ``NETSOC_JOBS=1``), the files are written
    here and now, and ``wait`` returns them (or raises what writing raised).
    The layers must not change until ``wait`` returns (the background
    process sees them as they were at the start).

    Returns
    -------
    GraphFiles
        The handle whose ``wait()`` returns the files written.

    Examples
    --------
    >>> import tempfile
    >>> nets = build_networks(Study(actors=pd.DataFrame(
    ...     {"actor_id": ["a", "b"], "name": ["A", "B"], "type": ["kommun", "company"]})))
    >>> out = Path(tempfile.mkdtemp())
    >>> pending = start_graph_files(nets, out / "graphs", min_cell=5)
    >>> # ... render the report meanwhile ...
    >>> files = pending.wait()
    >>> sorted(f.name for f in files)[:3]
    ['collaboration.dl', 'collaboration.gexf', 'collaboration.graphml']
    """
    import multiprocessing

    out = Path(out_dir)
    if _workers.n_jobs() <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        try:
            return GraphFiles(out, files=write_graph_files(networks, out, min_cell))
        except Exception as exc:  # noqa: BLE001 - raised by wait(), as in the background
            return GraphFiles(out, error=exc)
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    # not a daemon: a daemonic process may not start worker processes of its own
    proc = ctx.Process(target=_graph_files_child, args=(child, networks, out, min_cell),
                       name="netsoc-graph-files", daemon=False)
    proc.start()
    child.close()  # so that recv() sees EOF if the child dies
    return GraphFiles(out, proc, parent)
