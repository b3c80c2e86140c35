"""What each output table and column means: the Excel README sheet, LaTeX captions and docs.

Descriptions follow the conventions in ``DESIGN.md`` §3. Columns that follow a
pattern (``<measure>_lo``, ``<role>_z`` …) are described by :func:`column_doc`.
"""

from __future__ import annotations

import re

#: table name -> (what one row is, {column: meaning})
TABLES: dict[str, tuple[str, dict[str, str]]] = {
    "actors": (
        "One row per actor; measures on the undirected collaboration layer unless named.",
        {
            "actor_id": "actor id from actors.csv",
            "name": "display name",
            "type": "actor type (kommun, samordningsforbund, social_enterprise, …)",
            "kommun_kod": "4-digit SCB kommun code (empty for national bodies)",
            "degree": "number of distinct collaboration partners",
            "strength": "sum of tie weights (Himmelman strength 1–4) over partners",
            "betweenness": "raw shortest-path betweenness, each unordered pair once "
            "(= sna::betweenness(g, gmode='graph'))",
            "betweenness_norm": "betweenness / ((n-1)(n-2)/2)",
            "closeness": "closeness centrality (networkx; Wasserman–Faust for disconnected graphs)",
            "eigenvector": "eigenvector centrality (weighted)",
            "pagerank": "PageRank (damping 0.85, weighted)",
            "constraint": "Burt's constraint (weighted; low = many structural holes)",
            "coordinator": "Gould–Fernandez coordinator count (w_I) on the directed reported layer",
            "itinerant": "Gould–Fernandez itinerant count (w_O)",
            "representative": "Gould–Fernandez representative count (b_IO)",
            "gatekeeper": "Gould–Fernandez gatekeeper count (b_OI)",
            "liaison": "Gould–Fernandez liaison count (b_O)",
            "brokerage_total": "sum of the five brokerage role counts",
            "community": "consensus community (see communities)",
            "in_degree_reported": "number of respondents who named this actor",
            "out_degree_reported": "number of actors this actor named (0 for non-respondents)",
            "placements_hosted": "placements hosted (people; small counts suppressed)",
            "placements_referred": "placements referred (people; small counts suppressed)",
        },
    ),
    "network": (
        "One row per network-level metric and layer (metric, layer, value).",
        {
            "metric": "n_actors, n_ties, density, components, largest_component, "
            "degree_centralization, betweenness_centralization, reciprocity, transitivity, "
            "modularity, ei_index, ei_p_value, response_rate, …",
            "layer": "network layer: reported, collaboration, formal, placement, coplacement "
            "(with _wave<k> for single waves)",
            "value": "the metric's value",
        },
    ),
    "type_mixing": (
        "Ties between actor groups on the collaboration layer, observed and expected.",
        {
            "group_from": "group of one end (network.groups, default actor type)",
            "group_to": "group of the other end",
            "ties": "observed ties between the two groups",
            "expected": "ties expected if ties were spread at random over actor pairs",
            "ratio": "ties / expected (above 1: more ties than chance)",
        },
    ),
    "communities": (
        "One row per actor and method; the consensus rows are the partition used everywhere else.",
        {
            "actor_id": "actor id",
            "community": "community number (1 = largest)",
            "method": "consensus, leiden or louvain",
            "stability": "share of seeded runs in which the actor stays in its community",
        },
    ),
    "kommun": (
        "One row per kommun in scope: need, supply, 2SFCA access, spatial clusters.",
        {
            "kommun_kod": "4-digit SCB kommun code",
            "kommun_namn": "kommun name",
            "lan_kod": "2-digit län code",
            "population": "population (geography.population_indicator, latest year)",
            "need": "need_rate × population (people in need, estimated)",
            "need_rate": "need indicator (geography.need_indicator, latest year, "
            "empirical-Bayes smoothed), in the indicator's unit",
            "supply": "places: capacity of supply-side actors in the kommun (placements hosted "
            "where capacity is missing)",
            "actors": "number of actors located in the kommun",
            "placements": "placements hosted in the kommun (people; small counts suppressed)",
            "access": "two-step floating catchment access: places per person in need within "
            "geography.catchment_km",
            "access_rank": "rank of access (1 = best)",
            "gap": "standardised need minus standardised access",
            "lisa_cluster": "local Moran's I cluster of gap: HH, LL, HL, LH or ns",
            "lisa_p": "pseudo p-value of local Moran's I (permutations)",
            "underserved": "need_rate above the median and access in the bottom quintile or zero",
            "reason": "why the kommun is underserved, in words",
        },
    ),
    "models": (
        "One row per model term; binomial models in log-odds.",
        {
            "model": "model name from study.toml (or a default model)",
            "term": "formula term (C(x)[T.level] = category level against the reference)",
            "estimate": "coefficient (log-odds for binomial, log-rate for Poisson)",
            "std_error": "standard error (cluster-robust where clustered)",
            "statistic": "z or t statistic",
            "p_value": "two-sided p-value (MRQAP: permutation p-value, Dekker et al. 2007)",
            "ci_low": "lower end of the 95% confidence interval",
            "ci_high": "upper end of the 95% confidence interval",
            "n_obs": "observations used",
        },
    ),
    "model_fit": (
        "One row per model: fit statistics, or why it could not be fitted.",
        {
            "model": "model name",
            "level": "analysis frame: placement, actor, kommun or dyad",
            "method": "glm, gee, mixed or mrqap",
            "family": "binomial, gaussian, poisson or negativebinomial",
            "formula": "the model formula",
            "cluster": "column giving the clusters (cluster-robust SE / GEE groups)",
            "status": "ok or failed",
            "n_rows": "rows in the analysis frame",
            "n_obs": "rows used (complete on the model's variables)",
            "n_missing": "rows left out for missing values",
            "n_clusters": "clusters among the rows used",
            "n_clusters_pooled": "small clusters pooled into one",
            "llf": "log-likelihood",
            "aic": "Akaike information criterion",
            "bic": "Bayesian information criterion",
            "deviance": "deviance",
            "pseudo_r2": "McFadden pseudo R-squared (binomial)",
            "r_squared": "R-squared (OLS / MRQAP)",
            "permutations": "MRQAP permutations",
            "message": "why the model could not be fitted",
        },
    ),
    "qap_correlations": (
        "QAP correlations between network layers (each pair of non-empty layers).",
        {
            "layer_a": "first layer",
            "layer_b": "second layer",
            "correlation": "correlation of the two (valued) adjacency matrices (= sna::gcor)",
            "p_value": "two-sided QAP permutation p-value",
            "p_greater": "share of permutations with a correlation at least as large",
            "p_less": "share of permutations with a correlation at most as large",
            "permutations": "number of permutations",
            "n_actors": "actors in the matrices",
        },
    ),
    "waves": (
        "One row per actor and wave: measures in each survey wave.",
        {
            "actor_id": "actor id",
            "wave": "survey wave",
            "degree": "collaboration partners in that wave",
            "betweenness": "betweenness in that wave's collaboration layer",
            "brokerage_total": "Gould–Fernandez brokerage in that wave",
            "rank": "rank by betweenness in that wave (1 = highest)",
        },
    ),
    "tie_changes": (
        "Ties kept, new and ended between consecutive waves (collaboration layer).",
        {
            "from_wave": "earlier wave",
            "to_wave": "later wave",
            "stable": "ties present in both waves",
            "new": "ties only in the later wave",
            "dropped": "ties only in the earlier wave",
            "jaccard": "stable / (stable + new + dropped)",
        },
    ),
    "betweenness_sensitivity": (
        "How stable the betweenness ranking is when non-respondents' ties are perturbed.",
        {
            "rank": "rank by observed betweenness",
            "rank_median": "median rank over perturbed networks",
            "rank_lo": "lower end of the rank band",
            "rank_hi": "upper end of the rank band",
            "share_top10": "share of perturbed networks in which the actor is in the top 10",
        },
    ),
}

_PATTERNS = [
    (re.compile(r"^(.+)_lo$"), "lower end of the non-response robustness band of {0}"),
    (re.compile(r"^(.+)_hi$"), "upper end of the non-response robustness band of {0}"),
    (re.compile(r"^(.+)_expected$"), "{0} expected if arcs were independent at the observed density"),
    (re.compile(r"^(.+)_z$"), "z-score of {0} against its expected value"),
    (re.compile(r"^host_(.+)$"), "the host actor's {0}"),
    (re.compile(r"^referrer_(.+)$"), "the referring actor's {0}"),
]


def table_doc(name: str) -> str:
    """What one row of table ``name`` is (empty when unknown)."""
    return TABLES.get(name, ("", {}))[0]


def column_doc(table: str, column: str) -> str:
    """What ``column`` of ``table`` means (empty when unknown)."""
    cols = TABLES.get(table, ("", {}))[1]
    if column in cols:
        return cols[column]
    for other in TABLES.values():  # shared columns (actor_id, name, type …)
        if column in other[1] and column in ("actor_id", "name", "type", "kommun_kod"):
            return other[1][column]
    for pattern, text in _PATTERNS:
        m = pattern.match(column)
        if m:
            return text.format(m.group(1))
    return ""
