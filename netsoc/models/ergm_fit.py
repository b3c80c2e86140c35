"""Numerical pieces of the ERGM fit: logistic MPLE, R's drop rule, stepping, convergence test.

References
----------
Hummel, R. M., Hunter, D. R. & Handcock, M. S. (2012). Improving
simulation-based algorithms for fitting ERGMs. *Journal of Computational and
Graphical Statistics*, 21(4), 920-939.
"""

from __future__ import annotations

import warnings

import numpy as np
import statsmodels.api as sm
from scipy import stats as sps
from scipy.optimize import linprog

TRY = ("try fewer terms (drop triangle/kstar in favour of gwesp), a fixed and smaller decay "
       "in gwesp/gwdegree, or a dyad-independent model")


def _logistic(X: np.ndarray, y: np.ndarray, notes: list[str]
              ) -> tuple[np.ndarray, np.ndarray, float]:
    """Logistic regression on unique design rows (as ergm compresses the MPLE design)."""
    rows, inv = np.unique(np.column_stack([X, y]), axis=0, return_inverse=True)
    counts = np.bincount(inv.ravel(), minlength=len(rows))
    Xu, yu = rows[:, :-1], rows[:, -1]
    # collapse to successes/trials per unique covariate row
    keys, kinv = np.unique(Xu, axis=0, return_inverse=True)
    kinv = kinv.ravel()
    succ = np.bincount(kinv, weights=counts * yu, minlength=len(keys))
    trials = np.bincount(kinv, weights=counts, minlength=len(keys))
    endog = np.column_stack([succ, trials - succ])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = sm.GLM(endog, keys, family=sm.families.Binomial()).fit(tol=1e-12, maxiter=200)
    if any("separation" in str(w.message).lower() for w in caught):
        notes.append("perfect or quasi-complete separation in the (pseudo-)likelihood: some "
                     "estimates are unbounded; " + TRY)
    b = np.asarray(res.params)
    eta = keys @ b
    # Bernoulli log-likelihood of the dyads (GLM's grouped llf adds binomial coefficients)
    ll = float(np.sum(succ * eta - trials * np.logaddexp(0.0, eta)))
    return b, np.asarray(res.cov_params()), ll


def _screen(X: np.ndarray, y: np.ndarray, labels: list[str], ind: set[int],
            notes: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """R's drop rule and aliasing: returns fixed values (NaN = estimate), kept rows, kept cols."""
    p = X.shape[1]
    fixed = np.full(p, np.nan)
    rows = np.ones(len(y), bool)
    for k in range(p):
        x = X[:, k]
        if not np.any(x != 0):
            fixed[k] = np.nan
            notes.append(f"{labels[k]}: statistic does not vary over the free dyads; coefficient "
                         "not estimable (NA in R)")
            continue
        if k not in ind or not (np.all(x >= 0) or np.all(x <= 0)):
            continue
        on_ties = np.abs(x[y == 1]).sum()
        off_ties = np.abs(x[y == 0]).sum()
        if on_ties == 0 or off_ties == 0:
            low = (on_ties == 0) == np.all(x >= 0)
            fixed[k] = -np.inf if low else np.inf
            rows &= x == 0
            notes.append(f"{labels[k]}: observed statistic at its {'smallest' if low else 'largest'}"
                         f" attainable value; coefficient fixed at {fixed[k]} as R's ergm does")
    est = [k for k in range(p) if np.isnan(fixed[k]) and np.any(X[:, k] != 0)]
    keep: list[int] = []
    if not rows.any():
        if est:
            notes.append("no dyads are left once the boundary terms are fixed; the other "
                         "coefficients are not estimable")
        return fixed, rows, np.array(keep, dtype=np.int64)
    for k in est:  # aliased columns get NA, like R's lm/glm
        if np.linalg.matrix_rank(X[rows][:, keep + [k]]) > len(keep):
            keep.append(k)
        else:
            notes.append(f"{labels[k]}: collinear with earlier terms; coefficient not estimable")
    return fixed, rows, np.array(keep, dtype=np.int64)


def _in_hull(Z: np.ndarray, x: np.ndarray) -> bool:
    """Is ``x`` in the convex hull of the rows of ``Z``? (an LP feasibility problem)"""
    m = len(Z)
    res = linprog(np.zeros(m), A_eq=np.vstack([Z.T, np.ones(m)]), b_eq=np.append(x, 1.0),
                  bounds=(0, None), method="highs")
    return bool(res.status == 0)


def _step_length(Z: np.ndarray, margin: float = 0.05) -> float:
    """Hummel et al.'s step: largest gamma with mean + gamma*(obs - mean) inside the hull.

    ``Z`` holds sampled statistics minus observed ones, so ``obs`` is 0.
    """
    mu = Z.mean(axis=0)
    if _in_hull(Z, mu - (1 + margin) * mu):
        return 1.0
    lo, hi = 0.0, 1.0
    for _ in range(12):
        g = (lo + hi) / 2
        if _in_hull(Z, mu - (1 + margin) * g * mu):
            lo = g
        else:
            hi = g
    return lo


def _hotelling(stats: np.ndarray) -> float:
    """p-value of Hotelling's T^2 that the mean sampled statistic equals the observed one.

    ``stats`` (chains x draws x p) holds sampled minus observed statistics. The
    variance of the grand mean comes from the spread of the chain means (batch
    means, one batch per chain), so autocorrelation at every lag within an
    iteration is accounted for.
    """
    K, _, p = stats.shape
    means = stats.mean(axis=1)
    mu = means.mean(axis=0)
    if K <= p + 1:
        return 0.0
    C = np.cov(means, rowvar=False).reshape(p, p) / K
    try:
        t2 = float(mu @ np.linalg.solve(C, mu))
    except np.linalg.LinAlgError:
        return 0.0
    F = (K - p) / (p * (K - 1)) * t2
    return float(sps.f.sf(F, p, K - p))
