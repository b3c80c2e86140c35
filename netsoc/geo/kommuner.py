"""The kommun table: scope, located actors and :func:`kommun_table` (``tables/kommun.csv``).

:func:`scope_kommuner` picks the kommun codes in scope (``study``, ``neighbours``,
``lan``, ``sweden``), :func:`locate_actors` places the actors in EPSG:3006,
:func:`latest_indicator` reads need and population, and :func:`kommun_table`
puts need, supply, 2SFCA access (:mod:`netsoc.geo.access`), the gap and its
LISA clusters (:mod:`netsoc.geo.spatial`) and the underserved flags together
into a :class:`GeoResult`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd

from netsoc.geo.access import (
    _placements_hosted,
    actor_supply,
    distance_matrix,
    eb_smooth,
    two_step_fca,
    underserved_reason,
    zscore,
)
from netsoc.geo.boundaries import CRS, GeoError, _kommun_frame
from netsoc.geo.spatial import local_moran
from netsoc.i18n import Note
from netsoc.study import Settings, Study

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
#: divisor turning a need rate in the indicator's unit into a proportion
NEED_UNITS: dict[str, float] = {"percent": 100.0, "per_1000": 1000.0, "proportion": 1.0}


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
