"""Stage 3 – per-actor and network-level measures (minimal foundation version)."""

from __future__ import annotations

import pandas as pd

from netsoc.graphs import Networks
from netsoc.study import Study


def actor_measures(study: Study, networks: Networks, **options) -> pd.DataFrame:
    """One row per actor: identity columns, degree and strength on the collaboration layer."""
    G = networks.collaboration
    a = study.actors
    out = pd.DataFrame(
        {
            "actor_id": a["actor_id"].astype(str),
            "name": a["name"].astype(str),
            "type": a["type"].astype(str),
            "kommun_kod": a["kommun_kod"],
        }
    )
    out["degree"] = [G.degree(n) for n in out["actor_id"]]
    out["strength"] = [G.degree(n, weight="weight") for n in out["actor_id"]]
    R = networks.reported
    out["in_degree_reported"] = [R.in_degree(n) for n in out["actor_id"]]
    out["out_degree_reported"] = [R.out_degree(n) for n in out["actor_id"]]
    return out
