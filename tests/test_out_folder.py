"""``netsoc run --out``: never lose a file netsoc did not write (issue 21).

Each case uses real folders in ``tmp_path``; the run is the in-process CLI on the
small fixture study, so what a user types is what is tested.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from netsoc.cli import main
from netsoc.pipeline import Results

MINI = Path(__file__).parent / "fixtures" / "mini"


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _hidden(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.rglob(".netsoc-*"))


@pytest.fixture
def study(tmp_path) -> Path:
    dst = tmp_path / "study"
    shutil.copytree(MINI, dst)
    return dst


@pytest.fixture
def earlier(tmp_path, study) -> Path:
    """An output folder written by an earlier ``netsoc run``."""
    out = tmp_path / "out"
    assert main(["run", str(study), "--out", str(out), "--quiet"]) == 0
    return out


def test_run_json_says_netsoc_wrote_it_and_lists_the_files(earlier):
    info = json.loads((earlier / "run.json").read_text(encoding="utf-8"))
    assert info["tool"] == "netsoc"
    on_disk = {k for k in _snapshot(earlier) if k != "run.json"}
    assert set(info["outputs"]) == on_disk
    assert "tables/actors.csv" in on_disk


def test_foreign_folder_is_refused_before_analysis_and_left_alone(tmp_path, study, capsys,
                                                                  monkeypatch):
    mine = tmp_path / "utvardering"
    (mine / "figurer").mkdir(parents=True)
    (mine / "uppsats.docx").write_bytes(b"my thesis")
    (mine / "figurer" / "egen.png").write_bytes(b"\x89PNG my figure")
    before = _snapshot(mine)

    def no_analysis(*args, **kwargs):  # pragma: no cover - must not be reached
        raise AssertionError("the analysis started although --out was refused")

    monkeypatch.setattr("netsoc.load_study", no_analysis)
    assert main(["run", str(study), "--out", str(mine), "--quiet"]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "not empty and was not written by netsoc" in err and str(mine) in err
    assert _snapshot(mine) == before
    assert _hidden(tmp_path) == []


def test_run_json_of_another_tool_does_not_count(tmp_path, study):
    other = tmp_path / "other"
    other.mkdir()
    (other / "run.json").write_text('{"tool": "snakemake"}', encoding="utf-8")
    (other / "data.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    before = _snapshot(other)
    assert main(["run", str(study), "--out", str(other), "--quiet"]) == 1
    assert _snapshot(other) == before


def test_rerun_replaces_own_output_completely(earlier, study):
    stale = earlier / "tables" / "from_old_version.csv"
    stale.write_text("x\n", encoding="utf-8")
    # the stale file is listed as netsoc's own, as an older netsoc would have written it
    info = json.loads((earlier / "run.json").read_text(encoding="utf-8"))
    info["outputs"].append("tables/from_old_version.csv")
    (earlier / "run.json").write_text(json.dumps(info), encoding="utf-8")
    assert main(["run", str(study), "--out", str(earlier), "--quiet"]) == 0
    assert not stale.exists()
    assert (earlier / "tables" / "actors.csv").exists()
    assert _hidden(earlier.parent) == []


def test_user_file_added_to_own_output_is_not_deleted(earlier, study, capsys):
    note = earlier / "mina_anteckningar.txt"
    note.write_text("notes", encoding="utf-8")
    before = _snapshot(earlier)
    assert main(["run", str(study), "--out", str(earlier), "--quiet"]) == 1
    assert "mina_anteckningar.txt" in capsys.readouterr().err
    assert _snapshot(earlier) == before


def test_output_of_older_netsoc_without_tool_field_is_replaced(earlier, study):
    info = json.loads((earlier / "run.json").read_text(encoding="utf-8"))
    del info["tool"], info["outputs"]
    (earlier / "run.json").write_text(json.dumps(info), encoding="utf-8")
    assert main(["run", str(study), "--out", str(earlier), "--quiet"]) == 0
    assert json.loads((earlier / "run.json").read_text(encoding="utf-8"))["tool"] == "netsoc"


def test_empty_existing_folder_is_used(tmp_path, study):
    out = tmp_path / "empty"
    out.mkdir()
    assert main(["run", str(study), "--out", str(out), "--quiet"]) == 0
    assert (out / "report.html").exists()


def test_out_dot_from_the_project_folder_is_refused(tmp_path, study, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "anteckningar.md").write_text("notes", encoding="utf-8")
    before = _snapshot(tmp_path)
    assert main(["run", "study", "--out", ".", "--quiet"]) == 1
    assert "working folder" in capsys.readouterr().err
    assert _snapshot(tmp_path) == before


def test_out_dot_is_refused_even_in_an_empty_working_folder(tmp_path, study, monkeypatch):
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.chdir(empty)
    assert main(["run", str(study), "--out", ".", "--quiet"]) == 1
    assert list(empty.iterdir()) == []


@pytest.mark.parametrize("target", ["study", "."])
def test_out_equal_to_or_above_the_study_is_refused(tmp_path, tmp_path_factory, study, target,
                                                    monkeypatch, capsys):
    monkeypatch.chdir(tmp_path_factory.mktemp("elsewhere"))
    out = study if target == "study" else tmp_path
    before = _snapshot(tmp_path)
    assert main(["run", str(study), "--out", str(out), "--quiet"]) == 1
    assert "study folder" in capsys.readouterr().err
    assert _snapshot(tmp_path) == before


def test_out_that_is_a_file_is_refused(tmp_path, study):
    f = tmp_path / "out"
    f.write_text("mine", encoding="utf-8")
    assert main(["run", str(study), "--out", str(f), "--quiet"]) == 1
    assert f.read_text(encoding="utf-8") == "mine"


def test_beside_adds_outputs_and_keeps_user_files(tmp_path, study):
    mine = tmp_path / "utvardering"
    mine.mkdir()
    (mine / "uppsats.docx").write_bytes(b"my thesis")
    assert main(["run", str(study), "--out", str(mine), "--beside", "--quiet"]) == 0
    assert (mine / "uppsats.docx").read_bytes() == b"my thesis"
    assert (mine / "tables" / "actors.csv").exists()
    # again: netsoc's own outputs are replaced, the user's file stays
    (mine / "tables" / "stale.csv").unlink(missing_ok=True)
    assert main(["run", str(study), "--out", str(mine), "--beside", "--quiet"]) == 0
    assert (mine / "uppsats.docx").read_bytes() == b"my thesis"
    assert _hidden(mine) == []


def test_beside_refuses_a_name_taken_by_the_user(tmp_path, study, capsys):
    mine = tmp_path / "utvardering"
    (mine / "tables").mkdir(parents=True)
    (mine / "tables" / "egen_tabell.xlsx").write_bytes(b"mine")
    before = _snapshot(mine)
    assert main(["run", str(study), "--out", str(mine), "--beside", "--quiet"]) == 1
    assert "tables" in capsys.readouterr().err
    assert _snapshot(mine) == before


def _fail_midway(exc: BaseException):
    real = Results.write

    def write(self, out_dir, **kwargs):
        real(self, out_dir, **kwargs)  # every file written, then the disaster
        if isinstance(exc, int):
            os.kill(os.getpid(), exc)
        raise exc

    return write


@pytest.mark.parametrize("disaster, status", [
    (KeyboardInterrupt(), 130),
    (OSError(28, "No space left on device"), 2),
    (RuntimeError("a worker crashed"), 2),
    (signal.SIGTERM, 143),
])
def test_interrupted_or_failed_run_leaves_earlier_output_and_no_hidden_folder(
        earlier, study, monkeypatch, disaster, status):
    before = _snapshot(earlier)
    monkeypatch.setattr(Results, "write", _fail_midway(disaster))
    assert main(["run", str(study), "--out", str(earlier), "--quiet", "--seed", "99"]) == status
    assert _snapshot(earlier) == before
    assert _hidden(earlier.parent) == []


def test_sigterm_from_outside_exits_143_and_cleans_up(tmp_path, study):
    """A real SIGTERM to a real process (as ``timeout`` and batch schedulers send it)."""
    out = tmp_path / "out"
    script = (
        "import os, signal, sys, time\n"
        "from netsoc.pipeline import Results\n"
        "real = Results.write\n"
        "def write(self, out_dir, **kw):\n"
        "    real(self, out_dir, **kw)\n"
        "    print('written', flush=True)\n"
        "    time.sleep(60)\n"
        "Results.write = write\n"
        "from netsoc.cli import main\n"
        f"sys.exit(main(['run', {str(study)!r}, '--out', {str(out)!r}, '--quiet']))\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "written"
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 143, err
    assert "terminated" in err and "Traceback" not in err
    assert not out.exists()
    assert _hidden(tmp_path) == []
