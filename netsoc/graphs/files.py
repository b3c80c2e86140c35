"""The graph files of a study: every layer (and wave) in five formats, in worker processes
for large exports (:func:`write_graph_files`) or in a forked background process while the
caller goes on (:func:`start_graph_files`, :class:`GraphFiles`).
"""

from __future__ import annotations

import gc
import multiprocessing
import pickle
import traceback
from pathlib import Path

import networkx as nx

from netsoc import _workers
from netsoc.graphs.fast import _NodeParts, _write_layer_fast
from netsoc.graphs.layers import Networks
from netsoc.graphs.writers import PEOPLE_LAYERS, _write_layer_generic


def _layer_paths(name: str, out: Path) -> dict[str, Path]:
    return {
        "graphml": out / f"{name}.graphml",
        "gexf": out / f"{name}.gexf",
        "net": out / f"{name}.net",
        "dl": out / f"{name}.dl",
        "csv": out / f"{name}_edges.csv",
    }


def _write_layer(task: tuple) -> list[Path]:
    """The five files of one layer: ``task = (name, graph, out_dir, min_cell[, node parts])``."""
    name, g, out, min_cell = task[:4]
    parts = task[4] if len(task) > 4 else _NodeParts()
    paths = _layer_paths(name, out)
    people = min_cell if name in PEOPLE_LAYERS and min_cell > 1 else None
    if not _write_layer_fast(g, paths, people, parts):
        _write_layer_generic(name, g, paths, min_cell)
    return list(paths.values())


def _write_shared_layer(task: tuple) -> list[Path]:
    key, name = task
    layers, out, min_cell, parts = _workers._SHARED[key]
    return _write_layer((name, layers[name], out, min_cell, parts))


def _export_layers(networks: Networks) -> dict[str, nx.Graph]:
    layers = dict(networks.layers())
    for w, wn in networks.by_wave.items():
        for name, g in wn.layers().items():
            layers[f"{name}_w{w}"] = g
    return layers


def write_graph_files(networks: Networks, out_dir: str | Path, min_cell: int = 1) -> list[Path]:
    """Write every layer as GraphML, GEXF, Pajek, UCINET DL and an edge-list CSV.

    Files are ``<layer>.graphml``, ``<layer>.gexf``, ``<layer>.net``,
    ``<layer>.dl`` and ``<layer>_edges.csv`` in ``out_dir`` (created), plus
    ``<layer>_w<k>.*`` for each wave when there are several (as :mod:`netsoc.waves` names them).
    The files are those networkx's writers make (``write_graphml``,
    ``write_gexf``, ``write_pajek``) of the layers with plain attribute values.

    ``placement`` and ``coplacement`` weights count people: with
    ``min_cell > 1`` counts ``1 .. min_cell-1`` are exported as weight 1 with
    the text attribute ``people = "<min_cell"`` (see :func:`_suppress_people`).

    Returns
    -------
    list of Path
        The files written.

    See Also
    --------
    start_graph_files : the same in a background process.
    """
    return _write_graph_files(networks, Path(out_dir), min_cell, None)


def _write_graph_files(networks: Networks, out: Path, min_cell: int,
                       jobs: int | None) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    layers = _export_layers(networks)
    parts = _NodeParts()
    if sum(g.number_of_edges() for g in layers.values()) > _PARALLEL_EDGES and jobs != 1:
        # large exports: layers are written in forked worker processes (which
        # inherit the graphs), largest first so the workers finish together
        key = next(_workers._KEYS)
        _workers._SHARED[key] = (layers, out, min_cell, parts)
        order = sorted(layers, key=lambda k: -layers[k].number_of_edges())
        try:
            done = dict(zip(order, _workers._parallel_map(
                _write_shared_layer, [(key, name) for name in order], jobs), strict=True))
        finally:
            _workers._SHARED.pop(key, None)
        results = [done[name] for name in layers]
    else:
        results = [_write_layer((name, g, out, min_cell, parts)) for name, g in layers.items()]
    return [p for paths in results for p in paths]


#: edges above which write_graph_files writes layers in worker processes
_PARALLEL_EDGES = 100_000


#: worker processes of the background writer. 1: it writes the layers itself.
#: On 2 cores, with the caller busy meanwhile, workers of its own only compete
#: with the caller (national study: 5.3 s wall and 5.2 s CPU vs 4.6-5.2 s and 4.5 s).
_CHILD_JOBS: int | None = 1


class GraphFilesError(RuntimeError):
    """Writing the graph files failed in the background process (the cause is chained)."""


class GraphFiles:
    """Graph files being written by :func:`start_graph_files`; :meth:`wait` for them."""

    def __init__(self, out_dir: Path, process=None, conn=None,
                 files: list[Path] | None = None, error: BaseException | None = None):
        self.out_dir = out_dir
        self._process = process
        self._conn = conn
        self._files = files
        self._error = error

    def wait(self) -> list[Path]:
        """Block until the files are written; the list :func:`write_graph_files` returns.

        Raises
        ------
        GraphFilesError
            When the background process failed (its exception is the
            ``__cause__``, its traceback in the message) or died.
        Exception
            Whatever :func:`write_graph_files` raised, when it ran in this process.
        """
        if self._process is not None:
            try:
                msg = self._conn.recv()
            except EOFError:
                msg = None  # the child died without a word
            finally:
                self._conn.close()
            self._process.join()
            code = self._process.exitcode
            self._process = None
            if msg is None:
                self._error = GraphFilesError(
                    f"the background process writing graph files to {self.out_dir} "
                    f"ended (exit code {code}) before reporting")
            elif msg[0] == "ok":
                self._files = msg[1]
            else:
                _, exc, text = msg
                err = GraphFilesError(
                    f"writing graph files to {self.out_dir} failed in the background process:\n{text}")
                err.__cause__ = exc
                self._error = err
        if self._error is not None:
            raise self._error
        return list(self._files)


def _graph_files_child(conn, networks: Networks, out: Path, min_cell: int) -> None:
    # short-lived and exits without freeing: collecting would only copy the
    # parent's pages (copy-on-write) to scan objects that die with the process
    gc.disable()
    try:
        msg = ("ok", _write_graph_files(networks, out, min_cell, _CHILD_JOBS))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which raises
        text = traceback.format_exc()
        try:
            pickle.dumps(exc)
        except Exception:  # noqa: BLE001 - an exception that cannot travel: its text does
            exc = RuntimeError(f"{type(exc).__name__}: {exc}")
        msg = ("error", exc, text)
    conn.send(msg)
    conn.close()


def start_graph_files(networks: Networks, out_dir: str | Path, min_cell: int = 1) -> GraphFiles:
    """Start :func:`write_graph_files` in a forked background process.

    The caller goes on (e.g. rendering the report) while the files are
    written, and collects them with :meth:`GraphFiles.wait`, which raises if
    writing failed. Where ``fork`` is unavailable, or with one job
    (:func:`netsoc._workers.n_jobs`, ``NETSOC_JOBS=1``), the files are written
    here and now, and ``wait`` returns them (or raises what writing raised).
    The layers must not change until ``wait`` returns (the background
    process sees them as they were at the start).

    Returns
    -------
    GraphFiles
        The handle whose ``wait()`` returns the files written.

    Examples
    --------
    >>> import tempfile
    >>> import pandas as pd
    >>> from netsoc.graphs import build_networks
    >>> from netsoc.study import Study
    >>> nets = build_networks(Study(actors=pd.DataFrame(
    ...     {"actor_id": ["a", "b"], "name": ["A", "B"], "type": ["kommun", "company"]})))
    >>> out = Path(tempfile.mkdtemp())
    >>> pending = start_graph_files(nets, out / "graphs", min_cell=5)
    >>> # ... render the report meanwhile ...
    >>> files = pending.wait()
    >>> sorted(f.name for f in files)[:3]
    ['collaboration.dl', 'collaboration.gexf', 'collaboration.graphml']
    """
    out = Path(out_dir)
    if _workers.n_jobs() <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        try:
            return GraphFiles(out, files=write_graph_files(networks, out, min_cell))
        except Exception as exc:  # noqa: BLE001 - raised by wait(), as in the background
            return GraphFiles(out, error=exc)
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    # not a daemon: a daemonic process may not start worker processes of its own
    proc = ctx.Process(target=_graph_files_child, args=(child, networks, out, min_cell),
                       name="netsoc-graph-files", daemon=False)
    proc.start()
    child.close()  # so that recv() sees EOF if the child dies
    return GraphFiles(out, proc, parent)
