"""Import name-generator surveys: free-text alter names -> ties between actor ids.

A survey tool exports one row per respondent (``format="wide"``)::

    respondent, alter_1, alter_2, ..., strength_1, strength_2, ..., relation

(``long`` format: one row per named alter with ``respondent, alter[, strength,
relation]``). :func:`import_survey` matches every name to an actor id, in this
order: exact id, then name or alias (``;``-separated ``aliases`` column),
ignoring case, diacritics and punctuation ("Arbetsförmedlingen" =
"ARBETSFORMEDLINGEN"), then fuzzy matching (rapidfuzz ``token_set_ratio`` on the
folded text, at least ``threshold``, so "Botkyrka" finds "Botkyrka kommun"; a near
tie between two actors - "kommunen" against every kommun - is refused as
ambiguous). Fuzzy matches are marked in the tie's ``note`` for review. Every name that is not matched is returned in the second table with
the best suggestion and its score - nothing is dropped silently.
"""

from __future__ import annotations

import argparse
import re
import sys
from io import StringIO
from pathlib import Path

import pandas as pd

from netsoc._decoding import decode_text
from netsoc.indicators.client import _atomic_write_bytes
from netsoc.matching import ActorMatcher, Match, fold  # noqa: F401 - public here too
from netsoc.schema import TIE_RELATIONS, TIES

UNMATCHED_COLUMNS = [
    "respondent",
    "line",
    "column",
    "text",
    "suggestion",
    "suggestion_name",
    "score",
    "reason",
]


class SurveyError(Exception):
    """The survey file cannot be imported; ``str(err)`` is a one-line message."""


def _read_table(path: Path) -> tuple[pd.DataFrame, int]:
    """The export as text cells, and the file line of its first data row."""
    if not path.exists():
        raise SurveyError(f"{path}: no such file")
    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            df = pd.read_excel(path, sheet_name=0, dtype=str, keep_default_na=False)
        else:
            text, _, problems = decode_text(path.read_bytes(), path.name)
            errors = [p for p in problems if p.severity == "error"]
            if text is None or errors:
                raise SurveyError(str(errors[0]))
            for p in problems:
                print(p, file=sys.stderr)
            from netsoc.io import sniff_separator

            sep = sniff_separator(text.split("\n", 1)[0])
            df = pd.read_csv(StringIO(text), sep=sep, dtype=str, keep_default_na=False)
    except (ValueError, pd.errors.ParserError, OSError) as err:
        raise SurveyError(f"{path.name}: cannot read the file ({err})") from None
    df.columns = [str(c).strip() for c in df.columns]
    return df.fillna(""), 2


def _respondent_column(df: pd.DataFrame, given: str | None) -> str:
    if given:
        if given not in df.columns:
            raise SurveyError(f"no column {given!r}; columns are {', '.join(df.columns)}")
        return given
    for c in ("respondent_id", "respondent", "organisation", "organization", "ego"):
        for col in df.columns:
            if col.lower() == c:
                return col
    raise SurveyError(
        "no respondent column (respondent_id, respondent, organisation or ego); "
        "name it with respondent_column="
    )


def _relation(text: str, default: str) -> tuple[str, str | None]:
    """(relation, problem or None)."""
    if not text.strip():
        return default, None
    f = fold(text).replace(" ", "_")
    if f in TIE_RELATIONS:
        return f, None
    return default, f"relation '{text}' is not one of {', '.join(TIE_RELATIONS)}; used {default}"


def _strength(text: str) -> tuple[int, str | None]:
    t = text.strip().replace(",", ".")
    if not t:
        return 1, None
    try:
        v = float(t)
    except ValueError:
        v = float("nan")
    if v in (1.0, 2.0, 3.0, 4.0):
        return int(v), None
    return 1, f"strength '{text}' is not 1-4; used 1"


def import_survey(
    path: str | Path | pd.DataFrame,
    actors: pd.DataFrame,
    format: str = "wide",
    *,
    respondent_column: str | None = None,
    relation: str = "collaboration",
    wave: int = 1,
    threshold: float = 85.0,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Turn a name-generator export into ties and a list of unmatched names.

    Parameters
    ----------
    path : path or DataFrame
        CSV (``,`` or ``;``, UTF-8 or cp1252) or ``.xlsx`` (first sheet), or a DataFrame.
    actors : DataFrame
        The study's actors (``actor_id, name, aliases``).
    format : {"wide", "long"}
        ``wide``: one row per respondent with ``alter_1..alter_k`` and optional
        ``strength_1..strength_k``, ``relation_1..relation_k``; ``long``: one row
        per tie with ``alter`` and optional ``strength``.
    respondent_column : str, optional
        Default: the first of ``respondent_id, respondent, organisation, ego``.
    relation : str
        Relation when the export has no ``relation`` column.
    wave : int
        Survey wave when the export has no ``wave`` column.
    threshold : float
        Minimum fuzzy score (0-100, rapidfuzz ``token_set_ratio``).

    Returns
    -------
    ties : DataFrame
        ``ties.csv`` columns; ``note`` says how fuzzy matches were made.
    unmatched : DataFrame
        ``respondent, line, column, text, suggestion, suggestion_name, score,
        reason``: every name not turned into a tie, and every value replaced by
        a default.

    Examples
    --------
    >>> ties, unmatched = import_survey("enkat.csv", study.actors)  # doctest: +SKIP
    """
    if format not in ("wide", "long"):
        raise SurveyError(f"format must be 'wide' or 'long', not {format!r}")
    if relation not in TIE_RELATIONS:
        raise SurveyError(f"relation must be one of {', '.join(TIE_RELATIONS)}")
    if isinstance(path, pd.DataFrame):
        df, first_line = path.astype(str).fillna(""), 2
        df = df.replace({"nan": "", "<NA>": "", "None": ""})
    else:
        df, first_line = _read_table(Path(path))
    rcol = _respondent_column(df, respondent_column)
    try:
        matcher = ActorMatcher(actors, threshold=threshold)
    except ValueError as err:
        raise SurveyError(str(err)) from None

    if format == "wide":
        alter_cols = sorted(
            (c for c in df.columns if re.fullmatch(r"(?i)alter_?(\d+)", c)),
            key=lambda c: int(re.search(r"\d+", c).group()),
        )
        if not alter_cols:
            raise SurveyError("no alter_1, alter_2, ... columns in the export")
    elif "alter" not in df.columns:
        raise SurveyError("long format needs an 'alter' column")

    ties, unmatched = [], []

    def miss(resp, line, column, text, m: Match | None, reason):
        sug = m.suggestion if m else None
        unmatched.append((resp, line, column, text, sug, matcher.names.get(sug) if sug else None,
                          round(m.score, 1) if m and sug else None, reason))

    for pos, row in enumerate(df.to_dict("records")):
        line = first_line + pos
        resp_text = str(row[rcol]).strip()
        if format == "wide":
            items = []
            for c in alter_cols:
                k = re.search(r"\d+", c).group()
                items.append((c, row[c], row.get(f"strength_{k}", ""), row.get(f"relation_{k}")))
        else:
            items = [("alter", row["alter"], row.get("strength", ""), None)]
        items = [(c, str(a).strip(), str(s), r) for c, a, s, r in items if str(a).strip()]
        if not resp_text:
            for c, a, _, _ in items:
                miss("", line, c, a, None, "no respondent on this row")
            continue
        rm = matcher.match(resp_text)
        if rm.actor_id is None:
            why = "ambiguous" if rm.method == "ambiguous" else "not matched"
            miss(resp_text, line, rcol, resp_text, rm, f"respondent {why}")
            for c, a, _, _ in items:
                miss(resp_text, line, c, a, None, "respondent not matched; tie not imported")
            continue
        rel_row, problem = _relation(str(row.get("relation", "")), relation)
        if problem:
            miss(resp_text, line, "relation", str(row.get("relation", "")), None, problem)
        try:
            wave_row = int(str(row.get("wave", "")).strip() or wave)
        except ValueError:
            wave_row = wave
            miss(resp_text, line, "wave", str(row.get("wave")), None,
                 f"wave '{row.get('wave')}' is not a whole number; used {wave}")
        for c, a, s, r in items:
            m = matcher.match(a)
            if m.actor_id is None:
                reason = (
                    "ambiguous: several actors match equally well"
                    if m.method == "ambiguous"
                    else "no actor matches" + (f" (best score {m.score:.0f})" if m.suggestion else "")
                )
                miss(resp_text, line, c, a, m, reason)
                continue
            if m.actor_id == rm.actor_id:
                miss(resp_text, line, c, a, m, "names the respondent itself")
                continue
            strength, sp = _strength(s)
            if sp:
                miss(resp_text, line, c.replace("alter", "strength"), s, None, sp)
            rel = rel_row
            if r is not None and str(r).strip():
                rel, rp = _relation(str(r), rel_row)
                if rp:
                    miss(resp_text, line, c.replace("alter", "relation"), str(r), None, rp)
            note = ""
            if m.method == "fuzzy":
                note = f"survey text '{a}' matched to {m.actor_id} (score {m.score:.0f})"
            ties.append((rm.actor_id, m.actor_id, rel, strength, wave_row, "", "", note))
    ties_df = pd.DataFrame(ties, columns=TIES.names)
    ties_df["strength"] = ties_df["strength"].astype("int64")
    ties_df["wave"] = ties_df["wave"].astype("int64")
    um = pd.DataFrame(unmatched, columns=UNMATCHED_COLUMNS)
    um["line"] = um["line"].astype("int64")
    return ties_df, um


# --------------------------------------------------------------------------- CLI


def _load_actors(path: str) -> pd.DataFrame:
    p = Path(path)
    if p.is_file() and p.suffix.lower() == ".csv":
        text, _, problems = decode_text(p.read_bytes(), p.name)
        errors = [q for q in problems if q.severity == "error"]
        if text is None or errors:
            raise SurveyError(str(errors[0]))
        for q in problems:
            print(q, file=sys.stderr)
        try:
            df = pd.read_csv(StringIO(text), dtype=str, keep_default_na=False, sep=None,
                             engine="python")
        except (ValueError, pd.errors.ParserError) as err:
            raise SurveyError(f"{p.name}: cannot read actors ({err})") from None
        return df
    from netsoc.io import StudyError, load_study

    try:
        return load_study(p).actors
    except StudyError as err:
        raise SurveyError(f"{path}: the study has errors; run 'netsoc validate {path}' "
                          f"({len(err.problems)} problem(s))") from None


def add_commands(subparsers) -> None:
    """Add ``import-survey`` to an argparse subparsers object."""
    p = subparsers.add_parser(
        "import-survey",
        help="turn a name-generator survey export into ties.csv (with fuzzy name matching)",
        description="Match the free-text alter names of a survey export to actor ids "
        "(id, name, aliases, then fuzzy) and write ties.csv plus a list of unmatched names.",
    )
    p.add_argument("file", help="survey export (.csv or .xlsx)")
    p.add_argument("--actors", required=True,
                   help="actors.csv, or a study folder/workbook whose actors are used")
    p.add_argument("--format", choices=["wide", "long"], default="wide")
    p.add_argument("--out", default="ties.csv", help="ties file to write (default ties.csv)")
    p.add_argument("--unmatched", default=None,
                   help="unmatched names file (default: <out stem>_unmatched.csv)")
    p.add_argument("--respondent-column", default=None)
    p.add_argument("--relation", default="collaboration", choices=TIE_RELATIONS)
    p.add_argument("--wave", type=int, default=1)
    p.add_argument("--threshold", type=float, default=85.0, help="fuzzy score 0-100 (default 85)")
    p.set_defaults(func=cmd_import_survey)


def cmd_import_survey(args: argparse.Namespace) -> int:
    out = Path(args.out)
    um_path = Path(args.unmatched) if args.unmatched else out.with_name(f"{out.stem}_unmatched.csv")
    try:
        actors = _load_actors(args.actors)
        ties, unmatched = import_survey(
            args.file, actors, args.format, respondent_column=args.respondent_column,
            relation=args.relation, wave=args.wave, threshold=args.threshold,
        )
        _atomic_write_bytes(out, ties.to_csv(index=False, lineterminator="\n").encode())
        _atomic_write_bytes(um_path, unmatched.to_csv(index=False, lineterminator="\n").encode())
    except SurveyError as err:
        print(f"netsoc import-survey: error: {err}", file=sys.stderr)
        return 1
    except OSError as err:
        print(f"netsoc import-survey: error: {err}", file=sys.stderr)
        return 1
    n_fuzzy = int((ties["note"] != "").sum())
    print(f"wrote {len(ties)} ties to {out} ({n_fuzzy} by fuzzy match: check their note); "
          f"{len(unmatched)} name(s) or value(s) to review in {um_path}")
    return 0
