"""Waves: a planted two-wave study where a coordinator starts to broker."""

from __future__ import annotations

import math

import networkx as nx
import pandas as pd
import pytest

from netsoc import waves
from netsoc.schema import ACTORS, TIES
from netsoc.study import Study

ACTOR_ROWS = [
    ("k1", "Huddinge kommun", "kommun"),
    ("k2", "Botkyrka kommun", "kommun"),
    ("af", "Arbetsförmedlingen", "arbetsformedlingen"),
    ("c", "Samordningsförbundet", "samordningsforbund"),
    ("s1", "Returbutiken", "social_enterprise"),
    ("s2", "Kafé Gemenskap", "social_enterprise"),
    ("s3", "Cykelverkstan", "social_enterprise"),
]
# respondent -> alter arcs per wave
WAVE1 = [("k1", "af"), ("k2", "af"), ("k1", "k2"), ("s1", "s2"), ("s2", "s3"), ("c", "k1")]
WAVE2 = [("k1", "af"), ("k2", "af"), ("k1", "k2"), ("s1", "s2"), ("s1", "s3"),
         ("c", "k1"), ("c", "s1"), ("c", "s2"), ("c", "k2"), ("k1", "c"), ("s1", "c")]


def planted_study() -> Study:
    actors = pd.DataFrame(ACTOR_ROWS, columns=["actor_id", "name", "type"])
    for c in ACTORS.names:
        if c not in actors:
            actors[c] = pd.NA
    rows = [(a, b, "collaboration", 2, w) for w, arcs in ((1, WAVE1), (2, WAVE2)) for a, b in arcs]
    ties = pd.DataFrame(rows, columns=["respondent_id", "alter_id", "relation", "strength", "wave"])
    for c in TIES.names:
        if c not in ties:
            ties[c] = pd.NA
    return Study(actors=actors[ACTORS.names], ties=ties[TIES.names])


def test_coordinator_brokerage_rises():
    wm = waves.wave_measures(planted_study())
    assert wm.columns.tolist() == waves.WAVE_COLUMNS
    assert len(wm) == 14  # every actor in every wave
    c = wm[wm["actor_id"] == "c"].set_index("wave")
    # wave 1: c is a pendant of k1
    assert (c.loc[1, "degree"], c.loc[1, "betweenness"], c.loc[1, "brokerage_total"]) == (1, 0, 0)
    # wave 2 by hand: c is the only bridge between {k1, k2, af} and {s1, s2, s3}: 3 x 3 pairs
    assert c.loc[2, "degree"] == 4 and c.loc[2, "betweenness"] == 9.0
    # open two-paths through c: k1>c>s1, k1>c>s2, s1>c>k1, s1>c>k2 (k1>c>k2, s1>c>s2 closed)
    assert c.loc[2, "brokerage_total"] == 4
    assert c.loc[2, "rank"] == 1
    k1 = wm[(wm["actor_id"] == "k1") & (wm["wave"] == 2)].iloc[0]
    assert k1["brokerage_total"] == 1 and k1["betweenness"] == 2.0  # c>k1>af; half of 4 paths


def test_betweenness_matches_networkx_in_each_wave():
    wm = waves.wave_measures(planted_study())
    for w, arcs in ((1, WAVE1), (2, WAVE2)):
        g = nx.Graph(arcs)
        g.add_nodes_from(a for a, _, _ in ACTOR_ROWS)
        ref = nx.betweenness_centrality(g, normalized=False)
        got = wm[wm["wave"] == w].set_index("actor_id")["betweenness"]
        for a, v in ref.items():
            assert got[a] == pytest.approx(v)


def test_tie_changes_hand_counts():
    tc = waves.tie_changes(planted_study())
    assert tc.columns.tolist() == waves.CHANGE_COLUMNS
    assert tc.to_dict("records") == [
        {"from_wave": 1, "to_wave": 2, "stable": 5, "new": 4, "dropped": 1, "jaccard": 0.5}
    ]
    d = waves.tie_change_detail(planted_study())
    assert d.loc[d["change"] == "dropped", ["actor_a", "actor_b"]].values.tolist() == [["s2", "s3"]]
    assert sorted(map(tuple, d.loc[d["change"] == "new", ["actor_a", "actor_b"]].values)) == [
        ("c", "k2"), ("c", "s1"), ("c", "s2"), ("s1", "s3")]


def test_network_metrics_per_wave():
    net = waves.wave_network_metrics(planted_study())
    v = net.set_index(["metric", "layer"])["value"]
    assert v[("n_ties", "collaboration_w1")] == 6 and v[("n_ties", "collaboration_w2")] == 9
    assert v[("density", "collaboration_w2")] == pytest.approx(9 / 21)
    assert v[("components", "collaboration_w1")] == 2 and v[("components", "collaboration_w2")] == 1
    assert v[("largest_component", "collaboration_w1")] == 4
    # Freeman degree centralization, wave 2: degrees c4 k1 3 k2 3 af 2 s1 3 s2 2 s3 1
    assert v[("degree_centralization", "collaboration_w2")] == pytest.approx(
        (0 + 1 + 1 + 2 + 1 + 2 + 3) / (6 * 5))
    # k1<->c and s1<->c are the mutual pairs of wave 2's 11 arcs
    assert v[("reciprocity", "reported_w2")] == pytest.approx(4 / 11)


def test_analyze_waves_and_change_table():
    res = waves.analyze_waves(planted_study())
    top = res.brokerage_change().iloc[0]
    assert top["actor_id"] == "c" and top["brokerage_change"] == 4
    assert top["betweenness_change"] == 9.0
    assert "c: brokerage 0 -> 4" in res.summary()
    one = planted_study()
    one.ties = one.ties[one.ties["wave"] == 1]
    assert waves.analyze_waves(one) is None


def test_tie_changes_empty_wave_gives_nan_jaccard():
    s = planted_study()
    s.ties = pd.concat([s.ties, s.ties.iloc[:0]])
    tc = waves.tie_changes(s, pairs=[(2, 3)])
    assert tc.iloc[0]["new"] == 0 and tc.iloc[0]["dropped"] == 9
    assert tc.iloc[0]["jaccard"] == 0.0
    tc = waves.tie_changes(s, pairs=[(3, 4)])
    assert math.isnan(tc.iloc[0]["jaccard"])


@pytest.mark.parametrize("lang, heading, change", [("sv", "Förändring mellan mätomgångar",
                                                    "Försvunna band"),
                                                   ("en", "Change between waves", "Dropped ties")])
def test_pipeline_and_report(tmp_path, lang, heading, change):
    import netsoc

    study = planted_study()
    study.actors.loc[study.actors["actor_id"] == "s3", "name"] = "<b>Cykel & co</b>"
    res = netsoc.analyze(study, quiet=True, lang=lang)
    assert {"waves", "tie_changes", "network"} <= set(res.tables)
    assert "collaboration_w2" in set(res.tables["network"]["layer"])
    out = res.write(tmp_path / "out")
    wcsv = pd.read_csv(out / "tables" / "waves.csv")
    row = wcsv[(wcsv["actor_id"] == "c") & (wcsv["wave"] == 2)].iloc[0]
    assert row["brokerage_total"] == 4 and row["rank"] == 1
    html = (out / "report.html").read_text(encoding="utf-8")
    assert heading in html and change in html
    sec = html[html.index('<section id="waves">'):]
    sec = sec[: sec.index("</section>")]
    # the coordinator heads the brokerage-change table
    brokers = sec[sec.rindex("<table"):]
    first_row = brokers[brokers.index("<tbody>"):].split("</tr>")[0]
    assert "Samordningsförbundet" in first_row
    # names are escaped; the dropped tie s2-s3 is listed by name
    assert "<b>Cykel" not in sec and "&lt;b&gt;Cykel &amp; co&lt;/b&gt;" in sec
