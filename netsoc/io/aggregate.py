"""Placements aggregated in SQL (``placements.sql``): per host, referrer, host pair, kommun, outcome.

:func:`aggregate_placements` runs the statements of ``netsoc/io/placements.sql`` with
DuckDB on a placements frame or file (CSV or Parquet, read out of core) and
returns one DataFrame per statement. The SQL is plain, so the same statements run
on a distributed engine (``docs/scaling.md``). ``tests/test_io_duckdb.py`` holds
the results equal to the pandas/scipy computations the graphs use.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

__all__ = ["AGGREGATE_SQL", "aggregate_placements", "statements"]

AGGREGATE_SQL = Path(__file__).with_name("placements.sql")


def statements(text: str | None = None) -> dict[str, str]:
    """``name -> SQL`` of the ``-- name:`` sections of ``placements.sql``."""
    text = AGGREGATE_SQL.read_text(encoding="utf-8") if text is None else text
    out: dict[str, list[str]] = {}
    name = None
    for line in text.splitlines():
        if line.startswith("-- name:"):
            name = line.split(":", 1)[1].strip()
            out[name] = []
        elif name is not None and not line.startswith("--"):
            out[name].append(line)
    return {k: "\n".join(v).strip().rstrip(";") for k, v in out.items()}


def aggregate_placements(placements, actors: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Every aggregate of ``placements.sql``.

    ``placements`` is a DataFrame or the path of a ``placements.csv`` /
    ``placements.parquet`` (then read by DuckDB without loading it into pandas);
    ``actors`` has ``actor_id`` and ``kommun_kod``.
    """
    import duckdb  # why: optional engine

    con = duckdb.connect(":memory:")
    try:
        if isinstance(placements, (str, Path)):
            p = "'" + str(placements).replace("'", "''") + "'"
            reader = "read_parquet" if str(placements).endswith(".parquet") else "read_csv"
            opts = "" if reader == "read_parquet" else ", all_varchar=true, header=true"
            con.execute(f"CREATE VIEW placements AS SELECT * FROM {reader}({p}{opts})")
        else:
            cols = [c for c in ("placement_id", "person_key", "referrer_id", "host_id",
                                "program", "outcome") if c in placements]
            con.register("placements", placements[cols].astype(object).where(
                placements[cols].notna(), None))
        a = actors[["actor_id", "kommun_kod"]].astype(object)
        con.register("actors", a.where(a.notna(), None))
        return {name: con.sql(sql).df() for name, sql in statements().items()}
    finally:
        con.close()
