"""The offline interactive map: one inline SVG per map area (:func:`interactive_svg`).

No JS libraries, no tiles, no CDN: kommun paths with tooltips, actor circles and
a few lines of inline JavaScript that switch the fill between need rate, access
and gap. Shares the panels and actor positions of :mod:`netsoc.geo.maps` and the
label placement of :mod:`netsoc.geo.labels`.
"""

from __future__ import annotations

import hashlib
import math
from html import escape as _html_escape

import numpy as np
import pandas as pd
import shapely

from netsoc.geo.boundaries import _kommun_frame
from netsoc.geo.kommuner import GeoResult
from netsoc.geo.labels import _label_points, _svg_label_sizes, declutter_labels, label_rank
from netsoc.geo.maps import TYPE_COLORS, _extent, actor_points, map_areas, type_label
from netsoc.i18n import label as vocab_label
from netsoc.i18n import localize_number


def _fmt(x: float, digits: int = 3, lang: str = "en") -> str:
    if x is None or not np.isfinite(x):
        return "NA" if lang == "en" else "–"
    return localize_number(f"{x:.{digits}g}", lang)


def _svg_path(geom, x0: float, y1: float, s: float) -> str:
    polys = getattr(geom, "geoms", [geom])
    parts = []
    for poly in polys:
        for ring in [poly.exterior, *poly.interiors]:
            xy = np.asarray(ring.coords)
            if len(xy) < 3:
                continue
            px = (xy[:, 0] - x0) * s
            py = (y1 - xy[:, 1]) * s
            pts = " ".join(f"{a:.1f},{b:.1f}" for a, b in zip(px, py, strict=True))
            parts.append(f"M{pts}Z")
    return "".join(parts)


def _hex_colors(values: pd.Series, cmap: str, center: bool = False) -> list[str]:
    # heavy: matplotlib (colour maps) is imported only when the SVG map is drawn
    import matplotlib as mpl
    from matplotlib.colors import to_hex

    v = pd.to_numeric(values, errors="coerce").astype(float)
    cm = mpl.colormaps[cmap]
    if v.notna().sum() == 0:
        return ["#ffffff"] * len(v)
    lo, hi = float(v.min()), float(v.max())
    if center:
        m = max(abs(lo), abs(hi), 1e-12)
        lo, hi = -m, m
    span = hi - lo if hi > lo else 1.0
    return ["#ffffff" if not np.isfinite(x) else to_hex(cm((x - lo) / span)) for x in v]


def small_count(n: float, min_cell: int = 5) -> str:
    """A count of people for publication: 1..min_cell-1 as ``<min_cell``."""
    if n is None or not np.isfinite(n):
        return "NA"
    n = int(round(n))
    return f"<{min_cell}" if 0 < n < min_cell else str(n)


SVG_TEXT: dict[str, dict[str, str]] = {
    "need_rate": {"sv": "behovsandel", "en": "need rate"},
    "access": {"sv": "tillgång per 1 000 i behov", "en": "access per 1,000 in need"},
    "gap": {"sv": "gap", "en": "gap"},
    "supply": {"sv": "platser", "en": "places"},
    "actors": {"sv": "aktörer", "en": "actors"},
    "placements": {"sv": "placeringar", "en": "placements"},
    "lisa": {"sv": "LISA", "en": "LISA"},
    "underserved": {"sv": "UNDERFÖRSÖRJD", "en": "UNDERSERVED"},
    "population": {"sv": "befolkning", "en": "population"},
    "show": {"sv": "Visa:", "en": "Show:"},
}


def interactive_svg(geo_result: GeoResult, lang: str = "sv", min_cell: int = 5,
                    width: int = 760, show_actors: bool = True,
                    published: pd.DataFrame | None = None) -> str:
    """An offline interactive map as an inline HTML/SVG fragment.

    One ``<svg>`` per map area (:func:`map_areas`), geometries simplified to
    about one pixel. Each kommun in scope is a path with a ``<title>`` tooltip
    (name, population, need rate, access, gap, LISA cluster, supply, actors,
    placements – counts of people 1..``min_cell``-1 shown as ``<5``);
    surrounding kommuner are grey with their name; actors are circles with name
    and type. Radio buttons switch the fill between need rate, access and gap
    with a few lines of inline JavaScript; without JavaScript the gap map is
    shown. No tiles, no CDN, no external script; every name is HTML-escaped and
    the output is deterministic. ``published`` – the published kommun table
    (``Results.published_tables()["kommun"]``, with secondary suppression) –
    supplies the placement counts shown when given.
    """
    lang = lang if lang in ("sv", "en") else "en"
    T = {k: v[lang] for k, v in SVG_TEXT.items()}
    g = geo_result.gdf.reset_index(drop=True)
    areas = map_areas(g)
    extents = [_extent(g[g["kommun_kod"].isin(a)], pad=0.03) for a in areas]
    total_w = sum(e[2] - e[0] for e in extents)
    fills = {
        "need_rate": _hex_colors(g["need_rate"], "OrRd"),
        "access": _hex_colors(g["access"], "YlGn"),
        "gap": _hex_colors(g["gap"], "RdBu_r", center=True),
    }
    # stable across runs (str hash() is salted per process)
    uid = "netsoc-map-" + hashlib.sha1(",".join(g["kommun_kod"]).encode()).hexdigest()[:8]
    unit = " %" if geo_result.params.get("need_unit") == "percent" else ""
    out = [f'<div class="netsoc-map" id="{uid}">',
           f'<form class="map-layers" style="font-size:0.9em">{_html_escape(T["show"])} ']
    for key in ("need_rate", "access", "gap"):
        checked = " checked" if key == "gap" else ""
        out.append(f'<label><input type="radio" name="{uid}-layer" value="{key}"{checked}> '
                   f'{_html_escape(T[key])}</label> ')
    out.append("</form>")
    out.append('<div style="display:flex;gap:6px;align-items:flex-start;flex-wrap:wrap">')
    shown_placements: dict[str, str] = {}
    if published is not None and {"kommun_kod", "placements"} <= set(published.columns):
        shown_placements = {str(k): (v if isinstance(v, str) else small_count(v, min_cell))
                            for k, v in zip(published["kommun_kod"], published["placements"],
                                            strict=True)}
    titles = []
    cols = {c: g[c].tolist() for c in ("kommun_namn", "kommun_kod", "population", "need_rate",
                                        "access", "gap", "lisa_cluster", "supply", "actors",
                                        "placements", "underserved", "in_study")}
    for i in range(len(g)):
        kod = cols["kommun_kod"][i]
        lines = [f"{cols['kommun_namn'][i]} ({kod})",
                 f"{T['population']}: {_fmt(cols['population'][i], 7, lang)}",
                 f"{T['need_rate']}: {_fmt(cols['need_rate'][i], 3, lang)}{unit}",
                 f"{T['access']}: {_fmt(cols['access'][i] * 1000, 3, lang)}",
                 f"{T['gap']}: {_fmt(cols['gap'][i], 2, lang)}",
                 f"{T['lisa']}: {vocab_label('lisa', cols['lisa_cluster'][i], lang)}",
                 f"{T['supply']}: {_fmt(cols['supply'][i], 3, lang)}",
                 f"{T['actors']}: {int(cols['actors'][i])}",
                 f"{T['placements']}: "
                 f"{shown_placements.get(kod, small_count(cols['placements'][i], min_cell))}"]
        if cols["underserved"][i]:
            lines.append(T["underserved"])
        titles.append(_html_escape("\n".join(lines)))
    # the same for every panel: data attributes, label anchors, actor tooltips
    data_attr = [" ".join(f'data-{k.replace("_", "-")}="{fills[k][i]}"' for k in fills)
                 for i in range(len(g))]
    label_xy = _label_points(g.geometry)
    # as on the static maps: every kommun in a small scope, else those in the study and
    # the underserved ones
    label_ok = len(g) <= 60 or (np.asarray(cols["in_study"], dtype=bool)
                                | np.asarray(cols["underserved"], dtype=bool))
    label_ok = np.broadcast_to(label_ok, (len(g),))
    names = [_html_escape(str(v)) for v in cols["kommun_namn"]]
    rank = label_rank(g)
    label_size = _svg_label_sizes([str(v) for v in cols["kommun_namn"]])
    kf = _kommun_frame()
    outside = ~kf["kommun_kod"].isin(g["kommun_kod"]).to_numpy()
    geoms = g.geometry.to_numpy()
    pts = actor_points(geo_result) if show_actors else None
    if pts is not None:
        pxy = pts[["px", "py"]].to_numpy(dtype=float)
        types = pts["type"].tolist()
        type_tip = {t: type_label(t, lang) for t in set(map(str, types))}
        tips = [_html_escape(f"{n} – {type_tip[str(t)]}")
                for n, t in zip(pts["name"].tolist(), types, strict=True)]
        colours = [TYPE_COLORS.get(str(t), "#333") for t in types]
    for (x0, y0, x1, y1) in extents:
        w = max(width * (x1 - x0) / total_w, 120.0)
        s = w / (x1 - x0)
        h = int(math.ceil((y1 - y0) * s))
        tol = 0.8 / s  # about one pixel
        out.append(f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w:.0f} {h}" '
                   f'style="flex:{w:.0f} 1 0;max-width:{w:.0f}px;background:#fff" role="img">')
        out.append("<style>.k:hover{stroke-width:2.5;stroke:#000}</style>")
        box = shapely.box(x0, y0, x1, y1)
        ctx = kf[outside & kf.intersects(box).to_numpy()]
        clipped = shapely.intersection(shapely.simplify(ctx.geometry.to_numpy(), tol), box)
        for geom, name in zip(clipped, ctx["kommun_namn"].tolist(), strict=True):
            d = _svg_path(geom, x0, y1, s)
            out.append(f'<path d="{d}" fill="#f2f2f2" stroke="#bbb" stroke-width="0.5">'
                       f'<title>{_html_escape(str(name))}</title></path>')
        hit = shapely.intersects(geoms, box)
        simple = shapely.simplify(geoms, tol)
        for i in np.flatnonzero(hit):
            d = _svg_path(simple[i], x0, y1, s)
            stroke, sw = ("#000", "2.2") if cols["underserved"][i] else ("#444", "0.7")
            out.append(f'<path class="k" d="{d}" fill="{fills["gap"][i]}" stroke="{stroke}" '
                       f'stroke-width="{sw}" {data_attr[i]}><title>{titles[i]}</title></path>')
        if pts is not None:
            inside = np.flatnonzero((pxy[:, 0] >= x0) & (pxy[:, 0] <= x1)
                                    & (pxy[:, 1] >= y0) & (pxy[:, 1] <= y1))
            cx = (pxy[inside, 0] - x0) * s
            cy = (y1 - pxy[inside, 1]) * s
            for j, a, b in zip(inside, cx, cy, strict=True):
                out.append(f'<circle cx="{a:.1f}" cy="{b:.1f}" r="3.2" fill="{colours[j]}" '
                           f'stroke="#000" stroke-width="0.5"><title>{tips[j]}</title></circle>')
        lx, ly = label_xy[:, 0], label_xy[:, 1]
        show = np.flatnonzero((x0 <= lx) & (lx <= x1) & (y0 <= ly) & (ly <= y1) & label_ok)
        if len(show):  # no two names on top of each other (the most important first)
            at = np.column_stack([(lx[show] - x0) * s, (y1 - ly[show]) * s])
            show = show[declutter_labels(at, label_size[show], rank[show])]
        for i in show:
            out.append(f'<text x="{(lx[i] - x0) * s:.1f}" y="{(y1 - ly[i]) * s:.1f}" '
                       f'font-size="10" font-family="sans-serif" text-anchor="middle" paint-order="stroke" '
                       f'stroke="#fff" stroke-width="2.5" pointer-events="none">'
                       f'{names[i]}</text>')
        out.append("</svg>")
    out.append("</div>")
    out.append(
        "<script>(function(){var r=document.getElementById('" + uid + "');"
        "r.querySelectorAll('input').forEach(function(i){i.addEventListener('change',"
        "function(){var k=i.value.replace('_','-');r.querySelectorAll('path.k').forEach("
        "function(p){p.setAttribute('fill',p.getAttribute('data-'+k));});});});})();</script>")
    out.append("</div>")
    return "\n".join(out)
