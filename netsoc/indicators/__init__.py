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

Files
-----
``client.py``
    :data:`http_request` (the one function that touches the network; replace
    ``netsoc.indicators.client.http_request`` to answer from recordings), the
    disk cache (:func:`default_cache_dir`, :func:`cache_key`) and
    :class:`IndicatorError`.
``kolada.py``
    the curated :data:`KPIS`, :func:`kolada_kpi_metadata`, :func:`parse_kolada_data`,
    :func:`fetch_kolada`.
``pxweb.py``
    :class:`PxTable`, :func:`parse_jsonstat2`, :func:`parse_pxweb_json`,
    :func:`fetch_pxweb`.
``command.py``
    :func:`fetch_indicators`, :func:`parse_years`, :func:`write_indicators`,
    :func:`kpi_table` and the ``fetch-indicators`` command (:func:`add_commands`).

Imports run one way: ``client`` -> ``kolada``, ``pxweb`` -> ``command``. Every
public name is re-exported here except :data:`http_request`: a replacement set
on this package would not reach the clients, so reading or setting
``netsoc.indicators.http_request`` fails and says where it lives.

References
----------
Kolada API description, https://github.com/Hypergene/kolada (routes, paging).
SCB, "API för Statistikdatabasen" (PxWeb API v1), and the JSON-stat 2.0 format,
https://json-stat.org/format/.
"""

from netsoc.indicators.client import (
    DEFAULT_TIMEOUT,
    IndicatorError,
    cache_key,
    default_cache_dir,
)
from netsoc.indicators.command import (
    COLUMNS,
    add_commands,
    cmd_fetch_indicators,
    fetch_indicators,
    kpi_table,
    parse_years,
    write_indicators,
)
from netsoc.indicators.kolada import (
    KOLADA_KOMMUNER_PER_REQUEST,
    KOLADA_URL,
    KOLADA_YEARS_PER_REQUEST,
    KPIS,
    MAX_PAGES,
    Kpi,
    fetch_kolada,
    kolada_kpi_metadata,
    parse_kolada_data,
)
from netsoc.indicators.pxweb import (
    PXWEB_URL,
    PxTable,
    fetch_pxweb,
    parse_jsonstat2,
    parse_pxweb_json,
)

__all__ = [
    "COLUMNS",
    "DEFAULT_TIMEOUT",
    "KOLADA_KOMMUNER_PER_REQUEST",
    "KOLADA_URL",
    "KOLADA_YEARS_PER_REQUEST",
    "KPIS",
    "MAX_PAGES",
    "PXWEB_URL",
    "IndicatorError",
    "Kpi",
    "PxTable",
    "add_commands",
    "cache_key",
    "cmd_fetch_indicators",
    "default_cache_dir",
    "fetch_indicators",
    "fetch_kolada",
    "fetch_pxweb",
    "kolada_kpi_metadata",
    "kpi_table",
    "parse_jsonstat2",
    "parse_kolada_data",
    "parse_pxweb_json",
    "parse_years",
    "write_indicators",
]


def __getattr__(name: str):
    if name == "http_request":
        # re-exporting it would make replacing it here a silent no-op
        raise AttributeError(
            "netsoc.indicators.http_request lives in netsoc.indicators.client; "
            "read or replace netsoc.indicators.client.http_request"
        )
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
