"""Pictures of communities: the resolution-sweep plot and a colour per actor."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd


def plot_sweep(sweep: pd.DataFrame, ax=None, *, labels: dict[str, str] | None = None):
    """Plot number of communities and modularity against resolution.

    Returns the matplotlib Figure.
    """
    from matplotlib.figure import Figure  # heavy; only figures need it

    lab = {"resolution": "resolution", "n_communities": "communities",
           "modularity": "modularity"} | (labels or {})
    if ax is None:
        # a pyplot-free Figure: no global backend state, nothing left open
        fig = Figure(figsize=(6, 3.5))
        ax = fig.add_subplot()
    else:
        fig = ax.figure
    ax.plot(sweep["resolution"], sweep["n_communities"], "o-", color="#1f77b4")
    ax.set_xlabel(lab["resolution"])
    ax.set_ylabel(lab["n_communities"], color="#1f77b4")
    ax2 = ax.twinx()
    ax2.plot(sweep["resolution"], sweep["modularity"], "s--", color="#d62728")
    ax2.set_ylabel(lab["modularity"], color="#d62728")
    fig.tight_layout()
    return fig


def community_colors(communities: pd.Series, *, palette: Sequence[str] | None = None,
                     other: str = "#bbbbbb") -> dict:
    """Colour per actor from its community (the largest communities get distinct colours).

    Communities beyond the palette and singletons get ``other``.
    """
    pal = list(palette) if palette is not None else [
        "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
        "#17becf", "#bcbd22", "#7f7f7f", "#aec7e8", "#ffbb78", "#98df8a", "#ff9896",
        "#c5b0d5", "#c49c94", "#f7b6d2", "#9edae5", "#dbdb8d", "#393b79",
    ]
    sizes = communities.value_counts()
    out = {}
    for a, c in communities.items():
        if pd.isna(c) or sizes.get(c, 0) < 2 or int(c) > len(pal):
            out[a] = other
        else:
            out[a] = pal[int(c) - 1]
    return out
