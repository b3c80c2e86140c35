"""Actor- and network-level measures with the conventions of ``DESIGN.md`` §3.

Every number here is defined so that it can be checked against a reference
implementation: networkx for centralities, R ``sna`` for brokerage and Freeman
centralization, R ``igraph`` for Burt's constraint. On large graphs the same
functions switch to python-igraph or scipy.sparse (``method="auto"`` above
:data:`FAST_THRESHOLD` nodes) and return values in the networkx convention;
``tests/test_measures.py`` checks that both paths agree.

The stage is a package by algorithm family; every name is re-exported here, so
``netsoc.measures.betweenness`` and the others keep working. Imports run one
way, from the top of this list to the bottom:

``_groups.py``
    group labels of actors (a node attribute or a mapping; an ``actors.csv`` column).
``paths.py``
    the python-igraph / scipy.sparse fast paths: :data:`FAST_THRESHOLD`,
    :data:`SPLIT_THRESHOLD`, :func:`to_igraph`, the leaf reduction ``_prune``,
    :func:`undirected_betweenness`, :func:`undirected_distance_sums`,
    :func:`igraph_betweenness`, the closeness fast path and their forked worker tasks.
``centrality.py``
    :func:`betweenness`, :func:`closeness`, :func:`eigenvector`, :func:`pagerank`;
    network level :func:`transitivity`, :func:`reciprocity`, :func:`freeman_centralization`.
``brokerage.py``
    :func:`constraint` (Burt 1992), :func:`brokerage_roles` and its null
    (Gould & Fernandez 1989), :data:`ROLES`, :data:`SNA_ROLE_NAMES`.
``mixing.py``
    :class:`EIResult`, :func:`ei_index` (Krackhardt & Stern 1988), :func:`type_mixing`.
``nonresponse.py``
    :class:`Robustness`, :func:`robustness` (the perturbation plan, the runs'
    betweenness and their worker task, the top-10 sensitivity table),
    :func:`reciprocation_rate`.
``tables.py``
    :data:`ACTOR_COLUMNS`, :func:`actor_measures`, :func:`network_measures`,
    :func:`measure_tables`, :class:`PendingMeasures`, :func:`start_measure_tables`,
    the layer helpers that estimate the centralization of huge layers
    (:data:`CENTRALIZATION_WORK_LIMIT`, :data:`CENTRALIZATION_PIVOT_WORK`) and
    :data:`BACKGROUND_THRESHOLD`.

The worker machinery (:func:`n_jobs`, ``SPLIT_PARTS``, the shared inputs of
forked workers) is :mod:`netsoc._workers`. The thresholds are read where they
are defined and where they are imported (``FAST_THRESHOLD`` and
``SPLIT_THRESHOLD`` in ``paths`` and ``tables``): to change one, set it on those
submodules, not on this package.
"""

from __future__ import annotations

from netsoc._workers import SPLIT_PARTS, n_jobs
from netsoc.measures.brokerage import ROLES, SNA_ROLE_NAMES, brokerage_roles, constraint
from netsoc.measures.centrality import (
    betweenness,
    closeness,
    eigenvector,
    freeman_centralization,
    pagerank,
    reciprocity,
    transitivity,
)
from netsoc.measures.mixing import EIResult, ei_index, type_mixing
from netsoc.measures.nonresponse import Robustness, reciprocation_rate, robustness
from netsoc.measures.paths import (
    FAST_THRESHOLD,
    SPLIT_THRESHOLD,
    igraph_betweenness,
    to_igraph,
    undirected_betweenness,
    undirected_distance_sums,
)
from netsoc.measures.tables import (
    ACTOR_COLUMNS,
    BACKGROUND_THRESHOLD,
    CENTRALIZATION_PIVOT_WORK,
    CENTRALIZATION_WORK_LIMIT,
    PendingMeasures,
    actor_measures,
    measure_tables,
    network_measures,
    start_measure_tables,
)

__all__ = [
    "ACTOR_COLUMNS", "BACKGROUND_THRESHOLD", "CENTRALIZATION_PIVOT_WORK",
    "CENTRALIZATION_WORK_LIMIT", "EIResult", "FAST_THRESHOLD", "ROLES", "Robustness",
    "SNA_ROLE_NAMES", "SPLIT_PARTS", "SPLIT_THRESHOLD", "actor_measures",
    "betweenness", "brokerage_roles", "closeness", "constraint", "ei_index", "eigenvector",
    "freeman_centralization", "igraph_betweenness", "measure_tables", "n_jobs",
    "network_measures", "pagerank", "PendingMeasures", "reciprocation_rate", "reciprocity",
    "robustness", "start_measure_tables", "to_igraph", "transitivity", "type_mixing",
    "undirected_betweenness", "undirected_distance_sums",
]
