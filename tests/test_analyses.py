"""The worked analyses run on the embedded example and find what was planted or calibrated."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib import import_module
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
ANALYSES = ROOT / "analyses"


def _run(script: str, out: Path) -> str:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]), MPLBACKEND="Agg")
    proc = subprocess.run([sys.executable, str(ANALYSES / script), "--out", str(out)],
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc.stdout


def _needs(*modules: str) -> None:
    for m in modules:
        mod, _, attr = m.partition(":")
        try:
            loaded = import_module(mod)
        except ImportError:
            pytest.skip(f"{mod} is not in this build yet")
        if attr and not hasattr(loaded, attr):
            pytest.skip(f"{mod}.{attr} is not in this build yet")


def test_motala_placements(tmp_path):
    _needs("netsoc.privacy:suppress_counts")
    text = _run("motala_placements.py", tmp_path)
    for f in ("by_program.csv", "sysselsattning_shares.csv", "work_by_host_type.csv",
              "work_by_host_type.png", "answer.md"):
        assert (tmp_path / f).stat().st_size > 0, f
    assert "**Synthetic data.**" in text
    # the example is calibrated to AF Motala–Vadstena's May 2014 shares (40/10/3/47 %)
    shares = pd.read_csv(tmp_path / "sysselsattning_shares.csv")
    assert shares["share_pct"].round().tolist() == shares["af_may_2014_pct"].tolist() == [40, 10, 3, 47]
    # and its lönebidrag counts per host type (66 associations, 31 aid, 52 social enterprises)
    prog = pd.read_csv(tmp_path / "by_program.csv", dtype=str).set_index("program")
    assert prog.loc["lonebidrag", ["association", "aid organisation", "social enterprise"]].tolist() \
        == ["66", "31", "52"]
    # planted: social-enterprise hosts lead to work more often than associations
    work = pd.read_csv(tmp_path / "work_by_host_type.csv").set_index("host_category")
    assert work.loc["social enterprise", "ci_low"] > work.loc["association", "ci_high"]
    # small-cell protection: no visible count of 1..4 people anywhere
    for f in ("by_program.csv", "sysselsattning_shares.csv", "work_by_host_type.csv"):
        df = pd.read_csv(tmp_path / f, dtype=str)
        for col in ("placements", "ended", "work", "association", "aid organisation",
                    "social enterprise", "company", "kommun", "all hosts"):
            if col in df:
                assert not df[col].isin(["1", "2", "3", "4"]).any(), (f, col)


def test_motala_small_cells_are_hidden():
    _needs("netsoc.privacy:suppress_counts")
    sys.path.insert(0, str(ANALYSES))
    try:
        import motala_placements as mp
    finally:
        sys.path.remove(str(ANALYSES))
    import netsoc

    study = netsoc.load_study(None)
    p = study.placements
    hosts = study.actors.set_index("actor_id")["kommun_kod"]
    motala = p[p["host_id"].map(hosts).isin(["0583", "0584"])]
    se = motala[motala["host_id"].isin(
        study.actors.loc[study.actors["type"] == "social_enterprise", "actor_id"])]
    ended_se = se[se["outcome"].notna() & (se["outcome"] != "unknown")]
    # keep three social-enterprise placements that ended in work and no others: 3 of 3
    keep = ended_se[ended_se["outcome"] == "work"].head(3)
    study.placements = pd.concat([p.drop(se.index), keep])
    r = mp.analyse(study)
    row = r["work"].set_index("host_category").loc["social enterprise"]
    assert row["ended"] == "<5" and row["work"] == "<5" and pd.isna(row["work_rate"])


def test_stockholm_collaboration(tmp_path):
    _needs("netsoc.communities:detect_communities", "netsoc.measures:brokerage_roles")
    text = _run("stockholm_collaboration.py", tmp_path)
    for f in ("brokers.csv", "communities_vs_forbund.csv", "partition_agreement.csv",
              "network.png", "answer.md"):
        assert (tmp_path / f).stat().st_size > 0, f
    assert "**Synthetic data.**" in text
    brokers = pd.read_csv(tmp_path / "brokers.csv")
    # only area actors: nothing located in Motala/Vadstena
    assert not brokers["actor_id"].isin(["k_motala", "k_vadstena", "grenverket"]).any()
    # planted: the pre-study project gains bridging ties to the public side and the social
    # enterprises, so it is among the top brokers between them
    assert "proj_samordning" in brokers.head(3)["actor_id"].tolist()
    # the communities follow the förbund more than actor type
    ag = pd.read_csv(tmp_path / "partition_agreement.csv").set_index("partition")
    assert ag.loc["forbund_area", "ari"] > ag.loc["type", "ari"] + 0.2
