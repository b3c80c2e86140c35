"""Outcome models: analysis frames, GLM/GEE/multilevel models and MRQAP.

Does network position relate to outcomes? This stage joins the network
measures to placements, actors and kommuner in four *analysis frames*
(``placement``, ``actor``, ``kommun``, ``dyad``; every column documented in
:attr:`Frames.columns` and exportable with :func:`write_frames`), fits the
``[[model]]`` entries of ``study.toml`` (or sensible defaults), and returns a
:class:`ModelsResult` whose ``table`` is ``tables/models.csv``.

Methods
-------
- Placement, actor and kommun models are statsmodels GLMs (binomial, gaussian,
  poisson; negative binomial via ``statsmodels.discrete`` so the dispersion is
  estimated). With a ``cluster`` column the standard errors are
  cluster-robust (Liang & Zeger 1986 sandwich, statsmodels' small-sample
  correction); ``method="gee"`` fits a GEE with exchangeable working
  correlation; ``method="mixed"`` fits a random intercept per cluster
  (``MixedLM`` for gaussian, variational Bayes ``BinomialBayesMixedGLM`` /
  ``PoissonBayesMixedGLM`` otherwise).
- Clusters with fewer than ``min_cluster_size`` rows (option, default 2) are
  merged, in order of their id, into pooled clusters of at least that size
  for cluster-robust SEs and GEE. Merging clusters only allows *more*
  correlation, so the SEs stay valid; nothing is dropped. Mixed models keep
  every cluster as it is (a random intercept per pooled group would mix
  unrelated hosts).
- Dyad models are MRQAP (:mod:`netsoc.models.mrqap`): OLS on the off-diagonal dyads
  with Dekker et al. (2007) double semi-partialling permutations.
- Rows with a missing value in any variable of a model (or its cluster) are
  left out of that model only, and counted per variable in the model's
  warnings and in ``fit_table``. For MRQAP, which needs complete matrices,
  the actors with missing values are left out instead (and listed).
- A model that cannot be fitted (no variation in the outcome, a constant or
  collinear predictor, too few rows or clusters, a formula error) gets
  ``status="failed"`` and a plain-language message; it never raises.

Modules
-------
Each module imports only the modules above it in this list:

- :mod:`~netsoc.models.design`: :class:`ModelFit`, the columns of the results
  tables, formula → design matrix (patsy), missing values and design checks.
- :mod:`~netsoc.models.dyads`: the dyad frame (one row per ordered actor
  pair) and the actor × actor matrices it is read from.
- :mod:`~netsoc.models.frames`: :class:`Frames`, the placement, actor and
  kommun frames, :func:`build_frames`, :func:`write_frames`.
- :mod:`~netsoc.models.glm`: GLM, GEE and mixed models, cluster-robust
  standard errors, :func:`pool_small_clusters`.
- :mod:`~netsoc.models.mrqap`: QAP correlation and MRQAP (Dekker et al.
  2007), the dyad-level models and :func:`layer_correlations`.
- :mod:`~netsoc.models.plots`: :func:`coefficient_plot`.
- :mod:`~netsoc.models.run`: :func:`run_models`, :func:`fit_models`,
  :func:`fit_model`, :func:`default_specs`, :class:`ModelsResult`.

References
----------
Liang, K.-Y. & Zeger, S. L. (1986). Longitudinal data analysis using
generalized linear models. *Biometrika* 73, 13–22.
Krackhardt, D. (1988). Predicting with networks. *Social Networks* 10, 359–381.
Dekker, D., Krackhardt, D. & Snijders, T. A. B. (2007). *Psychometrika* 72, 563–581.
Cameron, A. C. & Miller, D. L. (2015). A practitioner's guide to
cluster-robust inference. *Journal of Human Resources* 50, 317–372.
"""

from __future__ import annotations

from netsoc.models.design import FIT_COLUMNS, TABLE_COLUMNS, ModelFit
from netsoc.models.dyads import DYAD_DOCS, actor_coordinates, dyad_frame
from netsoc.models.frames import (
    ACTOR_COLUMN_DOCS,
    KOMMUN_COLUMN_DOCS,
    LEVELS,
    PLACEMENT_BASE_DOCS,
    Frames,
    actor_frame,
    build_frames,
    indicators_wide,
    kommun_frame,
    placement_frame,
    write_frames,
)
from netsoc.models.glm import MIN_CLUSTERS, pool_small_clusters
from netsoc.models.mrqap import (
    MRQAPResult,
    QAPCorrelation,
    layer_correlations,
    mrqap_vectors,
    offdiag_index,
    qap_correlation,
)
from netsoc.models.plots import coefficient_plot
from netsoc.models.run import (
    FAMILIES,
    METHODS,
    ModelsResult,
    default_specs,
    fit_model,
    fit_models,
    run_models,
)

# not re-exported: the function netsoc.models.mrqap.mrqap (netsoc.models.mrqap must stay the
# submodule; import mrqap from there)
__all__ = [
    "ACTOR_COLUMN_DOCS",
    "DYAD_DOCS",
    "FAMILIES",
    "FIT_COLUMNS",
    "Frames",
    "KOMMUN_COLUMN_DOCS",
    "LEVELS",
    "METHODS",
    "MIN_CLUSTERS",
    "MRQAPResult",
    "ModelFit",
    "ModelsResult",
    "PLACEMENT_BASE_DOCS",
    "QAPCorrelation",
    "TABLE_COLUMNS",
    "actor_coordinates",
    "actor_frame",
    "build_frames",
    "coefficient_plot",
    "default_specs",
    "dyad_frame",
    "fit_model",
    "fit_models",
    "indicators_wide",
    "kommun_frame",
    "layer_correlations",
    "mrqap_vectors",
    "offdiag_index",
    "placement_frame",
    "pool_small_clusters",
    "qap_correlation",
    "run_models",
    "write_frames",
]
