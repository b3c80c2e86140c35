"""The stakeholder stage as the pipeline runs it: table, network scores, actor columns."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from netsoc.schema import TIE_RATING_NAMES
from netsoc.stakeholders.table import (
    actor_columns,
    dyad_ratings,
    network_trust_value,
    resource_counts,
    stakeholder_table,
    trust_value_by_wave,
)

#: the columns actors.csv gains (after the measures' columns)
ACTOR_COLUMNS: tuple[str, ...] = ("influence", "interest", "quadrant", "trust_received",
                                  "value_received")
#: the metrics network.csv gains on layer ``reported``
NETWORK_METRICS: tuple[str, ...] = ("trust_score", "value_score", "n_rated_ties")


@dataclass
class StakeholderResult:
    """What the stakeholder stage gives the report and the models.

    Attributes
    ----------
    table : DataFrame
        ``tables/stakeholders.csv`` (:func:`stakeholder_table`).
    scores : dict
        ``trust_score, value_score, n_rated_ties`` of the latest rated wave
        (:func:`network_trust_value`); empty without PARTNER items.
    by_wave : DataFrame
        The same per wave (:func:`trust_value_by_wave`).
    dyads : DataFrame
        One row per rated dyad (:func:`dyad_ratings`), for edge colours.
    resources : DataFrame
        Partners naming each resource per actor (:func:`resource_counts`).
    has_ratings, has_tie_ratings : bool
        Whether stakeholders.csv had usable rows / ties.csv had PARTNER items.
    """

    table: pd.DataFrame
    scores: dict = field(default_factory=dict)
    by_wave: pd.DataFrame = field(default_factory=pd.DataFrame)
    dyads: pd.DataFrame = field(default_factory=pd.DataFrame)
    resources: pd.DataFrame = field(default_factory=pd.DataFrame)
    has_ratings: bool = False
    has_tie_ratings: bool = False

    def network_rows(self) -> pd.DataFrame:
        """Rows for ``network.csv`` (``metric, layer, value``); none without PARTNER items."""
        if not self.has_tie_ratings:
            return pd.DataFrame(columns=["metric", "layer", "value"])
        return pd.DataFrame([{"metric": m, "layer": "reported", "value": float(self.scores[m])}
                             for m in NETWORK_METRICS])

    def add_actor_columns(self, actors: pd.DataFrame) -> None:
        """Add :data:`ACTOR_COLUMNS` to an actors table in place (unrated actors empty)."""
        cols = actor_columns(self.table).set_index("actor_id")
        for c in ACTOR_COLUMNS:
            values = actors["actor_id"].map(cols[c])
            actors[c] = (values.astype("string") if c == "quadrant"
                         else pd.to_numeric(values, errors="coerce").astype(float))


def _tie_rated(ties) -> bool:
    """ties.csv has a PARTNER column with at least one value (an empty template column is none)."""
    return ties is not None and any(c in ties.columns and ties[c].notna().any()
                                    for c in TIE_RATING_NAMES)


def has_stakeholder_data(study) -> bool:
    """True when the study has stakeholder ratings or PARTNER items in ties.csv."""
    ratings = getattr(study, "stakeholders", None)
    return (ratings is not None and len(ratings) > 0) or _tie_rated(study.ties)


def stakeholder_results(study, *, wave: int | None = None) -> StakeholderResult | None:
    """Run the stakeholder analysis of a study; ``None`` when it has nothing to analyse.

    A study without ``stakeholders.csv`` and without PARTNER tie columns gives
    ``None``: the pipeline then adds no table and no column, so its outputs are
    exactly those of a run without this stage.
    """
    if not has_stakeholder_data(study):
        return None
    ratings = getattr(study, "stakeholders", None)
    ties = study.ties
    tie_rated = _tie_rated(ties)
    table = stakeholder_table(study.actors, ratings, ties if tie_rated else None, wave=wave)
    return StakeholderResult(
        table=table,
        scores=network_trust_value(ties, wave=wave) if tie_rated else {},
        by_wave=trust_value_by_wave(ties) if tie_rated else pd.DataFrame(),
        dyads=dyad_ratings(ties) if tie_rated else pd.DataFrame(),
        resources=resource_counts(ties, wave=wave) if tie_rated else pd.DataFrame(),
        has_ratings=ratings is not None and len(ratings) > 0,
        has_tie_ratings=tie_rated,
    )
