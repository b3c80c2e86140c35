"""One graph, one file: GraphML and GEXF (the bytes networkx writes, streamed), UCINET DL,
edge-list CSV, and the generic path that writes a layer's files through graph copies and
``networkx.write_pajek``.

The fast path of :mod:`netsoc.graphs.fast` writes the same bytes from tables.
"""

from __future__ import annotations

import csv
import time as _time
from pathlib import Path
from xml.etree.ElementTree import _escape_attrib, _escape_cdata

import networkx as nx
import numpy as np

from netsoc.graphs._core import _text


def _clean_attrs(d: dict) -> dict:
    """Plain Python bool/int/float/str values, no None/NaN (GraphML and GEXF need typed values)."""
    return {k: _clean_value(v) for k, v in d.items()}


def _export_copy(g: nx.Graph) -> nx.Graph:
    h = g.__class__()
    h.add_nodes_from((n, _clean_attrs(d)) for n, d in g.nodes(data=True))
    h.add_edges_from((u, v, _clean_attrs(d)) for u, v, d in g.edges(data=True))
    return h


def _clean_value(v):
    """One value as :func:`_clean_attrs` cleans it."""
    if isinstance(v, bool | np.bool_):
        return bool(v)
    if isinstance(v, int | np.integer):
        return int(v)
    if isinstance(v, float | np.floating):
        return float(v) if np.isfinite(v) else 0.0
    return _text(v)


# Fast GraphML / GEXF writers. networkx builds an ElementTree of the whole graph
# (about 1 s per 10,000 edges); these stream the same bytes (tests compare them
# with networkx's output) for the plain str/int/float attributes _export_copy
# leaves, and hand anything else back to networkx.
_XML_TYPES = {str: "string", int: "long", float: "double"}
_GEXF_NODE_RESERVED = frozenset({"id", "label", "pid", "start", "end", "viz", "parents", "spells"})
_GEXF_EDGE_RESERVED = frozenset({"id", "label", "type", "start", "end", "viz", "spells", "key"})


def _plain(g: nx.Graph) -> bool:
    if g.is_multigraph() or g.graph:
        return False
    ok = _XML_TYPES.keys()
    return (all(type(v) in ok for _, d in g.nodes(data=True) for v in d.values())
            and all(type(v) in ok for _, _, d in g.edges(data=True) for v in d.values()))


def write_graphml(g: nx.Graph, path: str | Path) -> None:
    """GraphML exactly as ``networkx.write_graphml`` writes it, streamed (fast on large graphs)."""
    if not _plain(g):
        nx.write_graphml(g, path)
        return
    keys: dict[tuple[str, str, str], str] = {}

    def key(name, value, scope):
        k = (str(name), _XML_TYPES[type(value)], scope)
        if k not in keys:
            keys[k] = f"d{len(keys)}"
        return keys[k]

    def data(k, v, scope):
        text = _escape_cdata(str(v))
        kid = key(k, v, scope)
        return (f'      <data key="{kid}">{text}</data>\n' if text
                else f'      <data key="{kid}" />\n')

    body = []
    for n, d in g.nodes(data=True):
        if d:
            body.append(f'    <node id="{_escape_attrib(str(n))}">\n')
            body.extend(data(k, v, "node") for k, v in d.items())
            body.append("    </node>\n")
        else:
            body.append(f'    <node id="{_escape_attrib(str(n))}" />\n')
    for u, v, d in g.edges(data=True):
        head = f'    <edge source="{_escape_attrib(str(u))}" target="{_escape_attrib(str(v))}"'
        if d:
            body.append(head + ">\n")
            body.extend(data(k, x, "edge") for k, x in d.items())
            body.append("    </edge>\n")
        else:
            body.append(head + " />\n")
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("<?xml version='1.0' encoding='utf-8'?>\n")
        f.write('<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
                'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
                'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
                'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n')
        for (name, typ, scope), kid in reversed(keys.items()):
            f.write(f'  <key id="{kid}" for="{scope}" attr.name="{_escape_attrib(name)}" '
                    f'attr.type="{typ}" />\n')
        edgedefault = "directed" if g.is_directed() else "undirected"
        if body:
            f.write(f'  <graph edgedefault="{edgedefault}">\n')
            f.writelines(body)
            f.write("  </graph>\n</graphml>\n")
        else:
            f.write(f'  <graph edgedefault="{edgedefault}" />\n</graphml>\n')


def write_gexf(g: nx.Graph, path: str | Path) -> None:
    """GEXF 1.2 exactly as ``networkx.write_gexf`` writes it, streamed (fast on large graphs)."""
    if (not _plain(g)
            or any(_GEXF_NODE_RESERVED & d.keys() for _, d in g.nodes(data=True))
            or any(_GEXF_EDGE_RESERVED & d.keys() for _, _, d in g.edges(data=True))):
        nx.write_gexf(g, path)
        return
    attr_ids: dict[str, dict[str, tuple[str, str]]] = {"node": {}, "edge": {}}
    classes: list[str] = []  # in order of first attribute

    def attr(cls, name, value):
        ids = attr_ids[cls]
        if name not in ids:
            if not ids:
                classes.append(cls)
            ids[name] = (str(sum(len(x) for x in attr_ids.values())), _XML_TYPES[type(value)])
        return ids[name][0]

    def attvalues(cls, d, indent):
        if not d:
            return []
        out = [f"{indent}<attvalues>\n"]
        out.extend(f'{indent}  <attvalue for="{attr(cls, str(k), v)}" '
                   f'value="{_escape_attrib(str(v))}" />\n' for k, v in d.items())
        out.append(f"{indent}</attvalues>\n")
        return out

    nodes = []
    for n, d in g.nodes(data=True):
        esc = _escape_attrib(str(n))
        vals = attvalues("node", d, "        ")
        if vals:
            nodes.append(f'      <node id="{esc}" label="{esc}">\n')
            nodes.extend(vals)
            nodes.append("      </node>\n")
        else:
            nodes.append(f'      <node id="{esc}" label="{esc}" />\n')
    edges = []
    for i, (u, v, d) in enumerate(g.edges(data=True)):
        d = dict(d)
        head = (f'      <edge source="{_escape_attrib(str(u))}" '
                f'target="{_escape_attrib(str(v))}" id="{i}"')
        if "weight" in d:
            head += f' weight="{_escape_attrib(str(d.pop("weight")))}"'
        vals = attvalues("edge", d, "        ")
        if vals:
            edges.append(head + ">\n")
            edges.extend(vals)
            edges.append("      </edge>\n")
        else:
            edges.append(head + " />\n")
    edgetype = "directed" if g.is_directed() else "undirected"
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("<?xml version='1.0' encoding='utf-8'?>\n")
        f.write('<gexf xmlns="http://www.gexf.net/1.2draft" '
                'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
                'xsi:schemaLocation="http://www.gexf.net/1.2draft '
                'http://www.gexf.net/1.2draft/gexf.xsd" version="1.2">\n')
        f.write(f'  <meta lastmodifieddate="{_time.strftime("%Y-%m-%d")}">\n'
                f"    <creator>NetworkX {nx.__version__}</creator>\n  </meta>\n")
        f.write(f'  <graph defaultedgetype="{edgetype}" mode="static" name="">\n')
        for cls in reversed(classes):  # networkx inserts each new class block first
            f.write(f'    <attributes mode="static" class="{cls}">\n')
            for name, (aid, typ) in attr_ids[cls].items():
                f.write(f'      <attribute id="{aid}" title="{_escape_attrib(name)}" '
                        f'type="{typ}" />\n')
            f.write("    </attributes>\n")
        for tag, rows in (("nodes", nodes), ("edges", edges)):
            if rows:
                f.write(f"    <{tag}>\n")
                f.writelines(rows)
                f.write(f"    </{tag}>\n")
            else:
                f.write(f"    <{tag} />\n")
        f.write("  </graph>\n</gexf>\n")


def _dl_label(s: str) -> str:
    return '"' + str(s).replace('"', "'") + '"'


def write_ucinet_dl(g: nx.Graph, path: str | Path) -> None:
    """Write ``g`` as a UCINET DL edge list (``format=edgelist1``, labels, weights).

    Undirected edges are written in both directions so UCINET reads a
    symmetric matrix.
    """
    nodes = list(g)
    index = {n: i + 1 for i, n in enumerate(nodes)}
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(f"dl n={len(nodes)} format=edgelist1\n")
        f.write("labels:\n")
        f.write(",".join(_dl_label(n) for n in nodes) + "\n")
        f.write("data:\n")
        for u, v, w in g.edges(data="weight", default=1):
            f.write(f"{index[u]} {index[v]} {w}\n")
            if not g.is_directed():
                f.write(f"{index[v]} {index[u]} {w}\n")


def write_edge_csv(g: nx.Graph, path: str | Path) -> None:
    """Edge list CSV: ``source,target,weight`` plus any other edge attributes."""
    keys = sorted({k for _, _, d in g.edges(data=True) for k in d} - {"weight"})
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["source", "target", "weight", *keys])
        for u, v, d in g.edges(data=True):
            w.writerow([u, v, d.get("weight", 1), *(_text(d.get(k)) for k in keys)])


#: layers whose edge weights count people (small counts are suppressed on export)
PEOPLE_LAYERS: frozenset[str] = frozenset({"placement", "coplacement"})


def _suppress_people(g: nx.Graph, min_cell: int) -> nx.Graph:
    """Copy of a people-counting layer with weights 1..min_cell-1 hidden.

    The edge keeps its existence (that some placement happened is part of the
    network), ``weight`` becomes 1 and ``people`` reads ``"<min_cell"``;
    larger counts keep their value in both attributes.
    """
    h = g.copy()
    for _, _, d in h.edges(data=True):
        w = int(d.get("weight", 1))
        if 0 < w < min_cell:
            d["weight"] = 1
            d["people"] = f"<{min_cell}"
        else:
            d["people"] = str(w)
    return h


def _write_layer_generic(name: str, g: nx.Graph, paths: dict[str, Path], min_cell: int) -> None:
    """All files of one layer through graph copies (for layers :func:`_edge_table` cannot tabulate)."""
    if name in PEOPLE_LAYERS and min_cell > 1:
        g = _suppress_people(g, min_cell)
    h = _export_copy(g)
    write_graphml(h, paths["graphml"])
    write_gexf(h, paths["gexf"])
    # Pajek wants labels without attributes dicts it cannot express
    p = h.__class__()
    p.add_nodes_from(h)
    p.add_edges_from((u, v, {"weight": d.get("weight", 1)}) for u, v, d in h.edges(data=True))
    nx.write_pajek(p, paths["net"])
    write_ucinet_dl(h, paths["dl"])
    write_edge_csv(h, paths["csv"])

