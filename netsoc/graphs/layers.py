"""The network layers of a study (:class:`Networks`) and how they are built from a
:class:`~netsoc.study.Study`: reported ties, their symmetrisation (``collaboration``),
affiliations (``formal``), placements and co-placements (:func:`build_networks`).

References
----------
Stork, D. & Richards, W. D. (1992). Nonrespondents in communication network
studies. *Group & Organization Management* 17(2), 193-209 (``reconstruct``).
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass, field

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp

from netsoc.graphs._core import _actor_nodes, _add_edges, _add_nodes, _empty_graph
from netsoc.graphs.projection import _all_text, _placement_layer, _placement_layer_pandas
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
