"""Single seeded runs of Leiden and Louvain.

:func:`leiden` (Traag, Waltman & van Eck 2019: modularity with a resolution
parameter or the constant Potts model, by leidenalg or igraph's C
implementation) and :func:`louvain` (Blondel et al. 2008, igraph's
multilevel), and the machinery the other families build on: one run on an
igraph graph, many runs in seed order (in worker processes when asked),
Newman modularity and the membership as a Series.

References
----------
Traag, V. A., Waltman, L., & van Eck, N. J. (2019). From Louvain to Leiden:
guaranteeing well-connected communities. Scientific Reports, 9, 5233.

Blondel, V. D., Guillaume, J.-L., Lambiotte, R., & Lefebvre, E. (2008). Fast
unfolding of communities in large networks. J. Stat. Mech., P10008.
"""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor

import leidenalg as la
import networkx as nx
import numpy as np
import pandas as pd

from netsoc.communities._core import (
    _Graph,
    _igraph_rng,
    _run_seeds,
    _to_igraph,
    canonical_labels,
)

OBJECTIVES = ("modularity", "cpm")
BACKENDS = ("leidenalg", "igraph")
# Above this many actors, leidenalg runs a fixed two iterations instead of
# "until no improvement": on structureless sparse graphs the latter can take
# minutes, while the best of many runs reaches the same quality.
_FULL_ITERATION_MAX_NODES = 1000


# --------------------------------------------------------------------------
# single runs
# --------------------------------------------------------------------------


def _partition_type(objective: str):
    if objective == "modularity":
        return la.RBConfigurationVertexPartition
    if objective == "cpm":
        return la.CPMVertexPartition
    raise ValueError(f"objective must be one of {OBJECTIVES}, got {objective!r}")


def _n_iterations(n: int, n_iterations: int | None) -> int:
    if n_iterations is not None:
        return n_iterations
    return -1 if n <= _FULL_ITERATION_MAX_NODES else 2


def _backend(n: int, backend: str | None) -> str:
    if backend is None or backend == "auto":
        return "leidenalg" if n <= _FULL_ITERATION_MAX_NODES else "igraph"
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {BACKENDS} or 'auto', got {backend!r}")
    return backend


def _quality(g, membership, objective, resolution) -> float:
    """The objective's value (up to a constant factor) for choosing the best run."""
    mem = np.asarray(membership)
    if objective == "modularity":
        return float(g.modularity(mem.tolist(), weights="weight", resolution=resolution))
    el = np.asarray(g.get_edgelist(), dtype=np.int64).reshape(-1, 2)
    w = np.asarray(g.es["weight"], dtype=float)
    inside = float(w[mem[el[:, 0]] == mem[el[:, 1]]].sum()) if len(el) else 0.0
    sizes = np.bincount(mem).astype(float)
    return inside - resolution * float((sizes * (sizes - 1) / 2).sum())


def _leiden_once(g, seed, objective, resolution, n_iterations,
                 backend="leidenalg") -> tuple[np.ndarray, float]:
    if g.ecount() == 0:
        return np.arange(g.vcount()), 0.0
    if backend == "igraph":
        # igraph's own C implementation of Leiden: about ten times faster than leidenalg
        # at national scale; it draws from igraph's RNG, seeded here
        with _igraph_rng(seed):
            cl = g.community_leiden(
                objective_function="modularity" if objective == "modularity" else "CPM",
                weights="weight", resolution=resolution, n_iterations=n_iterations,
            )
        mem = canonical_labels(cl.membership)
        if objective == "modularity":
            # igraph's quality is modularity at `resolution`: no second pass over the edges
            return mem, float(cl.quality)
        return mem, _quality(g, mem, objective, resolution)
    p = la.find_partition(
        g,
        _partition_type(objective),
        weights="weight",
        n_iterations=n_iterations,
        seed=seed,
        resolution_parameter=resolution,
    )
    return canonical_labels(p.membership), float(p.quality())


def _louvain_once(g, seed, resolution) -> tuple[np.ndarray, float]:
    if g.ecount() == 0:
        return np.arange(g.vcount()), 0.0
    # igraph's multilevel takes no seed; it draws its node order from igraph's RNG
    with _igraph_rng(seed):
        cl = g.community_multilevel(weights="weight", resolution=resolution)
    return canonical_labels(cl.membership), float(cl.q)


def _batch(args) -> list[tuple[np.ndarray, float]]:
    kind, g, seeds, params = args
    if kind == "leiden":
        return [_leiden_once(g, s, *params) for s in seeds]
    return [_louvain_once(g, s, *params) for s in seeds]


def _run_many(kind, g, seeds, params, n_jobs=1, progress=None) -> list[tuple[np.ndarray, float]]:
    """Run ``kind`` once per seed; results in seed order whatever ``n_jobs`` is."""
    if n_jobs is None or n_jobs <= 1 or len(seeds) < 4:
        out = []
        for s in seeds:
            out.extend(_batch((kind, g, [s], params)))
            if progress is not None:
                progress.update(1)
        return out
    chunks = [list(c) for c in np.array_split(np.asarray(seeds), min(n_jobs, len(seeds))) if len(c)]
    out = []
    with ProcessPoolExecutor(max_workers=n_jobs) as ex:
        for res in ex.map(_batch, [(kind, g, [int(s) for s in c], params) for c in chunks]):
            out.extend(res)
            if progress is not None:
                progress.update(len(res))
    return out


def _modularity(gr: _Graph, membership: np.ndarray) -> float:
    """Newman's weighted modularity (resolution 1), as ``networkx.community.modularity``."""
    if gr.g.ecount() == 0:
        return float("nan")
    return float(gr.g.modularity(np.asarray(membership, dtype=np.int64).tolist(), weights="weight"))


def _as_series(gr: _Graph, membership: np.ndarray) -> pd.Series:
    return pd.Series(
        np.asarray(membership, dtype=int) + 1, index=pd.Index(gr.nodes, name="actor_id"),
        name="community",
    )


def leiden(
    G: nx.Graph,
    *,
    objective: str = "modularity",
    resolution: float = 1.0,
    weight: str | None = "weight",
    seed: int | None = None,
    n_iterations: int | None = None,
    backend: str = "auto",
) -> pd.Series:
    """One seeded Leiden run on a networkx graph.

    Parameters
    ----------
    G : networkx.Graph
        Any layer; directed graphs are symmetrised (maximum weight).
    objective : {"modularity", "cpm"}
        Modularity with a resolution parameter (``RBConfigurationVertexPartition``;
        resolution 1 is Newman's modularity) or the constant Potts model, whose
        resolution is a density threshold in weight units.
    resolution : float
    weight : str or None
        Edge attribute holding weights; ``None`` for unweighted.
    seed : int, optional
    n_iterations : int, optional
        Leiden iterations; default runs until no improvement for graphs up to
        1,000 nodes and two iterations above.
    backend : {"auto", "leidenalg", "igraph"}
        ``leidenalg`` (Traag's reference implementation) or igraph's built-in
        ``community_leiden`` (same algorithm in igraph's C core, about ten
        times faster on 30,000 actors); ``auto`` uses leidenalg up to 1,000
        nodes and igraph above. Both reach the same quality; their partitions
        for a given seed differ.

    Returns
    -------
    Series
        Community (1 = largest) indexed by node, nodes in ``str`` order.

    References
    ----------
    Traag, Waltman & van Eck (2019), Scientific Reports 9, 5233.

    Examples
    --------
    >>> import networkx as nx
    >>> c = leiden(nx.karate_club_graph(), seed=1)
    >>> c.nunique()
    4
    """
    gr = _to_igraph(G, weight)
    mem, _ = _leiden_once(gr.g, _one_seed(seed), objective, resolution,
                          _n_iterations(gr.n, n_iterations), _backend(gr.n, backend))
    return _as_series(gr, mem)


def louvain(
    G: nx.Graph,
    *,
    resolution: float = 1.0,
    weight: str | None = "weight",
    seed: int | None = None,
) -> pd.Series:
    """One seeded Louvain run (igraph ``community_multilevel``) on a networkx graph.

    igraph's multilevel algorithm takes no seed of its own; it draws its node
    order from igraph's random number generator, which is seeded here for the
    duration of the call (and restored afterwards).

    References
    ----------
    Blondel, Guillaume, Lambiotte & Lefebvre (2008), J. Stat. Mech. P10008.

    Examples
    --------
    >>> import networkx as nx
    >>> louvain(nx.karate_club_graph(), seed=1).nunique() >= 3
    True
    """
    gr = _to_igraph(G, weight)
    mem, _ = _louvain_once(gr.g, _one_seed(seed), resolution)
    return _as_series(gr, mem)


def _one_seed(seed: int | None) -> int:
    return _run_seeds(np.random.SeedSequence(seed), 0, 1)[0]
