"""Tests of the synthetic national/county study generator (netsoc.synth.national).

County scale with few placements keeps these fast (a few seconds in all).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from netsoc.schema import (
    ACTOR_TYPES,
    AFFILIATION_RELATIONS,
    FILES_BY_STEM,
    OUTCOMES,
    PROGRAMS,
    RESPONDENT_STATUSES,
    TIE_RELATIONS,
)
from netsoc.synth.national import (
    NONRESPONSE,
    kommun_geography,
    make_national,
    write_study,
)

N_PLACEMENTS = 20_000


@pytest.fixture(scope="module")
def county():
    return make_national("county", seed=11, n_placements=N_PLACEMENTS)


def test_geography_is_real():
    geo = kommun_geography()
    assert len(geo) == 290
    assert geo["kommun_kod"].str.fullmatch(r"\d{4}").all()
    assert geo["lan_kod"].nunique() == 21
    row = geo.set_index("kommun_kod").loc["0583"]
    assert row["kommun_namn"] == "Motala"
    # SWEREF 99 TM metres: Motala lies near N 6.48e6, E 5.1e5
    assert 6.40e6 < row["y"] < 6.56e6 and 4.6e5 < row["x"] < 5.6e5


def test_columns_follow_schema(county):
    for stem, df in county.items():
        assert list(df.columns) == FILES_BY_STEM[stem].names, stem


def test_deterministic_per_seed(tmp_path):
    a = write_study(make_national("county", seed=5, n_placements=3_000), tmp_path / "a", seed=5)
    b = write_study(make_national("county", seed=5, n_placements=3_000), tmp_path / "b", seed=5)
    c = write_study(make_national("county", seed=6, n_placements=3_000), tmp_path / "c", seed=6)
    names = sorted(p.name for p in a.iterdir())
    assert names == sorted(p.name for p in b.iterdir())
    assert {"actors.csv", "ties.csv", "placements.csv", "study.toml"} <= set(names)
    for name in names:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    assert (a / "placements.csv").read_bytes() != (c / "placements.csv").read_bytes()
    assert (a / "ties.csv").read_bytes() != (c / "ties.csv").read_bytes()


def test_references_and_vocabularies(county):
    actors = county["actors"]
    ids = set(actors["actor_id"])
    assert actors["actor_id"].is_unique
    assert set(actors["type"]) <= set(ACTOR_TYPES)
    real = set(kommun_geography()["kommun_kod"])
    kod = actors["kommun_kod"].dropna()
    assert set(kod) <= real and kod.map(len).eq(4).all()
    # county scale = one län (Stockholm, 01), plus national bodies without a kommun
    assert set(kod.str[:2]) == {"01"}
    national = {"AF", "FK", "TVV", "ESF", "ARV", "SKOOPI", "MIKRO"}
    assert set(actors.loc[actors["kommun_kod"].isna(), "actor_id"]) == national

    ties = county["ties"]
    assert set(ties["respondent_id"]) <= ids and set(ties["alter_id"]) <= ids
    assert set(ties["relation"]) <= set(TIE_RELATIONS)
    assert ties["strength"].between(1, 4).all()
    assert not ties.duplicated(["respondent_id", "alter_id", "relation", "wave"]).any()
    assert (ties["respondent_id"] != ties["alter_id"]).all()

    aff = county["affiliations"]
    assert set(aff["actor_id"]) <= ids and set(aff["partner_id"]) <= ids
    assert set(aff["relation"]) <= set(AFFILIATION_RELATIONS)
    assert not aff.duplicated(["actor_id", "partner_id", "relation"]).any()

    pl = county["placements"]
    assert len(pl) == N_PLACEMENTS and pl["placement_id"].is_unique
    assert set(pl["referrer_id"]) <= ids and set(pl["host_id"]) <= ids
    assert set(pl["program"]) <= set(PROGRAMS) and set(pl["outcome"]) <= set(OUTCOMES)
    # pseudonymous keys, nothing that looks like a personnummer (10/12 digits)
    assert pl["person_key"].str.fullmatch(r"P\d{7}").all()
    assert not pl["person_key"].str.contains(r"\d{8,}").any()
    ended = pl["end_date"].notna()
    assert (pl.loc[ended, "end_date"] >= pl.loc[ended, "start_date"]).all()
    assert pl["start_date"].between("2021-01-01", "2023-12-31").all()
    # ongoing at the extract date: no end date and an unknown outcome
    assert (pl.loc[~ended, "outcome"] == "unknown").all()
    # hosts are supply-side organisations or a kommun (arbetsmarknadsenhet)
    host_types = set(actors.set_index("actor_id").loc[pl["host_id"].unique(), "type"])
    assert host_types <= {"social_enterprise", "association", "company", "foundation", "kommun"}

    ind = county["indicators"]
    scope = set(kod[actors.loc[kod.index, "type"] == "kommun"])
    for indicator in ("N01951", "N03937"):
        assert set(ind.loc[ind["indicator"] == indicator, "kommun_kod"]) == scope
    assert not ind.duplicated(["kommun_kod", "year", "indicator"]).any()
    assert (ind.loc[ind["indicator"] == "N03937", "value"].between(0, 100)).all()


def test_nonresponse(county):
    resp = county["respondents"]
    assert set(resp["status"]) <= set(RESPONDENT_STATUSES)
    share = (resp["status"] != "completed").mean()
    assert abs(share - NONRESPONSE) <= 0.03
    # only those who completed the interview report ties; nearly all of them do
    completed = set(resp.loc[resp["status"] == "completed", "actor_id"])
    reporters = set(county["ties"]["respondent_id"])
    assert reporters <= completed
    assert len(reporters) >= 0.9 * len(completed)


def test_national_nonresponse_and_sizes():
    """National scale without placements: 290 kommuner, ~80 förbund, ~3,000 respondents."""
    t = make_national("national", seed=2, n_placements=1)
    actors = t["actors"]
    assert (actors["type"] == "kommun").sum() == 290
    assert (actors["type"] == "region").sum() == 21
    assert 65 <= (actors["type"] == "samordningsforbund").sum() <= 95
    assert 29_000 <= actors["type"].isin(["association", "company"]).sum() <= 31_000
    resp = t["respondents"]
    assert abs((resp["status"] != "completed").mean() - NONRESPONSE) <= 0.03
    assert 2_700 <= (resp["status"] == "completed").sum() <= 3_300
    assert 54_000 <= len(t["ties"]) <= 66_000
    assert set(t["indicators"]["kommun_kod"]) == set(kommun_geography()["kommun_kod"])


def test_every_forbund_is_owned_by_af_fk_region_and_kommuner(county):
    actors = county["actors"].set_index("actor_id")
    aff = county["affiliations"]
    forbund = actors.index[actors["type"] == "samordningsforbund"]
    assert len(forbund) >= 3
    members = aff[(aff["relation"] == "member_of") & aff["partner_id"].isin(forbund)]
    members = members.assign(type=actors.loc[members["actor_id"], "type"].to_numpy())
    counts = members.groupby(["partner_id", "type"]).size().unstack(fill_value=0)
    assert set(counts.index) == set(forbund)
    assert (counts["arbetsformedlingen"] == 1).all()
    assert (counts["forsakringskassan"] == 1).all()
    assert (counts["region"] == 1).all()
    assert counts["kommun"].between(1, 6).all()
    assert set(counts.columns) == {"arbetsformedlingen", "forsakringskassan", "region", "kommun"}
    # a förbund's kommuner are neighbours: all in one län, and a kommun is in at most one
    kommun_members = members[members["type"] == "kommun"]
    assert kommun_members["actor_id"].is_unique
    lan = actors.loc[kommun_members["actor_id"], "kommun_kod"].str[:2].to_numpy()
    assert pd.Series(lan).groupby(kommun_members["partner_id"].to_numpy()).nunique().eq(1).all()


def _observed_over_expected_by_distance(t, bins):
    """Ties / expected ties by distance between the respondent's and alter's kommun.

    Expected = pairs in the bin x the respondent kommun's overall tie rate, so that
    respondents with many candidate alters (dense areas) do not bias the bins.
    """
    geo = kommun_geography().set_index("kommun_kod")
    kod = t["actors"].set_index("actor_id")["kommun_kod"]
    resp = t["respondents"]
    done = kod[resp.loc[resp["status"] == "completed", "actor_id"]].dropna()
    n_resp = done.value_counts()
    n_alter = kod.dropna().value_counts()
    ties = t["ties"]
    a = kod[ties["respondent_id"]].to_numpy()
    b = kod[ties["alter_id"]].to_numpy()
    ok = pd.notna(a) & pd.notna(b)
    observed = (
        pd.Series(1, index=pd.MultiIndex.from_arrays([a[ok], b[ok]])).groupby(level=[0, 1]).sum()
    )
    ka, kb = np.meshgrid(n_resp.index.to_numpy(), n_alter.index.to_numpy(), indexing="ij")
    pairs = pd.DataFrame({"a": ka.ravel(), "b": kb.ravel()})
    pairs["pairs"] = n_resp[pairs["a"]].to_numpy() * n_alter[pairs["b"]].to_numpy()
    idx = pd.MultiIndex.from_frame(pairs[["a", "b"]])
    pairs["ties"] = observed.reindex(idx).fillna(0).to_numpy()
    xa, ya = geo.loc[pairs["a"], "x"].to_numpy(), geo.loc[pairs["a"], "y"].to_numpy()
    xb, yb = geo.loc[pairs["b"], "x"].to_numpy(), geo.loc[pairs["b"], "y"].to_numpy()
    dist = np.hypot(xa - xb, ya - yb) / 1000
    rate = pairs.groupby("a")[["ties", "pairs"]].transform("sum")
    pairs["expected"] = pairs["pairs"] * rate["ties"] / rate["pairs"]
    pairs["bin"] = pd.cut(dist, bins, right=False)
    g = pairs.groupby("bin", observed=True)[["ties", "expected"]].sum()
    return (g["ties"] / g["expected"]).to_numpy(), g["ties"].to_numpy()


def test_tie_probability_decays_with_distance(county):
    # bins: same kommun (distance 0), neighbours within 25 km, farther
    ratio, n = _observed_over_expected_by_distance(county, [0, 1e-9, 25, 1e4])
    assert (n >= 200).all()
    assert ratio[0] > ratio[1] > ratio[2]
    assert ratio[0] / ratio[2] > 1.5


def test_host_popularity_is_heavy_tailed(county):
    hosted = county["placements"]["host_id"].value_counts()
    top = hosted.iloc[: max(1, len(hosted) // 100)].sum() / hosted.sum()
    # uniform hosts would give the top 1 % about 1 % of placements
    assert top > 0.15
    # and the busiest hosts are few: half of all placements go to under 10 % of hosts
    half = np.searchsorted(np.cumsum(hosted.to_numpy()), hosted.sum() / 2) + 1
    assert half < 0.10 * len(hosted)


def test_planted_work_effect_direction(county):
    """Associations and companies named in interviews (the popular ones) have better
    work outcomes than those nobody named (PLANTED_WORK_EFFECTS["host_log_popularity"])."""
    pl = county["placements"]
    host_type = county["actors"].set_index("actor_id")["type"]
    done = pl[
        (pl["outcome"] != "unknown")
        & pl["host_id"].map(host_type).isin(["association", "company"]).to_numpy()
    ]
    named = done["host_id"].isin(set(county["ties"]["alter_id"]))
    work = done["outcome"] == "work"
    assert named.sum() > 500 and (~named).sum() > 500
    assert work[named].mean() > work[~named].mean() + 0.01


def test_bad_arguments():
    with pytest.raises(ValueError, match="scale"):
        make_national("planet", seed=1)
    with pytest.raises(ValueError, match="län"):
        make_national("county", seed=1, lan="99")
    with pytest.raises(ValueError, match="n_placements"):
        make_national("county", seed=1, n_placements=0)


def test_written_files_keep_text_codes(tmp_path, county):
    out = write_study(county, tmp_path / "s", seed=11, scope="lan")
    actors = pd.read_csv(out / "actors.csv", dtype=str, keep_default_na=False)
    assert actors["kommun_kod"].str.fullmatch(r"(\d{4})?").all()
    assert (actors["kommun_kod"] != "").sum() == county["actors"]["kommun_kod"].notna().sum()
    pl = pd.read_csv(out / "placements.csv", dtype=str, nrows=50)
    assert pl["start_date"].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()
    toml = (out / "study.toml").read_text(encoding="utf-8")
    assert re.search(r"^seed = 11$", toml, re.M) and "synthetic = true" in toml


def test_synth_command(tmp_path, capsys):
    import argparse

    from netsoc.synth.national import add_synth_command

    parser = argparse.ArgumentParser(prog="netsoc")
    add_synth_command(parser.add_subparsers(dest="command"))
    out = tmp_path / "study"
    args = parser.parse_args(
        ["synth", "--scale", "county", "--seed", "4", "--placements", "2000", str(out)]
    )
    assert args.func(args) == 0
    assert len(pd.read_csv(out / "placements.csv")) == 2000
    # a non-empty folder is refused (a real study must never be overwritten by accident)
    assert args.func(args) == 1
    assert "not empty" in capsys.readouterr().err
    bad = parser.parse_args(["synth", "--lan", "99", str(tmp_path / "x")])
    assert bad.func(bad) == 1
    assert not (tmp_path / "x").exists()


def test_loads_as_study(tmp_path, county):
    io = pytest.importorskip("netsoc.io", reason="netsoc.io not merged yet")
    study = io.load_study(write_study(county, tmp_path / "s", seed=11))
    assert len(study.placements) == N_PLACEMENTS
    assert len(study.actors) == len(county["actors"])
    assert not [p for p in study.problems if p.severity == "error"]
