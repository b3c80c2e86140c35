"""Shared core of the communities package: igraph conversion, canonical labels, seeds.

What every family needs: :class:`_Graph` (an igraph copy of a networkx graph
with nodes in ``str(actor_id)`` order), :func:`canonical_labels` (communities
numbered by size), dropping isolated actors and putting them back as
singletons, the independent random streams derived from the user's seed, and
a context that seeds python-igraph's random number generator.
"""

from __future__ import annotations

import contextlib
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

import igraph as ig
import networkx as nx
import numpy as np

# Independent random streams derived from the user's seed.
_STREAM_LEIDEN, _STREAM_LOUVAIN, _STREAM_NULL, _STREAM_SWEEP, _STREAM_PAIRS = range(5)
_STREAM_CONSENSUS = 100


# --------------------------------------------------------------------------
# conversion and canonical labels
# --------------------------------------------------------------------------


@dataclass
class _Graph:
    """An igraph copy of a networkx graph with nodes in canonical order."""

    g: ig.Graph
    nodes: list
    weights: np.ndarray

    @property
    def n(self) -> int:
        return self.g.vcount()

    @property
    def isolated(self) -> np.ndarray:
        deg = np.asarray(self.g.degree(), dtype=int)
        loops = np.asarray(self.g.is_loop(), dtype=bool)
        if loops.any():
            # a self-loop alone does not connect an actor to anyone
            el = np.asarray(self.g.get_edgelist(), dtype=int)[loops]
            np.subtract.at(deg, el[:, 0], 2)
        return deg == 0


def _to_igraph(G: nx.Graph, weight: str | None = "weight") -> _Graph:
    """Convert ``G`` to an undirected weighted igraph graph.

    Nodes are sorted by ``str(node)``; directed graphs are symmetrised with the
    maximum weight of the two directions (the ``collaboration`` convention);
    parallel edges of multigraphs are summed. Missing weights count as 1.
    """
    if not isinstance(G, nx.Graph):
        raise TypeError(f"expected a networkx graph, got {type(G).__name__}")
    nodes = sorted(G.nodes, key=str)
    if len({str(v) for v in nodes}) != len(nodes):
        raise ValueError("node ids must be distinct as text (str(node) is used to order them)")
    index = {v: i for i, v in enumerate(nodes)}
    acc: dict[tuple[int, int], float] = {}
    multi = G.is_multigraph()
    for u, v, data in G.edges(data=True):
        w = 1.0 if weight is None else data.get(weight, 1.0)
        try:
            w = float(w)
        except (TypeError, ValueError):
            raise ValueError(f"edge {u!r}-{v!r}: weight {w!r} is not a number") from None
        if not math.isfinite(w) or w < 0:
            raise ValueError(f"edge {u!r}-{v!r}: weight {w!r} must be a finite number >= 0")
        if w == 0:
            continue
        i, j = index[u], index[v]
        key = (i, j) if i <= j else (j, i)
        if key in acc:
            acc[key] = acc[key] + w if multi and not G.is_directed() else max(acc[key], w)
        else:
            acc[key] = w
    keys = sorted(acc)
    g = ig.Graph(n=len(nodes), edges=keys, directed=False)
    weights = np.array([acc[k] for k in keys], dtype=float)
    g.es["weight"] = weights.tolist()
    return _Graph(g, nodes, weights)


def canonical_labels(membership: Sequence[int] | np.ndarray) -> np.ndarray:
    """Relabel a membership vector canonically (0-based).

    Communities are numbered by size, largest first; ties are broken by the
    smallest position (i.e. the smallest actor id, as nodes are kept in id
    order) in the community.

    Examples
    --------
    >>> canonical_labels([5, 5, 2, 9, 9, 9]).tolist()
    [1, 1, 2, 0, 0, 0]
    """
    m = np.asarray(membership)
    if m.size == 0:
        return m.astype(int)
    _, first, inverse, counts = np.unique(
        m, return_index=True, return_inverse=True, return_counts=True
    )
    order = np.lexsort((first, -counts))
    rank = np.empty(len(order), dtype=int)
    rank[order] = np.arange(len(order))
    return rank[inverse.ravel()]


def _drop_isolates(gr: _Graph) -> tuple[_Graph, np.ndarray]:
    """``gr`` without its actors that have no tie at all, and their positions in ``gr``.

    Actors with only a self-loop stay: the loop counts in the graph's total
    weight, so that modularity on the smaller graph equals modularity on ``gr``
    for every partition in which the dropped actors are singletons.
    """
    keep = np.flatnonzero(np.asarray(gr.g.degree(), dtype=np.int64) > 0)
    pos = np.full(gr.n, -1, dtype=np.int64)
    pos[keep] = np.arange(len(keep))
    el = np.asarray(gr.g.get_edgelist(), dtype=np.int64).reshape(-1, 2)
    # positions are renumbered in order, so the edge list stays sorted as _to_igraph made it
    g = ig.Graph(n=len(keep), edges=pos[el].tolist(), directed=False)
    g.es["weight"] = gr.weights.tolist()
    return _Graph(g, [gr.nodes[i] for i in keep], gr.weights), keep


def _expand(runs: np.ndarray, keep: np.ndarray, n: int) -> np.ndarray:
    """Memberships of the ``keep`` actors (runs x len(keep)) as memberships of all ``n``.

    The other actors (isolated) become singleton communities, as every run of
    Leiden or Louvain leaves them; labels are made canonical again.
    """
    runs = np.atleast_2d(np.asarray(runs, dtype=np.int64))
    rest = np.setdiff1d(np.arange(n), keep)
    out = np.empty((runs.shape[0], n), dtype=np.int64)
    out[:, keep] = runs
    out[:, rest] = (runs.max(axis=1, initial=-1) + 1)[:, None] + np.arange(len(rest))
    return np.vstack([canonical_labels(r) for r in out])


def _run_seeds(seed_seq: np.random.SeedSequence, stream: int, n: int) -> list[int]:
    """``n`` seeds for one random stream, in a range every backend accepts."""
    ss = np.random.SeedSequence(seed_seq.entropy, spawn_key=(stream,))
    return [int(s) % (2**31 - 1) for s in ss.generate_state(max(n, 1), dtype=np.uint32)][:n]


@contextlib.contextmanager
def _igraph_rng(seed: int):
    """Seed python-igraph's random number generator for the duration of a block."""
    ig.set_random_number_generator(random.Random(seed))
    try:
        yield
    finally:
        ig.set_random_number_generator(random)
