"""Validating one file against its :mod:`netsoc.schema` spec: every problem at its line, rows kept or rejected with a reason."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from netsoc.io.raw import RawTable
from netsoc.io.vocabulary import TYPE_SYNONYMS, _fold, suggest, valid_org_nr
from netsoc.matching import ActorMatcher
from netsoc.schema import Column, FileSpec
from netsoc.study import Problem

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
