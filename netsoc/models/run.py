"""The models stage: model specs sent to their family, default models, the results.

:func:`run_models` builds the frames and fits the study's ``[[model]]`` specs
(or :func:`default_specs`); :func:`fit_model` checks a spec and sends it to
its family (:mod:`netsoc.models.glm` for placement, actor and kommun models,
:mod:`netsoc.models.mrqap` for dyad models), and never raises for a model
that cannot be fitted; :class:`ModelsResult` holds the fits and builds
``tables/models.csv`` and ``tables/model_fit.csv``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from netsoc.i18n import Note
from netsoc.models.design import FIT_COLUMNS, TABLE_COLUMNS, ModelFit, _is_constant, _Unfittable
from netsoc.models.frames import LEVELS, Frames, build_frames
from netsoc.models.glm import _fit_regression
from netsoc.models.mrqap import _fit_mrqap, layer_correlations
from netsoc.models.network import (
    DIAGNOSTIC_COLUMNS,
    GOF_COLUMNS,
    fit_network_model,
    fit_tie_change,
)
from netsoc.models.plots import coefficient_plot
from netsoc.schema import ModelSpec

__all__ = [
    "FAMILIES",
    "METHODS",
    "ModelsResult",
    "default_specs",
    "fit_model",
    "fit_models",
    "run_models",
]

FAMILIES = ("binomial", "gaussian", "poisson", "negativebinomial")
METHODS = ("glm", "gee", "mixed", "mrqap", "ergm")
#: levels fitted on the networks rather than on a frame
NETWORK_LEVELS = ("network", "tie_change")


def _method_for(spec: ModelSpec) -> str:
    if spec.method:
        return spec.method.lower()
    if spec.level in NETWORK_LEVELS:
        return "ergm"
    return "mrqap" if spec.level == "dyad" else "glm"


def fit_model(
    spec: ModelSpec, frames: Frames, *, seed: int | None = None, permutations: int = 1000,
    networks=None,
) -> ModelFit:
    """Fit one model spec on its frame; never raises for data problems.

    Returns a :class:`ModelFit` with ``status="failed"`` and a plain-language
    ``message`` when the model cannot be fitted.
    """
    method = _method_for(spec)
    fit = ModelFit(spec=spec, method=method)
    fit.stats = {
        "model": spec.name,
        "level": spec.level,
        "method": method,
        "family": spec.family,
        "formula": spec.formula,
        "cluster": spec.cluster or "",
    }
    try:
        if spec.level not in LEVELS + NETWORK_LEVELS:
            raise _Unfittable(Note("models.unknown_level", level=spec.level,
                                   choices=", ".join(LEVELS + NETWORK_LEVELS)))
        if spec.family not in FAMILIES:
            raise _Unfittable(Note("models.unknown_family", family=spec.family,
                                   choices=", ".join(FAMILIES)))
        if method == "ergm" or spec.level in NETWORK_LEVELS:
            if method != "ergm" or spec.level not in NETWORK_LEVELS:
                raise _Unfittable(Note("models.ergm_network_only"))
            fitter = fit_network_model if spec.level == "network" else fit_tie_change
            fitter(spec, frames, networks, fit, seed)
        elif method == "mrqap" or spec.level == "dyad":
            if method != "mrqap":
                raise _Unfittable(Note("models.dyad_needs_mrqap"))
            _fit_mrqap(spec, frames, fit, seed, permutations)
        else:
            if method == "mrqap":
                raise _Unfittable(Note("models.mrqap_dyad_only"))
            frame = frames[spec.level]
            if frame is None or not len(frame):
                raise _Unfittable(Note("models.no_frame", level=spec.level))
            _fit_regression(spec, frame, method, fit)
    except _Unfittable as e:
        fit.status, fit.message = "failed", e.args[0] if e.args else str(e)
    except Exception as e:  # noqa: BLE001 - a numerical failure must not stop the run
        fit.status = "failed"
        fit.message = Note("models.fit_error", error_type=type(e).__name__, error=str(e))
    fit.stats["status"] = fit.status
    fit.stats["message"] = fit.message
    return fit


def _varies(frame: pd.DataFrame, col: str) -> bool:
    return col in frame.columns and not _is_constant(frame[col])


def default_specs(frames: Frames) -> tuple[list[ModelSpec], list[str]]:
    """Default models when ``study.toml`` has none, and notes on what was left out.

    - placement (when outcomes are known): ``work ~ host_degree +
      host_betweenness_norm + C(host_type) + C(program)``, cluster-robust by
      ``host_id``; terms without variation are left out.
    - dyad: MRQAP ``tie ~ same_type + same_kommun + distance_km + co_members``;
      terms without variation or collinear with earlier ones are left out.
    - mixed binomial/poisson models use variational Bayes, which gets slow
      with many hundreds of clusters.
    """
    specs: list[ModelSpec] = []
    notes: list[str] = []
    p = frames.placement
    if p is not None and p["work"].notna().any():
        known = p["work"].notna().to_numpy()
        terms = []
        for col, term in (
            ("host_degree", "host_degree"),
            ("host_betweenness_norm", "host_betweenness_norm"),
            ("host_type", "C(host_type)"),
            ("program", "C(program)"),
        ):
            # only the columns looked at are filtered, not the whole (wide) frame
            if col in p.columns and _varies(p.loc[known, [col]], col):
                terms.append(term)
            else:
                notes.append(Note("models.default_placement_unavailable" if col not in p
                                  else "models.default_placement_no_variation", column=col))
        if terms:
            specs.append(
                ModelSpec(
                    name="work_by_host_position",
                    level="placement",
                    family="binomial",
                    formula="work ~ " + " + ".join(terms),
                    cluster="host_id",
                    method="glm",
                )
            )
    d = frames.dyad
    if d is not None and d["tie"].nunique() > 1:
        cands = ("same_type", "same_kommun", "distance_km", "co_members")
        terms: list[str] = []
        for c in cands:
            if not _varies(d, c):
                notes.append(Note("models.default_dyad_no_variation", column=c))
                continue
            # keep a term only if it adds a dimension (e.g. with two kommuner distance_km
            # is a function of same_kommun)
            M = d[[*terms, c]].dropna().to_numpy(dtype=float)
            M = np.column_stack([np.ones(len(M)), M])
            if len(M) and np.linalg.matrix_rank(M) == M.shape[1]:
                terms.append(c)
            else:
                notes.append(Note("models.default_dyad_collinear", column=c,
                                  terms=list(terms) if terms else Note("models.the_constant")))
        if terms:
            specs.append(
                ModelSpec(
                    name="collaboration_ties_mrqap",
                    level="dyad",
                    family="binomial",
                    formula="tie ~ " + " + ".join(terms),
                    method="mrqap",
                )
            )
    return specs, notes


@dataclass
class ModelsResult:
    """Everything the models stage produced.

    Attributes
    ----------
    fits : list of ModelFit
    frames : Frames
    qap : DataFrame
        QAP correlations between layers (:func:`layer_correlations`).
    notes : list of str
        Stage-level notes (defaults chosen, frames not built, …).
    """

    fits: list[ModelFit]
    frames: Frames
    qap: pd.DataFrame = field(default_factory=pd.DataFrame)
    notes: list[str] = field(default_factory=list)

    @property
    def table(self) -> pd.DataFrame:
        """``tables/models.csv``: one row per model term (log-odds for binomial GLMs)."""
        parts = [f.table.assign(model=f.spec.name) for f in self.fits if f.ok and len(f.table)]
        if not parts:
            return pd.DataFrame(columns=TABLE_COLUMNS)
        return pd.concat(parts, ignore_index=True)[TABLE_COLUMNS]

    @property
    def fit_table(self) -> pd.DataFrame:
        """Fit statistics, one row per model (also the failed ones, with their message)."""
        rows = [{c: f.stats.get(c, np.nan) for c in FIT_COLUMNS} for f in self.fits]
        return pd.DataFrame(rows, columns=FIT_COLUMNS)

    @property
    def warnings_table(self) -> pd.DataFrame:
        """``model, warning`` for every plain-language warning."""
        rows = [(f.spec.name, w) for f in self.fits for w in f.warnings]
        rows += [(f.spec.name, f.message) for f in self.fits if not f.ok]
        return pd.DataFrame(rows, columns=["model", "warning"])

    @property
    def ergm_gof(self) -> pd.DataFrame:
        """``tables/ergm_gof.csv``: observed vs simulated degree, ESP and distance distributions."""
        parts = [f.extra["gof"] for f in self.fits if f.ok and len(f.extra.get("gof", ()))]
        return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=GOF_COLUMNS)

    @property
    def ergm_mcmc(self) -> pd.DataFrame:
        """``tables/ergm_mcmc.csv``: autocorrelation and effective sample size per term."""
        parts = [f.extra["diagnostics"] for f in self.fits
                 if f.ok and len(f.extra.get("diagnostics", ()))]
        return (pd.concat(parts, ignore_index=True) if parts
                else pd.DataFrame(columns=DIAGNOSTIC_COLUMNS))

    def figures(self) -> dict:
        """Coefficient plot per fitted model: ``{"model_<name>": Figure}``."""
        return {f"model_{f.spec.name}": coefficient_plot(f) for f in self.fits if f.ok}

    def summary(self) -> str:
        lines = [f"{len(self.fits)} model(s), {sum(f.ok for f in self.fits)} fitted"]
        lines += [f.summary() for f in self.fits]
        if len(self.qap):
            lines.append("QAP correlations between layers:")
            lines.append(self.qap.to_string(index=False, float_format=lambda v: f"{v:.4g}"))
        lines += [f"note: {n}" for n in self.notes]
        return "\n".join(lines)


def fit_models(
    frames: Frames,
    specs: list[ModelSpec] | None = None,
    *,
    seed: int | None = None,
    permutations: int = 1000,
    qap: bool = True,
    networks=None,
) -> ModelsResult:
    """Fit ``specs`` (or :func:`default_specs`) on ``frames``; never raises for a bad model."""
    notes = list(frames.notes)
    if not specs:
        specs, dnotes = default_specs(frames)
        notes += dnotes
        if specs:
            notes.append(Note("models.defaults_fitted"))
    # one BLAS thread: a multi-threaded BLAS sums in an order that depends on the
    # number of cores, so estimates would differ in the last digits between machines
    with threadpool_limits(limits=1, user_api="blas"):
        fits = [fit_model(s, frames, seed=seed, permutations=permutations, networks=networks)
                for s in specs]
        qtab = (
            layer_correlations(frames, permutations=permutations, seed=seed) if qap
            else pd.DataFrame()
        )
    return ModelsResult(fits=fits, frames=frames, qap=qtab, notes=notes)


def run_models(
    study,
    networks=None,
    actors: pd.DataFrame | None = None,
    kommun: pd.DataFrame | None = None,
    *,
    seed: int | None = None,
    permutations: int = 1000,
    specs: list[ModelSpec] | None = None,
) -> ModelsResult:
    """The models stage: build the frames and fit the study's models.

    Parameters
    ----------
    study : Study
    networks : Networks, optional
    actors, kommun : DataFrame, optional
        ``tables/actors.csv`` and ``tables/kommun.csv`` from earlier stages.
    seed : int, optional
        Seed for the permutation tests (default: the study's seed).
    permutations : int
        QAP/MRQAP permutations (default 1000).
    specs : list of ModelSpec, optional
        Default: ``study.settings.models``, else :func:`default_specs`.
    """
    if seed is None:
        seed = study.settings.seed
    frames = build_frames(study, actors=actors, kommun=kommun, networks=networks)
    if specs is None:
        specs = list(study.settings.models)
    return fit_models(frames, specs, seed=seed, permutations=permutations, networks=networks)
