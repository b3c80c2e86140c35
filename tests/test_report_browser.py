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
