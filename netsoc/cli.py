"""The ``netsoc`` command: parses arguments and calls the stages. No analysis here.

Commands: ``run``, ``validate``, ``example``, plus the commands other modules
register (``synth``, ``pseudonymize``, ``template``, ``fetch-indicators``,
``import-survey``): each provides ``add_*(subparsers)`` that sets
``func=handler`` where ``handler(args) -> int`` is the exit status.
"""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import sys
from importlib import import_module
from pathlib import Path

from netsoc._version import __version__

#: (module, function) pairs that add subcommands; missing modules are skipped.
COMMAND_PROVIDERS = [
    ("netsoc.synth.national", "add_synth_command"),
    ("netsoc.privacy", "add_pseudonymize_command"),
    ("netsoc.template", "add_commands"),
    ("netsoc.indicators", "add_commands"),
    ("netsoc.survey", "add_commands"),
]


def _say(args, message: str) -> None:
    if not getattr(args, "quiet", False):
        print(message, file=sys.stderr)


def _print_problems(problems, stream=None) -> None:
    stream = stream if stream is not None else sys.stderr  # looked up now: tests capture it
    for p in problems:
        print(p, file=stream)


def cmd_validate(args) -> int:
    from netsoc.io import StudyError, load_study

    try:
        study = load_study(args.study)
    except StudyError as err:
        _print_problems(err.problems)
        n_err = sum(p.severity == "error" for p in err.problems)
        n_warn = len(err.problems) - n_err
        print(f"{n_err} error(s), {n_warn} warning(s): the study cannot be used as it is.", file=sys.stderr)
        return 1
    _print_problems(study.problems)
    counts = ", ".join(f"{name} {len(df)}" for name, df in study.tables().items())
    n_warn = sum(p.severity == "warning" for p in study.problems)
    print(f"ok: {counts} rows; {n_warn} warning(s)")
    return 0


def cmd_run(args) -> int:
    import netsoc
    from netsoc._output import OutputFolderError, check_out_folder, write_output
    from netsoc.io import StudyError

    try:  # before any work: a refused --out should not cost minutes of analysis
        out = check_out_folder(args.out, study=args.study, beside=args.beside)
    except OutputFolderError as err:
        print(f"netsoc run: {err}", file=sys.stderr)
        return 1
    try:
        study = netsoc.load_study(args.study, allow_rejects=args.allow_rejects)
    except StudyError as err:
        _print_problems(err.problems)
        n_err = sum(p.severity == "error" for p in err.problems)
        hint = "" if args.allow_rejects else " (use --allow-rejects to set bad rows aside and go on)"
        print(f"{n_err} error(s): nothing was written{hint}.", file=sys.stderr)
        return 1
    if not len(study.actors):
        print("actors: the study has no actors yet; nothing to analyse", file=sys.stderr)
        return 1
    if not args.quiet:
        for p in study.problems:
            print(p, file=sys.stderr)
    where = "the embedded example" if args.study is None else str(args.study)
    _say(args, f"netsoc {__version__}: analysing {where} ({study.settings.name})")
    results = netsoc.analyze(study, seed=args.seed, quiet=args.quiet, lang=args.lang)
    gc.freeze()  # this process ends after writing: nothing of the run needs collecting again
    write_output(out, lambda folder: results.write(folder, excel=args.excel, latex=args.latex,
                                                   frames=args.frames, dpi=args.dpi),
                 beside=args.beside)
    out = Path(args.out)
    for note in results.notes:
        _say(args, f"note: {note}")
    n_rej = sum(len(df) for df in study.rejects.values())
    if n_rej:
        _say(args, f"{n_rej} row(s) rejected: see {out / 'rejects'}")
    print(f"Report: {out / 'report.html'}")
    return 0


def cmd_example(args) -> int:
    from netsoc.io import example_path

    target = Path(args.dir)
    if target.exists() and any(target.iterdir()):
        print(f"{target}: folder exists and is not empty; choose another", file=sys.stderr)
        return 1
    shutil.copytree(example_path(), target, dirs_exist_ok=True)
    print(f"Example study copied to {target}; edit it and run: netsoc run {target} --out OUT")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="netsoc",
        description="Network and stakeholder analysis of the Swedish social economy.",
    )
    parser.add_argument("--version", action="version", version=f"netsoc {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = sub.add_parser(
        "run", help="validate a study and write tables, graphs and report.html",
        description=(
            "The output folder is written whole or not at all: netsoc writes into a hidden "
            "`.netsoc-*` folder beside it and swaps it in when done, so an interrupted or "
            "failed run (Ctrl-C, SIGTERM, a full disk) leaves the earlier output as it was. "
            "netsoc replaces only a folder it wrote itself (its `run.json` says "
            '`"tool": "netsoc"` and lists the files), and only when nothing else was added '
            "to it. A non-empty folder netsoc did not write, the study folder, the working "
            "folder or a folder holding either is refused at once (exit status 1) and left "
            "untouched. `--beside` adds netsoc's outputs to an existing folder of your own "
            "without touching your files; it refuses when a name netsoc writes (tables/, "
            "report.html, ...) is taken by something netsoc did not write."),
    )
    run.add_argument("study", nargs="?", help="study folder or .xlsx workbook (default: embedded example)")
    run.add_argument("--out", default="out",
                     help="output folder: new, empty, or an earlier netsoc output (default: out)")
    run.add_argument("--beside", action="store_true",
                     help="write netsoc's outputs into an existing folder beside its other files")
    run.add_argument("--lang", choices=["sv", "en"], help="report language (default from study.toml)")
    run.add_argument("--seed", type=int, help="random seed (default from study.toml)")
    run.add_argument("--allow-rejects", action="store_true", help="set bad rows aside in rejects/ and go on")
    run.add_argument("--excel", action="store_true", help="also write tables.xlsx")
    run.add_argument("--latex", action="store_true", help="also write tables/*.tex (booktabs)")
    run.add_argument("--frames", action="store_true", help="also write the model analysis frames")
    run.add_argument("--dpi", type=int, default=150, help="figure resolution (300 for print)")
    run.add_argument("--quiet", action="store_true", help="no progress output")
    run.set_defaults(func=cmd_run)

    val = sub.add_parser("validate", help="check a study and list every problem as file:line: column: message")
    val.add_argument("study", help="study folder or .xlsx workbook")
    val.set_defaults(func=cmd_validate)

    ex = sub.add_parser("example", help="copy the embedded example study into DIR to edit")
    ex.add_argument("dir")
    ex.set_defaults(func=cmd_example)

    for module, function in COMMAND_PROVIDERS:
        try:
            add = getattr(import_module(module), function)
        except (ImportError, AttributeError):
            continue
        add(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    from netsoc._output import Terminated, sigterm_as_interrupt

    try:
        with sigterm_as_interrupt():
            return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Terminated:
        print("terminated", file=sys.stderr)
        return 143
    except Exception as err:  # never end in a traceback for users
        if os.environ.get("NETSOC_DEBUG"):
            raise
        print(f"netsoc: error: {type(err).__name__}: {err}", file=sys.stderr)
        print("(set NETSOC_DEBUG=1 to see the traceback)", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
