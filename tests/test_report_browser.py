"""report.html in headless Chromium: offline, no console errors, network view draws, names are text."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from netsoc.cli import main

MINI = Path(__file__).parent / "fixtures" / "mini"
HOSTILE = "<img src=x onerror=alert(1)>"

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium not installed (apt-get install chromium); .ci/run installs it"),
]

# Injected first into <head> of a copy of the report: records errors, alerts and resource loads.
PROBE = """<script>
window.__probe = {errors: [], alerts: 0};
window.addEventListener('error', function(e){ window.__probe.errors.push(String(e.message || e.type)); }, true);
var _ce = console.error; console.error = function(){ window.__probe.errors.push([].join.call(arguments, ' ')); _ce.apply(console, arguments); };
window.alert = function(){ window.__probe.alerts += 1; };
window.addEventListener('load', function(){ setTimeout(function(){
  var res = performance.getEntriesByType('resource').map(function(r){ return r.name; });
  var view = document.getElementById('netview-canvas');
  var out = document.createElement('pre'); out.id = '__probe_out';
  out.textContent = JSON.stringify({errors: window.__probe.errors, alerts: window.__probe.alerts, resources: res,
    canvas: view ? view.getElementsByTagName('canvas').length : -1,
    drawn: view ? view.getAttribute('data-rendered') : null,
    nodes: window.netsocNetwork ? window.netsocNetwork.body.data.nodes.length : -1});
  document.body.appendChild(out); }, 1500); });
</script>"""


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("browser")
    study = root / "study"
    shutil.copytree(MINI, study)
    with (study / "actors.csv").open("a", encoding="utf-8") as f:
        f.write(f'evil,"{HOSTILE}",association,0127,,,,,\n')
    with (study / "ties.csv").open("a", encoding="utf-8") as f:
        f.write("evil,sf_hbs,collaboration,2,1\n")
    out = root / "out"
    assert main(["run", str(study), "--out", str(out), "--quiet"]) == 0
    return out / "report.html"


def _dump(page: Path, tmp: Path) -> tuple[str, str]:
    proc = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp / 'profile'}", "--enable-logging=stderr", "--v=0",
         "--virtual-time-budget=15000", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=180,
    )
    return proc.stdout, proc.stderr


def test_report_in_browser(report, tmp_path):
    html = report.read_text(encoding="utf-8")
    # no external resources at all in src/href attributes
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", html, re.I)
    probed = tmp_path / "report.html"
    probed.write_text(html.replace("<head>", "<head>" + PROBE, 1), encoding="utf-8")
    dom, log = _dump(probed, tmp_path)
    m = re.search(r'<pre id="__probe_out">(.*?)</pre>', dom, re.S)
    assert m, f"probe did not run; chromium log:\n{log[-2000:]}"
    probe = json.loads(m.group(1).replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"))
    assert probe["errors"] == []
    assert probe["alerts"] == 0
    assert [r for r in probe["resources"] if not r.startswith(("data:", "file:", "blob:"))] == []
    assert probe["canvas"] >= 1 and probe["drawn"] == "1"
    assert probe["nodes"] == 9
    # the hostile name is shown as text, never as an element
    assert "&lt;img src=x onerror=alert(1)&gt;" in dom
    assert '<img src="x"' not in dom and "<img src=x" not in dom
    assert not re.search(r"CONSOLE\(\d+\).*(Uncaught|Error)", log)


PAGED_PROBE = """<script>
window.addEventListener('load', function(){
  var box = document.querySelector('.paged'), table = box.querySelector('table');
  var ths = table.querySelectorAll('th'), out = {};
  function first(){ var r = table.tBodies[0].rows[0]; return [].map.call(r.cells, function(c){ return c.textContent; }); }
  function status(){ return box.querySelector('.page-status').textContent; }
  out.start = {first: first(), status: status(), rows: table.tBodies[0].rows.length};
  ths[2].click(); ths[2].click();  // descending by the numeric column
  out.sorted = {first: first(), status: status()};
  box.querySelector('[data-step="1"]').click(); box.querySelector('[data-step="1"]').click();
  out.third = {first: first(), status: status(), page: box.getAttribute('data-page')};
  box.netsocFilter('<b>');
  out.filtered = {first: first(), status: status(), rows: table.tBodies[0].rows.length,
                  bold: table.getElementsByTagName('b').length};
  var pre = document.createElement('pre'); pre.id = '__paged'; pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
});
</script>"""


def test_paged_table_in_browser(tmp_path):
    import numpy as np
    import pandas as pd

    from netsoc.report.html import TABLE_JS, Translator, table
    from netsoc.report.sections import all_texts

    n = 250
    rng = np.random.default_rng(1)
    value = rng.permutation(n) * 37.5  # up to 9 337,5: thousands and decimals in Swedish style
    names = [f"Förening {i}" + (" <b>fet</b>" if i % 50 == 7 else "") for i in range(n)]
    df = pd.DataFrame({"name": names, "type": "association", "value": value})
    html = table(df, Translator("sv", all_texts()), page_rows=100, digits=1)
    page = tmp_path / "paged.html"
    page.write_text(f'<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8">{PAGED_PROBE}</head>'
                    f"<body>{html}<script>{TABLE_JS}</script></body></html>", encoding="utf-8")
    dom, log = _dump(page, tmp_path)
    m = re.search(r'<pre id="__paged">(.*?)</pre>', dom, re.S)
    assert m, f"probe did not run; chromium log:\n{log[-2000:]}"
    out = json.loads(m.group(1).replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"))
    assert out["start"] == {"first": ["Förening 0", "association", f"{value[0]:,.1f}".replace(",", "\u202f").replace(".", ",")],
                            "status": "Rad 1–100 av 250", "rows": 100}
    # sorted over all rows (not just the page shown), numbers read the Swedish way
    order = np.argsort(-value, kind="stable")
    assert out["sorted"]["first"][0] == names[order[0]] and out["sorted"]["first"][2] == "9\u202f337,5"
    assert out["sorted"]["status"] == "Rad 1–100 av 250"
    assert out["third"] == {"first": [names[order[200]], "association", out["third"]["first"][2]],
                            "status": "Rad 201–250 av 250", "page": "3"}
    assert float(out["third"]["first"][2].replace("\u202f", "").replace(",", ".")) == value[order[200]]
    # filtering searches every row; names stay text
    assert out["filtered"]["status"] == "Rad 1–5 av 5" and out["filtered"]["rows"] == 5
    assert out["filtered"]["bold"] == 0 and "<b>fet</b>" in out["filtered"]["first"][0]
