"""fetch_indicators against hand-recorded Kolada and PxWeb answers (no network)."""

from __future__ import annotations

import argparse
import json
import urllib.error
from pathlib import Path

import pandas as pd
import pytest

from netsoc import indicators as ind

FIX = Path(__file__).parent / "fixtures"
K = "https://api.kolada.se/v3"
DATA = f"{K}/data/kpi/N01951,N03937/municipality/0127,0583/year/2021,2022"
PX = "https://api.scb.se/OV0104/v1/doris/sv/ssd/BE/BE0101/BE0101A/BefolkningNy"
SPEC = "scb:BE/BE0101/BE0101A/BefolkningNy:BE0101N1:Alder=tot"


class FakeHTTP:
    """Serves recorded files by URL and counts requests."""

    def __init__(self, routes: dict[str, object]):
        self.routes = routes
        self.calls: list[tuple[str, str, bytes | None]] = []

    def __call__(self, method, url, body, timeout):
        self.calls.append((method, url, body))
        answer = self.routes.get(url)
        if answer is None:
            raise urllib.error.HTTPError(url, 404, "Not Found", {}, None)
        if isinstance(answer, BaseException):
            raise answer
        if isinstance(answer, bytes):
            return answer
        return (FIX / answer).read_bytes()


@pytest.fixture
def kolada_routes():
    return {
        f"{K}/kpi/N01951,N03937": "kolada/kpi_N01951_N03937.json",
        DATA: "kolada/data_page1.json",
        f"{DATA}?page=2&per_page=3": "kolada/data_page2.json",
        f"{K}/kpi/N99999": "kolada/kpi_N99999.json",
        PX: "pxweb/BefolkningNy_jsonstat2.json",
    }


def test_kolada_parsing_and_paging(tmp_path, monkeypatch, kolada_routes):
    http = FakeHTTP(kolada_routes)
    monkeypatch.setattr(ind.client, "http_request", http)
    df = ind.fetch_indicators(["N01951", "N03937"], ["0127", "0583"], "2021-2022", tmp_path)
    assert df.columns.tolist() == ind.COLUMNS
    # both pages were read: 4 population rows + 1 unemployment row (Motala's null dropped)
    assert len(df) == 5
    got = df.set_index(["indicator", "kommun_kod", "year"])["value"]
    # values as written in the recorded answers (gender T = total, not K or M)
    assert got[("N01951", "0127", 2021)] == 95416.0
    assert got[("N01951", "0583", 2022)] == 43652.0  # from page 2
    assert got[("N03937", "0127", 2022)] == 8.3
    assert ("N03937", "0583", 2022) not in got.index
    assert set(df["source"]) == {"Kolada (RKA): N01951", "Kolada (RKA): N03937"}
    assert df["kommun_kod"].map(type).eq(str).all() and df["year"].dtype == "int64"
    urls = [u for _, u, _ in http.calls]
    assert urls == [f"{K}/kpi/N01951,N03937", DATA, f"{DATA}?page=2&per_page=3"]


def test_cache_second_call_makes_no_request(tmp_path, monkeypatch, kolada_routes):
    http = FakeHTTP(kolada_routes)
    monkeypatch.setattr(ind.client, "http_request", http)
    a = ind.fetch_indicators(["N01951", "N03937"], ["0127", "0583"], [2021, 2022], tmp_path)
    n = len(http.calls)
    assert n == 3 and len(list(tmp_path.glob("*.json"))) == 3

    def no_network(*a, **k):
        raise AssertionError("the second call must be served from the cache")

    monkeypatch.setattr(ind.client, "http_request", no_network)
    b = ind.fetch_indicators(["N01951", "N03937"], ["0127", "0583"], [2021, 2022], tmp_path)
    pd.testing.assert_frame_equal(a, b)
    # the cache is keyed by body too: a different POST body is a different entry
    assert ind.cache_key("POST", PX, b"x") != ind.cache_key("POST", PX, b"y")


def test_pxweb_jsonstat2(tmp_path, monkeypatch, kolada_routes):
    http = FakeHTTP(kolada_routes)
    monkeypatch.setattr(ind.client, "http_request", http)
    df = ind.fetch_indicators([SPEC], ["0127", "0583"], "2021-2022", tmp_path)
    assert len(http.calls) == 1
    method, url, body = http.calls[0]
    assert method == "POST" and url == PX
    q = json.loads(body)
    assert q["response"] == {"format": "json-stat2"}
    sel = {x["code"]: x["selection"]["values"] for x in q["query"]}
    assert sel == {
        "Region": ["0127", "0583"],
        "ContentsCode": ["BE0101N1"],
        "Tid": ["2021", "2022"],
        "Alder": ["tot"],
    }
    got = df.set_index(["kommun_kod", "year"])["value"].to_dict()
    # row-major over id = [Region, Alder, ContentsCode, Tid]; last cell null
    assert got == {("0127", 2021): 95416.0, ("0127", 2022): 96072.0, ("0583", 2021): 43571.0}
    assert set(df["indicator"]) == {"BefolkningNy.BE0101N1"}
    assert df["source"].iloc[0] == "SCB PxWeb: BE/BE0101/BE0101A/BefolkningNy BE0101N1"


def test_pxweb_plain_json_matches_jsonstat2():
    js = json.loads((FIX / "pxweb/BefolkningNy_jsonstat2.json").read_text())
    pj = json.loads((FIX / "pxweb/BefolkningNy_json.json").read_text())
    a = ind.parse_jsonstat2(js, indicator="pop")
    b = ind.parse_pxweb_json(pj, indicator="pop")
    pd.testing.assert_frame_equal(a, b)


def test_jsonstat2_strides_with_region_last():
    # the same numbers laid out with Tid before Region: parsing must follow `id`
    obj = {
        "id": ["Tid", "Region"],
        "size": [2, 2],
        "dimension": {
            "Tid": {"category": {"index": ["2021", "2022"]}},
            "Region": {"category": {"index": {"0127": 0, "0583": 1}}},
        },
        "value": [1.0, 2.0, 3.0, 4.0],
    }
    got = ind.parse_jsonstat2(obj, indicator="x").set_index(["kommun_kod", "year"])["value"]
    assert got[("0583", 2021)] == 2.0 and got[("0127", 2022)] == 3.0


def test_jsonstat2_refuses_unselected_dimension():
    js = json.loads((FIX / "pxweb/BefolkningNy_jsonstat2.json").read_text())
    js["size"][1] = 2
    js["dimension"]["Alder"]["category"]["index"] = {"0": 0, "1": 1}
    js["value"] = js["value"] * 2
    with pytest.raises(ind.IndicatorError, match="select one"):
        ind.parse_jsonstat2(js, indicator="x")


def test_unknown_kpi(tmp_path, monkeypatch, kolada_routes):
    monkeypatch.setattr(ind.client, "http_request", FakeHTTP(kolada_routes))
    with pytest.raises(ind.IndicatorError, match="unknown Kolada KPI: N99999"):
        ind.fetch_indicators(["N99999"], ["0127"], "2021", tmp_path)


@pytest.mark.parametrize(
    "exc, pattern",
    [
        (TimeoutError("timed out"), "did not answer within 5 s"),
        (urllib.error.URLError(TimeoutError("timed out")), "did not answer within 5 s"),
        (urllib.error.URLError(OSError("Name or service not known")), "cannot reach Kolada"),
        (urllib.error.HTTPError(K, 503, "Service Unavailable", {}, None), "HTTP 503.*down"),
        (b"<html>502 Bad Gateway</html>", "not valid JSON"),
        (b'{"count": 1}', "no 'values' list"),
    ],
)
def test_errors_are_one_line_and_nothing_cached(tmp_path, monkeypatch, exc, pattern):
    monkeypatch.setattr(ind.client, "http_request", FakeHTTP({f"{K}/kpi/N01951": exc}))
    with pytest.raises(ind.IndicatorError, match=pattern) as info:
        ind.fetch_indicators(["N01951"], ["0127"], "2021", tmp_path / "c", timeout=5)
    assert "\n" not in str(info.value)
    cached = list((tmp_path / "c").glob("*")) if (tmp_path / "c").exists() else []
    assert cached == []  # a failed or malformed answer is never cached


def test_bad_arguments():
    with pytest.raises(ind.IndicatorError, match="4-digit"):
        ind.fetch_indicators(["N01951"], ["Botkyrka"], "2021")
    with pytest.raises(ind.IndicatorError, match="not a Kolada KPI id"):
        ind.fetch_indicators(["population"], ["0127"], "2021")
    with pytest.raises(ind.IndicatorError, match="runs backwards"):
        ind.parse_years("2024-2015")
    assert ind.parse_years("2019-2021,2023") == [2019, 2020, 2021, 2023]


def _run_cli(argv):
    parser = argparse.ArgumentParser(prog="netsoc")
    ind.add_commands(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    return args.func(args)


def test_cli_writes_csv(tmp_path, monkeypatch, kolada_routes, capsys):
    monkeypatch.setattr(ind.client, "http_request", FakeHTTP(kolada_routes))
    out = tmp_path / "indicators.csv"
    argv = ["fetch-indicators", str(out), "--kpi", "N01951", "--kpi", "N03937",
            "--kommun", "0127", "--kommun", "0583", "--years", "2021-2022",
            "--cache-dir", str(tmp_path / "cache")]
    assert _run_cli(argv) == 0
    back = pd.read_csv(out, dtype={"kommun_kod": str})
    assert back.columns.tolist() == ind.COLUMNS and len(back) == 5
    assert back["kommun_kod"].tolist()[0] == "0127"


def test_cli_error_leaves_nothing_half_written(tmp_path, monkeypatch, capsys):
    out = tmp_path / "indicators.csv"
    out.write_text("old content\n")
    monkeypatch.setattr(ind.client, "http_request", FakeHTTP({}))  # everything 404
    argv = ["fetch-indicators", str(out), "--kpi", "N01951", "--kommun", "0127",
            "--no-cache"]
    assert _run_cli(argv) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "error: Kolada answered HTTP 404" in err
    assert out.read_text() == "old content\n"  # untouched
    assert [p.name for p in tmp_path.iterdir()] == ["indicators.csv"]  # no temp files left


def test_curated_kpis_have_both_labels():
    assert {"N01951", "N03937"} <= set(ind.KPIS)
    for k in ind.KPIS.values():
        assert k.sv and k.en and k.note
