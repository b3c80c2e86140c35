"""Exponential random graph models (ERGM) with R statnet ``ergm`` semantics.

Term names, coefficient labels and the estimation rule follow R's ``ergm``:
dyad-independent models are fitted exactly by logistic regression on the
dyads (their pseudo-likelihood is the likelihood); dyad-dependent models start
from the MPLE and are fitted by Monte Carlo MLE (Hummel-style stepping with
the log-normal Geyer-Thompson approximation), with standard errors from the
covariance of the sampled statistics (the MCMC estimate of the information
matrix). :func:`tie_change` fits the separable temporal ERGM of two waves by
conditional MLE, as R ``tergm``'s ``estimate = "CMLE"``.

Node order is ``sorted(graph.nodes)`` (insertion order when the labels do not
sort); ``node_attributes`` and labelled dyad covariates are aligned to it by
label, plain ``ndarray`` covariates must already be in that order.

References
----------
Hunter, D. R. & Handcock, M. S. (2006). Inference in curved exponential
family models for networks. *Journal of Computational and Graphical
Statistics*, 15(3), 565-583.

Snijders, T. A. B., Pattison, P. E., Robins, G. L. & Handcock, M. S. (2006).
New specifications for exponential random graph models. *Sociological
Methodology*, 36, 99-153.

Krivitsky, P. N. & Handcock, M. S. (2014). A separable model for dynamic
networks. *Journal of the Royal Statistical Society B*, 76(1), 29-46.

Hummel, R. M., Hunter, D. R. & Handcock, M. S. (2012). Improving
simulation-based algorithms for fitting ERGMs. *Journal of Computational and
Graphical Statistics*, 21(4), 920-939.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
from scipy import stats as sps

from .ergm_fit import TRY as _TRY
from .ergm_fit import _hotelling, _logistic, _screen, _step_length
from .ergm_gof import gof_table
from .ergm_sampler import Sampler, mcmc_diagnostics
from .ergm_terms import Term, bind_term, parse_formula

__all__ = ["ERGMResults", "MCMCOptions", "ergm", "parse_formula", "tie_change", "Term"]

METHOD_EXACT = "MPLE (exact, dyad-independent)"
METHOD_MCMC = "MCMC-MLE"


@dataclass
class MCMCOptions:
    """Settings of the MCMC-MLE (per chain; chains run in lock step).

    Attributes
    ----------
    burnin : int
        Steps per chain before the draws of every iteration (chains continue
        from the previous iteration, as in ergm).
    interval : int
        Steps per chain between draws.
    sample_size : int
        Draws per iteration over all chains (ergm's ``MCMC.samplesize``).
    n_chains : int
        Chains run in lock step (vectorised).
    max_iterations : int
        MCMC-MLE iterations before giving up (ergm's ``MCMLE.maxit``).
    conv_min_pval : float
        Converged when the Hotelling test that the sampled mean statistics
        equal the observed ones has at least this p-value (as ergm 3's
        ``MCMLE.conv.min.pval``, whose default is 0.5) ...
    tolerance : float
        ... and no statistic's mean is further than ``tolerance`` sampled
        standard deviations from its observed value.
    """

    burnin: int = 1024
    interval: int = 64
    sample_size: int = 1024
    n_chains: int = 64
    max_iterations: int = 60
    conv_min_pval: float = 0.25
    tolerance: float = 0.2


def _node_order(graph: nx.Graph) -> list[Any]:
    try:
        return sorted(graph.nodes)
    except TypeError:
        return list(graph.nodes)


class _Model:
    """A formula bound to a network: dyads, statistics and designs."""

    def __init__(self, Y: np.ndarray, nodes: list[Any], directed: bool, terms: list[Term],
                 attributes: pd.DataFrame, covariates: dict[str, np.ndarray],
                 free: np.ndarray | None = None) -> None:
        n = len(nodes)
        self.n, self.nodes, self.directed, self.Y = n, nodes, directed, Y.astype(np.int8)
        if directed:
            tails, heads = np.nonzero(~np.eye(n, dtype=bool))
        else:
            tails, heads = np.triu_indices(n, 1)
        self.tails, self.heads = tails.astype(np.int64), heads.astype(np.int64)
        self.terms = terms
        self.bound = [bind_term(t, n, directed, attributes, covariates) for t in terms]
        self.labels: list[str] = []
        self.cols: list[np.ndarray] = []
        for b in self.bound:
            self.cols.append(np.arange(len(self.labels), len(self.labels) + len(b.labels)))
            self.labels += b.labels
        self.p = len(self.labels)
        self.independent = all(b.independent for b in self.bound)
        ind = [k for b, c in zip(self.bound, self.cols, strict=True) if b.independent for k in c]
        self.ind_cols = np.array(ind, dtype=np.int64)
        parts = [b.covariate(self.tails, self.heads) for b in self.bound if b.independent]
        self.X_ind = np.hstack(parts) if parts else np.zeros((len(self.tails), 0))
        self.dep_terms = [(b, c) for b, c in zip(self.bound, self.cols, strict=True)
                          if not b.independent]
        self.needs_deg = any(b.needs_deg for b in self.bound)
        self.needs_sp = any(b.needs_sp for b in self.bound)
        self.free = np.ones(len(self.tails), bool) if free is None else free
        self.free_ids = np.nonzero(self.free)[0]
        self.s_obs = self.stats(self.Y)

    def stats(self, A: np.ndarray) -> np.ndarray:
        return np.concatenate([b.stat(A) for b in self.bound]).astype(float)

    def design(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """MPLE design (change statistics) and response for dyads ``ids``."""
        tails, heads = self.tails[ids], self.heads[ids]
        X = np.hstack([b.change_all(self.Y, tails, heads) for b in self.bound]).astype(float)
        return X, self.Y[tails, heads].astype(float)


@dataclass
class ERGMResults:
    """Results of an ERGM fit (statsmodels-like).

    Attributes
    ----------
    params, bse : pandas.Series
        Estimates and standard errors by R term label (``NaN`` when not
        estimable or when the fit failed; ``-inf`` for a term at its boundary).
    cov : pandas.DataFrame
        Covariance of the estimates.
    converged : bool
    method : str
        ``"MPLE (exact, dyad-independent)"`` or ``"MCMC-MLE"``.
    n_dyads : int
        Number of free dyads (the observations).
    notes : list of str
        Everything the reader must know: dropped terms, non-convergence or
        degeneracy with what to try.
    diagnostics : pandas.DataFrame
        ``term, autocorrelation, ess`` of the final MCMC sample (empty for
        exact fits).
    iterations : int
        MCMC-MLE iterations run (0 for exact fits).
    mple : pandas.Series
        The maximum pseudo-likelihood estimate (the start).
    loglik : float
        Log-likelihood (exact fits only, else NaN).
    """

    params: pd.Series
    bse: pd.Series
    cov: pd.DataFrame
    converged: bool
    method: str
    n_dyads: int
    notes: list[str]
    diagnostics: pd.DataFrame
    iterations: int
    mple: pd.Series
    loglik: float
    formula: str
    observed: pd.Series
    _model: _Model = field(repr=False)
    _options: MCMCOptions = field(repr=False)
    _seed: int = 0

    def table(self) -> pd.DataFrame:
        """Estimates with z-tests and 95 % confidence intervals.

        Returns
        -------
        pandas.DataFrame
            Columns ``term, estimate, std_error, statistic, p_value, ci_low,
            ci_high, n_obs`` (``n_obs`` = free dyads).
        """
        est, se = self.params.to_numpy(), self.bse.to_numpy()
        with np.errstate(invalid="ignore", divide="ignore"):
            z = np.where(se > 0, est / se, np.nan)
        q = sps.norm.ppf(0.975)
        return pd.DataFrame({
            "term": self.params.index, "estimate": est, "std_error": se, "statistic": z,
            "p_value": 2 * sps.norm.sf(np.abs(z)), "ci_low": est - q * se,
            "ci_high": est + q * se, "n_obs": self.n_dyads})

    def summary(self) -> str:
        """A text summary in the layout of R's ``summary(ergm_fit)``."""
        t = self.table()
        head = ("Maximum Likelihood Results:" if self.method == METHOD_EXACT
                else "Monte Carlo Maximum Likelihood Results:")
        width = max(len(s) for s in t.term) if len(t) else 5
        lines = [f"Call:\nergm(formula = {self.formula})", "", head, "",
                 f"{'':{width}} {'Estimate':>10} {'Std. Error':>10} {'z value':>8} "
                 f"{'Pr(>|z|)':>9}"]
        for r in t.itertuples():
            p = r.p_value
            stars = ("***" if p < 0.001 else "**" if p < 0.01 else "*" if p < 0.05 else
                     "." if p < 0.1 else "") if np.isfinite(p) else ""
            ptxt = "<1e-04" if p < 1e-4 else f"{p:.4f}" if np.isfinite(p) else "NA"
            lines.append(f"{r.term:{width}} {r.estimate:10.5f} {r.std_error:10.5f} "
                         f"{r.statistic:8.3f} {ptxt:>9} {stars}")
        lines += ["---", "Signif. codes:  0 '***' 0.001 '**' 0.01 '*' 0.05 '.' 0.1 ' ' 1", ""]
        if np.isfinite(self.loglik):
            k = int(np.isfinite(self.params).sum())
            lines.append(f"Log-likelihood: {self.loglik:.4f}   AIC: {2 * k - 2 * self.loglik:.1f}"
                         f"   BIC: {k * np.log(self.n_dyads) - 2 * self.loglik:.1f}")
        lines.append(f"Dyads (free): {self.n_dyads}   Method: {self.method}   "
                     f"Converged: {self.converged}   Iterations: {self.iterations}")
        lines += [f"Note: {s}" for s in self.notes]
        return "\n".join(lines)

    def _theta(self) -> np.ndarray:
        th = self.params.to_numpy(dtype=float)
        if not self.converged and self.method == METHOD_MCMC and np.isnan(th).all():
            raise ValueError("cannot simulate from a fit that failed: " + " ".join(self.notes))
        return np.where(np.isnan(th), 0.0, th)

    def simulate_adjacency(self, n: int, seed: int | None = None) -> list[np.ndarray]:
        """``n`` adjacency matrices simulated from the fitted model (node order as the fit)."""
        m, th = self._model, self._theta()
        rng = np.random.default_rng(self._seed + 1 if seed is None else seed)
        if m.independent:  # exact: independent Bernoulli dyads
            with np.errstate(invalid="ignore"):
                eta = m.X_ind[m.free_ids] @ np.where(np.isinf(th), 0, th)
                for k in np.nonzero(np.isinf(th))[0]:
                    eta = eta + np.where(m.X_ind[m.free_ids, k] != 0, th[k], 0.0)
            prob = 1.0 / (1.0 + np.exp(-eta))
            out = []
            for _ in range(n):
                A = m.Y.copy()
                A[m.tails[m.free_ids], m.heads[m.free_ids]] = rng.random(len(prob)) < prob
                if not m.directed:
                    A = np.triu(A, 1)
                    A = A + A.T
                out.append(A.astype(np.int8))
            return out
        o = self._options
        k = max(1, min(o.n_chains, n))
        s = Sampler(m, k, rng)
        s.run(np.where(np.isinf(th), 0, th), o.burnin)
        per = -(-n // k)
        _, nets = s.run(np.where(np.isinf(th), 0, th), per * o.interval, o.interval, True)
        return nets[:n]

    def simulate(self, n: int = 1, seed: int | None = None) -> list[nx.Graph]:
        """``n`` networks (``nx.Graph``/``nx.DiGraph`` on the fit's nodes) simulated from the fit."""
        m = self._model
        out = []
        for A in self.simulate_adjacency(n, seed):
            G = nx.DiGraph() if m.directed else nx.Graph()
            G.add_nodes_from(m.nodes)
            ii, jj = np.nonzero(A if m.directed else np.triu(A, 1))
            G.add_edges_from((m.nodes[a], m.nodes[b]) for a, b in zip(ii, jj, strict=True))
            out.append(G)
        return out

    def gof(self, n_sim: int = 100, seed: int | None = None) -> pd.DataFrame:
        """Goodness of fit: observed vs simulated degree, ESP and geodesic distributions.

        See :func:`netsoc.models.ergm_gof.gof_table` for the columns.
        """
        sims = self.simulate_adjacency(n_sim, seed)
        return gof_table(self._model.Y, sims, self._model.directed)


def _fit(model: _Model, formula: str, seed: int, options: MCMCOptions,
         notes: list[str]) -> ERGMResults:
    labels, p = model.labels, model.p
    X, y = model.design(model.free_ids)
    ind = {int(k) for k in model.ind_cols}
    fixed, rows, keep = _screen(X, y, labels, ind, notes)
    theta = fixed.copy()
    cov = np.full((p, p), np.nan)
    loglik = np.nan
    n_obs = len(model.free_ids)
    if n_obs == 0:
        notes.append("no free dyads: nothing to estimate")
    if len(keep) and rows.any():
        b, V, ll = _logistic(X[rows][:, keep], y[rows], notes)
        theta[keep] = b
        cov[np.ix_(keep, keep)] = V
        loglik = ll
    mple = pd.Series(theta.copy(), index=labels)
    res_kw = dict(formula=formula, observed=pd.Series(model.s_obs, index=labels), _model=model,
                  _options=options, _seed=seed, mple=mple, n_dyads=n_obs)
    if model.independent:
        return ERGMResults(
            params=pd.Series(theta, index=labels), bse=pd.Series(np.sqrt(np.diag(cov)),
                                                                 index=labels),
            cov=pd.DataFrame(cov, index=labels, columns=labels), converged=len(keep) > 0 or
            not np.isnan(theta).all(), method=METHOD_EXACT, notes=notes,
            diagnostics=pd.DataFrame(columns=["term", "autocorrelation", "ess"]),
            iterations=0, loglik=loglik, **res_kw)
    est = keep  # dyad-dependent: MCMC over the estimable coefficients
    if len(est) == 0:
        notes.append("no coefficient is estimable by MCMC-MLE (see the notes above)")
        return ERGMResults(
            params=pd.Series(theta, index=labels), bse=pd.Series(np.nan, index=labels),
            cov=pd.DataFrame(cov, index=labels, columns=labels), converged=False,
            method=METHOD_MCMC, notes=notes,
            diagnostics=pd.DataFrame(columns=["term", "autocorrelation", "ess"]), iterations=0,
            loglik=np.nan, **res_kw)
    if not rows.all():  # dyads fixed by a boundary term cannot change in the sampler
        model.free = model.free.copy()
        model.free[model.free_ids[~rows]] = False
        model.free_ids = np.nonzero(model.free)[0]
    converged, it, stats, degenerate = False, 0, None, None
    rng = np.random.default_rng(seed)
    sampler = Sampler(model, options.n_chains, rng)
    per = max(2, -(-options.sample_size // options.n_chains))
    th = np.where(np.isfinite(theta), theta, 0.0)
    free_total = len(model.free_ids)
    for it in range(1, options.max_iterations + 1):
        # as ergm, a burn-in at every iteration: the chains carry over from the last
        # parameter value and must forget it before they are sampled
        sampler.run(th, options.burnin)
        stats, _ = sampler.run(th, per * options.interval, options.interval)
        Z = stats.reshape(-1, p)[:, est]
        diag = mcmc_diagnostics(stats[:, :, est], [labels[k] for k in est])
        dens = sampler.state.ecount.mean() / max(free_total, 1)
        obs_dens = (model.Y[model.tails[model.free_ids], model.heads[model.free_ids]]).mean() \
            if free_total else 0.0
        sd = Z.std(axis=0, ddof=1)
        if np.any(sd == 0):
            flat = ", ".join(labels[est[k]] for k in np.nonzero(sd == 0)[0])
            degenerate = (f"{flat} did not vary in the sampled networks at iteration {it} "
                          f"(MPLE {', '.join(f'{mple.iloc[est[k]]:.3g}' for k in np.nonzero(sd == 0)[0])}"
                          "): the observed statistic is at or near the edge of what the free "
                          "dyads allow, so its MLE may not exist")
            break
        if (dens > 0.9 and obs_dens < 0.5) or (dens < obs_dens / 20):
            degenerate = (f"the sampled networks collapsed (mean density of the free dyads "
                          f"{dens:.3f}, observed {obs_dens:.3f}) at iteration {it}: the model "
                          "is degenerate or near-degenerate at these parameter values")
            break
        mu = Z.mean(axis=0)
        pval = _hotelling(stats[:, :, est])
        if it > 1 and pval >= options.conv_min_pval and np.all(np.abs(mu) / sd
                                                                <= options.tolerance):
            converged = True
        Sigma = np.cov(Z, rowvar=False).reshape(len(est), len(est))
        gamma = _step_length(Z)
        try:
            step = np.linalg.solve(Sigma, -gamma * mu)
        except np.linalg.LinAlgError:
            degenerate = "the covariance of the sampled statistics is singular"
            break
        th[est] = th[est] + step
        if not np.all(np.isfinite(th)) or np.abs(th).max() > 1e4:
            degenerate = f"the estimates diverged at iteration {it}"
            break
        if converged:
            cov_e = np.linalg.inv(Sigma)
            cov[np.ix_(est, est)] = cov_e
            break
    if degenerate is not None:
        notes.append(f"MCMC-MLE failed: {degenerate}. Estimates are set to NaN. {_TRY}.")
        theta[est] = np.nan
    elif not converged:
        notes.append(f"MCMC-MLE did not converge in {options.max_iterations} iterations (last "
                     f"Hotelling p = {pval:.3f}); estimates are not reliable. Raise "
                     f"max_iterations or sample_size, or {_TRY}.")
        theta[est] = th[est]
        cov[np.ix_(est, est)] = np.linalg.pinv(Sigma)
    else:
        theta[est] = th[est]
    if not converged and stats is None:
        diag = pd.DataFrame(columns=["term", "autocorrelation", "ess"])
    return ERGMResults(
        params=pd.Series(theta, index=labels),
        bse=pd.Series(np.sqrt(np.diag(cov)), index=labels),
        cov=pd.DataFrame(cov, index=labels, columns=labels), converged=converged,
        method=METHOD_MCMC, notes=notes, diagnostics=diag, iterations=it, loglik=np.nan,
        **res_kw)


def _prepare(graph: nx.Graph, node_attributes: pd.DataFrame | None,
             dyad_covariates: dict[str, Any] | None, nodes: list[Any] | None = None
             ) -> tuple[list[Any], pd.DataFrame, dict[str, np.ndarray], list[str]]:
    if not isinstance(graph, nx.Graph):
        raise TypeError("graph must be a networkx Graph or DiGraph")
    if graph.is_multigraph():
        raise ValueError("multigraphs are not supported; collapse parallel edges first")
    nodes = _node_order(graph) if nodes is None else nodes
    notes: list[str] = []
    if node_attributes is None:
        attrs = pd.DataFrame.from_dict({v: graph.nodes[v] for v in nodes}, orient="index")
        attrs = attrs.reindex(nodes)
    else:
        missing = [v for v in nodes if v not in node_attributes.index]
        if missing:
            raise ValueError(f"node_attributes has no row for {len(missing)} node(s), e.g. "
                             f"{missing[:5]}")
        attrs = node_attributes.loc[nodes]
    covs: dict[str, np.ndarray] = {}
    for name, x in (dyad_covariates or {}).items():
        if isinstance(x, pd.DataFrame):
            x = x.reindex(index=nodes, columns=nodes).to_numpy(dtype=float)
        covs[name] = np.asarray(x, dtype=float)
    return nodes, attrs, covs, notes


def _adjacency(graph: nx.Graph, nodes: list[Any], notes: list[str]) -> np.ndarray:
    A = (nx.to_numpy_array(graph, nodelist=nodes, weight=None) != 0).astype(np.int8)
    if np.any(np.diag(A)):
        notes.append(f"{int(np.diag(A).sum())} self-loop(s) ignored, as ergm has no loops")
        np.fill_diagonal(A, 0)
    return A


def _gw_notes(terms: list[Term]) -> list[str]:
    return [f"{t.text} taken as {t.name}({t.decay:g}, fixed=TRUE): the decay is fixed; curved "
            "(estimated-decay) GW terms are not supported" for t in terms
            if t.decay is not None and not t.fixed_given]


def ergm(graph: nx.Graph, formula: str, *, node_attributes: pd.DataFrame | None = None,
         dyad_covariates: dict[str, np.ndarray] | None = None, seed: int = 0,
         mcmc: MCMCOptions | None = None) -> ERGMResults:
    """Fit an exponential random graph model with R ``ergm``'s terms and estimator.

    Parameters
    ----------
    graph : networkx.Graph or networkx.DiGraph
        The observed network (binary; weights are ignored, self-loops dropped).
        Node order is ``sorted(graph.nodes)``.
    formula : str
        R formula right-hand side, e.g. ``"edges + nodematch(type) +
        gwesp(0.25, fixed=TRUE)"``; see :func:`parse_formula`.
    node_attributes : pandas.DataFrame, optional
        One row per node (index = node labels). Default: the graph's node
        attributes.
    dyad_covariates : dict of str to ndarray or DataFrame, optional
        Matrices for ``edgecov(name)``: an ``n x n`` array in node order, or a
        DataFrame labelled by node on both axes.
    seed : int
        Seed of the MCMC (results are identical for identical seeds).
    mcmc : MCMCOptions, optional
        MCMC-MLE settings (ignored for dyad-independent models).

    Returns
    -------
    ERGMResults
        Degeneracy and non-convergence never raise: they are reported in
        ``notes`` with ``converged == False``.

    Examples
    --------
    >>> import networkx as nx
    >>> g = nx.florentine_families_graph()
    >>> fit = ergm(g, "edges")
    >>> fit.method
    'MPLE (exact, dyad-independent)'
    >>> round(float(fit.params["edges"]), 4)
    -1.4469
    """
    terms = parse_formula(formula)
    nodes, attrs, covs, notes = _prepare(graph, node_attributes, dyad_covariates)
    A = _adjacency(graph, nodes, notes)
    model = _Model(A, nodes, graph.is_directed(), terms, attrs, covs)
    return _fit(model, formula, seed, mcmc or MCMCOptions(), notes + _gw_notes(terms))


def tie_change(earlier: nx.Graph, later: nx.Graph, formula: str, *,
               node_attributes: pd.DataFrame | None = None,
               dyad_covariates: dict[str, np.ndarray] | None = None, seed: int = 0,
               mcmc: MCMCOptions | None = None) -> dict[str, ERGMResults]:
    """Tie formation and dissolution between two waves: separable temporal ERGM by CMLE.

    As R ``tergm``'s ``stergm(..., estimate = "CMLE")`` (``tergm(y ~ Form(~f) +
    Diss(~f), estimate = "CMLE")``), conditional on the earlier wave:

    * formation: the model on y+ = earlier | later, with the earlier ties held
      fixed (only dyads empty in the earlier wave are free);
    * dissolution: the model on y- = earlier & later, with only the earlier
      ties free. Its coefficients are on *persistence*, as in tergm:
      positive means ties with that feature are more likely to last.

    Parameters
    ----------
    earlier, later : networkx.Graph or networkx.DiGraph
        The waves; nodes are the union of both (sorted).
    formula, node_attributes, dyad_covariates, seed, mcmc
        As for :func:`ergm`; both parts use the same terms.

    Returns
    -------
    dict
        ``{"formation": ERGMResults, "dissolution": ERGMResults}``.

    Examples
    --------
    >>> import networkx as nx
    >>> g0 = nx.path_graph(6); g1 = nx.cycle_graph(6); g1.remove_edge(0, 1)
    >>> parts = tie_change(g0, g1, "edges")
    >>> sorted(parts), parts["formation"].n_dyads, parts["dissolution"].n_dyads
    (['dissolution', 'formation'], 10, 5)
    """
    if earlier.is_directed() != later.is_directed():
        raise ValueError("both waves must be directed or both undirected")
    terms = parse_formula(formula)
    union = nx.compose(later, earlier)
    nodes, attrs, covs, notes = _prepare(union, node_attributes, dyad_covariates)
    if set(earlier.nodes) != set(later.nodes):
        notes.append(f"the waves have different node sets; the union of {len(nodes)} nodes is "
                     "used (absent actors count as having no ties)")
    g0 = nx.DiGraph() if earlier.is_directed() else nx.Graph()
    g0.add_nodes_from(nodes)
    g0.add_edges_from(earlier.edges)
    g1 = g0.copy()
    g1.remove_edges_from(list(g1.edges))
    g1.add_edges_from(later.edges)
    e = _adjacency(g0, nodes, notes)
    lat = _adjacency(g1, nodes, [])
    out = {}
    for part, Y, free_tied in (("formation", e | lat, False), ("dissolution", e & lat, True)):
        n = len(nodes)
        tails, heads = (np.nonzero(~np.eye(n, dtype=bool)) if earlier.is_directed()
                else np.triu_indices(n, 1))
        free = e[tails, heads] == (1 if free_tied else 0)
        model = _Model(Y, nodes, earlier.is_directed(), terms, attrs, covs, free=free)
        fit = _fit(model, f"{'Form' if part == 'formation' else 'Diss'}(~{formula})", seed,
                   mcmc or MCMCOptions(), notes + _gw_notes(terms))
        out[part] = fit
    return out
