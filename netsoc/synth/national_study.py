"""Generating the national/county study (:func:`make_national`, one random stream through
every generator in turn) and writing it as a study folder (:func:`write_study`).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from netsoc.synth.national_actors import _actors, _actors_table, _affiliations, _popularity
from netsoc.synth.national_data import SCALES
from netsoc.synth.national_kommuner import _indicators, _kommun_structure
from netsoc.synth.national_placements import _placements
from netsoc.synth.national_ties import _ties_and_respondents

# --------------------------------------------------------------------------- public API


def make_national(
    scale: str = "national",
    seed: int = 2014,
    n_placements: int | None = None,
    *,
    lan: str = "01",
) -> dict[str, pd.DataFrame]:
    """Generate a synthetic study at national or county scale.

    Parameters
    ----------
    scale : {"national", "county"}
        ``national``: all 290 kommuner (about 31,000 actors, 60,000 ties,
        1,000,000 placements). ``county``: the kommuner of one län (``lan``)
        with about a tenth of the organisations, ties and placements.
    seed : int
        Seed of the single :func:`numpy.random.default_rng` stream; the same seed
        gives identical tables (and byte-identical files from :func:`write_study`).
    n_placements : int, optional
        Number of placements (default 1,000,000 national, 100,000 county).
    lan : str
        Two-digit län code for ``scale="county"`` (default ``"01"``, Stockholms län).

    Returns
    -------
    dict of DataFrame
        ``actors, ties, respondents, affiliations, placements, indicators`` with the
        columns of :mod:`netsoc.schema` (dates as ``datetime64``, ``kommun_kod`` as
        4-character text, missing values as ``None``/``NaN``/``NaT``).

    Notes
    -----
    Tie and placement probabilities decay as ``exp(-d / L)`` with the distance
    ``d`` between kommun centroids (``L`` = :data:`TIE_DECAY_KM`,
    :data:`PLACEMENT_DECAY_KM`); inside a kommun ``d`` is the mean distance of two
    random points in a disc of the kommun's area (``0.905 r``). Host choice is
    proportional to a log-normal popularity (σ = 1.5), which gives the heavy tail
    of placements per host seen in AF statistics.

    Examples
    --------
    >>> t = make_national("county", seed=3, n_placements=5_000)  # doctest: +SKIP
    >>> sorted(t)                                                  # doctest: +SKIP
    ['actors', 'affiliations', 'indicators', 'placements', 'respondents', 'ties']
    """
    if scale not in SCALES:
        raise ValueError(f"scale must be one of {sorted(SCALES)}, not {scale!r}")
    size = SCALES[scale]
    n_pl = size.placements if n_placements is None else int(n_placements)
    if n_pl < 1:
        raise ValueError("n_placements must be at least 1")
    rng = np.random.default_rng(seed)
    km = _kommun_structure(rng)
    if scale == "national":
        scope = np.arange(len(km.geo))
    else:
        scope = np.flatnonzero(km.geo["lan_kod"].to_numpy() == lan)
        if not len(scope):
            known = ", ".join(sorted(km.geo["lan_kod"].unique()))
            raise ValueError(f"unknown län code {lan!r}; known: {known}")
    a = _actors(rng, km, scope, size)
    popularity = _popularity(rng, a)
    affiliations = _affiliations(rng, a, km, scope)
    ties, respondents = _ties_and_respondents(rng, a, km, scope, size, popularity)
    placements = _placements(rng, a, km, scope, n_pl, popularity)
    return {
        "actors": _actors_table(a, a["scope_geo"]),
        "ties": ties,
        "respondents": respondents,
        "affiliations": affiliations,
        "placements": placements,
        "indicators": _indicators(rng, a["scope_geo"]),
    }


def _study_toml(name: str, seed: int | None, scope: str) -> str:
    lines = [
        "[study]",
        f"name = {json.dumps(name, ensure_ascii=False)}",  # a valid TOML basic string
        'language = "sv"',
        *([f"seed = {int(seed)}"] if seed is not None else []),
        "synthetic = true",
        "",
        "[geography]",
        'need_indicator = "N03937"',
        'population_indicator = "N01951"',
        f"scope = {json.dumps(scope)}",
        "",
    ]
    return "\n".join(lines)


def write_study(
    tables: dict[str, pd.DataFrame],
    out_dir: str | Path,
    *,
    name: str = "Synthetic study (netsoc synth)",
    seed: int | None = None,
    scope: str = "study",
) -> Path:
    """Write ``tables`` as a study folder of UTF-8 CSV files (plus ``study.toml``).

    Uses :func:`pyarrow.csv.write_csv` (a million placements in about a second).
    Text columns such as ``kommun_kod`` are written as text (``0127`` keeps its
    leading zero), dates as ISO ``YYYY-MM-DD``, missing values as empty cells.

    Parameters
    ----------
    tables : dict of DataFrame
        File stem -> table, e.g. from :func:`make_national`.
    out_dir : path
        Folder to create (existing files of the same names are replaced).
    name, seed, scope : optional
        Written to ``study.toml``.

    Returns
    -------
    Path
        The folder.
    """
    # why: pyarrow is slow to import and only writing needs it (not make_national)
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for stem, df in tables.items():
        cols = {}
        for c in df.columns:
            s = df[c]
            if pd.api.types.is_datetime64_any_dtype(s):
                cols[c] = pa.array(s.to_numpy().astype("datetime64[D]"), type=pa.date32())
            elif s.dtype == object:
                cols[c] = pa.array(s.to_numpy(), type=pa.string(), from_pandas=True)
            else:
                cols[c] = pa.array(s, from_pandas=True)
        table = pa.table(cols)
        # quote only when some text needs it (pyarrow's "needed" quotes every string)
        special = any(
            pc.any(pc.match_substring_regex(col, r'[",\r\n]')).as_py()
            for col in table.columns
            if pa.types.is_string(col.type)
        )
        opts = pacsv.WriteOptions(
            quoting_style="needed" if special else "none", quoting_header="none"
        )
        pacsv.write_csv(table, out / f"{stem}.csv", write_options=opts)
    (out / "study.toml").write_text(_study_toml(name, seed, scope), encoding="utf-8")
    return out
