"""Need, supply and access per kommun: the two-step floating catchment area.

- :func:`actor_supply` – places offered by supply-side actors;
- :func:`distance_matrix`, :func:`two_step_fca` – 2SFCA access (Luo & Wang 2003);
- :func:`eb_smooth` – global empirical-Bayes smoothing of need rates (Marshall 1991);
- :func:`zscore`, :func:`underserved_reason` – the need–access gap and the
  reason text of an underserved kommun.

References
----------
Luo, W. & Wang, F. (2003). Measures of spatial accessibility to health care in a
GIS environment: synthesis and a case study in the Chicago region.
*Environment and Planning B* 30(6), 865–884.

Marshall, R. J. (1991). Mapping disease and mortality rates using empirical
Bayes estimators. *Journal of the Royal Statistical Society C* 40(2), 283–294.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from netsoc.geo.boundaries import GeoError
from netsoc.i18n import Note
from netsoc.schema import SUPPLY_TYPES
from netsoc.study import Study


def _placements_hosted(study: Study, actors_table: pd.DataFrame | None) -> pd.Series:
    ids = pd.Index(study.actors["actor_id"])
    if actors_table is not None and "placements_hosted" in actors_table:
        s = actors_table.set_index("actor_id")["placements_hosted"]
        return pd.to_numeric(s, errors="coerce").reindex(ids).fillna(0)
    if study.placements is None or not len(study.placements):
        return pd.Series(0.0, index=ids)
    return study.placements["host_id"].value_counts().reindex(ids).fillna(0).astype(float)


def actor_supply(study: Study, actors_table: pd.DataFrame | None = None) -> pd.Series:
    """Supply offered by each actor: ``capacity`` for supply-side types
    (:data:`netsoc.schema.SUPPLY_TYPES`), the number of placements hosted where
    capacity is missing, 0 for every other type."""
    a = study.actors.set_index("actor_id")
    cap = pd.to_numeric(a["capacity"], errors="coerce") if "capacity" in a else None
    hosted = _placements_hosted(study, actors_table)
    s = hosted.copy() if cap is None else cap.fillna(hosted)
    return s.where(a["type"].isin(SUPPLY_TYPES), 0.0).astype(float)


def distance_matrix(a_xy: np.ndarray, b_xy: np.ndarray) -> np.ndarray:
    """Euclidean distances (same unit as the coordinates) between two point sets."""
    a = np.asarray(a_xy, dtype=float).reshape(-1, 2)
    b = np.asarray(b_xy, dtype=float).reshape(-1, 2)
    return np.hypot(a[:, None, 0] - b[None, :, 0], a[:, None, 1] - b[None, :, 1])


def two_step_fca(
    demand: np.ndarray, supply: np.ndarray, distances: np.ndarray, catchment: float
) -> np.ndarray:
    """Two-step floating catchment area access (Luo & Wang 2003).

    Step 1, for each supply point *j*: ``R_j = S_j / sum(D_k for d_kj <= d0)``.
    Step 2, for each demand point *i*: ``A_i = sum(R_j for d_ij <= d0)``.
    A supply point with no demand in its catchment gets ``R_j = 0`` (it serves
    nobody). The catchment is inclusive (``<=``), as in PySAL ``access``.

    Parameters
    ----------
    demand : array (n,)
        Demand at each demand point (here: persons in need).
    supply : array (m,)
        Supply at each supply point (here: places).
    distances : array (n, m)
        Distance from demand point *i* to supply point *j*.
    catchment : float
        Catchment radius ``d0`` in the unit of ``distances``.

    Returns
    -------
    ndarray (n,)
        Supply per unit of demand reachable from each demand point.

    Examples
    --------
    >>> two_step_fca([10, 10], [5], [[0.0], [1.0]], 2.0)
    array([0.25, 0.25])
    """
    d = np.asarray(demand, dtype=float)
    s = np.asarray(supply, dtype=float)
    dist = np.asarray(distances, dtype=float).reshape(len(d), len(s))
    if np.any(d < 0) or np.any(s < 0):
        raise GeoError("2SFCA: demand and supply must be non-negative")
    inside = dist <= catchment
    reached = inside.T.astype(float) @ d  # demand within each supply catchment
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(reached > 0, s / np.where(reached > 0, reached, 1.0), 0.0)
    return inside.astype(float) @ ratio


def eb_smooth(
    rate: np.ndarray, population: np.ndarray, unit: float = 100.0
) -> tuple[np.ndarray, dict[str, float]]:
    """Global empirical-Bayes smoothing of rates (Marshall 1991).

    Rates are turned into proportions ``r_i = rate_i / unit`` with events
    ``O_i = r_i P_i``. With ``m = sum(O) / sum(P)`` and the population-weighted
    variance ``s2 = sum(P_i (r_i - m)^2) / sum(P)``, the prior variance is
    ``A = max(0, s2 - m / mean(P))`` and each rate is shrunk toward ``m`` by
    ``C_i = A / (A + m / P_i)``: ``r_i* = m + C_i (r_i - m)``. Small populations
    get small ``C_i`` and move most; large kommuner barely move. This is the
    estimator of ``esda.smoothing.Empirical_Bayes`` (GeoDa's "EB smoothed
    rate"), with the negative-variance case set to 0 as Marshall advises.

    Parameters
    ----------
    rate : array
        Rates in the indicator's unit (e.g. percent).
    population : array
        Population at risk (the rate's denominator) per area, > 0.
    unit : float
        100 for percent, 1000 for per mille, 1 for proportions.

    Returns
    -------
    smoothed : ndarray
        Smoothed rates in the same unit.
    info : dict
        ``mean`` (``m`` in the unit), ``prior_var`` (``A`` in the unit squared).

    Examples
    --------
    >>> r, _ = eb_smooth([10.0, 2.0, 4.0], [100, 10_000, 10_000])
    >>> bool(abs(r[0] - 3.0) < abs(10.0 - 3.0))
    True
    """
    r = np.asarray(rate, dtype=float) / unit
    p = np.asarray(population, dtype=float)
    if len(r) == 0:
        return r * unit, {"mean": math.nan, "prior_var": math.nan}
    if np.any(~np.isfinite(p)) or np.any(p <= 0):
        raise GeoError("EB smoothing needs a positive population for every kommun")
    m = float((r * p).sum() / p.sum())
    s2 = float((p * (r - m) ** 2).sum() / p.sum())
    a = max(0.0, s2 - m / p.mean())
    with np.errstate(divide="ignore", invalid="ignore"):
        c = np.where(a + m / p > 0, a / (a + m / p), 1.0)
    smoothed = m + c * (r - m)
    return smoothed * unit, {"mean": m * unit, "prior_var": a * unit**2}


def zscore(x: pd.Series) -> pd.Series:
    """Standardise with the population standard deviation (ddof=0); a constant
    series gives zeros, missing values stay missing."""
    x = pd.to_numeric(x, errors="coerce").astype(float)
    sd = x.std(ddof=0)
    if not np.isfinite(sd) or sd == 0:
        return (x * 0.0).where(x.notna())
    return (x - x.mean()) / sd


def underserved_reason(row: pd.Series, median_rate: float, q20: float, catchment_km: float,
                       unit: str, lang: str = "en") -> str:
    """Reason text for an underserved kommun (``lang`` ``sv`` or ``en``; numbers per language)."""
    pct = " %" if unit == "percent" else ""
    if row["access"] == 0:
        n = Note("geo.reason_zero", rate=float(row["need_rate"]), median=float(median_rate),
                 pct=pct, km=float(catchment_km))
    else:
        n = Note("geo.reason_low", rate=float(row["need_rate"]), median=float(median_rate),
                 pct=pct, access=float(row["access"]) * 1000, q20=float(q20) * 1000)
    return n.render(lang if lang in ("sv", "en") else "en")
