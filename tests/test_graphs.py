"""Network layers: symmetrisation variants, placement and coplacement weights, exports."""

from __future__ import annotations

import networkx as nx
import pandas as pd
import pytest

from netsoc.graphs import build_networks, coplacement_matrix, symmetrize, write_graph_files
from netsoc.study import Settings, Study


def make_study(symmetrize: str = "union") -> Study:
    actors = pd.DataFrame({
        "actor_id": ["a", "b", "c", "d", "e"],
        "name": ["Alfa kommun", "Beta SF", "Gamma ASF", "Delta förening", "Epsilon AB"],
        "type": ["kommun", "samordningsforbund", "social_enterprise", "association", "company"],
        "kommun_kod": ["0127", "0127", "0136", pd.NA, "0138"],
    })
    ties = pd.DataFrame({
        "respondent_id": ["a", "b", "a", "c", "d", "a"],
        "alter_id": ["b", "a", "c", "d", "a", "b"],
        "relation": ["referral", "collaboration", "information", "funding", "information",
                     "information"],
        "strength": [2, 4, 1, 2, 3, 1],
        "wave": [1, 1, 1, 2, 1, 2],
    })
    respondents = pd.DataFrame({
        "actor_id": ["a", "b", "c", "d", "e"],
        "wave": [1] * 5,
        "status": ["completed", "completed", "completed", "declined", "not_reached"],
    })
    placements = pd.DataFrame({
        "placement_id": ["1", "2", "3", "4", "5", "6", "7"],
        "person_key": ["p1", "p1", "p2", "p2", "p2", "p3", "p1"],
        "referrer_id": ["a", "a", "b", "b", "a", "b", "a"],
        "host_id": ["c", "d", "c", "d", "e", "e", "c"],
    })
    affiliations = pd.DataFrame({
        "actor_id": ["a", "a"], "partner_id": ["b", "b"],
        "relation": ["member_of", "funds"],
    })
    return Study(actors=actors, ties=ties, respondents=respondents, placements=placements,
                 affiliations=affiliations, settings=Settings(symmetrize=symmetrize))


def edges(g: nx.Graph) -> dict:
    return {tuple(sorted((u, v))): w for u, v, w in g.edges(data="weight")}


def test_reported_layer_max_strength_over_relations_and_waves():
    rep = build_networks(make_study()).reported
    assert rep["a"]["b"]["weight"] == 2  # referral 2 (w1) and information 1 (w2)
    assert rep["a"]["b"]["relation"] == "information;referral"
    assert rep["b"]["a"]["weight"] == 4
    assert set(rep.edges()) == {("a", "b"), ("b", "a"), ("a", "c"), ("c", "d"), ("d", "a")}


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        ("union", {("a", "b"): 4, ("a", "c"): 1, ("c", "d"): 2, ("a", "d"): 3}),
        ("max", {("a", "b"): 4, ("a", "c"): 1, ("c", "d"): 2, ("a", "d"): 3}),
        ("mutual", {("a", "b"): 4}),
        ("min", {("a", "b"): 2}),
        # d declined: its own report d->a is replaced by what others said about d
        ("reconstruct", {("a", "b"): 4, ("a", "c"): 1, ("c", "d"): 2}),
    ],
)
def test_symmetrisation_variants(method, expected):
    nets = build_networks(make_study(), symmetrize=method)
    assert edges(nets.collaboration) == expected
    assert nets.symmetrize == method


def test_symmetrize_setting_is_default_and_bad_value_is_clear():
    assert build_networks(make_study("mutual")).symmetrize == "mutual"
    with pytest.raises(ValueError, match="symmetrize"):
        build_networks(make_study(), symmetrize="average")


def test_reconstruct_uses_others_reports_about_nonrespondent():
    d = nx.DiGraph()
    d.add_edge("r", "n", weight=2, relation="x")  # respondent names non-respondent
    d.add_edge("n", "q", weight=4, relation="y")  # non-respondent's own report
    g = symmetrize(d, "reconstruct", nonrespondents={"n"})
    assert edges(g) == {("n", "r"): 2}


def test_every_actor_in_every_layer_with_attributes():
    nets = build_networks(make_study())
    for name, g in nets.layers().items():
        assert set(g) == {"a", "b", "c", "d", "e"}, name
        for _, data in g.nodes(data=True):
            assert set(data) >= {"name", "type", "kommun_kod"}
            assert all(v is not None for v in data.values())
    assert nets.reported.nodes["d"]["kommun_kod"] == ""
    assert nets.reported.nodes["d"]["status"] == "declined"


def test_placement_layer_counts_placements():
    p = build_networks(make_study()).placement
    assert dict(((u, v), w) for u, v, w in p.edges(data="weight")) == {
        ("a", "c"): 2, ("a", "d"): 1, ("a", "e"): 1, ("b", "c"): 1, ("b", "d"): 1, ("b", "e"): 1,
    }


def test_coplacement_counts_shared_persons_once():
    # p1: c (twice), d ; p2: c, d, e ; p3: e
    cp = build_networks(make_study()).coplacement
    assert edges(cp) == {("c", "d"): 2, ("c", "e"): 1, ("d", "e"): 1}
    m = coplacement_matrix(make_study().placements, ["c", "d", "e"]).toarray()
    assert m.tolist() == [[2, 2, 1], [2, 2, 1], [1, 1, 2]]


def test_coplacement_scales_to_many_placements():
    import numpy as np

    rng = np.random.default_rng(1)
    n = 200_000
    p = pd.DataFrame({"person_key": rng.integers(0, 60_000, n).astype(str),
                      "host_id": rng.integers(0, 500, n).astype(str)})
    m = coplacement_matrix(p, [str(i) for i in range(500)])
    assert m.shape == (500, 500)
    assert m.diagonal().sum() == len(p.drop_duplicates())


def test_formal_layer_from_affiliations():
    f = build_networks(make_study()).formal
    assert f["a"]["b"]["weight"] == 2
    assert f["a"]["b"]["relation"] == "funds;member_of"


def test_waves():
    nets = build_networks(make_study())
    assert sorted(nets.by_wave) == [1, 2]
    w2 = nets.by_wave[2]
    assert set(w2.reported.edges()) == {("a", "b"), ("c", "d")}
    assert w2.formal is None and w2.wave == 2
    assert set(w2.layers()) == {"reported", "collaboration"}


def test_no_ties_no_placements():
    s = make_study()
    s = Study(actors=s.actors)
    nets = build_networks(s)
    assert nets.reported.number_of_edges() == 0
    assert nets.collaboration.number_of_nodes() == 5
    assert nets.coplacement is None


def test_write_graph_files_roundtrip(tmp_path):
    nets = build_networks(make_study())
    files = write_graph_files(nets, tmp_path)
    names = {f.name for f in files}
    for layer in ("reported", "collaboration", "formal", "placement", "coplacement"):
        for ext in (".graphml", ".gexf", ".net", ".dl", "_edges.csv"):
            assert f"{layer}{ext}" in names
    assert "collaboration_w2.graphml" in names
    g = nx.read_graphml(tmp_path / "collaboration.graphml")
    assert g.nodes["d"]["kommun_kod"] == "" and g.nodes["a"]["type"] == "kommun"
    assert g["a"]["b"]["weight"] == 4
    gx = nx.read_gexf(tmp_path / "reported.gexf")
    assert gx.number_of_nodes() == 5 and gx["b"]["a"]["weight"] == 4
    pj = nx.read_pajek(tmp_path / "placement.net")
    assert pj.number_of_nodes() == 5
    dl = (tmp_path / "collaboration.dl").read_text().splitlines()
    assert dl[0] == "dl n=5 format=edgelist1"
    assert len(dl) == 4 + 2 * 4  # undirected edges both ways
    csv = pd.read_csv(tmp_path / "placement_edges.csv")
    assert csv["weight"].sum() == 7


def test_people_counts_suppressed_in_exports(tmp_path):
    nets = build_networks(make_study())
    write_graph_files(nets, tmp_path, min_cell=3)
    g = nx.read_graphml(tmp_path / "coplacement.graphml")
    assert g["c"]["d"]["people"] == "<3" and g["c"]["d"]["weight"] == 1
    e = pd.read_csv(tmp_path / "placement_edges.csv")
    assert set(e["people"]) == {"<3"} and set(e["weight"]) == {1}
    # the in-memory layers keep their true counts
    assert nets.coplacement["c"]["d"]["weight"] == 2


def _graphs_for_export():
    from netsoc.graphs.writers import _export_copy

    nets = build_networks(make_study())
    yield from (_export_copy(g) for g in nets.layers().values())
    odd = nx.DiGraph()
    odd.add_node('a "&<>\n\t', name="Å & <b>", n=3, x=1.5, kommun_kod="")
    odd.add_node("b")
    odd.add_edge('a "&<>\n\t', "b", weight=4, people="<5")
    odd.add_edge("b", "c")
    yield odd
    yield nx.Graph()
    yield nx.path_graph(3)


def test_fast_graphml_and_gexf_writers_match_networkx_bytes(tmp_path):
    from netsoc.graphs import write_gexf, write_graphml

    for i, g in enumerate(_graphs_for_export()):
        for ours, theirs, ext in ((write_graphml, nx.write_graphml, "graphml"),
                                  (write_gexf, nx.write_gexf, "gexf")):
            ours(g, tmp_path / f"ours{i}.{ext}")
            theirs(g, tmp_path / f"nx{i}.{ext}")
            assert (tmp_path / f"ours{i}.{ext}").read_bytes() == \
                (tmp_path / f"nx{i}.{ext}").read_bytes(), (i, ext)


# ---------------------------------------------------------------------------
# the fast construction builds exactly what plain networkx calls build


def _plain_layers(study: Study) -> dict[str, nx.Graph]:
    """placement, coplacement and formal as one add_edge call per pandas group."""
    ids = set(study.actors["actor_id"].astype(str))
    status = study.respondent_status()

    def empty(directed):
        g = nx.DiGraph() if directed else nx.Graph()
        for aid, name, typ, kk in zip(study.actors["actor_id"], study.actors["name"],
                                      study.actors["type"], study.actors["kommun_kod"],
                                      strict=True):
            g.add_node(str(aid), name=str(name), type=str(typ),
                       kommun_kod="" if pd.isna(kk) else str(kk),
                       status=str(status.get(aid, "not_asked")))
        return g

    pl = study.placements
    pl = pl[pl["referrer_id"].astype(str).isin(ids) & pl["host_id"].astype(str).isin(ids)]
    placement = empty(True)
    links = pl[pl["referrer_id"] != pl["host_id"]]
    for (u, v), n in links.groupby(["referrer_id", "host_id"], sort=True).size().items():
        placement.add_edge(str(u), str(v), weight=int(n))
    coplacement = empty(False)
    hosts = sorted(pl["host_id"].astype(str).unique())
    persons = pl[["person_key", "host_id"]].dropna().astype(str).drop_duplicates()
    shared: dict[tuple[str, str], int] = {}
    for _, grp in persons.groupby("person_key"):
        hs = sorted(grp["host_id"], key=hosts.index)
        for i, u in enumerate(hs):
            for v in hs[i + 1:]:
                shared[(u, v)] = shared.get((u, v), 0) + 1
    for u, v in sorted(shared, key=lambda e: (hosts.index(e[0]), hosts.index(e[1]))):
        coplacement.add_edge(u, v, weight=shared[(u, v)])
    formal = empty(True)
    a = study.affiliations
    a = a[(a["actor_id"] != a["partner_id"]) & a["actor_id"].astype(str).isin(ids)
          & a["partner_id"].astype(str).isin(ids)]
    for (u, v), grp in a.groupby(["actor_id", "partner_id"], sort=True):
        formal.add_edge(str(u), str(v), weight=len(grp),
                        relation=";".join(sorted(set(grp["relation"].astype(str)))))
    reported = empty(True)
    t = study.ties.astype({"respondent_id": str, "alter_id": str, "relation": str})
    t = t[t["respondent_id"].isin(ids) & t["alter_id"].isin(ids)
          & (t["respondent_id"] != t["alter_id"])]
    for (u, v), grp in t.groupby(["respondent_id", "alter_id"], sort=True):
        reported.add_edge(u, v, weight=int(grp["strength"].max()),
                          relation=";".join(sorted(set(grp["relation"]))))
    collaboration = nx.Graph()
    collaboration.add_nodes_from(reported.nodes(data=True))
    pairs: dict[tuple, list] = {}  # union: the first-seen direction names the edge
    for u, v, d in reported.edges(data=True):
        key = (v, u) if (v, u) in pairs else (u, v)
        pairs.setdefault(key, []).append(d)
    for (u, v), ds in pairs.items():
        collaboration.add_edge(u, v, weight=max(d["weight"] for d in ds), relation=";".join(
            sorted({r for d in ds for r in d["relation"].split(";")})))
    return {"placement": placement, "coplacement": coplacement, "formal": formal,
            "reported": reported, "collaboration": collaboration}


def _random_study(seed: int, dtype) -> Study:
    import numpy as np

    rng = np.random.default_rng(seed)
    # ids whose sort order differs from their order of appearance, accents included
    names = ["b", "a", "B", "ä", "z9", "z10", "Åre", "c", "x", "y"]
    ids = names if dtype != "int" else list(range(10, 0, -1))
    actors = pd.DataFrame({"actor_id": ids, "name": [f"N{i}" for i in range(10)],
                           "type": ["kommun"] * 10, "kommun_kod": ["0127"] * 5 + [pd.NA] * 5})
    pool = list(ids) + (["unknown"] if dtype != "int" else [99])
    n = 400
    persons = [f"p{k}" for k in rng.integers(0, 60, n)]
    persons[3] = None  # no person: an arc, but no coplacement
    placements = pd.DataFrame({
        "placement_id": [str(i) for i in range(n)],
        "person_key": persons,
        "referrer_id": [pool[k] for k in rng.integers(0, len(pool), n)],
        "host_id": [pool[k] for k in rng.integers(0, len(pool), n)],
    })
    affiliations = pd.DataFrame({
        "actor_id": [pool[k] for k in rng.integers(0, len(pool), 40)],
        "partner_id": [pool[k] for k in rng.integers(0, len(pool), 40)],
        "relation": [["member_of", "funds", "owns"][k] for k in rng.integers(0, 3, 40)],
    })
    ties = pd.DataFrame({
        "respondent_id": [ids[k] for k in rng.integers(0, len(ids), 80)],  # known: see status
        "alter_id": [pool[k] for k in rng.integers(0, len(pool), 80)],
        "relation": [["referral", "information", "funding"][k] for k in rng.integers(0, 3, 80)],
        "strength": rng.integers(1, 5, 80),
        "wave": [1] * 80,
    })
    if dtype == "string":
        placements = placements.astype("string")
        affiliations = affiliations.astype("string")
        ties = ties.astype({"respondent_id": "string", "alter_id": "string", "relation": "string"})
        actors = actors.astype({"actor_id": "string", "name": "string"})
    return Study(actors=actors, ties=ties, placements=placements, affiliations=affiliations)


@pytest.mark.parametrize("dtype", ["string", "object", "int"])
@pytest.mark.parametrize("seed", [1, 2])
def test_layers_equal_plain_networkx_construction(dtype, seed):
    study = _random_study(seed, dtype)
    nets = build_networks(study)
    for name, want in _plain_layers(study).items():
        got = getattr(nets, name)
        assert type(got) is type(want), name
        assert list(got.nodes(data=True)) == list(want.nodes(data=True)), name
        assert list(got.edges(data=True)) == list(want.edges(data=True)), name
        # the same neighbour order everywhere: algorithms and graph files follow it
        assert [list(got.adj[n].items()) for n in got] == [list(want.adj[n].items()) for n in want]
        if got.is_directed():
            assert [list(got.pred[n]) for n in got] == [list(want.pred[n]) for n in want]
            # one data dict per edge, seen from both ends, as networkx keeps it
            assert all(got.succ[u][v] is got.pred[v][u] for u, v in got.edges())
        else:
            assert all(got.adj[u][v] is got.adj[v][u] for u, v in got.edges())
        got.add_edge("a" if dtype != "int" else 1, "new")  # still an ordinary networkx graph
    assert min(g.number_of_edges() for g in nets.layers().values()) > 10


# ---------------------------------------------------------------------------
# graph files: the fast writers make exactly the files networkx's writers make


def _reference_layer_files(name: str, g: nx.Graph, out, min_cell: int) -> None:
    """One layer's files as netsoc wrote them through networkx (the reference)."""
    from netsoc.graphs import PEOPLE_LAYERS, write_edge_csv, write_ucinet_dl
    from netsoc.graphs.writers import _clean_attrs

    if name in PEOPLE_LAYERS and min_cell > 1:
        g = g.copy()
        for _, _, d in g.edges(data=True):
            w = int(d.get("weight", 1))
            d["weight"], d["people"] = (1, f"<{min_cell}") if 0 < w < min_cell else (d["weight"], str(w))
    h = g.__class__()
    h.add_nodes_from((n, _clean_attrs(d)) for n, d in g.nodes(data=True))
    h.add_edges_from((u, v, _clean_attrs(d)) for u, v, d in g.edges(data=True))
    nx.write_graphml(h, out / f"{name}.graphml")
    nx.write_gexf(h, out / f"{name}.gexf")
    p = h.__class__()
    p.add_nodes_from(h)
    p.add_edges_from((u, v, {"weight": d.get("weight", 1)}) for u, v, d in h.edges(data=True))
    nx.write_pajek(p, out / f"{name}.net")
    write_ucinet_dl(h, out / f"{name}.dl")
    write_edge_csv(h, out / f"{name}_edges.csv")


def _same_files(ours, ref) -> None:
    import re

    names = sorted(f.name for f in ref.iterdir())
    assert sorted(f.name for f in ours.iterdir()) == names
    for name in names:
        a, b = (ours / name).read_bytes(), (ref / name).read_bytes()
        if name.endswith(".gexf"):  # the date of writing
            a, b = (re.sub(rb'lastmodifieddate="[^"]*"', b"", x) for x in (a, b))
        assert a == b, name


def _awkward_graph(directed: bool, uniform: bool = True) -> nx.Graph:
    """Names and values that need escaping, quoting, cleaning or suppression."""
    import numpy as np

    g = nx.DiGraph() if directed else nx.Graph()
    names = ['a "quoted" & <tagged>', "Åsa-Nisse\tförening", "plain", "with space", "b'&amp;", "ü\n2"]
    for i, n in enumerate(names):
        g.add_node(n, name=f"{n} AB & <co>", type=None, share=[float("nan"), -0.0, 1.5, np.inf,
                                                             np.float64(2.25), 0.0][i],
                   staff=np.int64(i), member=np.bool_(i % 2), flag=bool(i % 3), note=pd.NA)
    weights = [np.int64(1), 2, 7, np.int32(3), 4, 1, 12]
    pairs = [(0, 1), (1, 0), (2, 3), (3, 4), (4, 5), (5, 0), (2, 2)]
    for (i, j), w in zip(pairs, weights, strict=True):
        g.add_edge(names[i], names[j], weight=w, relation=f"r{i}&<{j}> \"x\"",
                   score=float("nan") if i == 3 else i / 3, ok=i > 2, gone=None)
    if not uniform:
        g.add_edge(names[0], names[3], weight=2.5, extra="only here")  # other names, a float
        g.add_node("bare")  # no attributes
    return g


@pytest.mark.parametrize("min_cell", [1, 3])
def test_graph_files_equal_networkx_writers_on_example_study(tmp_path, min_cell):
    import netsoc
    from netsoc.graphs.files import _export_layers

    nets = build_networks(netsoc.load_study())
    files = write_graph_files(nets, tmp_path / "ours", min_cell=min_cell)
    (tmp_path / "ref").mkdir()
    layers = _export_layers(nets)
    assert len(layers) > 5  # the waves too
    for name, g in layers.items():
        _reference_layer_files(name, g, tmp_path / "ref", min_cell)
    _same_files(tmp_path / "ours", tmp_path / "ref")
    assert [f.name for f in files] == [f"{name}{ext}" for name in layers
                                       for ext in (".graphml", ".gexf", ".net", ".dl", "_edges.csv")]
    if min_cell > 1:
        assert "&lt;3" in (tmp_path / "ours" / "coplacement.graphml").read_text()


@pytest.mark.parametrize("directed", [True, False])
@pytest.mark.parametrize("layer", ["collaboration", "placement"])
@pytest.mark.parametrize("uniform", [True, False])
def test_graph_files_equal_networkx_writers_on_awkward_graphs(tmp_path, monkeypatch, directed,
                                                              layer, uniform):
    from netsoc.graphs import files as graph_files

    g = _awkward_graph(directed, uniform)
    generic = []
    real = graph_files._write_layer_generic
    monkeypatch.setattr(graph_files, "_write_layer_generic",
                        lambda *a: generic.append(a[0]) or real(*a))
    (tmp_path / "ours").mkdir()
    (tmp_path / "ref").mkdir()
    graph_files._write_layer((layer, g, tmp_path / "ours", 3))
    _reference_layer_files(layer, g, tmp_path / "ref", 3)
    _same_files(tmp_path / "ours", tmp_path / "ref")
    # the uniform graph is written by the fast path, the other by the generic one
    assert generic == ([] if uniform else [layer])
    read = nx.read_graphml(tmp_path / "ours" / f"{layer}.graphml")
    assert read.nodes['a "quoted" & <tagged>']["share"] == 0.0  # NaN cleaned
    assert read.nodes["plain"]["member"] is False and read.nodes["plain"]["staff"] == 2
    if layer == "placement":  # counts 1 and 2 of people hidden
        e = pd.read_csv(tmp_path / "ours" / f"{layer}_edges.csv", keep_default_na=False)
        assert set(e.loc[e["people"] == "<3", "weight"]) == {1}
        small = sum(0 < int(w) < 3 for _, _, w in g.edges(data="weight"))
        assert (e["people"] == "<3").sum() == small >= 2


def test_graph_files_of_empty_and_edgeless_layers(tmp_path):
    from netsoc.graphs import files as graph_files

    edgeless = nx.DiGraph()
    edgeless.add_nodes_from([("x", {"name": "X"}), ("y y", {"name": "Y"})])
    for i, g in enumerate([nx.Graph(), edgeless, nx.path_graph(4)]):
        (tmp_path / f"ours{i}").mkdir()
        (tmp_path / f"ref{i}").mkdir()
        graph_files._write_layer(("coplacement", g, tmp_path / f"ours{i}", 5))
        _reference_layer_files("coplacement", g, tmp_path / f"ref{i}", 5)
        _same_files(tmp_path / f"ours{i}", tmp_path / f"ref{i}")


def test_parallel_export_writes_the_same_files(tmp_path, monkeypatch):
    from netsoc.graphs import files as graph_files

    nets = build_networks(make_study())
    serial = write_graph_files(nets, tmp_path / "serial", min_cell=2)
    monkeypatch.setattr(graph_files, "_PARALLEL_EDGES", 0)
    monkeypatch.setenv("NETSOC_JOBS", "2")
    parallel = write_graph_files(nets, tmp_path / "parallel", min_cell=2)
    assert [f.name for f in parallel] == [f.name for f in serial]
    _same_files(tmp_path / "parallel", tmp_path / "serial")


# ---------------------------------------------------------------------------
# graph files in the background


def test_start_graph_files_in_background_equals_write(tmp_path, monkeypatch):
    from netsoc.graphs import start_graph_files

    monkeypatch.setenv("NETSOC_JOBS", "2")
    nets = build_networks(make_study())
    want = write_graph_files(nets, tmp_path / "sync", min_cell=3)
    pending = start_graph_files(nets, tmp_path / "bg", min_cell=3)
    assert pending._process is not None  # really in another process
    got = pending.wait()
    assert [f.relative_to(tmp_path / "bg") for f in got] == \
        [f.relative_to(tmp_path / "sync") for f in want]
    assert pending.wait() == got  # again: the same list
    _same_files(tmp_path / "bg", tmp_path / "sync")


def test_background_failure_surfaces_in_wait(tmp_path, monkeypatch):
    from netsoc import graphs
    from netsoc.graphs import files as graph_files

    monkeypatch.setenv("NETSOC_JOBS", "2")

    def boom(task):
        raise ValueError(f"cannot write layer {task[0]}")

    monkeypatch.setattr(graph_files, "_write_layer", boom)
    pending = graphs.start_graph_files(build_networks(make_study()), tmp_path)
    with pytest.raises(graphs.GraphFilesError, match="background process") as err:
        pending.wait()
    assert "ValueError: cannot write layer reported" in str(err.value)  # the child's traceback
    assert isinstance(err.value.__cause__, ValueError)


def test_background_process_dying_surfaces_in_wait(tmp_path, monkeypatch):
    import os

    from netsoc import graphs
    from netsoc.graphs import files as graph_files

    monkeypatch.setenv("NETSOC_JOBS", "2")
    monkeypatch.setattr(graph_files, "_write_layer", lambda task: os._exit(3))
    pending = graphs.start_graph_files(build_networks(make_study()), tmp_path)
    with pytest.raises(graphs.GraphFilesError, match="exit code 3"):
        pending.wait()


@pytest.mark.parametrize("why", ["one job", "no fork"])
def test_start_graph_files_writes_synchronously_without_fork_or_jobs(tmp_path, monkeypatch, why):
    import multiprocessing

    from netsoc import graphs
    from netsoc.graphs import files as graph_files

    if why == "one job":
        monkeypatch.setenv("NETSOC_JOBS", "1")
    else:
        monkeypatch.setenv("NETSOC_JOBS", "2")
        monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    nets = build_networks(make_study())
    pending = graphs.start_graph_files(nets, tmp_path / "a")
    assert pending._process is None
    assert (tmp_path / "a" / "reported.graphml").exists()  # already written
    assert pending.wait() == [tmp_path / "a" / f.name for f in write_graph_files(nets, tmp_path / "b")]
    # errors are raised by wait(), as from the background, and unwrapped
    monkeypatch.setattr(graph_files, "_write_layer", lambda task: 1 / 0)
    failing = graphs.start_graph_files(nets, tmp_path / "c")
    with pytest.raises(ZeroDivisionError):
        failing.wait()
