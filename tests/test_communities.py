"""Tests for netsoc.communities against known answers and planted structure."""

from __future__ import annotations

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd
import pytest

from netsoc.communities import (
    adjusted_rand_index,
    canonical_labels,
    community_colors,
    compare_partitions,
    detect_communities,
    forbund_crosstab,
    given_partitions,
    leiden,
    louvain,
    normalized_mutual_info,
    participation_coefficient,
    resolution_sweep,
)
from netsoc.communities._core import _drop_isolates, _expand, _to_igraph
from netsoc.communities.consensus import _actor_stability, _null_modularity
from netsoc.communities.runs import _modularity
from netsoc.study import Study

FAST = {"n_runs": 30, "n_null": 19, "sweep_resolutions": (0.5, 1.0, 2.0), "sweep_runs": 3}


def planted(seed=1):
    # 4 groups of 25, p_in 0.5, p_out 0.02: mean 12 ties inside, 1.5 outside
    return nx.planted_partition_graph(4, 25, 0.5, 0.02, seed=seed)


def truth_of(G):
    return np.array([next(i for i, b in enumerate(G.graph["partition"]) if v in b)
                     for v in sorted(G.nodes, key=str)])


# ---------------------------------------------------------------- karate


def test_karate_leiden_reaches_known_optimum():
    G = nx.karate_club_graph()
    res = detect_communities(G, weight=None, seed=3, **FAST)
    # best known modularity of the (unweighted) karate club is 0.4198
    assert res.modularity["leiden"] >= 0.4188
    assert res.modularity["leiden"] <= 0.41979 + 1e-4
    assert res.modularity["consensus"] >= 0.4188
    assert res.clear
    # the consensus is the 4-community optimum and splits the two factions of the club
    club = [G.nodes[v]["club"] for v in sorted(G.nodes, key=str)]
    cons = res.partition.reindex(sorted(G.nodes, key=str)).to_numpy()
    assert len(set(cons)) == 4
    for c in set(cons):
        assert len({club[i] for i in np.flatnonzero(cons == c)}) == 1 or c in (1, 2)
    # our modularity is networkx's
    comms = [set(res.partition.index[res.partition == c]) for c in set(cons)]
    assert res.modularity["consensus"] == pytest.approx(
        nx.community.modularity(G, comms, weight=None), abs=1e-6)


def test_karate_weighted_modularity_matches_networkx():
    G = nx.karate_club_graph()  # edges carry interaction counts as 'weight'
    part = leiden(G, seed=1)
    comms = [set(part.index[part == c]) for c in part.unique()]
    q_nx = nx.community.modularity(G, comms, weight="weight")
    res = detect_communities(G, seed=1, n_runs=10, n_null=0, sweep_runs=0)
    q = res.modularity["leiden"]
    assert q_nx == pytest.approx(
        nx.community.modularity(G, [set(res.table.query("method == 'leiden'").actor_id[
            res.table.query("method == 'leiden'").community == c]) for c in range(1, 5)]),
        abs=1e-9) or q >= q_nx - 1e-9
    # igraph multilevel (our Louvain) and networkx louvain reach the same quality level
    lv = louvain(G, seed=1)
    q_lv = nx.community.modularity(G, [set(lv.index[lv == c]) for c in lv.unique()])
    q_nxl = nx.community.modularity(G, nx.community.louvain_communities(G, seed=1))
    assert q_lv > 0.43 and q_nxl > 0.43
    assert abs(q_lv - q_nxl) < 0.01


# ---------------------------------------------------------------- planted / noise


@pytest.mark.parametrize("full", [True, False])
def test_planted_partition_recovered(full):
    G = planted()
    res = detect_communities(G, seed=11, full_coassignment_max_nodes=10**6 if full else 0, **FAST)
    cons = res.partition.reindex(sorted(G.nodes, key=str)).to_numpy()
    assert adjusted_rand_index(cons, truth_of(G)) >= 0.95
    assert res.clear
    assert res.stability["mean_ari"] >= 0.95
    assert res.null["p"] <= 0.05
    assert res.null["z"] > 10


def test_noise_is_judged_no_clear_structure():
    G = nx.gnp_random_graph(80, 0.08, seed=5)
    res = detect_communities(G, seed=2, **FAST)
    assert not res.clear
    assert res.stability["mean_ari"] < 0.5
    assert res.stability["mean_actor_stability"] < 0.9
    assert "no clear community structure" in res.summary()
    # an Erdős–Rényi graph is its own configuration model: no excess modularity
    assert res.null["z"] < 3


def test_different_seeds_differ_on_noise_but_not_on_structure():
    G = nx.gnp_random_graph(80, 0.08, seed=5)
    a = detect_communities(G, seed=1, n_runs=5, n_null=0, sweep_runs=0)
    b = detect_communities(G, seed=2, n_runs=5, n_null=0, sweep_runs=0)
    assert not a.table.equals(b.table)
    P = planted()
    a = detect_communities(P, seed=1, n_runs=5, n_null=0, sweep_runs=0)
    b = detect_communities(P, seed=2, n_runs=5, n_null=0, sweep_runs=0)
    assert a.table.equals(b.table)


def test_same_seed_identical_bytes_and_parallel_equal():
    G = nx.gnp_random_graph(60, 0.1, seed=9)
    kw = {"n_runs": 8, "n_null": 4, "sweep_resolutions": (1.0,), "sweep_runs": 2}
    a = detect_communities(G, seed=42, **kw)
    b = detect_communities(G, seed=42, **kw)
    assert a.table.to_csv(index=False).encode() == b.table.to_csv(index=False).encode()
    assert a.sweep.to_csv().encode() == b.sweep.to_csv().encode()
    assert a.null == b.null and a.stability == b.stability
    # node insertion order does not matter
    H = nx.Graph()
    H.add_nodes_from(reversed(list(G.nodes)))
    H.add_edges_from(reversed(list(G.edges)))
    c = detect_communities(H, seed=42, **kw)
    assert c.table.to_csv(index=False) == a.table.to_csv(index=False)
    # worker processes do not change the result
    d = detect_communities(G, seed=42, n_jobs=2, **kw)
    assert d.table.to_csv(index=False) == a.table.to_csv(index=False)


# ---------------------------------------------------------------- building blocks


def test_ari_nmi_match_sklearn_and_igraph():
    metrics = pytest.importorskip("sklearn.metrics")
    rng = np.random.default_rng(0)
    for _ in range(100):
        n = int(rng.integers(1, 50))
        a = rng.integers(0, int(rng.integers(1, 6)), n)
        b = rng.integers(0, int(rng.integers(1, 6)), n)
        assert adjusted_rand_index(a, b) == pytest.approx(metrics.adjusted_rand_score(a, b),
                                                          abs=1e-12)
        assert normalized_mutual_info(a, b) == pytest.approx(
            metrics.normalized_mutual_info_score(a, b), abs=1e-12)
        if 1 < len(set(a)) < n and 1 < len(set(b)) < n:
            ca, cb = canonical_labels(a).tolist(), canonical_labels(b).tolist()
            assert normalized_mutual_info(a, b) == pytest.approx(
                ig.compare_communities(ca, cb, method="nmi"), abs=1e-9)
            assert adjusted_rand_index(a, b) == pytest.approx(
                ig.compare_communities(ca, cb, method="adjusted_rand"), abs=1e-9)
    # string labels work too
    assert adjusted_rand_index(list("aabb"), list("xxyy")) == 1.0
    # hand value: I = 0.2158, H_a = ln 2, H_b = 0.5623 -> 0.2158 / 0.6277
    assert normalized_mutual_info([0, 0, 1, 1], [0, 0, 0, 1]) == pytest.approx(0.343711, abs=1e-6)


def test_canonical_labels_by_size_then_smallest_id():
    assert canonical_labels([7, 7, 3, 3, 9]).tolist() == [0, 0, 1, 1, 2]
    assert canonical_labels([3, 1, 1, 2, 2, 2]).tolist() == [2, 1, 1, 0, 0, 0]
    s = leiden(nx.karate_club_graph(), seed=1, weight=None)
    sizes = s.value_counts().sort_index()
    assert sizes.is_monotonic_decreasing and s.index[0] == 0


def test_actor_stability_alignment_rule():
    ref = np.array([0, 0, 0, 0, 1, 1, 1, 1])
    runs = np.array([
        [0, 0, 0, 0, 1, 1, 1, 1],  # identical
        [0, 0, 0, 0, 0, 0, 0, 0],  # merge: everyone stays with its fellows
        [0, 0, 0, 1, 2, 2, 2, 2],  # split 3+1: actor 3 leaves
        [0, 0, 1, 1, 2, 2, 3, 3],  # split 2+2: tie goes to the larger (lower) run label
    ])
    st = _actor_stability(ref, runs)
    assert st.tolist() == [1.0, 1.0, 0.75, 0.5, 1.0, 1.0, 0.75, 0.75]


def test_participation_coefficient_hand_values():
    G = nx.Graph()
    G.add_edge("a", "b", weight=2)
    G.add_edge("a", "c", weight=1)
    G.add_edge("a", "d", weight=1)
    G.add_node("e")
    comm = {"a": 1, "b": 1, "c": 2, "d": 3, "e": 4}
    p = participation_coefficient(G, comm)
    # a: strengths 2, 1, 1 of 4 -> 1 - (1/4 + 1/16 + 1/16)
    assert p.loc["a", "participation"] == pytest.approx(0.625)
    assert p.loc["a", "n_communities_adjacent"] == 3
    assert p.loc["b", "participation"] == 0.0
    assert p.loc["e", "degree"] == 0 and p.loc["e", "participation"] == 0.0


def test_resolution_sweep_grows_with_resolution():
    sw = resolution_sweep(planted(), [0.5, 1.0, 4.0, 8.0], n_runs=3, seed=1)
    assert list(sw.columns) == ["resolution", "n_communities", "modularity", "mean_ari", "n_runs"]
    assert sw["n_communities"].is_monotonic_increasing
    assert sw.loc[sw.resolution == 1.0, "n_communities"].item() == 4
    assert sw["modularity"].max() == sw.loc[sw.resolution == 1.0, "modularity"].item()


def test_cpm_objective_finds_planted_groups():
    G = planted()
    # CPM resolution between the between-group (0.02) and within-group (0.5) densities
    s = leiden(G, objective="cpm", resolution=0.1, seed=1)
    assert adjusted_rand_index(s.reindex(sorted(G.nodes, key=str)).to_numpy(), truth_of(G)) >= 0.95
    res = detect_communities(G, objective="cpm", resolution=0.1, seed=1, n_runs=5, n_null=0,
                             sweep_runs=0, methods=("leiden",))
    assert set(res.table["method"]) == {"consensus", "leiden"}


def test_isolates_edgeless_and_bad_input():
    G = nx.Graph()
    G.add_nodes_from(["a", "b", "c"])
    res = detect_communities(G, seed=1, n_runs=3, n_null=5, sweep_runs=1)
    assert not res.clear and "no ties" in " ".join(res.reasons)
    assert sorted(res.partition.tolist()) == [1, 2, 3]
    H = nx.karate_club_graph()
    H.add_node("isolated")
    r = detect_communities(H, seed=1, n_runs=5, n_null=0, sweep_runs=0)
    assert r.n_isolated == 1
    assert r.partition["isolated"] == r.partition.max()
    assert "isolated" not in r.bridging.index
    bad = nx.Graph()
    bad.add_edge("a", "b", weight=-1)
    with pytest.raises(ValueError, match="weight"):
        detect_communities(bad)
    with pytest.raises(ValueError, match="objective"):
        leiden(nx.path_graph(3), objective="nope")


def test_directed_layers_are_symmetrised_with_max_weight():
    D = nx.DiGraph()
    D.add_edge("a", "b", weight=1)
    D.add_edge("b", "a", weight=3)
    D.add_edge("c", "d", weight=2)
    p = participation_coefficient(D, {"a": 1, "b": 1, "c": 2, "d": 2})
    assert p.loc["a", "strength"] == 3.0


# ---------------------------------------------------------------- comparison with formal structure


def toy_study():
    """Two förbund of three kommuner each; the collaboration graph follows them but for one."""
    actors = pd.DataFrame({
        "actor_id": ["F1", "F2", "K1", "K2", "K3", "K4", "K5", "K6", "AF", "SE"],
        "name": ["Förbund 1", "Förbund 2", "K1", "K2", "K3", "K4", "K5", "K6", "AF", "<b>SE</b>"],
        "type": ["samordningsforbund"] * 2 + ["kommun"] * 6 + ["arbetsformedlingen",
                                                               "social_enterprise"],
        "kommun_kod": [pd.NA, pd.NA, "0114", "0115", "0117", "0380", "0381", "0382", pd.NA,
                       "0114"],
    })
    aff = pd.DataFrame({
        "actor_id": ["K1", "K2", "K3", "K4", "K5", "K6", "AF", "AF"],
        "partner_id": ["F1", "F1", "F1", "F2", "F2", "F2", "F1", "F2"],
        "relation": ["member_of"] * 8,
    })
    return Study(actors=actors, affiliations=aff)


def toy_graph(study):
    G = nx.Graph()
    for r in study.actors.itertuples():
        G.add_node(r.actor_id, name=r.name, type=r.type, kommun_kod=r.kommun_kod)
    block1 = ["F1", "K1", "K2", "K3"]
    block2 = ["F2", "K4", "K5", "K6"]
    for b in (block1, block2):
        G.add_edges_from((u, v) for i, u in enumerate(b) for v in b[i + 1:])
    G.add_edges_from([("AF", "F1"), ("AF", "F2"), ("SE", "K1")])
    return G


def test_given_partitions_and_comparison():
    st = toy_study()
    given = given_partitions(st)
    assert given.loc["K1", "samordningsforbund"] == "F1"
    assert given.loc["F2", "samordningsforbund"] == "F2"
    assert pd.isna(given.loc["AF", "samordningsforbund"]) and given.loc["AF", "n_forbund"] == 2
    assert pd.isna(given.loc["SE", "samordningsforbund"]) and given.loc["SE", "n_forbund"] == 0
    assert given.loc["K4", "lan"] == "03" and given.loc["K1", "kommun"] == "0114"
    comm = pd.Series({"F1": 1, "K1": 1, "K2": 1, "K3": 1, "F2": 2, "K4": 2, "K5": 2, "K6": 2,
                      "AF": 1, "SE": 1})
    cmp = compare_partitions(comm, given).set_index("partition")
    assert cmp.loc["samordningsforbund", "ari"] == 1.0
    assert cmp.loc["samordningsforbund", "n_actors"] == 8
    assert cmp.loc["lan", "ari"] == 1.0 and cmp.loc["lan", "n_actors"] == 7
    tab = forbund_crosstab(comm, given)
    assert list(tab.columns) == ["F1", "F2", "none"]
    assert tab.loc[1, "F1"] == 5 and tab.loc[1, "F2"] == 1 and tab.loc[1, "none"] == 1


def test_detect_with_study_reports_comparison_and_bridges():
    st = toy_study()
    G = toy_graph(st)
    res = detect_communities(G, study=st, seed=1, n_runs=10, n_null=0, sweep_runs=0)
    cmp = res.comparison.set_index("partition")
    assert cmp.loc["samordningsforbund", "ari"] == 1.0
    assert not res.crosstab.empty
    # AF ties the two förbund together: the most bridging actor
    assert res.bridging.index[0] == "AF"
    assert res.bridging.loc["AF", "participation"] == pytest.approx(0.5)
    assert res.bridging.loc["SE", "name"] == "<b>SE</b>"
    colours = community_colors(res.partition)
    assert colours["K1"] != colours["K4"]
    rows = res.network_rows()
    assert {"modularity", "n_communities"} <= set(rows["metric"])
    assert (rows["layer"] == "collaboration").all()


def test_igraph_and_leidenalg_backends_agree():
    K = nx.karate_club_graph()
    for backend in ("leidenalg", "igraph"):
        res = detect_communities(K, weight=None, backend=backend, seed=4, n_runs=20, n_null=0,
                                 sweep_runs=0, methods=("leiden",))
        assert res.modularity["leiden"] == pytest.approx(0.41979, abs=1e-4)
    P = planted()
    a = leiden(P, backend="leidenalg", seed=1)
    b = leiden(P, backend="igraph", seed=1)
    assert adjusted_rand_index(a.to_numpy(), b.reindex(a.index).to_numpy()) == 1.0
    # CPM quality is comparable too: same planted groups
    c = leiden(P, objective="cpm", resolution=0.1, backend="igraph", seed=1)
    assert adjusted_rand_index(a.to_numpy(), c.reindex(a.index).to_numpy()) == 1.0


# ---------------------------------------------------------------- large-graph settings


def with_isolates(G, k):
    H = G.copy()
    start = max(H.nodes) + 1
    H.add_nodes_from(range(start, start + k))
    return H


def test_dropping_isolates_keeps_modularity_and_expand_makes_singletons():
    G = with_isolates(planted(), 7)
    G.add_edge(500, 500, weight=2)  # only a self-loop: stays, as it counts in the total weight
    gr = _to_igraph(G)
    wk, keep = _drop_isolates(gr)
    assert wk.n == gr.n - 7 and 500 in wk.nodes and 100 not in wk.nodes
    assert wk.g.ecount() == gr.g.ecount() and wk.weights.sum() == gr.weights.sum()
    iso = np.setdiff1d(np.arange(gr.n), keep)
    rng = np.random.default_rng(0)
    for _ in range(5):
        m = rng.integers(0, 6, size=wk.n)
        full = _expand(m, keep, gr.n)[0]
        assert np.array_equal(full, canonical_labels(full))
        assert np.array_equal(canonical_labels(full[keep]), canonical_labels(m))
        assert all((full == full[i]).sum() == 1 for i in iso)
        # the quality Leiden and Louvain optimise is the same on both graphs
        assert _modularity(wk, m) == pytest.approx(_modularity(gr, full), abs=1e-12)


def test_skipping_isolates_gives_the_old_answer_on_clear_structure():
    G = with_isolates(planted(), 15)
    kw = {"seed": 5, "n_runs": 10, "n_null": 5, "sweep_resolutions": (1.0,), "sweep_runs": 2}
    old = detect_communities(G, skip_isolates=False, **kw)
    new = detect_communities(G, skip_isolates=True, **kw)
    assert old.options["skip_isolates"] is False and new.options["skip_isolates"] is True
    assert new.n_isolated == old.n_isolated == 15
    assert new.partition.equals(old.partition)
    assert new.modularity == pytest.approx(old.modularity, abs=1e-9)
    assert new.clear and old.clear
    assert new.null["mean"] == pytest.approx(old.null["mean"], abs=0.02)
    isolates = new.table[new.table["actor_id"] >= 100]
    assert (isolates["stability"] == 1.0).all()
    assert isolates.groupby("method")["community"].nunique().eq(15).all()
    # same seed, same bytes, whatever the number of worker processes
    again = detect_communities(G, skip_isolates=True, n_jobs=2, **kw)
    assert again.table.to_csv(index=False) == new.table.to_csv(index=False)
    assert again.null == new.null and again.sweep.equals(new.sweep)


def test_large_graph_settings_recover_planted_groups():
    # 10 groups of 80 plus 300 actors without ties: 1,100 actors, the large-graph regime
    G = with_isolates(nx.planted_partition_graph(10, 80, 0.15, 0.002, seed=3), 300)
    res = detect_communities(G, seed=2)
    o = res.options
    assert (o["skip_isolates"], o["n_consensus_runs"], o["null_swaps"], o["n_louvain_runs"],
            o["sweep_runs"], o["backend"], o["n_iterations"]) == (True, 10, 3.0, 5, 2, "igraph", 2)
    assert res.n_isolated == 300 and res.clear
    truth = np.array([next(i for i, b in enumerate(G.graph["partition"]) if v in b)
                      for v in range(800)])
    assert adjusted_rand_index(res.partition.reindex(range(800)).to_numpy(), truth) >= 0.95
    assert res.partition.reindex(range(800, 1100)).value_counts().eq(1).all()
    assert res.null["z"] > 10 and res.stability["converged"]
    # 3 x m swap trials give the null level of 10 x m
    wk, _ = _drop_isolates(_to_igraph(G))
    seeds = list(range(10))
    q3 = _null_modularity(wk, seeds, "modularity", 1.0, 2, "igraph", 3)
    q10 = _null_modularity(wk, seeds, "modularity", 1.0, 2, "igraph", 10)
    assert abs(q3.mean() - q10.mean()) < 2 * q10.std(ddof=1)


def test_large_graph_options_are_checked():
    G = planted()
    with pytest.raises(ValueError, match="n_consensus_runs"):
        detect_communities(G, n_consensus_runs=0)
    with pytest.raises(ValueError, match="null_swaps"):
        detect_communities(G, null_swaps=0)


# ---------------------------------------------------------------- report section


def _section():
    from netsoc.report.html import Translator
    from netsoc.report.sections import COMMON_TEXT
    from netsoc.report.sections import communities as sec

    return sec, lambda lang: Translator(lang, COMMON_TEXT | sec.TEXT)


def test_report_section_both_languages_and_no_clear_structure():
    sec, _T = _section()
    assert all(set(v) == {"sv", "en"} for v in sec.TEXT.values())
    st = toy_study()
    clear = detect_communities(toy_graph(st), study=st, seed=1, n_runs=10, n_null=19,
                               sweep_runs=2, sweep_resolutions=(1.0,))

    class R:
        study = st
        items = {"communities": clear}

    for lang in ("sv", "en"):
        html = sec.render(R, _T(lang))
        assert "&lt;b&gt;SE&lt;/b&gt;" in html and "<b>SE</b>" not in html
        assert "Traag" in html and "Lancichinetti" in html and "Blondel" in html
    en = sec.render(R, _T("en"))
    assert "No clear community structure" not in en
    assert "Förbund 1" in en  # communities × förbund cells use names
    noise = detect_communities(nx.gnp_random_graph(80, 0.08, seed=5), seed=2, **FAST)
    R.items = {"communities": noise}
    en = sec.render(R, _T("en"))
    sv = sec.render(R, _T("sv"))
    assert "No clear community structure" in en and "Ingen tydlig klusterstruktur" in sv
    assert "Communities and their central actors" not in en  # noise is not listed
    R.items = {}
    assert sec.render(R, _T("en")) is None


def test_pipeline_wiring_on_a_study():
    from netsoc.pipeline import Results, _add_communities

    st = toy_study()
    res = detect_communities(toy_graph(st), study=st, seed=1, n_runs=5, n_null=0, sweep_runs=1,
                             sweep_resolutions=(0.5, 1.0))
    actors = pd.DataFrame({"actor_id": st.actors["actor_id"], "brokerage_total": 0,
                           "in_degree_reported": 0})
    r = Results(study=st, tables={"actors": actors})
    _add_communities(r, res)
    assert list(r.tables["actors"].columns) == ["actor_id", "brokerage_total", "community",
                                                "in_degree_reported"]
    assert r.tables["actors"].set_index("actor_id")["community"].equals(
        res.partition.reindex(st.actors["actor_id"]).astype("Int64").rename("community"))
    assert list(r.tables["communities"].columns) == ["actor_id", "community", "method",
                                                     "stability"]
    assert r.tables["network"].query("metric == 'modularity'")["value"].item() == pytest.approx(
        res.modularity["consensus"])
    assert "community_resolution" in r.figures
    assert any("No clear community structure" in n for n in r.notes)  # no null model was run
