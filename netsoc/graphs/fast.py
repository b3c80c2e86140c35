"""Fast export: every file of a layer (GraphML, GEXF, Pajek, UCINET DL, edge CSV) from one
table of cleaned attribute values, byte for byte what the generic path of
:mod:`netsoc.graphs.writers` (networkx's writers) makes; anything else falls back to it.
"""

from __future__ import annotations

import csv
import math
import time as _time
from dataclasses import dataclass
from itertools import islice, repeat
from pathlib import Path
from xml.etree.ElementTree import _escape_attrib, _escape_cdata

import networkx as nx

from netsoc.graphs.writers import (
    _GEXF_EDGE_RESERVED,
    _GEXF_NODE_RESERVED,
    _XML_TYPES,
    _clean_value,
    _dl_label,
)

# The layers built here have the same attribute names, in the same order and of
# one type, on every node and on every edge. Then each value is cleaned
# (_clean_value) once, each distinct value is rendered once per format, and a
# file is a join of precomputed pieces; the node pieces are shared by all layers
# with the same nodes. The bytes are those of the generic path in writers.py (networkx's
# writers); tests compare the two. Anything else takes the generic path.


def _clean_column(col: list) -> tuple[list, type | None]:
    """(cleaned values, their one type), or type None when the cleaned types differ."""
    types = set(map(type, col))
    if len(types) == 1:
        t = types.pop()
        if t in (str, int, bool):
            return col, t
        if t is float:
            if all(map(math.isfinite, col)):
                return col, float
            return [x if math.isfinite(x) else 0.0 for x in col], float
    col = [_clean_value(x) for x in col]
    types = set(map(type, col))
    return col, (types.pop() if len(types) == 1 else None)


@dataclass
class _Table:
    """Attribute values of all nodes or all edges, one cleaned column per name."""

    keys: tuple[str, ...]
    cols: list[list]
    types: list[type]


def _table(dicts: list[dict], people: int | None = None) -> _Table | None:
    """Columns of ``dicts``, or None when they differ in names/order/types.

    With ``people`` (a ``min_cell``), the weights are suppressed first exactly
    as :func:`_suppress_people` does.
    """
    if not dicts:
        return _Table((), [], [])
    shapes = set(map(tuple, dicts))
    if len(shapes) != 1:
        return None
    keys = shapes.pop()
    if not all(type(k) is str for k in keys):
        return None
    raw = {k: [d[k] for d in dicts] for k in keys}
    if people is not None:
        if "weight" not in raw:
            return None
        wr = raw["weight"]
        ws = wr if set(map(type, wr)) == {int} else [int(x) for x in wr]
        hidden = f"<{people}"
        raw["weight"] = [1 if 0 < w < people else x for w, x in zip(ws, wr, strict=True)]
        raw["people"] = [hidden if 0 < w < people else str(w) for w in ws]
        keys = tuple(raw)  # "people" keeps its place, or comes last, as in a dict
    cols, types = [], []
    for k in keys:
        col, t = _clean_column(raw[k])
        if t is None:
            return None
        cols.append(col)
        types.append(t)
    return _Table(keys, cols, types)


def _rendered(col: list, typ: type, fn) -> list[str]:
    """``[fn(x) for x in col]``, calling ``fn`` once per distinct value."""
    if typ is float:  # 0.0 == -0.0 but they print differently
        return [fn(x) for x in col]
    memo = {x: fn(x) for x in set(col)}
    return list(map(memo.__getitem__, col))


def _graphml_data(kid: str):
    def fn(v):
        text = _escape_cdata(str(v))
        return f'      <data key="{kid}">{text}</data>\n' if text else f'      <data key="{kid}" />\n'
    return fn


def _gexf_value(v) -> str:
    return _escape_attrib(str(v).lower() if isinstance(v, bool) else str(v))


def _gexf_attvalue(aid: str):
    def fn(v):
        return f'          <attvalue for="{aid}" value="{_gexf_value(v)}" />\n'
    return fn


def _xml_type(t: type) -> str:
    return "boolean" if t is bool else _XML_TYPES[t]


def _qstr(v) -> str:
    """networkx's Pajek quoting (``make_qstr``)."""
    t = str(v)
    return f'"{t}"' if " " in t else t


class _NodePart:
    """The pieces of every file that depend only on the nodes (shared by the layers)."""

    def __init__(self, raw: list[tuple]):
        self.raw = raw
        self.nodes = [n for n, _ in raw]
        self.ids = [str(n) for n in self.nodes]
        self.escaped = [_escape_attrib(i) for i in self.ids]
        self.table = _table([d for _, d in raw])
        # GEXF writes these names as XML attributes: networkx's writer handles them
        self.fits = self.table is not None and not _GEXF_NODE_RESERVED & set(self.table.keys)
        self._cache: dict[str, object] = {}

    def same(self, raw: list[tuple]) -> bool:
        return raw == self.raw

    def number(self) -> dict:
        """node -> its 1-based number and a space (Pajek, DL)."""
        if "number" not in self._cache:
            self._cache["number"] = {n: f"{i} " for i, n in enumerate(self.nodes, 1)}
        return self._cache["number"]

    def graphml(self) -> tuple[str, dict, dict, dict]:
        """(node elements, edge-start by node, edge-end by node, edge-end without data by node)."""
        if "graphml" not in self._cache:
            t = self.table
            parts = [_rendered(col, typ, _graphml_data(f"d{i}"))
                     for i, (col, typ) in enumerate(zip(t.cols, t.types, strict=True))]
            if t.keys:
                text = "".join(map("".join, zip(
                    (f'    <node id="{e}">\n' for e in self.escaped), *parts,
                    repeat("    </node>\n", len(self.nodes)), strict=True)))
            else:
                text = "".join(f'    <node id="{e}" />\n' for e in self.escaped)
            self._cache["graphml"] = (
                text,
                {n: f'    <edge source="{e}" target="' for n, e in zip(self.nodes, self.escaped, strict=True)},
                {n: f'{e}">\n' for n, e in zip(self.nodes, self.escaped, strict=True)},
                {n: f'{e}" />\n' for n, e in zip(self.nodes, self.escaped, strict=True)},
            )
        return self._cache["graphml"]

    def gexf(self) -> tuple[str, dict, dict]:
        """(node elements, edge-start by node, edge-target-and-id-start by node)."""
        if "gexf" not in self._cache:
            t = self.table
            if t.keys:
                parts = [_rendered(col, typ, _gexf_attvalue(str(i)))
                         for i, (col, typ) in enumerate(zip(t.cols, t.types, strict=True))]
                text = "".join(map("".join, zip(
                    (f'      <node id="{e}" label="{e}">\n        <attvalues>\n'
                     for e in self.escaped), *parts,
                    repeat("        </attvalues>\n      </node>\n", len(self.nodes)), strict=True)))
            else:
                text = "".join(f'      <node id="{e}" label="{e}" />\n' for e in self.escaped)
            self._cache["gexf"] = (
                text,
                {n: f'      <edge source="{e}" target="' for n, e in zip(self.nodes, self.escaped, strict=True)},
                {n: f'{e}" id="' for n, e in zip(self.nodes, self.escaped, strict=True)},
            )
        return self._cache["gexf"]

    def pajek(self) -> str:
        if "pajek" not in self._cache:
            self._cache["pajek"] = "".join(
                f"{i} {_qstr(n)} 0.0 0.0 ellipse\n" for i, n in enumerate(self.ids, 1))
        return self._cache["pajek"]

    def dl_labels(self) -> str:
        if "dl" not in self._cache:
            self._cache["dl"] = ",".join(map(_dl_label, self.nodes)) + "\n"
        return self._cache["dl"]


class _NodeParts:
    """The :class:`_NodePart` of the last layer seen: reused while the nodes are the same."""

    def __init__(self):
        self.last: _NodePart | None = None

    def get(self, g: nx.Graph) -> _NodePart:
        raw = list(g.nodes(data=True))
        if self.last is None or not self.last.same(raw):
            self.last = _NodePart(raw)
        return self.last


def _edge_lists(g: nx.Graph) -> tuple[list, list, list[dict]]:
    """Sources, targets and data of ``g.edges(data=True)``, in its order, read off the adjacency.

    (``list(g.edges(data=True))`` walks the edges twice: once to count them.)
    """
    us: list = []
    vs: list = []
    ds: list[dict] = []
    if g.is_directed():
        for u, nbrs in g._succ.items():
            us.extend(repeat(u, len(nbrs)))
            vs.extend(nbrs)
            ds.extend(nbrs.values())
        return us, vs, ds
    seen = set()
    for u, nbrs in g._adj.items():
        new = [v for v in nbrs if v not in seen]  # networkx's order: each edge at its first end
        us.extend(repeat(u, len(new)))
        vs.extend(new)
        ds.extend(map(nbrs.__getitem__, new))
        seen.add(u)
    return us, vs, ds


def _write_all(f, strings, chunk: int = 1 << 15) -> None:
    """``f.writelines(strings)``, a joined chunk at a time (far fewer text-layer calls)."""
    it = iter(strings)
    while batch := list(islice(it, chunk)):
        f.write("".join(batch))


def _write_layer_fast(g: nx.Graph, paths: dict[str, Path], people: int | None,
                      parts: _NodeParts) -> bool:
    """Write the files of a layer from tables; False (nothing written) if it cannot."""
    if type(g) not in (nx.Graph, nx.DiGraph):
        return False
    node = parts.get(g)
    if not node.fits:
        return False
    us, vs, ds = _edge_lists(g)
    et = _table(ds, people)
    if et is None or _GEXF_EDGE_RESERVED & set(et.keys):
        return False
    del ds
    m = len(us)
    directed = g.is_directed()
    cols = dict(zip(et.keys, zip(et.cols, et.types, strict=True), strict=True))
    weight = cols.get("weight")

    # GraphML: node keys d0.., then edge keys; networkx lists the keys last first
    nt = node.table
    keys = [(k, _xml_type(t), "node") for k, t in zip(nt.keys, nt.types, strict=True)]
    keys += [(k, _xml_type(t), "edge") for k, t in zip(et.keys, et.types, strict=True)]
    node_text, starts, ends, ends_bare = node.graphml()
    with open(paths["graphml"], "w", encoding="utf-8", newline="\n") as f:
        f.write("<?xml version='1.0' encoding='utf-8'?>\n"
                '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
                'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
                'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
                'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n')
        for i in reversed(range(len(keys))):
            name, typ, scope = keys[i]
            f.write(f'  <key id="d{i}" for="{scope}" attr.name="{_escape_attrib(name)}" '
                    f'attr.type="{typ}" />\n')
        edgedefault = "directed" if directed else "undirected"
        if node_text or m:
            f.write(f'  <graph edgedefault="{edgedefault}">\n')
            f.write(node_text)
            if et.keys:
                data = [_rendered(col, typ, _graphml_data(f"d{len(nt.keys) + i}"))
                        for i, (col, typ) in enumerate(zip(et.cols, et.types, strict=True))]
                _write_all(f, map("".join, zip(map(starts.__getitem__, us),
                                              map(ends.__getitem__, vs), *data,
                                              repeat("    </edge>\n", m), strict=True)))
            else:
                _write_all(f, map(str.__add__, map(starts.__getitem__, us),
                                 map(ends_bare.__getitem__, vs)))
            f.write("  </graph>\n</graphml>\n")
        else:
            f.write(f'  <graph edgedefault="{edgedefault}" />\n</graphml>\n')

    # GEXF: weight is an attribute of the edge element, the rest attvalues
    gt = node.table
    node_text, starts, mids = node.gexf()
    attrs = [k for k in et.keys if k != "weight"]
    with open(paths["gexf"], "w", encoding="utf-8", newline="\n") as f:
        f.write("<?xml version='1.0' encoding='utf-8'?>\n"
                '<gexf xmlns="http://www.gexf.net/1.2draft" '
                'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
                'xsi:schemaLocation="http://www.gexf.net/1.2draft '
                'http://www.gexf.net/1.2draft/gexf.xsd" version="1.2">\n'
                f'  <meta lastmodifieddate="{_time.strftime("%Y-%m-%d")}">\n'
                f"    <creator>NetworkX {nx.__version__}</creator>\n  </meta>\n"
                f'  <graph defaultedgetype="{"directed" if directed else "undirected"}" '
                'mode="static" name="">\n')
        blocks = []  # networkx inserts each new class block first
        if gt.keys:
            blocks.append(("node", [(str(i), k, _xml_type(t)) for i, (k, t)
                                    in enumerate(zip(gt.keys, gt.types, strict=True))]))
        if attrs and m:
            blocks.append(("edge", [(str(len(gt.keys) + i), k, _xml_type(cols[k][1]))
                                    for i, k in enumerate(attrs)]))
        for cls, rows in reversed(blocks):
            f.write(f'    <attributes mode="static" class="{cls}">\n')
            f.writelines(f'      <attribute id="{aid}" title="{_escape_attrib(k)}" type="{typ}" />\n'
                         for aid, k, typ in rows)
            f.write("    </attributes>\n")
        f.write("    <nodes>\n" + node_text + "    </nodes>\n" if node_text else "    <nodes />\n")
        if m:
            f.write("    <edges>\n")
            w = (_rendered(*weight, lambda v: f'" weight="{_escape_attrib(str(v))}"')
                 if weight else repeat('"', m))
            if attrs:
                vals = [_rendered(*cols[k], _gexf_attvalue(str(len(gt.keys) + i)))
                        for i, k in enumerate(attrs)]
                _write_all(f, map("".join, zip(
                    map(starts.__getitem__, us), map(mids.__getitem__, vs), map(str, range(m)), w,
                    repeat(">\n        <attvalues>\n", m), *vals,
                    repeat("        </attvalues>\n      </edge>\n", m), strict=True)))
            else:
                _write_all(f, map("".join, zip(map(starts.__getitem__, us), map(mids.__getitem__, vs),
                                              map(str, range(m)), w, repeat(" />\n", m), strict=True)))
            f.write("    </edges>\n")
        else:
            f.write("    <edges />\n")
        f.write("  </graph>\n</gexf>\n")

    # Pajek (as nx.write_pajek writes a copy with only the weights) and UCINET DL
    number = node.number()  # "<k> "
    nu = list(map(number.__getitem__, us))
    nv = list(map(number.__getitem__, vs))
    with open(paths["net"], "w", encoding="utf-8", newline="\n") as f:
        f.write(f"*vertices {len(node.nodes)}\n")
        f.write(node.pajek())
        f.write("*arcs\n" if directed else "*edges\n")
        ws = (_rendered(*weight, lambda v: _qstr(v) + "\n") if weight else repeat("1\n", m))
        _write_all(f, map("".join, zip(nu, nv, ws, strict=True)))
    with open(paths["dl"], "w", encoding="utf-8", newline="\n") as f:
        f.write(f"dl n={len(node.nodes)} format=edgelist1\nlabels:\n")
        f.write(node.dl_labels())
        f.write("data:\n")
        ws = _rendered(*weight, "{}\n".format) if weight else repeat("1\n", m)
        if directed:
            _write_all(f, map("".join, zip(nu, nv, ws, strict=True)))
        else:  # both directions, so that UCINET reads a symmetric matrix
            ws = list(ws)
            _write_all(f, map("".join, zip(nu, nv, ws, nv, nu, ws, strict=True)))

    # edge CSV: the csv module prints the cleaned values as _text would
    others = sorted(set(et.keys) - {"weight"})
    with open(paths["csv"], "w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(["source", "target", "weight", *others])
        out.writerows(zip(us, vs, weight[0] if weight else repeat(1, m),
                          *(cols[k][0] for k in others), strict=True))
    return True

