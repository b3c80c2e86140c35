"""Tests of netsoc.models.ergm against statsmodels, R ergm fixtures, planted truths and recounts."""

from __future__ import annotations

import itertools
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from netsoc.models.ergm import MCMCOptions, _Model, ergm, parse_formula, tie_change
from netsoc.models.ergm_sampler import Sampler

FIX = Path(__file__).parent / "fixtures" / "ergm"
FAST = MCMCOptions()  # the defaults: 64 lock-step chains, 1024 draws per iteration


def _load(name: str, directed: bool = False) -> tuple[nx.Graph, pd.DataFrame | None]:
    g = nx.DiGraph() if directed else nx.Graph()
    nodes = None
    if (FIX / f"{name}_nodes.csv").exists():
        nodes = pd.read_csv(FIX / f"{name}_nodes.csv", index_col="id")
        g.add_nodes_from(nodes.index)
    else:
        g.add_nodes_from(range(1, 19))
    g.add_edges_from(pd.read_csv(FIX / f"{name}_edges.csv").itertuples(index=False))
    return g, nodes


def _r(network: str, formula: str, estimator: str) -> pd.DataFrame:
    r = pd.read_csv(FIX / "r_estimates.csv")
    return r[(r.network == network) & (r.formula == formula) & (r.estimator == estimator)]


def _random_graph(n: int, p: float, directed: bool, seed: int) -> nx.Graph:
    g = nx.gnp_random_graph(n, p, seed=seed, directed=directed)
    rng = np.random.default_rng(seed)
    for v in g.nodes:
        g.nodes[v]["type"] = rng.choice(["kommun", "company", "ngo"])
        g.nodes[v]["x"] = float(rng.normal())
    return g


# --- parsing --------------------------------------------------------------------------------

def test_parse_formula_reads_r_syntax():
    terms = parse_formula('y ~ edges + nodematch("type") + nodematch(kommun, diff=TRUE) + '
                          "gwesp(0.25, fixed=TRUE) + kstar(2) + absdiff(x, pow=2)")
    assert [t.name for t in terms] == ["edges", "nodematch", "nodematch", "gwesp", "kstar",
                                       "absdiff"]
    assert terms[1].attr == "type" and not terms[1].diff and terms[2].diff
    assert terms[3].decay == 0.25 and terms[4].k == 2 and terms[5].pow == 2.0


@pytest.mark.parametrize("formula, message", [
    ("edges + nodemtch(type)", "Did you mean 'nodematch'"),
    ("edges + foo", "Known terms: edges"),
    ("nodematch()", "needs argument 'attr'"),
    ("nodematch(type, dif=TRUE)", "has no argument 'dif'"),
    ("gwesp(0.25, fixed=FALSE)", "not supported"),
    ("gwesp(-1, fixed=TRUE)", "non-negative"),
    ("kstar(1.5)", "positive integer"),
    ("edges + (", "unbalanced"),
    ("edges + + triangle", "empty term"),
    ("edges + edges", "twice"),
    ("", "empty ERGM formula"),
])
def test_parse_errors_name_the_problem(formula, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        parse_formula(formula)


def test_labels_follow_r():
    g = _random_graph(12, 0.3, False, 1)
    g.graph["unused"] = True
    fit = ergm(g, "edges + nodematch(type, diff=TRUE) + nodefactor(type) + nodecov(x) + "
                  "absdiff(x) + edgecov(formal)", dyad_covariates={"formal": np.eye(12)[::-1]})
    assert list(fit.params.index) == [
        "edges", "nodematch.type.company", "nodematch.type.kommun", "nodematch.type.ngo",
        "nodefactor.type.kommun", "nodefactor.type.ngo", "nodecov.x", "absdiff.x",
        "edgecov.formal"]
    m = _Model(np.zeros((5, 5), np.int8), list(range(5)), False,
               parse_formula("gwesp(0.25, fixed=TRUE) + gwdegree(0.5, fixed=TRUE) + kstar(2) + "
                             "triangle + isolates"), pd.DataFrame(index=range(5)), {})
    assert m.labels == ["gwesp.fixed.0.25", "gwdeg.fixed.0.5", "kstar2", "triangle",
                        "isolates"]


def test_term_network_mismatch_is_a_clear_error():
    with pytest.raises(ValueError, match="needs a directed network"):
        ergm(nx.path_graph(4), "edges + mutual")
    with pytest.raises(ValueError, match="may not be used with directed"):
        ergm(nx.DiGraph(nx.path_graph(4)), "edges + kstar(2)")
    with pytest.raises(ValueError, match="no node attribute 'colour'"):
        ergm(nx.path_graph(4), "edges + nodematch(colour)")


# --- dyad-independent models are logistic regressions ---------------------------------------

@pytest.mark.parametrize("directed", [False, True])
def test_dyad_independent_equals_statsmodels_logit(directed):
    n = 30
    g = _random_graph(n, 0.15, directed, 7)
    rng = np.random.default_rng(3)
    formal = rng.random((n, n)) < 0.2
    formal = (formal | formal.T).astype(float)
    fit = ergm(g, "edges + nodematch(type) + nodefactor(type) + nodecov(x) + absdiff(x) + "
                  "edgecov(formal)", dyad_covariates={"formal": formal})
    assert fit.method == "MPLE (exact, dyad-independent)" and fit.converged
    # an independent design: one row per dyad, built from the attributes directly
    rows, ys = [], []
    pairs = itertools.permutations(range(n), 2) if directed else itertools.combinations(
        range(n), 2)
    for i, j in pairs:
        ti, tj = g.nodes[i]["type"], g.nodes[j]["type"]
        xi, xj = g.nodes[i]["x"], g.nodes[j]["x"]
        rows.append([1.0, float(ti == tj), (ti == "kommun") + (tj == "kommun"),
                     (ti == "ngo") + (tj == "ngo"), xi + xj, abs(xi - xj), formal[i, j]])
        ys.append(float(g.has_edge(i, j)))
    ref = sm.Logit(np.array(ys), np.array(rows)).fit(disp=0, tol=1e-12, maxiter=100)
    np.testing.assert_allclose(fit.params.to_numpy(), ref.params, atol=1e-6)
    np.testing.assert_allclose(fit.bse.to_numpy(), ref.bse, atol=1e-6)
    assert fit.loglik == pytest.approx(ref.llf, abs=1e-6)
    assert fit.n_dyads == len(ys)
    t = fit.table()
    assert list(t.columns) == ["term", "estimate", "std_error", "statistic", "p_value",
                               "ci_low", "ci_high", "n_obs"]
    assert (t.n_obs == len(ys)).all()


def test_boundary_statistic_is_fixed_at_minus_inf_like_r():
    g = nx.complete_bipartite_graph(4, 4)  # no tie within a part
    g.remove_edges_from([(0, 4), (1, 5), (2, 6)])
    for v in g.nodes:
        g.nodes[v]["part"] = "a" if v < 4 else "b"
    fit = ergm(g, "edges + nodematch(part)")
    assert fit.params["nodematch.part"] == -np.inf
    assert any("smallest attainable" in s for s in fit.notes)
    # the finite coefficient is the logit on the 16 dyads the dropped term does not touch
    assert fit.params["edges"] == pytest.approx(np.log(13 / 3), abs=1e-6)


# --- change statistics equal recounts; sampler state stays exact ----------------------------

ALL_UNDIRECTED = ("edges + nodematch(type, diff=TRUE) + nodefactor(type) + nodecov(x) + "
                  "absdiff(x) + edgecov(w) + gwesp(0.25, fixed=TRUE) + gwesp(0, fixed=TRUE) + "
                  "gwdegree(0.5, fixed=TRUE) + triangle + kstar(2) + kstar(3) + isolates")
ALL_DIRECTED = ("edges + nodematch(type) + nodefactor(type) + nodecov(x) + absdiff(x) + "
                "edgecov(w) + gwesp(0.5, fixed=TRUE) + triangle + isolates + mutual")


@pytest.mark.parametrize("directed, formula", [(False, ALL_UNDIRECTED), (True, ALL_DIRECTED)])
def test_change_statistics_equal_difference_of_recounts(directed, formula):
    n = 14
    g = _random_graph(n, 0.3, directed, 11)
    rng = np.random.default_rng(5)
    w = rng.normal(size=(n, n))
    attrs = pd.DataFrame.from_dict(dict(g.nodes(data=True)), orient="index")
    A = nx.to_numpy_array(g, nodelist=range(n), dtype=np.int8)
    m = _Model(A, list(range(n)), directed, parse_formula(formula), attrs, {"w": w})
    for _ in range(60):
        d = rng.integers(len(m.tails))
        i, j = m.tails[d], m.heads[d]
        X, _ = m.design(np.array([d]))
        on, off = A.copy(), A.copy()
        on[i, j], off[i, j] = 1, 0
        if not directed:
            on[j, i], off[j, i] = 1, 0
        np.testing.assert_allclose(X[0], m.stats(on) - m.stats(off), atol=1e-9)
        A = on if rng.random() < 0.5 else off
        m = _Model(A, list(range(n)), directed, parse_formula(formula), attrs, {"w": w})


@pytest.mark.parametrize("directed, formula", [(False, ALL_UNDIRECTED), (True, ALL_DIRECTED)])
def test_sampler_tracks_statistics_without_recounting(directed, formula):
    n = 14
    g = _random_graph(n, 0.25, directed, 2)
    attrs = pd.DataFrame.from_dict(dict(g.nodes(data=True)), orient="index")
    A = nx.to_numpy_array(g, nodelist=range(n), dtype=np.int8)
    m = _Model(A, list(range(n)), directed, parse_formula(formula), attrs,
               {"w": np.random.default_rng(1).normal(size=(n, n))})
    s = Sampler(m, 8, np.random.default_rng(0))
    theta = np.random.default_rng(4).normal(scale=0.3, size=m.p)
    s.run(theta, 3000)
    st = s.state
    for c in range(8):
        Y = st.Y[c]
        if not directed:
            assert np.array_equal(Y, Y.T)
        np.testing.assert_allclose(st.rel[c], m.stats(Y) - m.s_obs, atol=1e-8)
        np.testing.assert_array_equal(st.S[c], Y.astype(int) @ Y.astype(int))
        tied = set(np.nonzero(Y[m.tails, m.heads])[0])
        assert set(st.elist[c, : st.ecount[c]]) == tied


def test_r_summary_statistics():
    r = pd.read_csv(FIX / "r_statistics.csv")
    for net, directed, formula in [
        ("flomarriage", False, "edges + nodecov(wealth) + gwesp(0.5, fixed=TRUE) + "
                               "gwesp(0, fixed=TRUE) + gwdegree(0, fixed=TRUE) + "
                               "gwdegree(1, fixed=TRUE) + absdiff(wealth)"),
        ("faux_mesa_high", False, "edges + nodematch(Grade) + nodematch(Race) + "
                                  "gwesp(0.25, fixed=TRUE)"),
        ("samplike", True, "edges + mutual + triangle + gwesp(0.5, fixed=TRUE)"),
    ]:
        g, nodes = _load(net, directed)
        attrs = nodes if nodes is not None else pd.DataFrame(index=sorted(g.nodes))
        A = nx.to_numpy_array(g, nodelist=sorted(g.nodes), dtype=np.int8)
        m = _Model(A, sorted(g.nodes), directed, parse_formula(formula), attrs, {})
        want = r[r.network == net].set_index("term")["value"]
        got = pd.Series(m.s_obs, index=m.labels)
        np.testing.assert_allclose(got[want.index].to_numpy(), want.to_numpy(), rtol=1e-12)


# --- against R ergm ---------------------------------------------------------------------------

def test_florentine_nodecov_equals_r_exactly():
    g, nodes = _load("flomarriage")
    fit = ergm(g, 'edges + nodecov("wealth")', node_attributes=nodes)
    r = _r("flomarriage", 'edges + nodecov("wealth")', "MLE").set_index("term")
    np.testing.assert_allclose(fit.params[r.index], r.estimate, atol=1e-6)
    np.testing.assert_allclose(fit.bse[r.index], r.std_error, atol=1e-6)
    assert fit.loglik == pytest.approx(-51.554286195409944, abs=1e-6)


def _check_against_r(fit, r):
    r = r.set_index("term")
    assert fit.converged, fit.notes
    est, se = fit.params[r.index], fit.bse[r.index]
    assert np.all(np.abs(est - r.estimate) <= 2 * r.std_error), (est, r)
    assert np.all(np.abs(se / r.std_error - 1) <= 0.25), (se, r)


def test_florentine_gwesp_matches_r():
    g, nodes = _load("flomarriage")
    fit = ergm(g, "edges + gwesp(0.5, fixed=TRUE)", node_attributes=nodes, seed=3, mcmc=FAST)
    _check_against_r(fit, _r("flomarriage", "edges + gwesp(0.5, fixed=TRUE)", "MCMLE"))
    assert fit.method == "MCMC-MLE" and set(fit.diagnostics.columns) == {
        "term", "autocorrelation", "ess"}
    assert (fit.diagnostics.ess > 100).all()


def test_florentine_triangle_mple_and_mcmle_match_r():
    g, nodes = _load("flomarriage")
    fit = ergm(g, "edges + triangle", node_attributes=nodes, seed=1, mcmc=FAST)
    mple = _r("flomarriage", "edges + triangle", "MPLE").set_index("term")
    np.testing.assert_allclose(fit.mple[mple.index], mple.estimate, atol=1e-6)
    _check_against_r(fit, _r("flomarriage", "edges + triangle", "MCMLE"))


def test_faux_mesa_high_gwesp_matches_r():
    g, nodes = _load("faux_mesa_high")
    f = 'edges + nodematch("Grade") + nodematch("Race") + gwesp(0.25, fixed=TRUE)'
    fit = ergm(g, f, node_attributes=nodes, seed=2, mcmc=FAST)
    _check_against_r(fit, _r("faux_mesa_high", f, "MCMLE"))


def test_gof_observed_panels_match_r_and_band_is_sane():
    g, _ = _load("samplike", directed=True)
    fit = ergm(g, "edges")
    gof = fit.gof(n_sim=20, seed=1)
    assert list(gof.columns) == ["statistic", "value", "observed", "sim_mean", "sim_low",
                                 "sim_high"]
    r = pd.read_csv(FIX / "r_gof_observed.csv").query("network == 'samplike'")
    for row in r.itertuples():
        want = np.array([int(v) for v in row.values.split(",")])
        got = gof[gof.statistic == row.statistic].observed.to_numpy()
        if row.statistic == "distance":
            assert gof[gof.statistic == "distance"].value.iloc[-1] == "inf"
            full = np.zeros(len(want), int)
            full[: len(got) - 1] = got[:-1]
            full[-1] = got[-1]
            got = full
        np.testing.assert_array_equal(got, want[: len(got)])
        assert not want[len(got):].any()
    assert (gof.sim_low <= gof.sim_mean + 1e-9).all() and (gof.sim_mean <= gof.sim_high + 1e-9
                                                            ).all()
    flo, nodes = _load("flomarriage")
    fgof = ergm(flo, "edges + gwesp(0.5, fixed=TRUE)", node_attributes=nodes, mcmc=FAST
                ).gof(n_sim=30, seed=2)
    np.testing.assert_array_equal(fgof[fgof.statistic == "esp"].observed.to_numpy()[:3],
                                  [12, 7, 1])


# --- planted truth ------------------------------------------------------------------------------

def _simulate(formula, theta, n, directed, attrs, seed, steps=30000, free=None, Y0=None):
    Y0 = np.zeros((n, n), np.int8) if Y0 is None else Y0
    m = _Model(Y0, list(range(n)), directed, parse_formula(formula), attrs, {}, free=free)
    s = Sampler(m, 1, np.random.default_rng(seed))
    s.run(np.asarray(theta, float), steps)
    return s.state.Y[0].copy()


def test_planted_gwesp_model_is_recovered():
    n = 60
    rng = np.random.default_rng(8)
    attrs = pd.DataFrame({"type": rng.choice(["a", "b", "c"], n)})
    f = "edges + nodematch(type) + gwesp(0.5, fixed=TRUE)"
    truth = np.array([-3.9, 1.0, 0.6])
    A = _simulate(f, truth, n, False, attrs, seed=3)
    g = nx.from_numpy_array(A)
    fit = ergm(g, f, node_attributes=attrs, seed=4, mcmc=FAST)
    assert fit.converged, fit.notes
    assert np.all(np.abs(fit.params.to_numpy() - truth) <= 2 * fit.bse.to_numpy()), fit.table()


# --- tie change between waves -----------------------------------------------------------------

def test_tie_change_dyad_independent_equals_conditional_logit():
    n = 40
    g0 = _random_graph(n, 0.1, False, 1)
    g1 = _random_graph(n, 0.1, False, 2)
    for v in g1.nodes:
        g1.nodes[v].update(g0.nodes[v])
    parts = tie_change(g0, g1, "edges + nodematch(type)")
    for part, free_if in (("formation", 0), ("dissolution", 1)):
        X, y = [], []
        for i, j in itertools.combinations(range(n), 2):
            if g0.has_edge(i, j) == bool(free_if):
                X.append([1.0, float(g0.nodes[i]["type"] == g0.nodes[j]["type"])])
                y.append(float(g1.has_edge(i, j)))
        ref = sm.Logit(np.array(y), np.array(X)).fit(disp=0, tol=1e-12)
        fit = parts[part]
        assert fit.n_dyads == len(y)
        np.testing.assert_allclose(fit.params.to_numpy(), ref.params, atol=1e-6)
        np.testing.assert_allclose(fit.bse.to_numpy(), ref.bse, atol=1e-6)


def test_tie_change_recovers_planted_formation_and_persistence():
    n = 60
    rng = np.random.default_rng(4)
    attrs = pd.DataFrame({"type": rng.choice(["a", "b"], n)})
    f = "edges + nodematch(type) + gwesp(0.5, fixed=TRUE)"
    A0 = _simulate(f, [-3.0, 0.8, 0.5], n, False, attrs, seed=1)
    tails, heads = np.triu_indices(n, 1)
    form_truth, diss_truth = np.array([-4.0, 1.0, 0.5]), np.array([0.5, 0.8, 0.3])
    # formation: y+ from the model with the wave-0 ties fixed; persistence: y- likewise
    Yp = _simulate(f, form_truth, n, False, attrs, 2, 20000, free=A0[tails, heads] == 0, Y0=A0)
    Ym = _simulate(f, diss_truth, n, False, attrs, 3, 20000, free=A0[tails, heads] == 1, Y0=A0)
    A1 = ((Yp == 1) & (A0 == 0)) | ((Ym == 1) & (A0 == 1))
    g0 = nx.from_numpy_array(A0)
    g1 = nx.from_numpy_array(A1.astype(int))
    parts = tie_change(g0, g1, f, node_attributes=attrs, seed=5, mcmc=FAST)
    for part, truth in (("formation", form_truth), ("dissolution", diss_truth)):
        fit = parts[part]
        assert fit.converged, (part, fit.notes)
        assert np.all(np.abs(fit.params.to_numpy() - truth) <= 2 * fit.bse.to_numpy()), (
            part, fit.table())


# --- degeneracy, determinism, notes -------------------------------------------------------------

def test_degenerate_triangle_model_reports_instead_of_failing():
    g = nx.disjoint_union_all([nx.complete_graph(6) for _ in range(5)])
    g.add_edges_from([(0, 6), (12, 18), (5, 24)])
    fit = ergm(g, "edges + triangle", seed=1, mcmc=FAST)
    assert not fit.converged
    assert fit.notes and "fewer terms" in fit.notes[-1]
    assert np.isnan(fit.params).all() or not fit.converged
    assert "Note:" in fit.summary()


def test_kstar_on_near_complete_graph_is_flagged():
    g = nx.complete_graph(20)
    g.remove_edges_from(list(g.edges)[:6])
    fit = ergm(g, "edges + kstar(2)", seed=0, mcmc=MCMCOptions(burnin=256, interval=16,
                                                                 sample_size=256,
                                                                 max_iterations=5))
    assert not fit.converged and fit.notes


def test_same_seed_same_estimates():
    g, nodes = _load("flomarriage")
    opts = MCMCOptions(burnin=256, interval=16, sample_size=256, n_chains=16, max_iterations=3)
    a = ergm(g, "edges + gwesp(0.5)", node_attributes=nodes, seed=9, mcmc=opts)
    b = ergm(g, "edges + gwesp(0.5)", node_attributes=nodes, seed=9, mcmc=opts)
    c = ergm(g, "edges + gwesp(0.5)", node_attributes=nodes, seed=10, mcmc=opts)
    pd.testing.assert_series_equal(a.params, b.params)
    assert not np.allclose(a.params, c.params)
    assert any("fixed=TRUE" in s for s in a.notes)
    sims = a.simulate(3, seed=1)
    assert len(sims) == 3 and all(set(s.nodes) == set(g.nodes) for s in sims)


@pytest.mark.parametrize("directed, formula", [
    (False, "edges + nodematch(t) + gwesp(0.5, fixed=TRUE) + triangle"),
    (False, "edges + kstar(2) + isolates + gwdegree(0.5, fixed=TRUE)"),
    (True, "edges + mutual + gwesp(0.5, fixed=TRUE)"),
])
def test_sampler_stationary_mean_equals_exact_enumeration(directed, formula):
    # every network on 5 (directed: 4) nodes is enumerated: E_theta[s(Y)] is known exactly
    n = 4 if directed else 5
    attrs = pd.DataFrame({"t": list("aabba")[:n]})
    m = _Model(np.zeros((n, n), np.int8), list(range(n)), directed, parse_formula(formula),
               attrs, {})
    theta = np.array([-0.5, 0.5, 0.4, -0.3])[: m.p]
    stats = []
    for bits in itertools.product([0, 1], repeat=len(m.tails)):
        A = np.zeros((n, n), np.int8)
        A[m.tails, m.heads] = bits
        stats.append(m.stats(A if directed else A | A.T))
    stats = np.array(stats)
    w = np.exp(stats @ theta - (stats @ theta).max())
    exact = (w / w.sum()) @ stats
    s = Sampler(m, 64, np.random.default_rng(0))
    s.run(theta, 300)
    draws, _ = s.run(theta, 8000, 4)
    est = draws.reshape(-1, m.p).mean(axis=0) + m.s_obs
    se = draws.mean(axis=1).std(axis=0, ddof=1) / np.sqrt(64)  # chain means
    assert np.all(np.abs(est - exact) <= 4 * se + 1e-9), (est, exact, se)
