"""Kolada (RKA) client: the curated KPIs, paging, parsing, fetching.

Kolada (https://api.kolada.se/v3, v2 was retired) answers
``/data/kpi/<ids>/municipality/<ids>/year/<years>`` with::

    {"values": [{"kpi": "N01951", "municipality": "0127", "period": 2020,
                 "values": [{"gender": "T", "count": 1, "status": "", "value": 95000.0}]}],
     "count": 1, "next_url": "..."}

and pages with ``next_url`` (``next_page`` in v2; both are followed).

References
----------
Kolada API description, https://github.com/Hypergene/kolada (routes, paging).
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from netsoc.indicators.client import DEFAULT_TIMEOUT, IndicatorError, _get_json, _short

KOLADA_URL = "https://api.kolada.se/v3"
#: Kolada refuses long year lists; long municipality lists make URLs too long.
KOLADA_YEARS_PER_REQUEST = 25
KOLADA_KOMMUNER_PER_REQUEST = 100
MAX_PAGES = 10_000


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


def _empty() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "kommun_kod": pd.Series(dtype="object"),
            "year": pd.Series(dtype="int64"),
            "indicator": pd.Series(dtype="object"),
            "value": pd.Series(dtype="float64"),
        }
    )
