"""Stage 7 – the self-contained HTML report and table exports.

``report.html`` is one file that works offline: styles and scripts are inline,
figures are embedded as data URIs, and nothing is loaded from the network.
Sections are modules in :mod:`netsoc.report.sections`, each with its texts in
Swedish and English.
"""

from __future__ import annotations

from pathlib import Path

from netsoc.report.html import Translator, esc
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
table.data{border-collapse:collapse;font-size:.88rem;margin:.6rem 0;width:auto;max-width:100%}
table.data th,table.data td{border-bottom:1px solid #e6e9ee;padding:.25rem .6rem;text-align:left;vertical-align:top}
table.data th{background:#f1f4f7;cursor:pointer;position:sticky;top:2.4rem}
td.n{text-align:right;font-variant-numeric:tabular-nums}
.note{color:#5b6675;font-size:.88rem} .warn{background:#fff6e0;border-left:4px solid #e0a400;padding:.4rem .8rem}
.synthetic{background:#fdecea;border-left:4px solid #c0392b;padding:.4rem .8rem}
figure{margin:.8rem 0} figure img{max-width:100%;height:auto}
.kpi{display:inline-block;min-width:9rem;margin:.3rem .8rem .3rem 0;padding:.5rem .8rem;background:#f1f4f7;border-radius:6px}
.kpi b{display:block;font-size:1.3rem}
.scroll{max-height:32rem;overflow:auto}
"""

SORT_JS = """
document.querySelectorAll('table[data-sortable] th').forEach(function(th){
  th.addEventListener('click',function(){
    var table=th.closest('table'),body=table.tBodies[0],i=Array.prototype.indexOf.call(th.parentNode.children,th);
    var asc=th.getAttribute('data-asc')!=='1';th.setAttribute('data-asc',asc?'1':'0');
    var key=function(tr){var c=tr.children[i];var s=c?c.textContent.trim():'';
      var n=parseFloat(s.replace(/\\u202f/g,'').replace(/\\u2212/g,'-').replace(',','.'));return isNaN(n)?s.toLowerCase():n;};
    Array.prototype.slice.call(body.rows).sort(function(a,b){var x=key(a),y=key(b);
      if(typeof x===typeof y){return (x<y?-1:x>y?1:0)*(asc?1:-1);}return (typeof x==='number'?-1:1)*(asc?1:-1);})
      .forEach(function(tr){body.appendChild(tr);});
  });
});
"""


def translator(lang: str) -> Translator:
    return Translator(lang, all_texts())


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
            results.notes.append(f"report section {module.KEY} failed: {err}")
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
        f"<script>{SORT_JS}</script></body></html>\n"
    )


def write_report(results, path: str | Path) -> Path:
    path = Path(path)
    path.write_text(render_report(results), encoding="utf-8")
    return path


def write_excel(results, path: str | Path) -> Path:
    """Every table a sheet, plus a README sheet; text cells neutralised against formulas."""
    from openpyxl import Workbook

    from netsoc.pipeline import safe_table

    t = translator(results.lang)
    wb = Workbook()
    ws = wb.active
    ws.title = "README"
    ws.append([t("excel_readme_title")])
    ws.append([results.study.settings.name])
    tables = results.published_tables()
    for name, df in tables.items():
        ws.append([name, f"{len(df)} rows"])
    for name, df in tables.items():
        sheet = wb.create_sheet(name[:31])
        data = safe_table(df)
        sheet.append(list(map(str, data.columns)))
        for row in data.itertuples(index=False):
            sheet.append([_excel_value(v) for v in row])
        for cells in sheet.iter_rows(min_row=2):
            for cell in cells:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
    wb.save(path)
    return Path(path)


def _excel_value(v):
    import math

    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if v is None:
        return None
    if isinstance(v, str):
        # control characters from input cannot be stored in a worksheet
        return ILLEGAL_CHARACTERS_RE.sub("\ufffd", v)
    if isinstance(v, float) and math.isnan(v):
        return None
    if hasattr(v, "item"):
        return v.item()
    try:
        import pandas as pd

        if pd.isna(v):
            return None
    except (TypeError, ValueError):
        pass
    return v


def write_latex(results, folder: str | Path) -> list[Path]:
    """Each table as a booktabs LaTeX table (``tables/<name>.tex``)."""
    from netsoc.pipeline import safe_table

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, df in results.published_tables().items():
        p = folder / f"{name}.tex"
        safe_table(df).to_latex(p, index=False, escape=True, longtable=len(df) > 40,
                                float_format="%.3f", na_rep="")
        paths.append(p)
    return paths
