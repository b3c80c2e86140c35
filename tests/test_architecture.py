"""The import graph of ``netsoc/`` runs one way, stage after stage, without circles.

Read from the source with :mod:`ast` (imports inside functions included, since
those were where circles used to hide). See ``docs/architecture.md``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "netsoc"

#: stages in data-flow order; a module may import its own stage and earlier ones only
LAYERS: list[tuple[str, ...]] = [
    ("_version", "_notes_network", "schema", "study", "i18n", "options", "_decoding", "_output",
     "_workers",
     "matching"),
    ("privacy",),
    ("synth",),
    ("io",),
    ("indicators", "survey", "template"),
    ("graphs",),
    ("measures",),
    ("waves",),
    ("communities",),
    ("geo",),
    ("stakeholders",),
    ("models",),
    ("report",),
    ("pipeline",),
    ("cli", "__main__", "__init__"),
]
RANK = {stage: i for i, names in enumerate(LAYERS) for stage in names}
MAX_LINES = 700


def _module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _stage(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _imports(module: str, path: Path, known: set[str]) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    is_pkg = path.name == "__init__.py"
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")
                base = base[: len(base) - node.level + (1 if is_pkg else 0)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            # "from netsoc import graphs" imports the module netsoc.graphs
            names = [f"{target}.{a.name}" if f"{target}.{a.name}" in known else target
                     for a in node.names]
        else:
            continue
        for name in names:
            if name == "netsoc" or name.startswith("netsoc."):
                while name not in known and "." in name:
                    name = name.rsplit(".", 1)[0]
                if name != module:
                    out.add(name)
    return out


def _graph() -> dict[str, set[str]]:
    mods = _modules()
    return {m: _imports(m, p, set(mods)) for m, p in mods.items()}


def test_every_module_has_a_stage():
    missing = sorted({_stage(m) for m in _modules()} - set(RANK))
    assert not missing, f"add these to LAYERS in tests/test_architecture.py: {missing}"


def test_no_backward_imports():
    bad = []
    for m, targets in _graph().items():
        for t in targets:
            if t == "netsoc":
                continue  # the package itself: its __init__ imports the stages, not the reverse
            if RANK[_stage(t)] > RANK[_stage(m)]:
                bad.append(f"{m} imports {t} (a later stage)")
    assert not bad, "\n".join(sorted(bad))


def test_nothing_imports_the_package_init():
    bad = [m for m, targets in _graph().items() if "netsoc" in targets and _stage(m) != "cli"]
    assert not bad, f"import the stage module, not netsoc itself: {bad}"


def test_no_import_circles():
    graph = _graph()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                circles.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    assert not circles, f"import circles: {circles}"


def test_the_checker_sees_a_circle_and_a_backward_import(tmp_path):
    """The tests above can fail: a planted circle and a planted backward import are found."""
    fake = tmp_path / "netsoc"
    (fake / "graphs").mkdir(parents=True)
    (fake / "__init__.py").write_text("", encoding="utf-8")
    (fake / "graphs" / "__init__.py").write_text("from netsoc.graphs import layers\n",
                                                 encoding="utf-8")
    (fake / "graphs" / "layers.py").write_text(
        "def f():\n    from netsoc import measures\n", encoding="utf-8")
    (fake / "measures.py").write_text("from netsoc.graphs import layers\n", encoding="utf-8")
    globals()["PACKAGE"] = fake
    try:
        with pytest.raises(AssertionError, match="a later stage"):
            test_no_backward_imports()
        with pytest.raises(AssertionError, match="import circles"):
            test_no_import_circles()
    finally:
        globals()["PACKAGE"] = PACKAGE_REAL


PACKAGE_REAL = PACKAGE


def test_no_module_is_too_long():
    long = {m: n for m, p in _modules().items()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, f"split these modules (over {MAX_LINES} lines): {long}"
