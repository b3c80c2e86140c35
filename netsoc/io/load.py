"""Loading a whole study: locating it, reading every file, validating, rejects."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import numpy as np
import pandas as pd

from netsoc.io.duck import read_placements as _read_placements
from netsoc.io.raw import RawTable, read_csv_text, read_workbook
from netsoc.io.settings import read_settings
from netsoc.io.validate import _ActorMatcher, _duplicates, _typed, _validate_file
from netsoc.io.vocabulary import kommun_codes
from netsoc.privacy import identity_number_problems, is_personnummer, redact_identity_numbers
from netsoc.schema import FILES
from netsoc.study import Problem, Study

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

# --------------------------------------------------------------------------- the study


def _identity_problems(stem: str, df: pd.DataFrame,
                       candidates: dict[str, np.ndarray] | None = None) -> list[Problem]:
    return identity_number_problems(stem, df, candidates=candidates)


def _redact(df: pd.DataFrame) -> pd.DataFrame:
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


def _present(folder: Path, filename: str) -> Path | None:
    f = folder / filename
    if f.exists():
        return f
    alt = [g for g in folder.glob("*") if g.name.lower() == filename]
    return alt[0] if alt else None


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
        if spec.stem == "placements":  # Parquet, or a CSV too large for pandas: DuckDB
            handled, raw, probs = _read_placements(folder, _present(folder, spec.filename))
            problems += probs
            if handled:
                if raw is not None:
                    tables[spec.stem] = raw
                continue
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
            sources[raw.name if raw.name.endswith((".csv", ".parquet")) else "study.xlsx"] = raw.sha256

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
