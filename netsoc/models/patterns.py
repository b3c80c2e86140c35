"""Binomial GLMs on aggregated covariate patterns, with cluster-robust SEs from cluster score sums.

A placement model such as ``work ~ C(host_type) + C(program)`` clustered by
``host_id`` has a million rows but only a few thousand distinct rows of
(design row, cluster, outcome). The binomial log-likelihood, its score and
its Hessian are sums over rows, so fitting the distinct rows with frequency
weights (the count of each) gives the row-level estimates; the
cluster-robust "meat" is the sum over clusters of the outer product of each
cluster's score sum, and a cluster's score sum is the sum of its patterns'
weighted scores, so it is the row-level sandwich as well. Only the
small-sample factor ``G/(G-1) · (N-1)/(N-K)`` needs the number of *rows*
``N`` (statsmodels would use the number of patterns): it is computed here.

The pattern path is taken by :func:`netsoc.models.glm._fit_regression` when
the patterns are few (:data:`MAX_PATTERN_SHARE` of the rows): covariates at
host, referrer, programme or kommun level. A per-placement continuous
covariate (e.g. ``duration_days``) makes nearly every row its own pattern,
and the row-level fit runs as before. ``tests/test_models_patterns.py`` holds
the two paths equal to 1e-8 (estimates and cluster-robust SEs).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["MAX_PATTERN_SHARE", "Patterns", "collapse", "cluster_covariance", "distinct_rows",
           "pattern_table"]

#: the pattern path is used when patterns are at most this share of the rows
MAX_PATTERN_SHARE = 0.25


class Patterns:
    """The distinct (design row, cluster, outcome) rows of a model, with their counts.

    ``X`` (patterns × terms), ``y`` and ``cluster`` per pattern, ``freq`` the
    number of rows of each, ``inverse`` the pattern of each row (so
    ``pattern_values[inverse]`` gives row values). Patterns are in order of
    first appearance, so everything is deterministic.
    """

    def __init__(self, X: pd.DataFrame, y: np.ndarray, cluster: np.ndarray | None,
                 freq: np.ndarray, inverse: np.ndarray):
        self.X, self.y, self.cluster, self.freq, self.inverse = X, y, cluster, freq, inverse

    def __len__(self) -> int:
        return len(self.y)


def _row_key(columns: list[np.ndarray]) -> np.ndarray:
    """One int64 code per row such that equal rows get equal codes (first-appearance order)."""
    key = np.zeros(len(columns[0]), dtype=np.int64)
    size = 1
    for values in columns:
        codes, uniques = pd.factorize(values)
        k = max(len(uniques), 1)
        if size * k >= 2**62:  # would overflow: re-code what we have so far
            key, distinct = pd.factorize(key)
            size = max(len(distinct), 1)
        key = key * k + codes
        size *= k
    codes, _ = pd.factorize(key)
    return codes


def distinct_rows(X: np.ndarray) -> np.ndarray:
    """The distinct rows of ``X`` (first-appearance order): the same rank as ``X``, far fewer rows."""
    if len(X) < 1000:
        return X
    codes = _row_key([X[:, j] for j in range(X.shape[1])])
    first = np.full(int(codes.max()) + 1, len(codes), dtype=np.int64)
    np.minimum.at(first, codes, np.arange(len(codes)))
    return X[first]


def collapse(y: pd.Series, X: pd.DataFrame, cluster: np.ndarray | None = None,
             max_share: float = MAX_PATTERN_SHARE) -> Patterns | None:
    """The patterns of ``(X row, cluster, y)``, or ``None`` when there are more than ``max_share`` of the rows."""
    yv = y.to_numpy(dtype=float)
    Xv = X.to_numpy(dtype=float)
    cols = [Xv[:, j] for j in range(Xv.shape[1])] + [yv]
    if cluster is not None:
        cols.append(np.asarray(cluster))
    inverse = _row_key(cols)
    n_pat = int(inverse.max()) + 1 if len(inverse) else 0
    if n_pat > max_share * len(yv):
        return None
    first = np.full(n_pat, len(inverse), dtype=np.int64)
    np.minimum.at(first, inverse, np.arange(len(inverse)))
    freq = np.bincount(inverse, minlength=n_pat).astype(float)
    Xp = pd.DataFrame(Xv[first], columns=X.columns)
    return Patterns(Xp, yv[first], None if cluster is None else np.asarray(cluster)[first],
                    freq, inverse)


def cluster_covariance(pat: Patterns, params: np.ndarray, n_clusters: int) -> np.ndarray:
    """Cluster-robust covariance of a logit fit on patterns (statsmodels' ``cov_type="cluster"``).

    ``B⁻¹ (Σ_g u_g u_gᵀ) B⁻¹ · G/(G-1) · (N-1)/(N-K)`` with ``B = Xᵀ diag(f μ(1-μ)) X``,
    ``u_g`` the sum of ``f (y-μ) x`` over the patterns of cluster ``g`` and ``N = Σ f``.
    """
    X = pat.X.to_numpy(dtype=float)
    eta = X @ params
    mu = 1.0 / (1.0 + np.exp(-eta))
    w = pat.freq * mu * (1.0 - mu)
    hessian_inv = np.linalg.inv((X * w[:, None]).T @ X)
    score = X * (pat.freq * (pat.y - mu))[:, None]
    sums = np.zeros((n_clusters, X.shape[1]))
    np.add.at(sums, pat.cluster, score)
    meat = sums.T @ sums
    cov = hessian_inv @ meat @ hessian_inv
    nobs, k = float(pat.freq.sum()), X.shape[1]
    return cov * (n_clusters / (n_clusters - 1.0) * ((nobs - 1.0) / (nobs - k)))


def pattern_table(names, params: np.ndarray, cov: np.ndarray, n_obs: int) -> pd.DataFrame:
    """The coefficient table (as :func:`netsoc.models.glm._table_from`) from estimates and covariance."""
    from scipy import stats as sstats  # why: scipy.stats is slow to import

    bse = np.sqrt(np.diag(cov))
    z = params / bse
    q = sstats.norm.ppf(0.975)
    return pd.DataFrame({
        "term": list(names), "estimate": params, "std_error": bse, "statistic": z,
        "p_value": 2 * sstats.norm.sf(np.abs(z)), "ci_low": params - q * bse,
        "ci_high": params + q * bse, "n_obs": n_obs,
    })
