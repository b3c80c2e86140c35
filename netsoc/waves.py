"""Change between survey waves: per-actor measures, tie turnover, network metrics per wave.

Evaluations ask "before and after": did the project's coordinator come to
broker between the public side and the social enterprises? When ``ties.csv``
has several waves, each wave's ties are built into their own ``reported``
(directed) and ``collaboration`` (undirected) layers with
:func:`netsoc.graphs.build_networks` and measured the same way as the whole
study:

- :func:`wave_measures` - ``actor_id, wave, degree, betweenness,
  brokerage_total, rank`` (``tables/waves.csv``);
- :func:`tie_changes` - ``from_wave, to_wave, stable, new, dropped, jaccard``
  of the collaboration edges (``tables/tie_changes.csv``);
- :func:`wave_network_metrics` - ``metric, layer, value`` rows for
  ``network.csv`` with layers ``collaboration_w1``, ``collaboration_w2``, ...

Every actor is a node in every wave, so an actor without ties in a wave has
degree 0 there rather than disappearing. Non-response differs between waves;
a tie that "disappears" because its only reporter did not answer again is not
the same as a tie that ended, and :func:`analyze_waves` says so in its notes.

References
----------
Gould, R. V. & Fernandez, R. M. (1989). Structures of mediation. *Sociological
Methodology* 19, 89-126 (brokerage roles).
Freeman, L. C. (1979). Centrality in social networks. *Social Networks* 1, 215-239.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx
import pandas as pd

from netsoc import graphs, measures
from netsoc.i18n import Note
from netsoc.study import Study

WAVE_COLUMNS = ["actor_id", "wave", "degree", "betweenness", "brokerage_total", "rank"]
CHANGE_COLUMNS = ["from_wave", "to_wave", "stable", "new", "dropped", "jaccard"]


# ---------------------------------------------------------------- measures used per wave


def _betweenness(g: nx.Graph) -> dict:
    return measures.betweenness(g)


def _brokerage_total(g: nx.DiGraph, groups: dict) -> dict:
    """Gould-Fernandez brokerage total (= sum of ``sna::brokerage(g, cl)$raw.nli``)."""
    return measures.brokerage_roles(g, groups)["brokerage_total"].to_dict()


def _freeman(g: nx.Graph, measure: str) -> float:
    return float(measures.freeman_centralization(g, measure))


def _groups(study: Study, groups: str) -> dict:
    if groups not in study.actors.columns:
        raise ValueError(f"groups column {groups!r} is not an actors column")
    labels = study.actors[groups].astype(object).where(study.actors[groups].notna(), "(none)")
    return dict(zip(study.actors["actor_id"], labels, strict=True))


def _wave_layers(study: Study, wave: int, symmetrize: str | None):
    nets = graphs.build_networks(study, symmetrize=symmetrize, wave=wave)
    return nets.reported, nets.collaboration


def _symmetrize(study: Study, symmetrize: str | None) -> str:
    return symmetrize if symmetrize is not None else study.settings.symmetrize


# --------------------------------------------------------------------------- tables


def wave_measures(study: Study, *, groups: str | None = None,
                  symmetrize: str | None = None) -> pd.DataFrame:
    """Per-actor measures in each wave.

    Parameters
    ----------
    study : Study
        With a ``wave`` column in ``ties``.
    groups : str, optional
        Actor column for brokerage roles (default ``network.groups``, i.e. ``type``).
    symmetrize : str, optional
        Collaboration layer rule (default ``network.symmetrize``).

    Returns
    -------
    DataFrame
        ``actor_id, wave, degree, betweenness, brokerage_total, rank``:
        ``degree`` and raw ``betweenness`` (unordered pairs, as
        ``sna::betweenness(gmode="graph")``) on the wave's collaboration layer,
        ``brokerage_total`` = Gould-Fernandez brokerage on the wave's reported
        layer, ``rank`` = 1 for the strongest broker of the wave (by
        ``brokerage_total``, then ``betweenness``; equal actors share the rank).

    Examples
    --------
    >>> wave_measures(study).query("actor_id == 'sfs'")  # doctest: +SKIP
    """
    groups = groups or study.settings.groups
    sym = _symmetrize(study, symmetrize)
    labels = _groups(study, groups)
    rows = []
    for w in study.waves:
        reported, collab = _wave_layers(study, w, sym)
        btw = _betweenness(collab)
        brk = _brokerage_total(reported, labels)
        for a in study.actor_ids:
            rows.append((a, w, int(collab.degree(a)), float(btw.get(a, 0.0)),
                         int(round(brk.get(a, 0)))))
    df = pd.DataFrame(rows, columns=WAVE_COLUMNS[:-1])
    key = list(zip(-df["brokerage_total"], -df["betweenness"].round(9), strict=True))
    df["_key"] = key
    df["rank"] = (
        df.groupby("wave")["_key"].rank(method="min").astype("int64")
        if len(df) else pd.Series(dtype="int64")
    )
    return df.drop(columns="_key")[WAVE_COLUMNS].reset_index(drop=True)


def _edge_set(g: nx.Graph) -> set[frozenset]:
    return {frozenset((u, v)) for u, v in g.edges() if u != v}


def tie_changes(study: Study, *, symmetrize: str | None = None,
                pairs: list[tuple[int, int]] | None = None) -> pd.DataFrame:
    """Turnover of collaboration ties between waves.

    For consecutive waves (and first to last when there are more than two):
    ``stable`` = ties in both, ``new`` = only in the later, ``dropped`` = only in
    the earlier, ``jaccard`` = stable / (stable + new + dropped) (NaN with no ties).

    Examples
    --------
    >>> tie_changes(study)  # doctest: +SKIP
       from_wave  to_wave  stable  new  dropped  jaccard
    0          1        2       5    4        1      0.5
    """
    detail = tie_change_detail(study, symmetrize=symmetrize, pairs=pairs)
    rows = []
    for (a, b), d in detail.groupby(["from_wave", "to_wave"], sort=False):
        n = d["change"].value_counts()
        stable, new, dropped = (int(n.get(k, 0)) for k in ("stable", "new", "dropped"))
        total = stable + new + dropped
        rows.append((int(a), int(b), stable, new, dropped,
                     stable / total if total else float("nan")))
    for a, b in _pairs(study, pairs):
        if not any(r[0] == a and r[1] == b for r in rows):
            rows.append((a, b, 0, 0, 0, float("nan")))
    return pd.DataFrame(rows, columns=CHANGE_COLUMNS).sort_values(
        ["from_wave", "to_wave"], kind="mergesort").reset_index(drop=True)


def _pairs(study: Study, pairs) -> list[tuple[int, int]]:
    if pairs is not None:
        return [(int(a), int(b)) for a, b in pairs]
    w = study.waves
    out = list(zip(w[:-1], w[1:], strict=True))
    if len(w) > 2:
        out.append((w[0], w[-1]))
    return out


def tie_change_detail(study: Study, *, symmetrize: str | None = None,
                      pairs: list[tuple[int, int]] | None = None) -> pd.DataFrame:
    """One row per collaboration tie and wave pair: ``from_wave, to_wave, actor_a,
    actor_b, change`` with change ``stable``, ``new`` or ``dropped``
    (``actor_a < actor_b``)."""
    sym = _symmetrize(study, symmetrize)
    edges = {w: _edge_set(_wave_layers(study, w, sym)[1]) for w in study.waves}
    rows = []
    for a, b in _pairs(study, pairs):
        ea, eb = edges.get(a, set()), edges.get(b, set())
        for kind, s in (("stable", ea & eb), ("new", eb - ea), ("dropped", ea - eb)):
            for e in sorted(tuple(sorted(x)) for x in s):
                rows.append((a, b, e[0], e[1], kind))
    return pd.DataFrame(rows, columns=["from_wave", "to_wave", "actor_a", "actor_b", "change"])


def wave_network_metrics(study: Study, *, symmetrize: str | None = None) -> pd.DataFrame:
    """``metric, layer, value`` rows per wave (layer ``collaboration_w<k>``).

    Metrics: ``n_actors, n_ties, density, components, largest_component,
    degree_centralization, betweenness_centralization, transitivity`` on the
    wave's collaboration layer, and ``reciprocity`` of its reported layer
    (layer ``reported_w<k>``).
    """
    sym = _symmetrize(study, symmetrize)
    rows = []
    for w in study.waves:
        reported, g = _wave_layers(study, w, sym)
        layer = f"collaboration_w{w}"
        n, m = g.number_of_nodes(), g.number_of_edges()
        comps = list(nx.connected_components(g)) if n else []
        rows += [
            ("n_actors", layer, float(n)),
            ("n_ties", layer, float(m)),
            ("density", layer, nx.density(g) if n > 1 else float("nan")),
            ("components", layer, float(len(comps))),
            ("largest_component", layer, float(max((len(c) for c in comps), default=0))),
            ("degree_centralization", layer, _freeman(g, "degree")),
            ("betweenness_centralization", layer, _freeman(g, "betweenness")),
            ("transitivity", layer, float(nx.transitivity(g))),
            ("reciprocity", f"reported_w{w}",
             float(nx.reciprocity(reported)) if reported.number_of_edges() else float("nan")),
        ]
    return pd.DataFrame(rows, columns=["metric", "layer", "value"])


def brokerage_change(measures: pd.DataFrame, from_wave: int | None = None,
                     to_wave: int | None = None) -> pd.DataFrame:
    """Per-actor change between two waves of :func:`wave_measures` (default first -> last).

    Returns ``actor_id, brokerage_from, brokerage_to, brokerage_change,
    betweenness_from, betweenness_to, betweenness_change, degree_change``,
    sorted by the absolute brokerage change (largest first), then betweenness change.
    """
    waves = sorted(measures["wave"].unique())
    a = waves[0] if from_wave is None else from_wave
    b = waves[-1] if to_wave is None else to_wave
    x = measures[measures["wave"] == a].set_index("actor_id")
    y = measures[measures["wave"] == b].set_index("actor_id")
    out = pd.DataFrame({
        "brokerage_from": x["brokerage_total"],
        "brokerage_to": y["brokerage_total"],
        "betweenness_from": x["betweenness"],
        "betweenness_to": y["betweenness"],
        "degree_change": y["degree"] - x["degree"],
    })
    out["brokerage_change"] = out["brokerage_to"] - out["brokerage_from"]
    out["betweenness_change"] = out["betweenness_to"] - out["betweenness_from"]
    out = out.reset_index()
    order = out.assign(_b=-out["brokerage_change"].abs(), _w=-out["betweenness_change"].abs())
    out = out.loc[order.sort_values(["_b", "_w", "actor_id"], kind="mergesort").index]
    cols = ["actor_id", "brokerage_from", "brokerage_to", "brokerage_change",
            "betweenness_from", "betweenness_to", "betweenness_change", "degree_change"]
    return out[cols].reset_index(drop=True)


# --------------------------------------------------------------------------- stage


@dataclass
class WaveResults:
    """Everything the waves stage computed (see :func:`analyze_waves`)."""

    measures: pd.DataFrame
    changes: pd.DataFrame
    network: pd.DataFrame
    detail: pd.DataFrame
    waves: list[int]
    notes: list[str] = field(default_factory=list)
    #: wave -> number of actors who answered (completed), for the report
    response_counts: dict[int, int] = field(default_factory=dict)

    def brokerage_change(self) -> pd.DataFrame:
        return brokerage_change(self.measures)

    def summary(self) -> str:
        lines = [f"Waves {', '.join(map(str, self.waves))}"]
        for r in self.changes.itertuples():
            lines.append(f"  {r.from_wave} -> {r.to_wave}: {r.stable} stable, {r.new} new, "
                         f"{r.dropped} dropped ties (Jaccard {r.jaccard:.2f})")
        top = self.brokerage_change().head(3)
        for r in top.itertuples():
            lines.append(f"  {r.actor_id}: brokerage {r.brokerage_from} -> {r.brokerage_to}, "
                         f"betweenness {r.betweenness_from:.1f} -> {r.betweenness_to:.1f}")
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)


def _response_counts(study: Study) -> dict[int, int]:
    return {w: int((study.respondent_status(w) == "completed").sum()) for w in study.waves}


def _response_notes(counts: dict[int, int]) -> list[str]:
    notes = []
    if len(set(counts.values())) > 1:
        desc = [Note("waves.count", wave=w, n=n) for w, n in counts.items()]
        notes.append(Note("waves.response_differs", counts=desc))
    return notes


def analyze_waves(study: Study, *, groups: str | None = None,
                  symmetrize: str | None = None) -> WaveResults | None:
    """The waves stage: ``None`` for a single-wave study.

    Returns
    -------
    WaveResults or None
        ``measures`` (``tables/waves.csv``), ``changes`` (``tables/tie_changes.csv``),
        ``network`` (rows for ``network.csv``), ``detail`` (tie-level changes, for the
        report), ``notes``.
    """
    if len(study.waves) < 2:
        return None
    counts = _response_counts(study)
    return WaveResults(
        measures=wave_measures(study, groups=groups, symmetrize=symmetrize),
        changes=tie_changes(study, symmetrize=symmetrize),
        network=wave_network_metrics(study, symmetrize=symmetrize),
        detail=tie_change_detail(study, symmetrize=symmetrize),
        waves=study.waves,
        notes=_response_notes(counts),
        response_counts=counts,
    )
