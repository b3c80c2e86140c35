"""Reading a study file's cells as text: CSV (exact reader and the pyarrow fast path) and .xlsx sheets."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io as _io
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from netsoc._decoding import decode_text
from netsoc.privacy import identity_candidates
from netsoc.schema import FILES_BY_STEM
from netsoc.study import Problem

#: Largest single field accepted (bytes); larger ones are refused, not read.
MAX_FIELD = 1_000_000

# --------------------------------------------------------------------------- raw reading


@dataclass
class RawTable:
    """A file's cells as text, before validation."""

    name: str  # file name as shown in messages (e.g. ``ties.csv`` or sheet ``ties``)
    header: list[str]
    rows: list[list[str]]
    lines: list[int]  # source line (or sheet row) of each row
    sha256: str | None = None
    decimal_comma: bool = False
    #: large files parsed by pyarrow: the cells as a DataFrame of text (``rows`` is empty)
    frame: pd.DataFrame | None = None
    #: with ``frame``: line -> field count of rows whose field count differs from the header
    ragged: dict[int, int] = field(default_factory=dict)
    #: with ``frame``: column -> rows that may hold an identity number (a superset found on
    #: the Arrow text, see :func:`netsoc.privacy.identity_candidates`); the others cannot
    candidates: dict[str, np.ndarray] = field(default_factory=dict)
    #: with ``frame``: column -> (codes, values) of columns of few distinct values:
    #: ``values[codes]`` are the cells (``values`` may repeat a value)
    factors: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)


def sniff_separator(first_line: str) -> str:
    """``;`` or ``,``: whichever the header line uses more often outside quotes."""
    outside = re.sub(r'"[^"]*"', "", first_line)
    return ";" if outside.count(";") > outside.count(",") else ","


def read_csv_text(raw: bytes, name: str) -> tuple[RawTable | None, list[Problem]]:
    """Parse CSV bytes into a :class:`RawTable`, reporting file-level problems."""
    sha = hashlib.sha256(raw).hexdigest()
    text, encoding, problems = decode_text(raw, name)
    if text is None:
        return None, problems
    if encoding == "cp1252":
        raw = text.encode("utf-8")  # the pyarrow path below reads UTF-8 only
    if not text.strip():
        return None, [*problems, Problem(name, None, None, "file is empty: expected a header row")]
    end = text.find("\n")
    sep = sniff_separator(text if end < 0 else text[:end])
    if len(raw) > FAST_PATH_BYTES:
        fast = _read_csv_arrow(raw, name, sep, sha)
        if fast is not None:
            return fast, problems
    csv.field_size_limit(MAX_FIELD)
    reader = csv.reader(_io.StringIO(text, newline=""), delimiter=sep)
    rows: list[list[str]] = []
    lines: list[int] = []
    header: list[str] | None = None
    start = 1
    try:
        for row in reader:
            if header is None:
                header = [h.strip() for h in row]
                start = reader.line_num + 1
                continue
            if not row or not "".join(row).strip():
                start = reader.line_num + 1
                continue
            rows.append(row)
            lines.append(start)
            start = reader.line_num + 1
    except csv.Error as err:
        msg = str(err)
        if "field larger" in msg:
            msg = f"a field is larger than {MAX_FIELD // 1_000_000} MB; refusing to read it"
        problems.append(Problem(name, start, None, f"cannot parse CSV: {msg}"))
        return None, problems
    assert header is not None
    return RawTable(name, header, rows, lines, sha, decimal_comma=(sep == ";")), problems


#: files larger than this are parsed with pyarrow when they are plain (no blank
#: lines, no line breaks inside fields, no ragged rows); otherwise, and for every
#: file with such problems, the exact line-by-line reader reports them.
FAST_PATH_BYTES = 5_000_000


def _read_csv_arrow(raw: bytes, name: str, sep: str, sha: str) -> RawTable | None:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    start = 3 if raw.startswith(b"\xef\xbb\xbf") else 0
    end = raw.find(b"\n", start)
    if end < 0:
        return None
    header = next(csv.reader([raw[start:end].decode("utf-8").rstrip("\r")], delimiter=sep))
    body = memoryview(raw)[end + 1 :]
    n_lines = raw.count(b"\n", end + 1) + (0 if raw.endswith(b"\n") or not len(body) else 1)
    names = [f"c{i}" for i in range(len(header))]

    def parse(threads: bool, handler=None):
        return pacsv.read_csv(
            pa.py_buffer(body),
            read_options=pacsv.ReadOptions(column_names=names, block_size=1 << 24,
                                           use_threads=threads),
            parse_options=pacsv.ParseOptions(delimiter=sep, newlines_in_values=False,
                                             ignore_empty_lines=False,
                                             invalid_row_handler=handler),
            convert_options=pacsv.ConvertOptions(
                column_types={c: pa.string() for c in names},
                strings_can_be_null=False, quoted_strings_can_be_null=False,
            ),
        )

    ragged: list[tuple[int, str]] = []  # (file line, text) of rows with the wrong field count
    try:
        table = parse(True)
    except (pa.ArrowInvalid, pa.ArrowException):
        # one bad row in a million should not cost the slow reader: parse again on
        # one thread, where pyarrow knows each skipped row's line number
        def keep_aside(row) -> str:
            if row.number is None or row.number < 1:
                raise ValueError("row number unknown")
            ragged.append((row.number + 1, row.text))
            return "skip"

        try:
            table = parse(False, keep_aside)
        except (pa.ArrowInvalid, pa.ArrowException, ValueError):
            return None  # the exact reader finds and reports the problem line
        if len(ragged) > 1000:
            return None
    if table.num_rows + len(ragged) != n_lines:
        return None
    import pyarrow.compute as pc

    for column in table.columns:
        longest = pc.max(pc.binary_length(column)).as_py()
        if longest is not None and longest > MAX_FIELD:
            return None  # the exact reader refuses it with the line

    columns = [_ArrowText(table.column(i)) for i in range(len(header))]
    # separate columns (no copy into one block): the validator takes them apart again
    frame = pd.DataFrame({f"c{i}": c.objects() for i, c in enumerate(columns)}, copy=False)
    factors = {f"c{i}": c.factor() for i, c in enumerate(columns) if c.codes is not None}
    if ragged:
        bad_lines = np.array([line for line, _ in ragged])
        lines = np.setdiff1d(np.arange(2, n_lines + 2), bad_lines)
        rows = [next(csv.reader([text], delimiter=sep)) for _, text in ragged]
        width = len(header)
        extra = pd.DataFrame([[c.strip() for c in (r + [""] * width)[:width]] for r in rows],
                             columns=names, dtype=object)
        frame = pd.concat([frame, extra], ignore_index=True)
        lines = np.concatenate([lines, bad_lines])
        order = np.argsort(lines, kind="stable")
        frame = frame.iloc[order].reset_index(drop=True)
        lines = lines[order]
        ragged_fields = {line: len(r) for (line, _), r in zip(ragged, rows, strict=True)}
        candidates, factors = {}, {}  # rare: these files are checked cell by cell
        blank = (frame == "").all(axis=1).to_numpy() if len(header) else np.zeros(0, bool)
    else:
        lines = np.arange(2, table.num_rows + 2)
        ragged_fields = {}
        candidates = _identity_candidates(columns)
        blank = np.ones(table.num_rows, dtype=bool) if len(header) else np.zeros(0, bool)
        for c in columns:
            blank &= c.empty()
    # the exact reader skips blank rows (also rows of bare separators, as Excel writes)
    if blank.any():
        frame = frame[~blank].reset_index(drop=True)
        lines = lines[~blank]
        candidates = {k: v[~blank] for k, v in candidates.items()}
        factors = {k: (codes[~blank], values) for k, (codes, values) in factors.items()}
    lines = lines.tolist()
    return RawTable(name, [h.strip() for h in header], [], lines, sha,
                    decimal_comma=(sep == ";"), frame=frame, ragged=ragged_fields,
                    candidates=candidates, factors=factors)


class _ArrowText:
    """One parsed text column; columns of few distinct values are handled per value.

    A million placements name a few thousand hosts, dates and programmes: those
    columns become one ``str`` object per distinct value (less memory, and pandas
    hashes each value once), and per-cell checks run on the distinct values only.
    """

    def __init__(self, column):
        import pyarrow.compute as pc

        self.codes = None
        self._objects = None
        sample = column.slice(0, 20_000)
        if len(sample) and pc.count_distinct(sample).as_py() <= len(sample) // 2:
            encoded = pc.dictionary_encode(column.combine_chunks())
            # trimming the distinct values may make two of them equal: harmless
            self.values = pc.utf8_trim_whitespace(encoded.dictionary)
            self.codes = encoded.indices.to_numpy(zero_copy_only=False)
        else:
            self.column = pc.utf8_trim_whitespace(column)

    def _per_row(self, per_value: np.ndarray) -> np.ndarray:
        return per_value if self.codes is None else per_value[self.codes]

    def factor(self) -> tuple[np.ndarray, np.ndarray]:
        """(codes, distinct values as ``str`` objects); only for encoded columns."""
        if self._objects is None:
            self._objects = self.values.to_numpy(zero_copy_only=False).astype(object)
        return self.codes, self._objects

    def objects(self) -> np.ndarray:
        """The cells as a numpy array of ``str``."""
        if self.codes is None:
            return self.column.to_numpy(zero_copy_only=False)
        return self._per_row(self.factor()[1])

    def empty(self) -> np.ndarray:
        import pyarrow.compute as pc

        values = self.column if self.codes is None else self.values
        return self._per_row(pc.equal(values, "").to_numpy(zero_copy_only=False))

    def map(self, function) -> np.ndarray:
        """``function`` (Arrow array -> bool array) applied per cell."""
        return self._per_row(function(self.column if self.codes is None else self.values))


def _identity_candidates(columns: list[_ArrowText]) -> dict[str, np.ndarray]:
    """``c<i>`` -> rows of that column that may hold an identity number."""
    return {f"c{i}": c.map(identity_candidates) for i, c in enumerate(columns)}


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def read_workbook(path: Path) -> tuple[dict[str, RawTable], list[Problem]]:
    """Read every sheet of a study workbook whose name is a study file stem."""
    from openpyxl import load_workbook

    raw = path.read_bytes()
    sha = hashlib.sha256(raw).hexdigest()
    try:
        wb = load_workbook(_io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many types for broken files
        return {}, [Problem(path.name, None, None, f"cannot open workbook: {err}")]
    tables: dict[str, RawTable] = {}
    problems: list[Problem] = []
    for ws in wb.worksheets:
        stem = ws.title.strip().lower()
        if stem not in FILES_BY_STEM:
            continue
        header = None
        rows, lines = [], []
        for i, values in enumerate(ws.iter_rows(values_only=True), start=1):
            cells = [_cell_text(v) for v in values]
            if header is None:
                if not any(c.strip() for c in cells):
                    continue
                header = [c.strip() for c in cells]
                while header and not header[-1]:
                    header.pop()
                continue
            cells = cells[: len(header)] + [""] * (len(header) - len(cells))
            if not any(c.strip() for c in cells):
                continue
            rows.append(cells)
            lines.append(i)
        if header is None:
            problems.append(Problem(ws.title, None, None, "sheet is empty: expected a header row"))
            continue
        tables[stem] = RawTable(ws.title, header, rows, lines, sha)
    wb.close()
    return tables, problems
