"""One decoding rule for every file netsoc reads (issue 21): UTF-8 (± BOM), else Windows-1252."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import pandas as pd
import pytest

from netsoc import survey
from netsoc.cli import main
from netsoc.io import StudyError, load_study
from netsoc.io import raw as nio
from netsoc.privacy import pseudonymize_study

FIX = Path(__file__).parent / "fixtures"
MINI = FIX / "mini"
SWEDISH = "Samordningsförbundet Östra Södertörn – Åtgärd"


def _as_excel_sv(folder: Path, name: str) -> str:
    """Rewrite ``name`` as Swedish Excel's 'CSV (semikolonavgränsad)': cp1252 and ';'."""
    df = pd.read_csv(folder / name, dtype=str, keep_default_na=False)
    if name == "actors.csv":
        df.loc[0, "name"] = SWEDISH
    text = df.to_csv(index=False, sep=";", lineterminator="\r\n")
    (folder / name).write_bytes(text.encode("cp1252"))
    return df.loc[0, "actor_id"]


@pytest.fixture
def study(tmp_path) -> Path:
    dst = tmp_path / "study"
    shutil.copytree(MINI, dst)
    return dst


def test_study_saved_by_swedish_excel_reads_with_a_warning(study):
    aid = _as_excel_sv(study, "actors.csv")
    s = load_study(study)
    assert s.actors.set_index("actor_id").loc[aid, "name"] == SWEDISH
    warnings = [str(p) for p in s.problems if p.severity == "warning"]
    assert "actors.csv: warning: not UTF-8: read as Windows-1252" in warnings


def test_run_on_cp1252_study_keeps_letters_in_tables_and_report(study, tmp_path, capsys):
    _as_excel_sv(study, "actors.csv")
    out = tmp_path / "out"
    assert main(["run", str(study), "--out", str(out)]) == 0
    assert "actors.csv: warning: not UTF-8: read as Windows-1252" in capsys.readouterr().err
    assert SWEDISH in (out / "tables" / "actors.csv").read_text(encoding="utf-8")
    assert "Östra Södertörn" in (out / "report.html").read_text(encoding="utf-8")


def test_fast_arrow_path_reads_cp1252_too(monkeypatch, study):
    monkeypatch.setattr(nio, "FAST_PATH_BYTES", 0)  # every file through pyarrow
    aid = _as_excel_sv(study, "actors.csv")
    table, problems = nio.read_csv_text((study / "actors.csv").read_bytes(), "actors.csv")
    assert table.frame is not None, "the pyarrow path was not taken"
    assert SWEDISH in set(table.frame.iloc[:, table.header.index("name")])
    assert [str(p) for p in problems] == ["actors.csv: warning: not UTF-8: read as Windows-1252"]
    assert load_study(study).actors.set_index("actor_id").loc[aid, "name"] == SWEDISH


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_utf8_with_or_without_bom_reads_silently(study, bom):
    text = (study / "actors.csv").read_text(encoding="utf-8").replace("Botkyrka", "Botkyrka – ö")
    (study / "actors.csv").write_bytes(bom + text.encode("utf-8"))
    s = load_study(study)
    assert s.actors["name"].str.contains("Botkyrka – ö").any()
    assert not [p for p in s.problems if "UTF-8" in p.message]


def test_utf16_is_refused_naming_file_and_fix(study):
    text = (study / "ties.csv").read_text(encoding="utf-8")
    (study / "ties.csv").write_bytes(text.encode("utf-16"))
    with pytest.raises(StudyError) as info:
        load_study(study)
    msgs = [str(p) for p in info.value.problems]
    assert any(m.startswith("ties.csv: file is UTF-16") and "CSV UTF-8" in m for m in msgs), msgs


def test_mixed_encodings_are_refused_at_the_line(study):
    lines = (study / "actors.csv").read_text(encoding="utf-8").splitlines()
    lines[1] += "ö"  # valid UTF-8 ...
    data = "\n".join(lines).encode("utf-8") + "\nx_1,Malmö,other\n".encode("cp1252")
    (study / "actors.csv").write_bytes(data)
    with pytest.raises(StudyError) as info:
        load_study(study)
    msgs = [str(p) for p in info.value.problems]
    n = len(lines) + 1
    assert any(m.startswith(f"actors.csv:{n}: file is UTF-8 but byte 0xf6") for m in msgs), msgs


def test_study_toml_in_cp1252(study):
    toml = (study / "study.toml").read_text(encoding="utf-8")
    toml = toml.replace('name = "', 'name = "Örebro – ', 1)
    (study / "study.toml").write_bytes(toml.encode("cp1252"))
    s = load_study(study)
    assert s.settings.name.startswith("Örebro – ")
    assert "study.toml: warning: not UTF-8: read as Windows-1252" in map(str, s.problems)


def test_import_survey_reads_cp1252_export(tmp_path, capsys):
    src = FIX / "survey"
    export = next(p for p in sorted(src.glob("*.csv")) if p.name != "actors.csv")
    text = export.read_text(encoding="utf-8-sig")
    cp = tmp_path / export.name
    cp.write_bytes(text.encode("cp1252", errors="strict"))
    actors = tmp_path / "actors.csv"
    actors.write_bytes((src / "actors.csv").read_text(encoding="utf-8-sig").encode("cp1252"))
    args = argparse.Namespace(file=str(cp), actors=str(actors), format="wide",
                              out=str(tmp_path / "ties.csv"), unmatched=None,
                              respondent_column=None, relation="collaboration", wave=1,
                              threshold=85.0)
    if "long" in export.name:
        args.format = "long"
    assert survey.cmd_import_survey(args) == 0
    err = capsys.readouterr().err
    assert f"{export.name}: warning: not UTF-8: read as Windows-1252" in err
    ref_ties, _ = survey.import_survey(export, pd.read_csv(src / "actors.csv", dtype=str,
                                                           keep_default_na=False), args.format)
    got = pd.read_csv(tmp_path / "ties.csv", dtype=str, keep_default_na=False)
    assert len(got) == len(ref_ties) > 0


def test_import_survey_refuses_utf16(tmp_path):
    export = tmp_path / "enkat.csv"
    export.write_bytes("respondent_id,alter_1\nsf,Malmö\n".encode("utf-16"))
    actors = pd.DataFrame({"actor_id": ["sf"], "name": ["SF"], "aliases": [""]})
    with pytest.raises(survey.SurveyError, match=r"enkat\.csv: file is UTF-16"):
        survey.import_survey(export, actors)


def test_pseudonymize_keeps_cp1252_and_warns(tmp_path, capsys):
    src = tmp_path / "raw"
    shutil.copytree(MINI, src)
    lines = (src / "placements.csv").read_text(encoding="utf-8").splitlines()
    text = "\r\n".join([lines[0] + ",kommentar"] + [f"{x},Göteborg" for x in lines[1:]]) + "\r\n"
    (src / "placements.csv").write_bytes(text.encode("cp1252"))
    pseudonymize_study(src, tmp_path / "shared", tmp_path / "key" / "k.key")
    assert "placements.csv: warning: not UTF-8: read as Windows-1252" in capsys.readouterr().err
    out = (tmp_path / "shared" / "placements.csv").read_bytes()
    assert "Göteborg".encode("cp1252") in out  # still the user's encoding and line endings
    assert b"\r\n" in out and "Göteborg".encode() not in out
