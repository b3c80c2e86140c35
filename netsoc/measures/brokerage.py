"""Brokerage: Burt's constraint and the Gould-Fernandez brokerage roles.

:func:`constraint` is Burt's (1992) measure of how little an actor's contacts
leave it structural holes to broker (as ``igraph::constraint``).
:func:`brokerage_roles` counts the five roles of Gould & Fernandez (1989) on the
directed ``reported`` layer, with their null of independent arcs (as
``sna::brokerage``).

References
----------
Burt, R. S. (1992). *Structural Holes: The Social Structure of Competition*.
Harvard University Press.
Gould, R. V. & Fernandez, R. M. (1989). Structures of mediation: a formal
approach to brokerage in transaction networks. *Sociological Methodology*
19, 89-126.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd

from netsoc.measures._groups import _group_labels
from netsoc.measures.paths import _use_fast, to_igraph

ROLES: tuple[str, ...] = ("coordinator", "itinerant", "representative", "gatekeeper", "liaison")
#: column names of ``sna::brokerage()$raw.nli`` for the roles above, then the total
SNA_ROLE_NAMES: tuple[str, ...] = ("w_I", "w_O", "b_IO", "b_OI", "b_O", "t")


def constraint(g: nx.Graph, weight: str | None = "weight", method: str = "auto") -> dict:
    """Burt's constraint, weighted (networkx / igraph convention).

    ``c_i = sum_j (p_ij + sum_q p_iq p_qj)^2`` over neighbours ``j`` of ``i``,
    with ``p_ij = (a_ij + a_ji) / sum_k (a_ik + a_ki)``. Isolates get NaN.
    Equal to ``networkx.constraint`` and R ``igraph::constraint(g, weights=)``.

    Examples
    --------
    >>> c = constraint(nx.star_graph(3), weight=None)
    >>> round(c[0], 4), round(c[1], 4)
    (0.3333, 1.0)

    References
    ----------
    Burt, R. S. (1992). *Structural Holes: The Social Structure of Competition*.
    Harvard University Press.
    """
    if not _use_fast(g, method):
        return nx.constraint(g, weight=weight)
    h, nodes = to_igraph(g, weight=weight)
    vals = h.constraint(weights="weight" if weight is not None else None)
    return dict(zip(nodes, [float(v) for v in vals], strict=True))


def brokerage_roles(g: nx.DiGraph, groups) -> pd.DataFrame:
    """Gould-Fernandez brokerage roles of every node of a directed graph.

    For each two-path ``i -> j -> k`` with ``i != k`` and no arc ``i -> k``,
    broker ``j`` is counted as

    ========================  ===========  =======================
    role                      sna column   groups
    ========================  ===========  =======================
    coordinator               ``w_I``      i, j, k all the same
    itinerant (consultant)    ``w_O``      i = k, j different
    representative            ``b_IO``     i = j, k different
    gatekeeper                ``b_OI``     j = k, i different
    liaison                   ``b_O``      all different
    ========================  ===========  =======================

    Raw counts equal R ``sna::brokerage(g, cl)$raw.nli``. The expected counts
    and z-scores are those of ``sna`` (Gould & Fernandez's null of independent
    arcs with the observed density, ``exp.nli`` and ``z.nli``); a z-score is
    NaN where the null variance is 0 (e.g. coordinator in a one-member group).

    Parameters
    ----------
    g : nx.DiGraph
        Binary use of arcs (weights ignored); self-loops ignored.
    groups : str or mapping
        Node attribute name, or node -> group. Missing labels form one group.

    Returns
    -------
    DataFrame
        Indexed by node: ``coordinator, itinerant, representative,
        gatekeeper, liaison, brokerage_total``, then ``<role>_expected`` and
        ``<role>_z`` for each role and the total.

    Examples
    --------
    >>> g = nx.DiGraph([("a", "b"), ("b", "c")])
    >>> int(brokerage_roles(g, {"a": 1, "b": 2, "c": 2}).loc["b", "gatekeeper"])
    1

    References
    ----------
    Gould, R. V. & Fernandez, R. M. (1989). Structures of mediation: a formal
    approach to brokerage in transaction networks. *Sociological Methodology*
    19, 89-126.
    """
    if not g.is_directed():
        raise ValueError("brokerage roles need a directed graph (the reported layer)")
    nodes = list(g)
    n_nodes = len(nodes)
    index = {v: i for i, v in enumerate(nodes)}
    lab = _group_labels(g, groups)
    cl, _ = pd.factorize(pd.Series([lab[v] for v in nodes], dtype=object))
    raw = np.zeros((n_nodes, 5))
    arcs = [(index[u], index[v]) for u, v in g.edges() if u != v]
    m = len(arcs)
    if m:
        src = np.array([a for a, _ in arcs], dtype=np.int64)
        dst = np.array([b for _, b in arcs], dtype=np.int64)
        arc_keys = np.sort(src * n_nodes + dst)
        order = np.argsort(dst, kind="stable")
        in_ptr = np.searchsorted(dst[order], np.arange(n_nodes + 1))
        out_order = np.argsort(src, kind="stable")
        out_ptr = np.searchsorted(src[out_order], np.arange(n_nodes + 1))
        for j in range(n_nodes):
            ins = src[order[in_ptr[j]:in_ptr[j + 1]]]
            outs = dst[out_order[out_ptr[j]:out_ptr[j + 1]]]
            if not len(ins) or not len(outs):
                continue
            ii = np.repeat(ins, len(outs))
            kk = np.tile(outs, len(ins))
            ok = ii != kk
            ii, kk = ii[ok], kk[ok]
            keys = ii * n_nodes + kk
            pos = np.searchsorted(arc_keys, keys)
            pos[pos >= len(arc_keys)] = 0
            ok = arc_keys[pos] != keys  # no arc i -> k: j brokers
            ci, ck, cj = cl[ii[ok]], cl[kk[ok]], cl[j]
            raw[j, 0] += np.sum((ci == cj) & (ck == cj))
            raw[j, 2] += np.sum((ci == cj) & (ck != cj))
            raw[j, 3] += np.sum((ci != cj) & (ck == cj))
            raw[j, 1] += np.sum((ci != cj) & (ck != cj) & (ci == ck))
            raw[j, 4] += np.sum((ci != cj) & (ck != cj) & (ci != ck))
    raw = np.column_stack([raw, raw.sum(axis=1)])
    exp, sd = _brokerage_null(cl, n_nodes, m)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (raw - exp) / sd
    z[sd == 0] = np.nan
    names = [*ROLES, "brokerage_total"]
    out = pd.DataFrame(raw, index=pd.Index(nodes), columns=names)
    for c, name in enumerate(names):
        out[f"{name}_expected"] = exp[:, c]
        out[f"{name}_z"] = z[:, c]
    return out


def _brokerage_null(cl: np.ndarray, n_nodes: int, m: int) -> tuple[np.ndarray, np.ndarray]:
    """Expected value and s.d. per node and role under Gould & Fernandez's null (as sna)."""
    N = float(n_nodes)
    if n_nodes < 2:
        z = np.zeros((n_nodes, 6))
        return z, z.copy()
    d = m / (N * (N - 1))
    q = d * d * (1 - d)
    r3 = d ** 3 * (1 - d) ** 3
    n = np.bincount(cl).astype(float)
    ebr = np.zeros((len(n), 6))
    vbr = np.zeros((len(n), 6))
    for i in range(len(n)):
        ni = n[i]
        rest = np.delete(n, i)
        ebr[i, 0] = q * (ni - 1) * (ni - 2)
        vbr[i, 0] = ebr[i, 0] * (1 - q) + 2 * (ni - 1) * (ni - 2) * (ni - 3) * r3
        ebr[i, 1] = q * np.sum(rest * (rest - 1))
        vbr[i, 1] = ebr[i, 1] * (1 - q) + 2 * np.sum(rest * (rest - 1) * (rest - 2)) * r3
        ebr[i, 2] = q * (N - ni) * (ni - 1)
        vbr[i, 2] = ebr[i, 2] * (1 - q) + 2 * (
            (ni - 1) * _choose2(N - ni) + (N - ni) * _choose2(ni - 1)
        ) * r3
        ebr[i, 3] = ebr[i, 2]
        vbr[i, 3] = vbr[i, 2]
        ebr[i, 4] = q * (np.sum(np.outer(rest, rest)) - np.sum(rest ** 2))
        vbr[i, 4] = ebr[i, 4] * (1 - q) + 4 * np.sum(rest * _choose2(N - rest - ni) * r3)
        ebr[i, 5] = q * (N - 1) * (N - 2)
        vbr[i, 5] = ebr[i, 5] * (1 - q) + 2 * (N - 1) * (N - 2) * (N - 3) * r3
    return ebr[cl], np.sqrt(vbr[cl])


def _choose2(x):
    """R's ``choose(x, 2)`` for real x (``x(x-1)/2``, 0 for x < 2 integers as R)."""
    x = np.asarray(x, dtype=float)
    return np.where(x < 2, np.where(x < 0, x * (x - 1) / 2, 0.0), x * (x - 1) / 2)
