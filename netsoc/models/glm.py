"""Regression models of the placement, actor and kommun frames: GLM, GEE and mixed models.

- statsmodels GLMs (binomial, gaussian, poisson; negative binomial via
  ``statsmodels.discrete`` so the dispersion is estimated). With a ``cluster``
  column the standard errors are cluster-robust (Liang & Zeger 1986 sandwich,
  statsmodels' small-sample correction).
- ``method="gee"``: GEE with exchangeable working correlation;
  ``method="mixed"``: a random intercept per cluster (``MixedLM`` for
  gaussian, variational Bayes ``BinomialBayesMixedGLM`` /
  ``PoissonBayesMixedGLM`` otherwise).
- Clusters with fewer than ``min_cluster_size`` rows are merged into pooled
  clusters for cluster-robust SEs and GEE (:func:`pool_small_clusters`);
  fewer than :data:`MIN_CLUSTERS` clusters and (quasi-)separation of a
  binomial outcome are reported as warnings.

References
----------
Liang, K.-Y. & Zeger, S. L. (1986). Longitudinal data analysis using
generalized linear models. *Biometrika* 73, 13–22.
Cameron, A. C. & Miller, D. L. (2015). A practitioner's guide to
cluster-robust inference. *Journal of Human Resources* 50, 317–372.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from netsoc.i18n import Note
from netsoc.models.design import (
    ModelFit,
    _check_design,
    _design,
    _missing_warning,
    _Unfittable,
)
from netsoc.models.patterns import cluster_covariance, collapse, pattern_table
from netsoc.schema import ModelSpec

__all__ = ["MIN_CLUSTERS", "pool_small_clusters"]

#: Minimum number of clusters for trustworthy cluster-robust inference
#: (Cameron & Miller 2015 discuss why few clusters over-reject).
MIN_CLUSTERS = 20


def pool_small_clusters(groups: pd.Series, min_size: int = 2) -> tuple[pd.Series, int]:
    """Merge clusters smaller than ``min_size`` into pooled clusters.

    Small clusters are taken in order of their id (as text) and merged until a
    pooled cluster has at least ``min_size`` rows; a remainder joins the last
    pooled cluster (or, when there is none, the smallest regular cluster). Coarser clusters only allow more within-cluster
    correlation, so cluster-robust standard errors stay valid (Cameron &
    Miller 2015); no row is dropped.

    Returns the new cluster labels and the number of original clusters merged.

    Examples
    --------
    >>> g = pd.Series(["a", "a", "b", "c", "d", "d"])
    >>> pool_small_clusters(g, 2)[0].tolist()
    ['a', 'a', 'pooled_1', 'pooled_1', 'd', 'd']
    """
    groups, n_merged, _, _, _ = _pool_clusters(groups.astype(str), min_size)
    return groups, n_merged


def _pool_clusters(
    labels: pd.Series, min_size: int
) -> tuple[pd.Series, int, np.ndarray, int, int]:
    """:func:`pool_small_clusters` on text labels.

    Returns the pooled labels, the number of clusters merged, the
    ``pd.factorize`` codes of the pooled labels, their number, and the number
    of clusters before pooling.

    Works on the distinct labels (one factorization of the rows), which
    matters with a million rows and tens of thousands of clusters.
    """
    codes, uniques = pd.factorize(labels)
    sizes = np.bincount(codes, minlength=len(uniques))
    if min_size <= 1 or not (sizes < min_size).any():
        return labels, 0, codes, len(uniques), len(uniques)
    size_of = dict(zip(uniques, sizes.tolist(), strict=True))
    small = sorted(u for u, s in size_of.items() if s < min_size)
    mapping: dict[str, str] = {}
    current: list[str] = []
    size = 0
    k = 0
    for g in small:
        current.append(g)
        size += size_of[g]
        if size >= min_size:
            k += 1
            mapping.update({c: f"pooled_{k}" for c in current})
            current, size = [], 0
    if current:
        if k:
            target = f"pooled_{k}"
        else:
            # a lone small remainder joins the smallest regular cluster
            large = [(s, u) for u, s in size_of.items() if s >= min_size]
            target = min(large)[1] if large else "pooled_1"
        mapping.update({c: target for c in current})
    new = np.array([mapping.get(u, u) for u in uniques], dtype=object)
    # uniques are in order of first appearance, so these are pd.factorize(pooled labels) codes
    new_codes, new_uniques = pd.factorize(new)
    pooled = pd.Series(new[codes], index=labels.index, name=labels.name)
    return pooled, len(small), new_codes[codes], len(new_uniques), len(uniques)


def _family(name: str):
    from statsmodels.genmod import families  # why: statsmodels is slow to import

    return {
        "binomial": families.Binomial(),
        "gaussian": families.Gaussian(),
        "poisson": families.Poisson(),
        "negativebinomial": families.NegativeBinomial(alpha=1.0),
    }[name]


def _separation_warnings(y: pd.Series, X: pd.DataFrame, fitted=None) -> list[str]:
    """Dummy terms whose rows (or other rows) all have the same outcome; ``y`` is 0/1.

    With a 0/1 outcome a group is all-equal when its outcome sum is 0 or its
    size, so one matrix product gives every dummy's groups (exact: sums of
    0/1 values).
    """
    out = []
    yname = y.name
    yv = y.to_numpy(dtype=float)
    Xv = X.to_numpy()
    terms = [i for i, c in enumerate(X.columns) if c != "Intercept"]
    Xt = Xv[:, terms]
    dummy = np.all((Xt == 0.0) | (Xt == 1.0), axis=0)
    cols = [t for t, d in zip(terms, dummy, strict=True) if d]
    if cols:
        D = Xv[:, cols]
        n1 = D.sum(axis=0)
        s1 = yv @ D
        n0, s0 = len(yv) - n1, yv.sum() - s1
    for j, i in enumerate(cols):
        c = X.columns[i]
        for level, n, s in ((1.0, n1[j], s1[j]), (0.0, n0[j], s0[j])):
            if n == 0:
                continue
            if s == 0 or s == n:
                who = Note("models.term" if level == 1.0 else "models.not_term", term=c)
                out.append(Note("models.separation", n=int(n), who=who, outcome=yname,
                                value=1.0 if s == n else 0.0))
                break
    if fitted is not None and not out:
        f = np.asarray(fitted)
        extreme = ((f < 1e-6) | (f > 1 - 1e-6)).sum()
        if extreme:
            out.append(Note("models.quasi_separation", outcome=yname, n=int(extreme)))
    return out


def _table_from(res, n_obs: int, names=None) -> pd.DataFrame:
    params = np.asarray(res.params, dtype=float)
    bse = np.asarray(res.bse, dtype=float)
    ci = np.asarray(res.conf_int(), dtype=float)
    stat = np.asarray(res.tvalues, dtype=float)
    pv = np.asarray(res.pvalues, dtype=float)
    terms = list(names) if names is not None else list(res.params.index)
    return pd.DataFrame(
        {
            "term": terms,
            "estimate": params,
            "std_error": bse,
            "statistic": stat,
            "p_value": pv,
            "ci_low": ci[:, 0],
            "ci_high": ci[:, 1],
            "n_obs": n_obs,
        }
    )


def _fit_regression(spec: ModelSpec, frame: pd.DataFrame, method: str, fit: ModelFit) -> None:
    # why: scipy.stats and statsmodels are slow to import; only the modules used, not
    # statsmodels.api (which imports all of statsmodels: 0.3 s)
    from scipy import stats as sstats

    opts = dict(spec.options or {})
    cluster = spec.cluster
    if method in ("gee", "mixed") and not cluster:
        raise _Unfittable(Note("models.needs_cluster", method=method))
    if cluster and cluster not in frame.columns:
        raise _Unfittable(Note("models.cluster_not_column", cluster=cluster, level=spec.level))
    n_rows = len(frame)
    y, X, complete, missing = _design(spec, frame, [cluster] if cluster else [])
    fit.missing = missing
    fit.stats.update(n_rows=n_rows, n_obs=len(y), n_missing=n_rows - len(y))
    w = _missing_warning(n_rows, len(y), missing)
    if w:
        fit.warnings.append(w)
    _check_design(y, X, spec)
    groups = None
    if cluster:
        raw = complete[cluster].astype(str)
        # mixed models keep every cluster as it is
        min_size = 1 if method == "mixed" else int(opts.get("min_cluster_size", 2))
        groups, n_pooled, codes, n_cl, n_raw = _pool_clusters(raw, min_size)
        fit.stats.update(n_clusters=n_cl, n_clusters_pooled=n_pooled)
        if n_cl < 2:
            raise _Unfittable(Note("models.too_few_clusters", n=n_raw, cluster=cluster))
        if n_pooled:
            fit.warnings.append(Note("models.pooled_clusters", pooled=n_pooled, n_raw=n_raw,
                                     cluster=cluster,
                                     min_size=int(opts.get("min_cluster_size", 2)), n=n_cl))
        if n_cl < MIN_CLUSTERS:
            fit.warnings.append(Note("models.few_clusters", n=n_cl, cluster=cluster,
                                     min_clusters=MIN_CLUSTERS))
        if n_cl <= X.shape[1] and method != "mixed":
            fit.warnings.append(Note("models.clusters_lt_coefs", n=n_cl, k=X.shape[1]))
    pat = row_mu = None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if method == "glm":
            if spec.family == "negativebinomial":
                # why: see above, only the model fitted
                from statsmodels.discrete.discrete_model import NegativeBinomial

                model = NegativeBinomial(y, X)
                kw = {"cov_type": "cluster", "cov_kwds": {"groups": codes}} if cluster else {}
                res = model.fit(disp=0, maxiter=int(opts.get("maxiter", 200)), **kw)
            else:
                # why: see above, only the model fitted
                from statsmodels.genmod.generalized_linear_model import GLM

                # binomial covariates at host/referrer/programme/kommun level: fit the
                # distinct (design row, cluster, outcome) patterns (netsoc.models.patterns)
                pat = (collapse(y, X, codes if cluster else None)
                       if spec.family == "binomial" else None)
                if pat is not None:
                    model = GLM(pat.y, pat.X, family=_family(spec.family), freq_weights=pat.freq)
                    res = model.fit(maxiter=int(opts.get("maxiter", 100)))
                    row_mu = np.asarray(res.mu)[pat.inverse]
                    fit.stats["n_patterns"] = len(pat)
                else:
                    model = GLM(y, X, family=_family(spec.family))
                    kw = {"cov_type": "cluster", "cov_kwds": {"groups": codes}} if cluster else {}
                    res = model.fit(maxiter=int(opts.get("maxiter", 100)), **kw)
                    row_mu = res.mu
            if pat is not None and cluster:
                params = np.asarray(res.params, dtype=float)
                table = pattern_table(X.columns, params, cluster_covariance(pat, params, n_cl),
                                      len(y))
            else:
                table = _table_from(res, len(y))
        elif method == "gee":
            if spec.family == "negativebinomial":
                fit.warnings.append(Note("models.gee_nb_alpha"))
            # why: see above, only the model fitted
            from statsmodels.genmod.cov_struct import Exchangeable
            from statsmodels.genmod.generalized_estimating_equations import GEE

            model = GEE(
                y,
                X,
                groups=codes,
                family=_family(spec.family),
                cov_struct=Exchangeable(),
            )
            res = model.fit(maxiter=int(opts.get("maxiter", 100)))
            table = _table_from(res, len(y))
        elif method == "mixed":
            if spec.family == "gaussian":
                # why: see above, only the model fitted
                from statsmodels.regression.mixed_linear_model import MixedLM

                res = MixedLM(y, X, groups=codes).fit(reml=True)
                table = _table_from(res, len(y))
                table = table[table["term"].isin(X.columns) | (table["term"] == "Group Var")]
                table["term"] = table["term"].replace({"Group Var": f"var({cluster})"})
            elif spec.family in ("binomial", "poisson"):
                # why: see above, only the model fitted
                from scipy import sparse
                from statsmodels.genmod.bayes_mixed_glm import (
                    BinomialBayesMixedGLM,
                    PoissonBayesMixedGLM,
                )

                cls = BinomialBayesMixedGLM if spec.family == "binomial" else PoissonBayesMixedGLM
                vc = sparse.csr_matrix(
                    (np.ones(len(codes)), (np.arange(len(codes)), codes)),
                    shape=(len(codes), codes.max() + 1),
                )
                res = cls(
                    y.to_numpy(),
                    X.to_numpy(),
                    vc,
                    np.zeros(vc.shape[1], dtype=int),
                    vcp_p=float(opts.get("vcp_p", 1.0)),
                    fe_p=float(opts.get("fe_p", 2.0)),
                ).fit_vb()
                mean = np.concatenate([res.fe_mean, res.vcp_mean])
                sd = np.concatenate([res.fe_sd, res.vcp_sd])
                z = mean / sd
                q = sstats.norm.ppf(0.975)
                table = pd.DataFrame(
                    {
                        "term": [*X.columns, f"log_sd({cluster})"],
                        "estimate": mean,
                        "std_error": sd,
                        "statistic": z,
                        "p_value": 2 * sstats.norm.sf(np.abs(z)),
                        "ci_low": mean - q * sd,
                        "ci_high": mean + q * sd,
                        "n_obs": len(y),
                    }
                )
                table.loc[table.index[-1], ["statistic", "p_value"]] = np.nan
                fit.warnings.append(Note("models.mixed_vb"))
            else:
                raise _Unfittable(Note("models.mixed_nb_unavailable"))
        else:
            raise _Unfittable(Note("models.unknown_method", method=method))
    for c in caught:
        cat = c.category.__name__
        msg = str(c.message)
        if "Separation" in cat or "separation" in msg.lower():
            fit.warnings.append(Note("models.statsmodels_separation", detail=msg.split("\n")[0]))
        elif "Convergence" in cat or "converge" in msg.lower():
            fit.warnings.append(Note("models.not_converged", detail=msg.split("\n")[0]))
    if spec.family == "binomial":
        fitted = getattr(res, "fittedvalues", None) if method != "mixed" else None
        if method == "glm":
            fitted = row_mu
        fit.warnings.extend(_separation_warnings(y, X, fitted))
    if not np.all(np.isfinite(table["std_error"].to_numpy(dtype=float))):
        fit.warnings.append(Note("models.se_not_finite"))
    fit.table = table.reset_index(drop=True)
    fit.result = res
    st = fit.stats
    for attr in ("llf", "aic", "bic", "deviance"):
        # GLM's .bic is deviance-based (deprecated); use the likelihood version
        v = getattr(res, "bic_llf", None) if attr == "bic" and hasattr(res, "bic_llf") else None
        v = v if v is not None else getattr(res, attr, None)
        try:
            st[attr] = float(v) if v is not None else np.nan
        except (TypeError, ValueError):
            st[attr] = np.nan
    llnull = getattr(res, "llnull", None)
    try:
        if llnull is not None and spec.family != "gaussian":
            st["pseudo_r2"] = 1.0 - float(res.llf) / float(llnull)
    except Exception:  # noqa: BLE001 - llnull is refitted lazily and may fail; stat is optional
        pass
    if spec.family == "gaussian" and method == "glm":
        st["r_squared"] = 1.0 - float(res.deviance) / float(res.null_deviance)
