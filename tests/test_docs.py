"""User documentation in docs/: generated parts up to date, every column and option documented."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

from netsoc import schema
from netsoc.cli import build_parser

DOCS = Path(__file__).resolve().parents[1] / "docs"


def _generator():
    spec = importlib.util.spec_from_file_location("make_reference", DOCS / "make_reference.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_generated_docs_are_up_to_date():
    gen = _generator()
    for name, make in gen.GENERATED.items():
        assert (DOCS / name).read_text(encoding="utf-8") == make(), (
            f"docs/{name} is out of date: run `python docs/make_reference.py`")


def test_every_command_and_option_is_in_cli_reference():
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    for name, p in sub.choices.items():
        assert f"## netsoc {name}" in text
        for action in p._actions:
            for opt in action.option_strings:
                if opt not in ("-h", "--help"):
                    assert f"`{opt}`" in text, (name, opt)


def test_every_study_column_is_in_data_format():
    text = (DOCS / "data-format.md").read_text(encoding="utf-8")
    for f in schema.FILES:
        section = text.split(f"## {f.filename}", 1)[1].split("\n## ", 1)[0]
        for c in f.columns:
            row = re.search(rf"^\| `{c.name}` \|.*\|$", section, re.M)
            assert row, (f.filename, c.name)
            assert not row.group(0).rstrip().endswith("|  |"), f"{f.filename} {c.name} has no meaning"


def test_methods_cover_measures_and_references():
    text = (DOCS / "methods.md").read_text(encoding="utf-8")
    for col in ("degree", "strength", "betweenness", "betweenness_norm", "closeness", "eigenvector",
                "pagerank", "constraint", "coordinator", "itinerant", "representative", "gatekeeper",
                "liaison", "degree_centralization", "betweenness_centralization", "ei_index",
                "access", "lisa_cluster", "underserved"):
        assert f"`{col}`" in text, col
    for ref in ("Freeman, L. C. (1979)", "Gould, R. V., & Fernandez", "Burt, R. S. (1992)",
                "Krackhardt, D., & Stern", "Traag, V. A.", "Luo, W., & Wang", "Anselin, L. (1995)",
                "Dekker, D., Krackhardt"):
        assert ref in text, ref
    for r_function in ("sna::betweenness", "sna::brokerage", "sna::centralization", "sna::netlm",
                       "igraph::constraint"):
        assert r_function in text


def test_relative_links_resolve():
    for md in DOCS.glob("*.md"):
        text = md.read_text(encoding="utf-8")
        for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", text):
            assert (md.parent / target).exists(), (md.name, target)
