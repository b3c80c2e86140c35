"""The stakeholder table (``tables/stakeholders.csv``), PARTNER dyads, resources and
the network's trust and value scores. Conventions in :mod:`netsoc.stakeholders`."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from netsoc.stakeholders.vocabulary import (
    _EPS,
    HIGH,
    ITEM_RANGE,
    QUADRANTS,
    RESOURCES,
    SALIENCE,
    STAKEHOLDER_ATTRIBUTES,
    TABLE_COLUMNS,
    TRUST_ITEMS,
    VALUE_ITEMS,
    _fold,
    _header,
)


def _usable(df: pd.DataFrame | None) -> pd.DataFrame | None:
    if df is None or not len(df):
        return None
    if "reason" in df:
        df = df[df["reason"].isna().to_numpy()]
    return df


def latest_ratings(ratings: pd.DataFrame, wave: int | None = None) -> pd.DataFrame:
    """The usable ratings of each actor's latest wave (or of ``wave`` when given).

    Missing ``wave`` counts as 1. An actor rated in waves 1 and 2 keeps only
    its wave-2 rows, even for attributes rated only in wave 1.

    Examples
    --------
    >>> r = pd.DataFrame({"actor_id": ["a", "a", "b"], "attribute": ["power", "urgency", "power"],
    ...                   "value": [2, 5, 4], "wave": [1, 2, 1]})
    >>> latest_ratings(r)[["actor_id", "attribute", "wave"]].values.tolist()
    [['a', 'urgency', 2], ['b', 'power', 1]]
    """
    r = _usable(ratings)
    if r is None:
        return pd.DataFrame(columns=["actor_id", "attribute", "value", "rater_id", "wave"])
    r = r.copy()
    r["wave"] = pd.to_numeric(r["wave"], errors="coerce").fillna(1).astype(int) \
        if "wave" in r else 1
    if wave is not None:
        return r[r["wave"] == wave].reset_index(drop=True)
    last = r.groupby("actor_id", sort=False)["wave"].transform("max")
    return r[r["wave"] == last].reset_index(drop=True)


def _rater_key(r: pd.DataFrame) -> pd.Series:
    if "rater_id" not in r:
        return pd.Series("", index=r.index)
    return r["rater_id"].astype("string").fillna("").str.strip()


def _high(x: pd.Series) -> pd.Series:
    return x > HIGH + _EPS


def quadrant(influence: pd.Series, interest: pd.Series) -> pd.Series:
    """Mendelow quadrant of mean influence and interest (high = above 3; NA if either missing).

    Examples
    --------
    >>> quadrant(pd.Series([4.0, 4.0, 3.0, 2.0, None]),
    ...          pd.Series([3.5, 3.0, 4.0, 1.0, 5.0])).tolist()
    ['manage_closely', 'keep_satisfied', 'keep_informed', 'monitor', <NA>]
    """
    inf = pd.to_numeric(influence, errors="coerce").astype(float).to_numpy()
    inr = pd.to_numeric(interest, errors="coerce").astype(float).to_numpy()
    hi_f, hi_r = inf > HIGH + _EPS, inr > HIGH + _EPS
    q = np.select([hi_f & hi_r, hi_f, hi_r], list(QUADRANTS[:3]), QUADRANTS[3]).astype(object)
    q[np.isnan(inf) | np.isnan(inr)] = pd.NA
    return pd.Series(pd.array(q, dtype="string"), index=getattr(influence, "index", None))


def salience(power: pd.Series, legitimacy: pd.Series, urgency: pd.Series) -> pd.Series:
    """Mitchell-Agle-Wood class from mean power, legitimacy, urgency (present = above 3).

    NA when any of the three is missing.

    Examples
    --------
    >>> salience(pd.Series([4.0, 2.0, 5.0]), pd.Series([4.0, 3.0, 1.0]),
    ...          pd.Series([1.0, 4.0, None])).tolist()
    ['dominant', 'demanding', <NA>]
    """
    cols = [pd.to_numeric(s, errors="coerce").astype(float).to_numpy()
            for s in (power, legitimacy, urgency)]
    present = [c > HIGH + _EPS for c in cols]
    out = np.array([SALIENCE[(bool(p), bool(la), bool(u))] for p, la, u in zip(*present,
                                                                                  strict=True)],
                   dtype=object)
    missing = np.isnan(cols[0]) | np.isnan(cols[1]) | np.isnan(cols[2])
    out[missing] = pd.NA
    return pd.Series(pd.array(out, dtype="string"), index=getattr(power, "index", None))


def dyad_ratings(ties: pd.DataFrame | None) -> pd.DataFrame:
    """One row per rated dyad (``respondent_id, alter_id, wave``) of ``ties.csv``.

    Columns: the six items (mean over the dyad's rows), ``trust`` and ``value``
    (per row the mean of the items given, then the mean over the dyad's rows),
    ``resources`` (codes joined by ``;``, NA when none) and ``n_rows``. A dyad
    is *rated* when a row of it carries any item or resource. Rows with a
    ``reason`` (rejected) are left out. Suitable for edge colours (trust).

    Examples
    --------
    >>> t = pd.DataFrame({"respondent_id": ["a", "a", "b"], "alter_id": ["b", "b", "a"],
    ...                   "relation": ["information", "referral", "information"],
    ...                   "trust_reliable": [4, 2, None], "trust_open": [3, None, None],
    ...                   "resources": [None, "data", None]})
    >>> dyad_ratings(t)[["respondent_id", "alter_id", "trust", "resources"]].values.tolist()
    [['a', 'b', 2.75, 'data']]
    """
    cols = ["respondent_id", "alter_id", "wave", *TRUST_ITEMS, *VALUE_ITEMS, "trust", "value",
            "resources", "n_rows"]
    t = _usable(ties)
    if t is None:
        return pd.DataFrame(columns=cols)
    t = _header(t, (*TRUST_ITEMS, *VALUE_ITEMS, "resources"))
    lo, hi = ITEM_RANGE
    items = {c: (pd.to_numeric(t[c], errors="coerce").astype(float) if c in t else
                 pd.Series(np.nan, index=t.index)) for c in (*TRUST_ITEMS, *VALUE_ITEMS)}
    # unvalidated input: a value outside 1-4 is no rating (validate_tie_ratings reports it)
    items = {c: v.where((v >= lo) & (v <= hi)) for c, v in items.items()}
    res = (t["resources"].astype("string").fillna("").str.strip() if "resources" in t
           else pd.Series("", index=t.index))
    f = pd.DataFrame(items)
    f["trust"] = f[list(TRUST_ITEMS)].mean(axis=1, skipna=True)
    f["value"] = f[list(VALUE_ITEMS)].mean(axis=1, skipna=True)
    rated = f[[*TRUST_ITEMS, *VALUE_ITEMS]].notna().any(axis=1) | (res != "")
    f["respondent_id"] = t["respondent_id"].astype(str)
    f["alter_id"] = t["alter_id"].astype(str)
    f["wave"] = (pd.to_numeric(t["wave"], errors="coerce").fillna(1).astype(int)
                 if "wave" in t else 1)
    f["resources"] = res
    f = f[rated.to_numpy()]
    if not len(f):
        return pd.DataFrame(columns=cols)
    g = f.groupby(["respondent_id", "alter_id", "wave"], sort=False)
    out = g[[*TRUST_ITEMS, *VALUE_ITEMS, "trust", "value"]].mean()
    out["resources"] = g["resources"].agg(_join_resources)
    out["n_rows"] = g.size()
    return out.reset_index()[cols]


def _join_resources(cells: Iterable[str]) -> object:
    found = {_fold(p) for c in cells if isinstance(c, str) for p in c.replace(",", ";").split(";")}
    return ";".join(r for r in RESOURCES if r in found) or pd.NA


def stakeholder_table(actors: pd.DataFrame, ratings: pd.DataFrame | None,
                      ties: pd.DataFrame | None = None, *, wave: int | None = None
                      ) -> pd.DataFrame:
    """One row per actor with any rating: ``tables/stakeholders.csv``.

    Parameters
    ----------
    actors : DataFrame
        ``actor_id, name, type`` (``Study.actors``); rows come in its order.
    ratings : DataFrame or None
        From :func:`validate_ratings` (rows with a ``reason`` are left out).
    ties : DataFrame or None
        ``ties.csv`` with PARTNER columns, best from :func:`validate_tie_ratings`.
    wave : int, optional
        Use only this wave (ratings and tie rows) instead of each actor's latest.

    Returns
    -------
    DataFrame
        Exactly :data:`TABLE_COLUMNS`:

        - ``influence … attitude``: per rater the rating, then the mean over
          raters (the analyst, empty ``rater_id``, is one rater), in the actor's
          latest rated wave (see the module's *Conventions*); NaN if unrated.
        - ``n_raters``: distinct raters of the actor in that wave (0 if only
          rated through ties).
        - ``quadrant`` (:func:`quadrant`) and ``salience`` (:func:`salience`).
        - ``trust_received`` / ``value_received``: mean dyad trust / value over
          the dyads whose alter is the actor, in the latest wave of the tie
          rows rating it; ``n_trust_ratings``: how many such dyads carry a trust
          item (the number of partners who rated its trustworthiness).
        - ``resources_named``: the resources those partners say the actor
          contributes, codes joined by ``;`` in :data:`RESOURCES` order (NA if
          none); how many partners named each is in :func:`resource_counts`.

        An actor counts as rated when it has a usable stakeholder rating or is
        the alter of a rated dyad.

    Examples
    --------
    >>> actors = pd.DataFrame({"actor_id": ["af", "asf", "k"], "name": ["AF", "ASF", "Kommun"],
    ...                        "type": ["arbetsformedlingen", "social_enterprise", "kommun"]})
    >>> ratings = pd.DataFrame({"actor_id": ["af", "af", "af", "asf", "asf"],
    ...                         "attribute": ["influence", "interest", "influence",
    ...                                       "influence", "interest"],
    ...                         "value": [5, 3, 4, 2, 5],
    ...                         "rater_id": [None, None, "k", None, None]})
    >>> ties = pd.DataFrame({"respondent_id": ["asf"], "alter_id": ["af"], "trust_reliable": [3],
    ...                      "trust_mission": [4], "value_power": [2]})
    >>> t = stakeholder_table(actors, ratings, ties)
    >>> t[["actor_id", "influence", "interest", "n_raters", "quadrant", "trust_received"]]
      actor_id  influence  interest  n_raters        quadrant  trust_received
    0       af        4.5       3.0         2  keep_satisfied             3.5
    1      asf        2.0       5.0         1   keep_informed             NaN
    """
    base = actors[["actor_id", "name", "type"]].drop_duplicates("actor_id")
    means = pd.DataFrame(index=pd.Index([], name="actor_id"), columns=list(STAKEHOLDER_ATTRIBUTES))
    n_raters = pd.Series(dtype="int64")
    r = latest_ratings(ratings, wave) if _usable(ratings) is not None else None
    if r is not None and len(r):
        r = r.assign(rater=_rater_key(r), value=pd.to_numeric(r["value"], errors="coerce"))
        per_rater = r.groupby(["actor_id", "attribute", "rater"])["value"].mean()
        means = per_rater.groupby(level=["actor_id", "attribute"]).mean().unstack("attribute")
        means = means.reindex(columns=list(STAKEHOLDER_ATTRIBUTES))
        n_raters = r.groupby("actor_id")["rater"].nunique()
    received = _received(ties, wave)
    rated = set(means.index) | set(received.index)
    out = base[base["actor_id"].isin(rated)].reset_index(drop=True)
    ids = out["actor_id"]
    for a in STAKEHOLDER_ATTRIBUTES:
        out[a] = ids.map(means[a]).astype(float).to_numpy() if len(means) else np.nan
    out["n_raters"] = ids.map(n_raters).fillna(0).astype("int64").to_numpy()
    out["quadrant"] = quadrant(out["influence"], out["interest"]).to_numpy()
    out["salience"] = salience(out["power"], out["legitimacy"], out["urgency"]).to_numpy()
    for c in ("trust_received", "value_received"):
        out[c] = ids.map(received[c]).astype(float).to_numpy() if len(received) else np.nan
    out["n_trust_ratings"] = (ids.map(received["n_trust_ratings"]).fillna(0).astype("int64")
                              .to_numpy() if len(received) else 0)
    out["resources_named"] = pd.array(
        ids.map(received["resources_named"]).tolist() if len(received) else [pd.NA] * len(out),
        dtype="string")
    return out[list(TABLE_COLUMNS)]


def _latest_dyads(ties: pd.DataFrame | None, wave: int | None) -> pd.DataFrame:
    d = dyad_ratings(ties)
    if not len(d):
        return d
    if wave is not None:
        return d[d["wave"] == wave]
    return d[d["wave"] == d.groupby("alter_id")["wave"].transform("max")]


def _received(ties: pd.DataFrame | None, wave: int | None) -> pd.DataFrame:
    cols = ["trust_received", "value_received", "n_trust_ratings", "resources_named"]
    d = _latest_dyads(ties, wave)
    if not len(d):
        return pd.DataFrame(columns=cols, index=pd.Index([], name="alter_id"))
    g = d.groupby("alter_id", sort=False)
    out = pd.DataFrame({"trust_received": g["trust"].mean(), "value_received": g["value"].mean(),
                        "n_trust_ratings": g["trust"].count()})
    out["resources_named"] = g["resources"].agg(_join_resources)
    return out


def resource_counts(ties: pd.DataFrame | None, *, wave: int | None = None) -> pd.DataFrame:
    """Per alter and resource, how many partners say the alter contributes it.

    Rows: ``actor_id``; columns :data:`RESOURCES` (counts of rated dyads, in
    the same wave selection as :func:`stakeholder_table`) and ``n_partners``
    (dyads rating the actor in any way), so that the share of partners naming
    a resource is ``count / n_partners`` as PARTNER reports it.

    Examples
    --------
    >>> t = pd.DataFrame({"respondent_id": ["a", "c"], "alter_id": ["b", "b"],
    ...                   "resources": ["data;funding", "data"]})
    >>> resource_counts(t)[["data", "funding", "n_partners"]].loc["b"].tolist()
    [2, 1, 2]
    """
    d = _latest_dyads(ties, wave)
    cols = [*RESOURCES, "n_partners"]
    if not len(d):
        return pd.DataFrame(columns=cols, index=pd.Index([], name="actor_id"), dtype="int64")
    named = d["resources"].fillna("").str.split(";")
    counts = pd.DataFrame({r: named.map(lambda xs, r=r: r in xs).astype(int) for r in RESOURCES})
    counts["n_partners"] = 1
    counts["actor_id"] = d["alter_id"].to_numpy()
    return counts.groupby("actor_id", sort=False)[cols].sum()


# --------------------------------------------------------------------------- network scores


def trust_value_by_wave(ties: pd.DataFrame | None) -> pd.DataFrame:
    """PARTNER network scores per wave: ``wave, trust_score, value_score, n_rated_ties``.

    For before/after comparisons; see :func:`network_trust_value`.

    Examples
    --------
    >>> t = pd.DataFrame({"respondent_id": ["a", "a"], "alter_id": ["b", "b"], "wave": [1, 2],
    ...                   "trust_open": [2, 4], "value_power": [4, 3]})
    >>> trust_value_by_wave(t).values.tolist()
    [[1.0, 50.0, 100.0, 1.0], [2.0, 100.0, 75.0, 1.0]]
    """
    d = dyad_ratings(ties)
    cols = ["wave", "trust_score", "value_score", "n_rated_ties"]
    if not len(d):
        return pd.DataFrame(columns=cols)
    d = d[d[["trust", "value"]].notna().any(axis=1)]
    g = d.groupby("wave")
    out = pd.DataFrame({"trust_score": 100 * g["trust"].mean() / ITEM_RANGE[1],
                        "value_score": 100 * g["value"].mean() / ITEM_RANGE[1],
                        "n_rated_ties": g.size()})
    return out.reset_index()[cols]


def network_trust_value(ties: pd.DataFrame | None, *, wave: int | None = None
                        ) -> dict[str, float | int]:
    """The whole network's PARTNER trust and value scores (``network.csv``, layer ``reported``).

    ``trust_score`` = 100 × (mean dyad trust over the dyads with a trust item)
    / 4 and ``value_score`` likewise: the share of the maximum, as PARTNER
    reports it (all ratings 1 give 25, all 4 give 100). ``n_rated_ties``
    counts the dyads with any trust or value item. One wave is scored: the
    latest in which any dyad is rated, or ``wave``; scores are NaN and the
    count 0 without ratings.

    Examples
    --------
    >>> t = pd.DataFrame({"respondent_id": ["a", "b", "c"], "alter_id": ["b", "a", "a"],
    ...                   "trust_reliable": [4, 2, None], "trust_open": [3, 2, None],
    ...                   "value_power": [4, None, 2]})
    >>> network_trust_value(t)
    {'trust_score': 68.75, 'value_score': 75.0, 'n_rated_ties': 3}
    """
    by = trust_value_by_wave(ties)
    if wave is not None:
        by = by[by["wave"] == wave]
    if not len(by):
        return {"trust_score": float("nan"), "value_score": float("nan"), "n_rated_ties": 0}
    row = by.iloc[-1]
    return {"trust_score": float(row["trust_score"]), "value_score": float(row["value_score"]),
            "n_rated_ties": int(row["n_rated_ties"])}


def actor_columns(table: pd.DataFrame) -> pd.DataFrame:
    """The columns actors.csv and the model frames gain, keyed by ``actor_id``.

    ``actor_id, influence, interest, quadrant, trust_received, value_received``;
    merge with ``how="left"`` on ``actor_id`` (unrated actors get NA).

    Examples
    --------
    >>> tab = pd.DataFrame({"actor_id": ["a"], "influence": [4.0], "interest": [2.0],
    ...                     "quadrant": ["keep_satisfied"], "trust_received": [3.0],
    ...                     "value_received": [float("nan")], "salience": [None]})
    >>> list(actor_columns(tab).columns)
    ['actor_id', 'influence', 'interest', 'quadrant', 'trust_received', 'value_received']
    """
    return table[["actor_id", "influence", "interest", "quadrant", "trust_received",
                  "value_received"]].reset_index(drop=True)

