"""Tests for netsoc.privacy: identity numbers, pseudonymisation, suppression, output safety."""

from __future__ import annotations

import argparse
import os
import re
import stat

import networkx as nx
import numpy as np
import openpyxl
import pandas as pd
import pytest

from netsoc.privacy import (
    IDENTITY_MESSAGE,
    PrivacyError,
    add_pseudonymize_command,
    aggregate_small_edges,
    find_identity_numbers,
    format_count,
    identity_number_problems,
    is_personnummer,
    luhn_check_digit,
    pseudonym,
    pseudonymize_study,
    safe_cell,
    safe_filename,
    safe_frame,
    safe_path,
    suppress_counts,
    unescaped_markup,
)

# Skatteverket's published test personnummer / samordningsnummer (dataportal.se
# dataset "Testpersonnummer", CC0) and the worked example of Skatteverket's
# brochure SKV 704 (640823-3234), in the forms users type them.
SKATTEVERKET_TEST_NUMBERS = [
    "189001019802",  # 1890s series 980/981
    "20170101-2393",  # date + 238/239 series
    "201701012393",
    "900101-2385",
    "9001012385",
    "200002292399",  # 29 February of a leap year
    "000101+9801",  # "+": aged 100 or more (born 1900)
    "191401682396",  # test samordningsnummer: day 08 + 60
    "640823-3234",
    "196408233234",
]


def _digit_runs(text: str) -> list[str]:
    return re.findall(r"\d{6,}", text)


# ---------------------------------------------------------------------------
# identity numbers
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("number", SKATTEVERKET_TEST_NUMBERS)
def test_skatteverket_test_numbers_detected(number):
    assert is_personnummer(number)
    assert is_personnummer(f"  {number} ")


@pytest.mark.parametrize("number", SKATTEVERKET_TEST_NUMBERS)
def test_every_wrong_check_digit_rejected(number):
    good = int(number[-1])
    for d in range(10):
        if d != good:
            assert not is_personnummer(number[:-1] + str(d)), number[:-1] + str(d)


def test_luhn_matches_skatteverket_worked_example():
    # SKV 704: 640823-323 -> check digit 4
    assert luhn_check_digit("640823323") == 4


@pytest.mark.parametrize(
    "nine",
    [
        "990229238",  # 29 February 1999 / 2099: no leap year in either century
        "901301238",  # month 13
        "900001238",  # month 00
        "900132238",  # 32 January
        "900100238",  # day 00
        "900160238",  # day 60: neither a date nor a samordningsnummer day (61-91)
        "900192238",  # samordningsnummer day 92 = 32nd
        "900231238",  # 31 February
    ],
)
def test_invalid_dates_rejected_even_with_valid_check_digit(nine):
    number = nine + str(luhn_check_digit(nine))
    assert not is_personnummer(number)
    assert not is_personnummer("19" + number)
    assert not find_identity_numbers(f"key {number} here")


def test_separator_rules():
    assert not is_personnummer("18900101+9802")  # "+" goes with 10 digits only
    assert not is_personnummer("9001-012385")
    assert not is_personnummer("90010123855")  # 11 digits
    assert not is_personnummer("")
    assert not is_personnummer(None)
    assert is_personnummer(201701012393)  # read as an int by a careless reader


def test_organisationsnummer_are_not_personnummer():
    # Bolagsverket 202100-5489, an aktiebolag 556016-0680: month digits >= 20.
    for org in ("202100-5489", "5560160680", "556016-0680"):
        assert not is_personnummer(org)


def test_found_inside_free_text_but_not_inside_longer_digit_runs():
    assert find_identity_numbers("ring 20170101-2393 imorgon") == ["1701012393"]
    assert find_identity_numbers("a,900101-2385;b") == ["9001012385"]
    assert find_identity_numbers("konto 99201701012393") == []
    assert find_identity_numbers("tel 070-174 06 05") == []


def test_identity_number_problems_lines_columns_and_message():
    df = pd.DataFrame(
        {
            "placement_id": ["p1", "p2", "p3", "p4"],
            "person_key": ["a1", "201701012393", "b2", "c3"],
            "referrer_id": ["af", "af", "af", "af"],
            "host_id": ["h", "h", "h", "h"],
            "gender": ["f", "m", "f", "m"],
            "comment": ["", "", "född 900101-2385", ""],  # extra column
            "_line": [2, 3, 5, 6],
        }
    )
    problems = identity_number_problems("placements.csv", df)
    assert [(p.file, p.line, p.column, p.message) for p in problems] == [
        ("placements.csv", 3, "person_key", IDENTITY_MESSAGE),
        ("placements.csv", 5, "comment", IDENTITY_MESSAGE),
    ]
    assert str(problems[0]) == (
        "placements.csv:3: person_key: looks like a personal identity number"
    )
    for p in problems:
        assert _digit_runs(str(p)) == []


def test_identity_number_problems_default_line_and_explicit_columns():
    df = pd.DataFrame({"actor_id": ["a", "b"], "name": ["A", "19121212-1212"]})
    (p,) = identity_number_problems("actors", df)
    assert (p.line, p.column) == (3, "name")
    assert identity_number_problems("actors", df, columns=["actor_id"]) == []


def test_org_nr_column_not_scanned():
    # An enskild firma's organisationsnummer is the owner's personnummer.
    df = pd.DataFrame({"actor_id": ["a"], "name": ["Firma A"], "org_nr": ["640823-3234"]})
    assert identity_number_problems("actors", df) == []


def test_identity_number_problems_integer_and_float_columns():
    df = pd.DataFrame({"person_key": [201701012393, 12], "x": [196408233234.0, 1.5]})
    cols = [(p.line, p.column) for p in identity_number_problems("placements", df)]
    assert cols == [(2, "person_key"), (2, "x")]


IN_TEXT = [
    "20170101-2393", "ring 201701012393 nu", "x900101-2385", "701063-2391",
    "\uff12\uff10\uff11\uff17\uff10\uff11\uff10\uff11-\uff12\uff13\uff19\uff13",  # full-width
    "\u0662\u0660\u0661\u0667\u0660\u0661\u0660\u0661\u0662\u0663\u0669\u0663",  # Arabic-Indic
    "Åsa 19121212-1212",
]
NOT_IN_TEXT = ["", "P0000233", "2021-01-17", "070-174 06 05", "konto 99201701012393",
               "Örebro", "1234567"]


def test_identity_candidates_cover_every_number_found():
    import pyarrow as pa

    from netsoc.privacy import identity_candidates

    cells = IN_TEXT + NOT_IN_TEXT + [None]
    assert all(find_identity_numbers(t) for t in IN_TEXT)
    assert not any(find_identity_numbers(t) for t in NOT_IN_TEXT)
    marked = identity_candidates(pa.chunked_array([cells[:5], cells[5:]]))
    assert marked.dtype == bool and len(marked) == len(cells)
    assert marked[: len(IN_TEXT)].all()
    # a cheap prefilter, not the test itself: plain ids and dates are not marked
    assert not marked[[1 + len(IN_TEXT), 2 + len(IN_TEXT), -1]].any()


def test_identity_number_problems_with_candidates_scan_only_those_rows():
    df = pd.DataFrame({"note": IN_TEXT + NOT_IN_TEXT, "id": NOT_IN_TEXT + IN_TEXT})
    everything = identity_number_problems("ties.csv", df)
    assert len(everything) == 2 * len(IN_TEXT)
    rows = np.zeros(len(df), dtype=bool)
    rows[[0, 3]] = True
    some = identity_number_problems("ties.csv", df, candidates={"note": rows})
    assert [(p.line, p.column) for p in some] == sorted(
        [(2, "note"), (5, "note")] + [(p.line, p.column) for p in everything if p.column == "id"])


# ---------------------------------------------------------------------------
# pseudonymisation
# ---------------------------------------------------------------------------

ACTORS = "actor_id,name,type\naf,Arbetsförmedlingen,arbetsformedlingen\nh1,Returbutiken,social_enterprise\n"
TIES = "respondent_id,alter_id,relation,note\naf,h1,referral,samtal 2014\n"


def _raw_study(tmp_path, placements: str, *, ties: str = TIES, bom: bool = True):
    d = tmp_path / "raw"
    d.mkdir()
    (d / "actors.csv").write_text(ACTORS, encoding="utf-8")
    (d / "ties.csv").write_text(ties, encoding="utf-8")
    (d / "placements.csv").write_bytes((b"\xef\xbb\xbf" if bom else b"") + placements.encode())
    return d


PLACEMENTS = (
    "placement_id;person_key;referrer_id;host_id;program\r\n"
    "1;20170101-2393;af;h1;praktik\r\n"
    "2;201701012393;af;h1;praktik\r\n"
    "3;anna-77;af;h1;\"arbets;traning\"\r\n"
)


def test_pseudonymize_replaces_keys_and_keeps_the_rest(tmp_path):
    raw = _raw_study(tmp_path, PLACEMENTS)
    key = tmp_path / "secret" / "netsoc.key"
    counts = pseudonymize_study(raw, tmp_path / "out", key)
    assert counts["key_created"] is True
    assert counts["files"] == 3
    assert counts["placements"] == 3
    assert counts["identity_numbers"] == 2
    assert stat.S_IMODE(os.stat(key).st_mode) == 0o600

    out = tmp_path / "out"
    for name in ("actors.csv", "ties.csv"):
        assert (out / name).read_bytes() == (raw / name).read_bytes()
    data = (out / "placements.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # BOM, separator and CRLF kept
    text = data[3:].decode()
    assert "\r\n" in text and ";" in text
    df = pd.read_csv(out / "placements.csv", sep=";", encoding="utf-8-sig", dtype=str)
    assert df["program"].tolist() == ["praktik", "praktik", "arbets;traning"]
    ids = df["person_key"].tolist()
    assert all(re.fullmatch(r"p[0-9a-f]{20}", i) for i in ids)
    # the two forms of the same personnummer are the same person
    assert ids[0] == ids[1] != ids[2]
    assert counts["person_keys"] == 3  # distinct raw keys
    # no output contains an identity number or the key
    key_hex = key.read_text().strip()
    for f in out.iterdir():
        body = f.read_bytes().decode("utf-8-sig")
        assert not find_identity_numbers(body)
        assert key_hex not in body


def test_hmac_stable_with_same_key_and_different_with_another(tmp_path):
    raw = _raw_study(tmp_path, PLACEMENTS)
    k1, k2 = tmp_path / "k1", tmp_path / "k2"
    pseudonymize_study(raw, tmp_path / "a", k1)
    pseudonymize_study(raw, tmp_path / "b", k1)  # reuses the existing key
    pseudonymize_study(raw, tmp_path / "c", k2)

    def keys(d):
        return pd.read_csv(d / "placements.csv", sep=";", encoding="utf-8-sig")["person_key"]

    a, b, c = keys(tmp_path / "a"), keys(tmp_path / "b"), keys(tmp_path / "c")
    assert a.tolist() == b.tolist()
    assert not set(a) & set(c)
    assert pseudonym("x", bytes(32)) == pseudonym(" x ", bytes(32)) != pseudonym("x", bytes(31) + b"\1")


def test_pseudonymize_refuses_key_inside_output(tmp_path):
    raw = _raw_study(tmp_path, PLACEMENTS)
    with pytest.raises(PrivacyError, match="key file"):
        pseudonymize_study(raw, tmp_path / "out", tmp_path / "out" / "k")
    with pytest.raises(PrivacyError, match="key file"):
        pseudonymize_study(raw, tmp_path / "out", raw / "k")


def test_pseudonymize_command_prints_counts_and_remaining_numbers(tmp_path, capsys):
    ties = TIES + "h1,af,information,ringde om 900101-2385\n"
    raw = _raw_study(tmp_path, PLACEMENTS, ties=ties, bom=False)
    parser = argparse.ArgumentParser(prog="netsoc")
    add_pseudonymize_command(parser.add_subparsers(dest="command"))
    args = parser.parse_args(
        ["pseudonymize", str(raw), str(tmp_path / "out"), "--key-file", str(tmp_path / "k")]
    )
    assert args.func(args) == 0
    out, err = capsys.readouterr()
    assert "3 placement(s)" in out and "2 of them personal identity numbers" in out
    assert "ties.csv:3: note: looks like a personal identity number" in err
    assert _digit_runs(out + err) == []
    # a second run into a non-empty folder is refused with status 1, no traceback
    assert args.func(args) == 1
    assert "not empty" in capsys.readouterr().err


def test_pseudonymize_workbook(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "actors"
    wb["actors"].append(["actor_id", "name", "type"])
    ws = wb.create_sheet("placements")
    ws.append(["placement_id", "person_key", "referrer_id", "host_id"])
    ws.append(["1", "189001019802", "af", "h1"])
    ws.append(["2", 189001019802, "af", "h1"])
    src = tmp_path / "study.xlsx"
    wb.save(src)
    counts = pseudonymize_study(src, tmp_path / "out", tmp_path / "k")
    assert counts["identity_numbers"] == 2
    got = openpyxl.load_workbook(tmp_path / "out" / "study.xlsx")["placements"]
    keys = [got.cell(row=r, column=2).value for r in (2, 3)]
    assert keys[0] == keys[1] and keys[0].startswith("p")


# ---------------------------------------------------------------------------
# small cells
# ---------------------------------------------------------------------------


def test_format_count():
    assert [format_count(n) for n in (0, 1, 4, 5, 17)] == ["0", "<5", "<5", "5", "17"]
    assert format_count(2, min_cell=3) == "<3"
    assert format_count(float("nan")) == ""


def test_total_would_reveal_single_suppressed_cell():
    # Published total 55: with only the 3 hidden, 55 - 12 - 40 = 3 gives it away.
    t = pd.DataFrame({"host": ["A", "B", "C"], "placements": [3, 12, 40]})
    out, n = suppress_counts(t, ["placements"])
    assert out["placements"].tolist() == ["<5", "..", 40]
    assert n == 2 and out.attrs["suppressed"] == {"primary": 1, "secondary": 1}
    assert t["placements"].tolist() == [3, 12, 40]  # input untouched
    # without published totals only the primary cell goes
    out, n = suppress_counts(t, ["placements"], totals=None)
    assert out["placements"].tolist() == ["<5", 12, 40] and n == 1


def test_two_way_table_with_row_and_column_totals():
    t = pd.DataFrame(
        {"f": [3, 8, 20], "m": [10, 2, 30], "x": [0, 6, 7]}, index=["A", "B", "C"]
    )
    out, n = suppress_counts(t, ["f", "m", "x"], totals="both")
    assert out.loc["A"].tolist() == ["<5", "..", 0]
    assert out.loc["B"].tolist() == ["..", "<5", 6]
    assert out.loc["C"].tolist() == [20, 30, 7]
    assert n == 4
    # every row and column hides zero or at least two cells
    hidden = out.isin(["<5", ".."])
    assert set(hidden.sum(axis=0)) <= {0, 2, 3} and set(hidden.sum(axis=1)) <= {0, 2, 3}


def test_small_total_needs_no_secondary_suppression():
    # the total 3 is itself published as "<5": nothing to subtract from
    out, n = suppress_counts(pd.DataFrame({"n": [0, 3, 0]}), ["n"])
    assert out["n"].tolist() == [0, "<5", 0] and n == 1


def test_line_with_only_zeros_besides_hides_the_zeros():
    # column a: 3 primary, 12 secondary; row 1 then shows 12 = its total, so its 0 goes too
    t = pd.DataFrame({"a": [3, 12], "b": [0, 0]})
    out, n = suppress_counts(t, ["a", "b"], totals="both")
    assert out["a"].tolist() == ["<5", ".."] and out["b"].tolist() == [0, ".."] and n == 3
    # a one-row column whose only cell was hidden cannot be protected inside the table
    out, _ = suppress_counts(pd.DataFrame({"a": [3], "b": [12]}), ["a", "b"], totals="both")
    assert out.attrs["exposed_totals"] == 1


def test_groups_published_elsewhere_are_lines_too():
    # kommun.csv publishes per-kommun sums: 0127 = 3 + 9 would give the 3 away
    t = pd.DataFrame(
        {"kommun_kod": ["0127", "0127", "0126", "0126"], "placements_hosted": [3, 9, 6, 30]}
    )
    out, n = suppress_counts(t, ["placements_hosted"], groups="kommun_kod")
    assert out["placements_hosted"].tolist() == ["<5", "..", 6, 30] and n == 2


def test_suppression_keeps_na_and_custom_min_cell():
    t = pd.DataFrame({"n": [None, 7, 2, 9]})
    out, n = suppress_counts(t, ["n"], min_cell=10, label="<10")
    assert pd.isna(out["n"].iloc[0])
    assert out["n"].tolist()[1:] == ["<10", "<10", "<10"] and n == 3


def test_aggregate_small_edges():
    G = nx.DiGraph()
    G.add_node("af", placements_referred=16)
    G.add_node("h1", placements_hosted=3)
    G.add_node("h2", placements_hosted=9)
    G.add_node("h3", placements_hosted=4)
    G.add_edge("af", "h1", weight=3)
    G.add_edge("af", "h2", weight=9)
    G.add_edge("af", "h3", weight=4)
    H = aggregate_small_edges(G)
    assert dict(H["af"]) == {
        "h2": {"weight": 9},
        "other_small_flows": {"weight": 7, "weight_label": "7"},
    }
    assert H.nodes["h1"]["placements_hosted"] == "<5"
    assert H.nodes["af"]["placements_referred"] == "16"
    assert H.graph["suppressed_edges"] == 2
    assert G["af"]["h1"]["weight"] == 3  # input untouched

    U = nx.Graph([("h1", "h2", {"weight": 2}), ("h2", "h3", {"weight": 6})])
    V = aggregate_small_edges(U)
    assert list(V.edges(data="weight")) == [("h2", "h3", 6)] and len(V) == 3


# ---------------------------------------------------------------------------
# output safety
# ---------------------------------------------------------------------------

HOSTILE = '=HYPERLINK("http://x","y")'


@pytest.mark.parametrize("value", [HOSTILE, "+1", "-1+2", "@SUM(A1)", "\tx", "\rx", "  =1+1"])
def test_safe_cell_prefixes_formula_starts(value):
    assert safe_cell(value) == "'" + value


def test_safe_cell_leaves_numbers_and_plain_text():
    for v in (-3, -2.5, 0, "Coompanion", "Röda Korset", None):
        assert safe_cell(v) == v or v is None


def test_formula_name_is_plain_text_in_xlsx(tmp_path):
    df = pd.DataFrame({"actor_id": ["x", "y"], "name": [HOSTILE, "Returbutiken"], "delta": [-3, 4]})
    # control: without safe_frame openpyxl stores the name as a formula
    raw = tmp_path / "raw.xlsx"
    df.to_excel(raw, index=False, engine="openpyxl")
    assert openpyxl.load_workbook(raw).active["B2"].data_type == "f"

    path = tmp_path / "tables.xlsx"
    safe_frame(df).to_excel(path, index=False, engine="openpyxl")
    ws = openpyxl.load_workbook(path).active
    assert ws["B2"].data_type != "f" and ws["B2"].data_type == "s"
    assert ws["B2"].value == "'" + HOSTILE
    assert ws["C2"].data_type == "n" and ws["C2"].value == -3  # numbers stay numbers


def test_safe_frame_csv_and_headers(tmp_path):
    df = pd.DataFrame({"name": ["@cmd", pd.NA], "=h": [1, 2]})
    out = safe_frame(df)
    assert list(out.columns) == ["name", "'=h"]
    assert out["name"].iloc[0] == "'@cmd" and pd.isna(out["name"].iloc[1])
    assert df["name"].iloc[0] == "@cmd"


@pytest.mark.parametrize(
    "name", ["../../etc/passwd", "/abs/path", "..", ".", "", "a/../../b", "C:\\x", "CON", "x\0y"]
)
def test_safe_path_stays_inside(tmp_path, name):
    p = safe_path(tmp_path, "graphs", name)
    assert p.resolve().is_relative_to(tmp_path.resolve())
    assert p.parent == tmp_path / "graphs"


def test_safe_path_refuses_symlink_escape(tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "out" / "graphs").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(PrivacyError):
        safe_path(tmp_path / "out", "graphs", "x.graphml")


def test_safe_filename_keeps_swedish_letters():
    assert safe_filename("Östra Södertörn") == "Östra_Södertörn"
    assert safe_filename("CON.csv") == "_CON.csv"


def test_unescaped_markup_helper():
    names = ['<script>alert("x")</script>', '<img src=x onerror="alert(1)">', "Åby & Co"]
    escaped = "<td>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</td><td>&lt;img src=x&gt;</td>"
    assert unescaped_markup(escaped, names) == []
    assert unescaped_markup("<td><script>alert(\"x\")</script></td>", names) == [names[0]]
    assert unescaped_markup('<td><img src=x onerror="alert(1)"></td>', names) == [names[1]]
