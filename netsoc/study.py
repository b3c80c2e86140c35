"""The ``Study``: a validated, normalised study as plain DataFrames plus settings.

Every later stage takes a :class:`Study` (and what earlier stages returned);
nothing downstream reads files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from netsoc.schema import ModelSpec


@dataclass
class Settings:
    """Settings from ``study.toml`` (all optional; defaults shown)."""

    name: str = "netsoc study"
    language: str = "sv"
    seed: int = 2014
    synthetic: bool = False
    symmetrize: str = "union"  # union | mutual | max | min | reconstruct
    groups: str = "type"
    ei_permutations: int = 1000
    robustness_runs: int = 100
    min_cell: int = 5
    pseudonymize_people: bool = True
    need_indicator: str = "N03937"
    population_indicator: str = "N01951"
    catchment_km: float = 40.0
    scope: str = "study"  # study | lan | sweden
    models: list[ModelSpec] = field(default_factory=list)
    #: the raw parsed toml, for sections later stages add
    raw: dict = field(default_factory=dict)


@dataclass
class Problem:
    """One validation finding, printed as ``file:line: column: message``."""

    file: str
    line: int | None
    column: str | None
    message: str
    severity: str = "error"  # error | warning

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        col = f" {self.column}:" if self.column else ""
        tag = "" if self.severity == "error" else " warning:"
        return f"{where}:{col}{tag} {self.message}"


@dataclass
class Study:
    """A study: one DataFrame per file, with settings and provenance.

    Attributes
    ----------
    actors : DataFrame
        ``actor_id, name, type, kommun_kod, aliases, org_nr, lat, lon, capacity``
        (all columns present; missing values are ``NA``). ``actor_id`` is unique.
        ``kommun_kod`` is a 4-character string or ``NA``.
    ties, respondents, affiliations, placements, indicators : DataFrame or None
        ``None`` when the file is absent. Columns as in ``netsoc.schema``;
        optional columns are always present (filled with their default or NA).
        ``strength`` and ``wave`` are ints. Every table keeps a ``_line`` column
        with the line (or sheet row) the record came from.
    settings : Settings
    path : Path or None
        The folder or workbook the study was read from.
    sources : dict
        file name -> sha256 of its bytes (for ``run.json``).
    problems : list of Problem
        Warnings (and, with ``allow_rejects``, the errors that led to rejects).
    rejects : dict
        file stem -> DataFrame of rejected rows with a ``reason`` column.
    """

    actors: pd.DataFrame
    ties: pd.DataFrame | None = None
    respondents: pd.DataFrame | None = None
    affiliations: pd.DataFrame | None = None
    placements: pd.DataFrame | None = None
    indicators: pd.DataFrame | None = None
    settings: Settings = field(default_factory=Settings)
    path: Path | None = None
    sources: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    rejects: dict[str, pd.DataFrame] = field(default_factory=dict)

    TABLES = ("actors", "ties", "respondents", "affiliations", "placements", "indicators")

    def tables(self) -> dict[str, pd.DataFrame]:
        """The present tables by file stem, without the ``_line`` bookkeeping column."""
        out = {}
        for name in self.TABLES:
            df = getattr(self, name)
            if df is not None:
                out[name] = df.drop(columns="_line", errors="ignore")
        return out

    @property
    def actor_ids(self) -> list[str]:
        return self.actors["actor_id"].tolist()

    def respondent_status(self, wave: int | None = None) -> pd.Series:
        """Response status per actor: ``completed``, ``declined``, ``not_reached``
        or ``not_asked``.

        Without ``respondents.csv`` every actor that reported a tie counts as
        completed and every other actor as ``not_asked`` (non-response unknown).
        """
        status = pd.Series("not_asked", index=pd.Index(self.actor_ids, name="actor_id"))
        if self.respondents is not None and len(self.respondents):
            r = self.respondents
            if wave is not None:
                r = r[r["wave"] == wave]
            else:
                # latest wave in which the actor was asked
                r = r.sort_values("wave").drop_duplicates("actor_id", keep="last")
            status.loc[r["actor_id"].values] = r["status"].values
        elif self.ties is not None:
            t = self.ties if wave is None else self.ties[self.ties["wave"] == wave]
            status.loc[t["respondent_id"].unique()] = "completed"
        return status

    @property
    def response_known(self) -> bool:
        """True when ``respondents.csv`` tells who was asked."""
        return self.respondents is not None and len(self.respondents) > 0

    @property
    def waves(self) -> list[int]:
        if self.ties is None or not len(self.ties):
            return []
        return sorted(int(w) for w in self.ties["wave"].unique())
