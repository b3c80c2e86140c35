"""The coding workbook: structure, dropdowns, and a filled copy run end to end."""

from __future__ import annotations

import argparse

import pytest
from openpyxl import load_workbook

import netsoc
from netsoc import template
from netsoc.schema import (
    ACTOR_TYPES,
    ACTORS,
    RESOURCES,
    RESPONDENTS,
    STAKEHOLDER_ATTRIBUTES,
    STAKEHOLDERS,
    TIE_RATING_NAMES,
    TIE_RELATIONS,
    TIES,
)


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
    assert wb.sheetnames == ["README", "actors", "ties", "respondents", "stakeholders"]
    for spec in (ACTORS, TIES, RESPONDENTS, STAKEHOLDERS):
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


def test_template_has_partner_columns_and_stakeholder_sheet_with_dropdowns(tmp_path):
    from openpyxl.utils import get_column_letter

    wb = load_workbook(template.write_template(tmp_path / "s") / "study.xlsx")
    header = [c.value for c in wb["ties"][1]]
    assert header[-len(TIE_RATING_NAMES):] == list(TIE_RATING_NAMES)
    t = _validations(wb["ties"])
    col = {n: get_column_letter(header.index(n) + 1) for n in TIE_RATING_NAMES}
    for item in TIE_RATING_NAMES[:-1]:
        assert t[f"{col[item]}2"] == '"1,2,3,4"', item
    assert t[f"{col['resources']}2"] == '"' + ",".join(RESOURCES) + '"'
    dvs = {str(dv.sqref).split(":")[0]: dv for dv in wb["ties"].data_validations.dataValidation}
    assert dvs[f"{col['resources']}2"].showErrorMessage is False  # "data;funding" is allowed
    sk = wb["stakeholders"]
    assert [c.value for c in sk[1]] == STAKEHOLDERS.names
    v = {str(dv.sqref).split(":")[0]: dv for dv in sk.data_validations.dataValidation}
    assert v["A2"].formula1 == v["D2"].formula1 == "actors!$A$2:$A$2001"
    assert v["B2"].formula1 == '"' + ",".join(STAKEHOLDER_ATTRIBUTES) + '"'
    assert (v["C2"].type, v["C2"].operator, v["C2"].formula1, v["C2"].formula2) == (
        "whole", "between", "-2", "5")
    readme = " ".join(str(c.value) for row in wb["README"].iter_rows() for c in row if c.value)
    assert "PARTNER" in readme and "stakeholders" in readme


def test_empty_template_runs_without_a_stakeholder_stage(tmp_path):
    folder = template.write_template(tmp_path / "s")
    _fill(folder / "study.xlsx")
    study = netsoc.load_study(folder)
    results = netsoc.analyze(study, quiet=True)
    assert "stakeholders" not in results.tables
    assert "influence" not in results.tables["actors"]


def test_filled_template_with_ratings(tmp_path):
    folder = template.write_template(tmp_path / "s")
    _fill(folder / "study.xlsx")
    wb = load_workbook(folder / "study.xlsx")
    ties = wb["ties"]
    header = [c.value for c in ties[1]]
    ties.cell(2, header.index("trust_reliable") + 1, 4)
    ties.cell(2, header.index("trust_open") + 1, 3)
    ties.cell(2, header.index("resources") + 1, "data;funding")
    sk = wb["stakeholders"]
    for i, row in enumerate([("af", "influence", 5, ""), ("af", "interest", 2, "hbs")], start=2):
        for j, v in enumerate(row, start=1):
            sk.cell(i, j, v)
    wb.save(folder / "study.xlsx")
    results = netsoc.analyze(netsoc.load_study(folder), quiet=True)
    tab = results.tables["stakeholders"].set_index("actor_id")
    assert tab.loc["af", "quadrant"] == "keep_satisfied"
    first_alter = results.study.ties["alter_id"].iloc[0]
    assert tab.loc[first_alter, "trust_received"] == 3.5
    assert tab.loc[first_alter, "resources_named"] == "funding;data"


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
