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


def _empty_graph(study: Study, status: pd.Series, directed: bool) -> nx.Graph:
    g = nx.DiGraph() if directed else nx.Graph()
    a = study.actors
    kommun = a["kommun_kod"] if "kommun_kod" in a else pd.Series(pd.NA, index=a.index)
    for aid, name, typ, kk in zip(a["actor_id"], a["name"], a["type"], kommun, strict=True):
        g.add_node(
            str(aid),
            name=_text(name),
            type=_text(typ),
            kommun_kod=_text(kk),
            status=_text(status.get(aid, "not_asked")),
        )
    return g


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
    arcs["relation"] = g["relation"].agg(lambda s: ";".join(sorted(set(s))))
    return arcs.reset_index()[cols]


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
    g.add_nodes_from(reported.nodes(data=True))
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
    for (u, v), vals in pairs.items():
        both = len(vals) == 2
        if method in ("mutual", "min") and not both:
            continue
        weights = [w for w, _ in vals]
        w = min(weights) if method == "min" else max(weights)
        rel = ";".join(sorted({r for _, rs in vals for r in str(rs).split(";") if r}))
        g.add_edge(u, v, weight=w, relation=rel)
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
    host_index = pd.Index(hosts)
    p = placements[["person_key", "host_id"]].dropna()
    col = host_index.get_indexer(p["host_id"].astype(str))
    keep = col >= 0
    persons, row = np.unique(p["person_key"].astype(str).to_numpy()[keep], return_inverse=True)
    b = sp.csr_matrix(
        (np.ones(int(keep.sum()), dtype=np.int64), (row, col[keep])),
        shape=(len(persons), len(hosts)),
    )
    b.data[:] = 1  # duplicates were summed; a person counts once per host
    b.sum_duplicates()
    b.data[:] = 1
    return (b.T @ b).tocsr()


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
    reported = _empty_graph(study, status, directed=True)
    for s, t, w, rel in _reported_arcs(ties).itertuples(index=False):
        reported.add_edge(s, t, weight=int(w), relation=rel)
    nonresp = {a for a, st in status.items() if st != "completed"}
    collaboration = symmetrize_graph(reported, method, nonresp)

    if wave is not None:
        return Networks(reported, collaboration, symmetrize=method, status=status, wave=wave)

    formal = _empty_graph(study, status, directed=True)
    aff = study.affiliations
    if aff is not None and len(aff):
        a = aff[(aff["actor_id"] != aff["partner_id"])
                & aff["actor_id"].astype(str).isin(ids) & aff["partner_id"].astype(str).isin(ids)]
        for (u, v), grp in a.groupby(["actor_id", "partner_id"], sort=True):
            formal.add_edge(str(u), str(v), weight=int(len(grp)),
                            relation=";".join(sorted(set(grp["relation"].astype(str)))))

    placement = _empty_graph(study, status, directed=True)
    coplacement = None
    pl = study.placements
    if pl is not None:
        pl = pl[pl["referrer_id"].astype(str).isin(ids) & pl["host_id"].astype(str).isin(ids)]
        links = pl[pl["referrer_id"] != pl["host_id"]]
        counts = links.groupby(["referrer_id", "host_id"], sort=True).size()
        for (u, v), n in counts.items():
            placement.add_edge(str(u), str(v), weight=int(n))
        coplacement = _empty_graph(study, status, directed=False)
        hosts = sorted(pl["host_id"].astype(str).unique())
        if hosts:
            m = sp.triu(coplacement_matrix(pl, hosts), k=1).tocoo()
            for i, j, w in zip(m.row, m.col, m.data, strict=True):
                if w > 0:
                    coplacement.add_edge(hosts[i], hosts[j], weight=int(w))

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
    for name, g in layers.items():
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
        nx.write_graphml(h, paths["graphml"])
        nx.write_gexf(h, paths["gexf"])
        # Pajek wants labels without attributes dicts it cannot express
        p = h.__class__()
        p.add_nodes_from(h)
        p.add_edges_from((u, v, {"weight": d.get("weight", 1)}) for u, v, d in h.edges(data=True))
        nx.write_pajek(p, paths["net"])
        write_ucinet_dl(h, paths["dl"])
        write_edge_csv(h, paths["csv"])
        written.extend(paths.values())
    return written
