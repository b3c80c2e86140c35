"""Reading and validation: every rule has a broken-file case with its exact file:line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

import netsoc
from netsoc.io import StudyError, load_study, write_study_csv, write_study_xlsx

MINI = Path(__file__).parent / "fixtures" / "mini"


@pytest.fixture
def mini(tmp_path) -> Path:
    dst = tmp_path / "study"
    shutil.copytree(MINI, dst)
    return dst


def _replace_line(path: Path, lineno: int, text: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[lineno - 1] = text
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as f:
        f.write(text + "\n")


def _errors(folder: Path) -> list[str]:
    with pytest.raises(StudyError) as info:
        load_study(folder)
    return [str(p) for p in info.value.problems if p.severity == "error"]


def test_clean_study_reads_with_types():
    study = load_study(MINI)
    assert study.actors["actor_id"].is_unique
    assert study.actors.loc[study.actors.actor_id == "k_botkyrka", "kommun_kod"].item() == "0127"
    assert study.ties["strength"].dtype == "int64"
    assert study.ties["wave"].tolist() == [1] * 9
    assert study.placements["outcome"].tolist()[2] == "unknown"
    assert study.settings.seed == 7 and study.settings.language == "en"
    assert study.actors.loc[study.actors.actor_id == "asf_a", "lat"].item() == pytest.approx(59.2)
    assert not [p for p in study.problems if p.severity == "error"]


# (file, line to replace or None to append, new text, expected error message)
CASES = {
    "unknown_id_with_suggestion": (
        "ties.csv", 2, "sf_hbs,k_botkyrk,collaboration,4,1",
        "ties.csv:2: alter_id: unknown actor id 'k_botkyrk'; did you mean 'k_botkyrka'?",
    ),
    "unknown_id_alias_suggestion": (
        "ties.csv", 6, "asf_a,Arbetsformedlingen,referral,2,1",
        "ties.csv:6: alter_id: unknown actor id 'Arbetsformedlingen'; did you mean 'af'?",
    ),
    "bad_type": (
        "actors.csv", 7, "asf_a,Kooperativ Ängen,socialt företag,0127,,,59.2,17.83,12",
        "actors.csv:7: type: unknown value 'socialt företag'; did you mean 'social_enterprise'?",
    ),
    "bad_type_synonym": (
        "actors.csv", 9, "for_c,Föreningen Öst,förening,0127,,,,,",
        "actors.csv:9: type: unknown value 'förening'; did you mean 'association'?",
    ),
    "bad_strength_range": (
        "ties.csv", 3, "sf_hbs,k_huddinge,collaboration,7,1",
        "ties.csv:3: strength: '7' is outside 1-4",
    ),
    "bad_strength_text": (
        "ties.csv", 3, "sf_hbs,k_huddinge,collaboration,high,1",
        "ties.csv:3: strength: 'high' is not a whole number",
    ),
    "bad_relation": (
        "ties.csv", 4, "sf_hbs,asf_a,fundng,2,1",
        "ties.csv:4: relation: unknown value 'fundng'; did you mean 'funding'?",
    ),
    "duplicate_actor_id": (
        "actors.csv", None, "k_huddinge,Huddinge igen,kommun,0126,,,,,",
        "actors.csv:10: actor_id: duplicate of line 3 (actor_id = k_huddinge)",
    ),
    "bad_kommun_format": (
        "actors.csv", 2, "k_botkyrka,Botkyrka kommun,kommun,01277,,,,,",
        "actors.csv:2: kommun_kod: '01277' is not a 4-digit SCB kommun code (e.g. 0127)",
    ),
    "unknown_kommun_code": (
        "actors.csv", 3, "k_huddinge,Huddinge kommun,kommun,0199,,,,,",
        "actors.csv:3: kommun_kod: unknown kommun code '0199'",
    ),
    "ragged_row": (
        "ties.csv", 4, "sf_hbs,asf_a,funding,2,1,extra",
        "ties.csv:4: row has 6 fields, the header has 5",
    ),
    "empty_required_value": (
        "placements.csv", 3, "p2,,af,asf_a,arbetstraning,2014-02-01,2014-07-31,none,m,35-44",
        "placements.csv:3: person_key: required value is empty",
    ),
    "bad_date": (
        "placements.csv", 4, "p3,K003,k_botkyrka,asf_b,sysselsattning,2014-13-01,,unknown,f,18-24",
        "placements.csv:4: start_date: '2014-13-01' is not an ISO date (YYYY-MM-DD)",
    ),
    "bad_status": (
        "respondents.csv", 5, "asf_b,1,answered",
        "respondents.csv:5: status: unknown value 'answered'",
    ),
    "self_tie": (
        "ties.csv", 5, "asf_a,asf_a,collaboration,3,1",
        "ties.csv:5: alter_id: a tie from an actor to itself",
    ),
    "bad_org_nr": (
        "actors.csv", 2, "k_botkyrka,Botkyrka kommun,kommun,0127,,212000-0143,,,",
        "actors.csv:2: org_nr: '212000-0143' is not a valid organisationsnummer",
    ),
    "duplicate_placement": (
        "placements.csv", None, "p1,K009,af,asf_b,praktik,2014-01-10,,work,f,25-34",
        "placements.csv:7: placement_id: duplicate of line 2",
    ),
    "end_before_start": (
        "affiliations.csv", 2, "k_botkyrka,sf_hbs,member_of,2008,2005,x",
        "affiliations.csv:2: end_year: end_year is before start_year",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_validation_rule_reports_file_line_column(mini, case):
    fname, line, text, expected = CASES[case]
    path = mini / fname
    if line is None:
        _append(path, text)
    else:
        _replace_line(path, line, text)
    errors = _errors(mini)
    assert any(e.startswith(expected) for e in errors), errors


def test_missing_required_column(mini):
    (mini / "ties.csv").write_text("respondent_id,alter_id,strength\nsf_hbs,k_botkyrka,4\n", encoding="utf-8")
    assert "ties.csv:1: relation: missing required column" in _errors(mini)


def test_missing_header_says_so(mini):
    (mini / "ties.csv").write_text("sf_hbs,k_botkyrka,collaboration,4,1\n", encoding="utf-8")
    errors = _errors(mini)
    assert any(e.startswith("ties.csv:1: respondent_id: missing required column (no header row?") for e in errors)


def test_bytes_neither_utf8_nor_cp1252_name_the_line(mini):
    text = (mini / "actors.csv").read_text(encoding="utf-8")
    # 0x81 is undefined in Windows-1252; 0xf6 alone is not UTF-8
    data = text.encode("cp1252").replace("ö".encode("cp1252"), b"\x81", 1)
    (mini / "actors.csv").write_bytes(data)
    errors = _errors(mini)
    # first non-ASCII byte is the 'ö' of Samordningsförbundet on line 4
    assert errors[0].startswith("actors.csv:4: file is neither UTF-8 nor Windows-1252 (byte 0x81)"), errors


def test_empty_file(mini):
    (mini / "ties.csv").write_text("", encoding="utf-8")
    assert "ties.csv: file is empty: expected a header row" in _errors(mini)


def test_binary_file(mini):
    (mini / "placements.csv").write_bytes(b"PK\x03\x04\x00\x00binary")
    assert any(e.startswith("placements.csv: binary file") for e in _errors(mini))


def test_missing_actors_file(mini):
    (mini / "actors.csv").unlink()
    assert "actors.csv: required file is missing" in _errors(mini)


def test_all_problems_at_once(mini):
    _replace_line(mini / "ties.csv", 2, "sf_hbs,k_botkyrk,collaboration,4,1")
    _replace_line(mini / "ties.csv", 3, "sf_hbs,k_huddinge,collaboration,9,1")
    _replace_line(mini / "actors.csv", 7, "asf_a,Kooperativ Ängen,cooperative,0127,,,59.2,17.83,12")
    errors = _errors(mini)
    assert any(e.startswith("ties.csv:2: alter_id") for e in errors)
    assert any(e.startswith("ties.csv:3: strength") for e in errors)
    assert any(e.startswith("actors.csv:7: type") for e in errors)


def test_duplicate_ties_merged_with_max_strength_and_warned(mini):
    _append(mini / "ties.csv", "sf_hbs,k_botkyrka,collaboration,2,1")
    _append(mini / "ties.csv", "sf_hbs,k_huddinge,collaboration,4,")
    study = load_study(mini)
    t = study.ties
    assert len(t) == 9
    pair = t[(t.respondent_id == "sf_hbs") & (t.alter_id == "k_botkyrka")]
    assert pair["strength"].tolist() == [4]
    pair = t[(t.respondent_id == "sf_hbs") & (t.alter_id == "k_huddinge")]
    assert pair["strength"].tolist() == [4]  # empty wave is wave 1: a duplicate too
    warnings = [str(p) for p in study.problems if p.severity == "warning"]
    assert any(w.startswith("ties.csv:12:") and "duplicate of line 3" in w for w in warnings), warnings


def test_semicolon_bom_and_decimal_comma(mini):
    import csv
    import io

    rows = list(csv.reader((mini / "actors.csv").read_text(encoding="utf-8").splitlines()))
    buf = io.StringIO()
    csv.writer(buf, delimiter=";", lineterminator="\r\n").writerows(rows)  # as Swedish Excel saves
    text = buf.getvalue().replace("59.2", "59,2").replace("17.83", "17,83")
    (mini / "actors.csv").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    study = load_study(mini)
    a = study.actors.set_index("actor_id")
    assert a.loc["asf_a", "lat"] == pytest.approx(59.2)
    assert a.loc["asf_a", "lon"] == pytest.approx(17.83)
    assert a.loc["sf_hbs", "name"] == "Samordningsförbundet Huddinge-Botkyrka-Salem"
    assert list(study.actors.columns[:3]) == ["actor_id", "name", "type"]


def test_excel_dropped_leading_zero_is_restored_with_warning(mini):
    _replace_line(mini / "actors.csv", 2, "k_botkyrka,Botkyrka kommun,kommun,127,,,,,")
    study = load_study(mini)
    assert study.actors.loc[0, "kommun_kod"] == "0127"
    assert any(str(p).startswith("actors.csv:2: kommun_kod: warning: '127' read as '0127'") for p in study.problems)


def test_allow_rejects_keeps_every_row_accounted_for(mini):
    _replace_line(mini / "ties.csv", 2, "sf_hbs,k_botkyrk,collaboration,4,1")
    _replace_line(mini / "ties.csv", 3, "sf_hbs,k_huddinge,collaboration,9,1")
    study = load_study(mini, allow_rejects=True)
    rej = study.rejects["ties"]
    assert rej["line"].tolist() == [2, 3]
    assert "did you mean 'k_botkyrka'" in rej["reason"].iloc[0]
    assert "outside 1-4" in rej["reason"].iloc[1]
    assert len(study.ties) + len(rej) == 9


def test_file_level_errors_stop_even_with_allow_rejects(mini):
    (mini / "ties.csv").write_text("respondent_id,alter_id\nsf_hbs,k_botkyrka\n", encoding="utf-8")
    with pytest.raises(StudyError):
        load_study(mini, allow_rejects=True)


def test_study_toml_errors(mini):
    (mini / "study.toml").write_text('[network]\nsymmetrize = "unoin"\n', encoding="utf-8")
    errors = _errors(mini)
    assert "study.toml:2: [network] symmetrize: 'unoin' is not one of union, mutual, max, min, reconstruct; did you mean 'union'?" in errors


def test_workbook_round_trip_equals_csv(tmp_path):
    study = load_study(MINI)
    book = write_study_xlsx(study, tmp_path / "wb" / "study.xlsx")
    from_book = load_study(book)
    from_folder = load_study(book.parent)  # a folder holding study.xlsx
    for name, df in study.tables().items():
        pd.testing.assert_frame_equal(df, from_book.tables()[name], check_dtype=True)
        pd.testing.assert_frame_equal(df, from_folder.tables()[name], check_dtype=True)


def test_csv_round_trip(tmp_path):
    study = load_study(MINI)
    again = load_study(write_study_csv(study, tmp_path / "copy"))
    for name, df in study.tables().items():
        pd.testing.assert_frame_equal(df, again.tables()[name])


def test_workbook_sheet_errors_use_sheet_name_and_row(tmp_path):
    from openpyxl import load_workbook

    study = load_study(MINI)
    book = write_study_xlsx(study, tmp_path / "study.xlsx")
    wb = load_workbook(book)
    wb["ties"]["D4"] = 9  # strength of the tie on sheet row 4
    wb.save(book)
    errors = _errors(book)
    assert "ties:4: strength: '9' is outside 1-4" in errors


def test_respondent_status_defaults_without_respondents(mini):
    (mini / "respondents.csv").unlink()
    study = load_study(mini)
    status = study.respondent_status()
    assert status["sf_hbs"] == "completed"
    assert status["fk"] == "not_asked"
    assert not study.response_known


def test_load_study_api_is_exported():
    assert netsoc.load_study(MINI).settings.name == "Mini study (test fixture)"


def test_example_round_trip_csv_and_workbook(tmp_path):
    """The embedded example read from CSV and from its xlsx export gives identical tables."""
    study = load_study(None)
    assert len(study.actors) > 100 and study.settings.synthetic
    book = write_study_xlsx(study, tmp_path / "example.xlsx")
    again = load_study(book)
    assert sorted(again.tables()) == sorted(study.tables())
    for name, df in study.tables().items():
        pd.testing.assert_frame_equal(df, again.tables()[name], check_dtype=True)


def _big_placements(folder: Path, n: int = 90_000) -> None:
    rows = ["placement_id,person_key,referrer_id,host_id,program,start_date,end_date,outcome,gender,age_band"]
    hosts = ["asf_a", "asf_b", "for_c"]
    for i in range(n):
        rows.append(f"x{i},K{i % 5000:05d},af,{hosts[i % 3]},praktik,2014-01-01,2014-05-01,work,f,25-34")
    (folder / "placements.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")


def test_large_file_fast_path_equals_exact_reader(mini, monkeypatch):
    import netsoc.io.raw as nio

    _big_placements(mini)
    assert (mini / "placements.csv").stat().st_size > nio.FAST_PATH_BYTES
    fast = load_study(mini)
    monkeypatch.setattr(nio, "FAST_PATH_BYTES", 10**12)
    exact = load_study(mini)
    pd.testing.assert_frame_equal(fast.placements, exact.placements)
    assert fast.placements["_line"].iloc[-1] == 90_001


def test_large_file_with_one_bad_row_names_its_line(mini):
    _big_placements(mini)
    lines = (mini / "placements.csv").read_text(encoding="utf-8").splitlines()
    lines[60_000] = lines[60_000] + ",surplus"
    lines[70_000] = lines[70_000].replace("praktik", "praktk")
    (mini / "placements.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    errors = _errors(mini)
    assert "placements.csv:60001: row has 11 fields, the header has 10" in errors
    assert any(e.startswith("placements.csv:70001: program: unknown value 'praktk'; did you mean 'praktik'?") for e in errors)
    assert len(errors) == 2


def test_identity_number_in_an_id_column_is_never_echoed(mini):
    # Skatteverket test personnummer typed as referrer id
    _replace_line(mini / "placements.csv", 2, "p1,K001,19121212-1212,asf_a,arbetstraning,2014-01-10,,work,f,25-34")
    errors = _errors(mini)
    assert any(e.startswith("placements.csv:2: referrer_id:") for e in errors)
    assert not any("1212" in e for e in errors), errors
