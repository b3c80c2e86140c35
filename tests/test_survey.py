"""Survey import: messy free-text names matched to actor ids; nothing dropped."""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd
import pytest

from netsoc import survey

FIX = Path(__file__).parent / "fixtures" / "survey"


@pytest.fixture
def actors():
    return pd.read_csv(FIX / "actors.csv", dtype=str, keep_default_na=False)


def test_fold():
    assert survey.fold("Försäkrings-KASSAN ") == "forsakrings kassan"
    assert survey.fold("Kafé  Gemenskap") == survey.fold("kafe gemenskap")


@pytest.mark.parametrize(
    "text, actor_id, kind",
    [
        ("af", "af", "exact"),
        ("AF", "af", "exact"),
        ("Sfris", "sfris", "exact"),  # alias
        ("SFRIS", "sfris", "exact"),
        ("ARBETSFORMEDLINGEN", "af", "exact"),  # alias without diacritics, upper case
        ("arbetsförmedlingen södertörn", "af", "exact"),
        ("Försäkringskassan", "fk", "exact"),
        ("Forsakringskasan", "fk", "fuzzy"),  # typo, no diacritics
        ("Hudinge kommun", "huddinge", "fuzzy"),  # typo
        ("Botkyrka", "botkyrka", "exact"),  # short name of "Botkyrka kommun"
        ("Returbutiken", "returbutiken", "exact"),  # without "ek. för."
        ("Samordningsförbundet", None, "ambiguous"),  # two förbund share the word
        ("kommunen", None, "none"),
        ("Röda Korset", None, "none"),
    ],
)
def test_matcher(actors, text, actor_id, kind):
    m = survey.ActorMatcher(actors).match(text)
    got = "exact" if m.method in ("id", "name", "alias", "short name") else m.method
    assert (m.actor_id, got) == (actor_id, kind)


def test_short_names_are_not_derived_when_shared():
    a = pd.DataFrame({"actor_id": ["k", "r"], "name": ["Motala kommun", "Motala AB"]})
    m = survey.ActorMatcher(a).match("Motala")
    assert m.actor_id is None and m.method == "ambiguous"


def test_import_wide_messy(actors):
    ties, um = survey.import_survey(FIX / "wide_semicolon.csv", actors, "wide")
    got = sorted(zip(ties["respondent_id"], ties["alter_id"], ties["strength"], strict=True))
    assert got == sorted([
        ("hbs", "af", 4), ("hbs", "huddinge", 3), ("hbs", "sfris", 2),
        ("huddinge", "af", 2), ("huddinge", "kafe", 3),
        ("returbutiken", "fk", 2), ("returbutiken", "botkyrka", 1),
    ])
    assert set(ties["relation"]) == {"collaboration"} and set(ties["wave"]) == {1}
    assert ties.columns.tolist()[:5] == ["respondent_id", "alter_id", "relation", "strength", "wave"]
    fuzzy = ties[ties["note"] != ""]
    assert fuzzy["alter_id"].tolist() == ["fk"] and "Forsakringskasan" in fuzzy["note"].iloc[0]

    # every name that did not become a tie is listed, with line and column
    rows = {(r.line, r.column, r.text): r for r in um.itertuples()}
    assert set(rows) == {
        (2, "alter_4", "Röda Korset"),
        (3, "alter_2", "Hudinge kommun"),
        (4, "alter_2", "kommunen"),
        (4, "alter_3", "Samordningsförbundet"),
        (4, "strength_4", "5"),
        (5, "respondent", "Okänd förening"),
        (5, "alter_1", "AF"),
    }
    assert rows[(3, "alter_2", "Hudinge kommun")].reason == "names the respondent itself"
    amb = rows[(4, "alter_3", "Samordningsförbundet")]
    assert amb.reason.startswith("ambiguous") and amb.suggestion in ("sfris", "hbs")
    assert "not matched" in rows[(5, "alter_1", "AF")].reason
    assert "used 1" in rows[(4, "strength_4", "5")].reason
    # names in the input = ties + name rows in unmatched (nothing dropped)
    n_names = 4 + 3 + 4 + 1  # non-empty alter cells on lines 2..5
    n_name_rows = sum(1 for r in um.itertuples() if r.column.startswith("alter"))
    assert len(ties) + n_name_rows == n_names


def test_import_long_and_relation_column(actors):
    df = pd.DataFrame({
        "respondent_id": ["kafe", "kafe", "kafe"],
        "alter": ["Huddinge", "HBS", "Returbutiken"],
        "strength": ["2", "", "x"],
        "relation": ["referral", "funding", "samarbete"],
    })
    ties, um = survey.import_survey(df, actors, "long")
    assert ties[["alter_id", "relation", "strength"]].values.tolist() == [
        ["huddinge", "referral", 2], ["hbs", "funding", 1], ["returbutiken", "collaboration", 1],
    ]
    assert sorted(um["column"]) == ["relation", "strength"]


def test_import_errors(actors, tmp_path):
    with pytest.raises(survey.SurveyError, match="no such file"):
        survey.import_survey(tmp_path / "missing.csv", actors)
    bad = tmp_path / "bad.csv"
    bad.write_text("respondent,friend1\nhbs,AF\n")
    with pytest.raises(survey.SurveyError, match="alter_1"):
        survey.import_survey(bad, actors)


def test_cli(tmp_path, capsys):
    parser = argparse.ArgumentParser()
    survey.add_commands(parser.add_subparsers())
    out = tmp_path / "ties.csv"
    args = parser.parse_args(["import-survey", str(FIX / "wide_semicolon.csv"),
                              "--actors", str(FIX / "actors.csv"), "--out", str(out)])
    assert args.func(args) == 0
    assert len(pd.read_csv(out)) == 7
    assert len(pd.read_csv(tmp_path / "ties_unmatched.csv")) == 7
