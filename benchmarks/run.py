#!/usr/bin/env python
"""Benchmark netsoc at county or national scale (not a test; run it by hand).

    python benchmarks/run.py --scale county
    python benchmarks/run.py --scale national --baseline-sample 500 --scaling

1. Generates a synthetic study with :mod:`netsoc.synth.national` (in a child process).
2. Runs the pipeline as ``netsoc run`` does (read + validate, every stage of
   ``netsoc.analyze``, writing tables and report) in a fresh child process and records
   per stage the wall seconds, CPU seconds and the process's peak RSS when the stage
   ended (``ru_maxrss``: the stage whose row first shows the run's peak is the one that
   reached it). Stages the installed netsoc does not have are listed as not available.
3. Computes the same measures with plain networkx on the same collaboration graph
   (exact betweenness, closeness, Burt's constraint, Louvain) and the host-host
   co-placement projection (networkx bipartite projection), each timed in a child
   process, beside netsoc's own functions (when present) and direct python-igraph /
   scipy.sparse calls as a reference, with the ratio.
   ``--baseline-sample K`` times networkx's betweenness, closeness and constraint on K
   randomly chosen nodes (sources) and extrapolates linearly to all nodes (unbiased for
   the total time, since each is a sum of per-node work); RESULTS.md says so.
4. ``--scaling`` repeats step 2 on national studies with 0.1M, 0.3M and 1M placements.

Prints a table and writes ``benchmarks/results/<scale>.json``; ``benchmarks/RESULTS.md``
is rendered from every JSON there (so county and national results live side by side),
with the machine (CPU model, cores, RAM, load), Python and library versions.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))  # benchmark this checkout, not an installed netsoc
RESULTS_DIR = HERE / "results"
STAGES = ["load", "graphs", "measures", "communities", "geo", "measures_wait", "models", "report"]
PLACEMENT_STAGES = ["load", "graphs", "geo", "models"]
LIBRARIES = [
    "numpy", "pandas", "scipy", "networkx", "igraph", "leidenalg", "pyarrow", "statsmodels",
    "geopandas", "psutil",
]  # fmt: skip


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # KiB on Linux


class _Clock:
    """Wall and CPU seconds of a block, and the process's peak RSS after it."""

    @staticmethod
    def _cpu() -> float:
        # this process and its finished children (parallel runs in worker processes)
        t = os.times()
        return t.user + t.system + t.children_user + t.children_system

    def __enter__(self):
        self.w0, self.c0 = time.perf_counter(), self._cpu()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.w0
        self.cpu = self._cpu() - self.c0
        self.peak_mb = _peak_mb()
        return False

    def row(self, **extra) -> dict:
        return {"seconds": round(self.seconds, 3), "cpu_seconds": round(self.cpu, 3),
                "peak_rss_mb": round(self.peak_mb, 1), **extra}  # fmt: skip


# =========================================================================== workers
# Each runs in a fresh interpreter (``run.py --worker NAME --args JSON``) and prints one
# JSON line, so that peak RSS belongs to that work alone.


def worker_synth(a: dict) -> dict:
    from netsoc.synth.national import make_national, write_study

    with _Clock() as gen:
        tables = make_national(a["scale"], seed=a["seed"], n_placements=a["placements"])
    with _Clock() as wr:
        write_study(tables, a["study"], seed=a["seed"], name=f"benchmark {a['scale']}",
                    scope="sweden" if a["scale"] == "national" else "lan")  # fmt: skip
    sizes = {k: len(v) for k, v in tables.items()}
    size_mb = sum(f.stat().st_size for f in Path(a["study"]).glob("*.csv")) / 2**20
    return {"generate": gen.row(), "write": wr.row(), "rows": sizes, "csv_mb": round(size_mb, 1)}


def worker_pipeline(a: dict) -> dict:
    """``netsoc run`` in-process: load, analyze (instrumented stages), write."""
    t_start = time.perf_counter()
    import netsoc
    from netsoc import pipeline

    stages: dict[str, dict] = {}
    original = pipeline._Stages.__call__

    @contextlib.contextmanager
    def instrumented(self, name):
        with _Clock() as c, original(self, name):
            yield
        stages[name] = c.row()

    pipeline._Stages.__call__ = instrumented
    with _Clock() as c:
        study = netsoc.load_study(a["study"])
    stages["load"] = c.row()
    results = netsoc.analyze(study, quiet=True)
    import gc

    gc.freeze()  # as ``netsoc run`` does before writing
    out = Path(a["out"])
    with _Clock() as c:
        results.write(out)
    stages["report"] = c.row()
    g = results.networks.collaboration if results.networks is not None else None
    html = out / "report.html"
    return {
        "stages": stages,
        "pipeline_timings_s": results.run_info.get("timings_s", {}),
        "total_seconds": round(time.perf_counter() - t_start, 3),
        "total_cpu_seconds": round(_Clock._cpu(), 3),  # with the worker processes
        "peak_rss_mb": round(_peak_mb(), 1),
        "graph": {"nodes": g.number_of_nodes(), "edges": g.number_of_edges()} if g else None,
        "report_mb": round(html.stat().st_size / 2**20, 2) if html.exists() else None,
    }


def _collaboration(a: dict):
    import netsoc
    from netsoc.graphs import build_networks

    study = netsoc.load_study(a["study"])
    nets = build_networks(study, symmetrize=study.settings.symmetrize)
    return study, nets.collaboration


def _sample(nodes: list, k: int | None, seed: int) -> list:
    import random

    if k is None or k >= len(nodes):
        return nodes
    return random.Random(seed).sample(nodes, k)


def worker_measures(a: dict) -> dict:
    """networkx baseline vs netsoc vs igraph reference for one measure."""
    import networkx as nx

    measure, k, seed = a["measure"], a.get("sample"), a["seed"]
    study, g = _collaboration(a)
    n = g.number_of_nodes()
    out: dict = {"measure": measure, "nodes": n, "edges": g.number_of_edges()}
    nodes = list(g.nodes)
    picked = _sample(nodes, k, seed)
    factor = n / len(picked)
    if measure == "louvain":  # always the full run
        picked, factor = nodes, 1.0
    out["sample"] = len(picked) if factor > 1 else None

    with _Clock() as c:
        if measure == "betweenness":
            if factor > 1:
                nx.betweenness_centrality(g, k=len(picked), normalized=False, seed=seed)
            else:
                nx.betweenness_centrality(g, normalized=False)
        elif measure == "closeness":
            if factor > 1:
                for v in picked:
                    nx.closeness_centrality(g, u=v)
            else:
                nx.closeness_centrality(g)
        elif measure == "constraint":
            nx.constraint(g, nodes=picked if factor > 1 else None, weight="weight")
        elif measure == "louvain":
            nx.community.louvain_communities(g, weight="weight", seed=seed)
    out["networkx"] = c.row(extrapolated_seconds=round(c.seconds * factor, 2),
                            extrapolated_cpu_seconds=round(c.cpu * factor, 2))  # fmt: skip

    # netsoc's own function, when this build has it
    fn = _netsoc_function(measure)
    if fn is not None:
        with _Clock() as c:
            fn(g)
        out["netsoc"] = c.row(function=f"{fn.__module__}.{fn.__name__}")
    # direct python-igraph, conversion included (what a fast path can reach)
    out["igraph"] = _igraph_reference(g, measure, seed)
    return out


def _netsoc_function(measure: str):
    try:
        if measure == "louvain":
            from netsoc import communities

            fn = getattr(communities, "louvain", None)
        else:
            from netsoc import measures

            fn = getattr(measures, measure, None)
    except ImportError:
        return None
    return fn if callable(fn) else None


def _igraph_reference(g, measure: str, seed: int) -> dict:
    import igraph as ig

    with _Clock() as c:
        index = {v: i for i, v in enumerate(g.nodes)}
        edges = [(index[u], index[v]) for u, v in g.edges]
        h = ig.Graph(n=len(index), edges=edges, directed=False)
        h.es["weight"] = [d.get("weight", 1) for _, _, d in g.edges(data=True)]
        if measure == "betweenness":
            h.betweenness(directed=False)
        elif measure == "closeness":
            h.closeness()
        elif measure == "constraint":
            h.constraint(weights="weight")
        elif measure == "louvain":
            import random

            random.seed(seed)
            ig.set_random_number_generator(random)
            h.community_multilevel(weights="weight")
    return c.row()


def worker_projection(a: dict) -> dict:
    """Host-host co-placement projection: networkx bipartite vs scipy.sparse."""
    import networkx as nx
    import numpy as np
    import pandas as pd
    import scipy.sparse as sp

    import netsoc

    study = netsoc.load_study(a["study"])
    pl = study.placements
    out: dict = {"measure": "coplacement projection", "placements": len(pl)}
    with _Clock() as c:
        b = nx.Graph()
        persons = ("p:" + pl["person_key"].astype(str)).tolist()
        hosts = pl["host_id"].astype(str).tolist()
        b.add_nodes_from(set(hosts), bipartite=1)
        b.add_edges_from(zip(persons, hosts, strict=True))
        proj = nx.bipartite.weighted_projected_graph(b, set(hosts))
    out["networkx"] = c.row(edges=proj.number_of_edges(),
                            extrapolated_seconds=round(c.seconds, 2),
                            extrapolated_cpu_seconds=round(c.cpu, 2))  # fmt: skip
    del b, proj
    fn = None
    try:
        from netsoc import graphs

        fn = getattr(graphs, "coplacement_matrix", None)
    except ImportError:
        pass
    if callable(fn):
        with _Clock() as c:
            # as build_networks calls it: the host list, then the host x host matrix
            fn(pl, sorted(pl["host_id"].astype(str).unique()))
        out["netsoc"] = c.row(function=f"{fn.__module__}.{fn.__name__}")
    with _Clock() as c:
        p_codes, _ = pd.factorize(pl["person_key"])
        h_codes, h_names = pd.factorize(pl["host_id"])
        m = sp.csr_matrix((np.ones(len(pl)), (p_codes, h_codes)))
        m.data[:] = 1.0  # a person counts once per host pair
        co = (m.T @ m).tocoo()
        keep = co.row < co.col
    out["igraph"] = c.row(edges=int(keep.sum()), note="scipy.sparse B^T B")
    return out


WORKERS = {"synth": worker_synth, "pipeline": worker_pipeline, "measures": worker_measures,
           "projection": worker_projection}  # fmt: skip


# =========================================================================== driver


def run_worker(name: str, args: dict, timeout: float | None = None) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", name, "--args",
           json.dumps(args)]  # fmt: skip
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    sampler = _TreeMemory(proc.pid)
    sampler.start()
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        return {"error": f"timed out after {timeout:.0f} s"}
    finally:
        sampler.stop()
    wall = time.perf_counter() - t0
    lines = [ln for ln in stdout.splitlines() if ln.startswith("{")]
    if proc.returncode != 0 or not lines:
        tail = (stderr or stdout).strip().splitlines()[-3:]
        return {"error": " | ".join(tail) or f"exit status {proc.returncode}"}
    res = json.loads(lines[-1])
    res["process_seconds"] = round(wall, 3)
    res["tree_memory"] = sampler.summary()
    return res


class _TreeMemory:
    """Peak memory of a process and all its children, sampled every ``interval`` seconds.

    PSS (proportional set size: a page shared by k processes counts 1/k in each)
    summed over the tree is the honest total: forked workers share the parent's
    pages, so RSS summed over the tree counts those pages once per process.
    Both sums are kept (psutil ``memory_full_info().pss`` and ``.rss``).
    """

    def __init__(self, pid: int, interval: float = 0.25):
        import threading

        self.pid, self.interval = pid, interval
        self.peak_pss = self.peak_rss_sum = self.peak_procs = 0
        self.samples = 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._done.set()
        self._thread.join()

    def _run(self) -> None:
        import psutil

        try:
            root = psutil.Process(self.pid)
        except psutil.Error:
            return
        while not self._done.is_set():
            pss = rss = procs = 0
            try:
                tree = [root, *root.children(recursive=True)]
            except psutil.Error:
                break
            for p in tree:
                try:
                    m = p.memory_full_info()
                except psutil.Error:
                    continue
                pss += getattr(m, "pss", m.rss)
                rss += m.rss
                procs += 1
            self.samples += 1
            self.peak_pss = max(self.peak_pss, pss)
            self.peak_rss_sum = max(self.peak_rss_sum, rss)
            self.peak_procs = max(self.peak_procs, procs)
            self._done.wait(self.interval)

    def summary(self) -> dict:
        return {"peak_pss_mb": round(self.peak_pss / 2**20, 1),
                "peak_rss_sum_mb": round(self.peak_rss_sum / 2**20, 1),
                "peak_processes": self.peak_procs, "samples": self.samples,
                "interval_s": self.interval}


def _best_of(repeat: int, name: str, args: dict, timeout: float | None) -> dict:
    """The fastest of ``repeat`` runs of a worker, with every run's seconds and peaks."""
    runs = [run_worker(name, args, timeout) for _ in range(max(repeat, 1))]
    ok = [r for r in runs if "error" not in r]
    if not ok:
        return runs[0]
    best = dict(min(ok, key=lambda r: r["process_seconds"]))
    best["repeats"] = [{"seconds": r["process_seconds"], "peak_rss_mb": r["peak_rss_mb"],
                        "peak_pss_mb": (r.get("tree_memory") or {}).get("peak_pss_mb")}
                       for r in ok]
    return best


def machine_info() -> dict:
    from importlib import metadata

    cpu = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem_gib = None
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem_gib = round(int(line.split()[1]) / 2**20, 1)
    versions = {"python": platform.python_version()}
    for lib in ["netsoc", *LIBRARIES]:
        with contextlib.suppress(metadata.PackageNotFoundError):
            versions[lib] = metadata.version(lib)
    try:
        import netsoc

        versions["netsoc"] = netsoc.__version__
    except ImportError:
        pass
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip()  # fmt: skip
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "cores_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "ram_gib": mem_gib,
        "system": f"{platform.system()} {platform.release()}",
        "versions": versions,
        "commit": commit or None,
        "load_average_start": [round(x, 2) for x in os.getloadavg()],
    }


def _fmt_s(x) -> str:
    return "–" if x is None else (f"{x:.2f}" if x < 100 else f"{x:.0f}")


def _fmt_mb(x) -> str:
    return "–" if x is None else (f"{x:.0f} MiB" if x < 2048 else f"{x / 1024:.2f} GiB")


STAGE_NOTES = {
    "measures": "in the main process; exact betweenness, closeness and robustness runs "
                "start in background workers",
    "measures_wait": "waiting for those workers (their CPU seconds are counted here)",
    "report": "tables, report.html, figures/ and graphs/; figures and graph files are drawn "
              "and written by forked workers meanwhile (their CPU seconds are counted here)",
}


def _tree_text(res: dict) -> str:
    tm = res.get("tree_memory")
    if not tm:
        return ""
    return (f" (largest process); whole process tree, sampled every {tm['interval_s']} s: "
            f"peak PSS sum **{_fmt_mb(tm['peak_pss_mb'])}**, peak RSS sum "
            f"{_fmt_mb(tm['peak_rss_sum_mb'])} (up to {tm['peak_processes']} processes)")


def pipeline_rows(res: dict) -> list[list[str]]:
    rows = []
    for st in STAGES:
        r = res.get("stages", {}).get(st)
        if r is None:
            rows.append([st, "not available in this build", "", "", ""])
        else:
            rows.append([st, STAGE_NOTES.get(st, ""), _fmt_s(r["seconds"]), _fmt_s(r["cpu_seconds"]),
                         _fmt_mb(r["peak_rss_mb"])])  # fmt: skip
    for st, r in res.get("stages", {}).items():  # stages this script does not know yet
        if st not in STAGES:
            rows.append([st, "", _fmt_s(r["seconds"]), _fmt_s(r["cpu_seconds"]),
                         _fmt_mb(r["peak_rss_mb"])])  # fmt: skip
    return rows


def baseline_rows(results: list[dict]) -> list[list[str]]:
    rows = []
    for r in results:
        if "error" in r:
            rows.append([r.get("measure", "?"), "error: " + r["error"], "", "", "", ""])
            continue
        nx_s = r["networkx"]["extrapolated_seconds"]
        label = r["measure"] + (f" (sampled {r['sample']}, extrapolated)" if r.get("sample") else "")
        nx_cpu = r["networkx"]["extrapolated_cpu_seconds"]
        fast = r.get("netsoc")
        ref = r.get("igraph")

        def cell(x):
            return f"{_fmt_s(x['seconds'])} ({_fmt_s(x['cpu_seconds'])})" if x else "–"

        def ratio(x, nx_s=nx_s, nx_cpu=nx_cpu):
            if not x:
                return "–"
            return (f"{nx_s / max(x['seconds'], 1e-3):.0f}× "
                    f"({nx_cpu / max(x['cpu_seconds'], 1e-3):.0f}×)")  # fmt: skip

        rows.append([label, f"{_fmt_s(nx_s)} ({_fmt_s(nx_cpu)})",
                     cell(fast) if fast else "not available", ratio(fast), cell(ref),
                     ratio(ref)])  # fmt: skip
    return rows


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def render_section(res: dict) -> str:
    m = res["machine"]
    syn = res["synth"]
    out = [f"## {res['scale']} scale ({res['date']})", ""]
    rows = syn.get("rows", {})
    out.append(
        "Study: " + ", ".join(f"{k} {v:,}" for k, v in rows.items())
        + f"; {syn.get('csv_mb')} MiB of CSV. Generated in {_fmt_s(syn['generate']['seconds'])} s "
        f"(CPU {_fmt_s(syn['generate']['cpu_seconds'])} s, peak {_fmt_mb(syn['generate']['peak_rss_mb'])}), "
        f"written in {_fmt_s(syn['write']['seconds'])} s."
    )
    pipe = res["pipeline"]
    out += ["", "### Pipeline (`netsoc run`: one fresh process)", ""]
    if "error" in pipe:
        out.append(f"Failed: {pipe['error']}")
    else:
        out.append(_table(["stage", "note", "wall s", "CPU s", "peak RSS at stage end"],
                          pipeline_rows(pipe)))  # fmt: skip
        gr = pipe.get("graph") or {}
        out += [
            "",
            f"End to end (process start to report written): **{_fmt_s(pipe['process_seconds'])} s** "
            f"wall, {_fmt_s(pipe['total_cpu_seconds'])} s CPU, peak RSS **{_fmt_mb(pipe['peak_rss_mb'])}**"
            f"{_tree_text(pipe)}; "
            f"collaboration graph {gr.get('nodes', '?'):,} nodes, {gr.get('edges', '?'):,} edges; "
            f"report.html {pipe.get('report_mb')} MB.",
        ]
        if len(pipe.get("repeats", [])) > 1:
            out.append("Best of " + str(len(pipe["repeats"])) + " runs (the cores are shared "
                       "with other processes); all runs: " + ", ".join(
                           f"{r['seconds']:.1f} s / PSS {_fmt_mb(r['peak_pss_mb'])}"
                           for r in pipe["repeats"]) + ".")
    if res.get("baseline"):
        out += ["", "### Measures: plain networkx vs netsoc (same graph, same run)", ""]
        out.append(_table(["measure", "networkx s (CPU)", "netsoc s (CPU)", "ratio (CPU)",
                           "igraph/scipy reference s (CPU)", "ratio vs reference (CPU)"],
                          baseline_rows(res["baseline"])))  # fmt: skip
        out.append("")
        out.append("Seconds are wall time, CPU seconds in brackets (the cores are shared with "
                   "other processes, so wall-time ratios are noisier).")  # fmt: skip
        sampled = [r for r in res["baseline"] if r.get("sample")]
        tot_nx = sum(r["networkx"]["extrapolated_seconds"] for r in res["baseline"] if "networkx" in r
                     and r["measure"] in ("betweenness", "closeness", "constraint"))  # fmt: skip
        fast = [r.get("netsoc") for r in res["baseline"]
                if r.get("measure") in ("betweenness", "closeness", "constraint")]  # fmt: skip
        out.append("")
        if all(fast) and fast:
            tot = sum(f["seconds"] for f in fast)
            out.append(f"Betweenness + closeness + constraint: networkx {_fmt_s(tot_nx)} s, "
                       f"netsoc {_fmt_s(tot)} s: **{tot_nx / max(tot, 1e-3):.0f}× faster**.")  # fmt: skip
        else:
            out.append("netsoc's per-measure functions are not in this build: the ratio is "
                       "shown against direct python-igraph calls only.")  # fmt: skip
        if sampled:
            out.append(
                "networkx times marked *sampled* ran on a random sample of nodes (betweenness: "
                "sources; closeness and constraint: target nodes) and were multiplied by "
                "nodes/sample, which estimates the exact run's time without bias because each "
                "is a sum of per-node work; the exact networkx run would take that long."
            )
        peak = max((r["networkx"]["peak_rss_mb"] for r in res["baseline"] if "networkx" in r),
                   default=None)  # fmt: skip
        out.append(f"Peak RSS of the baseline processes: up to {_fmt_mb(peak)}.")
    if res.get("scaling"):
        out += ["", "### Scaling in placements (national actors, pipeline stages)", ""]
        header = ["placements", *PLACEMENT_STAGES, "end to end", "peak RSS", "peak PSS (tree)"]
        rows = []
        for n, r in sorted(res["scaling"].items(), key=lambda kv: int(kv[0])):
            if "error" in r:
                rows.append([f"{int(n):,}", "error: " + r["error"]] + [""] * (len(header) - 2))
                continue
            st = r.get("stages", {})
            rows.append([f"{int(n):,}"]
                        + [_fmt_s(st[s]["seconds"]) if s in st else "n/a" for s in PLACEMENT_STAGES]
                        + [_fmt_s(r["process_seconds"]), _fmt_mb(r["peak_rss_mb"]),
                           _fmt_mb((r.get("tree_memory") or {}).get("peak_pss_mb"))])  # fmt: skip
        out.append(_table(header, rows))
    out += ["", "Machine: " + f"{m['cpu']}, {m['cores']} cores ({m['cores_usable']} usable), "
            f"{m['ram_gib']} GiB RAM, {m['system']}; load average at start "
            f"{', '.join(map(str, m['load_average_start']))} (other processes share the cores, "
            "so CPU seconds are the steadier figure)."]  # fmt: skip
    out.append("Versions: " + ", ".join(f"{k} {v}" for k, v in m["versions"].items())
               + (f"; commit {m['commit']}" if m.get("commit") else "") + ".")  # fmt: skip
    # paragraphs need blank lines between them in Markdown
    import re

    text = "\n".join(line if line.startswith("|") else line + "\n" for line in out)
    return re.sub(r"\n{3,}", "\n\n", text)


#: where the seconds go (issue 19, measured by hand with cProfile; kept beside the tables)
PROFILE_NOTES = (HERE / "PROFILE.md").read_text(encoding="utf-8").strip() if (
    HERE / "PROFILE.md").exists() else ""


def write_results_md() -> Path:
    sections = []
    for scale in ("county", "national"):
        f = RESULTS_DIR / f"{scale}.json"
        if f.exists():
            sections.append(render_section(json.loads(f.read_text())))
    text = (
        "# netsoc benchmarks\n\n"
        "Written by `python benchmarks/run.py --scale county|national` (see its docstring for "
        "what is measured and how). Targets (issue 19): national 1M placements end to end "
        "≤ 40 s, 10M ≤ 120 s and ≤ 6 GiB peak PSS summed over the process tree, on 2 cores; "
        "county ≤ 5 s; the embedded example ≤ 3 s; measures ≥ 100× faster than plain networkx; "
        "cost linear in placements. (Issue 10's targets were national ≤ 120 s and ≤ 8 GiB "
        "peak RSS, county ≤ 15 s.)\n\n" + PROFILE_NOTES + "\n\n" + "\n".join(sections)
    )
    path = HERE / "RESULTS.md"
    path.write_text(text, encoding="utf-8")
    return path


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scale", choices=["county", "national"], default="county")
    ap.add_argument("--placements", type=int, default=None)
    ap.add_argument("--seed", type=int, default=2014)
    ap.add_argument("--baseline-sample", type=int, default=None, metavar="K",
                    help="time networkx betweenness/closeness/constraint on K nodes and "
                         "extrapolate (default: exact)")  # fmt: skip
    ap.add_argument("--no-baseline", action="store_true", help="skip the networkx baseline")
    ap.add_argument("--scaling", action="store_true",
                    help="also run the pipeline at 0.1M, 0.3M and 1M placements (national)")  # fmt: skip
    ap.add_argument("--scaling-sizes", type=lambda t: [int(float(x)) for x in t.split(",")],
                    default=[100_000, 300_000, 1_000_000], metavar="N,N,...",
                    help="placements of the --scaling runs (default 1e5,3e5,1e6)")
    ap.add_argument("--repeat", type=int, default=1,
                    help="run each pipeline this many times and keep the fastest (the cores "
                         "are shared, so the best of several is the steadier figure)")
    ap.add_argument("--workdir", default=None, help="keep generated studies and outputs here")
    ap.add_argument("--timeout", type=float, default=3600, help="per child process (s)")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--args", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.worker:
        print(json.dumps(WORKERS[args.worker](json.loads(args.args))), flush=True)
        return 0

    work = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="netsoc-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    res: dict = {"scale": args.scale, "date": time.strftime("%Y-%m-%d"), "machine": machine_info(),
                 "seed": args.seed}  # fmt: skip
    study = work / f"study-{args.scale}"
    shutil.rmtree(study, ignore_errors=True)

    def say(msg):
        print(msg, file=sys.stderr, flush=True)

    say(f"generating the {args.scale} study in {study} ...")
    res["synth"] = run_worker("synth", {"scale": args.scale, "seed": args.seed,
                                        "placements": args.placements, "study": str(study)})  # fmt: skip
    if "error" in res["synth"]:
        say("generation failed: " + res["synth"]["error"])
        return 1
    say(f"  {res['synth']['generate']['seconds']:.1f} s; running the pipeline ...")
    res["pipeline"] = _best_of(args.repeat, "pipeline", {"study": str(study),
                               "out": str(work / "out")}, args.timeout)  # fmt: skip
    print(_table(["stage", "note", "wall s", "CPU s", "peak RSS"], pipeline_rows(res["pipeline"]))
          if "error" not in res["pipeline"] else "pipeline failed: " + res["pipeline"]["error"])  # fmt: skip

    if not args.no_baseline:
        res["baseline"] = []
        for measure in ("betweenness", "closeness", "constraint", "louvain"):
            say(f"baseline: {measure} ...")
            res["baseline"].append(run_worker("measures", {
                "study": str(study), "measure": measure, "seed": args.seed,
                "sample": args.baseline_sample}, args.timeout))  # fmt: skip
        say("baseline: co-placement projection ...")
        res["baseline"].append(run_worker("projection", {"study": str(study)}, args.timeout))
        print(_table(["measure", "networkx s (CPU)", "netsoc s (CPU)", "ratio", "reference s",
                      "ratio"],
                     baseline_rows(res["baseline"])))  # fmt: skip

    if args.scaling:
        res["scaling"] = {}
        for n in args.scaling_sizes:
            s = work / f"study-national-{n}"
            shutil.rmtree(s, ignore_errors=True)
            say(f"scaling: {n:,} placements ...")
            gen = run_worker("synth", {"scale": "national", "seed": args.seed, "placements": n,
                                       "study": str(s)})  # fmt: skip
            res["scaling"][str(n)] = (gen if "error" in gen else _best_of(
                args.repeat, "pipeline", {"study": str(s), "out": str(work / f"out-{n}")},
                args.timeout))  # fmt: skip
            shutil.rmtree(s, ignore_errors=True)

    res["machine"]["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    RESULTS_DIR.mkdir(exist_ok=True)
    (RESULTS_DIR / f"{args.scale}.json").write_text(json.dumps(res, indent=1) + "\n")
    path = write_results_md()
    say(f"wrote {path}")
    if not args.workdir:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
