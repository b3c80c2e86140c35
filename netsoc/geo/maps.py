"""Static maps (matplotlib) of the kommuner in scope: :func:`make_maps`.

Panels (:func:`map_areas`), extents and actor display positions
(:func:`actor_points`) are also used by the SVG map in
:mod:`netsoc.geo.interactive`; the names are placed by :mod:`netsoc.geo.labels`.
matplotlib is imported only inside the drawing functions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from netsoc.geo.boundaries import _kommun_frame, _lan_frame, _lan_simple
from netsoc.geo.kommuner import GeoResult
from netsoc.geo.labels import (
    _add_labels,
    _label_metrics,
    _label_points,
    declutter_labels,
    label_rank,
)
from netsoc.i18n import label as vocab_label

MAP_TEXT: dict[str, dict[str, str]] = {
    "need_rate": {"sv": "Behovsandel", "en": "Need rate"},
    "access": {"sv": "Tillgång (2SFCA, platser per 1 000 i behov)",
               "en": "Access (2SFCA, places per 1,000 in need)"},
    "gap": {"sv": "Gap = z(behov) − z(tillgång)", "en": "Gap = z(need) − z(access)"},
    "actors": {"sv": "Aktörer efter typ", "en": "Actors by type"},
    "underserved": {"sv": "Underförsörjd", "en": "Underserved"},
    "lisa": {"sv": "LISA-kluster", "en": "LISA cluster"},
    "no_data": {"sv": "saknas", "en": "no data"},
    "inset": {"sv": "Sverige", "en": "Sweden"},
    "ns": {"sv": "ej signifikant", "en": "not significant"},
}
LISA_COLORS: dict[str, str] = {"HH": "#d7191c", "LL": "#2c7bb6", "HL": "#fdae61", "LH": "#abd9e9",
                               "ns": "#f0f0f0"}
TYPE_COLORS: dict[str, str] = {
    "kommun": "#1f77b4", "region": "#aec7e8", "samordningsforbund": "#9467bd",
    "arbetsformedlingen": "#17becf", "forsakringskassan": "#9edae5", "other_public": "#c5b0d5",
    "social_enterprise": "#d62728", "association": "#ff7f0e", "company": "#8c564b",
    "support_org": "#e377c2", "foundation": "#bcbd22", "university": "#7f7f7f",
    "project": "#2ca02c", "other": "#c7c7c7",
}


def type_label(actor_type: object, lang: str = "sv") -> str:
    """Display name of an actor type in ``sv`` or ``en`` (unknown types as given)."""
    return vocab_label("type", actor_type, lang)


def _spread(n: int, radius: float) -> np.ndarray:
    """Deterministic sunflower offsets so actors sharing a centroid don't overlap."""
    if n <= 1:
        return np.zeros((n, 2))
    i = np.arange(n) + 0.5
    r = radius * np.sqrt(i / n)
    th = i * math.pi * (3 - math.sqrt(5))
    return np.column_stack([r * np.cos(th), r * np.sin(th)])


def actor_points(geo: GeoResult, spread_m: float = 1500.0) -> pd.DataFrame:
    """Located actors with display positions ``px, py``.

    Actors without coordinates sit at their kommun's centroid; for display they
    are spread on a sunflower around it whose radius grows with the number of
    actors (``spread_m * sqrt(n)``, at most a third of the kommun's width), in
    ``actor_id`` order so the picture is the same on every run.
    """
    a = geo.actors[geo.actors["located"] != "none"].copy()
    a["px"] = a["x"]
    a["py"] = a["y"]
    cen = a[a["located"] == "kommun_centroid"]
    if not len(cen):
        return a
    # the sunflower of _spread for every kommun at once (same arithmetic, so the
    # same positions as one _spread call per kommun)
    order = (pd.DataFrame({"kod": cen["kommun_kod"].astype(str).to_numpy(),
                           "id": cen["actor_id"].astype(str).to_numpy()}, index=cen.index)
             .sort_values(["kod", "id"], kind="stable"))
    kod = order["kod"].to_numpy()
    grp = order.groupby("kod", sort=False)
    n = grp["id"].transform("size").to_numpy()
    rank = grp.cumcount().to_numpy()
    kf = _kommun_frame()
    area = pd.Series(kf.geometry.area.to_numpy(), index=kf["kommun_kod"].to_numpy())
    cap = np.sqrt(area.reindex(kod).to_numpy()) / 3
    cap = np.where(np.isnan(cap), spread_m * 3, cap)
    radius = np.minimum(spread_m * np.sqrt(n), cap)
    i = rank + 0.5
    r = radius * np.sqrt(i / n)
    th = i * math.pi * (3 - math.sqrt(5))
    off_x = np.where(n > 1, r * np.cos(th), 0.0)
    off_y = np.where(n > 1, r * np.sin(th), 0.0)
    idx = order.index
    a.loc[idx, "px"] = a.loc[idx, "x"].to_numpy() + off_x
    a.loc[idx, "py"] = a.loc[idx, "y"].to_numpy() + off_y
    return a


def _extent(gdf: gpd.GeoDataFrame, pad: float = 0.06) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = gdf.total_bounds
    dx, dy = (x1 - x0) * pad + 5000, (y1 - y0) * pad + 5000
    return x0 - dx, y0 - dy, x1 + dx, y1 + dy


def map_areas(gdf: gpd.GeoDataFrame, gap_m: float = 30_000.0, max_areas: int = 3
              ) -> list[list[str]]:
    """Group the kommuner in scope into separate map panels.

    Kommuner closer than ``gap_m`` to each other (polygon to polygon) belong to
    the same area, so a study of Stockholm's south plus Motala–Vadstena gets
    two zoomed panels instead of one map where both are tiny. More than
    ``max_areas`` areas, or areas whose bounding boxes together cover more than
    half of the common one (all of Sweden with Gotland), give a single panel.
    """
    # heavy: scipy.sparse (about 0.5 s to import) only when map panels are grouped
    import scipy.sparse as sp
    from scipy.sparse.csgraph import connected_components

    geoms = gdf.geometry.buffer(gap_m / 2).to_numpy()
    n = len(geoms)
    if n == 0:
        return []
    tree = gpd.GeoSeries(geoms).sindex
    i, j = tree.query(geoms, predicate="intersects")
    adj = sp.coo_matrix((np.ones(len(i)), (i, j)), shape=(n, n))
    n_comp, lab = connected_components(adj, directed=False)
    codes = gdf["kommun_kod"].to_numpy()
    if n_comp > max_areas or n_comp == 1:
        return [sorted(codes)]

    def box_area(sel) -> float:
        x0, y0, x1, y1 = gdf[sel].total_bounds
        return (x1 - x0 + gap_m) * (y1 - y0 + gap_m)

    # split only when the panels together are much smaller than one common map
    # (Stockholm + Motala: yes; the mainland + Gotland: no)
    if sum(box_area(lab == c) for c in range(n_comp)) > 0.5 * box_area(np.ones(n, bool)):
        return [sorted(codes)]
    areas = [sorted(codes[lab == c]) for c in range(n_comp)]
    # largest area first, then by code, for a stable panel order
    return sorted(areas, key=lambda a: (-len(a), a[0]))


def _polygon_paths(geoms) -> list:
    """One compound matplotlib ``Path`` per (multi)polygon (``None`` when missing
    or empty): every ring a MOVETO, LINETOs and a CLOSEPOLY, built with shapely's
    vectorised accessors instead of a Python loop over the rings."""
    # heavy: matplotlib is imported only when maps are drawn
    from matplotlib.path import Path

    geoms = np.asarray(geoms, dtype=object)
    out: list = [None] * len(geoms)
    ok = np.flatnonzero([g is not None and not g.is_empty for g in geoms])
    if not len(ok):
        return out
    parts, p_owner = shapely.get_parts(geoms[ok], return_index=True)
    rings, r_part = shapely.get_rings(parts, return_index=True)  # exterior, then holes
    xy, c_ring = shapely.get_coordinates(rings, return_index=True)
    n_ring = np.bincount(c_ring, minlength=len(rings))
    start = np.r_[0, np.cumsum(n_ring)[:-1]]
    codes = np.full(len(xy), Path.LINETO, dtype=Path.code_type)
    codes[start] = Path.MOVETO
    codes[start + n_ring - 1] = Path.CLOSEPOLY
    owner = p_owner[r_part][c_ring]  # geometry of every vertex (in ok order)
    bounds = np.r_[0, np.flatnonzero(np.diff(owner)) + 1, len(xy)]
    for a, b in zip(bounds[:-1], bounds[1:], strict=True):
        out[ok[owner[a]]] = Path(xy[a:b], codes[a:b])
    return out


def _draw(ax, paths, facecolor="none", edgecolor="#333333", linewidth=0.6, zorder=1,
          linestyle="-", hatch=None) -> None:
    """Polygons (``Path`` from :func:`_polygon_paths`, or geometries) as one
    PathCollection (geopandas' ``plot`` redraws the whole figure on every call,
    which made a four-map figure take seconds)."""
    # heavy: matplotlib is imported only when maps are drawn
    from matplotlib.collections import PathCollection
    from matplotlib.path import Path

    paths = list(paths)
    if paths and not all(p is None or isinstance(p, Path) for p in paths):
        paths = _polygon_paths(paths)
    keep = [i for i, p in enumerate(paths) if p is not None]
    if not keep:
        return
    if isinstance(facecolor, np.ndarray) and facecolor.ndim == 2 and len(facecolor) == len(paths):
        facecolor = facecolor[keep]  # one colour per polygon: drop those of empty ones
    pc = PathCollection([paths[i] for i in keep], facecolors=facecolor, edgecolors=edgecolor,
                        linewidths=linewidth, linestyles=linestyle, zorder=zorder, hatch=hatch)
    ax.add_collection(pc, autolim=False)


@dataclass
class _MapLayout:
    """What the four maps of one result share, computed once: panels and their
    extents, polygon paths, label anchors, context kommuner and the inset."""

    areas: list
    extents: list
    paths: list  # one per row of geo.gdf
    label_xy: np.ndarray  # (n, 2)
    labelled: np.ndarray  # bool (n,)
    label_rank: np.ndarray  # each row's label priority (0 first)
    context: list  # per panel: paths of surrounding kommuner
    inset: list  # paths of the kommuner in scope, simplified for the inset


def _map_layout(geo: GeoResult) -> _MapLayout:
    g = geo.gdf
    areas = map_areas(g)
    extents = [_extent(g[g["kommun_kod"].isin(a)]) for a in areas]
    kf = _kommun_frame()
    kf_paths = _kommun_paths()
    context = []
    for x0, y0, x1, y1 in extents:
        near = (kf["centroid_x"].between(x0 - 1e5, x1 + 1e5)
                & kf["centroid_y"].between(y0 - 1e5, y1 + 1e5)
                & ~kf["kommun_kod"].isin(g["kommun_kod"])).to_numpy()
        context.append([kf_paths[i] for i in np.flatnonzero(near)])
    labelled = (np.ones(len(g), dtype=bool) if len(g) <= 60
                else (g["in_study"] | g["underserved"]).to_numpy(dtype=bool))
    return _MapLayout(areas=areas, extents=extents, paths=_polygon_paths(g.geometry),
                      label_xy=_label_points(g.geometry), labelled=labelled,
                      label_rank=label_rank(g), context=context,
                      inset=_polygon_paths(g.geometry.simplify(1000)))


@lru_cache(maxsize=1)
def _kommun_paths() -> list:
    return _polygon_paths(_kommun_frame().geometry)


@lru_cache(maxsize=1)
def _lan_paths() -> list:
    return _polygon_paths(_lan_simple())


class _MapFigure:
    """One figure: a panel per map area, and a side column with legend,
    colour bar and a small Sweden inset."""

    def __init__(self, geo: GeoResult, title: str, lang: str, layout: _MapLayout | None = None):
        # heavy: matplotlib is imported only when maps are drawn
        import matplotlib.pyplot as plt

        self.geo = geo
        self.lang = lang
        self.layout = layout = layout or _map_layout(geo)
        self.areas = layout.areas
        self.extents = layout.extents
        ratios = [(e[2] - e[0]) / (e[3] - e[1]) for e in self.extents]
        # panel widths follow each area's aspect; the side column is fixed
        height = 7.0
        width = min(max(6.0 * sum(ratios) + 2.4, 7.0), 15.0)
        self.fig = fig = plt.figure(figsize=(width, height))
        fig.subplots_adjust(left=0.02, right=0.98, top=0.91, bottom=0.03)
        gs = fig.add_gridspec(3, len(self.areas) + 1, width_ratios=[*ratios, 0.45],
                              height_ratios=[1.1, 1.0, 1.3], wspace=0.04, hspace=0.15)
        self.axes = [fig.add_subplot(gs[:, i]) for i in range(len(self.areas))]
        self.ax_legend = fig.add_subplot(gs[0, -1])
        self.ax_cbar_cell = fig.add_subplot(gs[1, -1])
        self.ax_inset = fig.add_subplot(gs[2, -1])
        for ax in (self.ax_legend, self.ax_cbar_cell):
            ax.set_axis_off()
        fig.suptitle(title, fontsize=13)
        for ax, context in zip(self.axes, layout.context, strict=True):
            ax.set_axis_off()
            _draw(ax, context, "#f4f4f4", "#bbbbbb", 0.4, zorder=0)

    def finish(self, legend_handles=None, colorbar=None) -> object:
        g = self.geo.gdf
        lay = self.layout
        names = g["kommun_namn"].astype(str).to_numpy()
        for ax, (x0, y0, x1, y1) in zip(self.axes, self.extents, strict=True):
            ax.set_xlim(x0, x1)
            ax.set_ylim(y0, y1)
            ax.set_aspect("equal")
            px, py = lay.label_xy[:, 0], lay.label_xy[:, 1]
            show = np.flatnonzero(lay.labelled & (x0 <= px) & (px <= x1) & (y0 <= py) & (py <= y1))
            if len(show):
                # names that would overlap are left out (the most important first):
                # at national scale they would cover the south of the map
                ax.apply_aspect()
                to_pt = 72.0 / self.fig.dpi
                at = ax.transData.transform(lay.label_xy[show]) * to_pt
                size = _label_metrics(self.fig.canvas.get_renderer(), list(names[show]),
                                      self.fig.dpi)[:, :2] * to_pt
                show = show[declutter_labels(at, size, lay.label_rank[show])]
            _add_labels(ax, list(names[show]), lay.label_xy[show])
            ax.set_xticks([])
            ax.set_yticks([])
            for s in ax.spines.values():
                s.set_color("#999999")
        if legend_handles:
            self.ax_legend.legend(handles=legend_handles, loc="upper left", fontsize=8,
                                  frameon=False, borderaxespad=0)
        if colorbar is not None:
            mappable, label = colorbar
            cax = self.ax_cbar_cell.inset_axes([0.05, 0.0, 0.12, 1.0])
            cb = self.fig.colorbar(mappable, cax=cax)
            cb.set_label(label, fontsize=8)
            cb.ax.tick_params(labelsize=8)
        self._inset()
        return self.fig

    def _inset(self) -> None:
        ax = self.ax_inset
        _draw(ax, _lan_paths(), "#eeeeee", "#999999", 0.3)
        _draw(ax, self.layout.inset, "#444444", "none", 0, zorder=2)
        x0, y0, x1, y1 = _lan_frame().total_bounds
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
        for x0, y0, x1, y1 in self.extents:
            ax.plot([x0, x1, x1, x0, x0], [y0, y0, y1, y1, y0], color="#d62728", linewidth=0.9)
        ax.set_aspect("equal")
        ax.set_axis_off()
        ax.set_title(MAP_TEXT["inset"][self.lang], fontsize=8, pad=2)


def _choropleth(geo: GeoResult, column: str, title: str, cmap: str, lang: str,
                scale: float = 1.0, legend_label: str = "", center: bool = False,
                layout: _MapLayout | None = None):
    # heavy: matplotlib is imported only when maps are drawn
    import matplotlib as mpl
    from matplotlib.colors import Normalize

    mf = _MapFigure(geo, title, lang, layout)
    g = geo.gdf
    val = pd.to_numeric(g[column], errors="coerce") * scale
    v = val.dropna()
    lo, hi = (float(v.min()), float(v.max())) if len(v) else (0.0, 1.0)
    if hi <= lo:
        lo, hi = lo - 1.0, hi + 1.0
    if center:
        m = max(abs(lo), abs(hi))
        norm = Normalize(-m, m)  # symmetric, so white is 0 and ticks read on both sides
    else:
        norm = Normalize(lo, hi)
    sm = mpl.cm.ScalarMappable(norm=norm, cmap=cmap)
    has = val.notna().to_numpy()
    colors = sm.to_rgba(val[has].to_numpy())
    paths = mf.layout.paths
    lw = 0.6 if len(g) <= 60 else 0.2
    for ax in mf.axes:
        _draw(ax, [p for p, h in zip(paths, has, strict=True) if h], colors, "#333333", lw)
        _draw(ax, [p for p, h in zip(paths, has, strict=True) if not h], "white", "#999999", lw,
              hatch="///")
    return mf, sm


def make_maps(geo_result: GeoResult, actors_table: pd.DataFrame | None = None,
              lang: str = "sv") -> dict[str, object]:
    """Static maps (matplotlib Figures) of the kommuner in scope.

    Each map zooms on the study area – one panel per separate area (see
    :func:`map_areas`) – with surrounding kommuner in grey, kommun names as
    labels (all kommuner, or only study and underserved ones when more than
    60), and a small Sweden inset marking the panels.

    Parameters
    ----------
    geo_result : GeoResult
    actors_table : DataFrame, optional
        ``tables/actors.csv``; its ``degree`` sizes the actor points when present.
    lang : ``sv`` or ``en``

    Returns
    -------
    dict
        ``map_need_rate``, ``map_access``, ``map_gap`` (LISA clusters as coloured
        borders, underserved kommuner outlined with a dashed black line),
        ``map_actors`` (actors by type; actors without coordinates are spread
        around their kommun's centroid).
    """
    # heavy: matplotlib is imported only when maps are drawn
    import matplotlib.lines as mlines
    import matplotlib.patches as mpatches

    lang = lang if lang in ("sv", "en") else "en"
    geo = geo_result
    g = geo.gdf
    unit = " (%)" if geo.params.get("need_unit") == "percent" else ""
    no_data = mpatches.Patch(facecolor="white", edgecolor="#999999", hatch="///",
                             label=MAP_TEXT["no_data"][lang])
    missing = [no_data]
    figs: dict[str, object] = {}
    lay = _map_layout(geo)  # panels, paths and labels shared by the four maps
    paths = lay.paths

    label = f"{MAP_TEXT['need_rate'][lang]}{unit}"
    mf, sm = _choropleth(geo, "need_rate", f"{MAP_TEXT['need_rate'][lang]} – "
                         f"{geo.params.get('need_indicator')}", "OrRd", lang,
                         layout=lay)
    figs["map_need_rate"] = mf.finish(missing if g["need_rate"].isna().any() else None,
                                      (sm, label))
    mf, sm = _choropleth(geo, "access", MAP_TEXT["access"][lang], "YlGn", lang, scale=1000.0,
                         layout=lay)
    figs["map_access"] = mf.finish(missing if g["access"].isna().any() else None,
                                   (sm, MAP_TEXT["access"][lang]))

    mf, sm = _choropleth(geo, "gap", MAP_TEXT["gap"][lang], "RdBu_r", lang, center=True,
                         layout=lay)
    cluster = g["lisa_cluster"].to_numpy()
    under = g["underserved"].to_numpy(dtype=bool)
    for ax in mf.axes:
        for cl, col in LISA_COLORS.items():
            if cl != "ns" and (cluster == cl).any():
                _draw(ax, [p for p, c in zip(paths, cluster, strict=True) if c == cl], "none",
                      col, 2.4, zorder=3)
        if under.any():
            _draw(ax, [p for p, u in zip(paths, under, strict=True) if u], "none", "black", 2.0,
                  zorder=4, linestyle="--")
    handles = [mlines.Line2D([], [], color=LISA_COLORS[c], linewidth=2.4,
                             label=f"{MAP_TEXT['lisa'][lang]}: {vocab_label('lisa', c, lang)}")
               for c in ("HH", "LL", "HL", "LH") if (g["lisa_cluster"] == c).any()]
    handles.append(mlines.Line2D([], [], color="black", linewidth=2.0, linestyle="--",
                                 label=MAP_TEXT["underserved"][lang]))
    figs["map_gap"] = mf.finish(handles, (sm, "gap"))

    mf = _MapFigure(geo, MAP_TEXT["actors"][lang], lang, lay)
    pts = actor_points(geo)
    size = pd.Series(28.0, index=pts.index)
    if actors_table is not None and "degree" in actors_table:
        deg = pd.to_numeric(actors_table.set_index("actor_id")["degree"], errors="coerce")
        d = deg.reindex(pts["actor_id"]).fillna(0).to_numpy()
        size = pd.Series(12 + 70 * d / max(d.max(), 1), index=pts.index)
    handles = []
    for ax in mf.axes:
        _draw(ax, paths, "#fdfdfd", "#333333", 0.6 if len(g) <= 60 else 0.2)
    for typ in sorted(pts["type"].unique(), key=str):
        sel = pts["type"] == typ
        col = TYPE_COLORS.get(str(typ), "#333333")
        for ax in mf.axes:
            ax.scatter(pts.loc[sel, "px"], pts.loc[sel, "py"], s=size[sel], c=col,
                       edgecolors="black", linewidths=0.4, zorder=4)
        handles.append(mlines.Line2D([], [], marker="o", linestyle="", markerfacecolor=col,
                                     markeredgecolor="black", markersize=6,
                                     label=f"{type_label(typ, lang)} ({int(sel.sum())})"))
    figs["map_actors"] = mf.finish(handles, None)
    return figs
