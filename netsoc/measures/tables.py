"""The tables of the measures stage: ``actors``, ``network``, ``type_mixing`` and
``betweenness_sensitivity``.

:func:`actor_measures` and :func:`network_measures` build ``tables/actors.csv``
and ``tables/network.csv`` from the families of this package;
:func:`start_measure_tables` (and :func:`measure_tables`, which waits for it)
runs the whole stage, with the search-based measures of large graphs in
background worker processes (:class:`PendingMeasures`). The layer helpers
(``_layer_*``) estimate the betweenness centralization of huge layers from
random pivots.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Collection, Mapping
from concurrent.futures import ProcessPoolExecutor

import networkx as nx
import numpy as np
import pandas as pd

from netsoc._workers import _KEYS, _SHARED, SPLIT_PARTS, n_jobs
from netsoc.graphs import Networks
from netsoc.i18n import Note
from netsoc.measures._groups import _group_map
from netsoc.measures.brokerage import ROLES, brokerage_roles, constraint
from netsoc.measures.centrality import (
    betweenness,
    closeness,
    eigenvector,
    freeman_centralization,
    pagerank,
    reciprocity,
    transitivity,
)
from netsoc.measures.mixing import ei_index, type_mixing
from netsoc.measures.nonresponse import (
    Robustness,
    _collect_runs,
    _finish_robustness,
    _plan_robustness,
    _RobustPlan,
    _run_betweenness,
    _run_betweenness_task,
    _run_chunks,
    reciprocation_rate,
    robustness,
)
from netsoc.measures.paths import (
    FAST_THRESHOLD,
    SPLIT_THRESHOLD,
    _closeness_from_sums,
    _closeness_sums_task,
    _expand_sums,
    _leaf_terms,
    _prune,
    _Pruned,
    _source_parts,
    _weighted_betweenness_task,
    igraph_betweenness,
    undirected_betweenness,
)
from netsoc.study import Study

ACTOR_COLUMNS: tuple[str, ...] = (
    "actor_id", "name", "type", "kommun_kod", "degree", "strength", "betweenness",
    "betweenness_norm", "closeness", "eigenvector", "pagerank", "constraint",
    "coordinator", "itinerant", "representative", "gatekeeper", "liaison",
    "brokerage_total", "in_degree_reported", "out_degree_reported",
    "placements_hosted", "placements_referred",
)


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
