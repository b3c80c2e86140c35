"""Privacy: identity-number detection, pseudonymisation, small-cell protection
and output safety.

Placement and interview data are personal data, often sensitive (health,
social assistance). This module holds everything netsoc does to keep them from
leaking into published outputs:

* :func:`is_personnummer` and :func:`identity_number_problems` find Swedish
  personnummer and samordningsnummer (valid date and Luhn check digit) so that
  reading refuses them, naming file, line and column but never the number.
* :func:`pseudonymize_study` replaces ``person_key`` with keyed HMAC-SHA256 ids
  (``netsoc pseudonymize IN OUT --key-file K``).
* :func:`suppress_counts`, :func:`format_count` and :func:`aggregate_small_edges`
  show counts of people between 1 and ``min_cell - 1`` as ``<5`` (primary
  suppression) and hide further cells so that published totals cannot give a
  suppressed cell away (secondary suppression).
* :func:`safe_cell`, :func:`safe_frame` and :func:`safe_path` keep names from
  input files from becoming spreadsheet formulas or escaping the output folder.

What the package does and does not protect is written out in ``docs/privacy.md``.

References
----------
Skatteverket, *Personnummer* (SKV 704) – layout and check digit of personnummer
and samordningsnummer.
OWASP, *CSV Injection* – leading ``= + - @ TAB CR`` in spreadsheet cells.
Hundepool, A. et al. (2012), *Statistical Disclosure Control*, Wiley, ch. 4
(primary and secondary cell suppression in tables).
"""

from __future__ import annotations

import argparse
import calendar
import csv
import hashlib
import hmac
import io
import os
import re
import secrets
import shutil
import sys
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from netsoc._decoding import decode_text
from netsoc.schema import FILES_BY_STEM
from netsoc.study import Problem

if TYPE_CHECKING:  # networkx is imported by the stages that build graphs, not here
    import networkx as nx

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


# ---------------------------------------------------------------------------
# Identity numbers
# ---------------------------------------------------------------------------


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
    import pyarrow.compute as pc

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


# ---------------------------------------------------------------------------
# Pseudonymisation
# ---------------------------------------------------------------------------


class PrivacyError(ValueError):
    """A privacy operation was refused (e.g. key file inside the output folder)."""


def load_or_create_key(key_file: str | os.PathLike) -> tuple[bytes, bool]:
    """Read the HMAC key from ``key_file``; create it (0600, 256 random bits) if absent.

    Returns the key and whether it was created. The file holds the key as hex text.
    """
    path = Path(key_file)
    if path.exists():
        text = path.read_text(encoding="ascii", errors="strict").strip()
        try:
            key = bytes.fromhex(text)
        except ValueError as exc:
            raise PrivacyError(f"{path}: key file is not a hex key written by netsoc") from exc
        if len(key) < 16:
            raise PrivacyError(f"{path}: key is shorter than 128 bits")
        return key, False
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(32)
    # O_EXCL: never overwrite a key that appeared meanwhile; mode 0600 from creation.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key.hex() + "\n")
    return key, True


def pseudonym(person_key: str, key: bytes) -> str:
    """Keyed HMAC-SHA256 id of one person key: ``p`` + 20 hex digits (80 bits).

    A personnummer is first reduced to its 10-digit form, so ``19121212-1212``
    and ``1212121212`` give the same id. Without the key the id cannot be
    linked back, and ids from different keys cannot be linked to each other.

    Examples
    --------
    >>> k = bytes(32)
    >>> pseudonym("201701012393", k) == pseudonym("20170101-2393", k)
    True
    """
    s = str(person_key).strip()
    ten = _parse_identity_number(s)
    if ten is not None:
        s = ten
    digest = hmac.new(key, s.encode("utf-8"), hashlib.sha256).hexdigest()
    return "p" + digest[:20]


def _decode(raw: bytes, name: str) -> tuple[str, str]:
    """Text and codec of a file by netsoc's one rule; a warning is printed, an error raised."""
    text, encoding, problems = decode_text(raw, name)
    errors = [p for p in problems if p.severity == "error"]
    if text is None or errors:
        raise PrivacyError(str(errors[0]))
    for p in problems:
        print(p, file=sys.stderr)
    return text, encoding


def _pseudonymize_csv(src: Path, dst: Path, key: bytes) -> dict[str, int]:
    text, encoding = _decode(src.read_bytes(), src.name)
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    newline = "\r\n" if "\r\n" in text[: len(first) + 2] else "\n"
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    if not rows:
        raise PrivacyError(f"{src.name}: empty file")
    header = [h.strip().lstrip("\ufeff") for h in rows[0]]
    if "person_key" not in header:
        raise PrivacyError(f"{src.name}:1: person_key: column missing")
    k = header.index("person_key")
    ids, n_rows, n_pnr = set(), 0, 0
    for row in rows[1:]:
        if len(row) <= k or not row[k].strip():
            continue
        n_rows += 1
        ids.add(row[k].strip())
        n_pnr += _parse_identity_number(row[k].strip()) is not None
        row[k] = pseudonym(row[k], key)
    buf = io.StringIO(newline="")
    csv.writer(buf, delimiter=delimiter, lineterminator=newline).writerows(rows)
    dst.write_bytes(buf.getvalue().encode(encoding))
    return {"placements": n_rows, "person_keys": len(ids), "identity_numbers": n_pnr}


def _pseudonymize_xlsx(src: Path, dst: Path, key: bytes) -> dict[str, int]:
    import openpyxl

    wb = openpyxl.load_workbook(src)
    counts = {"placements": 0, "person_keys": 0, "identity_numbers": 0}
    if "placements" in wb.sheetnames:
        ws = wb["placements"]
        header = [c.value for c in next(ws.iter_rows(min_row=1, max_row=1))]
        names = [str(h).strip() if h is not None else "" for h in header]
        if "person_key" not in names:
            raise PrivacyError("placements:1: person_key: column missing")
        k = names.index("person_key") + 1
        ids = set()
        for r in range(2, ws.max_row + 1):
            cell = ws.cell(row=r, column=k)
            s = _as_text(cell.value)
            if s is None or not s.strip():
                continue
            counts["placements"] += 1
            ids.add(s.strip())
            counts["identity_numbers"] += _parse_identity_number(s.strip()) is not None
            cell.value = pseudonym(s, key)
        counts["person_keys"] = len(ids)
    wb.save(dst)
    return counts


def pseudonymize_study(
    in_dir: str | os.PathLike, out_dir: str | os.PathLike, key_file: str | os.PathLike
) -> dict:
    """Copy a study, replacing every ``person_key`` by its keyed HMAC-SHA256 id.

    Everything else is copied unchanged (other files byte for byte; in
    ``placements.csv`` the separator, encoding and line endings are kept). The
    key is read from ``key_file`` or, if absent, generated with :mod:`secrets`
    and written there with permissions 0600. The key file may not lie inside
    ``out_dir``: outputs are meant to be shared, the key is not.

    Parameters
    ----------
    in_dir : path
        Study folder (CSV files) or ``.xlsx`` workbook.
    out_dir : path
        New study folder; must not exist or be empty, and differ from ``in_dir``.
        For a workbook input the workbook is written into it under the same name.
    key_file : path
        The secret key. Keep it (same key = same ids in later deliveries) and keep it away
        from the data.

    Returns
    -------
    dict
        ``files`` (files written), ``placements`` (rows rewritten),
        ``person_keys`` (distinct keys), ``identity_numbers`` (keys that were
        personnummer/samordningsnummer), ``key_created`` (bool) and
        ``problems``: :class:`~netsoc.study.Problem` list for identity numbers
        left in other columns (the command prints them; nothing is changed there).

    Examples
    --------
    >>> counts = pseudonymize_study("raw_study", "shared_study", "secret/netsoc.key")  # doctest: +SKIP
    """
    src, dst, kpath = Path(in_dir), Path(out_dir), Path(key_file)
    if not src.exists():
        raise PrivacyError(f"{src}: no such study")
    if dst.exists() and (not dst.is_dir() or any(dst.iterdir())):
        raise PrivacyError(f"{dst}: output folder exists and is not empty")
    if dst.resolve() == src.resolve():
        raise PrivacyError("output folder must differ from the input")
    kres = kpath.resolve()
    if kres.is_relative_to(dst.resolve()):
        raise PrivacyError("the key file must not be written into the output folder")
    if src.is_dir() and kres.is_relative_to(src.resolve()):
        raise PrivacyError("the key file must not lie inside the study folder")
    key, created = load_or_create_key(kpath)
    dst.mkdir(parents=True, exist_ok=True)

    counts = {"files": 0, "placements": 0, "person_keys": 0, "identity_numbers": 0}
    problems: list[Problem] = []
    if src.is_file():
        if src.suffix.lower() != ".xlsx":
            raise PrivacyError(f"{src}: expected a study folder or an .xlsx workbook")
        counts.update(_pseudonymize_xlsx(src, dst / src.name, key))
        counts["files"] = 1
    else:
        for f in sorted(src.iterdir()):
            if not f.is_file():
                continue
            target = dst / f.name
            if f.name.lower() == "placements.csv":
                counts.update(_pseudonymize_csv(f, target, key))
            elif f.suffix.lower() == ".xlsx":
                counts.update(_pseudonymize_xlsx(f, target, key))
            else:
                shutil.copyfile(f, target)
            counts["files"] += 1
        problems = _remaining_identity_numbers(dst)
    counts["key_created"] = created
    counts["problems"] = problems
    return counts


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


def _remaining_identity_numbers(folder: Path) -> list[Problem]:
    out: list[Problem] = []
    for f in sorted(folder.glob("*.csv")):
        text, _, problems = decode_text(f.read_bytes(), f.name)
        if text is None:
            continue
        first = text.split("\n", 1)[0]
        sep = ";" if first.count(";") > first.count(",") else ","
        try:
            df = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False,
                             on_bad_lines="skip", engine="python")
        except (pd.errors.ParserError, pd.errors.EmptyDataError, csv.Error):
            continue
        cols = [c for c in _scan_columns(f.name, df) if c != "person_key"]
        out.extend(identity_number_problems(f.name, df, cols))
    return out


def add_pseudonymize_command(subparsers) -> argparse.ArgumentParser:
    """Add ``netsoc pseudonymize IN OUT --key-file K`` to an argparse subparsers object.

    The handler is set as ``func`` and returns the exit status.
    """
    p = subparsers.add_parser(
        "pseudonymize",
        help="replace person keys by keyed HMAC ids",
        description=(
            "Copy a study, replacing every person_key in placements by a keyed "
            "HMAC-SHA256 id. The key is generated if the key file does not exist; "
            "keep it secret and outside the study and output folders."
        ),
    )
    p.add_argument("in_study", metavar="IN_STUDY", help="study folder or .xlsx workbook")
    p.add_argument("out_study", metavar="OUT_STUDY", help="new study folder (must be empty)")
    p.add_argument("--key-file", required=True, metavar="K", help="secret key file")
    p.set_defaults(func=run_pseudonymize_command)
    return p


def run_pseudonymize_command(args: argparse.Namespace) -> int:
    """Handler of ``netsoc pseudonymize``; prints counts, returns the exit status."""
    try:
        counts = pseudonymize_study(args.in_study, args.out_study, args.key_file)
    except (PrivacyError, OSError) as exc:
        print(f"netsoc pseudonymize: error: {exc}", file=sys.stderr)
        return 1
    if counts["key_created"]:
        print(f"created key file {args.key_file} (keep it secret, keep it out of shared folders)")
    print(
        f"wrote {counts['files']} file(s) to {args.out_study}: "
        f"{counts['placements']} placement(s), {counts['person_keys']} distinct person key(s) "
        f"replaced, {counts['identity_numbers']} of them personal identity numbers"
    )
    for p in counts["problems"]:
        print(f"{p} (left unchanged: remove it by hand)", file=sys.stderr)
    return 0


# ---------------------------------------------------------------------------
# Small-cell protection
# ---------------------------------------------------------------------------


def format_count(n: object, min_cell: int = 5, label: str | None = None) -> str:
    """A count of people for display: ``1..min_cell-1`` become ``<min_cell``.

    Examples
    --------
    >>> format_count(3), format_count(0), format_count(12), format_count(None)
    ('<5', '0', '12', '')
    """
    if n is None or (not isinstance(n, str) and pd.isna(n)):
        return ""
    if isinstance(n, str):
        return n  # already suppressed or formatted
    v = float(n)
    if 0 < v < min_cell:
        return label if label is not None else f"<{min_cell}"
    return str(int(v)) if v.is_integer() else str(v)


def suppress_counts(
    df: pd.DataFrame,
    count_columns: Sequence[str],
    min_cell: int = 5,
    label: str | None = None,
    totals: str | None = "columns",
    groups: str | Sequence[str] | None = None,
    secondary_label: str = "..",
) -> tuple[pd.DataFrame, int]:
    """Suppress small counts of people in a table, with secondary suppression.

    The rule, applied to the cells ``df[count_columns]``:

    1. *Primary*: every count ``1 <= n < min_cell`` is shown as ``label``
       (default ``"<5"`` for ``min_cell=5``). Zeros stay visible.
    2. *Secondary*: a *line* is a set of cells whose sum is (or can be)
       published: with ``totals="columns"`` each count column (its sum over the
       rows, e.g. all placements), with ``"rows"`` each row (its sum over
       ``count_columns``), ``"both"`` both, ``None`` none; with ``groups`` also
       the cells of each group of rows in each column (e.g. hosts by
       ``kommun_kod`` when per-kommun sums are published elsewhere). A line
       with exactly one hidden cell would give it away (total minus the
       visible cells), so the smallest visible non-zero cell of that line is
       hidden too and shown as ``secondary_label`` (``".."``); ties go to the
       first row/column. This is repeated until every line has zero or at
       least two hidden cells. A line whose total is itself below
       ``min_cell`` needs nothing more (that total is published as ``<5``
       too, e.g. with :func:`format_count`). A line with no other non-zero cell has its
       zeros hidden instead; a line with no other cell at all cannot be
       protected inside the table and is counted in ``attrs["exposed_totals"]``
       (its total must not be published).

    Parameters
    ----------
    df : DataFrame
    count_columns : sequence of str
        Columns holding counts of people (non-negative integers or NA).
    min_cell : int
        Smallest count shown (``privacy.min_cell``; default 5).
    label : str, optional
        Text for primary suppressed cells; default ``f"<{min_cell}"``.
    totals : {"columns", "rows", "both", None}
        Which margins are (or can be) published.
    groups : str or sequence of str, optional
        Column(s) of ``df`` defining groups of rows whose per-column sums are published.
    secondary_label : str
        Text for cells hidden only to protect another cell.

    Returns
    -------
    (DataFrame, int)
        A copy with the count columns as object columns (ints, or the labels)
        and the number of hidden cells (primary + secondary). The copy's
        ``attrs["suppressed"]`` holds ``{"primary": p, "secondary": s}``.

    Examples
    --------
    >>> t = pd.DataFrame({"host": ["A", "B", "C"], "placements": [3, 12, 40]})
    >>> out, n = suppress_counts(t, ["placements"])
    >>> out["placements"].tolist(), n
    (['<5', '..', 40], 2)

    References
    ----------
    Hundepool, A. et al. (2012). *Statistical Disclosure Control*. Wiley, §4.2-4.3.
    """
    if min_cell < 1:
        raise ValueError("min_cell must be at least 1")
    if totals not in ("columns", "rows", "both", None):
        raise ValueError("totals must be 'columns', 'rows', 'both' or None")
    label = label if label is not None else f"<{min_cell}"
    cols = list(count_columns)
    out = df.copy()
    out.attrs["suppressed"] = {"primary": 0, "secondary": 0}
    out.attrs["exposed_totals"] = 0
    if not cols or not len(df):
        return out, 0
    values = df[cols].apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)
    present = ~np.isnan(values)
    v = np.where(present, values, 0.0)
    n_rows, n_cols = v.shape
    primary = present & (v > 0) & (v < min_cell)
    hidden = primary.copy()

    # Each line is (row indices, column indices) of the cells it sums. Groups
    # come first: protecting a cell inside its group usually protects it in
    # the column too, with fewer cells hidden.
    lines: list[tuple[np.ndarray, np.ndarray]] = []
    all_rows = np.arange(n_rows)
    if groups is not None:
        keys = [groups] if isinstance(groups, str) else list(groups)
        # group numbers in order of first appearance (as text, so 1 and "1" are one group)
        codes = np.zeros(n_rows, dtype=np.int64)
        for k in keys:
            part, uniques = pd.factorize(df[k].astype(str).to_numpy())
            codes, _ = pd.factorize(codes * len(uniques) + part)
        order = np.argsort(codes, kind="stable")
        for rows in np.split(order, np.cumsum(np.bincount(codes))[:-1]):
            if len(rows) < n_rows or totals is None:
                lines += [(rows, np.full(len(rows), j)) for j in range(n_cols)]
    if totals in ("columns", "both"):
        lines += [(all_rows, np.full(n_rows, j)) for j in range(n_cols)]
    if totals in ("rows", "both"):
        lines += [(np.full(n_cols, i), np.arange(n_cols)) for i in range(n_rows)]

    exposed: set[int] = set()
    for _ in range(v.size + 1):
        changed = False
        for k, (ri, ci) in enumerate(lines):
            h = hidden[ri, ci]
            if h.sum() != 1 or v[ri, ci][h].sum() == 0:
                continue
            if v[ri, ci].sum() < min_cell:
                # The total is itself a small count, published as "<5": nothing to subtract from.
                continue
            cand = np.flatnonzero(~h & (v[ri, ci] > 0))
            if len(cand):
                pick = cand[np.argmin(v[ri, ci][cand])]
                hidden[ri[pick], ci[pick]] = True
            else:
                zeros = np.flatnonzero(~h)
                if not len(zeros):
                    exposed.add(k)
                    continue
                hidden[ri[zeros], ci[zeros]] = True
            changed = True
        if not changed:
            break
    secondary = hidden & ~primary

    for j, c in enumerate(cols):
        shown = []
        for i in range(n_rows):
            if primary[i, j]:
                shown.append(label)
            elif secondary[i, j]:
                shown.append(secondary_label)
            elif not present[i, j]:
                shown.append(pd.NA)
            else:
                x = values[i, j]
                shown.append(int(x) if float(x).is_integer() else x)
        out[c] = pd.Series(shown, index=out.index, dtype=object)
    n_p, n_s = int(primary.sum()), int(secondary.sum())
    out.attrs["suppressed"] = {"primary": n_p, "secondary": n_s}
    out.attrs["exposed_totals"] = len(exposed)
    return out, n_p + n_s


#: Columns of the standard tables that count people, with the lines whose sums
#: are published: column totals (e.g. "placements" in the summary) and, for
#: hosts, per-kommun sums (``kommun.csv`` ``placements``).
PEOPLE_COUNTS: dict[str, dict] = {
    "actors": {
        "columns": ("placements_hosted", "placements_referred"),
        "totals": "columns",
        "groups": "kommun_kod",
    },
    "kommun": {"columns": ("placements",), "totals": "columns", "groups": "lan_kod"},
}


def people_count_spec(name: str, df: pd.DataFrame) -> dict | None:
    """Which columns of a published table count people, and which totals are published.

    A stage marks its own tables with ``df.attrs["people_counts"] = [...]``
    (optionally ``df.attrs["people_totals"]`` and ``df.attrs["people_groups"]``);
    the standard tables are listed in :data:`PEOPLE_COUNTS`.
    """
    if df.attrs.get("people_counts"):
        spec = {
            "columns": tuple(df.attrs["people_counts"]),
            "totals": df.attrs.get("people_totals", "columns"),
            "groups": df.attrs.get("people_groups"),
        }
    elif name in PEOPLE_COUNTS:
        spec = dict(PEOPLE_COUNTS[name])
    else:
        return None
    spec["columns"] = tuple(c for c in spec["columns"] if c in df.columns)
    g = spec.get("groups")
    if g is not None and (g if isinstance(g, list | tuple) else [g])[0] not in df.columns:
        spec["groups"] = None
    return spec if spec["columns"] else None


def publish_tables(
    tables: dict[str, pd.DataFrame], min_cell: int = 5, label: str | None = None
) -> tuple[dict[str, pd.DataFrame], dict[str, dict[str, int]]]:
    """Tables as they may be published: counts of people suppressed (see :func:`suppress_counts`).

    Returns the tables (unchanged ones are the same objects) and, per table
    with suppressed cells, ``{"primary": p, "secondary": s}``.
    """
    out, counts = {}, {}
    for name, df in tables.items():
        spec = people_count_spec(name, df)
        if spec is None:
            out[name] = df
            continue
        pub, n = suppress_counts(
            df, spec["columns"], min_cell=min_cell, label=label,
            totals=spec.get("totals", "columns"), groups=spec.get("groups"),
        )
        out[name] = pub
        if n:
            counts[name] = dict(pub.attrs["suppressed"])
    return out, counts


def aggregate_small_edges(
    G: nx.Graph,
    min_cell: int = 5,
    weight: str = "weight",
    other: str = "other_small_flows",
    count_attributes: Sequence[str] = ("placements_hosted", "placements_referred"),
) -> nx.Graph:
    """A copy of a placement-layer graph safe to export: no edge carries 1..min_cell-1 people.

    Directed graphs (``placement``: referrer -> host): each edge with a weight
    of 1..min_cell-1 is removed and the removed weights of one source are
    summed onto a single edge ``source -> other``. When that sum is itself
    below ``min_cell`` the edge keeps ``weight = 0`` and ``weight_label = "<5"``.
    Undirected graphs (``coplacement``): small edges are removed. Node
    attributes named in ``count_attributes`` are replaced by
    :func:`format_count` strings. ``G.graph["suppressed_edges"]`` counts the
    edges removed.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([("af", "h1", {"weight": 3}), ("af", "h2", {"weight": 9})])
    >>> H = aggregate_small_edges(G)
    >>> sorted(H.edges(data="weight"))
    [('af', 'h2', 9), ('af', 'other_small_flows', 0)]
    """
    H = G.copy()
    small = [
        (u, v, d.get(weight, 0))
        for u, v, d in G.edges(data=True)
        if 0 < (d.get(weight, 0) or 0) < min_cell
    ]
    H.remove_edges_from([(u, v) for u, v, _ in small])
    if G.is_directed() and small:
        sums: dict = {}
        for u, _v, w in small:
            sums[u] = sums.get(u, 0) + w
        H.add_node(other, name="other hosts (small flows)", type="other", kommun_kod="")
        for u, w in sums.items():
            if w >= min_cell:
                H.add_edge(u, other, **{weight: w, "weight_label": str(int(w))})
            else:
                H.add_edge(u, other, **{weight: 0, "weight_label": f"<{min_cell}"})
    for _n, d in H.nodes(data=True):
        for a in count_attributes:
            if a in d:
                d[a] = format_count(d[a], min_cell)
    H.graph["suppressed_edges"] = len(small)
    H.graph["min_cell"] = min_cell
    return H


# ---------------------------------------------------------------------------
# Output safety
# ---------------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """Neutralise a spreadsheet cell that a reader's Excel would run as a formula.

    Strings starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return
    (also after leading spaces) get a leading ``'``. Numbers, dates and NA are
    returned unchanged, so real negative numbers stay numbers.

    Examples
    --------
    >>> safe_cell('=HYPERLINK("http://x","y")')
    '\\'=HYPERLINK("http://x","y")'
    >>> safe_cell(-3), safe_cell("Coompanion")
    (-3, 'Coompanion')

    References
    ----------
    OWASP, *CSV Injection*.
    """
    if isinstance(value, str) and value.lstrip(" ").startswith(_FORMULA_START):
        return "'" + value
    return value


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` with :func:`safe_cell` applied to every text cell and label.

    Use on every table before writing CSV or Excel. Numeric columns are untouched.
    """
    out = df.copy()
    for c in out.columns:
        s = out[c]
        if pd.api.types.is_object_dtype(s) or pd.api.types.is_string_dtype(s):
            out[c] = s.map(safe_cell, na_action="ignore")
    out.columns = [safe_cell(c) for c in out.columns]
    if pd.api.types.is_object_dtype(out.index) or pd.api.types.is_string_dtype(out.index):
        out.index = out.index.map(lambda x: safe_cell(x) if isinstance(x, str) else x)
    return out


_RESERVED = frozenset(
    ["CON", "PRN", "AUX", "NUL"] + [f"COM{i}" for i in range(1, 10)]
    + [f"LPT{i}" for i in range(1, 10)]
)


def safe_filename(name: object, max_length: int = 100) -> str:
    """A single path component made from an input-derived name.

    Keeps letters (also å, ä, ö), digits, ``-``, ``_`` and ``.``; everything
    else (``/``, ``\\``, ``:``, control characters, spaces) becomes ``_``.
    Leading dots are removed (no ``..``, no hidden files); Windows device names
    are prefixed. Never empty.

    Examples
    --------
    >>> safe_filename("../../etc/passwd"), safe_filename("Östra Södertörn")
    ('_.._etc_passwd', 'Östra_Södertörn')
    """
    s = unicodedata.normalize("NFC", str(name))
    s = "".join(ch if (ch.isalnum() or ch in "-_.") else "_" for ch in s)
    s = s.lstrip(".")
    s = s[:max_length].rstrip(". ")
    if not s:
        s = "_"
    if s.split(".")[0].upper() in _RESERVED:
        s = "_" + s
    return s


def safe_path(out_dir: str | os.PathLike, *names: object) -> Path:
    """``out_dir / name / ...`` with every name made safe, guaranteed inside ``out_dir``.

    Each name goes through :func:`safe_filename`; the result is resolved
    (following symlinks already in ``out_dir``) and must lie inside ``out_dir``.

    Raises
    ------
    PrivacyError
        If the resolved path would lie outside ``out_dir``.

    Examples
    --------
    >>> safe_path("out", "graphs", "../../x.graphml").as_posix()
    'out/graphs/_.._x.graphml'
    """
    base = Path(out_dir)
    path = base.joinpath(*(safe_filename(n) for n in names))
    root = base.resolve()
    if not path.resolve().is_relative_to(root):
        raise PrivacyError(f"refusing to write outside the output folder: {path}")
    return path


_BARE_TAG = re.compile(r"</?\s*[A-Za-z][A-Za-z0-9]*\s*/?>")


_MARKUP_START = re.compile(r"<[A-Za-z!/?]")


def unescaped_markup(html: str, texts: Iterable[str]) -> list[str]:
    """Input-derived strings whose markup appears unescaped in ``html``.

    Each text (actor name, note, ...) is cut before every ``<``; each piece
    that starts with ``<`` (``<script>alert(1)``, ``<img src=x onerror=...>``)
    is looked for verbatim in the HTML, where escaped output
    (``&lt;script&gt;``) does not match. Bare tags without attributes or
    following text (``</script>``) are skipped because the report has its own;
    so give test names some text after the tag. A test helper:
    ``assert not unescaped_markup(report_html, names)``.

    Examples
    --------
    >>> unescaped_markup("<p>&lt;script&gt;x</p><script>ok</script>", ["<script>x</script>"])
    []
    >>> unescaped_markup("<p><script>x</script></p>", ["<script>x</script>"])
    ['<script>x</script>']
    >>> unescaped_markup("<p>&lt; 5</p>", ["<", "< 5"])
    []
    """
    bad = []
    for t in texts:
        if not isinstance(t, str):
            continue
        pieces = ["<" + p for p in t.split("<")[1:]]
        # only a '<' followed by a letter, '/', '!' or '?' can start markup;
        # a lone '<' (as in "<5") is text whatever the escaping
        frags = [p for p in pieces
                 if _MARKUP_START.match(p) and not _BARE_TAG.fullmatch(p.strip())]
        if any(f in html for f in frags):
            bad.append(t)
    return bad


__all__ = [
    "IDENTITY_MESSAGE",
    "PrivacyError",
    "add_pseudonymize_command",
    "aggregate_small_edges",
    "find_identity_numbers",
    "format_count",
    "identity_number_problems",
    "is_personnummer",
    "load_or_create_key",
    "luhn_check_digit",
    "pseudonym",
    "people_count_spec",
    "pseudonymize_study",
    "publish_tables",
    "run_pseudonymize_command",
    "redact_identity_numbers",
    "safe_cell",
    "safe_filename",
    "safe_frame",
    "safe_path",
    "suppress_counts",
    "unescaped_markup",
]


def write_csv(df: pd.DataFrame, path: Path) -> None:
    """Write a published table: UTF-8, ``\\n`` line ends, spreadsheet-safe text cells."""
    safe_frame(df).to_csv(path, index=False, lineterminator="\n")
