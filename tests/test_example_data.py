"""The embedded example study: reproducible, documentary layer intact, calibrated, and
carrying the planted outcome effect."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf

from netsoc.schema import FILES_BY_STEM
from netsoc.synth.example import (
    MOTALA_LONEBIDRAG,
    MOTALA_SYSS_SHARES,
    STATED_MEMBERS,
    WORK_PER_HOST_DEGREE,
    actor_roles,
    collaboration_degree,
    make_example,
    write_example,
)

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "example"
FILES = ("study.toml", "actors.csv", "ties.csv", "respondents.csv", "affiliations.csv",
         "placements.csv", "indicators.csv", "README.md", "SOURCES.md")
DOCUMENTARY = ("actors.csv", "affiliations.csv")
SYNTHETIC = ("ties.csv", "respondents.csv", "placements.csv", "indicators.csv")


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    return make_example()


@pytest.fixture(scope="module")
def tables7() -> dict[str, pd.DataFrame]:
    return make_example(7)


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory) -> Path:
    return write_example(tmp_path_factory.mktemp("default"))


@pytest.fixture(scope="module")
def other_seed(tmp_path_factory) -> Path:
    return write_example(tmp_path_factory.mktemp("other"), seed=7)


def read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype={"kommun_kod": str}, keep_default_na=False,
                       na_values=[""])


@pytest.mark.parametrize("name", FILES)
def test_default_seed_reproduces_committed_files(regenerated, name):
    assert (regenerated / name).read_bytes() == (EXAMPLE / name).read_bytes()


@pytest.mark.parametrize("name", DOCUMENTARY)
def test_other_seed_keeps_documentary_files(other_seed, name):
    assert (other_seed / name).read_bytes() == (EXAMPLE / name).read_bytes()


@pytest.mark.parametrize("name", SYNTHETIC)
def test_other_seed_changes_synthetic_files(other_seed, name):
    assert (other_seed / name).read_bytes() != (EXAMPLE / name).read_bytes()


def test_csv_format_and_columns():
    for stem, spec in FILES_BY_STEM.items():
        raw = (EXAMPLE / f"{stem}.csv").read_bytes()
        assert b"\r" not in raw and not raw.startswith(b"\xef\xbb\xbf")
        header = raw.split(b"\n", 1)[0].decode("utf-8")
        assert header.split(",") == spec.names
    actors = read(EXAMPLE / "actors.csv")
    codes = actors["kommun_kod"].dropna()
    assert codes.str.fullmatch(r"\d{4}").all()
    assert "0127" in set(codes)  # leading zero kept
    ind = read(EXAMPLE / "indicators.csv")
    assert ind["kommun_kod"].str.fullmatch(r"\d{4}").all()


def test_tables_have_schema_columns_in_order(tables):
    for stem, df in tables.items():
        assert list(df.columns) == FILES_BY_STEM[stem].names


def test_ids_are_unique_and_every_reference_exists(tables):
    a = tables["actors"]
    assert a["actor_id"].is_unique
    ids = set(a["actor_id"])
    refs = {
        "ties": ("respondent_id", "alter_id"),
        "respondents": ("actor_id",),
        "affiliations": ("actor_id", "partner_id"),
        "placements": ("referrer_id", "host_id"),
    }
    for stem, cols in refs.items():
        for col in cols:
            missing = set(tables[stem][col]) - ids
            assert not missing, (stem, col, missing)
    assert set(tables["indicators"]["kommun_kod"]) <= set(a["kommun_kod"].dropna())
    assert tables["placements"]["placement_id"].is_unique


def test_values_are_in_the_contract(tables):
    for stem, df in tables.items():
        for col in FILES_BY_STEM[stem].columns:
            if col.choices:
                assert set(df[col.name].dropna()) <= set(col.choices), (stem, col.name)
    t = tables["ties"]
    assert t["strength"].between(1, 4).all() and set(t["wave"]) == {1, 2}
    assert not t.duplicated(["respondent_id", "alter_id", "relation", "wave"]).any()
    assert (t["respondent_id"] != t["alter_id"]).all()
    assert not tables["affiliations"].duplicated(["actor_id", "partner_id", "relation"]).any()


def test_actor_counts_and_synthetic_names(tables):
    a = tables["actors"]
    assert 120 <= len(a) <= 180
    roles = actor_roles().set_index("actor_id").loc[a["actor_id"]]
    syn = a["actor_id"].str.startswith("syn_")
    assert (syn.values == roles["synthetic"].values).all()
    assert a.loc[syn, "name"].str.endswith("(syntetisk)").all()
    assert not a.loc[~syn, "name"].str.contains("syntetisk").any()
    # every local actor has a kommun; supply-side hosts have a capacity
    local = a["type"].isin(["kommun", "social_enterprise", "company"]) | syn
    assert a.loc[local, "kommun_kod"].notna().all()
    hosts = a["type"].isin(["social_enterprise", "company"]) | (roles["category"] != "").values
    hosts &= a["type"] != "kommun"
    assert a.loc[hosts, "capacity"].notna().all()
    aliases = dict(zip(a["actor_id"], a["aliases"].fillna(""), strict=True))
    assert "AF" in aliases["af"].split(";") and "HBS" in aliases["sf_bhs"].split(";")
    assert "Sfris" in aliases["sf_sodertalje"].split(";")


def test_stockholm_area_and_social_enterprises(tables):
    a = tables["actors"].set_index("actor_id")
    sthlm_kommuner = {"0127", "0126", "0120", "0128", "0182", "0136", "0138", "0192", "0181"}
    assert sthlm_kommuner | {"0583", "0584"} == set(a.loc[a["type"] == "kommun", "kommun_kod"])
    se = a[(a["type"] == "social_enterprise") & a["kommun_kod"].isin(sthlm_kommuner)]
    assert len(se) == 21  # "about 21" in Samordning för socialt företagande
    assert se["capacity"].sum() == 1000  # occupying about 1,000
    assert not (se["kommun_kod"] == "0120").any()  # the report: no ASF in Värmdö
    os_se = se[se["kommun_kod"].isin({"0136", "0138", "0192"})]
    assert len(os_se) == 9 and os_se["capacity"].sum() == 240
    p = tables["placements"]
    employed = p[(p["program"] == "lonebidrag") & p["host_id"].isin(se.index)]
    assert len(employed) == 300
    assert employed["host_id"].isin(os_se.index).sum() == 65


def test_stated_memberships_are_in_affiliations(tables):
    af = tables["affiliations"]
    assert af["source"].notna().all()
    assert af["source"].str.contains("Samordning för socialt företagande|Projekt Sociala "
                                     "Ekonomin i Motala").all()
    for forbund, members in STATED_MEMBERS.items():
        rows = af[(af["partner_id"] == forbund) & af["relation"].isin(["member_of", "owns"])]
        assert set(rows["actor_id"]) == members, forbund
    os_rows = af[(af["partner_id"] == "sf_ostra_sodertorn") & (af["relation"] == "member_of")]
    assert (os_rows["start_year"] == 2010).all()
    spun = af[(af["actor_id"] == "grenverket") & (af["relation"] == "spun_off_from")]
    assert spun["partner_id"].tolist() == ["sf_motala_vadstena"]
    assert spun["start_year"].tolist() == [2007]
    # members not stated in the reports are not invented
    unstated = af["partner_id"].isin(["sf_nacka", "sf_varmdo", "sf_motala_vadstena"])
    assert not (unstated & af["relation"].isin(["member_of", "owns"])).any()


@pytest.mark.parametrize("seed", [2014, 7])
def test_motala_sysselsattning_shares(seed, tables, tables7):
    t = tables if seed == 2014 else tables7
    cat = actor_roles().set_index("actor_id")["category"]
    p = t["placements"]
    syss = p[(p["referrer_id"] == "af_motala_vadstena") & (p["program"] == "sysselsattning")]
    c = syss["host_id"].map(cat).replace({"company": "company_kommun",
                                          "kommun": "company_kommun"})
    shares = c.value_counts(normalize=True)
    for key, target in MOTALA_SYSS_SHARES.items():
        assert abs(shares[key] - target) <= 0.03, (key, shares[key])
    lb = p[(p["program"] == "lonebidrag") & (p["referrer_id"] == "af_motala_vadstena")]
    assert lb["host_id"].map(cat).value_counts().to_dict() == MOTALA_LONEBIDRAG
    assert (lb["host_id"] == "grenverket").sum() == 36


@pytest.mark.parametrize("seed", [2014, 7])
def test_non_response(seed, tables, tables7):
    t = tables if seed == 2014 else tables7
    r = t["respondents"]
    for _, rw in r.groupby("wave"):
        rate = (rw["status"] != "completed").mean()
        assert 0.25 <= rate <= 0.35
        assert {"declined", "not_reached"} <= set(rw["status"])
    # only those who completed a wave report ties in it
    done = set(map(tuple, r.loc[r["status"] == "completed", ["actor_id", "wave"]].values))
    told = set(zip(t["ties"]["respondent_id"], t["ties"]["wave"], strict=True))
    assert told <= done
    # non-respondents are still named by others
    silent = r.loc[r["status"] != "completed", "actor_id"]
    assert t["ties"]["alter_id"].isin(silent).any()


def test_person_keys_are_pseudonymous(tables):
    p = tables["placements"]
    assert p["person_key"].str.fullmatch(r"P\d{6}").all()
    assert not p["person_key"].str.contains(r"\d{8}|\d{6}-\d{4}").any()
    assert p["person_key"].nunique() < len(p)  # some people have several placements
    starts = pd.to_datetime(p["start_date"])
    assert starts.min().year == 2013 and starts.max().year == 2015
    ended = p.dropna(subset=["end_date"])
    assert (pd.to_datetime(ended["end_date"]) >= pd.to_datetime(ended["start_date"])).all()
    assert (p.loc[p["end_date"].isna(), "outcome"] == "unknown").all()
    assert 2000 <= len(p) <= 5000


def _placement_frame(t):
    deg = collaboration_degree(t["actors"], t["ties"])
    types = t["actors"].set_index("actor_id")["type"]
    p = t["placements"]
    return p[p["outcome"] != "unknown"].assign(
        host_degree=lambda d: d["host_id"].map(deg).astype(float),
        host_type=lambda d: d["host_id"].map(types),
        work=lambda d: (d["outcome"] == "work").astype(int),
    )


def test_collaboration_degree_is_union_of_reported_ties():
    actors = pd.DataFrame({"actor_id": ["a", "b", "c", "d"]})
    ties = pd.DataFrame({"respondent_id": ["a", "b", "a", "c", "a"],
                         "alter_id": ["b", "a", "c", "a", "a"]})
    assert collaboration_degree(actors, ties).tolist() == [2, 1, 1, 0]


def test_planted_outcome_effect(tables):
    p = _placement_frame(tables)
    fit = smf.logit("work ~ host_degree + C(host_type) + C(program)", p).fit(disp=0)
    lo, hi = fit.conf_int().loc["host_degree"]
    assert lo > 0  # better-connected hosts: more work
    assert lo <= WORK_PER_HOST_DEGREE <= hi
    assert fit.params["C(host_type)[T.social_enterprise]"] > 0
    top = p["host_degree"] >= p["host_degree"].quantile(0.75)
    bottom = p["host_degree"] <= p["host_degree"].quantile(0.25)
    assert p.loc[top, "work"].mean() > p.loc[bottom, "work"].mean() + 0.08


def test_coordinator_gains_bridging_ties_in_wave_2(tables):
    t, a = tables["ties"], tables["actors"]
    deg = {w: collaboration_degree(a, t[t["wave"] == w]) for w in (1, 2)}
    for coord in ("proj_samordning", "proj_sociala_ekonomin_motala"):
        assert deg[2][coord] >= 2 * deg[1][coord], coord
    types = a.set_index("actor_id")["type"]

    def partner_types(w):
        tw = t[t["wave"] == w]
        out = set(tw.loc[tw["respondent_id"] == "proj_samordning", "alter_id"])
        out |= set(tw.loc[tw["alter_id"] == "proj_samordning", "respondent_id"])
        return types[list(out)].value_counts()

    w1, w2 = partner_types(1), partner_types(2)
    assert w2.get("social_enterprise", 0) > w1.get("social_enterprise", 0) + 5
    assert w2.get("kommun", 0) > w1.get("kommun", 0)


def test_ties_denser_within_kommun(tables):
    a = tables["actors"].set_index("actor_id")
    t = tables["ties"]
    k1 = t["respondent_id"].map(a["kommun_kod"])
    k2 = t["alter_id"].map(a["kommun_kod"])
    both = k1.notna() & k2.notna()
    same = (k1 == k2)[both].sum()
    local = a["kommun_kod"].dropna()
    n_same = sum(n * (n - 1) for n in local.value_counts())
    n_all = len(local) * (len(local) - 1)
    # share of reported ties within a kommun far above the share of such pairs
    assert same / both.sum() > 3 * n_same / n_all


def test_indicators(tables):
    ind = tables["indicators"]
    assert set(ind["year"]) == {2012, 2013, 2014, 2015}
    assert {"N01951", "N03937"} <= set(ind["indicator"])
    assert ind["source"].str.startswith("synthetic").all()
    pop = ind[ind["indicator"] == "N01951"].set_index(["kommun_kod", "year"])["value"]
    assert 80_000 < pop[("0127", 2014)] < 100_000 and pop[("0584", 2014)] < 10_000
    need = ind[ind["indicator"] == "N03937"]["value"]
    assert need.between(0, 100).all()


def test_study_toml_and_readme():
    import tomllib

    cfg = tomllib.loads((EXAMPLE / "study.toml").read_text(encoding="utf-8"))
    assert cfg["study"]["synthetic"] is True and cfg["study"]["seed"] == 2014
    assert cfg["network"]["symmetrize"] == "union"
    assert cfg["geography"]["need_indicator"] == "N03937"
    assert any(m["formula"] == "work ~ host_degree + C(host_type)" for m in cfg["model"])
    readme = (EXAMPLE / "README.md").read_text(encoding="utf-8")
    assert "synthetic" in readme and "python -m netsoc.synth.example data/example" in readme
    assert re.search(r"non-response wave 1 \(%\) \| project target \| 30 \| (2\d|3\d)", readme)
    sources = (EXAMPLE / "SOURCES.md").read_text(encoding="utf-8")
    assert sources.count("**") >= 10  # the five reports by title


def test_deterministic_in_memory(tables, tables7):
    again = make_example(7)
    for k in tables7:
        pd.testing.assert_frame_equal(tables7[k], again[k])
    assert not np.array_equal(tables["placements"]["host_id"].values,
                              tables7["placements"]["host_id"].values)
