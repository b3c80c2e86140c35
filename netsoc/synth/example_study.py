"""Assembling the embedded example (:func:`make_example`) and checking it against the
reports (:func:`calibration`) and the planted effect (:func:`planted_effect_summary`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from netsoc.synth.example_actors import _actors_frame, _affiliations, _all_actors, actor_roles
from netsoc.synth.example_data import (
    _SHORT,
    DEFAULT_SEED,
    GRENVERKET_LONEBIDRAG,
    MOTALA_LONEBIDRAG,
    MOTALA_SYSS_SHARES,
    NON_RESPONSE_RATE,
    OS_SE_ACTIVE,
    OS_SE_EMPLOYED,
    OS_SOCIAL_ENTERPRISES,
    REPORT_MOTALA,
    REPORT_STHLM,
    STHLM_SE_EMPLOYED,
    STHLM_SE_OCCUPIED,
    STHLM_SOCIAL_ENTERPRISES,
)
from netsoc.synth.example_indicators import _indicators
from netsoc.synth.example_placements import _placements
from netsoc.synth.example_ties import _respondents, _ties, collaboration_degree


# ---------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------
def make_example(seed: int = DEFAULT_SEED) -> dict[str, pd.DataFrame]:
    """Build the embedded example study.

    Parameters
    ----------
    seed : int
        Seed for :func:`numpy.random.default_rng`. The documentary tables
        (``actors``, ``affiliations``) do not depend on it.

    Returns
    -------
    dict of str to DataFrame
        File stem -> table, with exactly the columns of :mod:`netsoc.schema` in order.

    Examples
    --------
    >>> t = make_example()
    >>> list(t["actors"].columns)[:4]
    ['actor_id', 'name', 'type', 'kommun_kod']
    """
    actors = _all_actors()
    # independent streams: changing one synthetic layer leaves the others as they were
    r_resp, r_ties, r_place, r_ind = (np.random.default_rng(s)
                                      for s in np.random.SeedSequence(seed).spawn(4))
    respondents = _respondents(actors, r_resp)
    ties = _ties(actors, respondents, r_ties)
    return {
        "actors": _actors_frame(actors),
        "ties": ties,
        "respondents": respondents,
        "affiliations": _affiliations(),
        "placements": _placements(actors, ties, r_place),
        "indicators": _indicators(r_ind),
    }
def calibration(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Calibration targets next to the values measured in ``tables``.

    Returns a frame ``target, report, expected, measured``.
    """
    roles = actor_roles().set_index("actor_id")
    a = tables["actors"].set_index("actor_id")
    p = tables["placements"]
    r = tables["respondents"]
    se = roles.index[(roles["area"] == "sthlm") & (roles["role"] == "se")]
    os_se = [x for x in se if a.loc[x, "kommun_kod"] in ("0136", "0138", "0192")]
    syss = p[(p["referrer_id"] == "af_motala_vadstena") & (p["program"] == "sysselsattning")]
    cats = roles.loc[syss["host_id"], "category"].replace({"company": "company_kommun",
                                                           "kommun": "company_kommun"})
    shares = cats.value_counts(normalize=True)
    lb = p[(p["program"] == "lonebidrag") & p["host_id"].map(roles["area"]).eq("motala")]
    lb_counts = roles.loc[lb["host_id"], "category"].value_counts()
    sthlm_lb = p[(p["program"] == "lonebidrag") & p["host_id"].isin(se)]
    sthlm, motala = _SHORT[REPORT_STHLM], _SHORT[REPORT_MOTALA]
    rows = [
        ("social enterprises, nine kommuner", sthlm, STHLM_SOCIAL_ENTERPRISES, len(se)),
        ("people occupied at them (capacity)", sthlm, STHLM_SE_OCCUPIED,
         int(a.loc[se, "capacity"].sum())),
        ("people employed at them (lönebidrag placements)", sthlm,
         STHLM_SE_EMPLOYED, len(sthlm_lb)),
        ("Östra Södertörn ASF", sthlm, OS_SOCIAL_ENTERPRISES, len(os_se)),
        ("Östra Södertörn ASF active (capacity)", sthlm, OS_SE_ACTIVE,
         int(a.loc[os_se, "capacity"].sum())),
        ("Östra Södertörn ASF employed", sthlm, OS_SE_EMPLOYED,
         int(sthlm_lb["host_id"].isin(os_se).sum())),
    ]
    for key, share in MOTALA_SYSS_SHARES.items():
        rows.append((f"Motala sysselsättning share {key} (%)", motala, 100 * share,
                     round(100 * float(shares.get(key, 0.0)), 1)))
    for key, n in MOTALA_LONEBIDRAG.items():
        rows.append((f"Motala lönebidrag {key}", motala, n,
                     int(lb_counts.get(key, 0))))
    rows.append(("Grenverket lönebidrag", motala, GRENVERKET_LONEBIDRAG,
                 int((lb["host_id"] == "grenverket").sum())))
    for wave in sorted(r["wave"].unique()):
        rw = r[r["wave"] == wave]
        rows.append((f"non-response wave {wave} (%)", "project target",
                     100 * NON_RESPONSE_RATE,
                     round(100 * float((rw["status"] != "completed").mean()), 1)))
    return pd.DataFrame(rows, columns=["target", "report", "expected", "measured"])


def planted_effect_summary(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Work rate among ended placements with a known outcome, by host-degree band and
    host type – the planted effect seen without a model."""
    deg = collaboration_degree(tables["actors"], tables["ties"])
    types = tables["actors"].set_index("actor_id")["type"]
    p = tables["placements"]
    p = p[p["outcome"] != "unknown"].assign(
        host_degree=lambda d: d["host_id"].map(deg),
        host_type=lambda d: d["host_id"].map(types),
        work=lambda d: (d["outcome"] == "work").astype(int),
    )
    band = pd.qcut(p["host_degree"].rank(method="first"), 3,
                   labels=["low", "middle", "high"])
    rows = []
    for label, grp in p.groupby(band, observed=True):
        rows.append((f"host degree {label} ({grp['host_degree'].min()}-"
                     f"{grp['host_degree'].max()})", len(grp), grp["work"].mean()))
    for t, grp in p.groupby("host_type"):
        rows.append((f"host type {t}", len(grp), grp["work"].mean()))
    return pd.DataFrame(rows, columns=["group", "placements", "work_rate"])
