"""Placements read with DuckDB: ``placements.parquet`` (beside or instead of the CSV) and large CSVs.

DuckDB reads the file as text (every column ``VARCHAR``) on all cores and
hands it over as Arrow, where the same column machinery as the pyarrow fast
path of :mod:`netsoc.io.raw` (distinct values per column, identity-number
candidates) builds the :class:`~netsoc.io.raw.RawTable`. Validation is then
the one of :mod:`netsoc.io.validate`, so errors, warnings and rejects are
the same ``file:line: column: message`` whichever reader ran; line numbers
count the header as line 1 (for Parquet: as if the rows were written as a
CSV with a header, so row *k* is line *k + 1*).

A CSV is read here only when it is plain: when the rows DuckDB returns are
as many as the file's lines after the header (no blank lines, no line
breaks inside fields, no ragged rows); otherwise :func:`read_placements_csv`
returns ``None`` and the exact reader reports the problem lines.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np

from netsoc.io.raw import MAX_FIELD, RawTable, _ArrowText, _identity_candidates
from netsoc.study import Problem

__all__ = ["DUCKDB_BYTES", "read_placements", "read_placements_csv", "read_placements_parquet"]

#: ``placements.csv`` larger than this is read by DuckDB (smaller ones by the pyarrow path,
#: which is faster on CSV: 1M placements 1.4 s vs DuckDB 2.2 s on this 2-core machine)
DUCKDB_BYTES = 1_000_000_000


def _connect():
    import duckdb  # why: optional engine, imported only for the files it reads

    con = duckdb.connect(":memory:")
    con.execute("SET preserve_insertion_order = true")  # row order = file order
    return con


def _sql_text(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _raw_from_arrow(table, header: list[str], name: str, sha: str,
                    decimal_comma: bool) -> RawTable | None:
    """A RawTable from an Arrow table of text columns (``c0..``), blank rows dropped."""
    import pandas as pd
    import pyarrow.compute as pc

    for column in table.columns:
        longest = pc.max(pc.binary_length(column)).as_py()
        if longest is not None and longest > MAX_FIELD:
            return None  # the exact reader refuses it with the line
    columns = [_ArrowText(table.column(i)) for i in range(len(header))]
    frame = pd.DataFrame({f"c{i}": c.objects() for i, c in enumerate(columns)}, copy=False)
    factors = {f"c{i}": c.factor() for i, c in enumerate(columns) if c.codes is not None}
    lines = np.arange(2, table.num_rows + 2)
    candidates = _identity_candidates(columns)
    blank = np.ones(table.num_rows, dtype=bool) if len(header) else np.zeros(0, bool)
    for c in columns:
        blank &= c.empty()
    if blank.any():
        frame = frame[~blank].reset_index(drop=True)
        lines = lines[~blank]
        candidates = {k: v[~blank] for k, v in candidates.items()}
        factors = {k: (codes[~blank], values) for k, (codes, values) in factors.items()}
    return RawTable(name, [h.strip() for h in header], [], lines.tolist(), sha,
                    decimal_comma=decimal_comma, frame=frame, candidates=candidates,
                    factors=factors)


def _text_table(con, relation: str, names: list[str]):
    """``relation``'s columns as Arrow text named ``c0..`` (NULL read as empty text)."""
    cols = ", ".join(f'coalesce(CAST("{n}" AS VARCHAR), \'\') AS c{i}'
                     for i, n in enumerate(n.replace('"', '""') for n in names))
    return con.sql(f"SELECT {cols} FROM {relation}").to_arrow_table()


def read_placements_csv(raw: bytes, path: Path, sep: str) -> RawTable | None:
    """``placements.csv`` (UTF-8) read by DuckDB, or ``None`` when the exact reader must read it."""
    import csv

    start = 3 if raw.startswith(b"\xef\xbb\xbf") else 0
    end = raw.find(b"\n", start)
    if end < 0:
        return None
    header = next(csv.reader([raw[start:end].decode("utf-8").rstrip("\r")], delimiter=sep))
    n_lines = raw.count(b"\n", end + 1) + (0 if raw.endswith(b"\n") or end + 1 == len(raw) else 1)
    con = _connect()
    try:
        width = len(header)
        columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(width)) + "}"
        relation = (f"read_csv({_sql_text(path)}, delim='{sep}', quote='\"', escape='\"', "
                    f"header=true, columns={columns}, strict_mode=true, null_padding=false, "
                    f"auto_detect=false)")  # noqa: S608
        table = _text_table(con, relation, [f"c{i}" for i in range(width)])
    except Exception:  # noqa: BLE001 - any DuckDB parse error: the exact reader reports it
        return None
    finally:
        con.close()
    if table.num_rows != n_lines:
        return None
    return _raw_from_arrow(table, header, path.name, hashlib.sha256(raw).hexdigest(), sep == ";")


def read_placements_parquet(path: Path) -> tuple[RawTable | None, list[Problem]]:
    """``placements.parquet``: every column read as text, rows numbered as CSV lines."""
    raw = path.read_bytes()
    con = _connect()
    try:
        rel = f"read_parquet({_sql_text(path)})"
        names = [d[0] for d in con.execute(f"DESCRIBE SELECT * FROM {rel}").fetchall()]
        table = _text_table(con, rel, names)
    except Exception as err:  # noqa: BLE001 - DuckDB raises several types for broken files
        return None, [Problem(path.name, None, None, f"cannot read Parquet: {err}")]
    finally:
        con.close()
    if not names:
        return None, [Problem(path.name, None, None, "file is empty: expected columns")]
    out = _raw_from_arrow(table, names, path.name, hashlib.sha256(raw).hexdigest(), False)
    if out is None:
        return None, [Problem(path.name, None, None,
                              f"a field is larger than {MAX_FIELD // 1_000_000} MB; refusing to read it")]
    return out, []


def read_placements(folder: Path, csv_path: Path | None) -> tuple[bool, RawTable | None, list[Problem]]:
    """``(handled, table, problems)`` for the placements of ``folder``.

    ``placements.parquet`` is read when there is no ``placements.csv`` (both: an
    error); a CSV larger than :data:`DUCKDB_BYTES` in UTF-8 is read by DuckDB when it
    is plain. ``handled`` is false when the caller's CSV reader should read it.
    """
    from netsoc._decoding import decode_text
    from netsoc.io.raw import sniff_separator

    parquet = folder / "placements.parquet"
    if parquet.exists():
        if csv_path is not None:
            return True, None, [Problem("placements.parquet", None, None,
                                        "both placements.csv and placements.parquet are present; "
                                        "keep one")]
        return (True, *read_placements_parquet(parquet))
    if csv_path is None or csv_path.stat().st_size <= DUCKDB_BYTES:
        return False, None, []
    raw = csv_path.read_bytes()
    text, encoding, problems = decode_text(raw, csv_path.name)
    if text is None or encoding == "cp1252" or problems:
        return False, None, []
    end = text.find("\n")
    table = read_placements_csv(raw, csv_path, sniff_separator(text if end < 0 else text[:end]))
    return (table is not None), table, []
