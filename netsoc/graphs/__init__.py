"""Network layers built from a :class:`~netsoc.study.Study`.

Every layer holds **every actor** as a node (isolates included), with the node
attributes ``name``, ``type``, ``kommun_kod`` and ``status`` (response status)
and an integer or float edge attribute ``weight``. The layers follow
``DESIGN.md`` §3:

``reported``
    ``ties.csv`` as a directed graph respondent -> alter; several relations
    (and waves) between the same ordered pair collapse to one arc whose weight
    is the maximum strength.
``collaboration``
    the undirected symmetrisation of ``reported`` (see :func:`symmetrize`).
``formal``
    ``affiliations.csv`` as a directed graph, as written; weight = number of
    documented relations between the pair.
``placement``
    directed referrer -> host; weight = number of placements.
``coplacement``
    undirected host -- host; weight = number of persons placed at both hosts.

Self-ties (an actor naming itself, a placement whose referrer is its host) are
not edges of any layer; they carry no relational information.

Where what lives (imports run down this list, never up):

``_core``
    building blocks: the actor nodes, graphs filled without networkx's per-edge checks.
``projection``
    the placement layer and the host -- host co-placement projection
    (:func:`coplacement_matrix`).
``layers``
    :class:`Networks`, :func:`symmetrize`, :func:`build_networks`.
``writers``
    one graph, one file: :func:`write_graphml`, :func:`write_gexf` (networkx's
    bytes, streamed), :func:`write_ucinet_dl`, :func:`write_edge_csv`; the generic
    path of a layer's files (with ``networkx.write_pajek``), :data:`PEOPLE_LAYERS`.
``fast``
    every file of a layer from one table of cleaned values (the same bytes, faster).
``files``
    :func:`write_graph_files`, :func:`start_graph_files` and :class:`GraphFiles`:
    all layers and waves, in worker or background processes.
"""

from netsoc.graphs.files import GraphFiles, GraphFilesError, start_graph_files, write_graph_files
from netsoc.graphs.layers import (
    LAYER_NAMES,
    SYMMETRIZE_METHODS,
    Networks,
    build_networks,
    symmetrize,
    symmetrize_graph,
)
from netsoc.graphs.projection import coplacement_matrix
from netsoc.graphs.writers import (
    PEOPLE_LAYERS,
    write_edge_csv,
    write_gexf,
    write_graphml,
    write_ucinet_dl,
)

__all__ = [
    "LAYER_NAMES",
    "PEOPLE_LAYERS",
    "SYMMETRIZE_METHODS",
    "GraphFiles",
    "GraphFilesError",
    "Networks",
    "build_networks",
    "coplacement_matrix",
    "start_graph_files",
    "symmetrize",
    "symmetrize_graph",
    "write_edge_csv",
    "write_gexf",
    "write_graph_files",
    "write_graphml",
    "write_ucinet_dl",
]
