"""Summary in plain words: what the study holds and the main findings of each stage.

The facts come from :mod:`netsoc.report.findings`; a stage that did not run
is simply not mentioned.
"""

from __future__ import annotations

import math

from netsoc.privacy import format_count
from netsoc.report import findings
from netsoc.report.html import esc, section

KEY = "summary"
TEXT = {
    "nav_summary": {"sv": "Sammanfattning", "en": "Summary"},
    "summary_title": {"sv": "Sammanfattning", "en": "Summary"},
    "kpi_actors": {"sv": "aktörer", "en": "actors"},
    "kpi_ties": {"sv": "rapporterade relationer", "en": "reported ties"},
    "kpi_collab": {"sv": "samverkansrelationer", "en": "collaboration ties"},
    "kpi_response": {"sv": "svarsfrekvens", "en": "response rate"},
    "kpi_communities": {"sv": "kluster", "en": "communities"},
    "kpi_placements": {"sv": "placeringar", "en": "placements"},
    "kpi_kommuner": {"sv": "kommuner", "en": "kommuner"},
    "summary_findings": {"sv": "Huvudresultat", "en": "Main findings"},
    "synthetic_warning": {
        "sv": "Obs! Intervju-, svars-, placerings- och indikatordata i denna studie är syntetiska "
        "(genererade för demonstration). Aktörer och formella relationer bygger på offentliga rapporter.",
        "en": "Note: the interview, respondent, placement and indicator data of this study are synthetic "
        "(generated for demonstration). Actors and formal relations come from public reports.",
    },
    "synthetic_warning_generic": {
        "sv": "Obs! Studien är markerad som syntetisk: siffrorna visar hur analysen fungerar, inte "
        "verkliga förhållanden.",
        "en": "Note: this study is marked as synthetic: the numbers show how the analysis works, not "
        "real conditions.",
    },
    "most_connected": {
        "sv": "Flest samarbetspartner: {names}.",
        "en": "Most collaboration partners: {names}.",
    },
    "summary_brokers": {
        "sv": "Viktigaste mellanhänderna: {names} (mellanhet: ligger oftast på kortaste vägen "
        "mellan andra aktörer).",
        "en": "Main brokers: {names} (betweenness: most often on the shortest path between other "
        "actors).",
    },
    "summary_gf": {
        "sv": "Förmedlar mest mellan olika aktörstyper: {names} (Gould–Fernandez: representant, "
        "grindvakt och förbindelselänk sammanlagt).",
        "en": "Broker most between different actor types: {names} (Gould–Fernandez: "
        "representative, gatekeeper and liaison together).",
    },
    "summary_communities_clear": {
        "sv": "Kluster: nätverket delas i {n} tydliga kluster (modularitet {q}). "
        "Störst: {items}.",
        "en": "Communities: the network falls into {n} clear communities (modularity {q}). "
        "Largest: {items}.",
    },
    "summary_communities_unclear": {
        "sv": "Kluster: ingen tydlig struktur; uppdelningen i {n} grupper (modularitet {q}) är "
        "inte stabil eller inte starkare än i slumpade nätverk. Störst: {items}.",
        "en": "Communities: no clear structure; the split into {n} groups (modularity {q}) is not "
        "stable or not stronger than in randomised networks. Largest: {items}.",
    },
    "summary_communities_plain": {
        "sv": "Kluster: nätverket delas i {n} kluster. Störst: {items}.",
        "en": "Communities: the network falls into {n} communities. Largest: {items}.",
    },
    "summary_community_item": {
        "sv": "nr {c} med {size} aktörer ({members})",
        "en": "no. {c} with {size} actors ({members})",
    },
    "summary_underserved": {
        "sv": "Underförsörjda kommuner: {names} (högt behov, låg tillgång till platser).",
        "en": "Underserved kommuner: {names} (high need, low access to places).",
    },
    "summary_no_underserved": {
        "sv": "Underförsörjda kommuner: ingen av de {n} kommunerna (högt behov och låg tillgång).",
        "en": "Underserved kommuner: none of the {n} kommuner (high need and low access).",
    },
    "summary_model": {"sv": "Modell {model}: {terms}.", "en": "Model {model}: {terms}."},
    "summary_model_none": {
        "sv": "Modell {model}: ingen term med {p}.",
        "en": "Model {model}: no term with {p}.",
    },
    "summary_or": {
        "sv": "{term} oddskvot {est} (95 % KI {lo}–{hi}; {p})",
        "en": "{term} odds ratio {est} (95% CI {lo}–{hi}; {p})",
    },
    "summary_coef": {"sv": "{term} koefficient {est} ({p})", "en": "{term} coefficient {est} ({p})"},
    "summary_waves": {
        "sv": "Från våg {a} till våg {b}: {stable} relationer består, {new} nya, {dropped} upphörda.",
        "en": "From wave {a} to wave {b}: {stable} ties kept, {new} new, {dropped} ended.",
    },
    "summary_response": {
        "sv": "Bortfall: {done} av {asked} tillfrågade aktörer svarade ({rate}); relationer som bara "
        "icke-svarande kunde ha rapporterat saknas.",
        "en": "Non-response: {done} of {asked} actors asked answered ({rate}); ties only "
        "non-respondents could have reported are missing.",
    },
}


def _names(df, value_col: str, t, digits: int = 0) -> str:
    return ", ".join(f"{n} ({t.num(v, digits)})" for n, v in zip(df["name"], df[value_col], strict=True))


def _kpis(results, t) -> str:
    study = results.study
    kpis = [(t.num(len(study.actors)), t("kpi_actors"))]
    if study.ties is not None:
        kpis.append((t.num(len(study.ties)), t("kpi_ties")))
    if results.networks is not None:
        kpis.append((t.num(results.networks.collaboration.number_of_edges()), t("kpi_collab")))
    resp = findings.response(results)
    if resp and resp["asked"]:
        kpis.append((t.pct(resp["rate"]), t("kpi_response")))
    com = findings.community_overview(results)
    if com is not None:
        kpis.append((t.num(com["n"]), t("kpi_communities")))
    if study.placements is not None:
        n = len(study.placements)
        m = study.settings.min_cell
        kpis.append((format_count(n, m) if 0 < n < m else t.num(n), t("kpi_placements")))
    kpis.append((t.num(study.actors["kommun_kod"].dropna().nunique()), t("kpi_kommuner")))
    return "".join(f'<span class="kpi"><b>{esc(v)}</b>{esc(label)}</span>' for v, label in kpis)


def _model_sentences(results, t) -> list[str]:
    sig = findings.model_findings(results)
    models = results.tables.get("models")
    if sig is None or models is None:
        return []
    out = []
    for name in dict.fromkeys(models["model"]):
        rows = sig[sig["model"] == name].head(3)
        if not len(rows):
            out.append(t("summary_model_none", model=name, p=f"p < {t.num(0.05, 2)}"))
            continue
        terms = []
        for r in rows.itertuples(index=False):
            if r.family == "binomial" and not math.isnan(r.odds_ratio):
                terms.append(t("summary_or", term=t.term(r.term), est=t.num(r.odds_ratio, 2),
                               lo=t.num(r.or_low, 2), hi=t.num(r.or_high, 2), p=t.p(r.p_value)))
            else:
                terms.append(t("summary_coef", term=t.term(r.term), est=t.num(r.estimate, 3),
                               p=t.p(r.p_value)))
        out.append(t("summary_model", model=name, terms="; ".join(terms)))
    return out


def sentences(results, t) -> list[str]:
    """The summary's findings as plain sentences (already translated, not yet escaped)."""
    out = []
    actors = results.tables.get("actors")
    top = findings.key_actors(actors)
    if len(top):
        out.append(t("most_connected", names=_names(top, "degree", t)))
    b = findings.brokers(actors)
    if len(b):
        out.append(t("summary_brokers", names=_names(b, "betweenness", t, 1)))
    gf = findings.cross_group_brokers(actors, n=3)
    if len(gf):
        out.append(t("summary_gf", names=_names(gf, "between_groups", t)))
    com = findings.community_overview(results)
    if com is not None and com["n"]:
        items = "; ".join(
            t("summary_community_item", c=r.community, size=t.num(r.size), members=", ".join(r.members))
            for r in com["largest"].head(3).itertuples(index=False))
        q = t.num(com["modularity"], 2)
        key = {True: "summary_communities_clear", False: "summary_communities_unclear"}.get(
            com["clear"], "summary_communities_plain")
        out.append(t(key, n=t.num(com["n"]), q=q, items=items))
    under = findings.underserved(results)
    if under is not None:
        if len(under):
            out.append(t("summary_underserved", names=", ".join(map(str, under["kommun_namn"]))))
        else:
            out.append(t("summary_no_underserved", n=t.num(len(results.tables["kommun"]))))
    out += _model_sentences(results, t)
    changes = findings.wave_change(results)
    if changes is not None:
        for r in changes.itertuples(index=False):
            out.append(t("summary_waves", a=r.from_wave, b=r.to_wave, stable=t.num(r.stable),
                         new=t.num(r.new), dropped=t.num(r.dropped)))
    resp = findings.response(results)
    if resp and resp["asked"] and resp["completed"] < resp["asked"]:
        out.append(t("summary_response", done=t.num(resp["completed"]), asked=t.num(resp["asked"]),
                     rate=t.pct(resp["rate"])))
    out += [str(s) for s in results.items.get("summary_sentences", [])]
    return out


def _lead(sentence: str) -> str:
    """Escape a finding and make its lead (up to the first colon) bold."""
    head, sep, rest = sentence.partition(": ")
    if sep and len(head) <= 60 and ". " not in head:
        return f"<b>{esc(head)}:</b> {esc(rest)}"
    return esc(sentence)


def render(results, t) -> str:
    body = []
    if results.study.settings.synthetic:
        key = "synthetic_warning" if findings.is_embedded_example(results.study) else "synthetic_warning_generic"
        body.append(f'<p class="synthetic">{esc(t(key))}</p>')
    body.append(_kpis(results, t))
    found = sentences(results, t)
    if found:
        body.append(f"<h3>{esc(t('summary_findings'))}</h3>")
        body.append("<ul class='findings'>" + "".join(f"<li>{_lead(s)}</li>" for s in found) + "</ul>")
    return section(KEY, t("summary_title"), body)
