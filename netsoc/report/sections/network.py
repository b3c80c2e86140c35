"""Network measures: key figures per layer, top brokers, non-response robustness, methods."""

from __future__ import annotations

import math

import pandas as pd

from netsoc.report.html import esc, labelled, section, table

KEY = "network"

METRICS = [
    "n_actors", "n_ties", "density", "components", "largest_component", "isolates",
    "degree_centralization", "betweenness_centralization", "reciprocity", "transitivity",
    "modularity", "ei_index", "ei_expected", "ei_p_value", "response_rate",
]
LAYERS = ["reported", "collaboration", "formal", "placement", "coplacement"]
ROLES = ["coordinator", "itinerant", "representative", "gatekeeper", "liaison"]
METHODS = ["symmetrize", "degree", "betweenness", "closeness", "eigenvector", "pagerank",
           "constraint", "brokerage", "centralization", "ei", "mixing", "robustness"]

TEXT = {
    "nav_network": {"sv": "Nätverksmått", "en": "Network measures"},
    "network_title": {"sv": "Nätverksmått", "en": "Network measures"},
    "network_intro": {
        "sv": "Mått för hela nätverket per lager. Samverkanslagret är de rapporterade relationerna "
        "gjorda oriktade med regeln «{rule}».",
        "en": "Whole-network measures per layer. The collaboration layer is the reported ties made "
        "undirected with the rule “{rule}”.",
    },
    "network_metric": {"sv": "Mått", "en": "Measure"},
    "layer_reported": {"sv": "Rapporterade", "en": "Reported"},
    "layer_collaboration": {"sv": "Samverkan", "en": "Collaboration"},
    "layer_formal": {"sv": "Formella", "en": "Formal"},
    "layer_placement": {"sv": "Placeringar", "en": "Placements"},
    "layer_coplacement": {"sv": "Gemensamma deltagare", "en": "Shared participants"},
    "metric_n_actors": {"sv": "Aktörer", "en": "Actors"},
    "metric_n_ties": {"sv": "Relationer", "en": "Ties"},
    "metric_density": {"sv": "Täthet", "en": "Density"},
    "metric_components": {"sv": "Komponenter", "en": "Components"},
    "metric_largest_component": {"sv": "Största komponent (aktörer)", "en": "Largest component (actors)"},
    "metric_isolates": {"sv": "Isolerade aktörer", "en": "Isolates"},
    "metric_degree_centralization": {"sv": "Centralisering, grad", "en": "Degree centralization"},
    "metric_betweenness_centralization": {"sv": "Centralisering, mellanhet",
                                          "en": "Betweenness centralization"},
    "metric_reciprocity": {"sv": "Ömsesidighet", "en": "Reciprocity"},
    "metric_transitivity": {"sv": "Transitivitet", "en": "Transitivity"},
    "metric_modularity": {"sv": "Modularitet", "en": "Modularity"},
    "metric_ei_index": {"sv": "E-I-index (aktörstyp)", "en": "E-I index (actor type)"},
    "metric_ei_expected": {"sv": "E-I-index vid slump", "en": "E-I index by chance"},
    "metric_ei_p_value": {"sv": "E-I p-värde (permutation)", "en": "E-I p-value (permutation)"},
    "metric_response_rate": {"sv": "Svarsfrekvens", "en": "Response rate"},
    "brokers_title": {"sv": "Mäklare per roll", "en": "Brokers by role"},
    "brokers_intro": {
        "sv": "De aktörer som oftast förmedlar mellan två andra som inte själva har en relation "
        "(Gould & Fernandez), per roll. z jämför med vad slumpen ger vid samma täthet.",
        "en": "The actors that most often stand between two others who have no tie of their own "
        "(Gould & Fernandez), per role. z compares with chance at the same density.",
    },
    "role_coordinator": {"sv": "Koordinator (inom den egna gruppen)",
                         "en": "Coordinator (within own group)"},
    "role_itinerant": {"sv": "Konsult (mellan två i en annan grupp)",
                       "en": "Itinerant (between two of another group)"},
    "role_representative": {"sv": "Representant (för den egna gruppen utåt)",
                            "en": "Representative (own group outwards)"},
    "role_gatekeeper": {"sv": "Grindvakt (in till den egna gruppen)",
                        "en": "Gatekeeper (into own group)"},
    "role_liaison": {"sv": "Länk (mellan två andra grupper)",
                     "en": "Liaison (between two other groups)"},
    "col_role": {"sv": "Roll", "en": "Role"},
    "col_actor": {"sv": "Aktör", "en": "Actor"},
    "col_actor_type": {"sv": "Typ", "en": "Type"},
    "col_count": {"sv": "Antal", "en": "Count"},
    "col_z": {"sv": "z", "en": "z"},
    "no_brokers": {"sv": "Inga mäklarpositioner i det rapporterade nätverket.",
                   "en": "No brokerage positions in the reported network."},
    "mixing_title": {"sv": "Relationer mellan aktörstyper", "en": "Ties between actor types"},
    "mixing_intro": {
        "sv": "De kombinationer av aktörstyper med flest relationer i samverkanslagret; kvot = "
        "observerat / förväntat om relationerna låg slumpvis.",
        "en": "The pairs of actor types with most ties in the collaboration layer; ratio = observed "
        "/ expected if ties fell at random.",
    },
    "col_group_from": {"sv": "Typ", "en": "Type"},
    "col_group_to": {"sv": "Typ", "en": "Type"},
    "col_ties": {"sv": "Relationer", "en": "Ties"},
    "col_expected": {"sv": "Förväntat", "en": "Expected"},
    "col_ratio": {"sv": "Kvot", "en": "Ratio"},
    "robust_title": {"sv": "Känslighet för bortfall", "en": "Sensitivity to non-response"},
    "robust_intro": {
        "sv": "Mellanheten räknades om i {runs} slumpade störningar (frö {seed}) av relationerna hos "
        "{nonresp} aktörer som inte själva svarat: varje sådan relation togs bort med sannolikhet "
        "{drop} och varje sådan aktör fick i snitt {add} nya relationer. Tabellen visar hur de tio "
        "mest centrala aktörernas rang påverkas; i snitt stannade {overlap} av dem bland de tio "
        "främsta.",
        "en": "Betweenness was recomputed in {runs} seeded perturbations (seed {seed}) of the ties of "
        "{nonresp} actors who did not answer themselves: each such tie was dropped with probability "
        "{drop} and each such actor received {add} new ties on average. The table shows how the "
        "ranks of the ten most central actors move; on average {overlap} of them stayed in the "
        "top ten.",
    },
    "col_rank": {"sv": "Rang", "en": "Rank"},
    "col_betweenness": {"sv": "Mellanhet", "en": "Betweenness"},
    "col_rank_median": {"sv": "Rang, median", "en": "Rank, median"},
    "col_rank_range": {"sv": "Rang, 5–95 %", "en": "Rank, 5–95%"},
    "col_share_top10": {"sv": "Andel bland topp 10", "en": "Share in top 10"},
    "network_methods_title": {"sv": "Så räknas måtten", "en": "How the measures are computed"},
    "method_symmetrize": {
        "sv": "Samverkanslagret: rapporterade relationer (A nämner B) görs oriktade. «union»: "
        "relation om någon av parterna nämnt den, styrka = den högsta; «mutual»/«min»: bara om "
        "båda nämnt den (styrka högsta resp. lägsta); «reconstruct»: för den som inte svarat "
        "används vad andra sagt om aktören (Stork & Richards 1992).",
        "en": "Collaboration layer: reported ties (A names B) made undirected. “union”: a tie if "
        "either side named it, strength = the larger; “mutual”/“min”: only if both named it "
        "(larger resp. smaller strength); “reconstruct”: for non-respondents, what others said "
        "about them is used (Stork & Richards 1992).",
    },
    "method_degree": {
        "sv": "Grad: antal olika samverkansparter. Styrka: summan av relationernas styrka (1–4).",
        "en": "Degree: number of distinct collaboration partners. Strength: sum of tie strengths (1–4).",
    },
    "method_betweenness": {
        "sv": "Mellanhet: hur många kortaste vägar mellan andra par som går via aktören; varje par "
        "räknas en gång (som R sna, gmode=\"graph\"); normerad delas med (n−1)(n−2)/2 "
        "(Freeman 1977; Brandes 2001).",
        "en": "Betweenness: how many shortest paths between other pairs pass through the actor; each "
        "pair counted once (as R sna, gmode=\"graph\"); the normalised value divides by "
        "(n−1)(n−2)/2 (Freeman 1977; Brandes 2001).",
    },
    "method_closeness": {
        "sv": "Närhet: omvänt medelavstånd till de aktörer som kan nås, viktat med andelen som kan "
        "nås (Wasserman & Faust 1994; networkx).",
        "en": "Closeness: inverse mean distance to the reachable actors, weighted by the share "
        "reachable (Wasserman & Faust 1994; networkx).",
    },
    "method_eigenvector": {
        "sv": "Egenvektorcentralitet: central är den som har centrala parter, viktat med styrka "
        "(Bonacich 1987).",
        "en": "Eigenvector centrality: central actors have central partners, weighted by strength "
        "(Bonacich 1987).",
    },
    "method_pagerank": {
        "sv": "PageRank: andel av tiden en slumpvandrare på nätverket är hos aktören (dämpning 0,85; "
        "Brin & Page 1998).",
        "en": "PageRank: share of time a random walker on the network spends at the actor (damping "
        "0.85; Brin & Page 1998).",
    },
    "method_constraint": {
        "sv": "Begränsning: hur mycket aktörens relationer går till parter som själva hänger ihop; "
        "lågt värde = strukturella hål att överbrygga (Burt 1992; viktat som igraph).",
        "en": "Constraint: how much the actor's ties go to partners that are tied to each other; a "
        "low value = structural holes to bridge (Burt 1992; weighted as igraph).",
    },
    "method_brokerage": {
        "sv": "Mäklarroller: för varje väg A→B→C där A inte själv når C räknas B som koordinator, "
        "konsult, representant, grindvakt eller länk beroende på parternas grupper (aktörstyp); "
        "antal som R sna::brokerage, med förväntat värde och z-värde (Gould & Fernandez 1989).",
        "en": "Brokerage roles: for each path A→B→C where A has no tie to C, B counts as coordinator, "
        "itinerant, representative, gatekeeper or liaison depending on the groups (actor type); "
        "counts as R sna::brokerage, with expected value and z-score (Gould & Fernandez 1989).",
    },
    "method_centralization": {
        "sv": "Centralisering: hur mycket nätverket kretsar kring en enda aktör, 0 = jämnt, 1 = en "
        "stjärna; Freemans mått normerat som R sna (Freeman 1979).",
        "en": "Centralization: how much the network revolves around one actor, 0 = even, 1 = a star; "
        "Freeman's index normalised as R sna (Freeman 1979).",
    },
    "method_ei": {
        "sv": "E-I-index: (relationer mellan grupper − inom grupper) / alla, från −1 (bara inom) "
        "till +1 (bara mellan); p-värdet från slumpade omfördelningar av grupptillhörigheten "
        "(Krackhardt & Stern 1988).",
        "en": "E-I index: (ties between groups − within groups) / all, from −1 (only within) to +1 "
        "(only between); the p-value from seeded reshufflings of group membership "
        "(Krackhardt & Stern 1988).",
    },
    "method_mixing": {
        "sv": "Blandning: relationer mellan två aktörstyper jämfört med antalet om relationerna låg "
        "slumpvis bland alla par (Wasserman & Faust 1994, kap. 10).",
        "en": "Mixing: ties between two actor types compared with the number if ties fell at random "
        "among all pairs (Wasserman & Faust 1994, ch. 10).",
    },
    "method_robustness": {
        "sv": "Bortfallsintervall (_lo/_hi i actors.csv): 5:e och 95:e percentilen av grad och "
        "mellanhet över slumpade störningar av icke-svarandes relationer (Borgatti, Carley & "
        "Krackhardt 2006; Huisman 2009).",
        "en": "Non-response bands (_lo/_hi in actors.csv): 5th and 95th percentiles of degree and "
        "betweenness over seeded perturbations of non-respondents' ties (Borgatti, Carley & "
        "Krackhardt 2006; Huisman 2009).",
    },
}


def _fmt(t, metric: str, value: float) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if metric == "response_rate":
        return t.pct(value)
    if metric in ("n_actors", "n_ties", "components", "largest_component", "isolates"):
        return t.num(int(value), 0)
    return t.num(value, 3)


def _key_table(net: pd.DataFrame, t) -> str:
    layers = [la for la in LAYERS if la in set(net["layer"])]
    values = {(m, la): v for m, la, v in net[["metric", "layer", "value"]].itertuples(index=False)}
    out = ['<table class="data"><thead><tr>', f"<th>{esc(t('network_metric'))}</th>"]
    out += [f"<th>{esc(t('layer_' + la))}</th>" for la in layers]
    out.append("</tr></thead><tbody>")
    for m in METRICS:
        if not any((m, la) in values for la in layers):
            continue
        cells = [f"<td>{esc(t('metric_' + m))}</td>"]
        for la in layers:
            v = values.get((m, la))
            cells.append(f'<td class="n">{esc(_fmt(t, m, v)) if v is not None else ""}</td>')
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _brokers(actors: pd.DataFrame, t, per_role: int = 3) -> str:
    rows = []
    for role in ROLES:
        if role not in actors:
            continue
        top = actors[actors[role] > 0].sort_values([role, "actor_id"], ascending=[False, True])
        for r in top.head(per_role).itertuples(index=False):
            z = getattr(r, f"{role}_z", float("nan"))
            rows.append((t("role_" + role), r.name, t.label("type", r.type), int(getattr(r, role)),
                         z))
    if not rows:
        return f'<p class="note">{esc(t("no_brokers"))}</p>'
    df = pd.DataFrame(rows, columns=["role", "name", "type", "count", "z"])
    cols = {"role": t("col_role"), "name": t("col_actor"), "type": t("col_actor_type"),
            "count": t("col_count"), "z": t("col_z")}
    return table(df, t, columns=cols, digits=2, sortable=False)


def render(results, t) -> str | None:
    net = results.tables.get("network")
    actors = results.tables.get("actors")
    if net is None or actors is None or "betweenness" not in actors:
        return None
    rule = results.networks.symmetrize if results.networks is not None else "union"
    body = [f"<p>{esc(t('network_intro', rule=rule))}</p>", _key_table(net, t)]

    body += [f"<h3>{esc(t('brokers_title'))}</h3>", f"<p>{esc(t('brokers_intro'))}</p>",
             _brokers(actors, t)]

    mixing = results.tables.get("type_mixing")
    if mixing is not None and len(mixing):
        m = mixing[(mixing["ties"] > 0) & (mixing["group_from"] <= mixing["group_to"])]
        m = m.sort_values(["ties", "group_from", "group_to"], ascending=[False, True, True])
        cols = {c: t("col_" + c) for c in ("group_from", "group_to", "ties", "expected", "ratio")}
        body += [f"<h3>{esc(t('mixing_title'))}</h3>", f"<p>{esc(t('mixing_intro'))}</p>",
                 table(labelled(m, t, {"group_from": "type", "group_to": "type"}), t, columns=cols,
                       digits=2, max_rows=12)]

    robust = results.items.get("robustness")
    sens = results.tables.get("betweenness_sensitivity")
    if robust is not None and sens is not None and len(sens):
        body += [f"<h3>{esc(t('robust_title'))}</h3>", "<p>" + esc(t(
            "robust_intro", runs=robust.runs, seed=robust.seed, nonresp=robust.nonrespondents,
            drop=t.num(robust.drop_probability, 2), add=t.num(robust.add_rate, 2),
            overlap=t.pct(robust.top10_overlap) if not math.isnan(robust.top10_overlap) else "–",
        )) + "</p>"]
        s = labelled(sens, t, {"type": "type"})
        s["rank_range"] = [f"{int(lo)}–{int(hi)}" for lo, hi in zip(s["rank_lo"], s["rank_hi"],
                                                                    strict=True)]
        s["share_top10"] = [t.pct(x) for x in s["share_top10"]]
        cols = {"rank": t("col_rank"), "name": t("col_actor"), "type": t("col_actor_type"),
                "betweenness": t("col_betweenness"), "rank_median": t("col_rank_median"),
                "rank_range": t("col_rank_range"), "share_top10": t("col_share_top10")}
        body.append(table(s, t, columns=cols, digits=1, sortable=False))

    body.append(f"<h3>{esc(t('network_methods_title'))}</h3>")
    body.append("<dl>" + "".join(f"<dd>{esc(t('method_' + k))}</dd>" for k in METHODS) + "</dl>")
    return section(KEY, t("network_title"), body)
