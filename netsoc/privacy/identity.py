"""Swedish personal identity numbers: personnummer and samordningsnummer found in any cell
(valid date and Luhn check digit), reported without the number, and redacted.

References
----------
Skatteverket, *Personnummer* (SKV 704) – layout and check digit of personnummer
and samordningsnummer.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from netsoc.schema import FILES_BY_STEM
from netsoc.study import Problem

IDENTITY_MESSAGE = "looks like a personal identity number"

# Candidate personnummer inside arbitrary text: 6 or 8 date digits, an optional
# separator, 4 digits, and no digit directly before or after (so longer digit
# runs such as bank account numbers are not cut into candidates).
_CANDIDATE = re.compile(r"(?<!\d)(?:\d{2})?\d{6}[-+]?\d{4}(?!\d)")
_EXACT = re.compile(r"^(\d{2})?(\d{2})(\d{2})(\d{2})([-+]?)(\d{3})(\d)$")

# The only column kind never scanned: an enskild firma's organisationsnummer *is*
# its owner's personnummer, and it is a published business identifier
# (see docs/privacy.md). Everything else is scanned, ids and vocabulary columns
# included, because their own validation would echo a bad value in its message.
_NOT_SCANNED_KINDS = frozenset({"org_nr"})


def luhn_check_digit(digits: str) -> int:
    """Check digit of ``digits`` by the Luhn (modulus 10) rule used by Skatteverket.

    Weights 2, 1, 2, 1, ... from the left; the digits of each product are summed.

    Examples
    --------
    >>> luhn_check_digit("811218987")
    6
    """
    total = 0
    for i, ch in enumerate(digits):
        p = int(ch) * (2 if i % 2 == 0 else 1)
        total += p // 10 + p % 10
    return (10 - total % 10) % 10


def _valid_date(centuries: Iterable[int], yy: int, month: int, day: int) -> bool:
    if not 1 <= month <= 12 or day < 1:
        return False
    return any(day <= calendar.monthrange(c * 100 + yy, month)[1] for c in centuries)


def _parse_identity_number(text: str) -> str | None:
    """The 10-digit form ``YYMMDDNNNC`` of a valid personnummer/samordningsnummer, else None."""
    m = _EXACT.match(text)
    if m is None:
        return None
    century, yy, mm, dd, sep, serial, check = m.groups()
    if century is not None and sep == "+":
        # "+" marks a person aged 100 or more; it only goes with the 10-digit form.
        return None
    day = int(dd)
    if day > 60:  # samordningsnummer: birth day + 60
        day -= 60
    if century is not None:
        cands: tuple[int, ...] = (int(century),)
        if not 18 <= cands[0] <= 20:
            return None
    else:
        # Without century the date is valid when it is valid in some century the
        # number could belong to (29 February only exists in leap years).
        cands = (18, 19) if sep == "+" else (19, 20)
    if not _valid_date(cands, int(yy), int(mm), day):
        return None
    ten = yy + mm + dd + serial
    if luhn_check_digit(ten) != int(check):
        return None
    return ten + check


def is_personnummer(text: object) -> bool:
    """Whether ``text`` is a valid Swedish personnummer or samordningsnummer.

    Accepted forms: 10 or 12 digits (with or without century), with ``-``,
    ``+`` (100 years or older, 10-digit form only) or no separator; surrounding
    whitespace is ignored. The date must exist (samordningsnummer add 60 to the
    day) and the last digit must be the Luhn check digit of the nine before it.

    Parameters
    ----------
    text : str or int
        The value to test. Integers are read as their decimal digits.

    Returns
    -------
    bool

    Examples
    --------
    >>> is_personnummer("20170101-2393")  # Skatteverket test number
    True
    >>> is_personnummer("201701012394")   # wrong check digit
    False
    >>> is_personnummer("701063-2391")    # samordningsnummer (day 03 + 60)
    True

    References
    ----------
    Skatteverket, *Personnummer* (SKV 704); Skatteverket's published lists of
    test personnummer and test samordningsnummer (dataportal.se, CC0).
    """
    s = _as_text(text)
    return s is not None and _parse_identity_number(s.strip()) is not None


def find_identity_numbers(text: object) -> list[str]:
    """All valid personnummer/samordningsnummer inside free text (10-digit form).

    For internal use and tests; never print what it returns.
    """
    s = _as_text(text)
    if not s:
        return []
    out = []
    for m in _CANDIDATE.finditer(s):
        ten = _parse_identity_number(m.group(0))
        if ten is not None:
            out.append(ten)
    return out


def _as_text(value: object) -> str | None:
    if value is None or value is pd.NA:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool | np.bool_):
        return None
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, float | np.floating):
        if np.isfinite(value) and float(value).is_integer():
            return str(int(value))
        return None
    return str(value)


def _scan_columns(stem: str, df: pd.DataFrame) -> list[str]:
    """Every column of a table except bookkeeping (``_line``) and ``org_nr``."""
    spec = FILES_BY_STEM.get(_stem_of(stem).lower())
    kinds = {c.name: c.kind for c in spec.columns} if spec is not None else {}
    return [
        name
        for name in df.columns
        if isinstance(name, str)
        and not name.startswith("_")
        and kinds.get(name) not in _NOT_SCANNED_KINDS
    ]


def _stem_of(label: str) -> str:
    name = Path(str(label)).name
    for suffix in (".csv", ".txt", ".tsv"):
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return name


def _lines(df: pd.DataFrame) -> np.ndarray:
    if "_line" in df.columns:
        return df["_line"].to_numpy()
    if pd.api.types.is_integer_dtype(df.index):
        return df.index.to_numpy() + 2
    return np.arange(len(df)) + 2


#: Arrow (RE2) form of the digits of :data:`_CANDIDATE` for ASCII text, without the
#: look-arounds RE2 lacks: it matches wherever ``_CANDIDATE`` does, and more.
_CANDIDATE_ASCII = r"[0-9]{6}[-+]?[0-9]{4}"


def identity_candidates(values) -> np.ndarray:
    """Rows of an Arrow text array that may hold an identity number (a cheap superset).

    Every cell that :func:`find_identity_numbers` would find something in is
    marked: ASCII cells with a run of six digits, an optional ``-``/``+`` and four
    digits, and every non-ASCII cell (Python's ``\\d`` also matches other
    scripts' digits). Used to scan only those cells of a million-row file.

    Parameters
    ----------
    values : pyarrow.Array or pyarrow.ChunkedArray
        Text (``string``) values; nulls are never marked.

    Returns
    -------
    numpy.ndarray of bool

    Examples
    --------
    >>> import pyarrow as pa
    >>> identity_candidates(pa.array(["a", "ring 20170101-2393", "1234567890", "Å"])).tolist()
    [False, True, True, True]
    """
    import pyarrow.compute as pc  # heavy; only readers that hold Arrow text call this

    maybe = pc.or_(pc.match_substring_regex(values, _CANDIDATE_ASCII),
                   pc.invert(pc.string_is_ascii(values)))
    return pc.fill_null(maybe, False).to_numpy(zero_copy_only=False)


def identity_number_problems(
    stem: str, df: pd.DataFrame, columns: Sequence[str] | None = None,
    candidates: Mapping[str, np.ndarray] | None = None,
) -> list[Problem]:
    """Problems for every cell that holds a personnummer or samordningsnummer.

    Scans ``person_key`` and every other column (free text such as ``note``,
    ``name`` and extra columns, but also ids and vocabulary columns, whose own
    validation messages would otherwise echo the number) except ``org_nr``.
    Numbers are found anywhere inside a cell (``"ring 20170101-2393"``); a cell
    is reported once. Callers must not echo the value of a reported cell in any
    other message.

    Parameters
    ----------
    stem : str
        File label used in the problems, e.g. ``"placements.csv"`` or, for a
        workbook, the sheet name ``"placements"``. Its stem selects the schema.
    df : DataFrame
        The table as read (strings). A ``_line`` column gives each row's line;
        without it the line is ``index + 2`` (header on line 1).
    columns : sequence of str, optional
        Columns to scan instead of the default selection.
    candidates : mapping, optional
        Column -> boolean array of the rows that may hold a number (a superset,
        e.g. from :func:`identity_candidates` on the text as read); only those
        rows of such a column are scanned. Other columns are scanned in full.

    Returns
    -------
    list of Problem
        ``Problem(stem, line, column, "looks like a personal identity number")``,
        in row order then column order. The number itself is never included.

    Examples
    --------
    >>> df = pd.DataFrame({"placement_id": ["a"], "person_key": ["201701012393"]})
    >>> [str(p) for p in identity_number_problems("placements.csv", df)]
    ['placements.csv:2: person_key: looks like a personal identity number']
    """
    if df is None or not len(df):
        return []
    cols = list(columns) if columns is not None else _scan_columns(stem, df)
    lines = _lines(df)
    candidates = candidates or {}
    found: list[tuple[int, int, str]] = []
    for j, col in enumerate(cols):
        if col not in df.columns:
            continue
        s = df[col]
        if not (pd.api.types.is_object_dtype(s) or pd.api.types.is_string_dtype(s)
                or pd.api.types.is_integer_dtype(s) or pd.api.types.is_float_dtype(s)):
            continue
        rows = np.flatnonzero(candidates[col]) if col in candidates else None
        found += [(i, j, col) for i in _identity_rows(s, rows)]
    found.sort()
    out = []
    for i, _j, col in found:
        line = lines[i]
        line = None if pd.isna(line) else int(line)
        out.append(Problem(stem, line, col, IDENTITY_MESSAGE))
    return out


def _identity_rows(s: pd.Series, rows: np.ndarray | None = None) -> np.ndarray:
    """Positions of the cells of ``s`` (only ``rows`` of it, if given) holding a number."""
    if rows is not None:
        s = s.iloc[rows]
    # astype("string") writes ints as digits and floats as "digits.0"; the
    # candidate pattern finds the number in both.
    text = s.astype("string")
    # each distinct value is checked once: a million rows hold a few thousand
    codes, uniques = pd.factorize(text)
    hit = np.zeros(len(uniques) + 1, dtype=bool)  # the last one: NA (code -1)
    for k, value in enumerate(uniques):
        if _CANDIDATE.search(value) and find_identity_numbers(value):
            hit[k] = True
    pos = np.flatnonzero(hit[codes])
    return pos if rows is None else rows[pos]


def redact_identity_numbers(df: pd.DataFrame, replacement: str = "<removed>") -> pd.DataFrame:
    """A copy of ``df`` with every cell holding a personnummer/samordningsnummer replaced.

    For files that must keep rejected rows (``rejects/*.csv``) without the number.
    """
    out = df.copy()
    for c in out.columns:
        s = out[c]
        if not (pd.api.types.is_object_dtype(s) or pd.api.types.is_string_dtype(s)):
            continue
        text = s.astype("string")
        hits = text.str.contains(_CANDIDATE, na=False).to_numpy()
        rows = [i for i in np.flatnonzero(hits) if find_identity_numbers(text.iat[i])]
        if rows:
            col = out[c].astype(object).copy()
            col.iloc[rows] = replacement
            out[c] = col
    return out

