"""Two-mode to one-mode: the placement layer and the host -- host co-placement projection.

Placements link persons to hosts (a two-mode, person x host network); the
``coplacement`` layer is its projection onto the hosts, ``B.T @ B`` of the
sparse incidence matrix ``B`` (weight = persons placed at both hosts).

References
----------
Borgatti, S. P. & Everett, M. G. (1997). Network analysis of 2-mode data.
*Social Networks* 19(3), 243-269.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp

from netsoc.graphs._core import _add_edges


def coplacement_matrix(placements: pd.DataFrame, hosts: list[str]) -> sp.csr_matrix:
    """Host x host matrix of persons placed at both hosts (diagonal = persons per host).

    Uses a sparse persons x hosts incidence matrix ``B`` (one where a person was
    placed at a host, however often) and returns ``B.T @ B``; a million
    placements fit comfortably in memory.

    Examples
    --------
    >>> p = pd.DataFrame({"person_key": ["p1", "p1", "p2", "p2", "p2"],
    ...                   "host_id": ["A", "B", "A", "B", "C"]})
    >>> coplacement_matrix(p, ["A", "B", "C"]).toarray()
    array([[2, 2, 1],
           [2, 2, 1],
           [1, 1, 1]])
    """
    p = placements[["person_key", "host_id"]].dropna()
    codes, names = _factorize_text(p["host_id"])
    col = pd.Index(hosts).get_indexer(names)[codes]
    keep = col >= 0
    row, persons = _factorize_text(p["person_key"][keep])
    return _cooccurrence(row, len(persons), col[keep], len(hosts))


def _cooccurrence(row: np.ndarray, n_rows: int, col: np.ndarray, n_cols: int) -> sp.csr_matrix:
    """``B.T @ B`` of the 0/1 matrix ``B`` with ones at ``(row, col)``.

    Rows (persons) may be numbered in any order: the product does not depend on it.
    """
    b = sp.csr_matrix((np.ones(len(row), dtype=np.int64), (row, col)), shape=(n_rows, n_cols))
    b.data[:] = 1  # duplicates were summed; a person counts once per host
    b.sum_duplicates()
    b.data[:] = 1
    return (b.T @ b).tocsr()


def _factorize_text(s: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(codes, names): ``names[codes]`` is ``s.astype(str)``, each distinct name once."""
    if not isinstance(s.dtype, pd.StringDtype):
        s = s.astype(str)  # before grouping: 1 and "1" are one name
    codes, uniques = pd.factorize(s, use_na_sentinel=False)
    return codes, pd.Series(uniques, dtype=object).astype(str).to_numpy(dtype=object)


def _pair_counts(u: np.ndarray, v: np.ndarray, u_names: np.ndarray,
                 v_names: np.ndarray) -> tuple[list, list, list]:
    """Distinct (u, v) code pairs with their counts, ordered by (u name, v name)."""
    u_rank = np.empty(len(u_names), dtype=np.int64)
    u_rank[np.argsort(u_names, kind="stable")] = np.arange(len(u_names))
    v_rank = np.empty(len(v_names), dtype=np.int64)
    v_rank[np.argsort(v_names, kind="stable")] = np.arange(len(v_names))
    pairs, counts = np.unique(u_rank[u] * len(v_names) + v_rank[v], return_counts=True)
    u_sorted = np.sort(u_names) if len(u_names) else u_names
    v_sorted = np.sort(v_names) if len(v_names) else v_names
    return (u_sorted[pairs // max(len(v_names), 1)].tolist(),
            v_sorted[pairs % max(len(v_names), 1)].tolist(), counts.tolist())


def _all_text(s: pd.Series) -> bool:
    return isinstance(s.dtype, pd.StringDtype) or pd.api.types.infer_dtype(s, skipna=False) == "string"


def _placement_layer(pl: pd.DataFrame, ids: set[str],
                     placement: nx.DiGraph) -> tuple[list[str], sp.csr_matrix | None]:
    """Add the referrer -> host arcs to ``placement``; (hosts, coplacement matrix).

    Works on the distinct referrers and hosts: a million placements name a few thousand.
    """
    ref, ref_names = _factorize_text(pl["referrer_id"])
    host, host_names = _factorize_text(pl["host_id"])
    known = (np.array([n in ids for n in ref_names], dtype=bool)[ref]
             & np.array([n in ids for n in host_names], dtype=bool)[host])
    link = known & (ref_names[ref] != host_names[host])
    # one arc per (referrer, host), in sorted order, weight = number of placements
    us, vs, ns = _pair_counts(ref[link], host[link], ref_names, host_names)
    _add_edges(placement, [(u, v, {"weight": n}) for u, v, n in zip(us, vs, ns, strict=True)])
    hosts = sorted(host_names[np.unique(host[known])].tolist())
    if not hosts:
        return hosts, None
    col = pd.Index(hosts).get_indexer(host_names)[host]
    persons = pl["person_key"]
    keep = known & persons.notna().to_numpy()
    row, names = _factorize_text(persons[keep])
    return hosts, _cooccurrence(row, len(names), col[keep], len(hosts))


def _placement_layer_pandas(pl: pd.DataFrame, ids: set[str],
                            placement: nx.DiGraph) -> tuple[list[str], sp.csr_matrix | None]:
    """:func:`_placement_layer` for id columns that are not all text."""
    pl = pl[pl["referrer_id"].astype(str).isin(ids) & pl["host_id"].astype(str).isin(ids)]
    links = pl[pl["referrer_id"] != pl["host_id"]]
    counts = links.groupby(["referrer_id", "host_id"], sort=True).size()
    _add_edges(placement, [(str(u), str(v), {"weight": int(n)}) for (u, v), n in counts.items()])
    hosts = sorted(pl["host_id"].astype(str).unique())
    return hosts, (coplacement_matrix(pl, hosts) if hosts else None)

