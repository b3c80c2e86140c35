"""Placement models on aggregated covariate patterns equal the row-level fit (issue 19)."""

import numpy as np
import pandas as pd
import pytest

from netsoc.models import glm as glm_module
from netsoc.models.design import ModelFit
from netsoc.models.glm import _fit_regression
from netsoc.models.patterns import collapse
from netsoc.schema import ModelSpec


def _frame(n=20_000, seed=3, continuous=False):
    rng = np.random.default_rng(seed)
    hosts = np.array([f"h{i:03d}" for i in range(150)])
    htype = rng.choice(["association", "company", "social_enterprise"], len(hosts))
    hdeg = rng.poisson(4, len(hosts)).astype(float)
    h = rng.integers(0, len(hosts), n)
    program = rng.choice(["praktik", "lonebidrag", "sysselsattning"], n)
    eta = -0.5 + 0.1 * hdeg[h] + (program == "praktik") * 0.4 + rng.normal(0, 0.5, len(hosts))[h]
    work = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(float)
    df = pd.DataFrame({"host_id": hosts[h], "host_type": htype[h], "host_degree": hdeg[h],
                       "program": program, "work": work})
    if continuous:
        df["duration_days"] = rng.integers(10, 400, n).astype(float)
    return df


def _fit(spec, frame, patterns: bool, monkeypatch):
    if not patterns:
        monkeypatch.setattr(glm_module, "collapse", lambda *a, **k: None)
    fit = ModelFit(spec=spec, method="glm")
    _fit_regression(spec, frame, "glm", fit)
    monkeypatch.undo()
    return fit


@pytest.mark.parametrize("cluster", ["host_id", None])
def test_pattern_fit_equals_row_fit(cluster, monkeypatch):
    frame = _frame()
    spec = ModelSpec(name="m", level="placement", family="binomial",
                     formula="work ~ host_degree + C(host_type) + C(program)", cluster=cluster)
    rows = _fit(spec, frame, False, monkeypatch)
    pats = _fit(spec, frame, True, monkeypatch)
    assert "n_patterns" in pats.stats and "n_patterns" not in rows.stats
    assert pats.stats["n_patterns"] < len(frame) / 10
    a, b = rows.table, pats.table
    assert list(a["term"]) == list(b["term"])
    for col in ("estimate", "std_error", "statistic", "p_value", "ci_low", "ci_high"):
        np.testing.assert_allclose(b[col].to_numpy(), a[col].to_numpy(), rtol=1e-8, atol=1e-10,
                                   err_msg=col)
    assert (a["n_obs"] == b["n_obs"]).all()
    for st in ("llf", "aic", "bic", "deviance", "pseudo_r2"):
        np.testing.assert_allclose(pats.stats[st], rows.stats[st], rtol=1e-8, err_msg=st)


def test_per_placement_continuous_covariate_stays_row_level(monkeypatch):
    frame = _frame(continuous=True)
    spec = ModelSpec(name="m", level="placement", family="binomial",
                     formula="work ~ duration_days + C(program)", cluster="host_id")
    fit = _fit(spec, frame, True, monkeypatch)
    assert fit.status == "ok" and "n_patterns" not in fit.stats


def test_collapse_counts_and_inverse():
    y = pd.Series([1.0, 0.0, 1.0, 1.0, 0.0, 1.0] * 100)
    X = pd.DataFrame({"Intercept": 1.0, "a": [0.0, 0.0, 0.0, 1.0, 1.0, 1.0] * 100})
    pat = collapse(y, X, np.array([0, 0, 1, 1, 1, 1] * 100))
    assert len(pat) == 5 and pat.freq.sum() == 600
    np.testing.assert_array_equal(pat.y[pat.inverse], y.to_numpy())
    np.testing.assert_array_equal(pat.X.to_numpy()[pat.inverse], X.to_numpy())
