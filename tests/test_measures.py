"""Measures against published values, R sna/igraph fixtures, and hand computations."""

from __future__ import annotations

import itertools
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from test_graphs import make_study

from netsoc import _workers
from netsoc import measures as M
from netsoc.graphs import build_networks
from netsoc.measures import nonresponse, paths, tables

FIX = Path(__file__).parent / "fixtures" / "r_measures"
KITE = ["Andre", "Beverly", "Carol", "Diane", "Ed", "Fernando", "Garth", "Heather", "Ike", "Jane"]


# --- published values -------------------------------------------------------


@pytest.mark.parametrize("method", ["networkx", "igraph"])
def test_krackhardt_kite_betweenness(method):
    g = nx.relabel_nodes(nx.krackhardt_kite_graph(), dict(enumerate(KITE)))
    b = M.betweenness(g, method=method)
    expected = {"Heather": 14, "Fernando": 8.333, "Garth": 8.333, "Ike": 8, "Diane": 3.667,
                "Andre": 0.833, "Beverly": 0.833, "Carol": 0, "Ed": 0, "Jane": 0}
    for k, v in expected.items():
        assert b[k] == pytest.approx(v, abs=5e-4), k


@pytest.mark.parametrize("method", ["networkx", "igraph"])
def test_padgett_florentine_medici(method):
    g = nx.florentine_families_graph()
    g.add_node("Pucci")  # the isolate of Padgett's data; no effect on raw betweenness
    b = M.betweenness(g, method=method)
    assert b["Medici"] == pytest.approx(47.5, abs=1e-9)


def test_zachary_karate_degree_centralization():
    g = nx.karate_club_graph()
    # max degree 17 (the instructor), 78 edges -> (34*17 - 156) / (33*32)
    assert M.freeman_centralization(g, "degree") == pytest.approx(422 / 1056, abs=1e-12)
    assert round(M.freeman_centralization(g, "degree"), 4) == 0.3996


def test_star_centralizations_are_one():
    g = nx.star_graph(6)
    assert M.freeman_centralization(g, "degree") == pytest.approx(1.0)
    assert M.freeman_centralization(g, "betweenness") == pytest.approx(1.0)
    assert M.freeman_centralization(nx.cycle_graph(6), "betweenness") == pytest.approx(0.0)


# --- R fixtures ---------------------------------------------------------------


def load_fixture(k: int):
    arcs = pd.read_csv(FIX / f"g{k}_arcs.csv")
    nodes = pd.read_csv(FIX / f"g{k}_nodes.csv")
    und = pd.read_csv(FIX / f"g{k}_edges.csv")
    nli = pd.read_csv(FIX / f"g{k}_nli.csv").set_index("node")
    d = nx.DiGraph()
    d.add_nodes_from(nodes["node"])
    d.add_edges_from(zip(arcs["from"], arcs["to"], strict=True))
    u = nx.Graph()
    u.add_nodes_from(nodes["node"])
    u.add_weighted_edges_from(und.itertuples(index=False, name=None))
    groups = dict(zip(nodes["node"], nodes["group"], strict=True))
    return d, u, groups, nli


@pytest.fixture(scope="module")
def graph_level():
    return pd.read_csv(FIX / "graph_level.csv").set_index("graph")


@pytest.mark.parametrize("k", [1, 2, 3])
def test_fixture_graphs_have_isolates_and_components(k):
    _, u, groups, _ = load_fixture(k)
    assert nx.number_of_isolates(u) >= 2
    assert nx.number_connected_components(u) - nx.number_of_isolates(u) >= 2
    assert 3 <= len(set(groups.values())) <= 5


@pytest.mark.parametrize("k", [1, 2, 3])
def test_brokerage_equals_sna(k):
    d, _, groups, nli = load_fixture(k)
    br = M.brokerage_roles(d, groups).loc[nli.index]
    for role, sna in zip([*M.ROLES, "brokerage_total"], M.SNA_ROLE_NAMES, strict=True):
        np.testing.assert_allclose(br[role], nli[f"raw_{sna}"], atol=1e-9, err_msg=role)
        np.testing.assert_allclose(br[f"{role}_expected"], nli[f"exp_{sna}"], atol=1e-9)
        np.testing.assert_allclose(br[f"{role}_z"], nli[f"z_{sna}"], atol=1e-9,
                                   equal_nan=True)
    assert br["brokerage_total"].sum() > 0


@pytest.mark.parametrize("k", [1, 2, 3])
@pytest.mark.parametrize("method", ["networkx", "igraph"])
def test_betweenness_equals_sna(k, method):
    _, u, _, nli = load_fixture(k)
    b = M.betweenness(u, method=method)
    np.testing.assert_allclose([b[v] for v in nli.index], nli["sna_betweenness"], atol=1e-9)
    np.testing.assert_allclose(nli["sna_betweenness"], nli["igraph_betweenness"], atol=1e-9)


@pytest.mark.parametrize("k", [1, 2, 3])
def test_centralization_equals_sna(k, graph_level):
    _, u, _, _ = load_fixture(k)
    row = graph_level.loc[k]
    assert u.number_of_edges() == row["edges"]
    assert M.freeman_centralization(u, "degree") == pytest.approx(
        row["degree_centralization"], abs=1e-9)
    assert M.freeman_centralization(u, "betweenness") == pytest.approx(
        row["betweenness_centralization"], abs=1e-9)


@pytest.mark.parametrize("k", [1, 2, 3])
@pytest.mark.parametrize("method", ["networkx", "igraph"])
def test_constraint_equals_igraph(k, method):
    _, u, _, nli = load_fixture(k)
    c = M.constraint(u, method=method)
    np.testing.assert_allclose([c[v] for v in nli.index], nli["igraph_constraint"], atol=1e-9,
                               equal_nan=True)
    cb = M.constraint(u, weight=None, method=method)
    np.testing.assert_allclose([cb[v] for v in nli.index], nli["igraph_constraint_binary"],
                               atol=1e-9, equal_nan=True)


# --- fast path agrees with networkx --------------------------------------------


def _graphs():
    rng = np.random.default_rng(7)
    g1 = nx.gnp_random_graph(60, 0.06, seed=3)
    g1.add_nodes_from(range(60, 64))  # isolates
    for u, v in g1.edges():
        g1[u][v]["weight"] = int(rng.integers(1, 5))
    g2 = nx.connected_watts_strogatz_graph(50, 4, 0.2, seed=5)
    for u, v in g2.edges():
        g2[u][v]["weight"] = float(rng.integers(1, 5))
    return [g1, g2, nx.karate_club_graph(), nx.florentine_families_graph()]


@pytest.mark.parametrize("g", _graphs())
def test_fast_paths_agree_with_networkx(g):
    for fn in (M.betweenness, M.closeness, M.constraint):
        a, b = fn(g, method="networkx"), fn(g, method="igraph")
        np.testing.assert_allclose([a[v] for v in g], [b[v] for v in g], atol=1e-9,
                                   equal_nan=True, err_msg=fn.__name__)
    a = M.betweenness(g, normalized=True, method="networkx")
    b = M.betweenness(g, normalized=True, method="igraph")
    np.testing.assert_allclose([a[v] for v in g], [b[v] for v in g], atol=1e-12)


@pytest.mark.parametrize("g", _graphs()[1:])
def test_eigenvector_fast_path_agrees(g):
    a = M.eigenvector(g, method="networkx")
    b = M.eigenvector(g, method="igraph")
    np.testing.assert_allclose([a[v] for v in g], [b[v] for v in g], atol=1e-9)


def test_directed_closeness_fast_path_agrees():
    d = nx.gnp_random_graph(40, 0.05, seed=11, directed=True)
    a, b = M.closeness(d, method="networkx"), M.closeness(d, method="igraph")
    np.testing.assert_allclose([a[v] for v in d], [b[v] for v in d], atol=1e-12)


# --- E-I index -------------------------------------------------------------------


def test_ei_index_hand_example():
    # groups {1,2,3} and {4,5,6}; internal 1-2, 2-3, 4-5; external 3-4, 1-6
    g = nx.Graph([(1, 2), (2, 3), (4, 5), (3, 4), (1, 6)])
    groups = {1: "a", 2: "a", 3: "a", 4: "b", 5: "b", 6: "b"}
    res = M.ei_index(g, groups, permutations=2000, seed=42)
    assert (res.external, res.internal) == (2, 3)
    assert res.ei == pytest.approx(-0.2)
    # random labels: P(external pair) = 9/15 -> expected EI = 2 * 0.6 - 1
    assert res.expected == pytest.approx(0.2)
    # exact permutation distribution: all 20 equally likely labelings
    exact = []
    for members in itertools.combinations(range(1, 7), 3):
        lab = {v: "a" if v in members else "b" for v in range(1, 7)}
        exact.append(M.ei_index(g, lab, permutations=0).ei)
    exact = np.array(exact)
    p_exact = np.mean(np.abs(exact - 0.2) >= abs(-0.2 - 0.2) - 1e-12)
    assert res.p_value == pytest.approx(p_exact, abs=0.03)
    again = M.ei_index(g, groups, permutations=2000, seed=42)
    assert again.p_value == res.p_value and again.p_greater == res.p_greater
    assert "E-I index" in res.summary()


def test_ei_permutation_seeded_and_directed():
    g = nx.gnp_random_graph(80, 0.05, seed=1, directed=True)
    groups = {v: v % 4 for v in g}
    a = M.ei_index(g, groups, permutations=500, seed=9)
    b = M.ei_index(g, groups, permutations=500, seed=9)
    assert a == b
    assert a.internal + a.external == g.number_of_edges()
    # strongly homophilous: only within-group ties -> EI = -1, p small
    h = nx.Graph([(u, v) for u, v in itertools.combinations(range(40), 2) if u % 4 == v % 4
                  and (u + v) % 3 == 0])
    r = M.ei_index(h, {v: v % 4 for v in h}, permutations=200, seed=1)
    assert r.ei == -1.0 and r.p_value < 0.01


# --- brokerage, mixing, tables ------------------------------------------------------


def test_brokerage_hand_example():
    # i -> j -> k paths through b; a -> c exists so (a, b, c) is not brokerage
    g = nx.DiGraph([("a", "b"), ("b", "c"), ("a", "c"), ("d", "b"), ("b", "e")])
    groups = {"a": 1, "b": 1, "c": 1, "d": 2, "e": 2}
    br = M.brokerage_roles(g, groups)
    # a->b->e: representative; d->b->c: gatekeeper; d->b->e: itinerant
    assert br.loc["b", ["coordinator", "itinerant", "representative", "gatekeeper",
                        "liaison", "brokerage_total"]].tolist() == [0, 1, 1, 1, 0, 3]
    assert br.drop(index="b")["brokerage_total"].sum() == 0


def test_type_mixing_hand_example():
    g = nx.Graph([(1, 2), (1, 3), (3, 4)])
    g.add_node(5)
    nx.set_node_attributes(g, {1: "x", 2: "x", 3: "y", 4: "y", 5: "y"}, "type")
    t = M.type_mixing(g).set_index(["group_from", "group_to"])
    assert t.loc[("x", "x"), "ties"] == 1 and t.loc[("x", "y"), "ties"] == 1
    assert t.loc[("y", "y"), "ties"] == 1 and t.loc[("y", "x"), "ties"] == 1
    # 3 edges over 10 pairs: x-x 1 pair, x-y 6 pairs, y-y 3 pairs
    assert t.loc[("x", "x"), "expected"] == pytest.approx(0.3)
    assert t.loc[("x", "y"), "expected"] == pytest.approx(1.8)
    assert t.loc[("y", "y"), "ratio"] == pytest.approx(1 / 0.9)


def test_robustness_deterministic_and_trivial_without_nonrespondents():
    s = make_study()
    nets = build_networks(s)
    a = M.robustness(nets, runs=30, seed=3)
    b = M.robustness(nets, runs=30, seed=3)
    pd.testing.assert_frame_equal(a.bands, b.bands)
    pd.testing.assert_frame_equal(a.sensitivity, b.sensitivity)
    assert a.nonrespondents == 2
    # respondent pair a-b is mutual, a->c is not confirmed by c -> r = 1/2
    assert a.drop_probability == pytest.approx(0.5)
    s.respondents["status"] = "completed"
    nets = build_networks(s)
    c = M.robustness(nets, runs=10, seed=3)
    deg = dict(nets.collaboration.degree())
    assert c.bands["degree_lo"].to_dict() == c.bands["degree_hi"].to_dict()
    assert c.bands["degree_lo"].to_dict() == {k: float(v) for k, v in deg.items()}


def test_robustness_bands_cover_perturbation():
    g = nx.connected_watts_strogatz_graph(60, 4, 0.3, seed=2)
    actors = pd.DataFrame({"actor_id": [str(v) for v in g], "name": [f"A{v}" for v in g],
                           "type": ["kommun" if v % 3 else "association" for v in g],
                           "kommun_kod": [pd.NA] * 60})
    rows = [(str(u), str(v)) for u, v in g.edges()] + [(str(v), str(u)) for u, v in g.edges()
                                                       if (u + v) % 2]
    ties = pd.DataFrame(rows, columns=["respondent_id", "alter_id"]).assign(
        relation="information", strength=1, wave=1)
    status = ["completed" if v % 4 else "declined" for v in g]
    resp = pd.DataFrame({"actor_id": actors["actor_id"], "wave": 1, "status": status})
    from netsoc.study import Study
    study = Study(actors=actors, ties=ties, respondents=resp)
    nets = build_networks(study)
    rob = M.robustness(nets, runs=40, seed=1)
    assert (rob.bands["degree_lo"] <= rob.bands["degree_hi"]).all()
    assert (rob.bands["degree_lo"] < rob.bands["degree_hi"]).any()
    assert len(rob.sensitivity) == 10
    assert rob.sensitivity["share_top10"].between(0, 1).all()
    assert 0 < rob.top10_overlap <= 1


def test_actor_and_network_tables():
    s = make_study()
    nets = build_networks(s)
    tables, rob = M.measure_tables(s, nets, seed=1)
    actors = tables["actors"]
    assert list(actors.columns[: len(M.ACTOR_COLUMNS)]) == list(M.ACTOR_COLUMNS)
    assert len(actors) == 5
    a = actors.set_index("actor_id")
    assert a.loc["a", "degree"] == 3 and a.loc["a", "strength"] == 8
    assert a.loc["a", "betweenness"] == pytest.approx(2.0)  # a lies between b, c and d pairs
    assert a.loc["a", "out_degree_reported"] == 2 and a.loc["a", "in_degree_reported"] == 2
    assert a.loc["c", "placements_hosted"] == 3 and a.loc["a", "placements_referred"] == 4
    assert np.isnan(a.loc["e", "constraint"])
    for col in ("degree_lo", "degree_hi", "betweenness_lo", "betweenness_hi",
                "gatekeeper_expected", "gatekeeper_z"):
        assert col in a.columns
    net = tables["network"].set_index(["metric", "layer"])["value"]
    assert net[("n_actors", "collaboration")] == 5
    assert net[("n_ties", "collaboration")] == 4
    assert net[("components", "collaboration")] == 2
    assert net[("largest_component", "collaboration")] == 4
    assert net[("response_rate", "reported")] == pytest.approx(3 / 5)
    assert net[("reciprocity", "reported")] == pytest.approx(2 / 5)
    assert ("ei_p_value", "collaboration") in net.index
    assert ("ei_index", "collaboration_w2") in net.index
    assert ("n_ties", "collaboration_w2") not in net.index  # netsoc.waves makes those
    assert set(tables["type_mixing"].columns) == {"group_from", "group_to", "ties", "expected",
                                                  "ratio"}
    again, _ = M.measure_tables(s, nets, seed=1)
    for name in tables:
        pd.testing.assert_frame_equal(tables[name], again[name])


def test_robustness_pivot_sampling_on_large_graphs():
    g = nx.connected_watts_strogatz_graph(300, 4, 0.2, seed=4)
    actors = pd.DataFrame({"actor_id": [str(v) for v in g], "name": [f"A{v}" for v in g],
                           "type": "association", "kommun_kod": pd.NA})
    ties = pd.DataFrame([(str(u), str(v)) for u, v in g.edges()],
                        columns=["respondent_id", "alter_id"]).assign(
        relation="information", strength=1, wave=1)
    resp = pd.DataFrame({"actor_id": actors["actor_id"], "wave": 1,
                         "status": ["completed" if v % 5 else "declined" for v in g]})
    from netsoc.study import Study
    nets = build_networks(Study(actors=actors, ties=ties, respondents=resp))
    exact = M.robustness(nets, runs=20, seed=2)
    est = M.robustness(nets, runs=20, seed=2, work_limit=20 * 300 * 700 / 3)
    assert not exact.notes and "pivot" in est.notes[0]
    # degree bands do not depend on how betweenness is computed
    pd.testing.assert_series_equal(exact.bands["degree_hi"], est.bands["degree_hi"])
    # the pivot estimate is unbiased: total betweenness bands agree within sampling error
    lo_ratio = est.bands["betweenness_hi"].sum() / exact.bands["betweenness_hi"].sum()
    assert 0.8 < lo_ratio < 1.25


def test_split_betweenness_and_closeness_equal_networkx(monkeypatch):
    # above SPLIT_THRESHOLD the sources are cut in parts run in worker processes;
    # the undirected convention (each pair once) must survive the sum of parts
    monkeypatch.setattr(paths, "SPLIT_THRESHOLD", 50)
    for directed in (False, True):
        g = nx.gnm_random_graph(300, 700, seed=5, directed=directed)
        g.add_nodes_from(range(300, 310))  # isolates
        ref = nx.betweenness_centrality(g, normalized=False)
        for jobs in ("1", "2"):
            monkeypatch.setenv("NETSOC_JOBS", jobs)
            b = M.betweenness(g, method="igraph")
            assert max(abs(b[v] - ref[v]) for v in g) <= 1e-9 * max(ref.values())
    g = nx.gnm_random_graph(300, 500, seed=6)
    c = M.closeness(g, method="igraph")
    ref = nx.closeness_centrality(g)
    assert max(abs(c[v] - ref[v]) for v in g) < 1e-12


def _tree_heavy_graph(seed: int) -> nx.Graph:
    """A core with pendant trees (leaves on leaves), lone edges, a path and isolates."""
    rng = np.random.default_rng(seed)
    g = nx.gnm_random_graph(60, 90, seed=seed)
    for _ in range(80):  # trees hanging on the core and on earlier tree nodes
        g.add_edge(int(rng.integers(0, g.number_of_nodes())), g.number_of_nodes())
    k = g.number_of_nodes()
    g.add_edges_from([(k, k + 1), (k + 2, k + 3), (k + 4, k + 5), (k + 5, k + 6)])
    g.add_nodes_from(range(k + 7, k + 12))
    return g


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_leaf_reduced_betweenness_and_closeness_equal_networkx(monkeypatch, jobs):
    # leaves, trees, lone pairs and isolates are handled without their own searches
    monkeypatch.setenv("NETSOC_JOBS", jobs)
    monkeypatch.setattr(paths, "SPLIT_THRESHOLD", 50)
    for seed in range(3):
        g = _tree_heavy_graph(seed)
        p = paths._prune(g.number_of_nodes(), np.array(list(g.edges())))
        assert len(p.sources) < g.number_of_nodes() - 50  # the reduction does save searches
        ref = nx.betweenness_centrality(g, normalized=False)
        b = M.betweenness(g, method="igraph")
        assert max(abs(b[v] - ref[v]) for v in g) <= 1e-9 * max(ref.values())
        refc = nx.closeness_centrality(g)
        c = M.closeness(g, method="igraph")
        assert max(abs(c[v] - refc[v]) for v in g) < 1e-12


def test_robustness_leaves_actors_never_asked_alone():
    # "not_asked" actors are outside the survey frame when respondents.csv says who was
    # asked: no tie of theirs is dropped or imputed; without it every silent actor is
    # a possible non-respondent
    g = nx.connected_watts_strogatz_graph(80, 4, 0.3, seed=3)
    ids = [str(v) for v in g]
    actors = pd.DataFrame({"actor_id": ids, "name": ids, "type": "association",
                           "kommun_kod": pd.NA})
    asked = [v for v in g if v % 4]
    status = ["completed" if v % 5 else "declined" for v in asked]
    done = {v for v, st in zip(asked, status, strict=True) if st == "completed"}
    ties = pd.DataFrame([(str(u), str(v)) for u, v in g.edges() if u in done]
                        + [(str(v), str(u)) for u, v in g.edges() if v in done and u % 3],
                        columns=["respondent_id", "alter_id"]).assign(
        relation="information", strength=1, wave=1)
    resp = pd.DataFrame({"actor_id": [str(v) for v in asked], "wave": 1, "status": status})
    from netsoc.study import Study
    study = Study(actors=actors, ties=ties, respondents=resp)
    nets = build_networks(study)
    rob = M.robustness(nets, runs=40, seed=1, response_known=study.response_known)
    never = [str(v) for v in g if v % 4 == 0]
    declined = [str(v) for v, st in zip(asked, status, strict=True) if st == "declined"]
    assert rob.nonrespondents == len(declined)
    deg = dict(nets.collaboration.degree())
    bands = rob.bands
    untouched = [a for a in never
                 if not any(nb in declined for nb in nets.collaboration[a])]
    assert untouched
    assert all(bands.loc[a, "degree_lo"] == deg[a] for a in untouched)
    # declined actors' own ties move
    assert any(bands.loc[a, "degree_lo"] < bands.loc[a, "degree_hi"] for a in declined)
    # response unknown: the never-asked count as non-respondents and their ties move
    unknown = M.robustness(nets, runs=40, seed=1, response_known=False)
    assert unknown.nonrespondents == len(never) + len(declined)
    assert any(unknown.bands.loc[a, "degree_lo"] < unknown.bands.loc[a, "degree_hi"]
               for a in untouched)
    # inferred from the statuses when not given
    assert M.robustness(nets, runs=5, seed=1).nonrespondents == len(declined)


def test_centralization_of_huge_layer_is_estimated_with_a_note(monkeypatch):
    g = nx.connected_watts_strogatz_graph(400, 6, 0.3, seed=7)
    exact = M.freeman_centralization(g, "betweenness")
    monkeypatch.setattr(tables, "CENTRALIZATION_WORK_LIMIT", 1000)
    monkeypatch.setattr(tables, "CENTRALIZATION_PIVOT_WORK", 1)  # the minimum, 100 of 400 pivots
    notes: list[str] = []
    rows = dict(((m, v) for m, _, v in tables._layer_rows("placement", g, seed=3, notes=notes)))
    assert "placement" in notes[0] and "100 random pivot" in notes[0]
    assert rows["betweenness_centralization"] == pytest.approx(exact, rel=0.25)
    again = dict(((m, v) for m, _, v in tables._layer_rows("placement", g, seed=3, notes=[])))
    assert again["betweenness_centralization"] == rows["betweenness_centralization"]


def test_transitivity_reciprocity_and_ranks_equal_networkx_and_scipy():
    from scipy.stats import rankdata

    for seed in range(4):
        g = nx.powerlaw_cluster_graph(1500, 3, 0.4, seed=seed)
        g.add_edge(0, 0)  # a self-loop is ignored by both
        assert M.transitivity(g, method="igraph") == nx.transitivity(g)
        d = nx.gnm_random_graph(300, 900, seed=seed, directed=True)
        d.add_edge(1, 1)
        d.add_edges_from([(v, u) for u, v in list(d.edges())[:50]])
        assert M.reciprocity(d) == nx.reciprocity(d)
        vals = np.random.default_rng(seed).integers(0, 20, 500).astype(float)
        assert (nonresponse._ranks(vals) == rankdata(-vals, method="min")).all()
    assert M.transitivity(nx.star_graph(5), method="igraph") == 0.0
    assert M.transitivity(nx.empty_graph(3), method="igraph") == 0.0


def test_background_measures_equal_synchronous(monkeypatch):
    # the pipeline starts the searches in worker processes and goes on; the tables must
    # be the same as computing everything in this process
    # each threshold is read by the submodules that define or import it
    for mod in (paths, tables):
        monkeypatch.setattr(mod, "FAST_THRESHOLD", 50)
        monkeypatch.setattr(mod, "SPLIT_THRESHOLD", 100)
    monkeypatch.setattr(tables, "BACKGROUND_THRESHOLD", 50)
    monkeypatch.setenv("NETSOC_JOBS", "2")
    g = _tree_heavy_graph(4)
    ids = [f"a{v}" for v in g]
    actors = pd.DataFrame({"actor_id": ids, "name": ids,
                           "type": ["kommun" if v % 3 else "association" for v in g],
                           "kommun_kod": pd.NA})
    ties = pd.DataFrame([(f"a{u}", f"a{v}") for u, v in g.edges() if u % 5]
                        + [(f"a{v}", f"a{u}") for u, v in g.edges() if v % 5 and u % 2],
                        columns=["respondent_id", "alter_id"]).assign(
        relation="information", strength=1, wave=1)
    status = ["completed" if v % 5 else "declined" for v in g]
    resp = pd.DataFrame({"actor_id": ids, "wave": 1, "status": status})
    placements = pd.DataFrame({"placement_id": [str(i) for i in range(120)],
                               "person_key": [f"p{i % 40}" for i in range(120)],
                               "referrer_id": "a0", "host_id": [f"a{i % 30}" for i in range(120)]})
    from netsoc.study import Study
    study = Study(actors=actors, ties=ties, respondents=resp, placements=placements)
    nets = build_networks(study)
    pending = M.start_measure_tables(study, nets, seed=3)
    assert pending._pool is not None  # really in the background
    assert pending.actors["betweenness"].isna().all()  # filled by result()
    bg, rob_bg = pending.result()
    assert pending._pool is None and not _workers._SHARED
    sync, rob_sync = M.start_measure_tables(study, nets, seed=3, background=False).result()
    for name in sync:
        pd.testing.assert_frame_equal(bg[name], sync[name])
    assert rob_bg.notes == rob_sync.notes
    ref = nx.betweenness_centrality(nets.collaboration, normalized=False)
    a = bg["actors"].set_index("actor_id")
    assert max(abs(a.loc[v, "betweenness"] - ref[v]) for v in ref) < 1e-9
    net = bg["network"].set_index(["metric", "layer"])["value"]
    assert not np.isnan(net[("betweenness_centralization", "coplacement")])
    assert net[("betweenness_centralization", "coplacement")] == pytest.approx(
        M.freeman_centralization(nets.coplacement, "betweenness"))


def test_ei_permutation_p_values_follow_one_shuffle_per_permutation():
    # reference: one label shuffle per permutation with the seeded generator, counted by hand
    g = nx.gnm_random_graph(60, 150, seed=5)
    groups = {n: "abc"[n % 3] for n in g}
    res = M.ei_index(g, groups, permutations=300, seed=11)
    nodes = list(g)
    codes = np.array(["abc".index(groups[n]) for n in nodes])
    edges = np.array(list(g.edges()))
    rng = np.random.default_rng(11)
    m = len(edges)
    perm = []
    for _ in range(300):
        lab = rng.permuted(codes)
        perm.append((2.0 * np.sum(lab[edges[:, 0]] != lab[edges[:, 1]]) - m) / m)
    perm = np.array(perm)
    assert res.p_greater == pytest.approx((1 + np.sum(perm >= res.ei - 1e-12)) / 301)
    assert res.p_less == pytest.approx((1 + np.sum(perm <= res.ei + 1e-12)) / 301)
