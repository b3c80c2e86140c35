"""The pyarrow fast path of the CSV reader gives exactly what the csv-module path gives:
the same tables, the same problems (file:line: column: message) and the same rejects."""

from __future__ import annotations

import pandas as pd
import pytest

import netsoc.io as nio
import netsoc.io.raw as nio_raw
from netsoc.synth.national import make_national, write_study


def _load_both(path, monkeypatch, **kw):
    calls = []
    real = nio_raw._read_csv_arrow

    def spy(*args):
        out = real(*args)
        calls.append(out is not None)
        return out

    monkeypatch.setattr(nio_raw, "_read_csv_arrow", spy)
    monkeypatch.setattr(nio_raw, "FAST_PATH_BYTES", 10**12)
    slow = _load(path, **kw)
    assert calls == []
    monkeypatch.setattr(nio_raw, "FAST_PATH_BYTES", 0)
    fast = _load(path, **kw)
    return slow, fast, calls


def _load(path, **kw):
    try:
        return nio.load_study(path, **kw)
    except nio.StudyError as err:
        return err


def _assert_same(slow, fast):
    assert type(slow) is type(fast)
    assert [str(p) for p in slow.problems] == [str(p) for p in fast.problems]
    if isinstance(slow, nio.StudyError):
        return
    for name, df in slow.tables().items():
        pd.testing.assert_frame_equal(df, fast.tables()[name], check_exact=True)
        pd.testing.assert_series_equal(
            getattr(slow, name)["_line"], getattr(fast, name)["_line"]
        )
    assert sorted(slow.rejects) == sorted(fast.rejects)
    for name, df in slow.rejects.items():
        pd.testing.assert_frame_equal(df, fast.rejects[name])


def test_fast_path_same_study(tmp_path, monkeypatch):
    path = write_study(make_national("county", seed=8, n_placements=3_000), tmp_path / "s")
    slow, fast, calls = _load_both(path, monkeypatch)
    assert all(calls) and len(calls) == 6
    _assert_same(slow, fast)


ACTORS = (
    "\ufeffactor_id;name;type;kommun_kod;capacity\n"
    "a1; Örebro kommun ;kommun;1880;\n"
    "a2;\"Förening; med semikolon\";Association;0127;12,5\n"
    "\n"
    ";;;;\n"
    "a3;\u00a0Café\u00a0;social enterprise;583;3\n"
    "a4;Bad kod;company;9999;x\n"
)
TIES = (
    "respondent_id,alter_id,relation,strength,wave,note\n"
    "a1,a2,information,2,1,\n"
    "a1,a9,referral,5,1,\"quoted, with comma\"\n"
    "a2,a1,collab,1,,\n"
    " a2 , a3 ,information,1,1,\n"
    "a2,a3,information,3,1,\n"
    "a3,a3,information,1,1,\n"
)
PLACEMENTS = (
    "placement_id,person_key,referrer_id,host_id,program,start_date,end_date,outcome\n"
    "p1,K1,a1,a2,praktik,2022-01-01,2022-02-01,work\n"
    "p2,K2,a1,a3,Praktik,2022-13-01,,\n"
    "p1,K3,a1,a2,sysselsattning,2022-03-01,2022-01-01,none\n"
)


@pytest.mark.parametrize("allow_rejects", [False, True])
def test_fast_path_same_problems(tmp_path, monkeypatch, allow_rejects):
    (tmp_path / "actors.csv").write_text(ACTORS, encoding="utf-8")
    (tmp_path / "ties.csv").write_text(TIES, encoding="utf-8")
    (tmp_path / "placements.csv").write_text(PLACEMENTS, encoding="utf-8")
    slow, fast, calls = _load_both(tmp_path, monkeypatch, allow_rejects=allow_rejects)
    assert calls == [True, True, True]
    assert len(slow.problems) > 8
    _assert_same(slow, fast)


@pytest.mark.parametrize(
    "ties, fast_path_used",
    [
        (TIES + "a1,a2,referral,1\n", True),  # ragged row: set aside by pyarrow, same problems
        (TIES.replace("a2,a3,information,3,1,", "a2,a3,information,3,1,,extra", 1) + "a1,a2,referral,1\n", True),  # two ragged rows
        (TIES + "a1,a2,referral,1,1,\"two\nlines\"\n", False),  # a record over two lines
        (TIES.replace("\n", "\r"), False),  # old Mac line ends
    ],
)
def test_fallback_keeps_exact_lines(tmp_path, monkeypatch, ties, fast_path_used):
    (tmp_path / "actors.csv").write_text(ACTORS, encoding="utf-8")
    (tmp_path / "ties.csv").write_text(ties, encoding="utf-8", newline="")
    slow, fast, calls = _load_both(tmp_path, monkeypatch, allow_rejects=True)
    assert calls == [True, fast_path_used]
    _assert_same(slow, fast)


def _placements_with_identity_numbers() -> str:
    rows = ["placement_id,person_key,referrer_id,host_id,program,start_date,end_date,outcome,comment"]
    for i in range(300):
        person = f"K{i}"
        host = "a2" if i % 2 else "a3"
        program = "Praktik" if i % 3 else "sysselsattning"
        comment = "Åsa" if i % 7 == 0 else ""
        if i == 10:
            person = "20170101-2393"  # in a column of many distinct values
        if i in (20, 21, 22):
            host = "900101-2385"  # one value repeated: checked once per distinct value
        if i == 30:
            program = "ring 19121212-1212"  # in a vocabulary column, echoed by its own check
        if i == 40:
            comment = "\uff12\uff10\uff11\uff17\uff10\uff11\uff10\uff11-\uff12\uff13\uff19\uff13"
        rows.append(f"p{i},{person},a1,{host},{program},2022-01-{1 + i % 28:02d},,work,{comment}")
    return "\n".join(rows) + "\n"


@pytest.mark.parametrize("allow_rejects", [False, True])
def test_fast_path_finds_the_same_identity_numbers(tmp_path, monkeypatch, allow_rejects):
    (tmp_path / "actors.csv").write_text(ACTORS, encoding="utf-8")
    (tmp_path / "placements.csv").write_text(_placements_with_identity_numbers(), encoding="utf-8")
    slow, fast, calls = _load_both(tmp_path, monkeypatch, allow_rejects=allow_rejects)
    assert calls == [True, True]
    _assert_same(slow, fast)
    found = [(p.line, p.column) for p in slow.problems
             if p.message == "looks like a personal identity number"]
    assert found == [(12, "person_key"), (22, "host_id"), (23, "host_id"), (24, "host_id"),
                     (32, "program"), (42, "comment")]
