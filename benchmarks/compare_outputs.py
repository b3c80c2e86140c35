#!/usr/bin/env python
"""Are the tables of this checkout byte-identical to those of another commit?

    python benchmarks/compare_outputs.py --base 2648fbf          # example + county seed 1
    python benchmarks/compare_outputs.py --base HEAD~3 --only example

Checks the base commit out into a temporary git worktree, then runs in each
(this checkout and the base) ``netsoc run`` on the embedded example and on
``netsoc synth --scale county --seed 1``, and compares every file under
``tables/``, ``graphs/`` and ``rejects/`` byte for byte (``run.json`` and the
report carry dates and timings and are not compared). Prints one line per
study with the number of files compared, those that differ, and the seconds of
each run (so a refactoring that makes the county run slower is seen too).
Exit status 1 when a file differs.

Both sides run with the interpreter running this script; the base side is put
first on ``PYTHONPATH`` so its own ``netsoc`` is imported.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMPARED = ("tables", "graphs", "rejects")


def _digests(out: Path) -> dict[str, str]:
    return {p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for top in COMPARED if (out / top).exists()
            for p in sorted((out / top).rglob("*")) if p.is_file()}


def _netsoc(src: Path, *args: str) -> float:
    env = {**os.environ, "PYTHONPATH": str(src)}
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "netsoc", *args], cwd=src, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


def _run_side(src: Path, work: Path, studies: list[str]) -> dict[str, tuple[dict, float]]:
    out: dict[str, tuple[dict, float]] = {}
    for name in studies:
        target = work / f"out-{name}"
        if name == "example":
            seconds = _netsoc(src, "run", "--out", str(target), "--quiet")
        else:
            study = work / "county"
            if not study.exists():
                _netsoc(src, "synth", "--scale", "county", "--seed", "1", str(study))
            seconds = _netsoc(src, "run", str(study), "--out", str(target), "--quiet")
        out[name] = (_digests(target), seconds)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", required=True, help="commit to compare with")
    parser.add_argument("--only", choices=["example", "county"], help="one study only")
    args = parser.parse_args(argv)
    studies = [args.only] if args.only else ["example", "county"]
    failed = False
    with tempfile.TemporaryDirectory(prefix="netsoc-compare-") as tmp:
        tmp = Path(tmp)
        base = tmp / "base"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(base),
                        args.base], check=True)
        try:
            (tmp / "w-base").mkdir()
            (tmp / "w-here").mkdir()
            before = _run_side(base, tmp / "w-base", studies)
            after = _run_side(ROOT, tmp / "w-here", studies)
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(base)],
                           check=False)
        print(f"{'study':8} {'files':>6} {'differ':>6} {'base s':>8} {'here s':>8}")
        for name in studies:
            (a, ta), (b, tb) = before[name], after[name]
            differ = sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))
            failed |= bool(differ)
            print(f"{name:8} {len(a):6d} {len(differ):6d} {ta:8.1f} {tb:8.1f}")
            for k in differ[:20]:
                print(f"  differs: {k}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
