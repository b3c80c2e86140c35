"""Stakeholder analysis (issue #17): hand-computed quadrants, salience, means, waves,
PARTNER trust/value, validation at the right lines, and the grid figure."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest

from netsoc.stakeholders import (
    RESOURCES,
    STAKEHOLDER_ATTRIBUTES,
    TABLE_COLUMNS,
    TRUST_ITEMS,
    VALUE_ITEMS,
    actor_columns,
    contrast_sentences,
    dyad_ratings,
    latest_ratings,
    network_trust_value,
    position_contrasts,
    quadrant,
    resource_counts,
    salience,
    split_rejects,
    stakeholder_table,
    trust_value_by_wave,
    validate_ratings,
    validate_tie_ratings,
)

# --------------------------------------------------------------------------- a small study

ACTORS = pd.DataFrame(
    [
        ("af", "Arbetsförmedlingen", "arbetsformedlingen"),
        ("sf", "Samordningsförbundet", "samordningsforbund"),
        ("k", "Haninge kommun", "kommun"),
        ("asf", "ASF Verket", "social_enterprise"),
        ("ass", "IF Haninge", "association"),
        ("cc", "Coompanion", "support_org"),
        ("fk", "Försäkringskassan", "forsakringskassan"),
        ("un", "Unrated förening", "association"),
    ],
    columns=["actor_id", "name", "type"],
)
IDS = ACTORS["actor_id"].tolist()


def _ratings() -> pd.DataFrame:
    """stakeholders.csv as read: text cells, empty = not given."""
    rows = [  # actor, attribute, value, rater, wave
        ("af", "influence", "5", "", ""),
        ("af", "influence", "4", "k", ""),
        ("af", "interest", "3", "", ""),
        ("af", "interest", "4", "k", ""),
        ("af", "power", "5", "", ""),
        ("af", "legitimacy", "4", "", ""),
        ("af", "urgency", "2", "", ""),
        # sf: wave 1 is superseded by wave 2, attribute by attribute not mixed
        ("sf", "influence", "4", "asf", "1"),
        ("sf", "interest", "3", "asf", "1"),
        ("sf", "attitude", "2", "asf", "1"),
        ("sf", "influence", "2", "", "2"),
        ("sf", "interest", "4", "", "2"),
        ("sf", "power", "4", "", "2"),
        ("sf", "legitimacy", "2", "", "2"),
        ("sf", "urgency", "5", "", "2"),
        # asf: influence (2 + 4) / 2 = 3 exactly: not high
        ("asf", "influence", "2", "", ""),
        ("asf", "influence", "4", "k", ""),
        ("asf", "interest", "5", "", ""),
        ("asf", "power", "3", "k", ""),
        ("asf", "legitimacy", "4", "k", ""),
        ("asf", "urgency", "4", "k", ""),
        ("k", "influence", "4", "", ""),
        ("k", "interest", "2", "", ""),
        ("k", "power", "4", "", ""),
        ("k", "legitimacy", "4", "", ""),
        ("k", "urgency", "4", "", ""),
        ("k", "attitude", "1", "af", ""),
        ("k", "attitude", "-1", "asf", ""),
        # ass: urgency exactly 3 is not present
        ("ass", "influence", "1", "", ""),
        ("ass", "interest", "1", "", ""),
        ("ass", "power", "2", "", ""),
        ("ass", "legitimacy", "2", "", ""),
        ("ass", "urgency", "3", "", ""),
        # cc: no interest, no legitimacy -> quadrant and salience empty
        ("cc", "influence", "4", "", ""),
        ("cc", "power", "4", "", ""),
    ]
    return pd.DataFrame(rows, columns=["actor_id", "attribute", "value", "rater_id", "wave"])


def _ties() -> pd.DataFrame:
    cols = ["respondent_id", "alter_id", "relation", "wave", *TRUST_ITEMS, *VALUE_ITEMS,
            "resources"]
    rows = [
        ("k", "af", "information", "1", "4", "3", "4", "4", "4", "2", "funding;expertise"),
        ("asf", "af", "referral", "1", "2", "2", "2", "3", "", "", "funding"),
        ("sf", "af", "collaboration", "1", "", "", "", "", "", "", ""),
        ("af", "asf", "information", "1", "4", "4", "4", "2", "2", "2", "volunteers;in_kind"),
        ("af", "asf", "referral", "1", "3", "3", "", "", "", "", "data"),
        ("k", "asf", "information", "1", "", "", "", "4", "4", "4", ""),
        ("ass", "cc", "information", "1", "1", "1", "1", "", "", "", ""),
        ("ass", "cc", "information", "2", "3", "3", "3", "1", "1", "1", ""),
        ("k", "fk", "information", "1", "1", "2", "3", "1", "1", "2", "information"),
        ("sf", "un", "information", "1", "", "", "", "", "", "", ""),
    ]
    return pd.DataFrame(rows, columns=cols)


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    ratings, problems = validate_ratings(_ratings(), IDS)
    assert problems == []
    ties, problems = validate_tie_ratings(_ties())
    assert problems == []
    return stakeholder_table(ACTORS, ratings, ties).set_index("actor_id", drop=False)


# --------------------------------------------------------------------------- the table


def test_table_has_exactly_the_contract_columns_and_one_row_per_rated_actor(table):
    assert list(table.columns) == [
        "actor_id", "name", "type", "influence", "interest", "power", "legitimacy", "urgency",
        "attitude", "n_raters", "quadrant", "salience", "trust_received", "value_received",
        "n_trust_ratings", "resources_named"]
    assert list(TABLE_COLUMNS) == list(table.columns)
    # in actors.csv order; 'un' is only the alter of an unrated tie
    assert table["actor_id"].tolist() == ["af", "sf", "k", "asf", "ass", "cc", "fk"]
    assert table.loc["af", "name"] == "Arbetsförmedlingen"
    assert table.loc["fk", "type"] == "forsakringskassan"


def test_means_over_raters(table):
    af = table.loc["af"]
    assert af["influence"] == 4.5  # (5 + 4) / 2
    assert af["interest"] == 3.5  # (3 + 4) / 2
    assert af["power"] == 5.0 and af["legitimacy"] == 4.0 and af["urgency"] == 2.0
    assert pd.isna(af["attitude"])
    assert af["n_raters"] == 2  # the analyst and k
    assert table.loc["k", "attitude"] == 0.0  # (1 + -1) / 2
    assert table.loc["k", "n_raters"] == 3  # analyst, af, asf
    assert table.loc["asf", "influence"] == 3.0
    assert table.loc["fk", "n_raters"] == 0


def test_latest_wave_per_actor(table):
    sf = table.loc["sf"]
    # wave 2 only: the analyst's 2 and 4, not wave 1's 4 and 3 by asf
    assert (sf["influence"], sf["interest"]) == (2.0, 4.0)
    # attitude was rated only in wave 1: not carried forward
    assert pd.isna(sf["attitude"])
    assert sf["n_raters"] == 1
    # an explicit wave picks that wave for everyone rated in it
    w1 = stakeholder_table(ACTORS, validate_ratings(_ratings(), IDS)[0], None, wave=1)
    w1 = w1.set_index("actor_id")
    assert (w1.loc["sf", "influence"], w1.loc["sf", "attitude"]) == (4.0, 2.0)
    assert w1.loc["af", "influence"] == 4.5  # empty wave = wave 1
    assert w1.loc["sf", "quadrant"] == "keep_satisfied"


def test_latest_ratings_rows():
    r = _ratings()
    last = latest_ratings(validate_ratings(r, IDS)[0])
    sf = last[last["actor_id"] == "sf"]
    assert sorted(sf["attribute"]) == ["influence", "interest", "legitimacy", "power", "urgency"]
    assert set(sf["wave"]) == {2}
    assert len(last) == len(r) - 3


def test_quadrants_hand_computed(table):
    assert pd.isna(table.loc["cc", "quadrant"]) and pd.isna(table.loc["fk", "quadrant"])
    assert table.loc["af", "quadrant"] == "manage_closely"
    assert table.loc["sf", "quadrant"] == "keep_informed"
    assert table.loc["k", "quadrant"] == "keep_satisfied"
    assert table.loc["asf", "quadrant"] == "keep_informed"
    assert table.loc["ass", "quadrant"] == "monitor"


def test_salience_hand_computed(table):
    assert table.loc["af", "salience"] == "dominant"  # power 5, legitimacy 4, urgency 2
    assert table.loc["sf", "salience"] == "dangerous"  # power 4, legitimacy 2, urgency 5
    assert table.loc["asf", "salience"] == "dependent"  # power exactly 3 absent
    assert table.loc["k", "salience"] == "definitive"
    assert table.loc["ass", "salience"] == "non_stakeholder"  # urgency exactly 3 absent
    assert pd.isna(table.loc["cc", "salience"])  # legitimacy, urgency missing
    assert pd.isna(table.loc["fk", "salience"])


def test_all_eight_salience_classes_and_the_boundary():
    expected = {  # (power, legitimacy, urgency) present -> class (Mitchell, Agle & Wood 1997)
        (0, 0, 0): "non_stakeholder", (1, 0, 0): "dormant", (0, 1, 0): "discretionary",
        (0, 0, 1): "demanding", (1, 1, 0): "dominant", (1, 0, 1): "dangerous",
        (0, 1, 1): "dependent", (1, 1, 1): "definitive",
    }
    combos = list(itertools.product((0, 1), repeat=3))
    # present = 3.01 .. 5 ; absent = exactly 3 (the boundary) or lower
    val = {1: 3.5, 0: 3.0}
    p, la, u = (pd.Series([val[c[i]] for c in combos]) for i in range(3))
    assert salience(p, la, u).tolist() == [expected[c] for c in combos]
    assert quadrant(pd.Series([3.0, 3.0000001, 3.0]), pd.Series([3.0, 3.0, 3.0000001])).tolist() \
        == ["monitor", "keep_satisfied", "keep_informed"]
    # a mean of 3 that floating point makes 3.0000000000000004 is still 3
    assert quadrant(pd.Series([0.1 * 3 * 10]), pd.Series([3.0])).tolist() == ["monitor"]


def test_trust_and_value_received_hand_computed(table):
    af = table.loc["af"]
    # dyads k->af: trust (4+3+4)/3 = 11/3, value (4+4+2)/3 = 10/3; asf->af: trust 2, value 3
    assert af["trust_received"] == pytest.approx((11 / 3 + 2) / 2)  # 17/6
    assert af["value_received"] == pytest.approx((10 / 3 + 3) / 2)  # 19/6
    assert af["n_trust_ratings"] == 2
    assert af["resources_named"] == "funding;expertise"
    asf = table.loc["asf"]
    # af rated asf on two relation rows: trust 4 and (3+3)/2 = 3 -> one dyad of 3.5;
    # k gave only value items (4): trust from af alone
    assert asf["trust_received"] == pytest.approx(3.5)
    assert asf["value_received"] == pytest.approx((2 + 4) / 2)
    assert asf["n_trust_ratings"] == 1
    assert asf["resources_named"] == "in_kind;volunteers;data"  # RESOURCES order
    # cc: wave 2 only (trust 3, value 1), not wave 1's trust 1
    assert table.loc["cc", "trust_received"] == 3.0
    assert table.loc["cc", "value_received"] == 1.0
    fk = table.loc["fk"]
    assert fk["trust_received"] == 2.0 and fk["value_received"] == pytest.approx(4 / 3)
    assert fk["resources_named"] == "information"
    for a in ("sf", "k", "ass"):  # no partner rated them
        assert pd.isna(table.loc[a, "trust_received"]) and table.loc[a, "n_trust_ratings"] == 0
        assert pd.isna(table.loc[a, "resources_named"])


def test_partner_network_scores_hand_computed():
    ties = validate_tie_ratings(_ties())[0]
    w1 = network_trust_value(ties, wave=1)
    # wave 1 dyad trust: 11/3, 2, 3.5 (af->asf), 1 (ass->cc), 2 (k->fk) -> mean 73/30
    assert w1["trust_score"] == pytest.approx(100 * (73 / 30) / 4)  # 60.83
    # dyad value: 10/3, 3, 2, 4 (k->asf), 4/3 (k->fk) -> mean 41/15
    assert w1["value_score"] == pytest.approx(100 * (41 / 15) / 4)  # 68.33
    assert w1["n_rated_ties"] == 6
    # default: the latest wave in which a tie is rated (wave 2: ass->cc, trust 3, value 1)
    assert network_trust_value(ties) == {"trust_score": 75.0, "value_score": 25.0,
                                         "n_rated_ties": 1}
    by = trust_value_by_wave(ties)
    assert by["wave"].tolist() == [1, 2]
    assert by["n_rated_ties"].tolist() == [6, 1]
    none = network_trust_value(ties[["respondent_id", "alter_id", "relation"]])
    assert math.isnan(none["trust_score"]) and none["n_rated_ties"] == 0


def test_partner_share_of_maximum_bounds():
    t = pd.DataFrame({"respondent_id": ["a", "b"], "alter_id": ["b", "a"],
                      **{c: [1, 1] for c in TRUST_ITEMS}, **{c: [4, 4] for c in VALUE_ITEMS}})
    s = network_trust_value(t)
    assert (s["trust_score"], s["value_score"]) == (25.0, 100.0)


def test_dyads_and_resource_counts():
    ties = validate_tie_ratings(_ties())[0]
    d = dyad_ratings(ties)
    # 10 rows: sf->af and sf->un unrated, af->asf two rows one dyad -> 7 rated dyads
    assert len(d) == 7
    row = d[(d["respondent_id"] == "af") & (d["alter_id"] == "asf")].iloc[0]
    assert (row["trust"], row["n_rows"], row["trust_open"]) == (3.5, 2, 4.0)
    rc = resource_counts(ties)
    assert rc.loc["af", ["funding", "expertise", "n_partners"]].tolist() == [2, 1, 2]
    assert rc.loc["asf", ["in_kind", "volunteers", "data", "n_partners"]].tolist() == [1, 1, 1, 2]
    assert list(rc.columns) == [*RESOURCES, "n_partners"]


def test_actor_columns_join(table):
    cols = actor_columns(table)
    assert list(cols.columns) == ["actor_id", "influence", "interest", "quadrant",
                                  "trust_received", "value_received"]
    joined = ACTORS.merge(cols, on="actor_id", how="left")
    assert len(joined) == len(ACTORS)
    assert pd.isna(joined.set_index("actor_id").loc["un", "influence"])


def test_without_any_ratings_the_table_is_empty_with_its_columns():
    t = stakeholder_table(ACTORS, None, _ties()[["respondent_id", "alter_id", "relation"]])
    assert list(t.columns) == list(TABLE_COLUMNS) and len(t) == 0
    plain = _ties()[["respondent_id", "alter_id", "relation"]]
    out, problems = validate_tie_ratings(plain)
    assert out is plain and problems == []  # a study without the columns runs as before


# --------------------------------------------------------------------------- validation


def _bad_ratings() -> pd.DataFrame:
    rows = [
        ("af", "influence", "5", "", ""),  # line 2 ok
        ("af", "influense", "4", "", ""),  # line 3 unknown attribute
        ("asf", "interest", "6", "", ""),  # line 4 out of range
        ("k", "power", "4", "asf_verket", ""),  # line 5 rater not an actor
        ("sf", "interest", "3.5", "", ""),  # line 6 not an integer
        ("sf", "attitude", "-3", "", ""),  # line 7 attitude outside -2..+2
        ("k", "legitimacy", "", "", ""),  # line 8 empty value
        ("af", "influence", "4", "", ""),  # line 9 conflicts with line 2
        ("kk", "urgency", "2", "", "x"),  # line 10 unknown actor, bad wave
        ("sf", "attitude", "−2", "", ""),  # line 11 ok (true minus sign)
        ("af", "influence", "5", "", ""),  # line 12 same as line 2: warning, left out
        ("k", "interest", "3", "k", ""),  # line 13 self-rating: warning, kept
    ]
    return pd.DataFrame(rows, columns=["actor_id", "attribute", "value", "rater_id", "wave"])


def test_validation_reports_every_problem_at_its_line_at_once():
    df, problems = validate_ratings(_bad_ratings(), IDS)
    got = [(p.line, p.column, p.severity) for p in problems]
    assert got == [
        (3, "attribute", "error"), (4, "value", "error"), (5, "rater_id", "error"),
        (6, "value", "error"), (7, "value", "error"), (8, "value", "error"),
        (9, None, "error"), (10, "actor_id", "error"), (10, "wave", "error"),
        (12, None, "warning"), (13, "rater_id", "warning"),
    ]
    text = [str(p) for p in problems]
    assert text[0] == ("stakeholders.csv:3: attribute: unknown attribute 'influense'; "
                       "did you mean 'influence'?")
    assert text[1] == "stakeholders.csv:4: value: 6 is outside 1-5, the scale of interest"
    assert text[2].startswith("stakeholders.csv:5: rater_id: unknown actor id 'asf_verket'")
    assert text[3] == ("stakeholders.csv:6: value: '3.5' is not a whole number "
                       "(interest is rated 1-5)")
    assert text[4] == "stakeholders.csv:7: value: -3 is outside -2..+2, the scale of attitude"
    assert text[5] == "stakeholders.csv:8: value: required value is empty"
    assert "first at line 2" in text[6] and "(5 there, 4 here)" in text[6]
    assert "unknown actor id 'kk'" in text[7]
    assert text[10].startswith("stakeholders.csv:13: rater_id: warning: an actor rating itself")
    # rejected rows carry a reason; the rest (incl. the self-rating and −2) is used
    usable = df["reason"].isna().tolist()
    assert usable == [True, False, False, False, False, False, False, False, False, True, False,
                      True]
    assert df.loc[9, "value"] == -2 and df.loc[0, "value"] == 5
    kept, rejects = split_rejects(df)
    assert rejects["line"].tolist() == [3, 4, 5, 6, 7, 8, 9, 10, 12]
    assert "reason" not in kept and len(kept) == 3
    t = stakeholder_table(ACTORS, df, None).set_index("actor_id")
    assert t.loc["af", "influence"] == 5.0  # lines 9 and 12 left out
    assert t.loc["sf", "attitude"] == -2.0


def test_did_you_mean_for_raters_with_the_pipelines_matcher():
    from netsoc.io import suggest

    actors = ACTORS.assign(actor_id=ACTORS["actor_id"].replace({"asf": "asf_verket"}))
    r = pd.DataFrame({"actor_id": ["k"], "attribute": ["Inflytande"], "value": ["4"],
                      "rater_id": ["asf_verke"]})
    _, problems = validate_ratings(r, actors["actor_id"], suggest=suggest)
    assert [str(p) for p in problems] == [
        "stakeholders.csv:2: attribute: unknown attribute 'Inflytande'; did you mean 'influence'?",
        "stakeholders.csv:2: rater_id: unknown actor id 'asf_verke'; did you mean 'asf_verket'?",
    ]
    # the pipeline can pass netsoc.io's actor matcher message instead
    _, problems = validate_ratings(r.assign(attribute="power"), IDS,
                                   actor_message=lambda v: f"no actor '{v}'")
    assert [str(p) for p in problems] == ["stakeholders.csv:2: rater_id: no actor 'asf_verke'"]


def test_lines_and_headers_and_missing_columns():
    r = pd.DataFrame({"Actor ID": ["af", "af"], "Attribute": ["power", "power"],
                      "Value": ["2", "9"], "Rater_ID": ["", "k"]})
    df, problems = validate_ratings(r, IDS, filename="stakeholders", lines=[10, 14])
    assert [str(p) for p in problems] == ["stakeholders:14: value: 9 is outside 1-5, the scale "
                                          "of power"]
    assert df["_line"].tolist() == [10, 14]
    # a missing required column: one problem at line 1, every row rejected
    r2 = pd.DataFrame({"actor_id": ["af"], "attribute": ["power"], "valeu": ["2"]})
    df2, problems = validate_ratings(r2, IDS)
    assert [str(p) for p in problems] == [
        "stakeholders.csv:1: value: missing required column; did you mean 'valeu'?"]
    assert df2["reason"].notna().all()
    # numbers as numbers (an xlsx sheet) are fine; 4.0 is a whole number
    r3 = pd.DataFrame({"actor_id": ["af", "k"], "attribute": ["power", "power"],
                       "value": [4.0, 2], "wave": [np.nan, 3]})
    df3, problems = validate_ratings(r3, IDS)
    assert problems == [] and df3["value"].tolist() == [4, 2] and df3["wave"].tolist() == [1, 3]


def test_tie_rating_validation():
    t = pd.DataFrame({
        "respondent_id": ["k", "asf", "af", "sf"], "alter_id": ["af", "af", "k", "k"],
        "relation": ["information"] * 4,
        "Trust Reliable": ["4", "5", "", "two"],
        "value_power": ["1", "", "0", ""],
        "resources": ["Paid staff; DATA", "fundng", "expertise, volunteers;", ""],
        "_line": [2, 3, 5, 6],  # as in Study.ties (line 4 was a merged duplicate)
    })
    df, problems = validate_tie_ratings(t, suggest=None)
    assert [str(p) for p in problems] == [
        "ties.csv:3: trust_reliable: 5 is outside 1-4",
        "ties.csv:3: resources: unknown resource 'fundng'; did you mean 'funding'?",
        "ties.csv:5: value_power: 0 is outside 1-4",
        "ties.csv:6: trust_reliable: 'two' is not a whole number (PARTNER items are rated 1-4)",
    ]
    assert df["resources"].tolist()[0] == "paid_staff;data"
    assert df["resources"].tolist()[2] == "volunteers;expertise"
    assert df["reason"].isna().tolist() == [True, False, False, False]
    assert all(c in df for c in (*TRUST_ITEMS, *VALUE_ITEMS))
    assert str(df["trust_reliable"].dtype) == "Int64"
    # rejected rows do not count in the scores
    assert network_trust_value(df)["n_rated_ties"] == 1


def test_through_a_real_study_folder(tmp_path):
    """Lines from Study.ties' _line and from the CSV file agree with the file."""
    from netsoc.io import load_study

    ACTORS.to_csv(tmp_path / "actors.csv", index=False)
    (tmp_path / "ties.csv").write_text(
        "respondent_id,alter_id,relation,trust_reliable,resources\n"
        "k,af,information,4,funding\n"
        "asf,af,information,7,\n", encoding="utf-8")
    (tmp_path / "stakeholders.csv").write_text(
        "actor_id,attribute,value,rater_id\naf,influence,5,\naf,interest,4,k\n"
        "af,urgncy,3,\n", encoding="utf-8")
    study = load_study(tmp_path)
    ties, problems = validate_tie_ratings(study.ties)
    assert [str(p) for p in problems] == ["ties.csv:3: trust_reliable: 7 is outside 1-4"]
    raw = pd.read_csv(tmp_path / "stakeholders.csv", dtype=str, keep_default_na=False)
    ratings, problems = validate_ratings(raw, study.actor_ids)
    assert [p.line for p in problems] == [4]
    t = stakeholder_table(study.actors, ratings, ties).set_index("actor_id")
    assert t.loc["af", "quadrant"] == "manage_closely"
    assert t.loc["af", "trust_received"] == 4.0 and t.loc["af", "n_trust_ratings"] == 1


# --------------------------------------------------------------------------- reading helpers


def test_position_contrasts_thresholds():
    tab = pd.DataFrame({
        "actor_id": list("abcdef"), "name": list("ABCDEF"),
        # trust tertiles of [2.0, 2.5, 3.0, 3.2, 3.5, 3.9]: q1/3 = 2.8333, q2/3 = 3.1333
        "trust_received": [3.9, 2.0, 3.0, 3.2, 2.5, 3.5],
        "value_received": [np.nan] * 6,
        "influence": [4.0, 2.0, 3.0, 2.0, 3.5, 2.0],
    })
    # degree tertiles of [1, 2, 4, 5, 8, 9]: q1/3 = 2.6667, q2/3 = 5.0
    deg = pd.Series([1, 9, 4, 5, 2, 8], index=list("abcdef"), name="degree")
    c = position_contrasts(tab, deg)
    assert c[["actor_id", "contrast"]].values.tolist() == [
        ["a", "trusted_but_peripheral"],  # trust 3.9 top, degree 1 bottom
        ["b", "central_but_distrusted"],  # degree 9 top, trust 2.0 bottom
        ["a", "influential_but_peripheral"],  # influence 4 > 3, degree 1
        ["e", "influential_but_peripheral"],  # influence 3.5, degree 2
    ]
    # d: degree 5 = q2/3 is top third, trust 3.2 top third: no contrast
    s = contrast_sentences(c.iloc[:1], "sv")
    assert s == ["A har partnernas förtroende (tillit 3,9 av 4) men en perifer plats i "
                 "nätverket (degree 1,00)."]
    assert contrast_sentences(c.iloc[1:2], "en")[0].startswith("B is central in the network")
    # ties at the cut points: most actors with degree 0 are in neither third
    flat = pd.Series([0, 0, 0, 0, 3, 0], index=list("abcdef"), name="betweenness")
    c2 = position_contrasts(tab, flat)
    assert set(c2["contrast"]) <= {"central_but_distrusted", "central_but_low_value"}
    assert position_contrasts(tab.iloc[:2], deg).empty  # fewer than 3 actors


# --------------------------------------------------------------------------- the grid figure


def _crowded() -> pd.DataFrame:
    names = ["Samordningsförbundet Östra Södertörn", "Arbetsförmedlingen Haninge",
             "Försäkringskassan", "Haninge kommun", "Tyresö kommun", "Nynäshamns kommun",
             "Region Stockholm", "Coompanion Stockholm", "ASF Verket", "Grenverket",
             "Röda Korset", "Stadsmissionen", "Mikrofonden", "ESF-rådet", "Allmänna Arvsfonden",
             "IF Haninge", "Kyrkan", "Föreningen $x^2$ <b>", "Företaget AB", "Högskolan",
             "Kafé Kvarnen", "Cykelverkstan", "Second hand Ekonomisk förening", "Tillväxtverket",
             "Länsstyrelsen", "SKOOPI", "Fritidsgården", "Studieförbundet",
             "Hyresgästföreningen", "Biblioteket"]
    rng = np.random.default_rng(7)
    n = len(names)
    inf = rng.integers(1, 6, n).astype(float)
    intr = rng.integers(1, 6, n).astype(float)
    inf[:8], intr[:8] = 4.5, 4.0  # eight actors at one point
    inf[8:10], intr[8:10] = 3.0, 3.0  # two on the crossing of the borders
    t = pd.DataFrame({"actor_id": [f"a{i:02d}" for i in range(n)], "name": names,
                      "influence": inf, "interest": intr})
    t["quadrant"] = quadrant(t["influence"], t["interest"])
    return t


def _drawn(fig, dpi: float | None = None):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    if dpi is not None:  # as savefig(dpi=...) draws it
        fig.set_dpi(dpi)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    r = canvas.get_renderer()
    ax = fig.axes[0]
    labels = [t for t in ax.texts if (t.get_gid() or "").startswith("stakeholder-label:")]
    quads = [t for t in ax.texts if (t.get_gid() or "").startswith("quadrant:")]
    return r, ax, labels, quads


@pytest.mark.parametrize(("lang", "dpi"), [("sv", None), ("en", 150), ("sv", 72)])
def test_grid_names_once_without_overlaps(lang, dpi):
    from netsoc.stakeholders import grid_points, power_interest_grid

    tab = _crowded()
    fig = power_interest_grid(tab, lang=lang)
    r, ax, labels, quads = _drawn(fig, dpi)
    gids = [t.get_gid() for t in labels]
    assert len(gids) == len(set(gids))  # every name at most once
    names = dict(zip(tab["actor_id"], tab["name"], strict=True))
    for t in labels:
        full = names[t.get_gid().split(":", 1)[1]]
        assert t.get_text() == full or (t.get_text().endswith("…")
                                        and full.startswith(t.get_text()[:-1]))
        assert t.get_parse_math() is False  # "$x^2$" is shown as written
    assert len(labels) >= 20  # most of the 30 names find room
    boxes = [t.get_window_extent(r) for t in labels]
    qboxes = [t.get_window_extent(r) for t in quads]
    frame = ax.get_window_extent(r)
    for a, b in itertools.combinations(boxes + qboxes, 2):
        assert not a.overlaps(b), (a, b)
    for b in boxes:
        assert frame.x0 <= b.x0 and b.x1 <= frame.x1 and frame.y0 <= b.y0 and b.y1 <= frame.y1
    note = [t for t in fig.texts if t.get_gid() == "stakeholder-note"][0].get_text()
    left_out = len(tab) - len(labels)
    if left_out:
        assert str(left_out) in note
    # points: coincident actors spread, none across a border
    p = grid_points(tab)
    assert len({(round(x, 6), round(y, 6)) for x, y in zip(p["px"], p["py"], strict=True)}) \
        == len(p)
    assert ((p["px"] > 3) == (p["x"] > 3)).all() and ((p["py"] > 3) == (p["y"] > 3)).all()


def test_grid_quadrant_names_in_the_language():
    from netsoc.stakeholders import power_interest_grid

    tab = _crowded().iloc[10:14]
    words = {}
    for lang in ("sv", "en"):
        _, ax, labels, quads = _drawn(power_interest_grid(tab, lang=lang))
        words[lang] = {t.get_gid(): t.get_text() for t in quads}
        assert len(labels) == 4  # room for all of a few names
        assert ax.get_xlabel().startswith({"sv": "Intresse", "en": "Interest"}[lang])
    assert words["sv"] == {"quadrant:manage_closely": "Samverka nära",
                           "quadrant:keep_satisfied": "Håll nöjd",
                           "quadrant:keep_informed": "Håll informerad",
                           "quadrant:monitor": "Bevaka"}
    assert words["en"] == {"quadrant:manage_closely": "Manage closely",
                           "quadrant:keep_satisfied": "Keep satisfied",
                           "quadrant:keep_informed": "Keep informed",
                           "quadrant:monitor": "Monitor"}


def test_grid_is_deterministic_and_copes_with_nothing_to_draw():
    from netsoc.stakeholders import power_interest_grid

    tab = _crowded()

    def layout():
        _, _, labels, _ = _drawn(power_interest_grid(tab, lang="sv"))
        return [(t.get_gid(), t.get_ha(), t.get_va()) for t in labels]

    assert layout() == layout()
    empty = power_interest_grid(tab.iloc[:0], lang="en")
    assert any(t.get_gid() == "stakeholder-empty" for t in empty.axes[0].texts)
    assert all(a in STAKEHOLDER_ATTRIBUTES for a in ("influence", "interest"))
