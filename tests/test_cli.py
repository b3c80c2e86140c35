"""The command line: exit codes, outputs, determinism, no tracebacks."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from netsoc.cli import main

MINI = Path(__file__).parent / "fixtures" / "mini"


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "netsoc", *args], capture_output=True, text=True)


@pytest.fixture
def broken(tmp_path) -> Path:
    dst = tmp_path / "broken"
    shutil.copytree(MINI, dst)
    lines = (dst / "ties.csv").read_text(encoding="utf-8").splitlines()
    lines[1] = "sf_hbs,k_botkyrk,collaboration,4,1"
    lines[2] = "sf_hbs,k_huddinge,collaboration,9,1"
    (dst / "ties.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return dst


def test_validate_clean_exits_0(capsys):
    assert main(["validate", str(MINI)]) == 0
    assert capsys.readouterr().out.startswith("ok: actors 8, ties 9")


def test_validate_errors_exit_1_with_every_problem_and_no_traceback(broken):
    proc = _run("validate", str(broken))
    assert proc.returncode == 1
    assert "ties.csv:2: alter_id: unknown actor id 'k_botkyrk'; did you mean 'k_botkyrka'?" in proc.stderr
    assert "ties.csv:3: strength: '9' is outside 1-4" in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout


def test_run_with_errors_writes_nothing(broken, tmp_path):
    out = tmp_path / "out"
    proc = _run("run", str(broken), "--out", str(out), "--quiet")
    assert proc.returncode == 1
    assert not out.exists()
    assert "nothing was written" in proc.stderr


def test_run_allow_rejects_writes_rejects_and_counts(broken, tmp_path):
    out = tmp_path / "out"
    assert main(["run", str(broken), "--out", str(out), "--allow-rejects", "--quiet"]) == 0
    rejects = (out / "rejects" / "ties.csv").read_text(encoding="utf-8").splitlines()
    assert rejects[0].endswith(",line,reason")
    assert len(rejects) == 3
    info = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert info["rejects"] == {"ties": 2}
    assert info["rows"]["ties"] == 7


def test_run_writes_contract_outputs(tmp_path):
    out = tmp_path / "out"
    assert main(["run", str(MINI), "--out", str(out), "--quiet", "--lang", "sv"]) == 0
    header = (out / "tables" / "actors.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header[:5] == ["actor_id", "name", "type", "kommun_kod", "degree"]
    info = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert info["seed"] == 7
    expected_sha = hashlib.sha256((MINI / "ties.csv").read_bytes()).hexdigest()
    assert info["inputs_sha256"]["ties.csv"] == expected_sha
    assert info["rows"] == {"actors": 8, "ties": 9, "respondents": 8, "affiliations": 4,
                            "placements": 5, "indicators": 4}
    assert "networkx" in info["versions"] and "graphs" in info["timings_s"]
    html = (out / "report.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and '<html lang="sv">' in html
    assert "Samordningsförbundet Huddinge-Botkyrka-Salem" in html


def test_degree_matches_hand_count(tmp_path):
    out = tmp_path / "out"
    main(["run", str(MINI), "--out", str(out), "--quiet"])
    rows = dict(line.split(",")[0:5:4] for line in
                (out / "tables" / "actors.csv").read_text(encoding="utf-8").splitlines()[1:])
    # sf_hbs: k_botkyrka, k_huddinge, asf_a, asf_b; af: asf_a, asf_b, fk; for_c: k_botkyrka
    assert rows["sf_hbs"] == "4" and rows["af"] == "3" and rows["for_c"] == "1"


def test_same_seed_gives_byte_identical_tables(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    main(["run", str(MINI), "--out", str(a), "--quiet", "--seed", "11"])
    main(["run", str(MINI), "--out", str(b), "--quiet", "--seed", "11"])
    names = sorted(p.name for p in (a / "tables").glob("*.csv"))
    assert names
    for name in names:
        assert (a / "tables" / name).read_bytes() == (b / "tables" / name).read_bytes(), name


def test_unreadable_input_never_tracebacks(tmp_path):
    proc = _run("validate", str(tmp_path / "no-such-folder"))
    assert proc.returncode == 1
    assert "no such study folder or workbook" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_example_command_refuses_nonempty_folder(tmp_path):
    (tmp_path / "x.txt").write_text("keep me")
    assert main(["example", str(tmp_path)]) == 1
    assert (tmp_path / "x.txt").read_text() == "keep me"


def test_example_run_twice_byte_identical(tmp_path):
    """`netsoc run` on the embedded example twice with the same seed: identical tables."""
    a, b = tmp_path / "a", tmp_path / "b"
    assert main(["run", "--out", str(a), "--quiet"]) == 0
    assert main(["run", "--out", str(b), "--quiet"]) == 0
    names = sorted(p.name for p in (a / "tables").glob("*.csv"))
    assert "actors.csv" in names
    for name in names:
        assert (a / "tables" / name).read_bytes() == (b / "tables" / name).read_bytes(), name
    info = json.loads((a / "run.json").read_text(encoding="utf-8"))
    assert info["study"]["synthetic"] is True
