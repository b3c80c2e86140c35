"""Mixing between groups: the Krackhardt-Stern E-I index and the type-mixing table.

References
----------
Krackhardt, D. & Stern, R. N. (1988). Informal networks and organizational
crises: an experimental simulation. *Social Psychology Quarterly* 51(2), 123-140.
Wasserman, S. & Faust, K. (1994). *Social Network Analysis*, ch. 10.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd

from netsoc.graphs import Networks
from netsoc.measures._groups import _group_labels


@dataclass
class EIResult:
    """Krackhardt-Stern E-I index with a permutation test.

    Attributes
    ----------
    ei : float
        ``(E - I) / (E + I)``; NaN without ties.
    external, internal : int
        Ties between / within groups.
    expected : float
        Expected E-I when group labels are assigned at random (group sizes fixed).
    p_value : float
        Two-sided permutation p-value, ``(1 + #{|EI* - expected| >= |EI - expected|}) / (R + 1)``.
    p_greater, p_less : float
        One-sided permutation p-values (more external / more internal than chance).
    permutations, seed : int
    """

    ei: float
    external: int
    internal: int
    expected: float
    p_value: float
    p_greater: float
    p_less: float
    permutations: int
    seed: int | None

    def summary(self) -> str:
        return (
            f"E-I index {self.ei:.3f} (external {self.external}, internal {self.internal}); "
            f"expected {self.expected:.3f}; permutation p = {self.p_value:.4f} "
            f"({self.permutations} permutations, seed {self.seed})"
        )


def ei_index(g: nx.Graph, groups, permutations: int = 1000, seed: int | None = 0) -> EIResult:
    """Krackhardt-Stern E-I index of ``g`` by ``groups`` with a permutation p-value.

    ``EI = (E - I) / (E + I)``, E = ties between groups, I = ties within.
    Directed graphs count arcs. Nodes with a missing group label are left out
    (with their ties). The null distribution shuffles the labels over the
    nodes (group sizes fixed) with a seeded generator, so the same seed gives
    the same p-value.

    Parameters
    ----------
    g : nx.Graph
    groups : str or mapping
        Node attribute name, or node -> group.
    permutations : int
    seed : int or None

    Examples
    --------
    >>> g = nx.Graph([(1, 2), (2, 3), (3, 4)])
    >>> ei_index(g, {1: "a", 2: "a", 3: "b", 4: "b"}, permutations=0).ei
    -0.3333333333333333

    References
    ----------
    Krackhardt, D. & Stern, R. N. (1988). Informal networks and organizational
    crises: an experimental simulation. *Social Psychology Quarterly* 51(2), 123-140.
    Phipson, B. & Smyth, G. K. (2010). Permutation p-values should never be zero.
    *Statistical Applications in Genetics and Molecular Biology* 9(1).
    """
    lab = _group_labels(g, groups)
    nodes = [n for n in g if lab[n] != ""]
    index = {n: i for i, n in enumerate(nodes)}
    codes, uniq = pd.factorize(pd.Series([lab[n] for n in nodes], dtype=object), sort=True)
    edges = np.array(
        [(index[u], index[v]) for u, v in g.edges() if u in index and v in index and u != v],
        dtype=np.int64,
    ).reshape(-1, 2)
    m = len(edges)
    nn = len(nodes)
    sizes = np.bincount(codes, minlength=len(uniq)).astype(float) if nn else np.zeros(0)
    p_ext = 1.0 - (np.sum(sizes * (sizes - 1)) / (nn * (nn - 1)) if nn > 1 else 1.0)
    expected = 2.0 * p_ext - 1.0
    if m == 0:
        return EIResult(float("nan"), 0, 0, expected, float("nan"), float("nan"),
                        float("nan"), permutations, seed)
    ext = int(np.sum(codes[edges[:, 0]] != codes[edges[:, 1]]))
    ei = (2.0 * ext - m) / m
    if permutations <= 0:
        return EIResult(ei, ext, m - ext, expected, float("nan"), float("nan"),
                        float("nan"), 0, seed)
    rng = np.random.default_rng(seed)
    perm_ei = np.empty(permutations)
    batch = max(1, min(permutations, 2_000_000 // max(nn, 1)))
    # narrow labels: the same shuffles (they depend on the length only), a third of the time
    small = codes.astype(np.int16) if len(uniq) < 2**15 else codes
    done = 0
    while done < permutations:
        k = min(batch, permutations - done)
        labels = rng.permuted(np.tile(small, (k, 1)), axis=1)
        e = np.sum(labels[:, edges[:, 0]] != labels[:, edges[:, 1]], axis=1)
        perm_ei[done:done + k] = (2.0 * e - m) / m
        done += k
    eps = 1e-12
    p_two = (1 + np.sum(np.abs(perm_ei - expected) >= abs(ei - expected) - eps)) / (permutations + 1)
    p_greater = (1 + np.sum(perm_ei >= ei - eps)) / (permutations + 1)
    p_less = (1 + np.sum(perm_ei <= ei + eps)) / (permutations + 1)
    return EIResult(ei, ext, m - ext, expected, float(p_two), float(p_greater),
                    float(p_less), permutations, seed)


def type_mixing(networks: Networks | nx.Graph, groups="type",
                layer: str = "collaboration") -> pd.DataFrame:
    """Observed versus expected ties between groups (actor types by default).

    ``ties`` counts edges between a node of ``group_from`` and one of
    ``group_to`` (arcs from -> to on a directed layer; on an undirected layer
    the table is symmetric and the diagonal counts within-group edges).
    ``expected`` is the count if the layer's edges fell on random pairs:
    ``m * pairs(g, h) / pairs(all)`` with ``pairs(g, h) = n_g n_h`` and
    ``n_g (n_g - 1) / 2`` within a group (``n_g (n_g - 1)`` when directed).
    ``ratio = ties / expected`` is the block density over the overall density.

    Examples
    --------
    >>> g = nx.Graph([(1, 2), (3, 4)])
    >>> nx.set_node_attributes(g, {1: "a", 2: "a", 3: "a", 4: "b"}, "type")
    >>> type_mixing(g).query("group_from == 'a' and group_to == 'a'")["ties"].item()
    1

    References
    ----------
    Wasserman, S. & Faust, K. (1994). *Social Network Analysis*, ch. 10 (blockmodels:
    block densities against the overall density).
    """
    g = networks if isinstance(networks, nx.Graph) else networks.layers()[layer]
    lab = _group_labels(g, groups)
    directed = g.is_directed()
    labels = sorted({v for v in lab.values() if v != ""})
    size = pd.Series([lab[v] for v in g], dtype=object).value_counts()
    n = sum(int(size.get(x, 0)) for x in labels)
    counts: dict[tuple[str, str], int] = {}
    m = 0
    for u, v in g.edges():
        a, b = lab[u], lab[v]
        if u == v or a == "" or b == "":
            continue
        m += 1
        counts[(a, b)] = counts.get((a, b), 0) + 1
        if not directed and a != b:
            counts[(b, a)] = counts.get((b, a), 0) + 1
    total_pairs = n * (n - 1) / (1 if directed else 2)
    rows = []
    for a in labels:
        for b in labels:
            na, nb = float(size.get(a, 0)), float(size.get(b, 0))
            if a == b:
                pairs = na * (na - 1) / (1 if directed else 2)
            else:
                pairs = na * nb
            expected = m * pairs / total_pairs if total_pairs > 0 else float("nan")
            ties = counts.get((a, b), 0)
            ratio = ties / expected if expected > 0 else float("nan")
            rows.append((a, b, ties, expected, ratio))
    return pd.DataFrame(rows, columns=["group_from", "group_to", "ties", "expected", "ratio"])
