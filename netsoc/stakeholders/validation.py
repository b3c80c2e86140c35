"""Validation of ``stakeholders.csv`` and of the PARTNER columns of ``ties.csv``:
every problem as ``file:line: column: message``, all at once, with "did you mean"."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd

from netsoc.stakeholders.vocabulary import (
    _ATTRIBUTE_SYNONYMS,
    _RESOURCE_SYNONYMS,
    ITEM_RANGE,
    RESOURCES,
    STAKEHOLDER_ATTRIBUTES,
    STAKEHOLDERS,
    TRUST_ITEMS,
    VALUE_ITEMS,
    _fold,
    _header,
)
from netsoc.study import Problem

Suggest = Callable[..., "str | None"]


def _fallback_suggest(value: str, choices: Iterable[str],
                      extra: dict[str, str] | None = None) -> str | None:
    """Close match by ``difflib`` (the pipeline passes ``netsoc.io.suggest`` instead)."""
    choices = list(choices)
    folded = _fold(value)
    if extra and folded in extra:
        return extra[folded]
    hit = difflib.get_close_matches(folded, [_fold(c) for c in choices], n=1, cutoff=0.6)
    return choices[[_fold(c) for c in choices].index(hit[0])] if hit else None


def _cells(df: pd.DataFrame, name: str) -> list[str]:
    """Column ``name`` as stripped text, missing as ``""``."""
    if name not in df:
        return [""] * len(df)
    return ["" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v).strip()
            for v in df[name].tolist()]


def _integer(text: str) -> int | None:
    """``"3"``, ``"3.0"``, ``"−2"``, ``"+1"`` -> int; anything else ``None``."""
    t = text.replace("\u2212", "-").replace(",", ".").replace(" ", "")
    try:
        x = float(t)
    except ValueError:
        return None
    return int(x) if np.isfinite(x) and x == int(x) else None


def _lines(df: pd.DataFrame, lines: Iterable[int] | None) -> np.ndarray:
    if lines is not None:
        out = np.asarray(list(lines), dtype=int)
    elif "_line" in df:
        out = df["_line"].to_numpy(dtype=int)
    else:
        out = np.arange(2, len(df) + 2)
    if len(out) != len(df):
        raise ValueError(f"lines has {len(out)} entries for {len(df)} rows")
    return out


class _Rows:
    """Problems of one file, kept by row so that rows can carry a reason."""

    def __init__(self, filename: str, lines: np.ndarray):
        self.filename, self.lines = filename, lines
        self.problems: list[Problem] = []
        self.reasons: list[list[str]] = [[] for _ in lines]

    def add(self, row: int, column: str | None, message: str, severity: str = "error",
            reject: bool | None = None) -> None:
        self.problems.append(Problem(self.filename, int(self.lines[row]), column, message,
                                     severity))
        if severity == "error" if reject is None else reject:
            self.reasons[row].append(f"{column}: {message}" if column else message)

    def reason(self) -> pd.Series:
        return pd.Series(["; ".join(r) if r else pd.NA for r in self.reasons], dtype="string")



def _range_text(lo: int, hi: int) -> str:
    return f"{lo}..+{hi}" if lo < 0 else f"{lo}-{hi}"


def validate_ratings(
    ratings: pd.DataFrame,
    actor_ids: Iterable[str],
    *,
    filename: str = "stakeholders.csv",
    lines: Iterable[int] | None = None,
    suggest: Suggest | None = None,
    actor_message: Callable[[str], str] | None = None,
) -> tuple[pd.DataFrame, list[Problem]]:
    """Check and type ``stakeholders.csv``; every problem at its line, all at once.

    Parameters
    ----------
    ratings : DataFrame
        As read (text or numbers): ``actor_id, attribute, value`` required,
        ``rater_id, wave, note`` optional, other columns kept.
    actor_ids : iterable of str
        The ids of ``actors.csv``; ``actor_id`` and a non-empty ``rater_id``
        must be one of them.
    filename : str
        Shown in problems (a workbook's sheet name).
    lines : iterable of int, optional
        File line of each row. Default: the ``_line`` column if present, else
        2, 3, … (the header is line 1).
    suggest : callable, optional
        ``suggest(value, choices, extra) -> str | None`` for "did you mean"
        (the pipeline passes ``netsoc.io.suggest``); default a ``difflib`` match.
    actor_message : callable, optional
        ``actor_message(unknown_id) -> message`` (the pipeline passes the
        ``message`` of ``netsoc.io``'s actor matcher, which also matches names
        and aliases); default ``"unknown actor id 'x'; did you mean 'y'?"``
        from ``suggest`` over the ids.

    Returns
    -------
    ratings : DataFrame
        Every row, typed: ``actor_id, attribute`` (folded to its code),
        ``value`` (Int64), ``rater_id`` (NA = the analyst), ``wave`` (Int64,
        default 1), ``note``, extra columns, ``_line`` and ``reason``: NA for a
        usable row, else why the row is rejected. :func:`stakeholder_table` uses
        only rows without a reason; :func:`split_rejects` separates them.
    problems : list of Problem
        Errors (unknown attribute, value not a whole number or outside its
        range, unknown actor or rater, empty required value, conflicting
        duplicate, missing column at line 1) and warnings (an identical
        duplicate, which is rejected too; an actor rating itself, kept).

    Examples
    --------
    >>> r = pd.DataFrame({"actor_id": ["af", "af", "asf"],
    ...                   "attribute": ["influence", "intrest", "interest"],
    ...                   "value": ["5", "4", "7"]})
    >>> df, problems = validate_ratings(r, ["af", "asf"])
    >>> for p in problems:
    ...     print(p)
    stakeholders.csv:3: attribute: unknown attribute 'intrest'; did you mean 'interest'?
    stakeholders.csv:4: value: 7 is outside 1-5, the scale of interest
    >>> df["reason"].isna().tolist()
    [True, False, False]
    """
    sugg = suggest or _fallback_suggest
    ids = list(dict.fromkeys(str(a) for a in actor_ids))
    idset = set(ids)

    def unknown_actor(v: str) -> str:
        if actor_message is not None:
            return actor_message(v)
        guess = sugg(v, ids)
        return f"unknown actor id '{v}'" + (f"; did you mean '{guess}'?" if guess else "")

    df = _header(ratings.reset_index(drop=True), STAKEHOLDERS.names)
    rows = _Rows(filename, _lines(df, lines))
    n = len(df)
    missing = [c for c in STAKEHOLDERS.required_names if c not in df]
    for c in missing:
        other = [h for h in df.columns if isinstance(h, str) and h not in STAKEHOLDERS.names]
        guess = sugg(c, other) if other else None
        hint = f"; did you mean '{guess}'?" if guess else ""
        rows.problems.append(Problem(filename, 1, c, f"missing required column{hint}"))
    cells = {c: _cells(df, c) for c in STAKEHOLDERS.names}
    attrs: list[object] = [pd.NA] * n
    values: list[object] = [pd.NA] * n
    waves: list[object] = [pd.NA] * n
    for i in range(n) if not missing else ():
        a, v, rater, w = (cells[c][i] for c in ("attribute", "value", "rater_id", "wave"))
        actor = cells["actor_id"][i]
        if not actor:
            rows.add(i, "actor_id", "required value is empty")
        elif actor not in idset:
            rows.add(i, "actor_id", unknown_actor(actor))
        scale = None
        if not a:
            rows.add(i, "attribute", "required value is empty")
        elif _fold(a) in STAKEHOLDER_ATTRIBUTES:
            attrs[i] = _fold(a)
            scale = STAKEHOLDER_ATTRIBUTES[attrs[i]]
        else:
            guess = sugg(a, STAKEHOLDER_ATTRIBUTES, _ATTRIBUTE_SYNONYMS)
            hint = (f"; did you mean '{guess}'?" if guess else
                    f" (allowed: {', '.join(STAKEHOLDER_ATTRIBUTES)})")
            rows.add(i, "attribute", f"unknown attribute '{a}'{hint}")
        x = _integer(v) if v else None
        what = f", the scale of {attrs[i]}" if scale else ""
        if not v:
            rows.add(i, "value", "required value is empty")
        elif x is None:
            rng = f" ({attrs[i]} is rated {_range_text(*scale)})" if scale else ""
            rows.add(i, "value", f"'{v}' is not a whole number{rng}")
        elif scale and not scale[0] <= x <= scale[1]:
            rows.add(i, "value", f"{x} is outside {_range_text(*scale)}{what}")
        else:
            values[i] = x
        if rater and rater not in idset:
            rows.add(i, "rater_id", unknown_actor(rater))
        elif rater and rater == actor:
            rows.add(i, "rater_id", "an actor rating itself (kept; self-ratings tend to be "
                     "higher)", "warning")
        wv = _integer(w) if w else 1
        if wv is None:
            rows.add(i, "wave", f"'{w}' is not a whole number")
        else:
            waves[i] = wv
    if missing:
        for i in range(n):
            rows.reasons[i] += [f"{c}: missing required column" for c in missing]
    else:
        _duplicate_ratings(cells, attrs, values, waves, rows)
    rows.problems.sort(key=lambda p: (p.line or 0))
    out = df.drop(columns=[c for c in (*STAKEHOLDERS.names, "_line", "reason") if c in df])
    out.insert(0, "actor_id", pd.array([c or pd.NA for c in cells["actor_id"]], dtype="string"))
    out.insert(1, "attribute", pd.array(attrs, dtype="string"))
    out.insert(2, "value", pd.array(values, dtype="Int64"))
    out.insert(3, "rater_id", pd.array([c or pd.NA for c in cells["rater_id"]], dtype="string"))
    out.insert(4, "wave", pd.array(waves, dtype="Int64"))
    out.insert(5, "note", pd.array([c or pd.NA for c in cells["note"]], dtype="string"))
    out["_line"] = rows.lines
    out["reason"] = rows.reason()
    return out, rows.problems


def _duplicate_ratings(cells, attrs, values, waves, rows: _Rows) -> None:
    """A second rating of the same actor, attribute, rater and wave: reported at that line."""
    first: dict[tuple, int] = {}
    for i in range(len(attrs)):
        if rows.reasons[i]:
            continue
        key = (cells["actor_id"][i], attrs[i], cells["rater_id"][i], waves[i])
        if key not in first:
            first[key] = i
            continue
        j = first[key]
        who = f"'{key[2]}'" if key[2] else "the analyst"
        what = (f"duplicate rating of '{key[0]}' on {key[1]} by {who} in wave {key[3]} "
                f"(first at line {rows.lines[j]})")
        if values[i] == values[j]:
            rows.add(i, None, f"{what}, same value: this row is left out", "warning", reject=True)
        else:
            rows.add(i, None, f"{what} with another value ({values[j]} there, {values[i]} here)")


def validate_tie_ratings(
    ties: pd.DataFrame,
    *,
    filename: str = "ties.csv",
    lines: Iterable[int] | None = None,
    suggest: Suggest | None = None,
) -> tuple[pd.DataFrame, list[Problem]]:
    """Check and type the optional PARTNER columns of ``ties.csv``.

    The six items (:data:`TRUST_ITEMS`, :data:`VALUE_ITEMS`) are whole numbers
    1-4 or empty; ``resources`` is a ``;``-separated list from
    :data:`RESOURCES` (case, spaces and hyphens do not matter; a comma
    separates too). Headers are matched case-insensitively.

    Parameters
    ----------
    ties : DataFrame
        ``ties.csv`` as read or as in ``Study.ties``; other columns are kept
        as they are.
    filename, lines, suggest
        As in :func:`validate_ratings`.

    Returns
    -------
    ties : DataFrame
        When none of the seven columns is present, ``ties`` unchanged (a study
        without ratings runs as before). Otherwise a copy in which all seven
        are present: the items Int64, ``resources`` the codes joined by ``;``
        in :data:`RESOURCES` order (NA when empty), plus ``reason`` (NA for a
        usable row).
    problems : list of Problem

    Examples
    --------
    >>> t = pd.DataFrame({"respondent_id": ["a", "b"], "alter_id": ["b", "a"],
    ...                   "relation": ["information"] * 2,
    ...                   "trust_reliable": ["4", "5"], "resources": ["Data; fundng", ""]})
    >>> df, problems = validate_tie_ratings(t)
    >>> for p in problems:
    ...     print(p)
    ties.csv:2: resources: unknown resource 'fundng'; did you mean 'funding'?
    ties.csv:3: trust_reliable: 5 is outside 1-4
    """
    sugg = suggest or _fallback_suggest
    names = (*TRUST_ITEMS, *VALUE_ITEMS, "resources")
    df = _header(ties.reset_index(drop=True), names)
    if not any(c in df for c in names):
        return ties, []
    df = df.copy()
    rows = _Rows(filename, _lines(df, lines))
    lo, hi = ITEM_RANGE
    for c in (*TRUST_ITEMS, *VALUE_ITEMS):
        out: list[object] = []
        for i, v in enumerate(_cells(df, c)):
            x = _integer(v) if v else None
            if v and x is None:
                rows.add(i, c, f"'{v}' is not a whole number (PARTNER items are rated {lo}-{hi})")
            elif x is not None and not lo <= x <= hi:
                rows.add(i, c, f"{x} is outside {lo}-{hi}")
                x = None
            out.append(pd.NA if x is None else x)
        df[c] = pd.array(out, dtype="Int64")
    res: list[object] = []
    for i, v in enumerate(_cells(df, "resources")):
        found = set()
        for part in v.replace(",", ";").split(";"):
            if not part.strip():
                continue
            code = _fold(part)
            if code in RESOURCES:
                found.add(code)
                continue
            guess = sugg(part.strip(), RESOURCES, _RESOURCE_SYNONYMS)
            hint = f"; did you mean '{guess}'?" if guess else f" (allowed: {', '.join(RESOURCES)})"
            rows.add(i, "resources", f"unknown resource '{part.strip()}'{hint}")
        res.append(";".join(r for r in RESOURCES if r in found) or pd.NA)
    df["resources"] = pd.array(res, dtype="string")
    rows.problems.sort(key=lambda p: (p.line or 0))
    df["reason"] = rows.reason()
    return df, rows.problems


def split_rejects(validated: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(kept, rejects)`` of a frame from :func:`validate_ratings` / :func:`validate_tie_ratings`.

    ``kept`` drops the ``reason`` column; ``rejects`` keeps it and names the
    line column ``line``, as ``rejects/<file>.csv`` does.

    Examples
    --------
    >>> df, _ = validate_ratings(pd.DataFrame({"actor_id": ["a", "x"], "attribute": ["power"] * 2,
    ...                                        "value": [2, 2]}), ["a"])
    >>> kept, rejects = split_rejects(df)
    >>> len(kept), rejects[["line", "reason"]].values.tolist()
    (1, [[3, "actor_id: unknown actor id 'x'"]])
    """
    if "reason" not in validated:
        return validated, validated.iloc[:0]
    bad = validated["reason"].notna().to_numpy()
    kept = validated[~bad].drop(columns="reason").reset_index(drop=True)
    rejects = validated[bad].rename(columns={"_line": "line"}).reset_index(drop=True)
    return kept, rejects

