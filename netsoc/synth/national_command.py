"""The ``netsoc synth`` command (found by :mod:`netsoc.cli` as
``netsoc.synth.national.add_synth_command``).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from netsoc.synth.national_data import SCALES
from netsoc.synth.national_kommuner import kommun_geography
from netsoc.synth.national_study import make_national, write_study

# --------------------------------------------------------------------------- command line


def add_synth_command(subparsers) -> object:
    """Add ``netsoc synth --scale {county,national} --seed N [--placements N] DIR``.

    ``subparsers`` is what :meth:`argparse.ArgumentParser.add_subparsers` returned;
    the command's handler is set as ``func`` (it returns the exit status).
    """
    p = subparsers.add_parser(
        "synth",
        help="generate a synthetic county- or national-scale study",
        description=(
            "Generate a synthetic study folder (CSV files and study.toml): real kommun "
            "codes and geography, synthetic organisations, interviews, placements and "
            "indicators. Deterministic per --seed."
        ),
    )
    p.add_argument("dir", metavar="DIR", help="folder to write (must be empty or new)")
    p.add_argument(
        "--scale",
        choices=sorted(SCALES),
        default="county",
        help="county: one län (default); national: all 290 kommuner",
    )
    p.add_argument("--seed", type=int, default=2014, help="random seed (default 2014)")
    p.add_argument(
        "--placements",
        type=int,
        default=None,
        metavar="N",
        help="number of placements (default 100000 county, 1000000 national)",
    )
    p.add_argument(
        "--lan",
        default="01",
        metavar="KOD",
        help="län code for --scale county (default 01, Stockholms län)",
    )
    p.add_argument("--force", action="store_true", help="write into DIR even when it is not empty")
    p.set_defaults(func=run_synth_command)
    return p


def run_synth_command(args) -> int:
    """Handler of ``netsoc synth``; prints what it wrote and how long it took."""
    out = Path(args.dir)
    quiet = bool(getattr(args, "quiet", False))
    if out.exists() and not out.is_dir():
        print(f"netsoc synth: error: {out} exists and is not a folder", file=sys.stderr)
        return 1
    if out.is_dir() and any(out.iterdir()) and not args.force:
        print(
            f"netsoc synth: error: {out} is not empty; choose a new folder or add --force",
            file=sys.stderr,
        )
        return 1
    t0 = time.perf_counter()
    try:
        tables = make_national(
            args.scale, seed=args.seed, n_placements=args.placements, lan=args.lan
        )
    except ValueError as exc:
        print(f"netsoc synth: error: {exc}", file=sys.stderr)
        return 1
    t1 = time.perf_counter()
    if args.scale == "national":
        name, scope = f"Syntetisk nationell studie (seed {args.seed})", "sweden"
    else:
        lan_namn = kommun_geography().set_index("lan_kod")["lan_namn"]
        lan_namn = lan_namn[~lan_namn.index.duplicated()]
        name = f"Syntetisk länsstudie – {lan_namn.get(args.lan, args.lan)} (seed {args.seed})"
        scope = "lan"
    write_study(tables, out, name=name, seed=args.seed, scope=scope)
    t2 = time.perf_counter()
    if not quiet:
        counts = ", ".join(f"{k} {len(v):,}" for k, v in tables.items())
        print(f"wrote {out}: {counts}")
        print(f"generated in {t1 - t0:.1f} s, written in {t2 - t1:.1f} s")
    return 0
