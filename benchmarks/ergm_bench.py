"""Benchmark of netsoc.models.ergm: a 500-actor edges + nodematch(type) + gwesp(0.5, fixed=TRUE) fit.

Run from the repository root::

    PYTHONPATH=. python benchmarks/ergm_bench.py [--n 500] [--seed 1] [--r]

The network is simulated (seeded) from known parameters with the package's own
sampler, written to a temporary edge list, and fitted. With ``--r`` and
``Rscript`` plus the R packages ergm and network installed, R's ergm is timed
on the same graph (the same files). Prints a table: n actors, model, seconds,
peak memory (MiB, tracemalloc: numpy allocations of the fit), iterations.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
import time
import tracemalloc
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd

from netsoc.models.ergm import ERGMResults, MCMCOptions, _Model, ergm, parse_formula
from netsoc.models.ergm_sampler import Sampler

FORMULA = "edges + nodematch(type) + gwesp(0.5, fixed=TRUE)"
TRUTH = np.array([-5.6, 1.2, 0.7])


def make_graph(n: int, seed: int) -> tuple[nx.Graph, pd.DataFrame]:
    """A network simulated from ``TRUTH`` on ``n`` actors of five types."""
    rng = np.random.default_rng(seed)
    nodes = pd.DataFrame({"type": rng.choice(list("abcde"), size=n)}, index=range(n))
    Y0 = np.zeros((n, n), dtype=np.int8)
    model = _Model(Y0, list(range(n)), False, parse_formula(FORMULA), nodes, {})
    s = Sampler(model, 1, rng)
    s.run(TRUTH, 300 * n)  # single chain from the empty graph; ~ 20 sweeps of the ties
    A = s.state.Y[0]
    g = nx.Graph()
    g.add_nodes_from(range(n))
    g.add_edges_from(zip(*np.nonzero(np.triu(A, 1)), strict=True))
    return g, nodes


def fit_python(g: nx.Graph, nodes: pd.DataFrame) -> tuple[ERGMResults, float, float]:
    tracemalloc.start()
    t0 = time.perf_counter()
    fit = ergm(g, FORMULA, node_attributes=nodes, seed=1, mcmc=MCMCOptions())
    sec = time.perf_counter() - t0
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return fit, sec, peak


R_SCRIPT = r"""
suppressMessages({library(ergm); library(network)})
args <- commandArgs(TRUE)
el <- read.csv(args[1]); nd <- read.csv(args[2])
net <- network.initialize(nrow(nd), directed = FALSE)
net <- add.edges(net, el$from + 1, el$to + 1)
net %v% "type" <- nd$type
t0 <- proc.time()[["elapsed"]]
fit <- ergm(net ~ edges + nodematch("type") + gwesp(0.5, fixed = TRUE),
            control = control.ergm(seed = 1))
cat(sprintf("%.3f,%d\n", proc.time()[["elapsed"]] - t0, fit$iterations))
cat(paste(sprintf("%.6f", coef(fit)), collapse = ","), "\n")
"""


def fit_r(g: nx.Graph, nodes: pd.DataFrame) -> tuple[float, int, str] | None:
    if shutil.which("Rscript") is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        el = Path(tmp) / "edges.csv"
        nd = Path(tmp) / "nodes.csv"
        script = Path(tmp) / "fit.R"
        pd.DataFrame(list(g.edges), columns=["from", "to"]).to_csv(el, index=False)
        nodes.to_csv(nd, index=False)
        script.write_text(R_SCRIPT)
        res = subprocess.run(["Rscript", str(script), str(el), str(nd)], capture_output=True,
                             text=True, check=False)
        if res.returncode != 0:
            print("R ergm failed:", res.stderr.strip().splitlines()[-1:])
            return None
        lines = res.stdout.strip().splitlines()
        sec, its = lines[0].split(",")
        return float(sec), int(its), lines[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=500)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--r", action="store_true", help="also time R ergm if installed")
    args = ap.parse_args()
    t0 = time.perf_counter()
    g, nodes = make_graph(args.n, args.seed)
    print(f"simulated graph: {args.n} actors, {g.number_of_edges()} ties "
          f"({time.perf_counter() - t0:.1f} s)")
    fit, sec, peak = fit_python(g, nodes)
    rows = [("netsoc.models.ergm", args.n, FORMULA, f"{sec:.1f}", f"{peak:.0f}", fit.iterations)]
    if args.r:
        r = fit_r(g, nodes)
        rows.append(("R ergm", args.n, FORMULA, f"{r[0]:.1f}" if r else "n/a (no R ergm)",
                     "n/a", r[1] if r else "n/a"))
    print(pd.DataFrame(rows, columns=["engine", "n actors", "model", "seconds",
                                      "peak memory MiB", "iterations"]).to_string(index=False))
    print("\ntruth:", dict(zip(fit.params.index, TRUTH, strict=True)))
    print(fit.table()[["term", "estimate", "std_error"]].to_string(index=False))
    print("converged:", fit.converged, "notes:", fit.notes)
    print(fit.diagnostics.to_string(index=False))


if __name__ == "__main__":
    main()
