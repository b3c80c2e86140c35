"""Static figures shared by report sections (matplotlib, deterministic layouts)."""

from __future__ import annotations

import matplotlib
import networkx as nx
import numpy as np
import pandas as pd

# Figures are made with matplotlib.figure.Figure, not pyplot: no backend is chosen here, so
# importing netsoc never changes a notebook's backend, and no figure lingers in pyplot.
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from netsoc.i18n import label
from netsoc.report.network_view import largest_in_colour, ordered_subgraph

#: font with every Swedish letter (bundled with matplotlib, so always present)
FONT = {"font.family": "DejaVu Sans"}


def network_figure(G: nx.Graph, actors: pd.DataFrame, *, color_by: str = "type",
                   size_by: str = "degree", seed: int = 2014, max_nodes: int = 400,
                   label_top: int = 15, title: str | None = None,
                   legend_title: str | None = None, lang: str = "en"):
    """The collaboration network drawn with a seeded spring layout.

    Node colour by ``color_by``, size by ``size_by``; the ``label_top`` actors by
    ``size_by`` are labelled. Larger graphs are cut to the ``max_nodes`` largest.
    Actor types in the legend are words in ``lang`` (``"sv"`` or ``"en"``).
    """
    with matplotlib.rc_context(FONT):
        return _network_figure(G, actors, color_by=color_by, size_by=size_by, seed=seed,
                               max_nodes=max_nodes, label_top=label_top, title=title,
                               legend_title=legend_title, lang=lang)


def spring_layout(G: nx.Graph, *, seed: int, k: float | None = None,
                  iterations: int = 50, threshold: float = 1e-4) -> dict:
    """Fruchterman-Reingold positions, as ``networkx.spring_layout(G, weight=None)`` computes them.

    The same start (``numpy.random.RandomState(seed)``), forces, cooling and
    stopping rule as networkx's dense ("force") method, with the coordinates
    kept as two vectors instead of an ``n x n x 2`` array: several times
    faster for the few hundred actors of the report's picture. Sums run in a
    different order, so positions differ from networkx's in the last digits
    (and the picture after many iterations a little); same seed, same picture.

    Examples
    --------
    >>> pos = spring_layout(nx.path_graph(4), seed=1)
    >>> sorted(pos) == [0, 1, 2, 3]
    True

    References
    ----------
    Fruchterman, T. M. J. & Reingold, E. M. (1991). Graph drawing by
    force-directed placement. *Software: Practice and Experience* 21(11), 1129-1164.
    """
    nodes = list(G)
    n = len(nodes)
    if n == 0:
        return {}
    if n == 1:
        return {nodes[0]: np.zeros(2)}
    a = nx.to_numpy_array(G, nodelist=nodes, weight=None)
    xy = np.random.RandomState(seed).rand(n, 2)
    x, y = xy[:, 0].copy(), xy[:, 1].copy()
    k = np.sqrt(1.0 / n) if k is None else k
    t = max(x.max() - x.min(), y.max() - y.min()) * 0.1
    dt = t / (iterations + 1)
    for _ in range(iterations):
        dx = x[:, None] - x[None, :]
        dy = y[:, None] - y[None, :]
        dist = np.sqrt(dx * dx + dy * dy)
        np.clip(dist, 0.01, None, out=dist)
        force = k * k / (dist * dist) - a * dist / k
        disp_x = (dx * force).sum(axis=1)
        disp_y = (dy * force).sum(axis=1)
        length = np.sqrt(disp_x * disp_x + disp_y * disp_y)
        length = np.where(length < 0.01, 0.1, length)
        step_x, step_y = disp_x * (t / length), disp_y * (t / length)
        x += step_x
        y += step_y
        t -= dt
        if np.sqrt((step_x * step_x).sum() + (step_y * step_y).sum()) / n < threshold:
            break
    pos = nx.rescale_layout(np.column_stack([x, y]), scale=1)
    return dict(zip(nodes, pos, strict=True))


def _network_figure(G, actors, *, color_by, size_by, seed, max_nodes, label_top, title,
                    legend_title, lang):
    a = actors.set_index("actor_id")
    nodes = [n for n in G.nodes if n in a.index]
    if len(nodes) > max_nodes:
        nodes = list(a.loc[nodes, size_by].fillna(0).sort_values(ascending=False, kind="mergesort")
                     .index[:max_nodes])
    H = ordered_subgraph(G, sorted(nodes), undirected=True)
    # isolated actors would be pushed to the edges and shrink the picture: the caller notes them
    H.remove_nodes_from([n for n in list(H) if H.degree(n) == 0])
    pos = spring_layout(H, seed=seed, k=2.0 / max(1, len(H)) ** 0.5, iterations=300)
    cats = a.loc[list(H.nodes), color_by].fillna("–").astype(str)
    cats, colours = largest_in_colour(cats, lang)
    size = a.loc[list(H.nodes), size_by].fillna(0).astype(float)
    top = size.max() if len(size) and size.max() > 0 else 1.0
    # a Figure outside pyplot's registry: reports and tests make many, none must linger
    fig = Figure(figsize=(10, 8))
    ax = fig.subplots()
    nx.draw_networkx_edges(H, pos, ax=ax, alpha=0.25, width=0.6)
    nx.draw_networkx_nodes(H, pos, ax=ax, node_color=[colours[c] for c in cats],
                           node_size=[20 + 400 * s / top for s in size], linewidths=0.3,
                           edgecolors="#333333")
    biggest = size.sort_values(ascending=False, kind="mergesort").index[:label_top]
    nx.draw_networkx_labels(H, pos, ax=ax, font_size=7,
                            labels={n: str(a.loc[n, "name"])[:28] for n in biggest},
                            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none",
                                  "alpha": 0.75})
    # marker handles, not empty scatters: a scatter in a legend costs a Bezier-extents
    # computation per draw (most of this figure's drawing time)
    handles = [Line2D([], [], linestyle="", marker="o", markersize=40 ** 0.5, color=colour,
                      label=label("type", cat, lang) if color_by == "type" else cat)
               for cat, colour in colours.items()]
    ax.legend(handles=handles, loc="lower left", fontsize=7, frameon=False, ncol=2,
              title=legend_title, title_fontsize=8)
    if title:
        ax.set_title(title)
    ax.set_axis_off()
    fig.tight_layout()
    return fig
