"""The fast paths of netsoc.models give what the plain pandas/patsy code gives.

The models stage was made fast for a million placements (issue 10): the
placement frame is built from arrays, text columns reach patsy as
Categoricals, clusters are pooled on their distinct labels, and several
checks compare values instead of hashing them. Each test compares a fast path
with the straightforward implementation it replaced (kept here as the
reference), on small frames with the awkward cases: missing values, ids not
in the actors table, nullable and boolean columns, rare levels.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import patsy
import pytest

from netsoc.i18n import Note
from netsoc.models import (
    PLACEMENT_BASE_DOCS,
    build_frames,
    design,
    indicators_wide,
    placement_frame,
    pool_small_clusters,
)
from netsoc.models.design import _design, _env, _is_constant, _patsy_ready
from netsoc.models.frames import _actor_doc
from netsoc.models.glm import _pool_clusters, _separation_warnings
from netsoc.schema import ModelSpec
from netsoc.study import Study

# --------------------------------------------------------------------------------------
# placement frame
# --------------------------------------------------------------------------------------


def _reference_placement_frame(study, actors, ind_wide, ind_docs):
    """The placement frame as built before issue 10 (reindex + concat per role)."""
    p = study.placements.drop(columns="_line", errors="ignore").reset_index(drop=True)
    docs = {}
    out = pd.DataFrame({"placement_id": p["placement_id"].astype(str)})
    out["referrer_id"] = p["referrer_id"].astype(str).to_numpy()
    out["host_id"] = p["host_id"].astype(str).to_numpy()
    out["program"] = p["program"].to_numpy() if "program" in p else pd.NA
    outcome = p["outcome"] if "outcome" in p else pd.Series("unknown", index=p.index)
    outcome = outcome.fillna("unknown").astype(str)
    out["outcome"] = outcome.to_numpy()
    known = (outcome != "unknown").to_numpy()
    for o in ("work", "studies"):
        v = (outcome == o).astype(float).to_numpy()
        v[~known] = np.nan
        out[o] = v
    start = pd.to_datetime(p.get("start_date"), errors="coerce")
    end = pd.to_datetime(p.get("end_date"), errors="coerce")
    if start is not None and end is not None:
        out["duration_days"] = (end - start).dt.days.astype(float).to_numpy()
    else:
        out["duration_days"] = np.nan
    for c in ("gender", "age_band"):
        out[c] = p[c].to_numpy() if c in p else pd.NA
    if "person_key" in p:
        out["person_placements"] = (
            p.groupby("person_key")["placement_id"].transform("size").to_numpy()
        )
    act = actors.set_index("actor_id")
    act_cols = [c for c in act.columns if c not in ("aliases", "org_nr")]
    for role, key in (("host", "host_id"), ("referrer", "referrer_id")):
        sub = act[act_cols].reindex(out[key]).reset_index(drop=True)
        sub.columns = [f"{role}_{c}" for c in act_cols]
        out = pd.concat([out, sub], axis=1)
        for c in act_cols:
            docs[f"{role}_{c}"] = f"{role}: {_actor_doc(c)}"
    out["kommun_kod"] = out.get("host_kommun_kod")
    out["lan_kod"] = out["kommun_kod"].str[:2] if out["kommun_kod"].notna().any() else pd.NA
    out["same_kommun"] = (
        (out["host_kommun_kod"] == out["referrer_kommun_kod"]).fillna(False).astype(int)
        if "referrer_kommun_kod" in out
        else 0
    )
    if ind_wide is not None:
        ind = ind_wide.reindex(out["kommun_kod"]).reset_index(drop=True)
        ind = ind[[c for c in ind.columns if c not in out.columns]]
        out = pd.concat([out, ind], axis=1)
        docs.update({c: "host kommun: " + ind_docs[c] for c in ind.columns})
    docs.update({c: d for c, d in PLACEMENT_BASE_DOCS.items() if c in out.columns})
    return out, docs


def _assert_same_frame(a: pd.DataFrame, b: pd.DataFrame) -> None:
    assert list(a.columns) == list(b.columns)
    assert a.dtypes.astype(str).tolist() == b.dtypes.astype(str).tolist()
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    for c in a.columns:  # None, nan and pd.NA are different cells in an exported CSV
        if a[c].dtype == object:
            assert a[c].map(repr).tolist() == b[c].map(repr).tolist(), c


def _awkward_study(kommun_codes: bool = True):
    actors = pd.DataFrame({
        "actor_id": ["h1", "h2", "h3", "r1", "r2"],
        "name": ["H1", "H2", "H3", "R1", "R2"],
        "type": ["association", "company", "association", "kommun", "arbetsformedlingen"],
        "kommun_kod": ["0180", "0114", None, "0180", None],
    })
    measures = actors.copy()
    measures["degree"] = np.array([3, 1, 0, 5, 2], dtype=np.int64)  # int -> float when missing
    measures["betweenness_norm"] = [0.1, 0.0, 0.0, 0.5, 0.2]
    measures["community"] = pd.array([1, 2, pd.NA, 1, 2], dtype="Int64")
    measures["is_hub"] = [True, False, False, True, False]  # bool -> object when missing
    if not kommun_codes:
        actors = actors.drop(columns="kommun_kod")
        measures = measures.drop(columns="kommun_kod")
    placements = pd.DataFrame({
        "placement_id": [f"p{i}" for i in range(8)],
        "person_key": pd.array(["a", "a", "b", None, "c", "c", "c", "d"], dtype="string"),
        # h9 and r9 are not in the actors table
        "referrer_id": ["r1", "r2", "r1", "r9", "r1", "r2", "r1", "r1"],
        "host_id": ["h1", "h2", "h3", "h1", "h9", "h1", "h2", "h3"],
        "program": pd.array(["praktik", None, "lonebidrag", "praktik", "praktik", None,
                             "praktik", "lonebidrag"], dtype="string"),
        "start_date": ["2023-01-01", "2023-02-01", None, "2023-01-05", "2023-01-01",
                       "2023-01-01", "bad date", "2023-03-01"],
        "end_date": ["2023-03-01"] * 8,
        "outcome": ["work", "none", None, "studies", "unknown", "work", "work", "none"],
        "gender": ["F", "M", None, "F", "M", "F", "M", "F"],
    })
    indicators = pd.DataFrame({
        "kommun_kod": ["0180", "0180", "0114", "9999"],
        "year": [2022, 2023, 2023, 2023],
        "indicator": ["N03937", "N03937", "N03937", "N03937"],
        "value": [1.0, 2.0, 3.0, 4.0],
    })
    return Study(actors=actors, placements=placements, indicators=indicators), measures


@pytest.mark.parametrize("kommun_codes", [True, False])
def test_placement_frame_matches_reference(kommun_codes):
    study, measures = _awkward_study(kommun_codes)
    act = measures.copy()
    if kommun_codes:
        act["kommun_kod"] = act["kommun_kod"].astype(object).where(act["kommun_kod"].notna(), None)
    ind_wide, ind_docs = indicators_wide(study.indicators)
    got, docs = placement_frame(study, act, ind_wide, ind_docs)
    want, want_docs = _reference_placement_frame(study, act, ind_wide, ind_docs)
    _assert_same_frame(got, want)
    assert docs == want_docs
    # the cases are really there: unknown host -> NA actor columns, upcast int
    assert got["host_degree"].dtype == float and np.isnan(got.loc[4, "host_degree"])
    assert got["host_is_hub"].dtype == object
    if kommun_codes:
        assert got["same_kommun"].tolist() == [1, 0, 0, 0, 0, 0, 0, 0]
        assert got["N03937"].tolist()[:2] == [2.0, 3.0]


def test_placement_frame_does_not_share_memory_with_study():
    study, measures = _awkward_study()
    study.placements["program"] = study.placements["program"].astype(object)
    fr = build_frames(study, actors=measures)
    fr.placement.loc[0, "program"] = "changed"
    assert study.placements.loc[0, "program"] == "praktik"


def test_placement_frame_all_ids_known_keeps_dtypes():
    study, measures = _awkward_study()
    pl = study.placements
    study.placements = pl[pl["host_id"].isin(measures["actor_id"])
                          & pl["referrer_id"].isin(measures["actor_id"])]
    fr = build_frames(study, actors=measures)
    p = fr.placement
    assert p["host_degree"].dtype == np.int64
    assert p["host_is_hub"].dtype == bool
    assert str(p["host_community"].dtype) == "Int64"
    act = measures.copy()
    act["kommun_kod"] = act["kommun_kod"].astype(object).where(act["kommun_kod"].notna(), None)
    ind_wide, ind_docs = indicators_wide(study.indicators)
    want, _ = _reference_placement_frame(study, act, ind_wide, ind_docs)
    _assert_same_frame(p, want)


# --------------------------------------------------------------------------------------
# design matrices
# --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def design_frame():
    rng = np.random.default_rng(7)
    n = design._FAST_DESIGN_ROWS + 1000  # above the size where the fast path is used
    a = rng.choice(["kommun", "company", "association", "foundation"], n, p=[.4, .3, .29, .01])
    f = pd.DataFrame({
        "y": (rng.random(n) < 0.4).astype(float),
        "x": rng.normal(size=n),
        "z": rng.random(n) + 0.5,
        "k": rng.poisson(3, n),
        "a": a,
        "b": pd.array(rng.choice(["praktik", "lonebidrag", "other"], n), dtype="string"),
        "g": rng.choice([f"h{i}" for i in range(300)], n),
    })
    # missing values in numeric, text and cluster columns
    f.loc[rng.choice(n, 50, replace=False), "x"] = np.nan
    f.loc[rng.choice(n, 40, replace=False), "a"] = None
    f.loc[rng.choice(n, 30, replace=False), "b"] = pd.NA
    f.loc[rng.choice(n, 20, replace=False), "g"] = None
    return f


FORMULAS = [
    "y ~ x + C(a) + C(b)",
    "y ~ x + a + b",  # bare text columns are categorical too
    "y ~ C(a, Treatment('kommun')) + k",  # explicit contrast: patsy's C()
    "y ~ C(a, levels=['kommun', 'company', 'association', 'foundation'])",  # own level order
    "y ~ x:C(a) + np.log(z) + I(k > 2)",
    "y ~ C(a) + C(b) - 1",
    "np.log(z) ~ C(b) * x",
]


@pytest.mark.parametrize("formula", FORMULAS)
def test_design_equals_patsy(design_frame, formula):
    spec = ModelSpec("m", "placement", "gaussian", formula, cluster="g")
    y, X, complete, missing = _design(spec, design_frame, ["g"])
    # reference: the frame made patsy-ready, incomplete rows dropped, patsy on the result
    use = list(dict.fromkeys(design._formula_columns(formula, design_frame) + ["g"]))
    ready = _patsy_ready(design_frame[use])
    want_missing = {c: int(ready[c].isna().sum()) for c in use if ready[c].isna().any()}
    ref = ready.dropna()
    y0, X0 = patsy.dmatrices(formula, ref, return_type="dataframe", NA_action="raise",
                             eval_env=_env())
    assert missing == want_missing
    pd.testing.assert_frame_equal(complete, ref, check_exact=True)
    assert list(X.columns) == list(X0.columns)
    assert X.index.equals(X0.index) and y.index.equals(y0.index)
    assert np.array_equal(X.to_numpy(), X0.to_numpy())
    assert np.array_equal(y.to_numpy(), y0.iloc[:, 0].to_numpy())
    assert y.name == y0.columns[0]
    # same memory layout, so statsmodels' BLAS calls sum in the same order
    assert X.to_numpy().flags.c_contiguous == X0.to_numpy().flags.c_contiguous


def test_fast_design_path_is_used(design_frame, monkeypatch):
    calls = []
    real = patsy.dmatrices

    def spy(formula, data, **kw):
        calls.append(isinstance(data["a"].dtype, pd.CategoricalDtype))
        return real(formula, data, **kw)

    monkeypatch.setattr(patsy, "dmatrices", spy)
    spec = ModelSpec("m", "placement", "binomial", "y ~ x + C(a) + C(b)", cluster="g")
    _design(spec, design_frame, ["g"])
    assert calls == [True]
    # levels in another order than patsy's sorted ones: patsy refuses the Categorical,
    # the plain data are used (same result, tested above)
    calls.clear()
    spec = ModelSpec("m", "placement", "binomial",
                     "y ~ C(a, levels=['kommun', 'company', 'association', 'foundation'])")
    _design(spec, design_frame, [])
    assert calls == [True, False]


@pytest.mark.filterwarnings("ignore:invalid value encountered in log:RuntimeWarning")
@pytest.mark.parametrize("formula", [
    "y ~ C(a, levels=['kommun'])",  # a level that is not listed
    "y ~ C(a) + np.log(x)",  # NaN from a transform (x < 0): patsy refuses missing values
    "y ~ C(a) + nonexistent",
])
def test_design_error_is_patsys(design_frame, formula):
    spec = ModelSpec("m", "placement", "gaussian", formula)
    with pytest.raises(design._Unfittable) as err:
        _design(spec, design_frame, [])
    ref = _patsy_ready(design_frame[design._formula_columns(formula, design_frame)]).dropna()
    with pytest.raises(patsy.PatsyError) as want:
        patsy.dmatrices(formula, ref, return_type="dataframe", NA_action="raise",
                        eval_env=_env())
    assert err.value.args[0].params["error"] == str(want.value)


def test_small_frame_uses_plain_patsy(monkeypatch):
    calls = []
    real = patsy.dmatrices

    def spy(formula, data, **kw):
        calls.append(isinstance(data["a"].dtype, pd.CategoricalDtype))
        return real(formula, data, **kw)

    monkeypatch.setattr(patsy, "dmatrices", spy)
    f = pd.DataFrame({"y": [0.0, 1.0, 1.0, 0.0, 1.0], "a": ["u", "v", "u", "w", "v"]})
    spec = ModelSpec("m", "placement", "gaussian", "y ~ C(a)")
    _design(spec, f, [])
    assert calls == [False]


# --------------------------------------------------------------------------------------
# clusters, checks, warnings
# --------------------------------------------------------------------------------------


def _reference_pool(groups: pd.Series, min_size: int = 2):
    """pool_small_clusters as before issue 10 (value_counts + a map over every row)."""
    labels = groups.astype(str)
    if min_size <= 1:
        return labels, 0
    counts = labels.value_counts()
    small = sorted(counts[counts < min_size].index)
    if not small:
        return labels, 0
    mapping, current, size, k = {}, [], 0, 0
    for g in small:
        current.append(g)
        size += int(counts[g])
        if size >= min_size:
            k += 1
            mapping.update({c: f"pooled_{k}" for c in current})
            current, size = [], 0
    if current:
        if k:
            target = f"pooled_{k}"
        else:
            large = counts[counts >= min_size]
            target = (
                min(large.index, key=lambda c: (int(large[c]), c)) if len(large) else "pooled_1"
            )
        mapping.update({c: target for c in current})
    return labels.map(lambda v: mapping.get(v, v)), len(small)


@pytest.mark.parametrize("min_size", [1, 2, 3, 5, 40])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_pool_clusters_matches_reference(min_size, seed):
    rng = np.random.default_rng(seed)
    sizes = rng.geometric(0.3, 60)
    labels = pd.Series(rng.permutation(np.repeat([f"c{i}" for i in range(60)], sizes)),
                       index=rng.permutation(sizes.sum()) + 100, name="host_id")
    want, n_want = _reference_pool(labels, min_size)
    got, n_got = pool_small_clusters(labels, min_size)
    pd.testing.assert_series_equal(got, want)
    assert n_got == n_want
    pooled, n_merged, codes, n_groups, n_raw = _pool_clusters(labels.astype(str), min_size)
    assert np.array_equal(codes, pd.factorize(want)[0])
    assert (n_merged, n_groups, n_raw) == (n_want, want.nunique(), labels.nunique())


def test_pool_clusters_lone_remainder_joins_smallest_regular_cluster():
    g = pd.Series(["a"] * 5 + ["b"] * 3 + ["c"])
    pd.testing.assert_series_equal(pool_small_clusters(g, 2)[0], _reference_pool(g, 2)[0])
    assert pool_small_clusters(g, 2)[0].tolist() == ["a"] * 5 + ["b"] * 4


@pytest.mark.parametrize("values", [
    [1.0, 1.0, np.nan], [np.nan, np.nan], [], [0.0, -0.0], [1.0, 2.0, np.nan],
    ["a", None, "a"], ["a", "b"], [1, 1.0, True], [np.inf, np.inf], [1, 2],
])
def test_is_constant_matches_nunique(values):
    s = pd.Series(values, dtype=object if any(isinstance(v, str) for v in values) else None)
    assert _is_constant(s) == (s.dropna().nunique() <= 1)


def _reference_separation(y, X, fitted=None):
    out = []
    for c in X.columns:
        if c == "Intercept":
            continue
        v = X[c].to_numpy()
        if not set(np.unique(v)) <= {0.0, 1.0}:
            continue
        for level in (1.0, 0.0):
            sel = v == level
            if sel.sum() == 0:
                continue
            ys = y.to_numpy()[sel]
            if ys.min() == ys.max():
                who = Note("models.term" if level == 1.0 else "models.not_term", term=c)
                out.append(Note("models.separation", n=int(sel.sum()), who=who,
                                outcome=y.name, value=float(ys[0])))
                break
    return out


def test_separation_warnings_match_reference():
    rng = np.random.default_rng(3)
    n = 400
    y = pd.Series((rng.random(n) < 0.5).astype(float), name="work")
    d1 = (rng.random(n) < 0.1).astype(float)
    y[d1 == 1] = 1.0  # every d1 row works
    d2 = np.where(d1 == 1, 1.0, (rng.random(n) < 0.9).astype(float))
    y[d2 == 0] = 0.0  # no row outside d2 works
    X = pd.DataFrame({"Intercept": 1.0, "d1": d1, "d2": d2, "x": rng.normal(size=n),
                      "d3": (rng.random(n) < 0.5).astype(float), "zero": 0.0})
    got = _separation_warnings(y, X)
    want = _reference_separation(y, X)
    assert [(str(w), w.render("sv")) for w in got] == [(str(w), w.render("sv")) for w in want]
    # d1 (its rows) and d2 (the other rows); an all-zero column is all rows: no warning
    assert [w.params["who"].params["term"] for w in got] == ["d1", "d2"]
