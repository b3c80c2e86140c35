"""Small-cell protection: counts of people between 1 and ``min_cell - 1`` shown as ``<5``
(primary suppression), further cells hidden so that published totals cannot give them
away (secondary suppression), for tables and for placement-layer graphs.

References
----------
Hundepool, A. et al. (2012), *Statistical Disclosure Control*, Wiley, ch. 4
(primary and secondary cell suppression in tables).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:  # networkx is imported by the stages that build graphs, not here
    import networkx as nx


def format_count(n: object, min_cell: int = 5, label: str | None = None) -> str:
    """A count of people for display: ``1..min_cell-1`` become ``<min_cell``.

    Examples
    --------
    >>> format_count(3), format_count(0), format_count(12), format_count(None)
    ('<5', '0', '12', '')
    """
    if n is None or (not isinstance(n, str) and pd.isna(n)):
        return ""
    if isinstance(n, str):
        return n  # already suppressed or formatted
    v = float(n)
    if 0 < v < min_cell:
        return label if label is not None else f"<{min_cell}"
    return str(int(v)) if v.is_integer() else str(v)


def suppress_counts(
    df: pd.DataFrame,
    count_columns: Sequence[str],
    min_cell: int = 5,
    label: str | None = None,
    totals: str | None = "columns",
    groups: str | Sequence[str] | None = None,
    secondary_label: str = "..",
) -> tuple[pd.DataFrame, int]:
    """Suppress small counts of people in a table, with secondary suppression.

    The rule, applied to the cells ``df[count_columns]``:

    1. *Primary*: every count ``1 <= n < min_cell`` is shown as ``label``
       (default ``"<5"`` for ``min_cell=5``). Zeros stay visible.
    2. *Secondary*: a *line* is a set of cells whose sum is (or can be)
       published: with ``totals="columns"`` each count column (its sum over the
       rows, e.g. all placements), with ``"rows"`` each row (its sum over
       ``count_columns``), ``"both"`` both, ``None`` none; with ``groups`` also
       the cells of each group of rows in each column (e.g. hosts by
       ``kommun_kod`` when per-kommun sums are published elsewhere). A line
       with exactly one hidden cell would give it away (total minus the
       visible cells), so the smallest visible non-zero cell of that line is
       hidden too and shown as ``secondary_label`` (``".."``); ties go to the
       first row/column. This is repeated until every line has zero or at
       least two hidden cells. A line whose total is itself below
       ``min_cell`` needs nothing more (that total is published as ``<5``
       too, e.g. with :func:`format_count`). A line with no other non-zero cell has its
       zeros hidden instead; a line with no other cell at all cannot be
       protected inside the table and is counted in ``attrs["exposed_totals"]``
       (its total must not be published).

    Parameters
    ----------
    df : DataFrame
    count_columns : sequence of str
        Columns holding counts of people (non-negative integers or NA).
    min_cell : int
        Smallest count shown (``privacy.min_cell``; default 5).
    label : str, optional
        Text for primary suppressed cells; default ``f"<{min_cell}"``.
    totals : {"columns", "rows", "both", None}
        Which margins are (or can be) published.
    groups : str or sequence of str, optional
        Column(s) of ``df`` defining groups of rows whose per-column sums are published.
    secondary_label : str
        Text for cells hidden only to protect another cell.

    Returns
    -------
    (DataFrame, int)
        A copy with the count columns as object columns (ints, or the labels)
        and the number of hidden cells (primary + secondary). The copy's
        ``attrs["suppressed"]`` holds ``{"primary": p, "secondary": s}``.

    Examples
    --------
    >>> t = pd.DataFrame({"host": ["A", "B", "C"], "placements": [3, 12, 40]})
    >>> out, n = suppress_counts(t, ["placements"])
    >>> out["placements"].tolist(), n
    (['<5', '..', 40], 2)

    References
    ----------
    Hundepool, A. et al. (2012). *Statistical Disclosure Control*. Wiley, §4.2-4.3.
    """
    if min_cell < 1:
        raise ValueError("min_cell must be at least 1")
    if totals not in ("columns", "rows", "both", None):
        raise ValueError("totals must be 'columns', 'rows', 'both' or None")
    label = label if label is not None else f"<{min_cell}"
    cols = list(count_columns)
    out = df.copy()
    out.attrs["suppressed"] = {"primary": 0, "secondary": 0}
    out.attrs["exposed_totals"] = 0
    if not cols or not len(df):
        return out, 0
    values = df[cols].apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)
    present = ~np.isnan(values)
    v = np.where(present, values, 0.0)
    n_rows, n_cols = v.shape
    primary = present & (v > 0) & (v < min_cell)
    hidden = primary.copy()

    # Each line is (row indices, column indices) of the cells it sums. Groups
    # come first: protecting a cell inside its group usually protects it in
    # the column too, with fewer cells hidden.
    lines: list[tuple[np.ndarray, np.ndarray]] = []
    all_rows = np.arange(n_rows)
    if groups is not None:
        keys = [groups] if isinstance(groups, str) else list(groups)
        # group numbers in order of first appearance (as text, so 1 and "1" are one group)
        codes = np.zeros(n_rows, dtype=np.int64)
        for k in keys:
            part, uniques = pd.factorize(df[k].astype(str).to_numpy())
            codes, _ = pd.factorize(codes * len(uniques) + part)
        order = np.argsort(codes, kind="stable")
        for rows in np.split(order, np.cumsum(np.bincount(codes))[:-1]):
            if len(rows) < n_rows or totals is None:
                lines += [(rows, np.full(len(rows), j)) for j in range(n_cols)]
    if totals in ("columns", "both"):
        lines += [(all_rows, np.full(n_rows, j)) for j in range(n_cols)]
    if totals in ("rows", "both"):
        lines += [(np.full(n_cols, i), np.arange(n_cols)) for i in range(n_rows)]

    exposed: set[int] = set()
    for _ in range(v.size + 1):
        changed = False
        for k, (ri, ci) in enumerate(lines):
            h = hidden[ri, ci]
            if h.sum() != 1 or v[ri, ci][h].sum() == 0:
                continue
            if v[ri, ci].sum() < min_cell:
                # The total is itself a small count, published as "<5": nothing to subtract from.
                continue
            cand = np.flatnonzero(~h & (v[ri, ci] > 0))
            if len(cand):
                pick = cand[np.argmin(v[ri, ci][cand])]
                hidden[ri[pick], ci[pick]] = True
            else:
                zeros = np.flatnonzero(~h)
                if not len(zeros):
                    exposed.add(k)
                    continue
                hidden[ri[zeros], ci[zeros]] = True
            changed = True
        if not changed:
            break
    secondary = hidden & ~primary

    for j, c in enumerate(cols):
        shown = []
        for i in range(n_rows):
            if primary[i, j]:
                shown.append(label)
            elif secondary[i, j]:
                shown.append(secondary_label)
            elif not present[i, j]:
                shown.append(pd.NA)
            else:
                x = values[i, j]
                shown.append(int(x) if float(x).is_integer() else x)
        out[c] = pd.Series(shown, index=out.index, dtype=object)
    n_p, n_s = int(primary.sum()), int(secondary.sum())
    out.attrs["suppressed"] = {"primary": n_p, "secondary": n_s}
    out.attrs["exposed_totals"] = len(exposed)
    return out, n_p + n_s


#: Columns of the standard tables that count people, with the lines whose sums
#: are published: column totals (e.g. "placements" in the summary) and, for
#: hosts, per-kommun sums (``kommun.csv`` ``placements``).
PEOPLE_COUNTS: dict[str, dict] = {
    "actors": {
        "columns": ("placements_hosted", "placements_referred"),
        "totals": "columns",
        "groups": "kommun_kod",
    },
    "kommun": {"columns": ("placements",), "totals": "columns", "groups": "lan_kod"},
}


def people_count_spec(name: str, df: pd.DataFrame) -> dict | None:
    """Which columns of a published table count people, and which totals are published.

    A stage marks its own tables with ``df.attrs["people_counts"] = [...]``
    (optionally ``df.attrs["people_totals"]`` and ``df.attrs["people_groups"]``);
    the standard tables are listed in :data:`PEOPLE_COUNTS`.
    """
    if df.attrs.get("people_counts"):
        spec = {
            "columns": tuple(df.attrs["people_counts"]),
            "totals": df.attrs.get("people_totals", "columns"),
            "groups": df.attrs.get("people_groups"),
        }
    elif name in PEOPLE_COUNTS:
        spec = dict(PEOPLE_COUNTS[name])
    else:
        return None
    spec["columns"] = tuple(c for c in spec["columns"] if c in df.columns)
    g = spec.get("groups")
    if g is not None and (g if isinstance(g, list | tuple) else [g])[0] not in df.columns:
        spec["groups"] = None
    return spec if spec["columns"] else None


def publish_tables(
    tables: dict[str, pd.DataFrame], min_cell: int = 5, label: str | None = None
) -> tuple[dict[str, pd.DataFrame], dict[str, dict[str, int]]]:
    """Tables as they may be published: counts of people suppressed (see :func:`suppress_counts`).

    Returns the tables (unchanged ones are the same objects) and, per table
    with suppressed cells, ``{"primary": p, "secondary": s}``.
    """
    out, counts = {}, {}
    for name, df in tables.items():
        spec = people_count_spec(name, df)
        if spec is None:
            out[name] = df
            continue
        pub, n = suppress_counts(
            df, spec["columns"], min_cell=min_cell, label=label,
            totals=spec.get("totals", "columns"), groups=spec.get("groups"),
        )
        out[name] = pub
        if n:
            counts[name] = dict(pub.attrs["suppressed"])
    return out, counts


def aggregate_small_edges(
    G: nx.Graph,
    min_cell: int = 5,
    weight: str = "weight",
    other: str = "other_small_flows",
    count_attributes: Sequence[str] = ("placements_hosted", "placements_referred"),
) -> nx.Graph:
    """A copy of a placement-layer graph safe to export: no edge carries 1..min_cell-1 people.

    Directed graphs (``placement``: referrer -> host): each edge with a weight
    of 1..min_cell-1 is removed and the removed weights of one source are
    summed onto a single edge ``source -> other``. When that sum is itself
    below ``min_cell`` the edge keeps ``weight = 0`` and ``weight_label = "<5"``.
    Undirected graphs (``coplacement``): small edges are removed. Node
    attributes named in ``count_attributes`` are replaced by
    :func:`format_count` strings. ``G.graph["suppressed_edges"]`` counts the
    edges removed.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([("af", "h1", {"weight": 3}), ("af", "h2", {"weight": 9})])
    >>> H = aggregate_small_edges(G)
    >>> sorted(H.edges(data="weight"))
    [('af', 'h2', 9), ('af', 'other_small_flows', 0)]
    """
    H = G.copy()
    small = [
        (u, v, d.get(weight, 0))
        for u, v, d in G.edges(data=True)
        if 0 < (d.get(weight, 0) or 0) < min_cell
    ]
    H.remove_edges_from([(u, v) for u, v, _ in small])
    if G.is_directed() and small:
        sums: dict = {}
        for u, _v, w in small:
            sums[u] = sums.get(u, 0) + w
        H.add_node(other, name="other hosts (small flows)", type="other", kommun_kod="")
        for u, w in sums.items():
            if w >= min_cell:
                H.add_edge(u, other, **{weight: w, "weight_label": str(int(w))})
            else:
                H.add_edge(u, other, **{weight: 0, "weight_label": f"<{min_cell}"})
    for _n, d in H.nodes(data=True):
        for a in count_attributes:
            if a in d:
                d[a] = format_count(d[a], min_cell)
    H.graph["suppressed_edges"] = len(small)
    H.graph["min_cell"] = min_cell
    return H

