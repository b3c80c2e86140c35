"""Spatial weights and local Moran's I (LISA) of the need–access gap.

:func:`knn_weights` builds libpysal's ``KNN`` weights and :func:`local_moran`
esda's ``Moran_Local`` with their conditional permutations, step by step in
numpy/scipy, so that neither esda nor libpysal is imported at run time
(tests hold both equal to the libraries bit for bit).

References
----------
Anselin, L. (1995). Local indicators of spatial association – LISA.
*Geographical Analysis* 27(2), 93–115.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from netsoc.geo.boundaries import GeoError

LISA_LABELS: dict[int, str] = {1: "HH", 2: "LH", 3: "LL", 4: "HL"}


@dataclass(frozen=True)
class KnnWeights:
    """Row-standardised k-nearest-neighbour weights (what libpysal's ``KNN`` with
    ``transform = "r"`` holds, without importing libpysal).

    Attributes
    ----------
    neighbors : dict
        id -> list of the ``k`` nearest ids, nearest first (libpysal's order).
    weights : dict
        id -> list of ``1 / k`` per neighbour.
    sparse : scipy.sparse.csr_matrix
        ``n x n`` weights matrix in ``ids`` order, column indices sorted.
    ids : list
        The ids in row order (0..n-1 when none were given).
    """

    neighbors: dict
    weights: dict
    sparse: object
    ids: list
    islands: list = field(default_factory=list)

    @property
    def n(self) -> int:
        """Number of areas."""
        return len(self.ids)


def knn_weights(xy: np.ndarray, k: int = 5, ids: list | None = None) -> KnnWeights:
    """Row-standardised k-nearest-neighbour weights (as libpysal ``KNN``).

    KNN weights give every area ``k`` neighbours, so islands (Gotland, Ekerö,
    Lidingö, Öckerö) are never isolated as they are with contiguity weights.
    ``k`` is reduced to ``n - 1`` for small sets.

    The neighbours are libpysal 4's (``weights.KNN``): the ``k + 1`` nearest
    points by a ``scipy.spatial.cKDTree`` query (leaf size 10, Euclidean), the
    point itself dropped, or the farthest of them when the point is not among
    them (duplicate coordinates) – so ties are broken exactly as libpysal
    breaks them. Built here because importing libpysal costs about a second.

    Parameters
    ----------
    xy : array (n, 2)
        Coordinates.
    k : int
        Neighbours per area.
    ids : list, optional
        Names of the areas (default ``0..n-1``).

    Returns
    -------
    KnnWeights
    """
    # heavy: scipy.sparse and scipy.spatial (about 0.5 s to import) only when weights are built
    import scipy.sparse as sp
    from scipy.spatial import cKDTree

    xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    n = len(xy)
    k = int(min(k, n - 1))
    if k < 1:
        raise GeoError("KNN weights need at least two areas")
    tree = cKDTree(xy, 10)  # libpysal.cg.KDTree: cKDTree(data, leafsize=10)
    _, idx = tree.query(tree.data, k=k + 1, p=2)
    not_self = idx != np.arange(n)[:, None]
    not_self[not_self.sum(axis=1) == k + 1, -1] = False
    nb = idx[not_self].reshape(n, k)
    ids = list(range(n)) if ids is None else list(ids)
    named = np.asarray(ids, dtype=object)[nb]
    neighbors = {i: list(row) for i, row in zip(ids, named, strict=True)}
    weights = {i: [1.0 / k] * k for i in ids}  # libpysal's "r": w / sum(w) = 1.0 / k
    # the same construction as libpysal's W.sparse (COO -> CSR, columns sorted)
    rows = np.repeat(np.arange(n), k)
    mat = sp.csr_matrix((np.full(n * k, 1.0 / k), (rows, nb.ravel())), shape=(n, n))
    return KnnWeights(neighbors=neighbors, weights=weights, sparse=mat, ids=ids)


def _moran_local(y: np.ndarray, w: KnnWeights, permutations: int, seed: int
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``Is, q, p_sim`` of esda 2.9's ``Moran_Local(y, w, transformation="r",
    permutations=permutations, seed=seed, n_jobs=1)`` (without numba).

    The arithmetic follows esda step by step (same operations in the same
    order) so that the floating-point results, and hence the ``>=`` counts of
    the pseudo p-value, are identical; esda and libpysal are not imported
    because that alone cost 1-2 s per run.
    """
    y = np.asarray(y, dtype=float).ravel()
    n = len(y)
    z = y - y.mean()
    with np.errstate(all="ignore"):
        z /= y.std()
    den = (z * z).sum()
    zl = w.sparse @ z  # libpysal lag_spatial: w.sparse * z
    Is = (n - 1) * z * zl / den
    zp = z > 0
    lp = zl > 0
    # quadrants 1 HH, 2 LH, 3 LL, 4 HL (esda's non-GeoDa order)
    q = (1 * (zp * lp) + 2 * ((1 - zp) * lp) + 3 * ((1 - zp) * (1 - lp))
         + 4 * (zp * (1 - lp)))
    if not permutations:
        return Is, q, np.full(n, np.nan)
    # esda.crand: conditional randomisation. KNN weights have no self-weight, so
    # every area has k "other" weights; the permuted ids index z without area i.
    scaling = (n - 1) / (z * z).sum()
    mat = w.sparse.tocsr()
    card = np.diff(mat.indptr)
    other = mat.data.astype(z.dtype)
    max_card = int(card.max())
    # vec_permutations: np.random.seed(seed), then choice(n - 1, max_card,
    # replace=False) per replication; a private RandomState gives the same
    # stream without touching numpy's global state
    rs = np.random.RandomState(seed)
    perm = np.empty((permutations, max_card), dtype=np.int64)
    for r in range(permutations):
        perm[r] = rs.choice(n - 1, size=max_card, replace=False)
    sim = np.empty((n, permutations))
    keep = np.ones(n, dtype=bool)
    wloc = 0
    for i in range(n):
        c = int(card[i])
        weights_i = np.zeros(c + 1, dtype=other.dtype)  # [self weight, others]
        weights_i[1:] = other[wloc:wloc + c]
        wloc += c
        keep[i] = False
        z_no_i = z[keep]
        keep[i] = True
        zi = z[i]
        zrand = z_no_i[perm[:, :c].flatten()].reshape(-1, c)
        sim[i] = zi * (zrand @ weights_i[1:] + weights_i[0] * zi) * scaling
    # Moran_Local with keep_simulations: the "directed" pseudo p-value
    larger = (sim.T >= Is).sum(0)
    low = (permutations - larger) < larger
    larger[low] = permutations - larger[low]
    p_sim = (larger + 1.0) / (permutations + 1.0)
    return Is, q, p_sim


def local_moran(
    y: np.ndarray,
    xy: np.ndarray,
    k: int = 5,
    permutations: int = 999,
    seed: int = 2014,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Local Moran's I (Anselin 1995) with KNN weights and seeded permutations.

    Parameters
    ----------
    y : array (n,)
        Values (here: ``gap``).
    xy : array (n, 2)
        Projected coordinates (metres) of the areas.
    k : int
        Neighbours per area (reduced to ``n - 1`` when fewer areas).
    permutations : int
        Conditional permutations for the pseudo p-value ``p_sim``.
    seed : int
        Seed of the permutations (same seed, same p-values).
    alpha : float
        Significance level for the cluster label.

    Returns
    -------
    DataFrame
        ``lisa_I, lisa_q, lisa_p, lisa_cluster`` in the order of ``y``;
        ``lisa_cluster`` is ``HH, LL, HL, LH`` (value / neighbours' mean above
        or below average) when ``lisa_p < alpha``, else ``ns``.

    Notes
    -----
    The numbers are those of PySAL's ``esda.Moran_Local(y, w, transformation="r",
    permutations=permutations, seed=seed, n_jobs=1)`` (esda 2.9, conditional
    randomisation, "directed" pseudo p-value ``(min(M, R - M) + 1) / (R + 1)``)
    with ``w`` libpysal's ``KNN``; tests compare them bit for bit. esda is not
    used at run time because importing it (with libpysal and scikit-learn)
    cost more than the whole rest of the geography stage.
    """
    y = np.asarray(y, dtype=float)
    Is, q, p = _moran_local(y, knn_weights(xy, k), permutations, seed)
    q = np.asarray(q, dtype=int)
    p = np.asarray(p, dtype=float)
    cluster = np.where(p < alpha, [LISA_LABELS.get(int(v), "ns") for v in q], "ns")
    return pd.DataFrame(
        {"lisa_I": np.asarray(Is, dtype=float), "lisa_q": q, "lisa_p": p,
         "lisa_cluster": cluster}
    )
