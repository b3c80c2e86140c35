"""Stability over seeds, consensus clustering and the configuration-model null.

Agreement between runs (mean pairwise ARI and NMI) and per-actor stability
(the share of runs in which an actor stays with its reference community);
the consensus partition from the co-assignment of actors across runs
(Lancichinetti & Fortunato 2012); the modularity of Leiden partitions of
seeded degree-preserving rewirings, to judge whether a structure is there
at all.

References
----------
Lancichinetti, A., & Fortunato, S. (2012). Consensus clustering in complex
networks. Scientific Reports, 2, 336.
"""

from __future__ import annotations

import igraph as ig
import numpy as np

from netsoc.communities._core import _STREAM_CONSENSUS, _igraph_rng, _run_seeds
from netsoc.communities.compare import _ari_nmi
from netsoc.communities.runs import _leiden_once, _run_many

# --------------------------------------------------------------------------
# stability over seeds
# --------------------------------------------------------------------------


def _pairwise_agreement(runs: np.ndarray, mask: np.ndarray, rng_seed: int, max_pairs: int):
    """Mean ARI and NMI over pairs of runs (a seeded sample when there are many)."""
    r = runs.shape[0]
    if r < 2:
        return float("nan"), float("nan"), 0
    pairs = [(i, j) for i in range(r) for j in range(i + 1, r)]
    if len(pairs) > max_pairs:
        pick = np.random.default_rng(rng_seed).choice(len(pairs), max_pairs, replace=False)
        pairs = [pairs[k] for k in np.sort(pick)]
    sub = runs[:, mask].astype(np.int64)
    aris, nmis = [], []
    for i, j in pairs:
        ari, nmi = _ari_nmi(sub[i], sub[j])
        aris.append(ari)
        nmis.append(nmi)
    return float(np.mean(aris)), float(np.mean(nmis)), len(pairs)


def _actor_stability(reference: np.ndarray, runs: np.ndarray) -> np.ndarray:
    """Share of runs in which each actor stays with its reference community.

    For each run, every reference community is matched to the run community
    holding the largest number of its members (ties: the lower canonical run
    label, i.e. the larger run community). An actor "stays" in that run when it
    is in the matched run community. Several reference communities may match
    the same run community (a merge keeps everyone; a split loses the smaller
    part).
    """
    ref = np.asarray(reference, dtype=np.int64)
    stay = np.zeros(ref.shape[0], dtype=float)
    for run in runs:
        run = np.asarray(run, dtype=np.int64)
        kr = int(run.max()) + 1
        codes, counts = np.unique(ref * kr + run, return_counts=True)
        rc, rr = codes // kr, codes % kr
        order = np.lexsort((rr, -counts, rc))
        first = np.ones(len(order), dtype=bool)
        first[1:] = rc[order][1:] != rc[order][:-1]
        best = np.full(int(ref.max()) + 1, -1, dtype=np.int64)
        best[rc[order][first]] = rr[order][first]
        stay += run == best[ref]
    return stay / max(len(runs), 1)


# --------------------------------------------------------------------------
# consensus clustering
# --------------------------------------------------------------------------


def _coassignment(runs: np.ndarray, pairs: np.ndarray | None) -> tuple[np.ndarray, np.ndarray,
                                                                         np.ndarray]:
    """Share of runs in which two actors share a community.

    With ``pairs`` (m x 2) only those pairs are scored (the graph's edges:
    sparse, for large graphs); otherwise every pair that is co-assigned in at
    least one run (sparse product of membership indicator matrices).
    """
    from scipy import sparse  # heavy (about 0.5 s to import); only consensus needs it

    r, n = runs.shape
    if pairs is not None:
        if len(pairs) == 0:
            return np.zeros(0, int), np.zeros(0, int), np.zeros(0)
        i, j = pairs[:, 0], pairs[:, 1]
        w = (runs[:, i] == runs[:, j]).mean(axis=0)
        return i, j, w
    # one indicator matrix with a column per (run, community): H H^T counts co-assignments
    offsets = np.concatenate([[0], np.cumsum(runs.max(axis=1) + 1)])
    cols = (runs + offsets[:-1, None]).ravel()
    rows = np.tile(np.arange(n), r)
    h = sparse.csr_matrix((np.ones(r * n), (rows, cols)), shape=(n, int(offsets[-1])))
    acc = sparse.triu(h @ h.T, k=1).tocoo()
    order = np.lexsort((acc.col, acc.row))
    return acc.row[order], acc.col[order], acc.data[order] / r


def _threshold_graph(n, i, j, w, threshold) -> ig.Graph:
    """Graph of co-assignments >= threshold.

    Lancichinetti & Fortunato set entries below the threshold to zero. An actor
    that would lose every link that way keeps its strongest co-assignment
    link(s), so that thresholding alone cannot create singleton communities.
    """
    keep = w >= threshold
    if len(w):
        has = np.zeros(n, dtype=bool)
        has[i[keep]] = True
        has[j[keep]] = True
        best = np.zeros(n)
        np.maximum.at(best, i, w)
        np.maximum.at(best, j, w)
        orphan = ~has & (best > 0)
        rescue = (orphan[i] & (w == best[i])) | (orphan[j] & (w == best[j]))
        keep |= rescue
    d = ig.Graph(n=n, edges=list(zip(i[keep].tolist(), j[keep].tolist(), strict=True)))
    d.es["weight"] = w[keep].tolist()
    return d


def _all_equal(runs: np.ndarray) -> bool:
    return bool((runs == runs[0]).all())


def _consensus(gr, runs, *, threshold, seed_seq, max_iter, full, n_jobs, n_iterations, backend,
               n_round_runs=None):
    """Lancichinetti & Fortunato (2012) consensus; returns (membership, iterations, converged).

    Each round clusters the consensus graph ``n_round_runs`` times (default: as
    many times as there are runs).
    """
    n_round_runs = len(runs) if n_round_runs is None else int(n_round_runs)
    current = runs
    pairs = None
    if not full:
        el = np.asarray(gr.g.get_edgelist(), dtype=np.int64).reshape(-1, 2)
        pairs = el[el[:, 0] != el[:, 1]]
    for it in range(max_iter + 1):
        if _all_equal(current):
            return current[0], it, True
        if it == max_iter:
            break
        i, j, w = _coassignment(current, pairs)
        d = _threshold_graph(gr.n, i, j, w, threshold)
        seeds = _run_seeds(seed_seq, _STREAM_CONSENSUS + it, n_round_runs)
        # the consensus graph is clustered by modularity (resolution 1) whatever the
        # original objective: its weights are shares of runs, not the graph's weights
        res = _run_many("leiden", d, seeds, ("modularity", 1.0, n_iterations, backend), n_jobs)
        current = np.vstack([m for m, _ in res])
    # not converged: the most frequent partition of the last round
    keys = [row.tobytes() for row in current]
    counts = {k: keys.count(k) for k in dict.fromkeys(keys)}
    best = max(counts, key=lambda k: counts[k])
    return current[keys.index(best)], max_iter, False


# --------------------------------------------------------------------------
# null model
# --------------------------------------------------------------------------


def _null_modularity(gr, seeds, objective, resolution, n_iterations, backend, swaps=10):
    """Modularity of Leiden partitions of degree-preserving rewirings of the graph.

    Each null graph is the graph rewired with ``swaps`` x (number of edges)
    seeded degree-preserving swap trials (igraph ``rewire``, no loops or
    multi-edges); the observed weights are then put back on its edges in a
    seeded random order.
    """
    if gr.g.ecount() < 2:
        return np.array([])
    out = []
    for s in seeds:
        h = gr.g.copy()
        with _igraph_rng(s):
            h.rewire(n=int(round(swaps * h.ecount())))
        h.es["weight"] = np.random.default_rng(s).permutation(gr.weights).tolist()
        mem, _ = _leiden_once(h, s, objective, resolution, n_iterations, backend)
        out.append(h.modularity(np.asarray(mem, dtype=np.int64).tolist(), weights="weight"))
    return np.array(out)
