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
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp

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
    """Plain Python int/float/str values, no None/NaN (GraphML and GEXF need typed values)."""
    out = {}
    for k, v in d.items():
        if isinstance(v, bool | np.bool_):
            out[k] = bool(v)
        elif isinstance(v, int | np.integer):
            out[k] = int(v)
        elif isinstance(v, float | np.floating):
            out[k] = float(v) if np.isfinite(v) else 0.0
        else:
            out[k] = _text(v)
    return out


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


def _write_layer(task: tuple) -> list[Path]:
    name, g, out, min_cell = task
    if name in PEOPLE_LAYERS and min_cell > 1:
        g = _suppress_people(g, min_cell)
    h = _export_copy(g)
    paths = {
        "graphml": out / f"{name}.graphml",
        "gexf": out / f"{name}.gexf",
        "net": out / f"{name}.net",
        "dl": out / f"{name}.dl",
        "csv": out / f"{name}_edges.csv",
    }
    write_graphml(h, paths["graphml"])
    write_gexf(h, paths["gexf"])
    # Pajek wants labels without attributes dicts it cannot express
    p = h.__class__()
    p.add_nodes_from(h)
    p.add_edges_from((u, v, {"weight": d.get("weight", 1)}) for u, v, d in h.edges(data=True))
    nx.write_pajek(p, paths["net"])
    write_ucinet_dl(h, paths["dl"])
    write_edge_csv(h, paths["csv"])
    return list(paths.values())


def _write_shared_layer(task: tuple) -> list[Path]:
    from netsoc.measures import _SHARED

    key, name = task
    layers, out, min_cell = _SHARED[key]
    return _write_layer((name, layers[name], out, min_cell))


def write_graph_files(networks: Networks, out_dir: str | Path, min_cell: int = 1) -> list[Path]:
    """Write every layer as GraphML, GEXF, Pajek, UCINET DL and an edge-list CSV.

    Files are ``<layer>.graphml``, ``<layer>.gexf``, ``<layer>.net``,
    ``<layer>.dl`` and ``<layer>_edges.csv`` in ``out_dir`` (created), plus
    ``<layer>_w<k>.*`` for each wave when there are several (as :mod:`netsoc.waves` names them).

    ``placement`` and ``coplacement`` weights count people: with
    ``min_cell > 1`` counts ``1 .. min_cell-1`` are exported as weight 1 with
    the text attribute ``people = "<min_cell"`` (see :func:`_suppress_people`).

    Returns
    -------
    list of Path
        The files written.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    layers = dict(networks.layers())
    for w, wn in networks.by_wave.items():
        for name, g in wn.layers().items():
            layers[f"{name}_w{w}"] = g
    if sum(g.number_of_edges() for g in layers.values()) > 100_000:
        # large exports: layers are written in forked worker processes (which
        # inherit the graphs), largest first so the two workers finish together
        from netsoc import measures

        key = next(measures._KEYS)
        measures._SHARED[key] = (layers, out, min_cell)
        order = sorted(layers, key=lambda k: -layers[k].number_of_edges())
        try:
            done = dict(zip(order, measures._parallel_map(
                _write_shared_layer, [(key, name) for name in order]), strict=True))
        finally:
            measures._SHARED.pop(key, None)
        results = [done[name] for name in layers]
    else:
        results = [_write_layer((name, g, out, min_cell)) for name, g in layers.items()]
    for paths in results:
        written.extend(paths)
    return written
