"""Network-level models of the pipeline: ERGM on a layer, and tie change between waves.

A ``[[model]]`` with ``level = "network"`` (method ``ergm``) fits an exponential
random graph model (:func:`netsoc.models.ergm.ergm`) to one layer of the
study's :class:`~netsoc.graphs.Networks`; ``level = "tie_change"`` fits, for
each pair of consecutive waves, tie formation and dissolution as a separable
temporal ERGM conditional on the earlier wave
(:func:`netsoc.models.ergm.tie_change`). Terms are R ergm's, with actors.csv
columns (and the actor measures) as node attributes and, for ``edgecov(x)``,
either another layer (``edgecov(formal)``) or a column of the dyad frame
(``edgecov(distance_km)``).

``study.toml``::

    [[model]]
    name = "who_collaborates"
    level = "network"
    method = "ergm"
    formula = "edges + nodematch(type) + edgecov(formal) + gwesp(0.5, fixed=TRUE)"
    layer = "collaboration"     # default; "reported" is directed (mutual allowed)
    gof_simulations = 100       # 0 = no goodness-of-fit table

References
----------
Hunter, D. R., Handcock, M. S., Butts, C. T., Goodreau, S. M. & Morris, M.
(2008). ergm: A package to fit, simulate and diagnose exponential-family models
for networks. *Journal of Statistical Software* 24(3).
Krivitsky, P. N. & Handcock, M. S. (2014). A separable model for dynamic
networks. *JRSS B* 76(1), 29-46.
"""

from __future__ import annotations

import re

import networkx as nx
import numpy as np
import pandas as pd

from netsoc.i18n import Note
from netsoc.models.design import ModelFit, _Unfittable
from netsoc.models.ergm import ERGMResults, ergm, tie_change
from netsoc.models.frames import Frames

#: layers an ERGM may be fitted on (binary: weights are ignored)
ERGM_LAYERS = ("collaboration", "reported", "formal", "coplacement")
GOF_COLUMNS = ["model", "statistic", "value", "observed", "sim_mean", "sim_low", "sim_high"]
DIAGNOSTIC_COLUMNS = ["model", "term", "autocorrelation", "ess"]


def _layer(networks, name: str, notes_key: str = "models.ergm_no_layer") -> nx.Graph:
    g = getattr(networks, name, None) if networks is not None else None
    if name not in ERGM_LAYERS or g is None:
        raise _Unfittable(Note(notes_key, layer=name, choices=", ".join(ERGM_LAYERS)))
    return g


def _node_attributes(frames: Frames, nodes: list[str]) -> pd.DataFrame:
    actor = frames.actor
    if actor is None:
        return pd.DataFrame(index=pd.Index(nodes, dtype=object))
    return actor.drop_duplicates("actor_id").set_index("actor_id").reindex(nodes)


def _edgecov_names(formula: str) -> list[str]:
    return re.findall(r"edgecov\(\s*['\"]?([A-Za-z_][\w.]*)['\"]?\s*\)", formula)


def _dyad_covariates(formula: str, frames: Frames, networks, nodes: list[str],
                     directed: bool) -> dict[str, np.ndarray]:
    """``edgecov`` matrices: another layer, else a dyad-frame column, in node order."""
    index = {a: i for i, a in enumerate(nodes)}
    out: dict[str, np.ndarray] = {}
    for name in _edgecov_names(formula):
        M = np.zeros((len(nodes), len(nodes)))
        g = getattr(networks, name, None) if name in ERGM_LAYERS else None
        d = frames.dyad
        if g is not None:
            for u, v in g.edges():
                if u in index and v in index:
                    M[index[u], index[v]] = 1.0
                    if not (directed and g.is_directed()):
                        M[index[v], index[u]] = 1.0
        elif d is not None and name in d.columns:
            i = d["from_id"].map(index)
            j = d["to_id"].map(index)
            ok = i.notna() & j.notna()
            vals = pd.to_numeric(d.loc[ok, name], errors="coerce").to_numpy(dtype=float)
            if np.isnan(vals).any():
                raise _Unfittable(Note("models.ergm_edgecov_missing", name=name,
                                       n=int(np.isnan(vals).sum())))
            M[i[ok].astype(int).to_numpy(), j[ok].astype(int).to_numpy()] = vals
        else:
            cols = ", ".join(c for c in (d.columns if d is not None else [])
                             if c not in ("from_id", "to_id"))
            raise _Unfittable(Note("models.ergm_unknown_edgecov", name=name,
                                   layers=", ".join(ERGM_LAYERS), columns=cols or "-"))
        out[name] = M
    return out


def fit_network_model(spec, frames: Frames, networks, fit: ModelFit, seed: int | None) -> None:
    """Fit an ``ergm`` spec at level ``network`` into ``fit`` (raises ``_Unfittable``)."""
    layer = str(spec.options.get("layer", "collaboration"))
    g = _layer(networks, layer)
    if g.number_of_edges() == 0:
        raise _Unfittable(Note("models.ergm_no_edges", layer=layer))
    nodes = sorted(g.nodes)
    formula = _rhs(spec.formula)
    try:
        res = ergm(g, formula, node_attributes=_node_attributes(frames, nodes),
                   dyad_covariates=_dyad_covariates(formula, frames, networks, nodes,
                                                    g.is_directed()),
                   seed=int(seed or 0))
    except ValueError as err:  # a bad formula: unknown term, attribute or argument
        raise _Unfittable(Note("models.ergm_bad_formula", error=str(err))) from None
    fit.warnings += list(res.notes)
    fit.result = res
    if not res.converged:  # never a silently wrong estimate: the fit is reported as failed
        raise _Unfittable(Note("models.ergm_not_converged", model=spec.name))
    fit.table = res.table()
    fit.stats.update(n_rows=int(res.n_dyads), n_obs=int(res.n_dyads), n_missing=0,
                     llf=res.loglik if np.isfinite(res.loglik) else np.nan)
    fit.extra = {"gof": _gof(spec, res, seed), "diagnostics": _diagnostics(spec.name, res),
                 "parts": {spec.name: res}}


def fit_tie_change(spec, frames: Frames, networks, fit: ModelFit, seed: int | None) -> None:
    """Formation and dissolution between consecutive waves (``level = "tie_change"``)."""
    layer = str(spec.options.get("layer", "collaboration"))
    waves = sorted((networks.by_wave or {}) if networks is not None else {})
    if len(waves) < 2:
        raise _Unfittable(Note("models.tie_change_one_wave"))
    formula = _rhs(spec.formula)
    parts: dict[str, ERGMResults] = {}
    tables: list[pd.DataFrame] = []
    n_obs = 0
    for w0, w1 in zip(waves, waves[1:], strict=False):
        g0 = _layer(networks.by_wave[w0], layer)
        g1 = _layer(networks.by_wave[w1], layer)
        nodes = sorted(set(g0.nodes) | set(g1.nodes))
        try:
            both = tie_change(g0, g1, formula, node_attributes=_node_attributes(frames, nodes),
                              dyad_covariates=_dyad_covariates(formula, frames, networks, nodes,
                                                               g0.is_directed()),
                              seed=int(seed or 0))
        except ValueError as err:
            raise _Unfittable(Note("models.ergm_bad_formula", error=str(err))) from None
        for part, res in both.items():
            name = f"{spec.name}.{part}.{w0}-{w1}"
            fit.warnings += list(res.notes)
            if not res.converged:  # left out of models.csv, with the reason
                fit.warnings.append(Note("models.ergm_not_converged", model=name))
                continue
            parts[name] = res
            tab = res.table()
            tab["term"] = f"{part}[{w0}-{w1}]." + tab["term"].astype(str)
            tables.append(tab)
            n_obs += int(res.n_dyads)
    if not parts:
        raise _Unfittable(Note("models.ergm_not_converged", model=spec.name))
    fit.table = pd.concat(tables, ignore_index=True)
    fit.result = parts
    fit.stats.update(n_rows=n_obs, n_obs=n_obs, n_missing=0)
    fit.extra = {"gof": pd.DataFrame(columns=GOF_COLUMNS),
                 "diagnostics": pd.concat([_diagnostics(k, r) for k, r in parts.items()],
                                          ignore_index=True),
                 "parts": parts}


def _rhs(formula: str) -> str:
    """``"y ~ edges + ..."`` or ``"~ edges"`` or ``"edges + ..."`` -> the right-hand side."""
    return formula.split("~", 1)[1].strip() if "~" in formula else formula.strip()


def _gof(spec, res: ERGMResults, seed: int | None) -> pd.DataFrame:
    n_sim = int(spec.options.get("gof_simulations", 100))
    if n_sim <= 0:
        return pd.DataFrame(columns=GOF_COLUMNS)
    try:
        g = res.gof(n_sim=n_sim, seed=int(seed or 0) + 1)
    except ValueError:  # a failed fit cannot be simulated from
        return pd.DataFrame(columns=GOF_COLUMNS)
    g.insert(0, "model", spec.name)
    return g[GOF_COLUMNS]


def _diagnostics(name: str, res: ERGMResults) -> pd.DataFrame:
    d = res.diagnostics
    if d is None or not len(d):
        return pd.DataFrame(columns=DIAGNOSTIC_COLUMNS)
    d = d.copy()
    d.insert(0, "model", name)
    return d[DIAGNOSTIC_COLUMNS]
