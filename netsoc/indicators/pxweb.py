"""SCB PxWeb client: table specs, json-stat2 and PxWeb json parsing, fetching.

SCB's PxWeb API v1 takes a POSTed JSON query (:meth:`PxTable.query`) and
answers in json-stat2 (:func:`parse_jsonstat2`); the plain PxWeb ``json``
format is read too (:func:`parse_pxweb_json`).

References
----------
SCB, "API för Statistikdatabasen" (PxWeb API v1), and the JSON-stat 2.0 format,
https://json-stat.org/format/.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from netsoc.indicators.client import DEFAULT_TIMEOUT, IndicatorError, _get_json

PXWEB_URL = "https://api.scb.se/OV0104/v1/doris/sv/ssd"


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
