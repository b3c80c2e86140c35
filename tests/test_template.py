"""The coding workbook: structure, dropdowns, and a filled copy run end to end."""

from __future__ import annotations

import argparse

import pytest
from openpyxl import load_workbook

import netsoc
from netsoc import template
from netsoc.schema import ACTOR_TYPES, ACTORS, RESPONDENTS, TIE_RELATIONS, TIES


def _validations(ws) -> dict[str, str]:
    """First cell of each validated range -> formula1."""
    out = {}
    for dv in ws.data_validations.dataValidation:
        first = str(dv.sqref).split(":")[0]
        out[first] = dv.formula1
    return out


def test_template_structure(tmp_path):
    folder = template.write_template(tmp_path / "s", name="Test")
    assert sorted(p.name for p in folder.iterdir()) == ["study.toml", "study.xlsx"]
    wb = load_workbook(folder / "study.xlsx")
    assert wb.sheetnames == ["README", "actors", "ties", "respondents"]
    for spec in (ACTORS, TIES, RESPONDENTS):
        header = [c.value for c in wb[spec.stem][1]]
        assert header == spec.names
    a = _validations(wb["actors"])
    assert a["C2"] == '"' + ",".join(ACTOR_TYPES) + '"'
    t = _validations(wb["ties"])
    assert t["A2"] == t["B2"] == "actors!$A$2:$A$2001"
    assert t["C2"] == '"' + ",".join(TIE_RELATIONS) + '"'
    assert t["D2"] == '"1,2,3,4"'
    assert "collaboration" in wb["ties"]["D1"].comment.text
    r = _validations(wb["respondents"])
    assert r["C2"] == '"completed,declined,not_reached"'
    readme = " ".join(str(c.value) for row in wb["README"].iter_rows() for c in row if c.value)
    assert "Himmelman" in readme and "4 = collaboration" in readme
    with pytest.raises(FileExistsError):
        template.write_template(folder)


def _fill(path, org_nr="212000-0209"):
    wb = load_workbook(path)
    actors = [
        ("huddinge", "Huddinge kommun", "kommun", "0126", "Huddinge"),
        ("botkyrka", "Botkyrka kommun", "kommun", "0127", ""),
        ("af", "Arbetsförmedlingen Södertörn", "arbetsformedlingen", "", "AF"),
        ("hbs", "Samordningsförbundet HBS", "samordningsforbund", "0126", "HBS"),
        ("asf1", "Returbutiken ek. för.", "social_enterprise", "0127", ""),
        ("asf2", "Kafé Gemenskap", "social_enterprise", "0126", ""),
    ]
    ws = wb["actors"]
    for i, (aid, name, typ, kod, alias) in enumerate(actors, start=2):
        ws.cell(i, 1, aid)
        ws.cell(i, 2, name)
        ws.cell(i, 3, typ)
        ws.cell(i, 4, kod or None)
        ws.cell(i, 5, alias or None)
    ws.cell(2, 6, org_nr)  # a syntactically valid organisationsnummer (check digit)
    ties = [
        ("hbs", "huddinge", "collaboration", 3),
        ("hbs", "af", "agreement", 4),
        ("hbs", "asf1", "funding", 2),
        ("hbs", "asf2", "referral", 2),
        ("huddinge", "hbs", "collaboration", 3),
        ("asf1", "asf2", "information", 1),
        ("botkyrka", "asf1", "referral", 2),
    ]
    ws = wb["ties"]
    for i, (r, a, rel, s) in enumerate(ties, start=2):
        ws.cell(i, 1, r)
        ws.cell(i, 2, a)
        ws.cell(i, 3, rel)
        ws.cell(i, 4, s)
        ws.cell(i, 5, 1)
    ws = wb["respondents"]
    for i, (aid, status) in enumerate(
        [("hbs", "completed"), ("huddinge", "completed"), ("asf1", "completed"),
         ("botkyrka", "completed"), ("af", "declined"), ("asf2", "not_reached")], start=2):
        ws.cell(i, 1, aid)
        ws.cell(i, 2, 1)
        ws.cell(i, 3, status)
    wb.save(path)


def test_filled_template_runs_end_to_end(tmp_path):
    folder = template.write_template(tmp_path / "s")
    _fill(folder / "study.xlsx")
    study = netsoc.load_study(folder)
    assert len(study.actors) == 6 and len(study.ties) == 7
    assert study.actors.set_index("actor_id").loc["botkyrka", "kommun_kod"] == "0127"
    assert study.settings.need_indicator == "N03937"
    assert study.respondent_status().to_dict()["af"] == "declined"
    results = netsoc.analyze(study, quiet=True)
    actors = results.tables["actors"].set_index("actor_id")
    # hbs names four partners and is named by huddinge: five ties, four distinct neighbours
    assert actors.loc["hbs", "degree"] == 4
    assert actors.loc["asf2", "degree"] == 2
    out = results.write(tmp_path / "out")
    assert (out / "report.html").exists() and (out / "tables" / "actors.csv").exists()


def test_template_cli(tmp_path, capsys):
    parser = argparse.ArgumentParser()
    template.add_commands(parser.add_subparsers())
    args = parser.parse_args(["template", str(tmp_path / "t")])
    assert args.func(args) == 0
    assert args.func(args) == 1  # refuses to overwrite
    assert "exists" in capsys.readouterr().err


def test_filled_template_without_org_nr(tmp_path):
    folder = template.write_template(tmp_path / "s")
    _fill(folder / "study.xlsx", org_nr=None)
    assert len(netsoc.load_study(folder).actors) == 6


def test_commands_are_wired_into_netsoc_cli(tmp_path):
    from netsoc.cli import main

    assert main(["template", str(tmp_path / "t")]) == 0
    assert main(["validate", str(tmp_path / "t")]) == 0  # the empty workbook reads cleanly
