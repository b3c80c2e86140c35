"""HTML building blocks for the self-contained report: escaping, translation, tables."""

from __future__ import annotations

import base64
import contextlib
import contextvars
import html
import io
import json
import math
from collections.abc import Iterable, Iterator, Mapping

import pandas as pd

from netsoc import i18n


def _text(value: object) -> str:
    """A cell as text: missing values (None, NaN, ``pd.NA``) as the empty string."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return str(value)


def esc(value: object) -> str:
    """Escape text from input files for HTML (names are text, never markup)."""
    return html.escape(_text(value), quote=True)


class Translator:
    """``t("key")`` gives a label in the report language; ``t.num(x)`` formats numbers.

    Texts come from the ``TEXT`` dicts of the section modules
    (``{"key": {"sv": ..., "en": ...}}``); a missing key raises ``KeyError`` so
    that tests find untranslated labels.
    """

    def __init__(self, lang: str, texts: Mapping[str, Mapping[str, str]]):
        if lang not in ("sv", "en"):
            raise ValueError(f"language must be 'sv' or 'en', not {lang!r}")
        self.lang = lang
        self.texts = texts

    def __call__(self, key: str, **fmt: object) -> str:
        text = self.texts[key][self.lang]
        return text.format(**fmt) if fmt else text

    def num(self, x: object, digits: int = 2) -> str:
        """Format a number: decimal comma and thin-space thousands in Swedish."""
        if x is None:
            return ""
        if isinstance(x, str):
            return esc(x)
        try:
            if pd.isna(x):
                return "–"
        except (TypeError, ValueError):
            pass
        if isinstance(x, bool):
            return self("yes") if x else self("no")
        if float(x).is_integer() and (isinstance(x, int) or abs(float(x)) >= 1 or digits == 0):
            s = f"{int(round(float(x))):,}"
        else:
            s = f"{float(x):,.{digits}f}"
        return i18n.localize_number(s, self.lang)

    def pct(self, x: float, digits: int = 0) -> str:
        return f"{self.num(100 * x, digits)}\u00a0%"

    def label(self, kind: str, value: object) -> str:
        """A vocabulary code as a word (``t.label("type", "social_enterprise")``).

        ``kind`` is a :data:`netsoc.i18n.VOCAB` kind (``type``, ``relation``,
        ``program``, ``outcome``, ``layer``, ``lisa``, …); unknown codes as given.
        """
        if value is None:
            return ""
        try:
            if pd.isna(value):
                return ""
        except (TypeError, ValueError):
            pass
        return i18n.label(kind, value, self.lang)

    def term(self, term: object) -> str:
        """A model term with its category in words (``host_type = socialt företag``)."""
        return i18n.term_label(term, self.lang)

    def note(self, note: object) -> str:
        """A stage's note (:class:`netsoc.i18n.Note`) in the report language; plain text as given."""
        return i18n.text(note, self.lang)

    def p(self, p: float) -> str:
        """A p-value as ``p < 0.001`` or ``p = 0.03`` (decimal comma in Swedish)."""
        if p is None or pd.isna(p):
            return "p = –"
        if p < 0.001:
            return f"p < {self.num(0.001, 3)}"
        return f"p = {self.num(p, 3 if p < 0.01 else 2)}"


def label(value: object, t: Translator, kind: str = "type") -> str:
    """A vocabulary code as a word in the report language (see :meth:`Translator.label`)."""
    return t.label(kind, value)


def labelled(df: pd.DataFrame, t: Translator, kinds: Mapping[str, str]) -> pd.DataFrame:
    """A copy of ``df`` with the codes in columns ``kinds`` (column -> vocabulary kind) as words.

    For report tables only: ``tables/*.csv`` keep the codes.
    """
    out = df.copy()
    for col, kind in kinds.items():
        if col in out.columns:
            out[col] = [t.label(kind, v) for v in out[col]]
    return out


#: rows on one page of a paged report table (:func:`table` with ``page_rows``)
PAGE_ROWS = 100

#: report tables in the browser: sorting by a click on a heading (``data-sortable``), and
#: paged tables (``data-paged``) with pages, sorting and filtering over their JSON rows;
#: both read numbers the way :meth:`Translator.num` writes them in the page's language
TABLE_JS = r"""
function netsocKey(s){var c=String(s).replace(/[\u202f\u00a0]/g,'').replace(/\u2212/g,'-');
  c=document.documentElement.lang==='sv'?c.replace(',','.'):c.replace(/,/g,'');
  var n=parseFloat(c);return isNaN(n)?String(s).toLowerCase():n;}
function netsocCompare(x,y){return typeof x===typeof y?(x<y?-1:x>y?1:0):(typeof x==='number'?-1:1);}
document.querySelectorAll('table[data-sortable] th').forEach(function(th){
  th.addEventListener('click',function(){
    var table=th.closest('table'),body=table.tBodies[0],i=Array.prototype.indexOf.call(th.parentNode.children,th);
    var asc=th.getAttribute('data-asc')!=='1';th.setAttribute('data-asc',asc?'1':'0');
    var key=function(tr){var c=tr.children[i];return netsocKey(c?c.textContent.trim():'');};
    Array.prototype.slice.call(body.rows).sort(function(a,b){return netsocCompare(key(a),key(b))*(asc?1:-1);})
      .forEach(function(tr){body.appendChild(tr);});
  });
});
(function(){
var lang=document.documentElement.lang;
function fmt(n){return String(n).replace(/\B(?=(\d{3})+(?!\d))/g,lang==='sv'?'\u202f':',');}
document.querySelectorAll('table[data-paged]').forEach(function(table){
  var box=table.parentNode,d=JSON.parse(box.querySelector('script.page-data').textContent);
  var all=d.rows,shown=all,page=0,query='',body=table.tBodies[0];
  var status=box.querySelector('.page-status'),prev=box.querySelector('[data-step="-1"]'),next=box.querySelector('[data-step="1"]');
  function render(){
    var pages=Math.max(1,Math.ceil(shown.length/d.size));page=Math.min(Math.max(page,0),pages-1);
    var start=page*d.size,rows=shown.slice(start,start+d.size),frag=document.createDocumentFragment();
    rows.forEach(function(r){var tr=document.createElement('tr');
      r.forEach(function(v,j){var td=document.createElement('td');if(d.numeric[j]){td.className='n';}
        td.textContent=v;tr.appendChild(td);});frag.appendChild(tr);});
    body.textContent='';body.appendChild(frag);
    status.textContent=d.status.replace('{first}',fmt(rows.length?start+1:0))
      .replace('{last}',fmt(start+rows.length)).replace('{total}',fmt(shown.length));
    prev.disabled=page===0;next.disabled=page>=pages-1;box.setAttribute('data-page',String(page+1));}
  function filter(text){query=String(text).toLowerCase();
    shown=query?all.filter(function(r){return r.join(' ').toLowerCase().indexOf(query)>=0;}):all;page=0;render();}
  table.querySelectorAll('th').forEach(function(th,i){th.addEventListener('click',function(){
    var asc=th.getAttribute('data-asc')!=='1';th.setAttribute('data-asc',asc?'1':'0');
    var keyed=all.map(function(r,k){return [netsocKey(r[i]),k,r];});
    keyed.sort(function(a,b){return netsocCompare(a[0],b[0])*(asc?1:-1)||a[1]-b[1];});
    all=keyed.map(function(e){return e[2];});filter(query);});});
  prev.addEventListener('click',function(){page-=1;render();});
  next.addEventListener('click',function(){page+=1;render();});
  box.netsocFilter=filter;
});
})();
"""


def _cells(df: pd.DataFrame, t: Translator, digits) -> list[list[tuple[str, bool]]]:
    """Each cell as (text, is a number): numbers formatted for ``t.lang``, text as given."""
    per_col = [digits.get(c, 3) if isinstance(digits, Mapping) else digits for c in df.columns]
    rows = []
    for row in df.itertuples(index=False):
        cells = []
        for v, d in zip(row, per_col, strict=True):
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                cells.append((t.num(v, d), True))  # digits, separators, "–": nothing to escape
            else:
                cells.append((_text(v), False))
        rows.append(cells)
    return rows


def _rows_html(rows, numeric: list[bool] | None = None) -> str:
    # numbers right-aligned: per cell, or per column (``numeric``) as the paged view does
    return "".join(
        "<tr>" + "".join(f'<td class="n">{esc(text)}</td>' if (numeric[j] if numeric else number)
                         else f"<td>{esc(text)}</td>" for j, (text, number) in enumerate(cells))
        + "</tr>"
        for cells in rows)


def script_json(data, **kwargs) -> str:
    """``data`` as JSON to put inside a ``<script>`` element: ``<`` and the JavaScript line
    separators escaped, so that no text from the input can end the element."""
    return (json.dumps(data, ensure_ascii=False, **kwargs).replace("<", "\\u003c")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def table(df: pd.DataFrame, t: Translator, *, columns: Mapping[str, str] | None = None,
          digits: int | Mapping[str, int] = 3, sortable: bool = True, max_rows: int | None = None,
          css_class: str = "data", page_rows: int | None = None) -> str:
    """An HTML table from a DataFrame; every cell escaped; numbers per language.

    ``digits`` is the number of decimals for every number, or a mapping column -> decimals
    (columns not in it get 3). Rows beyond ``max_rows`` are left out (a note says
    so). With ``page_rows``, a longer table is shown a page at a time: every row
    is in the page as JSON data, sorting (click a heading) and filtering
    (:data:`TABLE_JS`, ``element.netsocFilter(text)``) work on all rows, and the
    first page is plain HTML for readers without JavaScript.
    """
    if columns is not None:
        df = df[[c for c in columns if c in df.columns]]
        heads = [columns[c] for c in df.columns]
    else:
        heads = list(df.columns)
    note = ""
    if max_rows is not None and len(df) > max_rows:
        note = f'<p class="note">{esc(t("rows_shown", shown=t.num(max_rows), total=t.num(len(df))))}</p>'
        df = df.head(max_rows)
    rows = _cells(df, t, digits)
    head = "".join(f"<th>{esc(h)}</th>" for h in heads)
    if page_rows is None or len(rows) <= page_rows:
        attr = ' data-sortable="1"' if sortable else ""
        return (note + f'<table class="{css_class}"{attr}><thead><tr>{head}</tr></thead><tbody>'
                + _rows_html(rows) + "</tbody></table>")
    numeric = [any(r[j][1] for r in rows) for j in range(len(heads))]
    data = {"rows": [[text for text, _ in cells] for cells in rows], "numeric": numeric,
            "size": int(page_rows), "status": t("page_status")}
    payload = script_json(data, separators=(",", ":"))
    status = t("page_status").format(first=t.num(1), last=t.num(page_rows), total=t.num(len(rows)))
    return (
        # the pager above the table: below a long page it would be out of sight
        note + '<div class="paged"><p class="pager">'
        f'<button type="button" data-step="-1" disabled>{esc(t("page_prev"))}</button> '
        f'<span class="page-status">{esc(status)}</span> '
        f'<button type="button" data-step="1">{esc(t("page_next"))}</button></p>'
        f'<table class="{css_class}" data-paged="1"><thead><tr>{head}'
        f"</tr></thead><tbody>{_rows_html(rows[:page_rows], numeric)}</tbody></table>"
        f'<script type="application/json" class="page-data">{payload}</script></div>'
    )


#: resolution of the report's pictures; ``figures/*.png`` at the same resolution reuse them
REPORT_DPI = 150
#: the pictures are shown at the size a 110-dpi rendering has (CSS pixels)
DISPLAY_DPI = 110

# (id(fig), dpi) -> (fig, png bytes or the Future of a worker drawing them) while a report
# is written: each figure is drawn once for the page and figures/*.png (drawing is most of
# the cost of a report with maps)
_PNG_CACHE: contextvars.ContextVar[dict | None] = contextvars.ContextVar("netsoc_png_cache",
                                                                         default=None)


@contextlib.contextmanager
def png_cache(figures: Iterable | None = None, dpi: int = REPORT_DPI) -> Iterator[dict]:
    """Within the block :func:`figure_png` draws each (figure, dpi) once.

    ``figures`` (optional) are drawn at ``dpi`` in a forked worker process
    while the caller goes on (e.g. renders the rest of the report);
    :func:`figure_png` then waits for the worker's bytes -- the same bytes,
    since the worker draws the same figure objects -- or, for a figure the
    worker has not started yet, draws it itself (so both cores draw). Without ``fork``, or with
    one usable core (``NETSOC_JOBS=1``), the figures are drawn when asked for.
    """
    cache: dict = {}
    token = _PNG_CACHE.set(cache)
    pool, key = None, None
    figs = list(dict.fromkeys(figures or []))
    try:
        if figs:
            pool, key = _start_drawing(figs, dpi, cache)
        yield cache
    finally:
        _PNG_CACHE.reset(token)
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
            from netsoc._workers import _SHARED

            _SHARED.pop(key, None)


def _start_drawing(figs: list, dpi: int, cache: dict):
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from netsoc._workers import _KEYS, _SHARED, n_jobs

    if n_jobs() <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return None, None
    key = next(_KEYS)
    _SHARED[key] = figs  # the forked worker inherits the figures: nothing is pickled but bytes
    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))
    for i, fig in enumerate(figs):
        cache[(id(fig), dpi)] = (fig, pool.submit(_draw_shared, (key, i, dpi)))
    return pool, key


def _draw_shared(task: tuple) -> bytes:
    from netsoc._workers import _SHARED

    key, i, dpi = task
    return _png(_SHARED[key][i], dpi)


def _png(fig, dpi: int) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight", metadata={"Software": None},
                pil_kwargs={"compress_level": 1})
    return buf.getvalue()


def figure_png(fig, dpi: int = REPORT_DPI) -> bytes:
    """``fig`` as PNG bytes (tight bounding box, no software stamp, fast zlib level).

    Inside :func:`png_cache` a figure already drawn (or being drawn) at ``dpi``
    is not drawn again.
    """
    cache = _PNG_CACHE.get()
    key = (id(fig), dpi)
    if cache is not None and key in cache and cache[key][0] is fig:
        data = cache[key][1]
        if isinstance(data, bytes):
            return data
        if data.cancel():  # the worker has not started it: this process draws it meanwhile
            data = _png(fig, dpi)
        else:
            try:
                data = data.result()
            except Exception:  # the worker failed (or was stopped): draw it here, errors and all
                data = _png(fig, dpi)
    else:
        data = _png(fig, dpi)
    if cache is not None:
        cache[key] = (fig, data)  # keeps fig alive, so its id is not reused
    return data


def figure_img(fig, alt: str, dpi: int = REPORT_DPI) -> str:
    """A matplotlib figure as an inline PNG ``<img>`` (no external file needed).

    Drawn at ``dpi`` and shown at the size of a :data:`DISPLAY_DPI` rendering
    (sharper on high-density screens, and the same picture as ``figures/*.png``).
    """
    png = figure_png(fig, dpi)
    width = int.from_bytes(png[16:20], "big")  # IHDR: the first chunk of every PNG
    shown = max(1, round(width * DISPLAY_DPI / dpi))
    data = base64.b64encode(png).decode("ascii")
    return (f'<figure><img alt="{esc(alt)}" width="{shown}" '
            f'src="data:image/png;base64,{data}"></figure>')


def section(anchor: str, title: str, body: Iterable[str] | str) -> str:
    if not isinstance(body, str):
        body = "\n".join(body)
    return f'<section id="{esc(anchor)}"><h2>{esc(title)}</h2>\n{body}\n</section>'


def paragraph(text: str) -> str:
    return f"<p>{esc(text)}</p>"
