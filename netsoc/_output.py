"""The output folder of ``netsoc run``: replace only what netsoc wrote, atomically.

Rules (documented in ``docs/cli.md``):

- A folder netsoc wrote carries ``run.json`` with ``"tool": "netsoc"`` and the
  list of files it wrote (``"outputs"``). Only such a folder is replaced, and
  only when it holds nothing else; a missing or empty folder is simply used.
- Any other non-empty folder is refused before the analysis starts, as is an
  ``--out`` that is, or contains, the study or the working folder.
- With ``beside=True`` netsoc's outputs are written next to the user's files
  in an existing folder; a name netsoc would write that is already taken by a
  file netsoc did not write is refused, and nothing of the user's is touched.
- Outputs are written into a hidden ``.netsoc-*`` folder first and swapped in by
  renames, so an interrupted or failed run leaves the earlier output as it was
  and no hidden folder behind.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

#: what ``run.json`` says of its writer
TOOL = "netsoc"
#: the top-level names ``Results.write`` may create
OUTPUT_NAMES = ("tables", "figures", "graphs", "rejects", "frames", "report.html", "run.json",
                "tables.xlsx")


class OutputFolderError(Exception):
    """``--out`` cannot be used: a one-line message for the user."""


class Terminated(BaseException):
    """SIGTERM, raised like KeyboardInterrupt so that cleanup runs (exit status 143)."""


def _run_info(folder: Path) -> dict | None:
    try:
        info = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return info if isinstance(info, dict) else None


def written_by_netsoc(folder: Path) -> bool:
    """True when ``folder/run.json`` says netsoc wrote the folder.

    Outputs of netsoc before 0.x carried no ``tool`` field; their ``run.json`` is
    recognised by its ``netsoc_version`` and ``inputs_sha256`` keys.
    """
    info = _run_info(folder)
    if info is None:
        return False
    return info.get("tool") == TOOL or ("netsoc_version" in info and "inputs_sha256" in info)


def _files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if not p.is_dir()}


def _foreign(folder: Path) -> list[str]:
    """Files of a netsoc output folder that netsoc did not write (sorted)."""
    info = _run_info(folder) or {}
    listed = info.get("outputs")
    present = _files(folder)
    if isinstance(listed, list):
        own = set(map(str, listed)) | {"run.json"}
        return sorted(present - own)
    # older outputs have no list: anything outside netsoc's own names is someone else's
    return sorted(p for p in present if p.split("/", 1)[0] not in OUTPUT_NAMES)


def _is_within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def check_out_folder(out: str | os.PathLike, *, study: str | os.PathLike | None = None,
                     beside: bool = False) -> Path:
    """Refuse an ``--out`` that would lose a file netsoc did not write; return it resolved.

    Raises
    ------
    OutputFolderError
        With a one-line message naming the folder and what to do.
    """
    given = Path(out)
    target = given.resolve()
    if given.is_symlink():
        raise OutputFolderError(f"{given}: is a symbolic link; give the folder it points to")
    if target.exists() and not target.is_dir():
        raise OutputFolderError(f"{given}: exists and is not a folder; choose another --out")
    cwd = Path.cwd().resolve()
    if _is_within(cwd, target):
        raise OutputFolderError(f"{given}: is the working folder or holds it; "
                                "choose a new folder for the outputs, e.g. --out out")
    if study is not None:
        src = Path(study).resolve()
        if _is_within(src, target):
            raise OutputFolderError(f"{given}: is the study folder or holds it; "
                                    "choose a new folder for the outputs, e.g. --out out")
    if not target.exists() or not any(target.iterdir()):
        return target
    own = written_by_netsoc(target)
    if beside:
        taken = [n for n in OUTPUT_NAMES if (target / n).exists()]
        if taken and not own:
            raise OutputFolderError(f"{given}: already holds {', '.join(taken)} that netsoc did not "
                                    "write; move them or choose another --out")
        if own:
            listed = set(map(str, (_run_info(target) or {}).get("outputs") or []))
            stray = sorted(f for f in _files(target)
                           if f.split("/", 1)[0] in OUTPUT_NAMES and f != "run.json"
                           and listed and f not in listed)
            if stray:
                raise OutputFolderError(f"{given}: netsoc's folders hold files netsoc did not write "
                                        f"({', '.join(stray[:3])}); move them or choose another --out")
        return target
    if not own:
        raise OutputFolderError(f"{given}: folder exists, is not empty and was not written by netsoc; "
                                "choose another --out (or --beside to add netsoc's outputs to it)")
    foreign = _foreign(target)
    if foreign:
        more = f" and {len(foreign) - 3} more" if len(foreign) > 3 else ""
        raise OutputFolderError(f"{given}: holds files netsoc did not write ({', '.join(foreign[:3])}"
                                f"{more}); move them or choose another --out")
    return target


def _on_sigterm(signum, frame):  # noqa: ARG001 - the signal module's signature
    raise Terminated


@contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """While inside, SIGTERM unwinds the stack like Ctrl-C (so ``finally`` cleans up)."""
    try:
        previous = signal.signal(signal.SIGTERM, _on_sigterm)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _fresh(parent: Path, prefix: str) -> Path:
    tmp = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
    umask = os.umask(0)
    os.umask(umask)
    tmp.chmod(0o777 & ~umask)
    return tmp


def write_output(out: Path, write: Callable[[Path], object], *, beside: bool = False) -> None:
    """Call ``write(folder)`` on a fresh hidden folder, then swap it in as ``out``.

    ``out`` must have passed :func:`check_out_folder`. On any failure or interrupt
    the earlier ``out`` is left as it was and no hidden folder remains.
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    if beside and out.exists():
        _write_beside(out, write)
        return
    tmp = _fresh(out.parent, ".netsoc-")
    old: Path | None = None
    try:
        write(tmp)
        if out.exists():
            old = out.parent / f"{tmp.name}-old"
            out.rename(old)
        try:
            tmp.rename(out)
        except BaseException:
            if old is not None:
                old.rename(out)
                old = None
            raise
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
        if old is not None and old.exists():
            shutil.rmtree(old, ignore_errors=True)


def _write_beside(out: Path, write: Callable[[Path], object]) -> None:
    tmp = _fresh(out, ".netsoc-")
    old = _fresh(out, ".netsoc-old-")
    moved: list[str] = []
    placed: list[str] = []
    try:
        write(tmp)
        # netsoc's earlier outputs step aside, the new ones move in
        for name in OUTPUT_NAMES:
            if (out / name).exists():
                (out / name).rename(old / name)
                moved.append(name)
        for name in sorted(p.name for p in tmp.iterdir()):
            (tmp / name).rename(out / name)
            placed.append(name)
    except BaseException:
        for name in placed:
            if (out / name).exists():
                (out / name).rename(tmp / name)
        for name in moved:
            (old / name).rename(out / name)
        raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)
