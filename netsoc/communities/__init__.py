"""Communities: detection, consensus, stability and comparison with formal structures.

A single run of a community detection algorithm is not an answer: the
partition changes with the seed and every graph, even a random one, has a
partition with positive modularity. This module therefore

1. runs Leiden (Traag, Waltman & van Eck 2019; modularity or CPM, with a
   resolution parameter) and Louvain (Blondel et al. 2008) many times with
   derived seeds,
2. builds a consensus partition from the co-assignment of actors across the
   runs (Lancichinetti & Fortunato 2012),
3. measures stability per actor (share of runs in which the actor stays with
   its consensus community) and per partition (mean pairwise adjusted Rand
   index and normalised mutual information between runs),
4. compares modularity with a configuration-model null (seeded
   degree-preserving rewiring) and judges whether the structure is clear at all,
5. compares the consensus partition with the given partitions
   (samordningsförbund membership, kommun, län, actor type) and finds
   bridging actors (participation coefficient, Guimerà & Amaral 2005).

Graphs come in as networkx graphs (the model users see) and are converted to
python-igraph internally; leidenalg does the heavy lifting so that national
scale (~30,000 actors) stays fast. Nodes are ordered by ``str(actor_id)``
before conversion, so results do not depend on insertion order.

Community labels are canonical: communities are numbered 1, 2, ... by size
(largest first), ties broken by the smallest actor id in the community. The
same graph and seed therefore give byte-identical tables.

Files
-----
``_core.py``
    conversion of networkx graphs to igraph (``_Graph``), :func:`canonical_labels`,
    dropping and restoring isolated actors, seeded random streams.
``runs.py``
    single seeded runs: :func:`leiden`, :func:`louvain` and the run machinery
    (Traag et al. 2019; Blondel et al. 2008).
``compare.py``
    :func:`adjusted_rand_index`, :func:`normalized_mutual_info`,
    :func:`given_partitions`, :func:`compare_partitions`, :func:`forbund_crosstab`,
    :func:`participation_coefficient` (Hubert & Arabie 1985; Guimerà & Amaral 2005).
``consensus.py``
    agreement between runs, per-actor stability, consensus clustering and the
    null model of rewired graphs (Lancichinetti & Fortunato 2012).
``sweep.py``
    :func:`resolution_sweep`.
``figures.py``
    :func:`plot_sweep`, :func:`community_colors`.
``detect.py``
    :func:`detect_communities` and :class:`CommunityResult` (steps 1-5 together,
    and the verdict).

Imports run one way: ``_core`` -> ``runs``, ``compare`` -> ``consensus`` ->
``sweep`` -> ``detect``; ``figures`` stands alone. Every name is re-exported
here, so ``netsoc.communities.detect_communities`` and the rest work as before.

References
----------
Traag, V. A., Waltman, L., & van Eck, N. J. (2019). From Louvain to Leiden:
guaranteeing well-connected communities. Scientific Reports, 9, 5233.

Blondel, V. D., Guillaume, J.-L., Lambiotte, R., & Lefebvre, E. (2008). Fast
unfolding of communities in large networks. J. Stat. Mech., P10008.

Lancichinetti, A., & Fortunato, S. (2012). Consensus clustering in complex
networks. Scientific Reports, 2, 336.

Hubert, L., & Arabie, P. (1985). Comparing partitions. Journal of
Classification, 2, 193-218.

Guimerà, R., & Amaral, L. A. N. (2005). Functional cartography of complex
metabolic networks. Nature, 433, 895-900.
"""

from netsoc.communities._core import canonical_labels
from netsoc.communities.compare import (
    adjusted_rand_index,
    compare_partitions,
    forbund_crosstab,
    given_partitions,
    normalized_mutual_info,
    participation_coefficient,
)
from netsoc.communities.detect import METHODS as METHODS
from netsoc.communities.detect import CommunityResult, detect_communities
from netsoc.communities.figures import community_colors, plot_sweep
from netsoc.communities.runs import BACKENDS as BACKENDS
from netsoc.communities.runs import OBJECTIVES as OBJECTIVES
from netsoc.communities.runs import leiden, louvain
from netsoc.communities.sweep import CPM_DENSITY_MULTIPLES as CPM_DENSITY_MULTIPLES
from netsoc.communities.sweep import MODULARITY_RESOLUTIONS as MODULARITY_RESOLUTIONS
from netsoc.communities.sweep import resolution_sweep

__all__ = [
    "CommunityResult",
    "adjusted_rand_index",
    "canonical_labels",
    "community_colors",
    "compare_partitions",
    "detect_communities",
    "forbund_crosstab",
    "given_partitions",
    "leiden",
    "louvain",
    "normalized_mutual_info",
    "participation_coefficient",
    "plot_sweep",
    "resolution_sweep",
]
