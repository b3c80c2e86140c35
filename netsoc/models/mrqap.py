"""QAP and MRQAP: permutation tests for network (dyadic) data, and the dyad-level models.

Dyadic observations are not independent: every tie shares its two actors with
many other ties. The quadratic assignment procedure (QAP, Krackhardt 1987,
1988) keeps that dependence intact by permuting the *rows and columns* of a
matrix jointly (relabelling the actors) instead of the cells.

- :func:`qap_correlation` is ``sna::qaptest(list(g1, g2), gcor, g1=1, g2=2)``:
  the Pearson correlation of the off-diagonal cells of two matrices, with the
  second matrix permuted.
- :func:`mrqap` is ``sna::netlm(y, x, nullhyp="qapspp")``: OLS on the
  vectorised off-diagonal cells, with p-values from Dekker, Krackhardt and
  Snijders' (2007) double semi-partialling (DSP) permutations: for each
  predictor, its residual matrix from a regression on the other predictors is
  permuted and put back into the full regression; the t-statistic of the
  permuted column forms the null distribution. The two-sided p-value is the
  share of permuted ``|t|`` at least as large as the observed ``|t|``
  (sna's ``pgreqabs``).

The permutation loop is vectorised: by the Frisch–Waugh–Lovell theorem the
t-statistic of the permuted column only needs its cross-products with the
other predictors and with the residualised outcome, so each batch of
permutations is a few matrix products.

In the models stage, a ``level = "dyad"`` model spec is fitted on the dyad
frame (:mod:`netsoc.models.dyads`) by ``_fit_mrqap`` (MRQAP needs complete
matrices, so actors with missing values are left out, and listed), and
:func:`layer_correlations` gives the QAP correlation of every pair of network
layers (``tables/qap_correlations.csv``).

References
----------
Krackhardt, D. (1988). Predicting with networks: nonparametric multiple
regression analysis of dyadic data. *Social Networks* 10, 359–381.
Dekker, D., Krackhardt, D. & Snijders, T. A. B. (2007). Sensitivity of MRQAP
tests to collinearity and autocorrelation conditions. *Psychometrika* 72, 563–581.
Butts, C. T. (2008). Social network analysis with sna. *Journal of Statistical
Software* 24(6).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from netsoc.i18n import Note
from netsoc.models.design import (
    ModelFit,
    _check_design,
    _dmatrices,
    _formula_columns,
    _missing_report,
    _patsy_ready,
    _Unfittable,
)
from netsoc.models.frames import Frames
from netsoc.schema import ModelSpec

__all__ = [
    "MRQAPResult",
    "QAPCorrelation",
    "layer_correlations",
    "mrqap",
    "mrqap_vectors",
    "offdiag_index",
    "qap_correlation",
]


def offdiag_index(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Row and column indices of the off-diagonal cells of an ``n × n`` matrix.

    Row-major order (``(0,1), (0,2), …, (1,0), (1,2), …``): the order of the
    dyad frame (one row per ordered actor pair, self-pairs excluded).
    """
    rows, cols = np.nonzero(~np.eye(n, dtype=bool))
    return rows, cols


@dataclass
class MRQAPResult:
    """Result of :func:`mrqap`.

    Attributes
    ----------
    table : DataFrame
        One row per term: ``term, estimate, std_error, statistic`` (OLS
        t-value), ``p_value`` (two-sided DSP permutation p-value,
        ``pgreqabs`` in sna), ``p_greater``, ``p_less`` (one-sided),
        ``ci_low, ci_high`` (classical OLS 95 % interval; the permutation test
        gives no interval, so read it as descriptive).
    n_actors, n_obs : int
        Matrix order and number of dyads used.
    r_squared, adj_r_squared, sigma : float
    permutations, seed : int
    dist : ndarray
        ``permutations × terms`` null distribution of t-statistics.
    """

    table: pd.DataFrame
    n_actors: int
    n_obs: int
    r_squared: float
    adj_r_squared: float
    sigma: float
    permutations: int
    seed: int | None
    dist: np.ndarray = field(repr=False)

    def summary(self) -> str:
        head = (
            f"MRQAP (OLS, Dekker DSP permutations={self.permutations}, seed={self.seed}): "
            f"{self.n_actors} actors, {self.n_obs} dyads, R² = {self.r_squared:.4f}"
        )
        return head + "\n" + self.table.to_string(index=False, float_format=lambda v: f"{v:.4g}")


def _ols(X: np.ndarray, y: np.ndarray):
    coef, *_ = np.linalg.lstsq(X, y, rcond=None)
    resid = y - X @ coef
    rank = np.linalg.matrix_rank(X)
    return coef, resid, rank


def _as_matrix(v: np.ndarray, rows: np.ndarray, cols: np.ndarray, n: int) -> np.ndarray:
    m = np.zeros((n, n))
    m[rows, cols] = v
    return m


def _permuted(mat: np.ndarray, perms: np.ndarray, out: np.ndarray) -> np.ndarray:
    """Fill ``out[b]`` with ``mat[p][:, p]`` (flattened) for each permutation ``p``."""
    n = mat.shape[0]
    view = out.reshape(len(perms), n, n)
    for b, p in enumerate(perms):
        np.take(mat.take(p, axis=0), p, axis=1, out=view[b])
    return out


def _perm_tstats(
    e_mat: np.ndarray,
    Zmats: np.ndarray,
    ry_mat: np.ndarray,
    ZtZ_inv: np.ndarray,
    df: int,
    perms: np.ndarray,
    batch: int,
) -> np.ndarray:
    """t-statistics of a permuted residual matrix added to the regressors ``Z``.

    All matrices have a zero diagonal, and a joint row/column permutation maps
    the diagonal onto itself, so sums over whole matrices equal sums over the
    off-diagonal dyads. ``ry`` is the outcome residualised on ``Z``; with
    ``M_Z`` the annihilator of ``Z`` and ``e_p`` the permuted column:
    beta = e_p'ry / e_p'M_Z e_p, RSS = ry'ry - beta² e_p'M_Z e_p,
    t = beta / sqrt(RSS / df / e_p'M_Z e_p)  (Frisch–Waugh–Lovell).
    """
    n = e_mat.shape[0]
    k = Zmats.shape[0]
    # e_p'e_p is the same for every permutation
    ee = float((e_mat * e_mat).sum())
    M = np.vstack([ry_mat.reshape(1, -1), Zmats.reshape(k, -1)])  # (1 + k, n²)
    ryry = float((ry_mat * ry_mat).sum())
    out = np.empty(len(perms))
    buf = np.empty((batch, n * n))
    for start in range(0, len(perms), batch):
        P = perms[start : start + batch]
        Ep = _permuted(e_mat, P, buf[: len(P)])
        cross = Ep @ M.T  # (b, 1 + k)
        ey = cross[:, 0]
        Ze = cross[:, 1:]
        q = ee - np.einsum("ij,jk,ik->i", Ze, ZtZ_inv, Ze) if k else np.full(len(P), ee)
        with np.errstate(divide="ignore", invalid="ignore"):
            beta = ey / q
            rss = np.maximum(ryry - beta**2 * q, 0.0)
            t = beta / np.sqrt(rss / df / q)
        # a permuted column collinear with Z has no defined t (sna's qr would drop it)
        t[~np.isfinite(t) | (q <= 1e-10 * max(ee, 1e-300))] = 0.0
        out[start : start + len(P)] = t
    return out


def mrqap_vectors(
    y: np.ndarray,
    X: np.ndarray,
    rows: np.ndarray,
    cols: np.ndarray,
    n: int,
    *,
    names: list[str] | None = None,
    permutations: int = 1000,
    seed: int | None = None,
    batch: int | None = None,
) -> MRQAPResult:
    """MRQAP with double semi-partialling on already vectorised dyads.

    Parameters
    ----------
    y : array (N,)
        Outcome per dyad (continuous or 0/1).
    X : array (N, k)
        Design matrix per dyad, *including* the intercept column if wanted.
    rows, cols : int arrays (N,)
        Sender and receiver index of each dyad (``0..n-1``, no self-pairs).
        The dyads must cover every off-diagonal cell exactly once.
    n : int
        Number of actors.
    names : list of str, optional
        Term names (default ``x0, x1, …``).
    permutations : int
        Permutations per term (default 1000).
    seed : int, optional
        Seed of the ``numpy.random.Generator`` drawing the permutations.

    Returns
    -------
    MRQAPResult
    """
    y = np.asarray(y, dtype=float)
    X = np.asarray(X, dtype=float)
    if X.ndim == 1:
        X = X[:, None]
    N, k = X.shape
    if len(y) != N or len(rows) != N or len(cols) != N:
        raise ValueError("y, X, rows and cols must have the same length")
    if N != n * (n - 1):
        raise ValueError(f"MRQAP needs every off-diagonal dyad: got {N}, expected {n * (n - 1)}")
    if not (np.isfinite(y).all() and np.isfinite(X).all()):
        raise ValueError("MRQAP needs complete data (no missing values)")
    names = list(names) if names is not None else [f"x{i}" for i in range(k)]

    coef, resid, rank = _ols(X, y)
    if rank < k:
        raise ValueError("the predictors are collinear (design matrix is not of full rank)")
    df = N - k
    sigma2 = float(resid @ resid) / df
    XtX_inv = np.linalg.inv(X.T @ X)
    se = np.sqrt(np.diag(XtX_inv) * sigma2)
    tval = coef / se
    tss = float(((y - y.mean()) ** 2).sum())
    has_const = bool(np.any(np.all(X == X[0], axis=0)))
    if not has_const:
        tss = float(y @ y)
    r2 = 1.0 - float(resid @ resid) / tss if tss > 0 else float("nan")
    adj = 1.0 - (1.0 - r2) * (N - has_const) / df

    rng = np.random.default_rng(seed)
    if batch is None:
        batch = max(1, min(permutations, int(2e6 // (n * n))))
    dist = np.zeros((permutations, k))
    if permutations > 0:
        for i in range(k):
            others = [j for j in range(k) if j != i]
            Z = X[:, others]
            # residual of x_i on the other predictors, as a matrix (diagonal 0)
            if others:
                ci, *_ = np.linalg.lstsq(Z, X[:, i], rcond=None)
                ei = X[:, i] - Z @ ci
            else:
                ei = X[:, i]
            e_mat = _as_matrix(ei, rows, cols, n)
            if others:
                ZtZ_inv = np.linalg.inv(Z.T @ Z)
                ry = y - Z @ (ZtZ_inv @ (Z.T @ y))
                Zmats = np.stack([_as_matrix(Z[:, j], rows, cols, n) for j in range(Z.shape[1])])
            else:
                ZtZ_inv = np.zeros((0, 0))
                ry = y
                Zmats = np.zeros((0, n, n))
            perms = np.argsort(rng.random((permutations, n)), axis=1)
            dist[:, i] = _perm_tstats(
                e_mat, Zmats, _as_matrix(ry, rows, cols, n), ZtZ_inv, df, perms, batch
            )
    if permutations > 0:
        p_abs = (np.abs(dist) >= np.abs(tval)[None, :] - 1e-12).mean(axis=0)
        p_ge = (dist >= tval[None, :] - 1e-12).mean(axis=0)
        p_le = (dist <= tval[None, :] + 1e-12).mean(axis=0)
    else:
        p_abs = p_ge = p_le = np.full(k, np.nan)
    from scipy import stats  # why: slow to import

    tcrit = stats.t.ppf(0.975, df)
    table = pd.DataFrame(
        {
            "term": names,
            "estimate": coef,
            "std_error": se,
            "statistic": tval,
            "p_value": p_abs,
            "p_greater": p_ge,
            "p_less": p_le,
            "ci_low": coef - tcrit * se,
            "ci_high": coef + tcrit * se,
        }
    )
    return MRQAPResult(
        table=table,
        n_actors=n,
        n_obs=N,
        r_squared=r2,
        adj_r_squared=adj,
        sigma=float(np.sqrt(sigma2)),
        permutations=permutations,
        seed=seed,
        dist=dist,
    )


def mrqap(
    y: np.ndarray,
    x: list[np.ndarray] | dict[str, np.ndarray],
    *,
    intercept: bool = True,
    permutations: int = 1000,
    seed: int | None = None,
) -> MRQAPResult:
    """Multiple regression QAP with Dekker's double semi-partialling.

    The same model as ``sna::netlm(y, x, intercept=TRUE, mode="digraph",
    diag=FALSE, nullhyp="qapspp")``: OLS of the off-diagonal cells of ``y``
    on those of each ``x`` matrix; two-sided p-values from the permutation
    distribution of the t-statistics.

    Parameters
    ----------
    y : array (n, n)
        Dependent network (valued or 0/1; 0/1 gives a linear probability model).
    x : list or dict of arrays (n, n)
        Predictor matrices; dict keys become term names.
    intercept : bool
        Add a constant (default True).
    permutations : int
        Permutations per term (default 1000).
    seed : int, optional

    Returns
    -------
    MRQAPResult

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> x1 = rng.random((20, 20))
    >>> y = 2 * x1 + rng.normal(size=(20, 20))
    >>> res = mrqap(y, {"x1": x1}, permutations=200, seed=1)
    >>> res.table["term"].tolist()
    ['(intercept)', 'x1']

    References
    ----------
    Dekker, Krackhardt & Snijders (2007), *Psychometrika* 72, 563–581.
    """
    y = np.asarray(y, dtype=float)
    n = y.shape[0]
    if y.shape != (n, n):
        raise ValueError("y must be a square matrix")
    if isinstance(x, dict):
        names = list(x)
        mats = [np.asarray(v, dtype=float) for v in x.values()]
    else:
        mats = [np.asarray(v, dtype=float) for v in x]
        names = [f"x{i + 1}" for i in range(len(mats))]
    for m in mats:
        if m.shape != (n, n):
            raise ValueError("every x matrix must have the shape of y")
    rows, cols = offdiag_index(n)
    cols_ = [m[rows, cols] for m in mats]
    if intercept:
        cols_.insert(0, np.ones(len(rows)))
        names.insert(0, "(intercept)")
    X = np.column_stack(cols_)
    return mrqap_vectors(
        y[rows, cols], X, rows, cols, n, names=names, permutations=permutations, seed=seed
    )


@dataclass
class QAPCorrelation:
    """Result of :func:`qap_correlation` (``sna::qaptest`` with ``gcor``)."""

    correlation: float
    p_greater: float
    p_less: float
    p_two_sided: float
    permutations: int
    n_actors: int
    dist: np.ndarray = field(repr=False)

    def summary(self) -> str:
        return (
            f"QAP correlation r = {self.correlation:.4f} ({self.n_actors} actors, "
            f"{self.permutations} permutations): P(r_perm >= r) = {self.p_greater:.4f}, "
            f"P(r_perm <= r) = {self.p_less:.4f}, two-sided p = {self.p_two_sided:.4f}"
        )


def qap_correlation(
    a: np.ndarray, b: np.ndarray, *, permutations: int = 1000, seed: int | None = None
) -> QAPCorrelation:
    """QAP test of the correlation between two networks on the same actors.

    The graph correlation is Pearson's r over all off-diagonal cells
    (``sna::gcor(a, b, mode="digraph", diag=FALSE)``; for two symmetric
    matrices this equals the correlation over the lower triangle). The null
    distribution permutes rows and columns of ``b`` jointly, as
    ``sna::qaptest``; ``p_greater`` and ``p_less`` are sna's ``pgreq`` and
    ``pleeq``, ``p_two_sided`` the share of ``|r_perm| >= |r|``.

    Examples
    --------
    >>> a = np.triu(np.arange(25.0).reshape(5, 5) % 3, 1); a = a + a.T
    >>> round(qap_correlation(a, a, permutations=10, seed=1).correlation, 6)
    1.0

    References
    ----------
    Krackhardt, D. (1987). QAP partialling as a test of spuriousness.
    *Social Networks* 9, 171–186.
    """
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    n = a.shape[0]
    if a.shape != (n, n) or b.shape != (n, n):
        raise ValueError("both matrices must be square and of the same order")
    rows, cols = offdiag_index(n)
    va = a[rows, cols]
    va = va - va.mean()
    sa = np.sqrt(va @ va)
    vb = b[rows, cols]
    mb = vb.mean()
    sb = np.sqrt(((vb - mb) ** 2).sum())
    if sa == 0 or sb == 0:
        nan = float("nan")
        return QAPCorrelation(nan, nan, nan, nan, permutations, n, np.zeros(0))
    r = float(va @ (vb - mb) / (sa * sb))
    rng = np.random.default_rng(seed)
    perms = np.argsort(rng.random((permutations, n)), axis=1)
    dist = np.empty(permutations)
    batch = max(1, min(permutations, int(2e6 // (n * n))))
    va_mat = _as_matrix(va, rows, cols, n).reshape(-1)
    b0 = b.copy()
    np.fill_diagonal(b0, 0.0)  # permutations keep the diagonal on the diagonal
    buf = np.empty((batch, n * n))
    # permuting b keeps its mean and variance over the off-diagonal cells
    for s in range(0, permutations, batch):
        P = perms[s : s + batch]
        Bp = _permuted(b0, P, buf[: len(P)])
        dist[s : s + len(P)] = (Bp @ va_mat) / (sa * sb)
    eps = 1e-12
    return QAPCorrelation(
        correlation=r,
        p_greater=float((dist >= r - eps).mean()),
        p_less=float((dist <= r + eps).mean()),
        p_two_sided=float((np.abs(dist) >= abs(r) - eps).mean()),
        permutations=permutations,
        n_actors=n,
        dist=dist,
    )


# --------------------------------------------------------------------------------------
# The dyad-level models of the models stage
# --------------------------------------------------------------------------------------


def _drop_incomplete_actors(frame: pd.DataFrame, cols: list[str]) -> tuple[pd.DataFrame, list[str]]:
    """Remove actors (greedily, most incomplete pairs first) until the dyads are complete."""
    sub = frame
    dropped: list[str] = []
    while True:
        bad = sub[cols].isna().any(axis=1)
        if not bad.any():
            return sub, dropped
        counts = pd.concat([sub.loc[bad, "from_id"], sub.loc[bad, "to_id"]]).value_counts()
        # ties broken by id so the result is deterministic
        top = counts[counts == counts.max()].index.astype(str)
        worst = sorted(top)[0]
        dropped.append(worst)
        sub = sub[(sub["from_id"] != worst) & (sub["to_id"] != worst)]


def _fit_mrqap(spec: ModelSpec, frames: Frames, fit: ModelFit, seed, permutations) -> None:
    frame = frames.dyad
    if frame is None:
        raise _Unfittable(Note("models.no_dyad_frame"))
    opts = dict(spec.options or {})
    perms = int(opts.get("permutations", permutations))
    max_actors = int(opts.get("max_actors", 1000))
    n_all = len(frames.dyad_actors)
    if spec.family not in ("gaussian", "binomial"):
        raise _Unfittable(Note("models.mrqap_family"))
    if "~" not in spec.formula:
        raise _Unfittable(Note("models.no_tilde", formula=spec.formula))
    cols = _formula_columns(spec.formula, frame)
    ready = _patsy_ready(frame[list(dict.fromkeys(["from_id", "to_id", *cols]))])
    missing = _missing_report(ready, cols)
    fit.missing = missing
    sub, dropped = _drop_incomplete_actors(ready, cols)
    n = n_all - len(dropped)
    fit.stats.update(n_rows=len(frame), n_obs=len(sub), n_missing=len(frame) - len(sub))
    if dropped:
        shown = ", ".join(dropped[:10]) + (" …" if len(dropped) > 10 else "")
        fit.warnings.append(Note(
            "models.mrqap_dropped", n_dropped=len(dropped), n_all=n_all,
            missing=[Note("models.missing_pairs", column=c, n=k) for c, k in missing.items()],
            pairs_dropped=len(frame) - len(sub), pairs=len(frame), shown=shown))
    if n < 4:
        raise _Unfittable(Note("models.mrqap_too_few", n=n))
    if n > max_actors:
        raise _Unfittable(Note("models.mrqap_too_large", n=n, pairs=n * (n - 1), limit=max_actors))
    try:
        y, X = _dmatrices(spec.formula, sub)
    except Exception as e:  # noqa: BLE001
        raise _Unfittable(Note("models.formula_unreadable", error=str(e))) from e
    y = y.iloc[:, 0]
    _check_design(y, X, spec)
    keep = [a for a in frames.dyad_actors if a not in set(dropped)]
    pos = {a: i for i, a in enumerate(keep)}
    rows = sub["from_id"].map(pos).to_numpy(dtype=int)
    cols_ = sub["to_id"].map(pos).to_numpy(dtype=int)
    names = ["(intercept)" if c == "Intercept" else c for c in X.columns]
    res = mrqap_vectors(
        y.to_numpy(), X.to_numpy(), rows, cols_, n, names=names, permutations=perms, seed=seed
    )
    tab = res.table[["term", "estimate", "std_error", "statistic", "p_value", "ci_low", "ci_high"]]
    tab = tab.assign(n_obs=res.n_obs)
    fit.table = tab
    fit.result = res
    fit.stats.update(
        n_clusters=np.nan,
        r_squared=res.r_squared,
        permutations=perms,
        n_actors=n,
    )
    if spec.family == "binomial":
        fit.warnings.append(Note("models.lpm"))


# dyad-frame column -> layer name, for layer_correlations
_LAYER_COLUMNS = {
    "collaboration": "tie_weight",
    "reported": "tie_reported",
    "formal": "formal",
    "placement": "placements_ij",
    "coplacement": "coplacements",
}


def layer_correlations(
    frames: Frames, *, permutations: int = 1000, seed: int | None = None, max_actors: int = 1000
) -> pd.DataFrame:
    """QAP correlations between every pair of non-empty layers (from the dyad frame).

    Columns: ``layer_a, layer_b, correlation, p_value`` (two-sided),
    ``p_greater, p_less, permutations, n_actors``. Valued layers (collaboration
    weight, number of placements, shared persons) are correlated as valued
    matrices, as ``sna::gcor`` does.
    """
    cols = [
        "layer_a",
        "layer_b",
        "correlation",
        "p_value",
        "p_greater",
        "p_less",
        "permutations",
        "n_actors",
    ]
    d = frames.dyad
    n = len(frames.dyad_actors)
    if d is None or n < 3 or n > max_actors:
        return pd.DataFrame(columns=cols)
    rows, cols_ = np.nonzero(~np.eye(n, dtype=bool))
    mats = {}
    for layer, col in _LAYER_COLUMNS.items():
        v = d[col].to_numpy(dtype=float)
        if np.nanstd(v) > 0:
            m = np.zeros((n, n))
            m[rows, cols_] = v
            mats[layer] = m
    out = []
    for a, b in itertools.combinations(mats, 2):
        q = qap_correlation(mats[a], mats[b], permutations=permutations, seed=seed)
        out.append((a, b, q.correlation, q.p_two_sided, q.p_greater, q.p_less, permutations, n))
    return pd.DataFrame(out, columns=cols)
