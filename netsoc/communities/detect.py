"""The main entry point: :func:`detect_communities` and its :class:`CommunityResult`.

Many seeded Leiden and Louvain runs (:mod:`~netsoc.communities.runs`), a
consensus partition, stability per actor and per partition and a
configuration-model null (:mod:`~netsoc.communities.consensus`), a
resolution sweep (:mod:`~netsoc.communities.sweep`), the comparison with
formal partitions and bridging actors (:mod:`~netsoc.communities.compare`),
and a verdict on whether the community structure is clear at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import networkx as nx
import numpy as np
import pandas as pd

from netsoc.communities._core import (
    _STREAM_LEIDEN,
    _STREAM_LOUVAIN,
    _STREAM_NULL,
    _STREAM_PAIRS,
    _drop_isolates,
    _expand,
    _run_seeds,
    _to_igraph,
    canonical_labels,
)
from netsoc.communities.compare import (
    _participation,
    adjusted_rand_index,
    compare_partitions,
    forbund_crosstab,
    given_partitions,
)
from netsoc.communities.consensus import (
    _actor_stability,
    _consensus,
    _null_modularity,
    _pairwise_agreement,
)
from netsoc.communities.runs import (
    _FULL_ITERATION_MAX_NODES,
    _as_series,
    _backend,
    _modularity,
    _n_iterations,
    _partition_type,
    _run_many,
)
from netsoc.communities.sweep import _default_resolutions, _sweep
from netsoc.i18n import Note

METHODS = ("leiden", "louvain")


# --------------------------------------------------------------------------
# the result object and the main entry point
# --------------------------------------------------------------------------


@dataclass
class CommunityResult:
    """Communities of one layer: partitions, stability, null model, comparisons.

    Attributes
    ----------
    table : DataFrame
        ``actor_id, community, method, stability``: one row per actor and
        method (``consensus``, ``leiden``, ``louvain``). ``consensus`` rows are
        the partition used everywhere else. Communities are numbered from 1 by
        size; isolated actors are singleton communities with stability 1.
    modularity : dict
        Newman weighted modularity (resolution 1) of each method's partition.
    stability : dict
        Partition-level stability of the Leiden runs: ``mean_ari``,
        ``mean_nmi`` (pairwise between runs), ``mean_ari_to_consensus``,
        ``mean_actor_stability``, ``share_stable_actors`` (stability >= 0.9),
        ``n_runs``, ``n_pairs``, ``consensus_iterations``, ``converged``.
    null : dict
        ``n``, ``mean``, ``sd``, ``max`` of the modularity of Leiden partitions
        of rewired graphs; ``observed`` (mean modularity of the Leiden runs),
        ``z`` and ``p`` (share of nulls >= observed, with +1 correction).
    sweep : DataFrame
        ``resolution, n_communities, modularity, mean_ari, n_runs``.
    clear : bool
        Whether the structure is judged meaningful; ``reasons`` says why (not)
        in words, ``checks`` as flags (``has_ties``, ``two_communities``,
        ``above_null`` (None without null model), ``runs_agree``).
    comparison : DataFrame
        See :func:`compare_partitions` (empty without given partitions).
    crosstab : DataFrame
        See :func:`forbund_crosstab`.
    bridging : DataFrame
        See :func:`participation_coefficient`, non-isolated actors, most
        bridging first, with ``name`` and ``type`` when known.
    """

    table: pd.DataFrame
    modularity: dict[str, float]
    stability: dict[str, float]
    null: dict[str, float]
    sweep: pd.DataFrame
    clear: bool
    reasons: list[str]
    checks: dict[str, bool | None] = field(default_factory=dict)
    comparison: pd.DataFrame = field(default_factory=pd.DataFrame)
    crosstab: pd.DataFrame = field(default_factory=pd.DataFrame)
    bridging: pd.DataFrame = field(default_factory=pd.DataFrame)
    layer: str = "collaboration"
    objective: str = "modularity"
    resolution: float = 1.0
    seed: int | None = None
    n_isolated: int = 0
    options: dict = field(default_factory=dict)

    @property
    def partition(self) -> pd.Series:
        """The consensus community of every actor (index actor_id)."""
        t = self.table[self.table["method"] == "consensus"]
        return pd.Series(t["community"].to_numpy(), index=pd.Index(t["actor_id"], name="actor_id"),
                         name="community")

    def communities(self, min_size: int = 2) -> pd.DataFrame:
        """Consensus communities with at least ``min_size`` actors.

        Columns: ``community, size, mean_stability, members`` (actor ids by
        degree, highest first).
        """
        t = self.table[self.table["method"] == "consensus"].set_index("actor_id")
        deg = self.bridging["degree"] if len(self.bridging) else pd.Series(dtype=float)
        rows = []
        for c, grp in t.groupby("community", sort=True):
            if len(grp) < min_size:
                continue
            d = deg.reindex(grp.index).fillna(0)
            order = sorted(grp.index, key=lambda a: (-d[a], str(a)))
            rows.append({"community": int(c), "size": len(grp),
                         "mean_stability": round(float(grp["stability"].mean()), 4),
                         "members": order})
        return pd.DataFrame(rows, columns=["community", "size", "mean_stability", "members"])

    def network_rows(self) -> pd.DataFrame:
        """Rows for ``network.csv`` (``metric, layer, value``)."""
        com = self.communities()
        rows = [
            ("modularity", self.modularity.get("consensus", float("nan"))),
            ("n_communities", float(len(com))),
            ("modularity_leiden", self.modularity.get("leiden", float("nan"))),
            ("modularity_louvain", self.modularity.get("louvain", float("nan"))),
            ("modularity_null_mean", self.null.get("mean", float("nan"))),
            ("modularity_null_p", self.null.get("p", float("nan"))),
            ("community_stability_ari", self.stability.get("mean_ari", float("nan"))),
            ("community_stability_nmi", self.stability.get("mean_nmi", float("nan"))),
            ("community_structure_clear", float(self.clear)),
        ]
        return pd.DataFrame([{"metric": m, "layer": self.layer, "value": v} for m, v in rows
                             if not (m.startswith("modularity_") and m.removeprefix("modularity_")
                                     in METHODS and m.removeprefix("modularity_")
                                     not in self.modularity)])

    def summary(self) -> str:
        """Plain-text summary."""
        com = self.communities()
        s, nl = self.stability, self.null
        lines = [
            f"Communities on layer '{self.layer}' ({self.objective}, resolution "
            f"{self.resolution:g}, {s.get('n_runs', 0)} seeded Leiden runs, seed {self.seed})",
            f"  consensus: {len(com)} communities of 2+ actors, "
            f"modularity {self.modularity.get('consensus', float('nan')):.4f}"
            + (f", {self.n_isolated} isolated actors" if self.n_isolated else ""),
        ]
        for m in METHODS:
            if m in self.modularity:
                lines.append(f"  {m}: modularity {self.modularity[m]:.4f}")
        lines.append(
            f"  stability: mean ARI {s.get('mean_ari', float('nan')):.3f}, mean NMI "
            f"{s.get('mean_nmi', float('nan')):.3f} between runs; mean actor stability "
            f"{s.get('mean_actor_stability', float('nan')):.3f}; consensus "
            f"{'converged' if s.get('converged') else 'did not converge'} after "
            f"{s.get('consensus_iterations', 0)} round(s)"
        )
        if nl.get("n"):
            lines.append(
                f"  null model ({nl['n']} rewirings): modularity {nl['mean']:.4f} "
                f"(sd {nl['sd']:.4f}); observed {nl['observed']:.4f}, z = {nl['z']:.1f}, "
                f"p = {nl['p']:.3f}"
            )
        lines.append("  verdict: " + ("clear community structure" if self.clear
                                      else "no clear community structure"))
        lines.extend(f"    - {r}" for r in self.reasons)
        if len(self.comparison):
            lines.append("  agreement with given partitions (ARI / NMI):")
            for r in self.comparison.itertuples():
                lines.append(f"    {r.partition}: {r.ari:.3f} / {r.nmi:.3f} (n = {r.n_actors})")
        if len(com):
            lines.append("  communities (size, mean stability, first members):")
            for r in com.head(10).itertuples():
                first = ", ".join(map(str, r.members[:5]))
                lines.append(f"    {r.community}: {r.size}, {r.mean_stability:.2f}: {first}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (f"CommunityResult(layer={self.layer!r}, communities={len(self.communities())}, "
                f"modularity={self.modularity.get('consensus', float('nan')):.4f}, "
                f"clear={self.clear})")


def detect_communities(
    G: nx.Graph,
    *,
    layer: str = "collaboration",
    study=None,
    weight: str | None = "weight",
    objective: str = "modularity",
    resolution: float = 1.0,
    methods: Sequence[str] = METHODS,
    n_runs: int | None = None,
    threshold: float = 0.5,
    max_consensus_iter: int = 10,
    full_coassignment_max_nodes: int = 3000,
    n_consensus_runs: int | None = None,
    n_null: int | None = None,
    null_swaps: float | None = None,
    sweep_resolutions: Iterable[float] | None = None,
    sweep_runs: int | None = None,
    n_louvain_runs: int | None = None,
    min_ari: float = 0.5,
    min_actor_stability: float = 0.85,
    min_z: float = 2.0,
    max_pairs: int = 1225,
    n_iterations: int | None = None,
    backend: str = "auto",
    skip_isolates: bool | None = None,
    n_jobs: int = 1,
    seed: int | None = None,
    progress: bool = False,
) -> CommunityResult:
    """Detect communities with many seeded runs, a consensus and a verdict.

    Steps:

    1. ``n_runs`` Leiden runs and ``n_louvain_runs`` Louvain runs with seeds
       derived from ``seed``; the ``leiden``/``louvain`` rows of the table are
       each method's best run (highest quality; first on ties).
    2. Consensus (Lancichinetti & Fortunato 2012): the share of runs in which
       two actors share a community is computed for every co-assigned pair
       (graphs up to ``full_coassignment_max_nodes`` actors) or only for pairs
       joined by a tie (larger graphs: sparse, linear in the number of ties);
       shares below ``threshold`` are dropped (an actor that would lose all its
       links keeps its strongest one); the resulting graph is clustered
       ``n_consensus_runs`` times by Leiden (modularity); repeated until all
       runs agree (at most ``max_consensus_iter`` rounds, then the most
       frequent partition).
    3. Per-actor stability: the share of the original Leiden runs in which the
       actor stays with its consensus community. Alignment: in each run every
       consensus community is matched to the run community holding most of its
       members (ties: the larger run community); the actor stays when it is in
       that matched run community. ``leiden`` and ``louvain`` rows use the same
       rule against their own best partition and runs.
    4. Partition stability: mean pairwise ARI and NMI between the Leiden runs
       (isolated actors left out; a seeded sample of ``max_pairs`` pairs when
       there are more).
    5. Null model: ``n_null`` seeded degree-preserving rewirings
       (``null_swaps`` x the number of ties swap trials each), each
       clustered once; the mean modularity of the observed runs is compared
       with them (``z``, and ``p`` = share of nulls at least as high, +1
       corrected).
    6. Verdict: the structure is *clear* when (a) the observed modularity is
       above every null graph's and at least ``min_z`` null standard
       deviations above their mean, (b) the runs agree: mean pairwise ARI
       >= ``min_ari`` or mean actor stability >= ``min_actor_stability``
       (ARI alone punishes the merging of two of many communities), and (c)
       there are at least two communities of two or more actors; otherwise
       the report says "no clear community structure".

    Defaults depend on size. Up to 1,000 actors: ``n_runs=50``,
    ``n_consensus_runs=n_runs``, ``n_louvain_runs=n_runs``, ``n_null=20``
    with ``null_swaps=10``, ``sweep_runs=10``, leidenalg run to convergence,
    isolated actors kept in the graph. Larger graphs: ``n_runs=30``,
    ``n_consensus_runs=10``, ``n_louvain_runs=5``, ``n_null=10`` with
    ``null_swaps=3``, ``sweep_runs=2``, igraph's Leiden with two iterations,
    and every run works on the graph without its isolated actors
    (``skip_isolates``). About 8 s of CPU for 31,700 actors (12,700 of them
    isolated) and 58,000 ties, against 27 s with the earlier large-graph
    settings (consensus rounds of 30 runs, 10 Louvain runs, ``null_swaps=10``,
    3 sweep runs, isolated actors in every run); the consensus partition, its
    modularity and the verdict are the same up to seed-to-seed variation
    (consensus ARI 0.99 between the two on the synthetic national study, as
    between two seeds).

    Why these are sound: an actor without ties is a singleton in every run of
    Leiden or Louvain under either objective (joining a community never raises
    modularity or CPM), and the quality of any partition is the same with or
    without such actors, so leaving them out changes only the random streams.
    The consensus graph is nearly block-diagonal once shares below
    ``threshold`` are dropped, and runs on it agree after one or two rounds of
    10. After ``3 x m`` swap trials a tie is left in its original place with
    probability about ``exp(-6)`` = 0.25 % (each trial moves two ties;
    measured: 0.2 percentage points more original ties than after ``10 x m``
    trials), so the null's modularity can only be too high (conservative),
    by about that share of the observed excess. The ``louvain`` row is the
    best of 5 instead of 10 runs (about 0.001 lower modularity), and the
    sweep's agreement column compares two runs per resolution.

    Parameters
    ----------
    G : networkx.Graph
        Any layer (directed layers are symmetrised with the maximum weight).
    layer : str
        Layer name, recorded in the result and ``network.csv`` rows.
    study : Study, optional
        For comparison with samordningsförbund, kommun, län and actor type;
        without it node attributes ``type``/``kommun_kod`` are used when present.
    objective : {"modularity", "cpm"}
    resolution : float
    n_consensus_runs : int, optional
        Leiden runs per consensus round (default above).
    null_swaps : float, optional
        Swap trials per tie for each null graph (default above).
    backend : {"auto", "leidenalg", "igraph"}
        See :func:`leiden`.
    skip_isolates : bool, optional
        Run the algorithms on the graph without its isolated actors, who are
        then singleton communities; default: above 1,000 actors.
    n_jobs : int
        Worker processes for the runs; results do not depend on it.
    seed : int, optional
        Same graph and seed give byte-identical tables.

    Returns
    -------
    CommunityResult

    Examples
    --------
    >>> import networkx as nx
    >>> res = detect_communities(nx.karate_club_graph(), weight=None, n_runs=10,
    ...                          n_null=19, sweep_runs=2, seed=1)
    >>> round(res.modularity["leiden"], 4)
    0.4198
    >>> res.clear
    True
    """
    _partition_type(objective)
    unknown = [m for m in methods if m not in METHODS]
    if unknown:
        raise ValueError(f"unknown method(s) {unknown}; choose from {METHODS}")
    if not 0 < threshold <= 1:
        raise ValueError("threshold must be in (0, 1]")
    seed_seq = np.random.SeedSequence(seed)
    gr = _to_igraph(G, weight)
    small = gr.n <= _FULL_ITERATION_MAX_NODES
    n_runs = (50 if small else 30) if n_runs is None else int(n_runs)
    n_null = (20 if small else 10) if n_null is None else int(n_null)
    sweep_runs = (10 if small else 2) if sweep_runs is None else int(sweep_runs)
    n_louvain_runs = (n_runs if small else 5) if n_louvain_runs is None else int(n_louvain_runs)
    n_consensus_runs = (n_runs if small else min(n_runs, 10)) if n_consensus_runs is None \
        else int(n_consensus_runs)
    null_swaps = (10.0 if small else 3.0) if null_swaps is None else float(null_swaps)
    if n_runs < 1 or n_louvain_runs < 1 or n_consensus_runs < 1:
        raise ValueError("n_runs, n_louvain_runs and n_consensus_runs must be at least 1")
    if not null_swaps > 0:
        raise ValueError("null_swaps must be positive")
    n_it = _n_iterations(gr.n, n_iterations)
    be = _backend(gr.n, backend)
    mask = ~gr.isolated
    # the runs work on `wk`: the graph, or above 1,000 actors the graph without its
    # isolated actors (singletons in every run anyway; 40 % of the national study's
    # actors, who cost igraph's Leiden half its time)
    skip = (not small) if skip_isolates is None else bool(skip_isolates)
    keep = None
    wk = gr
    if skip and gr.g.ecount() > 0 and not mask.all():
        wk, keep = _drop_isolates(gr)
        if len(keep) == gr.n:
            wk, keep = gr, None
    bar = _progress(progress, total=n_runs + n_louvain_runs * ("louvain" in methods),
                    desc=f"communities ({layer})")

    # 1. seeded runs
    runs_out = {}
    seeds = _run_seeds(seed_seq, _STREAM_LEIDEN, n_runs)
    runs_out["leiden"] = _run_many("leiden", wk.g, seeds, (objective, resolution, n_it, be),
                                   n_jobs, bar)
    if "louvain" in methods:
        seeds_l = _run_seeds(seed_seq, _STREAM_LOUVAIN, n_louvain_runs)
        runs_out["louvain"] = _run_many("louvain", wk.g, seeds_l, (resolution,), n_jobs, bar)
    if bar is not None:
        bar.close()
    wk_runs = {m: np.vstack([mem for mem, _ in out]) for m, out in runs_out.items()}
    runs = wk_runs if keep is None else \
        {m: _expand(r, keep, gr.n) for m, r in wk_runs.items()}
    best = {m: runs[m][int(np.argmax([q for _, q in out]))] for m, out in runs_out.items()}

    # 2. consensus
    cons, n_rounds, converged = _consensus(
        wk, wk_runs["leiden"], threshold=threshold, seed_seq=seed_seq,
        max_iter=max_consensus_iter, full=gr.n <= full_coassignment_max_nodes, n_jobs=n_jobs,
        n_iterations=n_it, backend=be, n_round_runs=n_consensus_runs,
    )
    cons = canonical_labels(cons) if keep is None else _expand(cons, keep, gr.n)[0]

    # 3./4. stability
    stab = {"consensus": _actor_stability(cons, runs["leiden"])}
    for m in methods:
        stab[m] = _actor_stability(best[m], runs[m])
    mean_ari, mean_nmi, n_pairs = _pairwise_agreement(
        runs["leiden"], mask, _run_seeds(seed_seq, _STREAM_PAIRS, 1)[0], max_pairs)
    to_cons = [adjusted_rand_index(r[mask], cons[mask]) for r in runs["leiden"]] if mask.any() \
        else [float("nan")]
    stability = {
        "n_runs": n_runs,
        "n_pairs": n_pairs,
        "mean_ari": round(mean_ari, 6),
        "mean_nmi": round(mean_nmi, 6),
        "mean_ari_to_consensus": round(float(np.mean(to_cons)), 6),
        "mean_actor_stability": round(float(stab["consensus"][mask].mean()), 6)
        if mask.any() else float("nan"),
        "share_stable_actors": round(float((stab["consensus"][mask] >= 0.9).mean()), 6)
        if mask.any() else float("nan"),
        "consensus_iterations": n_rounds,
        "converged": converged,
    }

    # table
    parts = {"consensus": cons, **{m: best[m] for m in methods}}
    table = pd.concat(
        [
            pd.DataFrame({"actor_id": gr.nodes, "community": parts[m] + 1, "method": m,
                          "stability": np.round(stab[m], 4)})
            for m in parts
        ],
        ignore_index=True,
    )
    modularity = {m: round(_modularity(gr, parts[m]), 6) for m in parts}

    # 5. null model
    obs = float(np.mean([_modularity(gr, r) for r in runs["leiden"]]))
    nulls = _null_modularity(wk, _run_seeds(seed_seq, _STREAM_NULL, n_null), objective,
                             resolution, n_it, be, null_swaps) if n_null > 0 else np.array([])
    null = {"n": int(len(nulls)), "observed": round(obs, 6)}
    if len(nulls):
        sd = float(nulls.std(ddof=1)) if len(nulls) > 1 else float("nan")
        null |= {
            "mean": round(float(nulls.mean()), 6),
            "sd": round(sd, 6),
            "max": round(float(nulls.max()), 6),
            "z": round((obs - float(nulls.mean())) / sd, 4) if sd and sd > 0 else float("nan"),
            "p": round((1 + int((nulls >= obs).sum())) / (1 + len(nulls)), 6),
        }

    # 6. verdict
    n_com = int(np.sum(np.bincount(cons[mask]) >= 2)) if mask.any() else 0
    actor_stab = stability["mean_actor_stability"]
    checks = {
        "has_ties": gr.g.ecount() > 0,
        "two_communities": n_com >= 2,
        "above_null": bool(obs > null["max"] and null["z"] >= min_z) if null.get("n", 0) >= 2
        else None,
        "runs_agree": bool(mean_ari >= min_ari or actor_stab >= min_actor_stability),
    }
    reasons = []
    if not checks["has_ties"]:
        reasons.append(Note("communities.no_ties"))
    if not checks["two_communities"]:
        reasons.append(Note("communities.too_few", n=n_com))
    if checks["above_null"] is False:
        reasons.append(Note("communities.not_above_null", obs=obs, mean=null["mean"], z=null["z"],
                            p=null["p"]))
    elif checks["above_null"] is None:
        reasons.append(Note("communities.no_null"))
    if not checks["runs_agree"]:
        reasons.append(Note("communities.runs_disagree", ari=mean_ari, min_ari=min_ari,
                            stability=actor_stab, min_stability=min_actor_stability))
    clear = not reasons
    if clear:
        reasons.append(Note("communities.clear", obs=obs, mean=null["mean"], z=null["z"],
                            ari=mean_ari, stability=actor_stab))

    # sweep
    res_list = tuple(sweep_resolutions) if sweep_resolutions is not None else \
        _default_resolutions(gr, objective)
    sweep = _sweep(wk, res_list, objective=objective, n_runs=sweep_runs, seed_seq=seed_seq,
                   n_iterations=n_it, n_jobs=n_jobs, backend=be) if sweep_runs > 0 and res_list \
        else \
        pd.DataFrame(columns=["resolution", "n_communities", "modularity", "mean_ari", "n_runs"])

    # comparisons and bridging
    cons_series = _as_series(gr, cons)
    bridging = _participation(gr, cons + 1)
    bridging = bridging[bridging["degree"] > 0]
    attrs = pd.DataFrame(
        {"name": [G.nodes[v].get("name") for v in bridging.index],
         "type": [G.nodes[v].get("type") for v in bridging.index]},
        index=bridging.index,
    )
    if study is not None:
        a = study.actors.set_index("actor_id")
        attrs["name"] = attrs["name"].fillna(a["name"].reindex(attrs.index))
        attrs["type"] = attrs["type"].fillna(a["type"].reindex(attrs.index))
    bridging = bridging.join(attrs)
    bridging = bridging.assign(_k=[str(v) for v in bridging.index]).sort_values(
        ["participation", "degree", "_k"], ascending=[False, False, True]).drop(columns="_k")
    comparison, crosstab = pd.DataFrame(), pd.DataFrame()
    has_attrs = any("type" in d or "kommun_kod" in d for _, d in G.nodes(data=True))
    if study is not None or has_attrs:
        given = given_partitions(study, G)
        connected = cons_series[mask]
        comparison = compare_partitions(connected, given)
        if study is not None and (given["n_forbund"] > 0).any():
            crosstab = forbund_crosstab(connected, given)

    return CommunityResult(
        table=table, modularity=modularity, stability=stability, null=null, sweep=sweep,
        clear=clear, reasons=reasons, checks=checks, comparison=comparison, crosstab=crosstab,
        bridging=bridging, layer=layer, objective=objective, resolution=resolution,
        seed=seed if seed is not None else seed_seq.entropy,
        n_isolated=int((~mask).sum()),
        options={"n_runs": n_runs, "n_louvain_runs": n_louvain_runs, "threshold": threshold,
                 "n_consensus_runs": n_consensus_runs, "n_null": n_null,
                 "null_swaps": null_swaps, "sweep_runs": sweep_runs, "min_ari": min_ari,
                 "min_actor_stability": min_actor_stability, "min_z": min_z,
                 "methods": list(methods), "n_iterations": n_it, "backend": be,
                 "skip_isolates": skip},
    )


def _progress(enabled: bool, total: int, desc: str):
    if not enabled:
        return None
    try:
        from tqdm.auto import tqdm  # only for progress bars
    except ImportError:  # pragma: no cover - tqdm is a dependency
        return None
    return tqdm(total=total, desc=desc, leave=False)
