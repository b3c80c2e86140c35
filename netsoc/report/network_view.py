"""Interactive network view for the report: vis-network data, our own offline template.

pyvis 0.3.2 writes a page of its own that links Bootstrap from a CDN even with
``cdn_resources="in_line"``. We embed vis-network (shipped inside the pyvis
package) inline in a fragment of the report, so the view works offline and
sits inside the report page; its node and edge records are those pyvis'
``Network.add_node`` / ``add_edge`` make (built here directly, which is
linear in the edges where pyvis is quadratic).

Names from input files never become markup: node data is JSON with ``<``
escaped, and tooltips are built in the browser with ``textContent``.
"""

from __future__ import annotations

import importlib.util
import numbers
from functools import lru_cache
from pathlib import Path

import networkx as nx
import pandas as pd

from netsoc.i18n import label, localize_number
from netsoc.report.html import esc, script_json

#: colours for actor types and communities (colour-blind-friendly Tol palette + extras)
PALETTE = [
    "#4477AA", "#EE6677", "#228833", "#CCBB44", "#66CCEE", "#AA3377", "#BBBBBB",
    "#332288", "#117733", "#DDCC77", "#CC6677", "#882255", "#44AA99", "#999933",
]


@lru_cache(maxsize=1)
def _vis_js() -> str:
    # the package's files, without importing pyvis (and its notebook machinery)
    spec = importlib.util.find_spec("pyvis")
    lib = Path(spec.origin).parent / "lib"
    candidates = sorted(lib.glob("vis-*/vis-network.min.js"))
    return candidates[-1].read_text(encoding="utf-8")


def _json(data) -> str:
    return script_json(data, sort_keys=True)


def colour_map(values) -> dict[str, str]:
    """Stable colour per category (sorted order, so the same input gives the same colours)."""
    # numbers in numeric order (community 2 before 10), then text
    cats = sorted({str(v) for v in values}, key=lambda c: (0, int(c), "") if c.isdigit() else (1, 0, c))
    return {c: PALETTE[i % len(PALETTE)] for i, c in enumerate(cats)}


#: legend entry for the categories beyond the palette, shown together in grey
OTHER = {"sv": "övriga ({n})", "en": "other ({n})"}
OTHER_COLOUR = "#E5E5E5"


def largest_in_colour(values, lang: str = "en") -> tuple[pd.Series, dict[str, str]]:
    """Categories and their colours, the smallest grouped as one grey "other" when too many.

    With more categories than :data:`PALETTE` colours (e.g. forty
    communities) colours would repeat and a legend entry would have several
    meanings: the largest (by count in ``values``) keep distinct colours, the
    rest become ``"other (n)"``. Otherwise as :func:`colour_map`.

    Returns
    -------
    (categories, colours)
        ``values`` as strings with the grouped ones replaced, and the colour of
        each category in legend order ("other" last).

    Examples
    --------
    >>> cats, colours = largest_in_colour([str(i % 20) for i in range(100)] + ["0"])
    >>> len(colours), cats.iloc[-1], list(colours)[-1]
    (14, '0', 'other (7)')
    """
    cats = pd.Series(values, dtype=object).astype(str).reset_index(drop=True)
    colours = colour_map(cats)
    if len(colours) <= len(PALETTE):
        return cats, colours
    distinct = [c for c in PALETTE if c.upper() != "#BBBBBB"]  # the palette's grey reads as "other"
    counts = cats.value_counts(sort=False)
    order = {c: i for i, c in enumerate(colours)}  # colour_map's order breaks ties
    ranked = sorted(counts.index, key=lambda c: (-counts[c], order[c]))
    kept = sorted(ranked[: len(distinct)], key=order.__getitem__)
    other = OTHER.get(lang, OTHER["en"]).format(n=len(counts) - len(kept))
    new = {c: distinct[i] for i, c in enumerate(kept)}
    new[other] = OTHER_COLOUR
    return cats.where(cats.isin(kept), other), new


def ordered_subgraph(G: nx.Graph, nodes, *, undirected: bool = False) -> nx.Graph:
    """The subgraph of ``G`` on ``nodes`` as a new graph, nodes in the order given.

    ``G.subgraph`` is a view that iterates its nodes through a ``set`` when it
    is smaller than ``G``, so its order (and anything ranked or laid out from
    it) would change with ``PYTHONHASHSEED``; this copy's order does not.
    Edges follow the nodes' order and each node's adjacency order; with
    ``undirected`` a directed ``G`` gives an undirected graph with an edge
    wherever either arc exists (attributes of the first arc met).

    Examples
    --------
    >>> G = nx.path_graph(["a", "b", "c", "d"])
    >>> list(ordered_subgraph(G, ["c", "b", "a"]).edges)
    [('c', 'b'), ('b', 'a')]
    """
    order = [n for n in dict.fromkeys(nodes) if n in G]
    keep = set(order)
    directed = G.is_directed() and not undirected
    H = nx.DiGraph() if directed else nx.Graph()
    H.add_nodes_from((n, G.nodes[n]) for n in order)
    for u in order:
        neighbours = (G.succ[u], G.pred[u]) if G.is_directed() and not directed else (G.adj[u],)
        for adj in neighbours:
            H.add_edges_from((u, v, d) for v, d in adj.items() if v in keep and not H.has_edge(u, v))
    return H


def network_view(
    G: nx.Graph,
    actors: pd.DataFrame,
    *,
    color_by: str = "type",
    size_by: str = "degree",
    max_nodes: int = 400,
    label_top: int = 15,
    labels: dict[str, str] | None = None,
    element_id: str = "netview-canvas",
    height: str = "640px",
    lang: str = "en",
) -> tuple[str, str | None]:
    """An interactive vis-network view of ``G`` as an HTML fragment.

    Colours as :func:`largest_in_colour` gives them (at most the palette's
    colours; the smallest categories in one grey "other").

    Parameters
    ----------
    G : networkx graph
        Layer to draw (node ids are actor ids).
    actors : DataFrame
        The actors table; ``color_by`` and ``size_by`` are its columns.
    max_nodes : int
        Larger graphs are cut to the ``max_nodes`` actors with the highest
        ``size_by`` (the returned note says so).
    label_top : int
        Only the ``label_top`` largest actors carry a label on the canvas (the
        others show theirs on hover and are found by the search box).
    labels : dict, optional
        Translated UI texts: ``search``, ``legend``, ``size`` (the name of
        ``size_by``), ``color`` (the name of ``color_by``, for tooltips).
    lang : {"en", "sv"}
        Language of actor types (legend, tooltips) and numbers in tooltips.

    Returns
    -------
    (html, note)
        The fragment, and a sentence for the report when the view was cut (else None).
    """
    labels = {"search": "Search", "legend": "Colour", "size": size_by, "color": color_by,
              **(labels or {})}
    a = actors.set_index("actor_id")
    nodes = [n for n in G.nodes if n in a.index]
    note = None
    if len(nodes) > max_nodes:
        ranked = a.loc[nodes, size_by].fillna(0).sort_values(ascending=False, kind="mergesort")
        nodes = list(ranked.index[:max_nodes])
        note = f"{len(nodes)}/{G.number_of_nodes()}"
    H = ordered_subgraph(G, nodes)
    cats, colours = largest_in_colour(a.loc[nodes, color_by].fillna("–"), lang) if nodes else ([], {})
    shown_as = dict(zip(nodes, cats, strict=True))  # the legend entry of each node
    size = a.loc[nodes, size_by].fillna(0).astype(float) if nodes else pd.Series(dtype=float)
    top = float(size.max()) if len(size) and size.max() > 0 else 1.0

    # the node and edge records pyvis' Network.add_node / add_edge would make (the
    # same JSON; tests compare), built directly: pyvis scans its lists on every add,
    # which is quadratic in the edges of a large view
    labelled = set(size.sort_values(ascending=False, kind="mergesort").index[:label_top])
    nodes_data = []
    for n in sorted(nodes):
        row = a.loc[n]
        cat = str(row.get(color_by, "–")) if pd.notna(row.get(color_by)) else "–"
        value = row.get(size_by)
        shown = (localize_number(f"{float(value):,.1f}", lang)
                 if isinstance(value, numbers.Number) and pd.notna(value) else "–")
        tooltip = [str(row["name"]), label("type", row["type"], lang), f"{labels['size']}: {shown}"]
        if color_by != "type":  # e.g. the community, which a grey "other" does not tell
            tooltip.insert(2, f"{labels['color']}: {cat}")
        nodes_data.append({
            "id": n,
            "label": (str(row["name"])[:40] if n in labelled else " ") or n,
            "name": str(row["name"]),
            "color": colours.get(shown_as[n], "#999999"),
            "size": 8 + 30 * float(size.get(n, 0)) / top,
            "tip": tooltip,
        })
    directed = H.is_directed()
    edges_data = []
    for u, v, d in sorted(H.edges(data=True), key=lambda e: (str(e[0]), str(e[1]))):
        edge = {"value": float(d.get("weight", 1)), "from": u, "to": v}
        if directed:
            edge["arrows"] = "to"
        edges_data.append(edge)
    legend = "".join(
        f'<span style="display:inline-block;margin-right:.8rem"><span style="display:inline-block;'
        f'width:.8rem;height:.8rem;background:{c};border-radius:50%;margin-right:.3rem"></span>{esc(label("type", k, lang) if color_by == "type" else k)}</span>'
        for k, c in colours.items()
    )
    fragment = f"""
<div class="netview-wrap">
<p><label>{esc(labels['search'])}: <input id="{element_id}-q" list="{element_id}-names" autocomplete="off"></label>
<datalist id="{element_id}-names"></datalist></p>
<div id="{element_id}" style="height:{height};border:1px solid #d5dce4;background:#fff"></div>
<p class="note">{esc(labels['legend'])}: {legend}</p>
</div>
<script>{_vis_js()}</script>
<script>
(function(){{
  var nodeData = {_json(nodes_data)};
  var edgeData = {_json(edges_data)};
  nodeData.forEach(function(n){{
    var el = document.createElement('div');
    (n.tip || []).forEach(function(line){{ var d = document.createElement('div'); d.textContent = line; el.appendChild(d); }});
    n.title = el; delete n.tip;
  }});
  var nodes = new vis.DataSet(nodeData), edges = new vis.DataSet(edgeData);
  var container = document.getElementById('{element_id}');
  var options = {{layout: {{randomSeed: 7}}, physics: {{stabilization: {{iterations: 250}}, barnesHut: {{gravitationalConstant: -6000}}}},
                 nodes: {{shape: 'dot', font: {{size: 20, strokeWidth: 4, strokeColor: '#ffffff'}}}}, edges: {{color: {{opacity: 0.45}}, smooth: false}},
                 interaction: {{hover: true, tooltipDelay: 120}}}};
  var network = new vis.Network(container, {{nodes: nodes, edges: edges}}, options);
  network.once('stabilizationIterationsDone', function(){{ network.setOptions({{physics: false}}); container.setAttribute('data-drawn', '1'); }});
  network.on('afterDrawing', function(){{ container.setAttribute('data-rendered', '1'); }});
  var list = document.getElementById('{element_id}-names');
  nodeData.forEach(function(n){{ var o = document.createElement('option'); o.value = n.name; list.appendChild(o); }});
  document.getElementById('{element_id}-q').addEventListener('change', function(ev){{
    var q = ev.target.value.toLowerCase();
    var hit = nodeData.filter(function(n){{ return String(n.name).toLowerCase() === q; }})[0]
           || nodeData.filter(function(n){{ return String(n.name).toLowerCase().indexOf(q) >= 0; }})[0];
    if (hit) {{ network.selectNodes([hit.id]); network.focus(hit.id, {{scale: 1.4, animation: true}}); }}
  }});
  window.netsocNetwork = network;
}})();
</script>"""
    return fragment, note
