"""Notes (en, sv) of the network-level models (ERGM, tie change); merged into ``i18n.NOTES``."""

NETWORK_MODEL_NOTES: dict[str, dict[str, str]] = {
    "models.ergm_no_layer": {
        "en": "There is no layer '{layer}' to fit the ERGM on (layers: {choices}).",
        "sv": "Det finns inget lager '{layer}' att anpassa ERGM-modellen till (lager: {choices}).",
    },
    "models.ergm_no_edges": {
        "en": "The layer '{layer}' has no ties, so there is nothing for an ERGM to explain.",
        "sv": "Lagret '{layer}' har inga relationer, så en ERGM-modell har inget att förklara.",
    },
    "models.ergm_bad_formula": {
        "en": "The ERGM formula cannot be used: {error}",
        "sv": "ERGM-formeln kan inte användas: {error}",
    },
    "models.ergm_unknown_edgecov": {
        "en": "edgecov({name}): '{name}' is neither a layer ({layers}) nor a column of the dyad "
        "frame ({columns}).",
        "sv": "edgecov({name}): '{name}' är varken ett lager ({layers}) eller en kolumn i "
        "tabellen över aktörspar ({columns}).",
    },
    "models.ergm_edgecov_missing": {
        "en": "edgecov({name}) is missing for {n} pair(s) (e.g. actors without coordinates); "
        "an ERGM needs a value for every pair.",
        "sv": "edgecov({name}) saknas för {n} par (t.ex. aktörer utan koordinater); en "
        "ERGM-modell behöver ett värde för varje par.",
    },
    "models.ergm_not_converged": {
        "en": "The ERGM '{model}' did not converge: its estimates are not to be trusted. Try fewer "
        "terms, a fixed decay for gwesp/gwdegree, or no triangle/kstar terms.",
        "sv": "ERGM-modellen '{model}' konvergerade inte: skattningarna går inte att lita på. "
        "Pröva färre termer, ett fast decay för gwesp/gwdegree eller inga triangle/kstar-termer.",
    },
    "models.ergm_network_only": {
        "en": "method 'ergm' is fitted at level 'network' or 'tie_change', and those levels only "
        "with method 'ergm'.",
        "sv": "Metoden 'ergm' anpassas på nivån 'network' eller 'tie_change', och de nivåerna "
        "bara med metoden 'ergm'.",
    },
    "models.tie_change_one_wave": {
        "en": "Tie change needs at least two waves in ties.csv; this study has one.",
        "sv": "Förändring av relationer kräver minst två omgångar i ties.csv; studien har en.",
    },
}
