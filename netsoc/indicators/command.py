"""The entry point :func:`fetch_indicators` over both sources, file writing and the CLI.

:func:`fetch_indicators` checks kommun codes, years and indicator ids, fetches
Kolada KPIs (:mod:`~netsoc.indicators.kolada`) and SCB tables
(:mod:`~netsoc.indicators.pxweb`) and returns rows in the ``indicators.csv``
format; :func:`write_indicators` writes them atomically; :func:`add_commands`
adds ``netsoc fetch-indicators``.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from netsoc.indicators.client import (
    DEFAULT_TIMEOUT,
    IndicatorError,
    _atomic_write_bytes,
    default_cache_dir,
)
from netsoc.indicators.kolada import KOLADA_URL, KPIS, fetch_kolada
from netsoc.indicators.pxweb import PXWEB_URL, PxTable, fetch_pxweb

COLUMNS = ["kommun_kod", "year", "indicator", "value", "source"]


# ------------------------------------------------------------------------ public


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
