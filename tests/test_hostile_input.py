"""Property-based tests (hypothesis): random studies, random corruptions, hostile names.

The contract: reading a study either returns a ``Study`` or raises
``netsoc.io.StudyError`` listing problems – never another exception – and no
message, reject or output echoes a personal identity number. The number of
generated cases is printed in the terminal summary (see ``conftest.py``).
Budget: well under a minute on one core.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import netsoc
from netsoc.io import StudyError
from netsoc.privacy import (
    find_identity_numbers,
    identity_number_problems,
    is_personnummer,
    luhn_check_digit,
    safe_cell,
    safe_path,
    suppress_counts,
    unescaped_markup,
)
from netsoc.schema import ACTOR_TYPES, TIE_RELATIONS

FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=40, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# ---------------------------------------------------------------------------
# identity numbers
# ---------------------------------------------------------------------------


@st.composite
def identity_numbers(draw):
    """(text as typed, 10-digit form) of a valid personnummer or samordningsnummer."""
    born = draw(st.dates(min_value=dt.date(1890, 1, 1), max_value=dt.date(2025, 12, 31)))
    serial = draw(st.integers(0, 999))
    coordination = draw(st.booleans())
    day = born.day + (60 if coordination else 0)
    nine = f"{born:%y%m}{day:02d}{serial:03d}"
    ten = nine + str(luhn_check_digit(nine))
    form = draw(st.sampled_from(["12", "12-", "10", "10-", "10+"]))
    century = f"{born.year // 100}"
    old = born.year < 1926  # the "+" form marks people aged 100 or more
    if form == "10+" and not old:
        form = "10-"
    text = {
        "12": century + ten,
        "12-": century + ten[:6] + "-" + ten[6:],
        "10": ten,
        "10-": ten[:6] + "-" + ten[6:],
        "10+": ten[:6] + "+" + ten[6:],
    }[form]
    return text, ten


@FAST
@given(identity_numbers(), st.integers(1, 9))
def test_valid_numbers_detected_and_wrong_check_digits_not(hypothesis_cases, number, delta):
    hypothesis_cases["identity numbers"] += 1
    text, ten = number
    assert is_personnummer(text)
    wrong = text[:-1] + str((int(text[-1]) + delta) % 10)
    assert not is_personnummer(wrong)


_no_digits = st.text(st.characters(blacklist_categories=["Nd"]), max_size=20)


@FAST
@given(identity_numbers(), _no_digits, _no_digits)
def test_numbers_found_in_free_text_and_never_echoed(hypothesis_cases, number, before, after):
    hypothesis_cases["identity numbers in text"] += 1
    text, ten = number
    cell = before + text + after
    assert find_identity_numbers(cell) == [ten]
    df = pd.DataFrame({"note": ["ok", cell], "_line": [2, 7]})
    (p,) = identity_number_problems("ties.csv", df)
    assert (p.line, p.column) == (7, "note")
    assert ten[:6] not in str(p) and ten[-4:] not in str(p)


# ---------------------------------------------------------------------------
# output safety
# ---------------------------------------------------------------------------


@FAST
@given(st.one_of(st.text(), st.integers(), st.floats(allow_nan=False), st.none()))
def test_safe_cell(hypothesis_cases, value):
    hypothesis_cases["safe_cell"] += 1
    out = safe_cell(value)
    if not isinstance(value, str):
        assert out is value
        return
    assert not out.lstrip(" ").startswith(("=", "+", "-", "@", "\t", "\r"))
    assert out in (value, "'" + value)
    assert safe_cell(out) == out


@FAST
@given(st.lists(st.text(max_size=40), min_size=1, max_size=3))
def test_safe_path_never_escapes(hypothesis_cases, names):
    hypothesis_cases["safe_path"] += 1
    with tempfile.TemporaryDirectory() as d:
        p = safe_path(d, *names)
        assert p.resolve().is_relative_to(Path(d).resolve())
        assert len(p.relative_to(d).parts) == len(names)
        assert "\x00" not in str(p)


# ---------------------------------------------------------------------------
# small cells
# ---------------------------------------------------------------------------


@FAST
@given(
    st.integers(1, 6).flatmap(
        lambda c: st.lists(st.lists(st.integers(0, 25), min_size=c, max_size=c), min_size=1, max_size=7)
    ),
    st.integers(2, 6),
    st.sampled_from(["columns", "rows", "both", None]),
)
def test_suppression_invariants(hypothesis_cases, rows, min_cell, totals):
    hypothesis_cases["suppress_counts"] += 1
    cols = [f"c{j}" for j in range(len(rows[0]))]
    df = pd.DataFrame(rows, columns=cols)
    out, n = suppress_counts(df, cols, min_cell=min_cell, totals=totals)
    label = f"<{min_cell}"
    shown = out[cols].to_numpy(dtype=object)
    hidden = np.vectorize(lambda x: isinstance(x, str))(shown)
    v = df.to_numpy()
    assert n == hidden.sum()
    # primary: exactly the small counts carry the label; nothing small is visible
    assert ((shown == label) == ((v > 0) & (v < min_cell))).all()
    assert (shown[~hidden] == v[~hidden]).all()
    # secondary: no published line with a total >= min_cell hides exactly one cell
    lines = []
    if totals in ("columns", "both"):
        lines += [(v[:, j], hidden[:, j]) for j in range(v.shape[1])]
    if totals in ("rows", "both"):
        lines += [(v[i], hidden[i]) for i in range(v.shape[0])]
    single = [1 for vals, h in lines if h.sum() == 1 and vals.sum() >= min_cell and len(vals) > 1]
    assert len(single) <= out.attrs["exposed_totals"]


# ---------------------------------------------------------------------------
# random studies and corruptions through the reader (needs netsoc.io)
# ---------------------------------------------------------------------------

_ids = st.text(st.sampled_from("abcdefghijk_0123456789"), min_size=1, max_size=6)
_names = st.text(
    st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"), min_size=1, max_size=30
) | st.sampled_from(['=HYPERLINK("http://x","y")', "<script>alert(1)</script>", "Café Åsen; \"AB\"",
                     "<img src=x onerror=alert(1)>", "-1", "@cmd", "\ttab"])


@st.composite
def studies(draw):
    """A small study as {file name: text}."""
    ids = draw(st.lists(_ids, min_size=1, max_size=8, unique=True))
    actors = [["actor_id", "name", "type", "kommun_kod"]]
    for a in ids:
        actors.append([a, draw(_names), draw(st.sampled_from(ACTOR_TYPES)),
                       draw(st.sampled_from(["", "0127", "0126", "2480"]))])
    files = {"actors.csv": actors}
    if draw(st.booleans()):
        ties = [["respondent_id", "alter_id", "relation", "strength"]]
        for _ in range(draw(st.integers(0, 10))):
            ties.append([draw(st.sampled_from(ids)), draw(st.sampled_from(ids)),
                         draw(st.sampled_from(TIE_RELATIONS)), str(draw(st.integers(1, 4)))])
        files["ties.csv"] = ties
    if draw(st.booleans()):
        pl = [["placement_id", "person_key", "referrer_id", "host_id"]]
        for i in range(draw(st.integers(0, 10))):
            pl.append([f"p{i}", f"k{draw(st.integers(0, 5))}", draw(st.sampled_from(ids)),
                       draw(st.sampled_from(ids))])
        files["placements.csv"] = pl
    sep = draw(st.sampled_from([",", ";"]))
    bom = draw(st.booleans())
    out = {}
    for name, rows in files.items():
        buf = io.StringIO()
        csv.writer(buf, delimiter=sep, lineterminator="\n").writerows(rows)
        out[name] = (("\ufeff" if bom else "") + buf.getvalue()).encode("utf-8")
    return out


CORRUPTIONS = ["none", "latin1", "binary", "nul", "separator", "no_header", "ragged",
               "truncate", "quote", "empty", "crlf", "personnummer", "long_field"]


@st.composite
def corrupted_studies(draw):
    files = draw(studies())
    kind = draw(st.sampled_from(CORRUPTIONS))
    name = draw(st.sampled_from(sorted(files)))
    data = files[name]
    planted = None
    if kind == "latin1":
        text = data.decode("utf-8").replace("\ufeff", "") + "x,Malmö ÅÄÖ,other,\n"
        data = text.encode("cp1252", errors="replace")
    elif kind == "binary":
        data = b"PK\x03\x04" + draw(st.binary(min_size=1, max_size=200))
    elif kind == "nul":
        pos = draw(st.integers(0, len(data)))
        data = data[:pos] + b"\x00" + data[pos:]
    elif kind == "separator":
        data = data.replace(b",", b"\t").replace(b";", b"|")
    elif kind == "no_header":
        data = data.split(b"\n", 1)[1] if b"\n" in data else b""
    elif kind == "ragged":
        lines = data.split(b"\n")
        i = draw(st.integers(0, max(0, len(lines) - 1)))
        lines[i] += draw(st.sampled_from([b",extra", b";extra", b",", b""]))
        if len(lines[i]) > 3 and draw(st.booleans()):
            lines[i] = lines[i][: len(lines[i]) // 2]
        data = b"\n".join(lines)
    elif kind == "truncate":
        data = data[: draw(st.integers(0, len(data)))]
    elif kind == "quote":
        pos = draw(st.integers(0, len(data)))
        data = data[:pos] + b'"' + data[pos:]
    elif kind == "empty":
        data = b""
    elif kind == "crlf":
        data = data.replace(b"\n", b"\r\n")
    elif kind == "personnummer":
        text, ten = draw(identity_numbers())
        planted = ten
        lines = data.split(b"\n")
        i = draw(st.integers(1, max(1, len(lines) - 1)))
        if i < len(lines) and lines[i]:
            sep = b";" if lines[0].count(b";") > lines[0].count(b",") else b","
            cells = lines[i].split(sep)
            j = draw(st.integers(0, len(cells) - 1))
            cells[j] = text.encode()
            lines[i] = sep.join(cells)
        else:
            planted = None
        data = b"\n".join(lines)
    elif kind == "long_field":
        data = data.rstrip(b"\n") + b"," + b"x" * draw(st.sampled_from([5_000, 1_100_000])) + b"\n"
    files[name] = data
    return files, kind, planted


def _write(folder: Path, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        (folder / name).write_bytes(data)


@SLOW
@given(corrupted_studies())
def test_reader_returns_study_or_study_error(hypothesis_cases, case):
    hypothesis_cases["corrupted studies"] += 1
    files, kind, planted = case
    with tempfile.TemporaryDirectory() as d:
        _write(Path(d), files)
        for allow in (False, True):
            try:
                study = netsoc.load_study(d, allow_rejects=allow)
            except StudyError as err:
                assert err.problems, kind
                text = "\n".join(str(p) for p in err.problems)
                assert all(isinstance(p.message, str) and p.message for p in err.problems)
            else:
                # with allow_rejects every actor may be rejected: then the study is
                # empty but still a Study (the pipeline's concern, not the reader's)
                assert len(study.actors) >= 1 or allow
                text = "\n".join(str(p) for p in study.problems)
                for rej in study.rejects.values():
                    text += rej.to_csv(index=False)
            if planted is not None:
                assert planted[-4:] + "\n" not in text + "\n" or planted not in text
                assert not find_identity_numbers(text), kind


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(studies())
def test_random_valid_studies_publish_safely(hypothesis_cases, files):
    hypothesis_cases["published studies"] += 1
    with tempfile.TemporaryDirectory() as d:
        _write(Path(d), files)
        try:
            study = netsoc.load_study(d, allow_rejects=True)
        except StudyError:
            assume(False)
        results = netsoc.analyze(study, quiet=True)
        out = results.write(Path(d) / "out", excel=True)
        html = (out / "report.html").read_text(encoding="utf-8")
        names = study.actors["name"].tolist()
        assert unescaped_markup(html, names) == []
        text = (out / "tables" / "actors.csv").read_text(encoding="utf-8")
        for row in csv.reader(io.StringIO(text)):
            for cell in row:
                assert not cell.lstrip(" ").startswith(("=", "+", "@", "\t", "\r")), cell


@pytest.mark.slow
@pytest.mark.parametrize(
    "bad_row, column, says",
    [("a,b,infromation\n", "relation", "information"),  # did you mean
     ("a,b,information,4,1,surplus\n", None, "row has 6 fields, the header has 3")],
)
def test_million_rows_with_one_bad_row(tmp_path, bad_row, column, says):
    """A 1,000,000-row ties file with one bad row: one clear error at its line, no traceback."""
    (tmp_path / "actors.csv").write_text("actor_id,name,type\na,A,kommun\nb,B,association\n")
    body = "a,b,information\n" * 999_999
    (tmp_path / "ties.csv").write_text(
        "respondent_id,alter_id,relation\n" + body[: 500_000 * 16] + bad_row
        + body[500_000 * 16:]
    )
    with pytest.raises(StudyError) as err:
        netsoc.load_study(tmp_path)
    errors = [p for p in err.value.problems if p.severity == "error"]
    assert [(p.file, p.line, p.column) for p in errors] == [("ties.csv", 500_002, column)]
    assert says in errors[0].message


def test_ten_megabyte_field_is_refused(tmp_path):
    (tmp_path / "actors.csv").write_bytes(
        b"actor_id,name,type\na,A,kommun\nb," + b"x" * 10_000_000 + b",association\n"
    )
    with pytest.raises(StudyError) as err:
        netsoc.load_study(tmp_path)
    (p,) = err.value.problems
    assert p.file == "actors.csv" and "larger than" in p.message
