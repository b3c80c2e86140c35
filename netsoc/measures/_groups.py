"""Group labels of actors, read the same way by brokerage, E-I and type mixing.

A group is a node attribute (``type`` by default) or a mapping node -> group; a
study's groups are a column of ``actors.csv`` (``network.groups`` in ``study.toml``).
"""

from __future__ import annotations

from collections.abc import Mapping

import networkx as nx
import pandas as pd

from netsoc.study import Study


def _group_labels(g: nx.Graph, groups) -> dict:
    """Node -> group label from a node attribute name or a mapping ('' when missing)."""
    if isinstance(groups, str):
        lab = {n: d.get(groups) for n, d in g.nodes(data=True)}
    elif isinstance(groups, Mapping | pd.Series):
        lab = {n: groups.get(n) for n in g}
    else:
        raise TypeError("groups must be a node attribute name or a mapping node -> group")
    out = {}
    for n, v in lab.items():
        out[n] = "" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v)
    return out


def _group_map(study: Study, groups: str) -> dict:
    if groups not in study.actors.columns:
        raise ValueError(
            f"network.groups = {groups!r} is not a column of actors.csv "
            f"(columns: {', '.join(map(str, study.actors.columns))})"
        )
    return dict(zip(study.actors["actor_id"].astype(str), study.actors[groups], strict=True))
