"""Kommun name labels on the maps: anchors, priority, greedy decluttering, glyph outlines.

:func:`label_rank` orders the names (underserved, LISA clusters, study kommuner,
population) and :func:`declutter_labels` keeps those whose boxes meet no box
already placed – for the static maps (:mod:`netsoc.geo.maps`, boxes from the
renderer's text metrics) and the SVG map (:mod:`netsoc.geo.interactive`, DejaVu
Sans metrics). :func:`_add_labels` draws the static maps' names as one
collection of glyph outlines with a white halo.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd
import shapely


def _label_point(geom):
    """Label anchor: representative point of the largest part (so an archipelago
    kommun like Värmdö is labelled on its main land, not among the islets)."""
    parts = getattr(geom, "geoms", [geom])
    main = max(parts, key=lambda p: p.area)
    return main.representative_point()


def _label_points(geoms) -> np.ndarray:
    """:func:`_label_point` of every geometry at once, as an ``(n, 2)`` array
    (NaN for a missing or empty geometry)."""
    geoms = np.asarray(geoms, dtype=object)
    out = np.full((len(geoms), 2), np.nan)
    ok = np.array([g is not None and not g.is_empty for g in geoms], dtype=bool)
    if not ok.any():
        return out
    parts, owner = shapely.get_parts(geoms[ok], return_index=True)
    area = shapely.area(parts)
    # the first part of largest area per geometry, as max() picks it
    order = np.lexsort((np.arange(len(parts)), -area, owner))
    first = np.r_[True, owner[order][1:] != owner[order][:-1]]
    main = parts[order[first]]
    out[ok] = shapely.get_coordinates(shapely.point_on_surface(main))
    return out


LABEL_SIZE = 8.0  # points
LABEL_HALO = 2.5  # points, white


@lru_cache(maxsize=4096)
def _label_glyphs(text: str):
    """Outline of a map label in points, its baseline starting at (0, 0): the
    path matplotlib draws for a text with path effects (``TextToPath``)."""
    # heavy: matplotlib is imported only when maps are drawn
    from matplotlib.font_manager import FontProperties
    from matplotlib.path import Path
    from matplotlib.textpath import text_to_path

    verts, codes = text_to_path.get_text_path(FontProperties(size=LABEL_SIZE), text)
    verts = np.asarray(verts, dtype=float).reshape(-1, 2) * (LABEL_SIZE / text_to_path.FONT_SCALE)
    return Path(verts, codes)


_LABEL_METRICS: dict[tuple, np.ndarray] = {}


def _label_metrics(renderer, texts: list[str], dpi: float) -> np.ndarray:
    """``(n, 3)`` width, height and descent in pixels of one-line labels as
    ``Text._get_layout`` takes them (the renderer's hinted metrics at ``dpi``,
    height and descent at least those of "lp"), cached per renderer type and
    dpi: the same label is laid out once, not once per map and save."""
    # heavy: matplotlib is imported only when maps are drawn
    from matplotlib.font_manager import FontProperties

    prop = FontProperties(size=LABEL_SIZE)
    kind = (type(renderer).__name__, float(dpi))
    out = np.empty((len(texts), 3))
    for i, s in enumerate(["lp", *texts]):
        key = (*kind, s)
        if key not in _LABEL_METRICS:
            _LABEL_METRICS[key] = np.array(renderer.get_text_width_height_descent(s, prop, False),
                                           dtype=float)
        if i == 0:
            lp = _LABEL_METRICS[key]
        else:
            w, h, d = _LABEL_METRICS[key]
            out[i - 1] = (w, max(h, lp[1]), max(d, lp[2]))
    return out


def label_rank(gdf: pd.DataFrame) -> np.ndarray:
    """Each row's place (0 first) in the order in which kommun names claim room
    on a map: underserved kommuner, then significant LISA clusters, then
    kommuner in the study, each by population (largest first), ties in table
    order."""
    n = len(gdf)

    def col(name, default):
        return gdf[name].to_numpy() if name in gdf else np.full(n, default)

    underserved = col("underserved", False).astype(bool)
    lisa = pd.Series(col("lisa_cluster", "ns")).fillna("ns").astype(str).to_numpy()
    in_study = col("in_study", True).astype(bool)
    pop = pd.to_numeric(pd.Series(col("population", np.nan)), errors="coerce").fillna(0).to_numpy()
    # np.lexsort: the last key is the primary one
    order = np.lexsort((np.arange(n), -pop, ~in_study, lisa == "ns", ~underserved))
    return np.argsort(order)


def declutter_labels(xy: np.ndarray, size: np.ndarray, rank: np.ndarray,
                     pad: float = 0.5) -> np.ndarray:
    """Which labels to draw so that none overlaps another, greedily by ``rank`` (0 first).

    ``xy`` are label centres and ``size`` their widths and heights, both in
    points; each box gets ``pad`` points around it (the white halo). The usual
    greedy placement of cartography: a label is drawn if its box meets none of
    the boxes already placed.

    Examples
    --------
    >>> xy = np.array([[0.0, 0.0], [5.0, 0.0], [200.0, 0.0]])
    >>> size = np.array([[30.0, 10.0], [45.0, 10.0], [30.0, 10.0]])
    >>> declutter_labels(xy, size, np.array([1, 0, 2])).tolist()
    [False, True, True]
    """
    order = np.argsort(rank, kind="stable")
    xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    half = np.asarray(size, dtype=float).reshape(-1, 2) / 2 + pad
    lo, hi = xy - half, xy + half
    keep = np.zeros(len(xy), dtype=bool)
    placed: list[int] = []
    for i in order:
        if placed:
            p = np.asarray(placed)
            if ((lo[p] < hi[i]) & (hi[p] > lo[i])).all(axis=1).any():
                continue
        keep[i] = True
        placed.append(i)
    return keep


def _svg_label_sizes(names: list[str], font_size: float = 10.0) -> np.ndarray:
    """``(n, 2)`` widths and heights of the SVG map's names in its units (DejaVu
    Sans metrics: a little wider than most browsers' sans-serif, so names kept
    apart here stay apart there)."""
    # heavy: matplotlib is imported only when maps are drawn
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import text_to_path

    prop = FontProperties(family="DejaVu Sans", size=font_size)
    out = np.empty((len(names), 2))
    for i, name in enumerate(names):
        w, _, _ = text_to_path.get_text_width_height_descent(name, prop, ismath=False)
        out[i] = (w, 1.2 * font_size)
    return out


def _add_labels(ax, names: list[str], xy: np.ndarray, zorder: float = 5) -> None:
    """Kommun names with a white halo, drawn as one collection of glyph outlines.

    Draws what ``annotate(name, xy, ha="center", va="center", fontsize=8,
    path_effects=[withStroke(linewidth=2.5, foreground="white")])`` drew – text
    as paths, each label's outline stroked white and filled black, label after
    label, placed with the same layout metrics – but in one
    ``draw_path_collection`` call: laying out, converting and drawing each
    annotation on every save was most of the maps' drawing time at national
    scale.
    """
    # heavy: matplotlib is imported only when maps are drawn
    import matplotlib.transforms as mtransforms

    if not len(names):
        return
    names = [str(s) for s in names]
    paths = [p for s in names for p in [_label_glyphs(s)] * 2]  # halo, then fill
    n = len(names)
    coll = _label_collection_class()(
        paths, offsets=np.repeat(np.asarray(xy, dtype=float), 2, axis=0),
        offset_transform=ax.transData, facecolors="black", edgecolors=["white", "none"] * n,
        linewidths=[LABEL_HALO, 0.0] * n, zorder=zorder, clip_on=False)
    # glyph outlines are in points: scaled to pixels at the dpi of each save
    coll.set_transform(mtransforms.Affine2D().scale(1 / 72.0) + ax.get_figure().dpi_scale_trans)
    coll.anchors = np.asarray(xy, dtype=float)
    coll.label_texts = names
    ax.add_collection(coll, autolim=False)


@lru_cache(maxsize=1)
def _label_collection_class() -> type:
    """PathCollection of map labels (a class made on first use, since
    matplotlib is imported only when maps are drawn)."""
    # heavy: matplotlib is imported only when maps are drawn
    import matplotlib.transforms as mtransforms
    from matplotlib.collections import Collection, PathCollection

    class _Labels(PathCollection):
        def _metrics(self, renderer):
            if renderer is None:
                renderer = self.figure.canvas.get_renderer()
            return _label_metrics(renderer, self.label_texts, self.figure.dpi)

        def draw(self, renderer):
            # centre each label as Text(ha="center", va="center") does: its
            # baseline starts at (-w/2, d - h/2) pixels from the anchor; as a
            # per-path translation in points (the collection's units)
            w, h, d = self._metrics(renderer).T
            shift = np.column_stack([-w / 2, d - h / 2]) * (72.0 / self.figure.dpi)
            tr = np.zeros((len(shift), 3, 3))
            tr[:, 0, 0] = tr[:, 1, 1] = tr[:, 2, 2] = 1.0
            tr[:, :2, 2] = shift
            self._transforms = np.repeat(tr, 2, axis=0)
            # PathCollection.draw would reset the transforms from marker sizes
            Collection.draw(self, renderer)

        def get_window_extent(self, renderer=None):
            # the text boxes Text.get_window_extent reports, so that
            # bbox_inches="tight" leaves the same room for labels at the edge
            w, h, _ = self._metrics(renderer).T
            px = self.axes.transData.transform(self.anchors)
            half = np.column_stack([w, h]) / 2
            return mtransforms.Bbox([(px - half).min(axis=0), (px + half).max(axis=0)])

    return _Labels
