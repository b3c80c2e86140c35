"""Report sections, in the order they appear.

Each module defines ``KEY`` (anchor), ``TEXT`` (``{"key": {"sv": ..., "en": ...}}``)
and ``render(results, t) -> str | None``. A section that has nothing to show
returns ``None``.
"""

from __future__ import annotations

from importlib import import_module
from types import ModuleType

#: module names under netsoc.report.sections, in report order
ORDER = [
    "summary",
    "data",
    "netview",
    "network",
    "actors",
    "communities",
    "waves",
    "geography",
    "models",
    "methods",
    "reproducibility",
]

COMMON_TEXT = {
    "yes": {"sv": "ja", "en": "yes"},
    "no": {"sv": "nej", "en": "no"},
    "rows_shown": {"sv": "Visar {shown} av {total} rader.", "en": "Showing {shown} of {total} rows."},
    "page_prev": {"sv": "‹ Föregående", "en": "‹ Previous"},
    "page_next": {"sv": "Nästa ›", "en": "Next ›"},
    "page_status": {"sv": "Rad {first}–{last} av {total}", "en": "Rows {first}–{last} of {total}"},
    "section_failed": {"sv": "Avsnittet kunde inte skapas", "en": "This section could not be made"},
    "report_subtitle": {
        "sv": "Nätverks- och aktörsanalys av den sociala ekonomin – netsoc-rapport",
        "en": "Network and stakeholder analysis of the social economy – netsoc report",
    },
    "excel_readme_title": {
        "sv": "netsoc-tabeller: ett blad per tabell (se report.html för definitioner)",
        "en": "netsoc tables: one sheet per table (see report.html for definitions)",
    },
    "excel_readme_seed": {
        "sv": "Frö (seed) {seed}, netsoc {version}; samma indata och frö ger samma tabeller.",
        "en": "Seed {seed}, netsoc {version}; the same input and seed give the same tables.",
    },
    "excel_readme_synthetic": {
        "sv": "Obs! Studien är markerad som syntetisk: siffrorna är inte verkliga observationer.",
        "en": "Note: the study is marked as synthetic: the numbers are not real observations.",
    },
    "excel_readme_privacy": {
        "sv": "Antal personer från 1 till {m1} visas som <{m}; .. = dolt så att summor inte "
        "avslöjar dem.",
        "en": "Counts of people from 1 to {m1} are shown as <{m}; .. = hidden so that totals cannot "
        "reveal them.",
    },
    "excel_col_sheet": {"sv": "Blad", "en": "Sheet"},
    "excel_col_rows": {"sv": "Rader", "en": "Rows"},
    "excel_col_column": {"sv": "Kolumn", "en": "Column"},
    "excel_col_description": {"sv": "Beskrivning (engelska)", "en": "Description"},
    "excel_truncated": {
        "sv": "(bara de första {n} raderna: Excels gräns; hela tabellen finns som CSV)",
        "en": "(first {n} rows only: Excel's limit; the full table is in the CSV)",
    },
}


def _load() -> list[ModuleType]:
    mods = []
    for name in ORDER:
        try:
            mods.append(import_module(f"netsoc.report.sections.{name}"))
        except ModuleNotFoundError as err:
            if err.name != f"netsoc.report.sections.{name}":
                raise
    return mods


SECTIONS: list[ModuleType] = _load()


def all_texts() -> dict[str, dict[str, str]]:
    texts = dict(COMMON_TEXT)
    for m in SECTIONS:
        texts.update(getattr(m, "TEXT", {}))
        texts.setdefault(f"nav_{m.KEY}", m.TEXT.get(f"nav_{m.KEY}", {"sv": m.KEY, "en": m.KEY}))
    return texts
