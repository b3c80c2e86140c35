"""ERGM and tie change as pipeline models (``level = "network"`` / ``"tie_change"``).

The engine itself is tested in ``tests/test_ergm.py`` (R ergm fixtures, planted
truths); here: the wiring from a ``[[model]]`` spec to models.csv, ergm_gof.csv
and the report, checked against logistic regressions built by hand on the
example study's dyads (dyad-independent models are logistic regressions).
"""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

import netsoc
from netsoc.cli import main
from netsoc.graphs import build_networks
from netsoc.models import build_frames
from netsoc.models.run import fit_model
from netsoc.schema import ModelSpec

MINI = Path(__file__).parent / "fixtures" / "mini"


@pytest.fixture(scope="module")
def example():
    study = netsoc.load_study(None)
    nets = build_networks(study)
    return study, nets, build_frames(study, networks=nets)


def _pairs(nodes):
    return list(itertools.combinations(range(len(nodes)), 2))


def _logit(y, X):
    res = sm.Logit(np.asarray(y, float), sm.add_constant(np.asarray(X, float))).fit(disp=0)
    return res.params, res.bse


def test_dyad_independent_network_model_is_the_logit_on_the_dyads(example):
    study, nets, frames = example
    spec = ModelSpec("who", level="network", formula="edges + nodematch(type) + edgecov(formal)")
    fit = fit_model(spec, frames, networks=nets, seed=1)
    assert fit.ok, fit.message
    g, f = nets.collaboration, nets.formal
    nodes = sorted(g.nodes)
    types = study.actors.set_index("actor_id")["type"]
    y, X = [], []
    for i, j in _pairs(nodes):
        a, b = nodes[i], nodes[j]
        y.append(g.has_edge(a, b))
        X.append([types[a] == types[b], f.has_edge(a, b) or f.has_edge(b, a)])
    params, bse = _logit(y, X)
    tab = fit.table.set_index("term")
    assert list(tab.index) == ["edges", "nodematch.type", "edgecov.formal"]
    np.testing.assert_allclose(tab["estimate"], params, rtol=0, atol=1e-6)
    np.testing.assert_allclose(tab["std_error"], bse, rtol=0, atol=1e-6)
    assert (tab["n_obs"] == len(y)).all()
    assert fit.method == "ergm" and fit.stats["level"] == "network"


def test_edgecov_from_a_dyad_frame_column(example):
    study, nets, frames = example
    spec = ModelSpec("dist", level="network", formula="edges + edgecov(same_kommun)")
    fit = fit_model(spec, frames, networks=nets)
    assert fit.ok, fit.message
    g = nets.collaboration
    nodes = sorted(g.nodes)
    kk = study.actors.set_index("actor_id")["kommun_kod"]
    y, X = [], []
    for i, j in _pairs(nodes):
        a, b = nodes[i], nodes[j]
        y.append(g.has_edge(a, b))
        X.append([bool(pd.notna(kk[a]) and pd.notna(kk[b]) and kk[a] == kk[b])])
    params, _ = _logit(y, X)
    np.testing.assert_allclose(fit.table["estimate"], params, atol=1e-6)


def test_tie_change_formation_and_dissolution_are_conditional_logits(example):
    study, nets, frames = example
    spec = ModelSpec("change", level="tie_change", formula="edges + nodematch(type)")
    fit = fit_model(spec, frames, networks=nets)
    assert fit.ok, fit.message
    g0, g1 = nets.by_wave[1].collaboration, nets.by_wave[2].collaboration
    nodes = sorted(set(g0) | set(g1))
    types = study.actors.set_index("actor_id")["type"]
    rows = {"formation": ([], []), "dissolution": ([], [])}
    for i, j in _pairs(nodes):
        a, b = nodes[i], nodes[j]
        part = "dissolution" if g0.has_edge(a, b) else "formation"
        rows[part][0].append(g1.has_edge(a, b))  # formed / persisted
        rows[part][1].append([types[a] == types[b]])
    tab = fit.table.set_index("term")
    for part, (y, X) in rows.items():
        params, bse = _logit(y, X)
        got = tab.loc[[f"{part}[1-2].edges", f"{part}[1-2].nodematch.type"]]
        np.testing.assert_allclose(got["estimate"], params, atol=1e-6)
        np.testing.assert_allclose(got["std_error"], bse, atol=1e-6)
        assert (got["n_obs"] == len(y)).all()


@pytest.mark.parametrize("formula, words", [
    ("edges + nodematch(typo)", "typo"),
    ("edges + edgecov(nowhere)", "neither a layer"),
    ("edges + gwesp(", "formula"),
])
def test_bad_specs_fail_with_a_message_not_a_traceback(example, formula, words):
    study, nets, frames = example
    fit = fit_model(ModelSpec("bad", level="network", formula=formula), frames, networks=nets)
    assert not fit.ok and words in str(fit.message)


def test_ergm_needs_a_network_level(example):
    study, nets, frames = example
    fit = fit_model(ModelSpec("x", level="actor", method="ergm", formula="degree ~ 1"), frames,
                    networks=nets)
    assert not fit.ok and "network" in str(fit.message)


def test_run_writes_models_gof_and_report(tmp_path):
    study = tmp_path / "study"
    shutil.copytree(MINI, study)
    with open(study / "study.toml", "a", encoding="utf-8") as f:
        f.write('\n[[model]]\nname = "who_collaborates"\nlevel = "network"\n'
                'formula = "edges + edgecov(formal)"\ngof_simulations = 50\n')
    out = tmp_path / "out"
    assert main(["run", str(study), "--out", str(out), "--quiet", "--lang", "sv"]) == 0
    models = pd.read_csv(out / "tables" / "models.csv")
    mine = models[models["model"] == "who_collaborates"]
    assert list(mine["term"]) == ["edges", "edgecov.formal"]
    gof = pd.read_csv(out / "tables" / "ergm_gof.csv")
    assert set(gof["statistic"]) == {"degree", "esp", "distance"}
    assert (gof["sim_low"] <= gof["sim_high"]).all()
    # the observed degree distribution counts every actor once
    n_actors = len(pd.read_csv(study / "actors.csv"))
    assert gof.loc[gof["statistic"] == "degree", "observed"].sum() == n_actors
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "ERGM: oddskvoten" in html and "Passar modellen?" in html


def test_study_toml_accepts_network_levels_and_lists_them_for_a_typo(tmp_path):
    study = tmp_path / "study"
    shutil.copytree(MINI, study)
    with open(study / "study.toml", "a", encoding="utf-8") as f:
        f.write('\n[[model]]\nname = "m"\nlevel = "netwrok"\nformula = "edges"\n')
    with pytest.raises(netsoc.io.StudyError) as info:
        netsoc.load_study(study)
    assert any("network, tie_change" in str(p) for p in info.value.problems)
