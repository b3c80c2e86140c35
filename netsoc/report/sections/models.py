"""Outcome models: each model with n, clusters, odds ratios (binomial) or coefficients,
warnings in plain words, QAP correlations between layers, and the methods."""

from __future__ import annotations

import numpy as np
import pandas as pd

from netsoc.report.html import esc, figure_img, labelled, table

KEY = "models"
TEXT = {
    "nav_models": {"sv": "Modeller", "en": "Models"},
    "models_title": {"sv": "Utfallsmodeller", "en": "Outcome models"},
    "models_intro": {
        "sv": "Hänger nätverksposition ihop med utfall? Modellerna kopplar nätverksmåtten till "
        "placeringar, aktörer, kommuner och aktörspar. {fitted} av {total} modeller kunde skattas.",
        "en": "Does network position relate to outcomes? The models join the network measures "
        "to placements, actors, kommuner and actor pairs. {fitted} of {total} models could be "
        "fitted.",
    },
    "models_none": {
        "sv": "Inga modeller skattades: studien saknar placeringar med kända utfall och band "
        "att modellera, och study.toml anger inga [[model]].",
        "en": "No models were fitted: the study has no placements with known outcomes and no "
        "ties to model, and study.toml lists no [[model]].",
    },
    "models_spec": {
        "sv": "Nivå: {level}. Metod: {method}. Fördelning: {family}.",
        "en": "Level: {level}. Method: {method}. Family: {family}.",
    },
    "models_n": {
        "sv": "{n} observationer används; {missing} utelämnade på grund av saknade värden.",
        "en": "{n} observations used; {missing} left out because of missing values.",
    },
    "models_clusters": {
        "sv": "Klusterrobusta standardfel med {k} kluster ({cluster}).",
        "en": "Cluster-robust standard errors with {k} clusters ({cluster}).",
    },
    "models_groups": {
        "sv": "{k} grupper ({cluster}).",
        "en": "{k} groups ({cluster}).",
    },
    "models_perms": {
        "sv": "{n} aktörer, {perms} permutationer (Dekkers dubbla semipartiella).",
        "en": "{n} actors, {perms} permutations (Dekker's double semi-partialling).",
    },
    "models_failed": {
        "sv": "Modellen kunde inte skattas",
        "en": "The model could not be fitted",
    },
    "models_warnings": {"sv": "Att tänka på", "en": "Things to note"},
    "models_or_note": {
        "sv": "Oddskvot över 1: högre chans till utfallet; under 1: lägre. Intervallen är 95 %. "
        "models.csv anger log-odds.",
        "en": "Odds ratio above 1: higher odds of the outcome; below 1: lower. Intervals are "
        "95 %. models.csv gives log-odds.",
    },
    "models_lpm_note": {
        "sv": "Koefficienterna är skillnader i sannolikheten för ett band (linjär "
        "sannolikhetsmodell); p-värdena kommer från permutationstestet, intervallen är "
        "beskrivande (vanlig OLS).",
        "en": "Coefficients are differences in the probability of a tie (linear probability "
        "model); p-values come from the permutation test, the intervals are descriptive "
        "(ordinary OLS).",
    },
    "col_term": {"sv": "Term", "en": "Term"},
    "col_odds_ratio": {"sv": "Oddskvot", "en": "Odds ratio"},
    "col_estimate": {"sv": "Skattning", "en": "Estimate"},
    "col_ci_low": {"sv": "95 % KI, nedre", "en": "95 % CI, low"},
    "col_ci_high": {"sv": "95 % KI, övre", "en": "95 % CI, high"},
    "col_p_value": {"sv": "p-värde", "en": "p-value"},
    "col_layer_a": {"sv": "Lager", "en": "Layer"},
    "col_layer_b": {"sv": "Jämfört med", "en": "Compared with"},
    "col_correlation": {"sv": "Korrelation", "en": "Correlation"},
    "models_qap_title": {
        "sv": "Hur lika är nätverkslagren? (QAP-korrelation)",
        "en": "How alike are the network layers? (QAP correlation)",
    },
    "models_qap_note": {
        "sv": "Pearsonkorrelation över alla aktörspar; p-värdet (tvåsidigt) jämför med {perms} "
        "omnumreringar av aktörerna, som behåller varje nätverks struktur.",
        "en": "Pearson correlation over all actor pairs; the two-sided p-value compares with "
        "{perms} relabellings of the actors, which keep each network's structure.",
    },
    "models_notes": {"sv": "Anmärkningar", "en": "Notes"},
    "models_methods_title": {"sv": "Metod", "en": "Method"},
    "models_methods": {
        "sv": "Placerings-, aktörs- och kommunmodeller är generaliserade linjära modeller "
        "(statsmodels). När observationerna hör ihop i kluster (t.ex. placeringar hos samma "
        "värd) används klusterrobusta standardfel eller GEE (Liang & Zeger 1986); kluster med "
        "färre observationer än minimistorleken slås ihop, i id-ordning, till sammanslagna "
        "kluster – ingen rad tas bort. Med färre än cirka 20 kluster blir osäkerheten "
        "underskattad, vilket sägs vid modellen. Rader med saknade värden utelämnas ur den "
        "modell som behöver dem och redovisas per variabel. Aktörspar (dyader) modelleras med "
        "MRQAP (Krackhardt 1988): koefficienterna är OLS på alla ordnade aktörspar och "
        "p-värdena kommer från Dekker, Krackhardt & Snijders (2007) dubbla semipartiella "
        "permutationer, som i sna::netlm(nullhyp = \"qapspp\"). Nätverkslagrens likhet testas "
        "med QAP-korrelation (Krackhardt 1987). Permutationerna styrs av körningens frö.",
        "en": "Placement, actor and kommun models are generalised linear models (statsmodels). "
        "When observations come in clusters (e.g. placements at the same host), standard "
        "errors are cluster-robust or the model is a GEE (Liang & Zeger 1986); clusters "
        "smaller than the minimum size are merged, in order of their id, into pooled "
        "clusters – no row is removed. With fewer than about 20 clusters the uncertainty is "
        "understated, and the model says so. Rows with missing values are left out of the "
        "model that needs them and counted per variable. Actor pairs (dyads) are modelled "
        "with MRQAP (Krackhardt 1988): the coefficients are OLS over all ordered actor pairs "
        "and the p-values come from Dekker, Krackhardt & Snijders' (2007) double "
        "semi-partialling permutations, as in sna::netlm(nullhyp = \"qapspp\"). How alike "
        "the network layers are is tested with QAP correlation (Krackhardt 1987). The "
        "permutations follow the run's seed.",
    },
    "models_refs": {
        "sv": "Referenser: Liang, K.-Y. & Zeger, S. L. (1986), Biometrika 73, 13–22. "
        "Krackhardt, D. (1987), Social Networks 9, 171–186; (1988), Social Networks 10, "
        "359–381. Dekker, D., Krackhardt, D. & Snijders, T. A. B. (2007), Psychometrika 72, "
        "563–581. Cameron, A. C. & Miller, D. L. (2015), Journal of Human Resources 50, "
        "317–372.",
        "en": "References: Liang, K.-Y. & Zeger, S. L. (1986), Biometrika 73, 13–22. "
        "Krackhardt, D. (1987), Social Networks 9, 171–186; (1988), Social Networks 10, "
        "359–381. Dekker, D., Krackhardt, D. & Snijders, T. A. B. (2007), Psychometrika 72, "
        "563–581. Cameron, A. C. & Miller, D. L. (2015), Journal of Human Resources 50, "
        "317–372.",
    },
    "models_ergm_note": {
        "sv": "ERGM: oddskvoten är hur mycket oddsen för ett band mellan två aktörer ändras när "
        "termen ökar med ett, givet resten av nätverket (t.ex. nodematch: samma värde hos båda; "
        "gwesp: ett gemensamt partnerpar till). Över 1 gör bandet troligare. "
        "Skattningsmetod: {method}. models.csv anger log-odds.",
        "en": "ERGM: the odds ratio is how much the odds of a tie between two actors change when "
        "the term goes up by one, given the rest of the network (e.g. nodematch: the same value "
        "at both ends; gwesp: one more shared partner). Above 1 makes the tie more likely. "
        "Estimation: {method}. models.csv gives log-odds.",
    },
    "models_gof_note": {
        "sv": "Passar modellen? Den svarta linjen är det observerade nätverket, det blå bandet "
        "95 % av {n} nätverk simulerade från modellen. Där linjen går utanför bandet "
        "återger modellen inte den egenskapen (ergm_gof.csv).",
        "en": "Does the model fit? The black line is the observed network, the blue band 95 % of "
        "{n} networks simulated from the model. Where the line leaves the band, the model "
        "does not reproduce that feature (ergm_gof.csv).",
    },
    "models_tie_change_note": {
        "sv": "Bildning: oddsen att ett band som saknades i den tidigare omgången finns i den "
        "senare. Upplösning (som i tergm): oddsen att ett befintligt band består – över 1 "
        "betyder att band med termen oftare finns kvar.",
        "en": "Formation: the odds that a tie absent in the earlier wave is present in the later "
        "one. Dissolution (as in tergm): the odds that an existing tie persists – above 1 "
        "means ties with the term last more often.",
    },
    "level_network": {"sv": "nätverk", "en": "network"},
    "level_tie_change": {"sv": "förändring av band", "en": "tie change"},
    "method_ergm": {"sv": "ERGM", "en": "ERGM"},
    "level_placement": {"sv": "placering", "en": "placement"},
    "level_actor": {"sv": "aktör", "en": "actor"},
    "level_kommun": {"sv": "kommun", "en": "kommun"},
    "level_dyad": {"sv": "aktörspar", "en": "actor pair"},
    "method_glm": {"sv": "GLM", "en": "GLM"},
    "method_gee": {"sv": "GEE", "en": "GEE"},
    "method_mixed": {"sv": "flernivåmodell", "en": "multilevel model"},
    "method_mrqap": {"sv": "MRQAP", "en": "MRQAP"},
    "family_binomial": {"sv": "binomial (logit)", "en": "binomial (logit)"},
    "family_gaussian": {"sv": "normal", "en": "gaussian"},
    "family_poisson": {"sv": "Poisson", "en": "Poisson"},
    "family_negativebinomial": {"sv": "negativ binomial", "en": "negative binomial"},
}


def _label(t, prefix: str, value: str) -> str:
    try:
        return t(f"{prefix}_{value}")
    except KeyError:
        return value


def _p(t, p: float) -> str:
    if p is None or not np.isfinite(p):
        return ""
    if p < 0.001:
        return "< " + t.num(0.001, 3)
    return t.num(p, 3)


def _fit_block(fit, t) -> str:
    s = fit.spec
    st = fit.stats
    out = [f"<h3>{esc(s.name)}</h3>"]
    out.append(
        "<p>"
        + esc(
            t(
                "models_spec",
                level=_label(t, "level", s.level),
                method=_label(t, "method", fit.method),
                family=_label(t, "family", s.family),
            )
        )
        + f" <code>{esc(s.formula)}</code></p>"
    )
    if not fit.ok:
        out.append(f'<p class="warn">{esc(t("models_failed"))}: {esc(t.note(fit.message))}</p>')
    else:
        line = [t("models_n", n=t.num(st.get("n_obs", 0), 0), missing=t.num(st.get("n_missing", 0), 0))]
        k = st.get("n_clusters")
        if s.cluster and k is not None and np.isfinite(k):
            key = "models_groups" if fit.method == "mixed" else "models_clusters"
            line.append(t(key, k=t.num(k, 0), cluster=s.cluster))
        if fit.method == "mrqap":
            line.append(
                t("models_perms", n=t.num(st.get("n_actors", 0), 0), perms=t.num(st.get("permutations", 0), 0))
            )
        out.append("<p>" + esc(" ".join(line)) + "</p>")
        tab = fit.table
        tab = tab[~tab["term"].isin(["Intercept", "(intercept)"])].copy()
        odds = s.family == "binomial" and fit.method != "mrqap"
        shown = pd.DataFrame({"term": [t.term(x) for x in tab["term"]]})
        est = tab["estimate"].to_numpy(dtype=float)
        lo = tab["ci_low"].to_numpy(dtype=float)
        hi = tab["ci_high"].to_numpy(dtype=float)
        is_vc = tab["term"].str.startswith(("log_sd(", "var(")).to_numpy()
        if odds:
            est = np.where(is_vc, est, np.exp(est))
            lo = np.where(is_vc, lo, np.exp(lo))
            hi = np.where(is_vc, hi, np.exp(hi))
        col = "odds_ratio" if odds else "estimate"
        shown[col] = est
        shown["ci_low"] = lo
        shown["ci_high"] = hi
        shown["p_value"] = [_p(t, p) for p in tab["p_value"].to_numpy(dtype=float)]
        cols = {c: t(f"col_{c}") for c in ("term", col, "ci_low", "ci_high", "p_value")}
        out.append(table(shown, t, columns=cols, digits=3, sortable=False))
        if fit.method == "ergm":
            out.append(_ergm_notes(fit, t))
        elif odds:
            out.append(f'<p class="note">{esc(t("models_or_note"))}</p>')
        elif fit.method == "mrqap" and s.family == "binomial":
            out.append(f'<p class="note">{esc(t("models_lpm_note"))}</p>')
        if len(tab):
            from netsoc.models import coefficient_plot

            out.append(figure_img(coefficient_plot(fit), alt=s.name))
    warns = [w for w in fit.warnings]
    if warns:
        out.append(f"<p><strong>{esc(t('models_warnings'))}</strong></p>")
        out.append("<ul>" + "".join(f"<li>{esc(t.note(w))}</li>" for w in warns) + "</ul>")
    return "\n".join(out)


def _ergm_notes(fit, t) -> str:
    """The plain-language reading of an ERGM and its goodness-of-fit picture."""
    from netsoc.models.plots import ergm_gof_plot  # why: matplotlib, only with an ERGM

    parts = fit.extra.get("parts", {})
    method = ", ".join(sorted({r.method for r in parts.values()}))
    out = [f'<p class="note">{esc(t("models_ergm_note", method=method))}</p>']
    if fit.spec.level == "tie_change":
        out.append(f'<p class="note">{esc(t("models_tie_change_note"))}</p>')
    gof = fit.extra.get("gof")
    if gof is not None and len(gof):
        out.append(figure_img(ergm_gof_plot(gof), alt=f"{fit.spec.name}: goodness of fit"))
        n = int(fit.spec.options.get("gof_simulations", 100))
        out.append(f'<p class="note">{esc(t("models_gof_note", n=n))}</p>')
    return "\n".join(out)


def render(results, t) -> str | None:
    mr = results.items.get("models")
    if mr is None:
        return None
    body = []
    if not mr.fits:
        body.append(f"<p>{esc(t('models_none'))}</p>")
    else:
        body.append(
            f"<p>{esc(t('models_intro', fitted=sum(f.ok for f in mr.fits), total=len(mr.fits)))}</p>"
        )
        body += [_fit_block(f, t) for f in mr.fits]
    q = mr.qap
    if q is not None and len(q):
        body.append(f"<h3>{esc(t('models_qap_title'))}</h3>")
        shown = labelled(q[["layer_a", "layer_b", "correlation"]], t,
                         {"layer_a": "layer", "layer_b": "layer"})
        shown["p_value"] = [_p(t, p) for p in q["p_value"].to_numpy(dtype=float)]
        cols = {c: t(f"col_{c}") for c in ("layer_a", "layer_b", "correlation", "p_value")}
        body.append(table(shown, t, columns=cols, digits=3, sortable=False))
        body.append(
            f'<p class="note">{esc(t("models_qap_note", perms=int(q["permutations"].iloc[0])))}</p>'
        )
    if mr.notes:
        body.append(f"<p><strong>{esc(t('models_notes'))}</strong></p>")
        body.append("<ul>" + "".join(f"<li>{esc(t.note(n))}</li>" for n in mr.notes) + "</ul>")
    body.append(f"<h3>{esc(t('models_methods_title'))}</h3>")
    body.append(f"<p>{esc(t('models_methods'))}</p>")
    body.append(f'<p class="note">{esc(t("models_refs"))}</p>')
    return (
        f'<section id="{esc(KEY)}"><h2>{esc(t("models_title"))}</h2>\n' + "\n".join(body) + "\n</section>"
    )
