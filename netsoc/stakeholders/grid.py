"""The power-interest grid (Mendelow 1991) of a stakeholder table, as a matplotlib Figure.

Interest on the horizontal axis, influence on the vertical one (the usual
orientation of the grid), both means on the 1-5 scale, the quadrant borders at
3 (a mean of exactly 3 is *not* high, so a point on a border belongs to the
lower / left quadrant). Names are placed greedily, most important first
(``manage_closely`` first, then by influence + interest): each name tries
eight positions around its point, near then farther, and is drawn at the first
one whose box meets no name already drawn, no other point, no quadrant name
and stays inside the axes; a name that fits nowhere is left out and counted in
a footnote. Actors at the same position are spread on a small sunflower (in
``actor_id`` order, never across a quadrant border), so the picture is the
same on every run. Labels are plain text (math and markup are not
interpreted); escaping for HTML is the report's job.

References
----------
Mendelow, A. (1991). Stakeholder mapping. *Proceedings of the 2nd
International Conference on Information Systems*, Cambridge, MA.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from netsoc.stakeholders.vocabulary import HIGH, QUADRANTS, label

QUADRANT_COLOURS: dict[str, str] = {
    "manage_closely": "#c0392b",
    "keep_satisfied": "#d68910",
    "keep_informed": "#2471a3",
    "monitor": "#7f8c8d",
}
#: where each quadrant's name sits: (x, y, ha, va) in data units
_CORNERS = {
    "manage_closely": (5.42, 5.42, "right", "top"),
    "keep_satisfied": (0.58, 5.42, "left", "top"),
    "keep_informed": (5.42, 0.58, "right", "bottom"),
    "monitor": (0.58, 0.58, "left", "bottom"),
}
_WORDS = {
    "title": {"sv": "Intressentkarta: inflytande och intresse",
              "en": "Stakeholder map: influence and interest"},
    "x": {"sv": "Intresse (medelvärde, 1–5)", "en": "Interest (mean, 1–5)"},
    "y": {"sv": "Inflytande (medelvärde, 1–5)", "en": "Influence (mean, 1–5)"},
    "rule": {"sv": "Högt = medelvärde över 3; en punkt på en linje hör till rutan under "
                   "eller till vänster.",
             "en": "High = mean above 3; a point on a line belongs to the quadrant below or "
                   "to its left."},
    "left_out": {"sv": "{n} namn utelämnade för att inte överlappa",
                 "en": "{n} names left out to avoid overlaps"},
    "left_out_1": {"sv": "1 namn utelämnat för att inte överlappa",
                   "en": "1 name left out to avoid overlaps"},
    "empty": {"sv": "Inga skattningar av både inflytande och intresse",
              "en": "No actor is rated on both influence and interest"},
}
LIMITS = (0.5, 5.5)
SPREAD = 0.09  # data units: radius of the sunflower of n coincident points is SPREAD * sqrt(n)


def _sunflower(n: int, radius: float) -> np.ndarray:
    if n <= 1:
        return np.zeros((n, 2))
    i = np.arange(n) + 0.5
    r = radius * np.sqrt(i / n)
    th = i * math.pi * (3 - math.sqrt(5))
    return np.column_stack([r * np.cos(th), r * np.sin(th)])


def grid_points(table: pd.DataFrame) -> pd.DataFrame:
    """The actors drawn in the grid, with display positions ``px, py``.

    Rows with both ``influence`` and ``interest``; ``x`` = interest, ``y`` =
    influence, ``px, py`` spread deterministically where several actors
    coincide (never across the border at 3 nor outside the axes), and
    ``rank``: the order in which names claim room (0 first).

    Examples
    --------
    >>> tab = pd.DataFrame({"actor_id": ["b", "a", "c"], "name": ["B", "A", "C"],
    ...                     "influence": [4.0, 4.0, 2.0], "interest": [2.0, 2.0, 5.0],
    ...                     "quadrant": ["keep_satisfied", "keep_satisfied", "keep_informed"]})
    >>> p = grid_points(tab)
    >>> p[["actor_id", "rank"]].values.tolist()
    [['b', 1], ['a', 0], ['c', 2]]
    >>> bool((p["px"] != p["x"]).iloc[:2].all()), float(p["px"].iloc[2])
    (True, 5.0)
    """
    t = table[table["influence"].notna() & table["interest"].notna()].copy()
    t = t.reset_index(drop=True)
    t["x"] = t["interest"].astype(float)
    t["y"] = t["influence"].astype(float)
    t["px"], t["py"] = t["x"], t["y"]
    key = list(zip(t["x"].round(6), t["y"].round(6), strict=True))
    for k in dict.fromkeys(key):
        idx = [i for i, kk in enumerate(key) if kk == k]
        if len(idx) < 2:
            continue
        idx.sort(key=lambda i: str(t.at[i, "actor_id"]))
        off = _sunflower(len(idx), min(SPREAD * math.sqrt(len(idx)), 0.35))
        for i, (dx, dy) in zip(idx, off, strict=True):
            t.at[i, "px"] = _clip(t.at[i, "x"] + dx, t.at[i, "x"])
            t.at[i, "py"] = _clip(t.at[i, "y"] + dy, t.at[i, "y"])
    q = t["quadrant"].astype(object).where(t["quadrant"].notna(), "monitor")
    qrank = q.map({c: i for i, c in enumerate(QUADRANTS)}).astype(int)
    order = np.lexsort((t["actor_id"].astype(str).to_numpy(),
                        t["name"].astype(str).to_numpy(),
                        -(t["x"] + t["y"]).to_numpy(), qrank.to_numpy()))
    t["rank"] = np.argsort(order)
    return t


def _clip(v: float, original: float) -> float:
    """Keep a spread point on its side of the border (high = above 3) and inside the axes."""
    lo, hi = (HIGH + 0.03, LIMITS[1] - 0.08) if original > HIGH + 1e-9 else (LIMITS[0] + 0.08,
                                                                              HIGH)
    return float(min(max(v, lo), hi))


def _renderer(fig):
    canvas = fig.canvas
    if not hasattr(canvas, "get_renderer"):
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        canvas = FigureCanvasAgg(fig)
    return canvas.get_renderer()


def _overlaps(box, boxes: list, pad: float) -> bool:
    return any(box.x0 < b.x1 + pad and b.x0 < box.x1 + pad and box.y0 < b.y1 + pad
               and b.y0 < box.y1 + pad for b in boxes)


def _short(name: object, n: int) -> str:
    s = " ".join(str(name).split())
    return s if len(s) <= n else s[: n - 1].rstrip() + "…"


def power_interest_grid(table: pd.DataFrame, *, lang: str = "sv", ax=None,
                        label_chars: int = 28, fontsize: float = 8.0, title: bool = True):
    """Draw the power-interest grid of :func:`netsoc.stakeholders.stakeholder_table`.

    Parameters
    ----------
    table : DataFrame
        ``actor_id, name, influence, interest, quadrant``.
    lang : {"sv", "en"}
        Language of the quadrant names, axes and notes.
    ax : matplotlib Axes, optional
        Draw there (its figure's layout should be final: names are placed for
        it); default a new pyplot-free Figure with a fixed layout.
    label_chars : int
        Longer names are shortened with "…".
    fontsize : float
        Of the names, in points.
    title : bool
        Give the axes a title.

    Returns
    -------
    matplotlib.figure.Figure
        Names are ``Text`` artists with gid ``stakeholder-label:<actor_id>``,
        the quadrant names gid ``quadrant:<code>``, the points gid
        ``stakeholder-points``; the footnote (a new figure only) gid
        ``stakeholder-note``.

    Examples
    --------
    >>> tab = pd.DataFrame({"actor_id": ["af", "asf"], "name": ["AF", "ASF Verket"],
    ...                     "influence": [4.5, 2.0], "interest": [3.5, 4.5],
    ...                     "quadrant": ["manage_closely", "keep_informed"]})
    >>> fig = power_interest_grid(tab, lang="en")
    >>> sorted(t.get_text() for t in fig.axes[0].texts if t.get_gid().startswith("stake"))
    ['AF', 'ASF Verket']
    >>> [t.get_text() for t in fig.axes[0].texts if t.get_gid().startswith("quadrant")]
    ['Manage closely', 'Keep satisfied', 'Keep informed', 'Monitor']
    """
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle
    from matplotlib.transforms import Bbox, offset_copy

    if lang not in ("sv", "en"):
        raise ValueError(f"language must be 'sv' or 'en', not {lang!r}")
    own = ax is None
    if own:
        # a pyplot-free Figure with a fixed layout: the names are placed for it
        fig = Figure(figsize=(7.5, 6.5), dpi=100)
        ax = fig.add_axes((0.1, 0.11, 0.86, 0.82))
    else:
        fig = ax.figure
    lo, hi = LIMITS
    ax.set_xlim(lo, hi)
    ax.set_ylim(lo, hi)
    ax.set_autoscale_on(False)
    ax.set_xticks(range(1, 6))
    ax.set_yticks(range(1, 6))
    ax.set_xlabel(_WORDS["x"][lang])
    ax.set_ylabel(_WORDS["y"][lang])
    if title:
        ax.set_title(_WORDS["title"][lang])
    for q, (x0, y0) in {"manage_closely": (HIGH, HIGH), "keep_satisfied": (lo, HIGH),
                        "keep_informed": (HIGH, lo), "monitor": (lo, lo)}.items():
        ax.add_patch(Rectangle((x0, y0), (hi - lo) / 2, (hi - lo) / 2, facecolor=
                               QUADRANT_COLOURS[q], alpha=0.07, edgecolor="none", zorder=0))
    ax.axvline(HIGH, color="#555555", lw=0.8, zorder=1)
    ax.axhline(HIGH, color="#555555", lw=0.8, zorder=1)
    renderer = _renderer(fig)
    obstacles = []
    for q in QUADRANTS:
        x, y, ha, va = _CORNERS[q]
        t = ax.text(x, y, label("quadrant", q, lang), ha=ha, va=va, fontsize=fontsize + 2,
                    fontweight="bold", color=QUADRANT_COLOURS[q], gid=f"quadrant:{q}",
                    parse_math=False, zorder=2)
        obstacles.append(t.get_window_extent(renderer))
    p = grid_points(table)
    if not len(p):
        ax.text(3.0, 3.0, _WORDS["empty"][lang], ha="center", va="center", fontsize=fontsize + 1,
                color="#555555", gid="stakeholder-empty", parse_math=False,
                bbox={"facecolor": "white", "edgecolor": "none"})
        if own:
            fig.text(0.01, 0.01, _WORDS["rule"][lang], fontsize=7, color="#555555",
                     gid="stakeholder-note", parse_math=False)
        return fig
    colours = [QUADRANT_COLOURS.get(q, "#7f8c8d") if isinstance(q, str) else "#7f8c8d"
               for q in p["quadrant"].astype(object)]
    ax.scatter(p["px"], p["py"], s=36, c=colours, edgecolors="white", linewidths=0.6,
               zorder=3, gid="stakeholder-points")
    xy = ax.transData.transform(p[["px", "py"]].to_numpy(dtype=float))
    r_px = 3.5 * fig.dpi / 72  # marker radius (s=36 -> 6 pt across) in pixels
    markers = [Bbox.from_extents(x - r_px, y - r_px, x + r_px, y + r_px) for x, y in xy]
    frame = ax.get_window_extent(renderer)
    pad = 2.0 * fig.dpi / 72  # 2 points between boxes: text metrics shift a little with dpi
    placed: list = []
    left_out = 0
    step = [(1, 0, "left", "center"), (-1, 0, "right", "center"), (0, 1, "center", "bottom"),
            (0, -1, "center", "top"), (1, 1, "left", "bottom"), (1, -1, "left", "top"),
            (-1, 1, "right", "bottom"), (-1, -1, "right", "top")]
    for i in np.argsort(p["rank"].to_numpy(), kind="stable"):
        row = p.iloc[i]
        name = row["name"] if isinstance(row["name"], str) and row["name"].strip() else \
            str(row["actor_id"])
        t = ax.text(row["px"], row["py"], _short(name, label_chars), fontsize=fontsize,
                    gid=f"stakeholder-label:{row['actor_id']}", parse_math=False,
                    color="#222222", zorder=4)
        others = [m for j, m in enumerate(markers) if j != i]
        for dist in (4.5, 9.0):
            for sx, sy, ha, va in step:
                t.set_transform(offset_copy(ax.transData, fig=fig, x=sx * dist, y=sy * dist,
                                            units="points"))
                t.set_ha(ha)
                t.set_va(va)
                box = t.get_window_extent(renderer)
                inside = (box.x0 >= frame.x0 + pad and box.x1 <= frame.x1 - pad
                          and box.y0 >= frame.y0 + pad and box.y1 <= frame.y1 - pad)
                if inside and not _overlaps(box, placed + obstacles + others, pad):
                    placed.append(box)
                    break
            else:
                continue
            break
        else:
            t.remove()
            left_out += 1
    if own:
        note = _WORDS["rule"][lang]
        if left_out:
            key = "left_out_1" if left_out == 1 else "left_out"
            note += " " + _WORDS[key][lang].format(n=left_out) + "."
        fig.text(0.01, 0.01, note, fontsize=7, color="#555555", gid="stakeholder-note",
                 parse_math=False)
    return fig
