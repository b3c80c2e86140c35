"""--excel, --latex and print-quality figures; the summary's findings in words."""

from __future__ import annotations

import json
import re
import shutil
import warnings
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

import netsoc
from netsoc.report import findings, tabledocs, translator, write_excel, write_latex
from netsoc.report.sections import summary

MINI = Path(__file__).parent / "fixtures" / "mini"
FORMULA = '=HYPERLINK("http://x","y")'
AMP = "Kooperativ & Co 100% #1 Åäö_ö"


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    study = tmp_path_factory.mktemp("exports") / "study"
    shutil.copytree(MINI, study)
    with (study / "actors.csv").open("a", encoding="utf-8") as f:
        f.write(f'evil,"{FORMULA.replace(chr(34), chr(34) * 2)}",association,0127,,,,,\n')
        f.write(f'amp,"{AMP}",social_enterprise,0126,,,,,\n')
    with (study / "ties.csv").open("a", encoding="utf-8") as f:
        f.write("evil,sf_hbs,collaboration,2,1\namp,evil,information,1,1\n")
    return netsoc.analyze(netsoc.load_study(study), quiet=True)


def test_excel_workbook_has_readme_and_a_sheet_per_table(results, tmp_path):
    path = write_excel(results, tmp_path / "tables.xlsx")
    wb = load_workbook(path)
    published = findings.published(results)
    assert wb.sheetnames[0] == "README"
    assert wb.sheetnames[1:] == [name[:31] for name in published]
    readme = [[c.value for c in row] for row in wb["README"].iter_rows()]
    described = {(r[0], r[1]) for r in readme if len(r) >= 3 and r[2]}
    for name, df in published.items():
        ws = wb[name[:31]]
        assert [c.value for c in ws[1]] == list(map(str, df.columns))
        assert ws.max_row == len(df) + 1
        # every column of the contract tables is described in the README sheet
        if name in tabledocs.TABLES:
            for col in df.columns:
                if tabledocs.column_doc(name, col):
                    assert (name, col) in described
    actors = wb["actors"]
    header = [c.value for c in actors[1]]
    deg = header.index("degree") + 1
    assert all(isinstance(actors.cell(row=r, column=deg).value, int) for r in range(2, actors.max_row + 1))


def test_excel_formula_like_names_stay_text(results, tmp_path):
    path = write_excel(results, tmp_path / "tables.xlsx")
    ws = load_workbook(path)["actors"]
    cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert cells, "the hostile name must be in the sheet"
    for c in cells:
        assert c.data_type == "s"
        assert FORMULA in c.value
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert "<f>" not in z.read(name).decode("utf-8"), name


def test_latex_tables_are_booktabs_and_escaped(results, tmp_path):
    paths = write_latex(results, tmp_path / "tables")
    assert {p.stem for p in paths} == set(findings.published(results))
    tex = (tmp_path / "tables" / "actors.tex").read_text(encoding="utf-8")
    for rule in (r"\toprule", r"\midrule", r"\bottomrule"):
        assert rule in tex
    assert r"\caption{actors: One row per actor" in tex and r"\label{tab:actors}" in tex
    assert r"Kooperativ \& Co 100\% \#1 Åäö\_ö" in tex
    assert r"in\_degree\_reported" in tex  # headings escaped too
    # no unescaped specials outside commands in data rows
    body = tex.split(r"\midrule", 1)[1]
    assert not re.search(r"(?<!\\)[%#]", body)


def test_latex_long_tables_use_longtable(results, tmp_path):
    big = pd.DataFrame({"x": np.arange(50), "p": np.linspace(0, 1e-5, 50)})
    results.tables["big_test"] = big
    try:
        write_latex(results, tmp_path)
    finally:
        del results.tables["big_test"]
    tex = (tmp_path / "big_test.tex").read_text(encoding="utf-8")
    assert r"\begin{longtable}" in tex and r"\toprule" in tex
    assert "1.0e-05" in tex  # tiny values keep their size instead of printing 0.000


def test_figures_print_quality_and_swedish_letters(results, tmp_path):
    from PIL import Image

    from netsoc.report.figures import network_figure

    fig = network_figure(results.networks.collaboration, results.tables["actors"], seed=1,
                         title="Samverkan i Östra Södertörn – åäö ÅÄÖ")
    results.figures["network"] = fig
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph ... missing from font(s)"
        results.write(tmp_path / "out", dpi=300)
    png = tmp_path / "out" / "figures" / "network.png"
    dpi = Image.open(png).info["dpi"]
    assert round(dpi[0]) == 300
    w, h = Image.open(png).size
    assert w > 2000  # 10 inches at 300 dpi, minus the tight bounding box
    from matplotlib import font_manager

    # every text of every figure of the run (maps, model plots …) is set in a font with å, ä, ö
    from matplotlib.text import Text

    assert len(results.figures) >= 2
    for name, f in results.figures.items():
        for text in f.findobj(Text):
            if text.get_text():
                font = Path(font_manager.findfont(text.get_fontproperties())).name
                assert font.startswith("DejaVuSans"), (name, text.get_text(), font)


def test_cli_writes_excel_and_latex(tmp_path):
    from netsoc.cli import main

    out = tmp_path / "out"
    assert main(["run", str(MINI), "--out", str(out), "--excel", "--latex", "--quiet"]) == 0
    assert (out / "tables.xlsx").exists()
    assert (out / "tables" / "actors.tex").exists()
    assert (out / "tables" / "actors.csv").exists()


# -- the summary in words -------------------------------------------------------------------


def _fake_stage_tables(results):
    """Tables as later stages write them (contract columns), without running those stages."""
    r = results
    ids = r.tables["actors"]["actor_id"].tolist()
    r.tables["communities"] = pd.DataFrame({
        "actor_id": ids, "community": [1 + (i % 2) for i in range(len(ids))],
        "method": "consensus", "stability": 1.0})
    r.tables["kommun"] = pd.DataFrame({
        "kommun_kod": ["0126", "0127"], "kommun_namn": ["Huddinge", "Botkyrka"],
        "need_rate": [3.2, 6.1], "access": [0.05, 0.0], "gap": [-1.0, 1.0],
        "underserved": [False, True], "reason": ["", "no access"]})
    r.tables["models"] = pd.DataFrame({
        "model": ["m_work", "m_work", "m_work", "m_dyad"],
        "term": ["Intercept", "host_degree", "C(host_type)[T.company]", "same_type"],
        "estimate": [-1.0, np.log(1.5), 0.1, 0.25], "std_error": [0.1, 0.1, 0.2, 0.01],
        "statistic": [-10, 4, 0.5, 25], "p_value": [1e-9, 0.0004, 0.6, 0.012],
        "ci_low": [-1.2, np.log(1.2), -0.3, 0.2], "ci_high": [-0.8, np.log(1.9), 0.5, 0.3],
        "n_obs": [100, 100, 100, 380]})
    return r


def test_summary_reads_stage_tables_in_both_languages(results):
    from netsoc.schema import ModelSpec

    saved_tables = {k: results.tables.get(k) for k in ("communities", "kommun", "models")}
    saved_items = {k: results.items.pop(k) for k in ("communities", "geo", "models")
                   if k in results.items}
    r = _fake_stage_tables(results)
    r.study.settings.models = [ModelSpec("m_work", family="binomial", formula="work ~ host_degree"),
                               ModelSpec("m_dyad", level="dyad", family="gaussian")]
    try:
        sv = "\n".join(summary.sentences(r, translator("sv")))
        en = "\n".join(summary.sentences(r, translator("en")))
    finally:
        for k, v in saved_tables.items():
            if v is None:
                del r.tables[k]
            else:
                r.tables[k] = v
        r.items.update(saved_items)
        r.study.settings.models = []
    # underserved kommun named, the model's odds ratio exp(log 1.5) = 1.5 with decimal comma
    assert "Botkyrka" in sv and "Huddinge" not in sv.split("Underförsörjda")[1].split("\n")[0]
    assert "host_degree oddskvot 1,50 (95 % KI 1,20–1,90; p < 0,001)" in sv
    assert "host_degree odds ratio 1.50 (95% CI 1.20–1.90; p < 0.001)" in en
    assert "same_type koefficient 0,250 (p = 0,01)" in sv
    assert "host_type = company" not in en  # p = 0.6: not a finding
    assert "2 communities" in en and "2 kluster" in sv
    # most connected actor first (highest degree, then id)
    a = r.tables["actors"].sort_values(["degree", "actor_id"], ascending=[False, True])
    assert f"Most collaboration partners: {a['name'].iloc[0]}" in en


def test_summary_skips_absent_stages(results):
    import copy

    r = copy.copy(results)
    r.tables = {k: v for k, v in results.tables.items() if k not in ("communities", "kommun", "models")}
    r.items = {k: v for k, v in results.items.items() if k not in ("communities", "geo", "models")}
    en = summary.sentences(r, translator("en"))
    assert en and not any("odds ratio" in s or "nderserved" in s or "communities" in s for s in en)


def test_top_brokers_per_role():
    actors = pd.DataFrame({
        "actor_id": ["a", "b", "c", "d"], "name": ["A", "B", "C", "D"], "type": ["kommun"] * 4,
        "coordinator": [0, 5, 5, 1], "itinerant": [0, 0, 0, 0], "representative": [3, 0, 1, 0],
        "gatekeeper": [0, 2, 0, 0], "liaison": [1, 1, 9, 0]})
    top = findings.top_brokers(actors, n=2)
    # ties broken by actor id; zero counts are not brokers; empty roles left out
    assert top[top.role == "coordinator"]["actor_id"].tolist() == ["b", "c"]
    assert top[top.role == "liaison"]["actor_id"].tolist() == ["c", "a"]
    assert "itinerant" not in set(top.role)
    cross = findings.cross_group_brokers(actors, n=4)
    assert cross["actor_id"].tolist() == ["c", "a", "b"]
    assert cross["between_groups"].tolist() == [10, 4, 3]


def test_report_stays_small_for_large_studies():
    """Thousands of actors: the actors table is paged, the network view cut (with a note); the page stays small."""
    import networkx as nx

    from netsoc.graphs import build_networks
    from netsoc.pipeline import Results
    from netsoc.report import render_report
    from netsoc.study import Settings, Study

    rng = np.random.default_rng(3)
    n = 3000
    ids = [f"a{i:05d}" for i in range(n)]
    actors = pd.DataFrame({"actor_id": ids, "name": [f"Förening {i}" for i in range(n)],
                           "type": rng.choice(["association", "kommun", "social_enterprise"], n),
                           "kommun_kod": pd.array([pd.NA] * n, dtype="string"),
                           "aliases": pd.NA, "org_nr": pd.NA, "lat": np.nan, "lon": np.nan,
                           "capacity": np.nan})
    pairs = rng.integers(0, n, size=(9000, 2))
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    ties = pd.DataFrame({"respondent_id": [ids[i] for i in pairs[:, 0]],
                         "alter_id": [ids[j] for j in pairs[:, 1]], "relation": "collaboration",
                         "strength": 1, "wave": 1, "interview_id": pd.NA, "date": pd.NA,
                         "note": pd.NA}).drop_duplicates(["respondent_id", "alter_id"])
    study = Study(actors=actors, ties=ties, settings=Settings(name="large", language="en"))
    networks = build_networks(study)
    G = networks.collaboration
    table = actors[["actor_id", "name", "type", "kommun_kod"]].copy()
    table["degree"] = [G.degree(a) for a in ids]
    table["betweenness"] = table["degree"] * 10.0
    results = Results(study=study, networks=networks, tables={"actors": table},
                      run_info={"versions": {}, "timings_s": {}})
    html = render_report(results)
    assert len(html.encode("utf-8")) < 5_000_000
    # every actor is in the page, shown 100 at a time
    box = re.search(r'<div class="paged">(.*?)</div>', html, re.S).group(1)
    assert "Rows 1–100 of 3,000" in box and box.count("<tr>") == 101  # the heading row too
    data = json.loads(re.search(r'<script type="application/json" class="page-data">(.*?)</script>',
                                box, re.S).group(1))
    assert len(data["rows"]) == n and data["size"] == 100
    assert re.search(r"the view shows the 400 actors with the highest betweenness \(of 2,9\d\d\)", html)
    assert nx.number_of_nodes(G) == n
