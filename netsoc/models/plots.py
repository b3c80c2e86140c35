"""Coefficient plots of fitted models (matplotlib figures, not attached to pyplot)."""

from __future__ import annotations

import re

import numpy as np

from netsoc.models.design import ModelFit

__all__ = ["coefficient_plot", "ergm_gof_plot"]

def _pretty_term(term: str) -> str:
    m = re.match(r"C\((\w+)[^)]*\)\[T\.(.+)\]$", term)
    if m:
        return f"{m.group(1)} = {m.group(2)}"
    return term


def coefficient_plot(fit: ModelFit):
    """Coefficient plot (estimate and 95 % CI per term, intercept left out).

    Binomial GLM/GEE/mixed models show odds ratios on a log axis; other models
    the coefficients. Returns a matplotlib ``Figure`` (not attached to pyplot).
    """
    from matplotlib.figure import Figure  # why: matplotlib is slow to import

    tab = fit.table
    tab = tab[~tab["term"].isin(["Intercept", "(intercept)"])]
    tab = tab[~tab["term"].str.startswith(("log_sd(", "var("))]
    odds = fit.spec.family == "binomial" and fit.method != "mrqap"
    est = tab["estimate"].to_numpy(dtype=float)
    lo = tab["ci_low"].to_numpy(dtype=float)
    hi = tab["ci_high"].to_numpy(dtype=float)
    if odds:
        est, lo, hi = np.exp(est), np.exp(lo), np.exp(hi)
    labels = [_pretty_term(t) for t in tab["term"]]
    fig = Figure(figsize=(6.5, 1.2 + 0.4 * max(len(labels), 1)))
    ax = fig.add_subplot(1, 1, 1)
    ypos = np.arange(len(labels))[::-1]
    ax.errorbar(
        est, ypos, xerr=[est - lo, hi - est], fmt="o", color="#1f4e79", ecolor="#6b8fb3", capsize=3
    )
    ax.axvline(1.0 if odds else 0.0, color="#999999", linestyle="--", linewidth=1)
    ax.set_yticks(ypos)
    ax.set_yticklabels(labels)
    if odds:
        ax.set_xscale("log")
        # plain numbers (0.5, 1, 2) rather than powers of ten on the odds-ratio axis
        # why: matplotlib is slow to import
        from matplotlib.ticker import LogLocator, NullFormatter, StrMethodFormatter

        ax.xaxis.set_major_locator(LogLocator(base=10, subs=(0.1, 0.2, 0.25, 0.5, 1.0)))
        ax.xaxis.set_major_formatter(StrMethodFormatter("{x:g}"))
        ax.xaxis.set_minor_formatter(NullFormatter())
        ax.set_xlabel("odds ratio (95 % CI)")
    else:
        ax.set_xlabel("coefficient (95 % CI)")
    ax.set_title(f"{fit.spec.name} (n = {fit.n_obs})")
    fig.tight_layout()
    return fig


GOF_PANELS = (("degree", "degree"), ("esp", "edgewise shared partners"),
              ("distance", "geodesic distance"))


def ergm_gof_plot(gof, title: str = ""):
    """Goodness of fit of an ERGM as R's ``plot(gof(fit))``: observed vs the simulated band.

    One panel per statistic (degree, edgewise shared partners, geodesic distance):
    the observed share of nodes/dyads per value as a line, the simulated mean and
    the 2.5–97.5 % band of the simulated networks behind it.

    Parameters
    ----------
    gof : DataFrame
        Rows of ``tables/ergm_gof.csv`` for one model
        (:meth:`netsoc.models.ergm.ERGMResults.gof`).
    """
    from matplotlib.figure import Figure  # why: matplotlib is slow to import

    fig = Figure(figsize=(9, 2.8))
    axes = fig.subplots(1, 3)
    for ax, (stat, label) in zip(axes, GOF_PANELS, strict=True):
        part = gof[gof["statistic"] == stat]
        x = np.arange(len(part))
        ax.fill_between(x, part["sim_low"].astype(float), part["sim_high"].astype(float),
                        color="#c6dbef", label="simulated 95 %")
        ax.plot(x, part["sim_mean"].astype(float), color="#6baed6", lw=1)
        ax.plot(x, part["observed"].astype(float), color="black", lw=1.5, marker="o", ms=3,
                label="observed")
        ax.set_xticks(x, [str(v) for v in part["value"]], fontsize=7)
        ax.set_title(label, fontsize=9)
    axes[0].legend(fontsize=7, frameon=False)
    if title:
        fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    return fig
