"""Robustness of degree and betweenness to non-response (:func:`robustness`).

Seeded perturbations of the non-respondents' ties in the ``collaboration``
layer (drop with the observed non-reciprocation, add by preferential
attachment), the betweenness of every run (exact, or from random pivots when
too costly; runs spread over forked workers that read the plan from
:data:`netsoc._workers._SHARED`) and the top-10 sensitivity table.

References
----------
Stork, D. & Richards, W. D. (1992). Nonrespondents in communication network
studies. *Group & Organization Management* 17(2), 193-209.
Borgatti, S. P., Carley, K. M. & Krackhardt, D. (2006). On the robustness
of centrality measures under conditions of imperfect data. *Social
Networks* 28(2), 124-136.
Brandes, U. & Pich, C. (2007). Centrality estimation in large networks.
*International Journal of Bifurcation and Chaos* 17(7), 2303-2318.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd

from netsoc._workers import _SHARED, SPLIT_PARTS, _shared_map
from netsoc.graphs import Networks
from netsoc.i18n import Note
from netsoc.measures.paths import _leaf_terms, _prune, _pruned_sum, undirected_betweenness


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
