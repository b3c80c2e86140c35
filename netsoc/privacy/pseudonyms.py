"""Pseudonymisation: keyed HMAC-SHA256 ids for ``person_key``, a study copied with them
(CSV and XLSX rewritten, everything else byte for byte), and the ``netsoc pseudonymize``
command.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import hmac
import io
import os
import secrets
import shutil
import sys
from pathlib import Path

import pandas as pd

from netsoc._decoding import decode_text
from netsoc.privacy.errors import PrivacyError
from netsoc.privacy.identity import (
    _as_text,
    _parse_identity_number,
    _scan_columns,
    identity_number_problems,
)
from netsoc.study import Problem


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
    import openpyxl  # slow to import; only workbook studies need it

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

