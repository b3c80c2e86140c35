"""Analysis frames: one row per placement, actor, kommun or actor pair, every column documented.

:func:`build_frames` joins the network measures to the placements, actors and
kommuner of a study (the dyad frame is built by
:mod:`netsoc.models.dyads`); :class:`Frames` holds the four frames and their
codebook; :func:`write_frames` writes them with ``codebook.csv``, so that they
can be used in R or Stata without this package.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from netsoc.i18n import Note
from netsoc.models.dyads import dyad_frame

__all__ = [
    "ACTOR_COLUMN_DOCS",
    "Frames",
    "KOMMUN_COLUMN_DOCS",
    "LEVELS",
    "PLACEMENT_BASE_DOCS",
    "actor_frame",
    "build_frames",
    "indicators_wide",
    "kommun_frame",
    "placement_frame",
    "write_frames",
]

LEVELS = ("placement", "actor", "kommun", "dyad")

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
