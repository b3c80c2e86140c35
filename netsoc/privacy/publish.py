"""Output safety: names from input files kept from becoming spreadsheet formulas, from
escaping the output folder, or from appearing as unescaped markup; published tables written
spreadsheet-safe (:func:`write_csv`).

References
----------
OWASP, *CSV Injection* – leading ``= + - @ TAB CR`` in spreadsheet cells.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from netsoc.privacy.errors import PrivacyError

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


def write_csv(df: pd.DataFrame, path: Path) -> None:
    """Write a published table: UTF-8, ``\\n`` line ends, spreadsheet-safe text cells."""
    safe_frame(df).to_csv(path, index=False, lineterminator="\n")
