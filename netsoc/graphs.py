"""Stage 2 – collaboration graphs from a study (minimal foundation version).

The full set of layers (formal, placement, coplacement, symmetrisation
variants, waves) comes with the measures work; this module keeps the public
names stable: :class:`Networks` and :func:`build_networks`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx
import pandas as pd

from netsoc.study import Study


@dataclass
class Networks:
    """The layers of a study; every layer has every actor as a node."""

    reported: nx.DiGraph
    collaboration: nx.Graph
    formal: nx.DiGraph | None = None
    placement: nx.DiGraph | None = None
    coplacement: nx.Graph | None = None
    by_wave: dict[int, dict[str, nx.Graph]] = field(default_factory=dict)

    def layers(self) -> dict[str, nx.Graph]:
        out = {"reported": self.reported, "collaboration": self.collaboration}
        for name in ("formal", "placement", "coplacement"):
            g = getattr(self, name)
            if g is not None:
                out[name] = g
        return out


def _add_actors(G: nx.Graph, actors: pd.DataFrame) -> None:
    for row in actors[["actor_id", "name", "type", "kommun_kod"]].itertuples(index=False):
        G.add_node(
            row.actor_id,
            name=str(row.name),
            type=str(row.type),
            kommun_kod="" if pd.isna(row.kommun_kod) else str(row.kommun_kod),
        )


def build_networks(study: Study, symmetrize: str | None = None, wave: int | None = None) -> Networks:
    """Build the reported (directed) and collaboration (union) layers."""
    reported = nx.DiGraph()
    _add_actors(reported, study.actors)
    if study.ties is not None and len(study.ties):
        t = study.ties if wave is None else study.ties[study.ties["wave"] == wave]
        w = t.groupby(["respondent_id", "alter_id"])["strength"].max()
        reported.add_weighted_edges_from((a, b, int(s)) for (a, b), s in w.items())
    collaboration = nx.Graph()
    _add_actors(collaboration, study.actors)
    for a, b, d in reported.edges(data=True):
        old = collaboration.get_edge_data(a, b, {"weight": 0})["weight"]
        collaboration.add_edge(a, b, weight=max(old, d["weight"]))
    return Networks(reported=reported, collaboration=collaboration)
