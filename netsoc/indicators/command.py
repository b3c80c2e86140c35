"""Register indicators per kommun from Kolada (RKA) and SCB's PxWeb API.

:func:`fetch_indicators` returns rows in the ``indicators.csv`` format of a
study (``kommun_kod, year, indicator, value, source``). Every HTTP answer is
cached on disk, keyed by method, URL and request body, so a second call for the
same data makes no request and a study can be rebuilt offline. Nothing here is
called at analysis time: ``netsoc fetch-indicators`` writes a CSV that the study
then reads like any other input.

Kolada (https://api.kolada.se/v3, v2 was retired) answers
``/data/kpi/<ids>/municipality/<ids>/year/<years>`` with::

    {"values": [{"kpi": "N01951", "municipality": "0127", "period": 2020,
                 "values": [{"gender": "T", "count": 1, "status": "", "value": 95000.0}]}],
     "count": 1, "next_url": "..."}

and pages with ``next_url`` (``next_page`` in v2; both are followed). SCB's
PxWeb API v1 takes a POSTed JSON query and answers in json-stat2.

References
----------
Kolada API description, https://github.com/Hypergene/kolada (routes, paging).
SCB, "API för Statistikdatabasen" (PxWeb API v1), and the JSON-stat 2.0 format,
https://json-stat.org/format/.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

KOLADA_URL = "https://api.kolada.se/v3"
PXWEB_URL = "https://api.scb.se/OV0104/v1/doris/sv/ssd"
DEFAULT_TIMEOUT = 30.0
#: Kolada refuses long year lists; long municipality lists make URLs too long.
KOLADA_YEARS_PER_REQUEST = 25
KOLADA_KOMMUNER_PER_REQUEST = 100
MAX_PAGES = 10_000

COLUMNS = ["kommun_kod", "year", "indicator", "value", "source"]


@dataclass(frozen=True)
class Kpi:
    """A curated Kolada key figure with labels in both report languages."""

    id: str
    sv: str
    en: str
    unit: str
    note: str = ""


#: Kolada KPIs relevant to work integration and the social economy.
#: Ids were checked against public code that queries Kolada (not against the
#: live API, which is unreachable from the build machine); ``note`` says how.
KPIS: dict[str, Kpi] = {
    k.id: k
    for k in (
        Kpi(
            "N01951",
            "Invånare totalt, antal",
            "Population, total",
            "persons",
            "id confirmed in several public Kolada clients",
        ),
        Kpi(
            "N03937",
            "Arbetslöshet 16–64 år, andel (%) av befolkningen",
            "Unemployment 16–64, share (%) of the population",
            "percent",
            "id confirmed as Arbetsförmedlingen's unemployment 16–64; title paraphrased",
        ),
        Kpi(
            "N31816",
            "Vuxna med långvarigt ekonomiskt bistånd, andel (%) av befolkningen",
            "Adults on long-term social assistance (ekonomiskt bistånd), share (%)",
            "percent",
            "id seen in one public Kolada catalogue extract; verify the title before publishing",
        ),
        Kpi(
            "N00957",
            "Ohälsotal, dagar per försäkrad",
            "Sickness absence (ohälsotal), days per insured person",
            "days",
            "id seen in one public Kolada dashboard; verify the title before publishing",
        ),
        Kpi(
            "N02797",
            "Invånare 16–24 år som varken arbetar eller studerar, andel (%)",
            "Young people 16–24 not in work or study (NEET), share (%)",
            "percent",
            "id confirmed by two independent public Kolada clients",
        ),
    )
}


class IndicatorError(Exception):
    """A fetch failed; ``str(err)`` is a one-line message for the user."""


# --------------------------------------------------------------------------- HTTP


def _urllib_request(method: str, url: str, body: bytes | None, timeout: float) -> bytes:
    headers = {"Accept": "application/json", "User-Agent": "netsoc (research package)"}
    if body is not None:
        headers["Content-Type"] = "application/json"
    req = urllib.request.Request(url, data=body, method=method, headers=headers)
    with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 (https only)
        return resp.read()


#: The one function that touches the network. Tests replace it with recorded
#: responses; it takes ``(method, url, body, timeout)`` and returns the body bytes.
http_request: Callable[[str, str, bytes | None, float], bytes] = _urllib_request


def _short(url: str, limit: int = 120) -> str:
    return url if len(url) <= limit else url[: limit - 3] + "..."


def _call(service: str, method: str, url: str, body: bytes | None, timeout: float) -> bytes:
    """Call :data:`http_request`, translating every failure into :class:`IndicatorError`."""
    try:
        return http_request(method, url, body, timeout)
    except urllib.error.HTTPError as err:
        hint = {
            400: "the query was refused (unknown code or too large a selection?)",
            403: "the query was refused (too many cells, or rate limit)",
            404: "no such resource (unknown table or KPI?)",
            429: "too many requests; wait a minute and try again",
        }.get(err.code, "the service is down or failing" if err.code >= 500 else "")
        raise IndicatorError(
            f"{service} answered HTTP {err.code} for {_short(url)}" + (f": {hint}" if hint else "")
        ) from None
    except TimeoutError:
        raise IndicatorError(
            f"{service} did not answer within {timeout:g} s ({_short(url)}); try again later "
            "or raise --timeout"
        ) from None
    except urllib.error.URLError as err:
        reason = getattr(err, "reason", err)
        if isinstance(reason, TimeoutError):
            raise IndicatorError(
                f"{service} did not answer within {timeout:g} s ({_short(url)})"
            ) from None
        raise IndicatorError(f"cannot reach {service} ({reason}); check the network") from None
    except OSError as err:
        raise IndicatorError(f"cannot reach {service} ({err})") from None


# -------------------------------------------------------------------------- cache


def default_cache_dir() -> Path:
    """``$NETSOC_CACHE/indicators``, else ``$XDG_CACHE_HOME`` or ``~/.cache``."""
    root = os.environ.get("NETSOC_CACHE")
    if root:
        return Path(root) / "indicators"
    xdg = os.environ.get("XDG_CACHE_HOME")
    return Path(xdg or Path.home() / ".cache") / "netsoc" / "indicators"


def cache_key(method: str, url: str, body: bytes | None) -> str:
    """Stable key of one request: sha256 of method, URL and body."""
    h = hashlib.sha256()
    h.update(method.upper().encode())
    h.update(b"\n")
    h.update(url.encode())
    h.update(b"\n")
    h.update(body or b"")
    return h.hexdigest()


def _atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _get_json(
    service: str,
    method: str,
    url: str,
    body: bytes | None,
    *,
    cache_dir: Path | None,
    timeout: float,
    validate: Callable[[object], None] | None = None,
) -> object:
    """Fetch and parse one JSON answer, through the disk cache.

    ``validate`` raises :class:`IndicatorError` for an answer of the wrong shape;
    only answers that parse and validate are cached.
    """
    path = None
    if cache_dir is not None:
        path = Path(cache_dir) / f"{cache_key(method, url, body)}.json"
        if path.exists():
            try:
                obj = json.loads(path.read_bytes().decode("utf-8-sig"))
                if validate is not None:
                    validate(obj)
                return obj
            except (UnicodeDecodeError, json.JSONDecodeError, IndicatorError):
                path.unlink(missing_ok=True)  # a damaged cache entry is refetched
    raw = _call(service, method, url, body, timeout)
    try:
        obj = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise IndicatorError(
            f"{service} sent an answer that is not valid JSON ({err.__class__.__name__} at "
            f"{_short(url)}); the service may be down"
        ) from None
    if validate is not None:
        validate(obj)
    if path is not None:
        _atomic_write_bytes(path, raw)
    return obj


# ------------------------------------------------------------------------- Kolada


def _chunks(seq: Sequence, n: int) -> list[Sequence]:
    return [seq[i : i + n] for i in range(0, len(seq), n)] or [seq]


def _kolada_shape(url: str) -> Callable[[object], None]:
    def check(obj: object) -> None:
        if not isinstance(obj, dict) or not isinstance(obj.get("values"), list):
            raise IndicatorError(
                f"Kolada answer has no 'values' list ({_short(url)}); the API may have changed"
            )

    return check


def _kolada_pages(url: str, **kw) -> Iterable[list]:
    """Yield the ``values`` list of every page, following ``next_url``/``next_page``."""
    seen = set()
    pages = 0
    while url:
        if url in seen or pages >= MAX_PAGES:
            raise IndicatorError(f"Kolada paging does not end (at {_short(url)})")
        seen.add(url)
        pages += 1
        obj = _get_json("Kolada", "GET", url, None, validate=_kolada_shape(url), **kw)
        yield obj["values"]
        nxt = obj.get("next_url") or obj.get("next_page")
        url = urllib.parse.urljoin(url, nxt) if nxt else None


def kolada_kpi_metadata(
    kpis: Sequence[str],
    *,
    base_url: str = KOLADA_URL,
    cache_dir: Path | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> dict[str, dict]:
    """Kolada's metadata for ``kpis`` by id; raises for ids Kolada does not know."""
    out: dict[str, dict] = {}
    for chunk in _chunks(list(kpis), 50):
        url = f"{base_url}/kpi/{','.join(chunk)}"
        for values in _kolada_pages(url, cache_dir=cache_dir, timeout=timeout):
            for v in values:
                if isinstance(v, dict) and "id" in v:
                    out[str(v["id"])] = v
    unknown = [k for k in kpis if k not in out]
    if unknown:
        hint = ", ".join(unknown)
        raise IndicatorError(
            f"unknown Kolada KPI: {hint} (not in Kolada's KPI list; search ids at kolada.se)"
        )
    return out


def parse_kolada_data(values: list, *, gender: str = "T") -> pd.DataFrame:
    """Rows ``kommun_kod, year, indicator, value`` from Kolada data objects.

    Only the ``gender`` breakdown (``T`` = total) is kept; missing values
    (``null``) give no row.
    """
    rows = []
    for obj in values:
        try:
            kpi = str(obj["kpi"])
            muni = str(obj["municipality"])
            year = int(obj["period"])
            entries = obj["values"]
        except (KeyError, TypeError, ValueError):
            raise IndicatorError(
                f"Kolada data object without kpi/municipality/period/values: {str(obj)[:80]}"
            ) from None
        for e in entries:
            if not isinstance(e, dict) or e.get("gender", "T") != gender:
                continue
            if e.get("value") is None:
                continue
            try:
                value = float(e["value"])
            except (TypeError, ValueError):
                raise IndicatorError(
                    f"Kolada value for {kpi} {muni} {year} is not a number: {e['value']!r}"
                ) from None
            rows.append((muni, year, kpi, value))
    return pd.DataFrame(rows, columns=["kommun_kod", "year", "indicator", "value"])


def fetch_kolada(
    kpis: Sequence[str],
    kommuner: Sequence[str],
    years: Sequence[int],
    *,
    base_url: str = KOLADA_URL,
    cache_dir: Path | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    gender: str = "T",
) -> pd.DataFrame:
    """Fetch Kolada KPIs for kommuner and years (see :func:`fetch_indicators`)."""
    kw = dict(cache_dir=cache_dir, timeout=timeout)
    kolada_kpi_metadata(kpis, base_url=base_url, **kw)
    frames = []
    kpi_part = ",".join(kpis)
    for ys in _chunks(sorted(set(years)), KOLADA_YEARS_PER_REQUEST):
        for ks in _chunks(list(kommuner), KOLADA_KOMMUNER_PER_REQUEST):
            url = (
                f"{base_url}/data/kpi/{kpi_part}/municipality/{','.join(ks)}"
                f"/year/{','.join(str(y) for y in ys)}"
            )
            for values in _kolada_pages(url, **kw):
                frames.append(parse_kolada_data(values, gender=gender))
    df = pd.concat(frames, ignore_index=True) if frames else _empty()
    df["source"] = "Kolada (RKA): " + df["indicator"].astype(str)
    return df


# ------------------------------------------------------------------------- PxWeb


@dataclass(frozen=True)
class PxTable:
    """One SCB PxWeb table variable to fetch per kommun and year.

    Parameters
    ----------
    path : str
        Table path below the database root, e.g. ``"BE/BE0101/BE0101A/BefolkningNy"``.
    contents : str
        The ``ContentsCode`` value (the measure), e.g. ``"BE0101N1"``.
    filters : dict
        Other variables, code -> one value (e.g. ``{"Kon": ("1",)}``). Variables
        left out are eliminated (summed) by SCB where the table allows it.
    indicator : str, optional
        Name in ``indicators.csv``; default ``"<table>.<contents>"``.
    """

    path: str
    contents: str
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    indicator: str | None = None
    region_var: str = "Region"
    time_var: str = "Tid"

    @property
    def name(self) -> str:
        return self.indicator or f"{self.path.rstrip('/').split('/')[-1]}.{self.contents}"

    @classmethod
    def parse(cls, spec: str) -> PxTable:
        """Parse ``scb:<path>:<ContentsCode>[:<Var>=<v>[,<v>]]...[:as=<name>]``.

        >>> PxTable.parse("scb:BE/BE0101/BE0101A/BefolkningNy:BE0101N1:Alder=tot").name
        'BefolkningNy.BE0101N1'
        """
        body = spec[4:] if spec.lower().startswith("scb:") else spec
        parts = body.split(":")
        if len(parts) < 2 or not parts[0] or not parts[1]:
            raise IndicatorError(
                f"cannot read SCB table spec {spec!r}; expected scb:<table path>:<ContentsCode>"
            )
        filters: dict[str, tuple[str, ...]] = {}
        name = None
        for p in parts[2:]:
            k, sep, v = p.partition("=")
            if not sep or not k:
                raise IndicatorError(f"cannot read {p!r} in {spec!r}; expected Var=value")
            if k == "as":
                name = v
            else:
                filters[k] = tuple(x for x in v.split(",") if x)
        return cls(parts[0].strip("/"), parts[1], filters, name)

    def query(self, kommuner: Sequence[str], years: Sequence[int]) -> dict:
        q = [
            {"code": self.region_var, "selection": {"filter": "item", "values": list(kommuner)}},
            {"code": "ContentsCode", "selection": {"filter": "item", "values": [self.contents]}},
            {
                "code": self.time_var,
                "selection": {"filter": "item", "values": [str(y) for y in years]},
            },
        ]
        for code, vals in self.filters.items():
            q.append({"code": code, "selection": {"filter": "item", "values": list(vals)}})
        return {"query": q, "response": {"format": "json-stat2"}}


def _category_codes(dim: dict, name: str) -> list[str]:
    index = dim.get("category", {}).get("index")
    if isinstance(index, list):
        return [str(c) for c in index]
    if isinstance(index, dict):
        return [str(c) for c, _ in sorted(index.items(), key=lambda kv: kv[1])]
    labels = dim.get("category", {}).get("label")
    if isinstance(labels, dict) and len(labels) == 1:
        return [str(next(iter(labels)))]
    raise IndicatorError(f"json-stat dimension {name!r} has no category index")


def parse_jsonstat2(
    obj: dict, *, indicator: str, region_var: str = "Region", time_var: str = "Tid"
) -> pd.DataFrame:
    """Rows ``kommun_kod, year, indicator, value`` from a json-stat2 dataset.

    Values are stored row-major over ``id`` (the last dimension varies fastest).
    Every dimension other than region and time must have a single category, so
    each kommun and year gets one value. Missing values (``null``) give no row.
    """
    try:
        ids = list(obj["id"])
        sizes = [int(s) for s in obj["size"]]
        dims = obj["dimension"]
        values = obj["value"]
    except (KeyError, TypeError, ValueError):
        raise IndicatorError("SCB answer is not a json-stat2 dataset (no id/size/value)") from None
    if len(ids) != len(sizes):
        raise IndicatorError("SCB json-stat2 answer: id and size differ in length")
    for need in (region_var, time_var):
        if need not in ids:
            raise IndicatorError(
                f"SCB table has no variable {need!r} (has {', '.join(ids)}); "
                "set region_var/time_var"
            )
    codes = {d: _category_codes(dims[d], d) for d in ids}
    for d, s in zip(ids, sizes, strict=True):
        if len(codes[d]) != s:
            raise IndicatorError(f"SCB json-stat2 answer: dimension {d!r} size mismatch")
        if d not in (region_var, time_var) and s != 1:
            raise IndicatorError(
                f"SCB answer has {s} values of {d!r}; select one (e.g. {d}={codes[d][0]}) "
                "or leave it out to let SCB sum it"
            )
    total = 1
    for s in sizes:
        total *= s
    if isinstance(values, dict):  # sparse form: {"position": value}
        dense = [None] * total
        for k, v in values.items():
            dense[int(k)] = v
        values = dense
    if len(values) != total:
        raise IndicatorError(f"SCB json-stat2 answer has {len(values)} values, expected {total}")
    strides = [1] * len(sizes)
    for i in range(len(sizes) - 2, -1, -1):
        strides[i] = strides[i + 1] * sizes[i + 1]
    ri, ti = ids.index(region_var), ids.index(time_var)
    rows = []
    for pos, v in enumerate(values):
        if v is None:
            continue
        region = codes[region_var][(pos // strides[ri]) % sizes[ri]]
        period = codes[time_var][(pos // strides[ti]) % sizes[ti]]
        rows.append((region, _year(period), indicator, float(v)))
    return pd.DataFrame(rows, columns=["kommun_kod", "year", "indicator", "value"])


def parse_pxweb_json(
    obj: dict, *, indicator: str, region_var: str = "Region", time_var: str = "Tid"
) -> pd.DataFrame:
    """Rows from PxWeb's plain ``json`` format (``columns`` + ``data`` with ``key``/``values``)."""
    try:
        cols = [c["code"] for c in obj["columns"] if c.get("type") != "c"]
        data = obj["data"]
    except (KeyError, TypeError):
        raise IndicatorError("SCB answer has no columns/data") from None
    if region_var not in cols or time_var not in cols:
        raise IndicatorError(f"SCB table has no {region_var!r}/{time_var!r} variable")
    ri, ti = cols.index(region_var), cols.index(time_var)
    rows = []
    seen = set()
    for rec in data:
        key, vals = rec["key"], rec["values"]
        kk = (key[ri], key[ti])
        if kk in seen:
            raise IndicatorError(
                "SCB answer has several values per kommun and year; select one value "
                "of every other variable"
            )
        seen.add(kk)
        v = vals[0]
        if v in ("..", ".", "-", "", None):  # PxWeb's symbols for missing/suppressed
            continue
        rows.append((key[ri], _year(key[ti]), indicator, float(v)))
    return pd.DataFrame(rows, columns=["kommun_kod", "year", "indicator", "value"])


def _year(period: str) -> int:
    if not re.fullmatch(r"\d{4}", str(period)):
        raise IndicatorError(
            f"SCB period {period!r} is not a year; only annual tables are supported"
        )
    return int(period)


def fetch_pxweb(
    table: PxTable,
    kommuner: Sequence[str],
    years: Sequence[int],
    *,
    base_url: str = PXWEB_URL,
    cache_dir: Path | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> pd.DataFrame:
    """Fetch one SCB table variable for kommuner and years (POST, json-stat2)."""
    url = f"{base_url}/{table.path}"
    body = json.dumps(table.query(kommuner, sorted(set(years))), sort_keys=True).encode()
    def shape(obj: object) -> None:
        if not isinstance(obj, dict) or not ("columns" in obj or "value" in obj):
            raise IndicatorError(f"SCB answer for {table.path} is not a PxWeb dataset")

    obj = _get_json(
        "SCB PxWeb", "POST", url, body, cache_dir=cache_dir, timeout=timeout, validate=shape
    )
    kw = dict(indicator=table.name, region_var=table.region_var, time_var=table.time_var)
    df = parse_pxweb_json(obj, **kw) if "columns" in obj else parse_jsonstat2(obj, **kw)
    df["source"] = f"SCB PxWeb: {table.path} {table.contents}"
    return df


# ------------------------------------------------------------------------ public


def _empty() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "kommun_kod": pd.Series(dtype="object"),
            "year": pd.Series(dtype="int64"),
            "indicator": pd.Series(dtype="object"),
            "value": pd.Series(dtype="float64"),
        }
    )


def parse_years(spec: str | int | Iterable) -> list[int]:
    """Years from ``2015-2024``, ``2015,2017`` or an iterable of ints.

    >>> parse_years("2019-2021")
    [2019, 2020, 2021]
    """
    if isinstance(spec, int):
        return [spec]
    if isinstance(spec, str):
        out: list[int] = []
        for part in spec.split(","):
            part = part.strip()
            m = re.fullmatch(r"(\d{4})\s*[-–]\s*(\d{4})", part)
            if m:
                a, b = int(m.group(1)), int(m.group(2))
                if a > b:
                    raise IndicatorError(f"year range {part!r} runs backwards")
                out.extend(range(a, b + 1))
            elif re.fullmatch(r"\d{4}", part):
                out.append(int(part))
            else:
                raise IndicatorError(f"cannot read years {spec!r}; use e.g. 2015-2024")
        return sorted(set(out))
    return sorted({int(y) for y in spec})


def _check_kommuner(kommuner: Iterable[str]) -> list[str]:
    out = []
    for k in kommuner:
        k = str(k).strip()
        if re.fullmatch(r"\d{3}", k):
            k = "0" + k  # Excel drops the leading zero of Stockholm län codes
        if not re.fullmatch(r"\d{4}", k):
            raise IndicatorError(f"kommun code {k!r} is not a 4-digit SCB code (e.g. 0127)")
        out.append(k)
    if not out:
        raise IndicatorError("no kommun given; pass at least one --kommun")
    return list(dict.fromkeys(out))


def fetch_indicators(
    kpis: Iterable[str | PxTable],
    kommuner: Iterable[str],
    years: str | Iterable[int],
    cache_dir: str | Path | None = None,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    kolada_url: str = KOLADA_URL,
    pxweb_url: str = PXWEB_URL,
    use_cache: bool = True,
) -> pd.DataFrame:
    """Fetch register indicators per kommun and year in ``indicators.csv`` format.

    Parameters
    ----------
    kpis : iterable of str or PxTable
        Kolada KPI ids (``"N01951"``; see :data:`KPIS`) and/or SCB tables, as
        :class:`PxTable` or ``"scb:<path>:<ContentsCode>[:Var=value]..."``.
    kommuner : iterable of str
        4-digit SCB kommun codes.
    years : str or iterable of int
        ``"2015-2024"`` or years.
    cache_dir : path, optional
        Disk cache (default :func:`default_cache_dir`). Cached answers are reused
        without a request; pass ``use_cache=False`` to bypass it.
    timeout : float
        Seconds per request.

    Returns
    -------
    DataFrame
        ``kommun_kod, year, indicator, value, source`` sorted by indicator,
        kommun and year. Kolada rows are the gender total (``T``).

    Raises
    ------
    IndicatorError
        One-line message on timeouts, HTTP errors, unknown KPIs or malformed answers.

    Examples
    --------
    >>> df = fetch_indicators(["N01951"], ["0127"], "2020-2022")  # doctest: +SKIP
    >>> df.columns.tolist()  # doctest: +SKIP
    ['kommun_kod', 'year', 'indicator', 'value', 'source']
    """
    ks = _check_kommuner(kommuner)
    ys = parse_years(years)
    if not ys:
        raise IndicatorError("no years given")
    kolada, px = [], []
    for k in kpis:
        if isinstance(k, PxTable):
            px.append(k)
        elif str(k).lower().startswith("scb:"):
            px.append(PxTable.parse(str(k)))
        else:
            kid = str(k).strip().upper()
            if not re.fullmatch(r"[A-Z]\d{5}", kid):
                raise IndicatorError(
                    f"{k!r} is not a Kolada KPI id (like N01951) or an SCB spec (scb:...)"
                )
            kolada.append(kid)
    kolada = list(dict.fromkeys(kolada))
    if not kolada and not px:
        raise IndicatorError("no indicator given; pass at least one --kpi")
    cdir = None
    if use_cache:
        cdir = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    frames = []
    if kolada:
        frames.append(
            fetch_kolada(kolada, ks, ys, base_url=kolada_url, cache_dir=cdir, timeout=timeout)
        )
    for t in px:
        frames.append(fetch_pxweb(t, ks, ys, base_url=pxweb_url, cache_dir=cdir, timeout=timeout))
    df = pd.concat(frames, ignore_index=True)
    # keep only what was asked: Kolada answers group ids (e.g. riket) when given
    df = df[df["kommun_kod"].isin(ks) & df["year"].isin(ys)]
    df = df.drop_duplicates(["kommun_kod", "year", "indicator"], keep="first")
    df = df.sort_values(["indicator", "kommun_kod", "year"], kind="mergesort")
    df["year"] = df["year"].astype("int64")
    df["value"] = df["value"].astype("float64")
    return df[COLUMNS].reset_index(drop=True)


def write_indicators(df: pd.DataFrame, path: str | Path) -> Path:
    """Write ``indicators.csv`` atomically (temporary file, then rename)."""
    path = Path(path)
    data = df[COLUMNS].to_csv(index=False, lineterminator="\n").encode("utf-8")
    _atomic_write_bytes(path, data)
    return path


def kpi_table(lang: str = "en") -> pd.DataFrame:
    """The curated :data:`KPIS` as a table (id, label, unit, note)."""
    return pd.DataFrame(
        [(k.id, getattr(k, lang), k.unit, k.note) for k in KPIS.values()],
        columns=["id", "label", "unit", "note"],
    )


# --------------------------------------------------------------------------- CLI


def add_commands(subparsers) -> None:
    """Add ``fetch-indicators`` to an argparse subparsers object."""
    p = subparsers.add_parser(
        "fetch-indicators",
        help="fetch kommun indicators from Kolada / SCB into indicators.csv",
        description=(
            "Fetch register indicators per kommun from Kolada (RKA) and SCB PxWeb into "
            "indicators.csv. Curated Kolada KPIs: "
            + "; ".join(f"{k.id} {k.en}" for k in KPIS.values())
        ),
    )
    p.add_argument("out", metavar="OUT.csv", help="indicators.csv to write")
    p.add_argument(
        "--kpi",
        action="append",
        default=[],
        help="Kolada KPI id (repeatable) or scb:<table path>:<ContentsCode>[:Var=value]",
    )
    p.add_argument("--kommun", action="append", default=[], help="4-digit kommun code (repeatable)")
    p.add_argument("--years", default="2015-2024", help="e.g. 2015-2024 or 2019,2021")
    p.add_argument("--cache-dir", default=None, help="cache folder (default ~/.cache/netsoc)")
    p.add_argument("--no-cache", action="store_true", help="do not read or write the cache")
    p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds per request")
    p.add_argument("--list-kpis", action="store_true", help="print the curated KPIs and exit")
    p.set_defaults(func=cmd_fetch_indicators)


def cmd_fetch_indicators(args: argparse.Namespace) -> int:
    """Run ``fetch-indicators``; returns the exit status."""
    if getattr(args, "list_kpis", False):
        for k in KPIS.values():
            print(f"{k.id}\t{k.sv}\t{k.en}")
        return 0
    kommuner = [k for arg in args.kommun for k in arg.split(",") if k]
    try:
        df = fetch_indicators(
            args.kpi,
            kommuner,
            args.years,
            cache_dir=args.cache_dir,
            timeout=args.timeout,
            use_cache=not args.no_cache,
        )
        write_indicators(df, args.out)
    except IndicatorError as err:
        print(f"netsoc fetch-indicators: error: {err}", file=sys.stderr)
        return 1
    except OSError as err:
        print(f"netsoc fetch-indicators: error: cannot write {args.out}: {err}", file=sys.stderr)
        return 1
    n_ind = df["indicator"].nunique()
    print(f"wrote {len(df)} rows ({n_ind} indicators, {df['kommun_kod'].nunique()} kommuner) "
          f"to {args.out}")
    return 0
