"""Stage 7 – the self-contained HTML report and table exports.

``report.html`` is one file that works offline: styles and scripts are inline,
figures are embedded as data URIs, and nothing is loaded from the network.
Sections are modules in :mod:`netsoc.report.sections`, each with its texts in
Swedish and English.
"""

from __future__ import annotations

import re
from pathlib import Path

from netsoc.i18n import Note
from netsoc.report.html import TABLE_JS, Translator, esc
from netsoc.report.sections import SECTIONS, all_texts

PAGE_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:0;color:#1d2430;background:#fafafa;line-height:1.45}
header{background:#1f3b57;color:#fff;padding:1.2rem 2rem}
header h1{margin:0 0 .3rem 0;font-size:1.6rem} header p{margin:0;opacity:.85}
nav{background:#e8eef4;padding:.5rem 2rem;position:sticky;top:0;z-index:5;border-bottom:1px solid #cdd8e3}
nav a{margin-right:1rem;color:#1f3b57;text-decoration:none;font-size:.92rem}
main{max-width:1200px;margin:0 auto;padding:1rem 2rem 4rem}
section{background:#fff;border:1px solid #e1e6ec;border-radius:6px;padding:1rem 1.4rem;margin:1.2rem 0}
h2{color:#1f3b57;border-bottom:2px solid #e1e6ec;padding-bottom:.3rem}
section table{border-collapse:collapse;font-size:.88rem;margin:.6rem 0;width:auto;max-width:100%}
section table th,section table td{border-bottom:1px solid #e6e9ee;padding:.25rem .6rem;text-align:left;vertical-align:top}
section table thead th,section table tr:first-child th{background:#f1f4f7}
table.data th{background:#f1f4f7;cursor:pointer;position:sticky;top:2.4rem}
td.n{text-align:right;font-variant-numeric:tabular-nums}
.note{color:#5b6675;font-size:.88rem} .warn{background:#fff6e0;border-left:4px solid #e0a400;padding:.4rem .8rem}
.synthetic{background:#fdecea;border-left:4px solid #c0392b;padding:.4rem .8rem}
figure{margin:.8rem 0} figure img{max-width:100%;height:auto}
.kpi{display:inline-block;min-width:9rem;margin:.3rem .8rem .3rem 0;padding:.5rem .8rem;background:#f1f4f7;border-radius:6px}
.kpi b{display:block;font-size:1.3rem}
.scroll{max-height:32rem;overflow:auto} .pager{margin:.3rem 0} .pager button{font:inherit}
.scroll table.data th{top:0}
ul.findings li{margin:.3rem 0}
pre{background:#f1f4f7;padding:.5rem .8rem;border-radius:4px;overflow:auto}
table.mono td{font-family:"DejaVu Sans Mono",monospace;font-size:.8rem}
input[type=search]{padding:.2rem .4rem;margin-left:.5rem;font-size:.9rem}
"""


def translator(lang: str) -> Translator:
    return Translator(lang, all_texts())


def prepare_figures(results) -> None:
    """Make the figures :func:`render_report` would add itself (the network picture) now.

    So that :meth:`netsoc.pipeline.Results.write` can have every figure drawn in
    the background while the report renders. A failure is left for the section
    to report.
    """
    from netsoc.report.sections import netview

    try:
        netview.network_picture(results, translator(results.lang))
    except Exception:  # noqa: BLE001 - render_report shows the section's error
        pass


def render_report(results) -> str:
    """The whole report as one HTML string."""
    t = translator(results.lang)
    parts, nav = [], []
    for module in SECTIONS:
        try:
            fragment = module.render(results, t)
        except Exception as err:  # a broken section must not lose the rest of the report
            fragment = (
                f'<section id="{esc(module.KEY)}"><p class="warn">'
                f"{esc(t('section_failed'))}: {esc(type(err).__name__)}: {esc(err)}</p></section>"
            )
            results.notes.append(Note("report.section_failed", section=module.KEY, error=str(err)))
        if fragment:
            parts.append(fragment)
            nav.append(f'<a href="#{esc(module.KEY)}">{esc(t("nav_" + module.KEY))}</a>')
    title = results.study.settings.name
    return (
        f'<!DOCTYPE html>\n<html lang="{t.lang}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)} – netsoc</title><style>{PAGE_CSS}</style></head><body>"
        f"<header><h1>{esc(title)}</h1><p>{esc(t('report_subtitle'))}</p></header>"
        f"<nav>{''.join(nav)}</nav><main>{''.join(parts)}</main>"
        f"<script>{TABLE_JS}</script></body></html>\n"
    )


def write_report(results, path: str | Path) -> Path:
    path = Path(path)
    path.write_text(render_report(results), encoding="utf-8")
    return path


EXCEL_MAX_ROWS = 1_048_575  # Excel's sheet limit minus the header row


def _sheet_names(names) -> dict[str, str]:
    """Unique Excel sheet names (max 31 characters, none of ``[]:*?/\\``, not ``README``)."""
    used, out = {"readme"}, {}
    for name in names:
        base = re.sub(r"[\[\]:*?/\\]", "_", str(name))[:31] or "table"
        cand, i = base, 2
        while cand.lower() in used:
            suffix = f"_{i}"
            cand, i = base[: 31 - len(suffix)] + suffix, i + 1
        used.add(cand.lower())
        out[name] = cand
    return out


def _excel_text(v: str) -> str:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", v)


def write_excel(results, path: str | Path) -> Path:
    """Write ``tables.xlsx``: a README sheet, then every published table as a sheet.

    The README sheet says what each table's rows are and what each column
    means (:mod:`netsoc.report.tabledocs`). Text cells are always stored as
    text, never as formulas: a name like ``=HYPERLINK(...)`` stays a string
    (and is also prefixed by :func:`netsoc.privacy.safe_frame`).

    Parameters
    ----------
    results : Results
    path : str or Path
        The workbook to write.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    from netsoc.privacy import safe_frame as safe_table
    from netsoc.report import findings, tabledocs

    t = translator(results.lang)
    tables = findings.published(results)
    sheets = _sheet_names(tables)
    wb = Workbook()
    ws = wb.active
    ws.title = "README"
    bold = Font(bold=True)
    readme: list[list] = [
        [t("excel_readme_title")],
        [results.study.settings.name],
        [t("excel_readme_seed", seed=results.seed, version=results.run_info.get("netsoc_version", ""))],
    ]
    if results.study.settings.synthetic:
        readme.append([t("excel_readme_synthetic")])
    readme.append([t("excel_readme_privacy", m=results.study.settings.min_cell,
                     m1=results.study.settings.min_cell - 1)])
    readme += [[], [t("excel_col_sheet"), t("excel_col_rows"), t("excel_col_description")]]
    header_rows = [len(readme)]
    for name, df in tables.items():
        note = tabledocs.table_doc(name)
        if len(df) > EXCEL_MAX_ROWS:
            note += " " + t("excel_truncated", n=EXCEL_MAX_ROWS)
        readme.append([sheets[name], len(df), note])
    readme += [[], [t("excel_col_sheet"), t("excel_col_column"), t("excel_col_description")]]
    header_rows.append(len(readme))
    for name, df in tables.items():
        for col in df.columns:
            readme.append([sheets[name], str(col), tabledocs.column_doc(name, str(col))])
    for row in readme:
        ws.append([_excel_text(v) if isinstance(v, str) else v for v in row])
    for r in header_rows:
        for cell in ws[r]:
            cell.font = bold
    ws["A1"].font = Font(bold=True, size=13)
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 26
    ws.column_dimensions["C"].width = 100
    _as_text(ws)

    for name, df in tables.items():
        sheet = wb.create_sheet(sheets[name])
        data = safe_table(df).head(EXCEL_MAX_ROWS)
        sheet.append([_excel_text(str(c)) for c in data.columns])
        for row in data.itertuples(index=False):
            sheet.append([_excel_value(v) for v in row])
        for cell in sheet[1]:
            cell.font = bold
        sheet.freeze_panes = "A2"
        if len(data.columns):
            sheet.auto_filter.ref = f"A1:{get_column_letter(len(data.columns))}{len(data) + 1}"
        for i, col in enumerate(data.columns, start=1):
            sample = [len(str(col))] + [len(str(v)) for v in data[col].head(200)]
            sheet.column_dimensions[get_column_letter(i)].width = min(60, max(8, max(sample) + 2))
        _as_text(sheet)
    wb.save(path)
    return Path(path)


def _as_text(sheet) -> None:
    """Mark every string cell as text: openpyxl would store ``=...`` as a formula."""
    for cells in sheet.iter_rows():
        for cell in cells:
            if isinstance(cell.value, str):
                cell.data_type = "s"


def _excel_value(v):
    import math

    import pandas as pd

    if v is None:
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    try:
        if pd.isna(v):
            return None
    except (TypeError, ValueError):
        pass
    if hasattr(v, "item"):
        v = v.item()
    if isinstance(v, str):
        return _excel_text(v)
    if isinstance(v, (int, float, bool)):
        return v
    return _excel_text(str(v))


def _latex_number(v: float) -> str:
    if v != v:  # NaN
        return ""
    if v == 0 or abs(v) >= 0.001:
        return f"{v:.3f}"
    return f"{v:.1e}"


def _latex_escape(text: str) -> str:
    repl = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
            "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}
    return "".join(repl.get(c, c) for c in text)


def write_latex(results, folder: str | Path) -> list[Path]:
    """Write each published table as a booktabs LaTeX table, ``<folder>/<name>.tex``.

    Tables use ``\\toprule/\\midrule/\\bottomrule`` (``\\usepackage{booktabs}``);
    tables of more than 40 rows are ``longtable`` (``\\usepackage{longtable}``).
    Every cell and heading is escaped; files are UTF-8 (Swedish letters as
    they are: use ``\\usepackage[utf8]{inputenc}`` or LuaLaTeX/XeLaTeX).
    """
    from netsoc.privacy import safe_frame as safe_table
    from netsoc.report import findings, tabledocs

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, df in findings.published(results).items():
        p = folder / f"{name}.tex"
        caption = f"{name}: {tabledocs.table_doc(name)}".rstrip(": ")
        data = safe_table(df)
        data.to_latex(p, index=False, escape=True, longtable=len(data) > 40,
                      float_format=_latex_number, na_rep="", caption=_latex_escape(caption),
                      label=f"tab:{re.sub(r'[^A-Za-z0-9_-]', '-', name)}")
        paths.append(p)
    return paths
