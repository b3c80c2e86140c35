"""Key findings of a run as small tables: the facts the summary puts into words.

Each function reads what earlier stages left in :class:`netsoc.pipeline.Results`
(``tables`` and ``items``) and returns ``None`` or an empty frame when the stage
did not run, so the report, notebooks and worked analyses can use them on any
study. Nothing here computes a new measure.

Examples
--------
>>> import netsoc
>>> from netsoc.report import findings
>>> results = netsoc.analyze(netsoc.load_study(None), quiet=True)  # doctest: +SKIP
>>> findings.top_brokers(results.tables["actors"], n=3)  # doctest: +SKIP
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pandas as pd

#: Gould–Fernandez roles in ``actors.csv`` (Gould & Fernandez 1989).
BROKER_ROLES = ("coordinator", "itinerant", "representative", "gatekeeper", "liaison")


def published(results) -> dict[str, pd.DataFrame]:
    """The tables as published (small counts of people suppressed) when the privacy stage exists."""
    pub = getattr(results, "published_tables", None)
    if pub is None:
        return results.tables
    try:
        return pub()
    except ImportError:  # privacy module absent in this build
        return results.tables


def is_embedded_example(study) -> bool:
    """Whether ``study`` was read from the embedded example folder."""
    if study.path is None:
        return False
    try:
        from netsoc.io import example_path

        return Path(study.path).resolve() == Path(example_path()).resolve()
    except (ImportError, OSError):
        return False


def _ranked(actors: pd.DataFrame, column: str, n: int) -> pd.DataFrame:
    """Top ``n`` actors by ``column`` (ties broken by actor_id), zero and missing left out."""
    if actors is None or column not in actors or not len(actors):
        return pd.DataFrame(columns=["actor_id", "name", "type", column])
    a = actors[pd.to_numeric(actors[column], errors="coerce").fillna(0) > 0]
    a = a.sort_values([column, "actor_id"], ascending=[False, True], kind="mergesort")
    cols = [c for c in ("actor_id", "name", "type", column) if c in a]
    return a[cols].head(n).reset_index(drop=True)


def key_actors(actors: pd.DataFrame, n: int = 5, by: str = "degree") -> pd.DataFrame:
    """The ``n`` actors with the most collaboration partners (or highest ``by``)."""
    return _ranked(actors, by, n)


def brokers(actors: pd.DataFrame, n: int = 5) -> pd.DataFrame:
    """The ``n`` actors with the highest betweenness on the collaboration layer (Freeman 1979)."""
    return _ranked(actors, "betweenness", n)


def top_brokers(actors: pd.DataFrame, n: int = 3) -> pd.DataFrame:
    """The top ``n`` actors in each Gould–Fernandez brokerage role.

    Returns
    -------
    DataFrame
        ``role, rank, actor_id, name, type, count`` (roles with no broker are left out).
    """
    rows = []
    for role in BROKER_ROLES:
        top = _ranked(actors, role, n)
        for i, r in enumerate(top.itertuples(index=False), start=1):
            d = r._asdict()
            rows.append({"role": role, "rank": i, "actor_id": d["actor_id"], "name": d.get("name"),
                         "type": d.get("type"), "count": int(d[role])})
    return pd.DataFrame(rows, columns=["role", "rank", "actor_id", "name", "type", "count"])


def cross_group_brokers(actors: pd.DataFrame, n: int = 3) -> pd.DataFrame:
    """Actors that broker most *between* groups: representative + gatekeeper + liaison counts.

    Coordinator and itinerant brokerage stay inside a group, so they are left out
    (Gould & Fernandez 1989). Column ``between_groups`` holds the sum.
    """
    roles = ["representative", "gatekeeper", "liaison"]
    if actors is None or not all(r in actors for r in roles):
        return pd.DataFrame(columns=["actor_id", "name", "type", "between_groups"])
    a = actors.assign(between_groups=actors[roles].apply(pd.to_numeric, errors="coerce")
                      .fillna(0).sum(axis=1).astype(int))
    return _ranked(a, "between_groups", n)


def community_overview(results, n_members: int = 3) -> dict | None:
    """Consensus communities: how many, how clear, the largest with their best-connected members.

    Returns ``None`` when no community stage ran. Keys: ``n`` (communities of
    two or more actors), ``modularity``, ``clear`` (bool or None), ``largest``
    (DataFrame ``community, size, members`` with member names).
    """
    com = results.items.get("communities")
    table = results.tables.get("communities")
    actors = results.tables.get("actors")
    names = actors.set_index("actor_id")["name"] if actors is not None else pd.Series(dtype=str)
    if com is not None and hasattr(com, "communities"):
        comms = com.communities()
        modularity = com.modularity.get("consensus", math.nan)
        clear = bool(com.clear)
    elif table is not None and len(table):
        t = table[table["method"] == "consensus"] if "method" in table else table
        sizes = t.groupby("community")["actor_id"].agg(list)
        deg = actors.set_index("actor_id")["degree"] if actors is not None and "degree" in actors else None
        comms = pd.DataFrame(
            [{"community": c, "size": len(m),
              "members": sorted(m, key=lambda a: (-(deg.get(a, 0) if deg is not None else 0), a))}
             for c, m in sizes.items() if len(m) >= 2],
            columns=["community", "size", "members"])
        modularity, clear = math.nan, None
    else:
        return None
    comms = comms.sort_values(["size", "community"], ascending=[False, True])
    largest = pd.DataFrame({
        "community": comms["community"].to_numpy(),
        "size": comms["size"].to_numpy(),
        "members": [[str(names.get(a, a)) for a in m[:n_members]] for m in comms["members"]],
    })
    return {"n": int(len(comms)), "modularity": float(modularity), "clear": clear, "largest": largest}


def underserved(results) -> pd.DataFrame | None:
    """Underserved kommuner (``kommun.csv`` ``underserved``), highest gap first; ``None`` without geography."""
    k = results.tables.get("kommun")
    if k is None or "underserved" not in k:
        return None
    flag = k["underserved"].astype("boolean").fillna(False).astype(bool)
    out = k[flag]
    if "gap" in out:
        out = out.sort_values(["gap", "kommun_kod"], ascending=[False, True])
    cols = [c for c in ("kommun_kod", "kommun_namn", "need_rate", "access", "gap", "reason") if c in out]
    return out[cols].reset_index(drop=True)


_CAT = re.compile(r"C\((\w+)[^)]*\)\[T\.(.+)\]$")


def pretty_term(term: str) -> str:
    """``C(host_type)[T.company]`` -> ``host_type = company``."""
    m = _CAT.match(str(term))
    return f"{m.group(1)} = {m.group(2)}" if m else str(term)


def _families(results) -> dict[str, str]:
    fam = {m.name: m.family for m in results.study.settings.models}
    mr = results.items.get("models")
    for f in getattr(mr, "fits", []) or []:
        fam[f.spec.name] = f.spec.family
    return fam


def model_findings(results, alpha: float = 0.05) -> pd.DataFrame | None:
    """Model terms with ``p_value < alpha`` (intercepts left out), strongest first within a model.

    Binomial models get odds ratios (``odds_ratio``, ``or_low``, ``or_high`` =
    exp of the log-odds and its CI); the others keep the coefficient.
    Returns ``None`` without a models table.
    """
    m = results.tables.get("models")
    if m is None or not len(m):
        return None
    fam = _families(results)
    m = m[~m["term"].astype(str).str.lower().str.strip("()").eq("intercept")].copy()
    m["family"] = m["model"].map(fam).fillna("gaussian")
    m["label"] = m["term"].map(pretty_term)
    binom = m["family"].eq("binomial")
    with np.errstate(over="ignore"):
        for src, dst in (("estimate", "odds_ratio"), ("ci_low", "or_low"), ("ci_high", "or_high")):
            m[dst] = np.where(binom, np.exp(pd.to_numeric(m[src], errors="coerce")), np.nan)
    sig = m[pd.to_numeric(m["p_value"], errors="coerce") < alpha].copy()
    order = {name: i for i, name in enumerate(dict.fromkeys(m["model"]))}
    sig["_o"] = sig["model"].map(order)
    sig = sig.sort_values(["_o", "p_value", "term"], kind="mergesort").drop(columns="_o")
    return sig.reset_index(drop=True)


def wave_change(results) -> pd.DataFrame | None:
    """``tie_changes`` (stable, new and dropped ties between waves) when there are several waves."""
    t = results.tables.get("tie_changes")
    return t if t is not None and len(t) else None


def response(results) -> dict | None:
    """``{"asked", "completed", "rate"}`` from respondents.csv, or ``None`` when who was asked is unknown."""
    study = results.study
    if not study.response_known:
        return None
    status = study.respondent_status()
    asked = int((status != "not_asked").sum())
    done = int((status == "completed").sum())
    return {"asked": asked, "completed": done, "rate": done / asked if asked else math.nan}
