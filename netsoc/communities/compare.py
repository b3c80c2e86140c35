"""Comparing partitions: ARI and NMI, formal partitions, bridging actors.

:func:`adjusted_rand_index` (Hubert & Arabie 1985) and
:func:`normalized_mutual_info` from one contingency table;
:func:`given_partitions` (samordningsförbund membership, kommun, län, actor
type), :func:`compare_partitions` and :func:`forbund_crosstab` to hold a
community partition against them; :func:`participation_coefficient` for
bridging actors (Guimerà & Amaral 2005).

References
----------
Hubert, L., & Arabie, P. (1985). Comparing partitions. Journal of
Classification, 2, 193-218.

Guimerà, R., & Amaral, L. A. N. (2005). Functional cartography of complex
metabolic networks. Nature, 433, 895-900.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import networkx as nx
import numpy as np
import pandas as pd

from netsoc.communities._core import _Graph, _to_igraph

# --------------------------------------------------------------------------
# partition comparison
# --------------------------------------------------------------------------


def _codes(x) -> np.ndarray:
    """Labels as codes 0..k-1 (any hashable labels)."""
    x = np.asarray(x)
    if x.dtype.kind in "iu" and x.size and x.min() >= 0 and x.max() < 4 * x.size + 16:
        return x.astype(np.int64, copy=False)
    _, inv = np.unique(x.astype(str) if x.dtype == object else x, return_inverse=True)
    return inv.ravel().astype(np.int64)


def _ari_nmi(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """ARI and NMI of two code vectors (non-negative ints) from one contingency table."""
    n = a.shape[0]
    if n < 2:
        return 1.0, 1.0
    kb = int(b.max()) + 1
    nij = np.bincount(a * kb + b)
    nij = nij[nij > 0].astype(float)
    ai = np.bincount(a)
    ai = ai[ai > 0].astype(float)
    bj = np.bincount(b)
    bj = bj[bj > 0].astype(float)
    # adjusted Rand index (Hubert & Arabie 1985)
    sum_ij = float((nij * (nij - 1)).sum()) / 2
    sum_a = float((ai * (ai - 1)).sum()) / 2
    sum_b = float((bj * (bj - 1)).sum()) / 2
    expected = sum_a * sum_b / (n * (n - 1) / 2)
    maximum = (sum_a + sum_b) / 2
    # both partitions trivial (all in one, or all singletons) and therefore equal
    ari = 1.0 if maximum == expected else (sum_ij - expected) / (maximum - expected)
    # NMI, arithmetic normalisation: I / ((H_a + H_b) / 2), via sum n log n terms
    if len(ai) == len(bj) == 1:
        return ari, 1.0

    def xlogx(v):
        return float((v * np.log(v)).sum())

    ha = math.log(n) - xlogx(ai) / n
    hb = math.log(n) - xlogx(bj) / n
    mi = (xlogx(nij) - xlogx(ai) - xlogx(bj)) / n + math.log(n)
    denom = (ha + hb) / 2
    nmi = 1.0 if denom <= 0 else max(0.0, min(1.0, mi / denom))
    return ari, nmi


def adjusted_rand_index(a: Sequence, b: Sequence) -> float:
    """Adjusted Rand index between two labelings of the same items.

    Hubert & Arabie (1985); equal to ``sklearn.metrics.adjusted_rand_score``
    (1.0 for identical partitions, about 0 for independent ones).

    Examples
    --------
    >>> adjusted_rand_index([0, 0, 1, 1], [1, 1, 0, 0])
    1.0
    """
    if len(a) != len(b):
        raise ValueError("labelings must have the same length")
    return _ari_nmi(_codes(a), _codes(b))[0]


def normalized_mutual_info(a: Sequence, b: Sequence) -> float:
    """Normalised mutual information, arithmetic-mean normalisation.

    NMI = I(a; b) / ((H(a) + H(b)) / 2), natural logarithms; equal to
    ``sklearn.metrics.normalized_mutual_info_score`` (default) and
    igraph's ``compare_communities(method="nmi")``.

    Examples
    --------
    >>> round(normalized_mutual_info([0, 0, 1, 1], [0, 0, 0, 1]), 4)
    0.3437
    """
    if len(a) != len(b):
        raise ValueError("labelings must have the same length")
    if len(a) == 0:
        return 1.0
    return _ari_nmi(_codes(a), _codes(b))[1]


# --------------------------------------------------------------------------
# given partitions, comparison and bridging actors
# --------------------------------------------------------------------------


def given_partitions(study=None, G: nx.Graph | None = None) -> pd.DataFrame:
    """Formal partitions of actors to compare communities with.

    Columns (index ``actor_id``): ``samordningsforbund`` (the förbund an actor
    is ``member_of`` in ``affiliations``; a samordningsförbund belongs to
    itself; NA for actors in none and for actors in several, whose count is in
    ``n_forbund``), ``kommun`` (``kommun_kod``), ``lan`` (its first two
    digits) and ``type``. Taken from ``study`` when given, else from the node
    attributes of ``G``.
    """
    if study is not None:
        actors = study.actors[["actor_id", "type", "kommun_kod"]].copy()
    elif G is not None:
        actors = pd.DataFrame(
            [{"actor_id": v, "type": d.get("type"), "kommun_kod": d.get("kommun_kod")}
             for v, d in G.nodes(data=True)]
        )
    else:
        raise ValueError("given_partitions needs a study or a graph")
    actors["actor_id"] = actors["actor_id"].astype(object)
    out = pd.DataFrame(index=pd.Index(actors["actor_id"], name="actor_id"))
    kod = actors["kommun_kod"].astype("string").str.strip()
    kod = kod.where(kod.str.fullmatch(r"\d{4}").fillna(False))
    out["kommun"] = kod.to_numpy()
    out["lan"] = kod.str.slice(0, 2).to_numpy()
    out["type"] = actors["type"].astype("string").to_numpy()
    out["samordningsforbund"] = pd.Series(pd.NA, index=out.index, dtype="string")
    out["n_forbund"] = 0
    aff = getattr(study, "affiliations", None) if study is not None else None
    types = dict(zip(actors["actor_id"], actors["type"], strict=True))
    forbund_ids = [a for a, t in types.items() if t == "samordningsforbund"]
    members: dict[object, set] = {a: {a} for a in forbund_ids}
    if aff is not None and len(aff):
        m = aff[(aff["relation"] == "member_of") & aff["partner_id"].isin(forbund_ids)]
        for a, p in zip(m["actor_id"], m["partner_id"], strict=True):
            members.setdefault(a, set()).add(p)
    # one .loc call per column: setting thousands of actors one at a time is slow
    present = [a for a in members if a in out.index]
    if present:
        out.loc[present, "n_forbund"] = [len(members[a]) for a in present]
        single = [a for a in present if len(members[a]) == 1]
        if single:
            out.loc[single, "samordningsforbund"] = [next(iter(members[a])) for a in single]
    out.attrs["memberships"] = {a: sorted(fs, key=str) for a, fs in members.items()}
    return out


def compare_partitions(
    communities: pd.Series, given: pd.DataFrame, columns: Sequence[str] | None = None
) -> pd.DataFrame:
    """ARI and NMI between a community partition and each given partition.

    Each comparison uses the actors that have both a community and a label in
    that given partition (``n_actors``).

    Returns
    -------
    DataFrame
        ``partition, n_actors, n_groups, n_communities, ari, nmi``.
    """
    cols = list(columns) if columns is not None else [
        c for c in ("samordningsforbund", "kommun", "lan", "type") if c in given.columns
    ]
    rows = []
    for c in cols:
        lab = given[c].reindex(communities.index)
        ok = lab.notna().to_numpy() & communities.notna().to_numpy()
        a = communities.to_numpy()[ok]
        b = lab.astype(str).to_numpy()[ok]
        n = int(ok.sum())
        rows.append(
            {
                "partition": c,
                "n_actors": n,
                "n_groups": int(pd.Series(b).nunique()) if n else 0,
                "n_communities": int(pd.Series(a).nunique()) if n else 0,
                "ari": round(adjusted_rand_index(a, b), 6) if n >= 2 else float("nan"),
                "nmi": round(normalized_mutual_info(a, b), 6) if n >= 2 else float("nan"),
            }
        )
    return pd.DataFrame(rows, columns=["partition", "n_actors", "n_groups", "n_communities",
                                       "ari", "nmi"])


def forbund_crosstab(communities: pd.Series, given: pd.DataFrame) -> pd.DataFrame:
    """Communities x samordningsförbund: number of member actors in each cell.

    Actors in several förbund count once in each; actors in none are in the
    column ``none``. Rows are communities (isolated actors left out by the
    caller), columns förbund actor ids in id order.
    """
    memberships = given.attrs.get("memberships", {})
    rows = []
    for a, c in communities.items():
        for f in memberships.get(a, ["none"]):
            rows.append((c, f))
    if not rows:
        return pd.DataFrame()
    df = pd.DataFrame(rows, columns=["community", "samordningsforbund"])
    tab = pd.crosstab(df["community"], df["samordningsforbund"])
    cols = sorted((c for c in tab.columns if c != "none"), key=str)
    if "none" in tab.columns:
        cols.append("none")
    return tab[cols]


def participation_coefficient(
    G: nx.Graph, communities: pd.Series | dict, weight: str | None = "weight"
) -> pd.DataFrame:
    """Participation coefficient and number of neighbouring communities per actor.

    P_i = 1 - sum_c (s_ic / s_i)^2 with s_ic the weight of i's ties into
    community c (its own included) and s_i its strength; 0 for actors whose
    ties all stay in one community, approaching 1 for ties spread evenly over
    many (Guimerà & Amaral 2005). Self-loops are ignored.

    Returns
    -------
    DataFrame
        Index actor_id; ``community, degree, strength, n_communities_adjacent,
        participation``.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.path_graph(3)
    >>> float(participation_coefficient(G, {0: 1, 1: 1, 2: 2}).loc[1, "participation"])
    0.5
    """
    gr = _to_igraph(G, weight)
    comm = pd.Series(communities)
    return _participation(gr, np.array([comm[v] for v in gr.nodes]))


def _participation(gr: _Graph, c: np.ndarray) -> pd.DataFrame:
    """:func:`participation_coefficient` for ``gr`` and communities ``c`` in node order."""
    codes, ci = np.unique(c, return_inverse=True)
    ci = ci.ravel()
    n, k = gr.n, len(codes)
    el = np.asarray(gr.g.get_edgelist(), dtype=np.int64).reshape(-1, 2)
    w = gr.weights
    nl = el[:, 0] != el[:, 1]
    el, w = el[nl], w[nl]
    from scipy import sparse  # heavy (about 0.5 s to import); only bridging needs it

    rows = np.concatenate([el[:, 0], el[:, 1]])
    cols = np.concatenate([ci[el[:, 1]], ci[el[:, 0]]])
    ww = np.concatenate([w, w])
    s = sparse.csr_matrix((ww, (rows, cols)), shape=(n, max(k, 1)))
    strength = np.asarray(s.sum(axis=1)).ravel()
    sq = np.asarray(s.multiply(s).sum(axis=1)).ravel()
    with np.errstate(invalid="ignore", divide="ignore"):
        p = np.where(strength > 0, 1 - sq / np.where(strength > 0, strength**2, 1), 0.0)
    degree = np.bincount(np.concatenate([el[:, 0], el[:, 1]]), minlength=n)
    s.eliminate_zeros()
    n_adj = np.diff(s.indptr)
    return pd.DataFrame(
        {
            "community": c,
            "degree": degree,
            "strength": strength,
            "n_communities_adjacent": n_adj,
            "participation": np.round(np.clip(p, 0, 1), 6),
        },
        index=pd.Index(gr.nodes, name="actor_id"),
    )
