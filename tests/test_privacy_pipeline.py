"""Privacy acceptance tests through the real reader, pipeline and writers."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import netsoc
from netsoc.cli import main
from netsoc.io import StudyError
from netsoc.privacy import find_identity_numbers, unescaped_markup

MINI = Path(__file__).parent / "fixtures" / "mini"
HOSTILE_FORMULA = '=HYPERLINK("http://x","y")'
HOSTILE_SCRIPT = "<script>alert('netsoc')</script>"
HOSTILE_IMG = '<img src=x onerror="alert(1)">'


def _study(tmp_path, *, placements: list[tuple[str, str, str]] | None = None,
           actors_extra: list[str] = (), person_key: str | None = None) -> Path:
    d = tmp_path / "study"
    shutil.copytree(MINI, d)
    if actors_extra:
        with open(d / "actors.csv", "a", encoding="utf-8") as fh:
            fh.write("".join(line + "\n" for line in actors_extra))
    if placements is not None:
        rows = ["placement_id,person_key,referrer_id,host_id"]
        for i, (key, ref, host) in enumerate(placements, start=1):
            rows.append(f"p{i},{key},{ref},{host}")
        (d / "placements.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    if person_key is not None:
        text = (d / "placements.csv").read_text(encoding="utf-8").replace("K003", person_key)
        (d / "placements.csv").write_text(text, encoding="utf-8")
    return d


def _with_placement_counts(results):
    """Add placements_hosted/referred as DESIGN §3 defines them if the measures stage has not."""
    actors = results.tables["actors"]
    p = results.study.placements
    for col, key in (("placements_hosted", "host_id"), ("placements_referred", "referrer_id")):
        if col not in actors:
            counts = p[key].value_counts()
            actors[col] = actors["actor_id"].map(counts).fillna(0).astype(int)
    return results


def test_host_with_three_placements_shows_lt5_everywhere(tmp_path):
    # asf_a hosts 3, asf_b 9, for_c 7; the total 19 (in the report's summary)
    # would give asf_a away unless one more host is hidden.
    placements = (
        [(f"A{i}", "af", "asf_a") for i in range(3)]
        + [(f"B{i}", "af", "asf_b") for i in range(9)]
        + [(f"C{i}", "k_botkyrka", "for_c") for i in range(7)]
    )
    study = netsoc.load_study(_study(tmp_path, placements=placements))
    results = _with_placement_counts(netsoc.analyze(study, quiet=True))
    assert results.tables["actors"].set_index("actor_id").loc["asf_a", "placements_hosted"] == 3
    out = results.write(tmp_path / "out", excel=True)

    csv = pd.read_csv(out / "tables" / "actors.csv", dtype=str).set_index("actor_id")
    assert csv.loc["asf_a", "placements_hosted"] == "<5"
    # secondary: for_c (7, same kommun 0127 as asf_a) is hidden, asf_b (9, kommun 0126) shown
    assert csv.loc["for_c", "placements_hosted"] == ".."
    assert csv.loc["asf_b", "placements_hosted"] == "9"
    assert csv.loc["af", "placements_referred"] == "12"

    ws = openpyxl.load_workbook(out / "tables.xlsx")["actors"]
    header = [c.value for c in ws[1]]
    col = header.index("placements_hosted")
    by_id = {row[0].value: row[col].value for row in ws.iter_rows(min_row=2)}
    assert by_id["asf_a"] == "<5" and by_id["for_c"] == ".."

    html = (out / "report.html").read_text(encoding="utf-8")
    # the actors table (other sections list the same actor with non-person counts)
    actors_html = re.search(r'<section id="actors">.*?</section>', html, re.S).group(0)
    row = re.search(r"<tr>(?:(?!</tr>).)*Kooperativ Ängen(?:(?!</tr>).)*</tr>", actors_html).group(0)
    assert "&lt;5" in row
    assert re.search(r">\s*3\s*<", row) is None
    assert "further cells are hidden" in html  # the report says how many cells were suppressed
    assert (out / "run.json").read_text().count('"primary": 1') == 1


def test_identity_number_in_file_is_refused_and_not_echoed(tmp_path, capsys):
    d = _study(tmp_path, person_key="189001019802")
    with pytest.raises(StudyError) as err:
        netsoc.load_study(d)
    msgs = [str(p) for p in err.value.problems]
    assert "placements.csv:4: person_key: looks like a personal identity number" in msgs
    assert not any(find_identity_numbers(m) or "1890" in m for m in msgs)

    assert main(["validate", str(d)]) == 1
    captured = capsys.readouterr()
    assert "looks like a personal identity number" in captured.err
    assert not find_identity_numbers(captured.out + captured.err)

    # with --allow-rejects the row goes to rejects/ without the number
    out = tmp_path / "out"
    assert main(["run", str(d), "--out", str(out), "--allow-rejects", "--quiet"]) == 0
    for f in out.rglob("*"):
        if f.is_file() and f.suffix in (".csv", ".html", ".json"):
            assert not find_identity_numbers(f.read_text(encoding="utf-8")), f.name
    rej = pd.read_csv(out / "rejects" / "placements.csv", dtype=str)
    assert rej["person_key"].tolist() == ["<removed>"]


def test_hostile_names_are_text_in_xlsx_csv_and_html(tmp_path):
    extra = [
        f'x_formula,"{HOSTILE_FORMULA.replace(chr(34), chr(34) * 2)}",association,0127,,,,,',
        f"x_script,{HOSTILE_SCRIPT},association,0127,,,,,",
        f'x_img,"{HOSTILE_IMG.replace(chr(34), chr(34) * 2)}",company,0126,,,,,',
    ]
    study = netsoc.load_study(_study(tmp_path, actors_extra=extra))
    names = study.actors.set_index("actor_id")["name"]
    assert names["x_formula"] == HOSTILE_FORMULA  # read as text, unchanged
    results = netsoc.analyze(study, quiet=True)
    out = results.write(tmp_path / "out", excel=True)

    ws = openpyxl.load_workbook(out / "tables.xlsx")["actors"]
    cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert cells and all(c.data_type != "f" for c in cells)
    assert all(c.value.startswith("'") for c in cells)

    csv_text = (out / "tables" / "actors.csv").read_text(encoding="utf-8")
    assert "\n" + "x_formula,\"'=HYPERLINK" in csv_text

    html = (out / "report.html").read_text(encoding="utf-8")
    assert unescaped_markup(html, [HOSTILE_SCRIPT, HOSTILE_IMG, HOSTILE_FORMULA]) == []
    assert "&lt;script&gt;alert(&#x27;netsoc&#x27;)&lt;/script&gt;" in html
