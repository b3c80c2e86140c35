"""Communities (being split into a package by algorithm family; see detect.py for now)."""

from netsoc.communities.detect import *  # noqa: F403
from netsoc.communities.detect import (  # noqa: F401
    BACKENDS,
    CPM_DENSITY_MULTIPLES,
    METHODS,
    MODULARITY_RESOLUTIONS,
    OBJECTIVES,
    __all__,
    _actor_stability,
    _drop_isolates,
    _expand,
    _modularity,
    _null_modularity,
    _to_igraph,
)
