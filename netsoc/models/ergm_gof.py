"""Goodness of fit for ERGMs: degree, edgewise shared partner and geodesic distributions.

The observed network's distributions are compared with those of networks
simulated from the fitted model, as R ``ergm``'s ``gof()`` does: for each
value the simulated mean and the 2.5 and 97.5 % quantiles.

References
----------
Hunter, D. R., Goodreau, S. M. & Handcock, M. S. (2008). Goodness of fit of
social network models. *Journal of the American Statistical Association*,
103(481), 248-258.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import shortest_path

__all__ = ["degree_distribution", "distance_distribution", "esp_distribution", "gof_table"]


def degree_distribution(A: np.ndarray, directed: bool, kind: str = "degree") -> np.ndarray:
    """Counts of nodes by degree 0..n-1 (``kind``: degree, idegree or odegree)."""
    n = A.shape[0]
    if kind == "idegree":
        d = A.sum(axis=0)
    elif kind == "odegree" or not directed:
        d = A.sum(axis=1)
    else:
        d = A.sum(axis=0) + A.sum(axis=1)
    return np.bincount(d.astype(int), minlength=n)


def esp_distribution(A: np.ndarray, directed: bool) -> np.ndarray:
    """Counts of ties by their number of edgewise shared partners 0..n-2.

    Directed networks count outgoing two-paths i -> k -> j of a tie i -> j,
    as ergm's default ``esp`` (OTP) does.
    """
    n = A.shape[0]
    Af = A.astype(float)
    S = Af @ Af
    if directed:
        sp = S[A == 1]
    else:
        iu = np.triu_indices(n, 1)
        sp = S[iu][A[iu] == 1]
    return np.bincount(sp.astype(int), minlength=max(n - 1, 1))[: max(n - 1, 1)]


def distance_distribution(A: np.ndarray, directed: bool) -> np.ndarray:
    """Counts of pairs by geodesic distance 1..n-1, then the unreachable pairs.

    Undirected networks count unordered pairs, directed ones ordered pairs.
    """
    n = A.shape[0]
    D = shortest_path(csr_matrix(A), directed=directed, unweighted=True)
    if directed:
        vals = D[~np.eye(n, dtype=bool)]
    else:
        vals = D[np.triu_indices(n, 1)]
    finite = vals[np.isfinite(vals)].astype(int)
    counts = np.bincount(finite, minlength=n)[1:n]
    return np.append(counts, np.isinf(vals).sum())


def gof_table(observed: np.ndarray, simulated: list[np.ndarray], directed: bool) -> pd.DataFrame:
    """Observed versus simulated distributions.

    Parameters
    ----------
    observed : ndarray
        Observed adjacency (n x n, 0/1).
    simulated : list of ndarray
        Simulated adjacencies.
    directed : bool

    Returns
    -------
    pandas.DataFrame
        Columns ``statistic`` (``degree`` or, for directed networks,
        ``idegree``/``odegree``; ``esp``; ``distance``), ``value`` (a string:
        the degree, the number of shared partners, or the distance, with
        ``"inf"`` for unreachable pairs), ``observed``, ``sim_mean``,
        ``sim_low`` and ``sim_high`` (2.5 and 97.5 % quantiles). Values above
        the largest one seen in the observed or any simulated network are
        left out (they are all zero); ``inf`` is always kept.
    """
    n = observed.shape[0]
    kinds = ["idegree", "odegree"] if directed else ["degree"]
    funcs: list[tuple[str, object]] = [
        (k, lambda A, k=k: degree_distribution(A, directed, k)) for k in kinds]
    funcs += [("esp", lambda A: esp_distribution(A, directed)),
              ("distance", lambda A: distance_distribution(A, directed))]
    frames = []
    for name, fn in funcs:
        obs = fn(observed)
        sims = np.array([fn(S) for S in simulated]) if simulated else np.zeros((0, len(obs)))
        if name == "distance":
            values = [str(v) for v in range(1, n)] + ["inf"]
        else:
            values = [str(v) for v in range(len(obs))]
        used = (obs > 0) | (sims.sum(axis=0) > 0 if len(sims) else False)
        last = int(np.nonzero(used)[0].max()) if used.any() else 0
        keep = np.arange(len(obs)) <= last
        if name == "distance":
            keep[-1] = True
        if len(sims):
            mean = sims.mean(axis=0)
            low, high = np.quantile(sims, [0.025, 0.975], axis=0)
        else:
            mean = low = high = np.full(len(obs), np.nan)
        frames.append(pd.DataFrame({
            "statistic": name, "value": np.array(values)[keep], "observed": obs[keep],
            "sim_mean": mean[keep], "sim_low": low[keep], "sim_high": high[keep]}))
    return pd.concat(frames, ignore_index=True)
