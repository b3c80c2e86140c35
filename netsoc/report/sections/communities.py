"""Report section: communities, their stability and their fit with formal structures.

Reads ``results.items["communities"]`` (a :class:`netsoc.communities.CommunityResult`).
When the structure is not clear the section says so and does not list the
communities as findings.
"""

from __future__ import annotations

from netsoc.report.html import esc

KEY = "communities"

TEXT = {
    "nav_communities": {"sv": "Kluster", "en": "Communities"},
    "title": {"sv": "Kluster av aktörer (communities)", "en": "Communities"},
    "intro": {
        "sv": "Kluster är grupper av aktörer som har fler samverkansband inom gruppen än "
              "mellan grupper. De har sökts i lagret {layer} med {n_runs} körningar av "
              "Leiden-algoritmen med olika slumpfrön och sammanvägts till en konsensusindelning.",
        "en": "Communities are groups of actors with more collaboration ties within the group "
              "than between groups. They were searched for in the {layer} layer with {n_runs} "
              "runs of the Leiden algorithm with different seeds, combined into a consensus "
              "partition.",
    },
    "clear": {
        "sv": "Nätverket har en tydlig klusterstruktur: {n} kluster med minst två aktörer "
              "(modularitet {q}, jämfört med {q0} i slumpmässigt omkopplade nätverk med samma "
              "gradfördelning).",
        "en": "The network has a clear community structure: {n} communities of two or more "
              "actors (modularity {q}, against {q0} in randomly rewired networks with the same "
              "degrees).",
    },
    "no_clear": {
        "sv": "Ingen tydlig klusterstruktur: de kluster algoritmerna hittar skiljer sig inte "
              "tillräckligt från slumpen eller mellan körningar för att redovisas som fynd.",
        "en": "No clear community structure: the communities the algorithms find do not differ "
              "enough from chance, or between runs, to be presented as findings.",
    },
    "why": {"sv": "Skäl:", "en": "Reasons:"},
    "reason_has_ties": {"sv": "lagret saknar band", "en": "the layer has no ties"},
    "reason_two_communities": {
        "sv": "konsensusindelningen har färre än två kluster med minst två aktörer",
        "en": "the consensus has fewer than two communities of two or more actors",
    },
    "reason_above_null": {
        "sv": "modulariteten ({q}) är inte tydligt högre än i slumpmässigt omkopplade nätverk "
              "({q0}, z = {z})",
        "en": "the modularity ({q}) is not clearly above that of randomly rewired networks "
              "({q0}, z = {z})",
    },
    "reason_no_null": {"sv": "ingen jämförelse med slumpnätverk gjordes",
                       "en": "no comparison with random networks was made"},
    "reason_runs_agree": {
        "sv": "körningarna ger olika indelningar (medelvärde justerat Rand-index {ari}, "
              "genomsnittlig stabilitet per aktör {stab})",
        "en": "the runs disagree (mean adjusted Rand index {ari}, mean actor stability {stab})",
    },
    "stability_head": {"sv": "Stabilitet", "en": "Stability"},
    "stability": {
        "sv": "Överensstämmelse mellan körningarna: justerat Rand-index {ari} och normaliserad "
              "ömsesidig information (NMI) {nmi} i genomsnitt (1 = identiska indelningar). "
              "I genomsnitt hamnar en aktör i sitt konsensuskluster i {stab} av körningarna; "
              "{share} av aktörerna gör det i minst 90 %.",
        "en": "Agreement between runs: mean adjusted Rand index {ari} and normalised mutual "
              "information (NMI) {nmi} (1 = identical partitions). On average an actor is in "
              "its consensus community in {stab} of the runs; {share} of the actors are in at "
              "least 90 %.",
    },
    "isolated": {"sv": "{n} aktörer saknar band i lagret och ingår inte i något kluster.",
                 "en": "{n} actors have no ties in this layer and belong to no community."},
    "methods_table": {"sv": "Metod", "en": "Method"},
    "modularity": {"sv": "Modularitet", "en": "Modularity"},
    "n_communities": {"sv": "Kluster (minst 2 aktörer)", "en": "Communities (2+ actors)"},
    "method_consensus": {"sv": "Konsensus", "en": "Consensus"},
    "method_leiden": {"sv": "Leiden (bästa körning)", "en": "Leiden (best run)"},
    "method_louvain": {"sv": "Louvain (bästa körning)", "en": "Louvain (best run)"},
    "null_row": {"sv": "Slumpnätverk (medelvärde)", "en": "Random rewiring (mean)"},
    "list_head": {"sv": "Kluster och deras centrala aktörer",
                  "en": "Communities and their central actors"},
    "community": {"sv": "Kluster", "en": "Community"},
    "size": {"sv": "Aktörer", "en": "Actors"},
    "mean_stability": {"sv": "Stabilitet", "en": "Stability"},
    "members": {"sv": "Aktörer med flest band", "en": "Actors with most ties"},
    "forbund": {"sv": "Samordningsförbund (antal medlemmar)",
                "en": "Samordningsförbund (members)"},
    "more_communities": {"sv": "ytterligare {n} mindre kluster visas inte",
                         "en": "{n} further smaller communities not shown"},
    "comparison_head": {"sv": "Jämförelse med formella indelningar",
                        "en": "Comparison with formal partitions"},
    "comparison": {
        "sv": "Hur väl sammanfaller klustren med formella gränser? Justerat Rand-index (ARI) "
              "och NMI är 1 när klustren följer gränsen exakt och nära 0 när de är oberoende "
              "av den. Aktörer utan uppgift (t.ex. utan medlemskap i ett förbund, eller med "
              "flera) ingår inte i respektive jämförelse.",
        "en": "How well do the communities follow formal boundaries? Adjusted Rand index (ARI) "
              "and NMI are 1 when the communities follow the boundary exactly and near 0 when "
              "they are independent of it. Actors without the information (e.g. in no "
              "förbund, or in several) are left out of that comparison.",
    },
    "partition": {"sv": "Indelning", "en": "Partition"},
    "n_actors": {"sv": "Aktörer", "en": "Actors"},
    "n_groups": {"sv": "Grupper", "en": "Groups"},
    "part_samordningsforbund": {"sv": "Samordningsförbund", "en": "Samordningsförbund"},
    "part_kommun": {"sv": "Kommun", "en": "Kommun (municipality)"},
    "part_lan": {"sv": "Län", "en": "Län (county)"},
    "part_type": {"sv": "Aktörstyp", "en": "Actor type"},
    "spanning": {
        "sv": "{n} av {k} kluster omfattar medlemmar i mer än ett samordningsförbund.",
        "en": "{n} of {k} communities include members of more than one samordningsförbund.",
    },
    "bridging_head": {"sv": "Brobyggande aktörer", "en": "Bridging actors"},
    "bridging": {
        "sv": "Aktörer vars band sprids över flera kluster (deltagandekoefficient: 0 = alla "
              "band inom det egna klustret, nära 1 = jämnt spridda över många).",
        "en": "Actors whose ties spread over several communities (participation coefficient: "
              "0 = all ties within the own community, near 1 = spread evenly over many).",
    },
    "actor": {"sv": "Aktör", "en": "Actor"},
    "type": {"sv": "Typ", "en": "Type"},
    "degree": {"sv": "Band", "en": "Ties"},
    "n_adjacent": {"sv": "Kluster som nås", "en": "Communities reached"},
    "participation": {"sv": "Deltagande", "en": "Participation"},
    "no_bridging": {"sv": "Inga aktörer har band till mer än ett kluster.",
                    "en": "No actor has ties into more than one community."},
    "sweep_head": {"sv": "Upplösning", "en": "Resolution"},
    "sweep": {
        "sv": "Antal kluster och modularitet vid olika upplösning (högre upplösning ger fler, "
              "mindre kluster).",
        "en": "Number of communities and modularity at different resolutions (higher "
              "resolution gives more, smaller communities).",
    },
    "resolution": {"sv": "Upplösning", "en": "Resolution"},
    "sweep_n": {"sv": "Kluster", "en": "Communities"},
    "mean_ari": {"sv": "Överensstämmelse (ARI)", "en": "Agreement (ARI)"},
    "methods_head": {"sv": "Metod", "en": "Methods"},
    "methods": {
        "sv": "Kluster söks med Leiden-algoritmen (Traag, Waltman & van Eck 2019) som "
              "maximerar {objective} med upplösning {res}, och jämförs med Louvain-algoritmen "
              "(Blondel m.fl. 2008); bandens styrka används som vikter. Eftersom resultatet "
              "beror på slumpfröet körs algoritmen {n_runs} gånger med frön härledda från "
              "studiens frö ({seed}). Körningarna vägs samman med konsensusklustring "
              "(Lancichinetti & Fortunato 2012): andelen körningar där två aktörer hamnar i "
              "samma kluster bildar ett nytt nätverk, andelar under {threshold} tas bort och "
              "nätverket klustras om tills alla körningar är överens. En aktörs stabilitet är "
              "andelen körningar där den ligger i den del av körningens indelning som rymmer "
              "flest av dess konsensuskluster. För att pröva om strukturen är verklig jämförs "
              "modulariteten med {n_null} nätverk där banden kopplats om slumpmässigt med "
              "bevarat antal band per aktör (konfigurationsmodell). Brobyggande aktörer mäts "
              "med deltagandekoefficienten (Guimerà & Amaral 2005).",
        "en": "Communities are found with the Leiden algorithm (Traag, Waltman & van Eck 2019) "
              "maximising {objective} at resolution {res}, and compared with the Louvain "
              "algorithm (Blondel et al. 2008); tie strengths are used as weights. Because the "
              "result depends on the seed, the algorithm is run {n_runs} times with seeds "
              "derived from the study seed ({seed}). The runs are combined by consensus "
              "clustering (Lancichinetti & Fortunato 2012): the share of runs in which two "
              "actors share a community forms a new network, shares below {threshold} are "
              "dropped, and that network is clustered again until all runs agree. An actor's "
              "stability is the share of runs in which it is in the part of the run's "
              "partition that holds most of its consensus community. To test whether the "
              "structure is real, modularity is compared with {n_null} networks whose ties "
              "were rewired at random keeping each actor's number of ties (configuration "
              "model). Bridging actors are measured with the participation coefficient "
              "(Guimerà & Amaral 2005).",
    },
    "objective_modularity": {"sv": "modularitet", "en": "modularity"},
    "objective_cpm": {"sv": "Potts-modellen med konstant upplösning (CPM)",
                      "en": "the constant Potts model (CPM)"},
    "communities_layer_collaboration": {"sv": "samverkan", "en": "collaboration"},
    "communities_layer_reported": {"sv": "rapporterade band", "en": "reported"},
    "communities_layer_formal": {"sv": "formella relationer", "en": "formal"},
    "communities_layer_placement": {"sv": "placeringar", "en": "placement"},
    "communities_layer_coplacement": {"sv": "gemensamma placeringar", "en": "co-placement"},
}

MAX_COMMUNITIES = 12
MAX_MEMBERS = 6
MAX_BRIDGING = 10
MAX_FORBUND = 4


def _num(t, x, digits=3):
    if x is None or (isinstance(x, float) and x != x):
        return "–"
    return t.num(float(x), digits)


def _pct(t, x):
    if x is None or (isinstance(x, float) and x != x):
        return "–"
    return t.pct(float(x))


def _label(t, key: str, fallback: str) -> str:
    return t(key) if key in TEXT else fallback


def _table(head: list[str], rows: list[list[str]], cls: str = "") -> str:
    """An HTML table; cells are already escaped or formatted by the caller."""
    h = "".join(f"<th>{c}</th>" for c in head)
    b = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    c = f' class="{cls}"' if cls else ""
    return f"<table{c}><thead><tr>{h}</tr></thead><tbody>{b}</tbody></table>"


def _names(results, res) -> dict:
    names: dict = {}
    study = getattr(results, "study", None)
    if study is not None and getattr(study, "actors", None) is not None:
        names.update(zip(study.actors["actor_id"], study.actors["name"], strict=False))
    if "name" in res.bridging.columns:
        for a, n in res.bridging["name"].items():
            if a not in names and isinstance(n, str):
                names[a] = n
    return names


def render(results, t) -> str | None:
    res = getattr(results, "items", {}).get(KEY)
    if res is None:
        return None
    names = _names(results, res)

    def name(a) -> str:
        n = names.get(a)
        return esc(n if isinstance(n, str) and n else str(a))

    s, nl, opts = res.stability, res.null, res.options
    com = res.communities()
    layer = _label(t, f"communities_layer_{res.layer}", res.layer)
    out = [f'<section id="{KEY}"><h2>{esc(t("title"))}</h2>']
    out.append("<p>" + esc(t("intro").format(layer=layer, n_runs=s.get("n_runs", 0))) + "</p>")

    # verdict first: the reader must know whether what follows is a finding
    if res.clear:
        out.append('<p class="finding">' + esc(t("clear").format(
            n=len(com), q=_num(t, res.modularity.get("consensus")), q0=_num(t, nl.get("mean"))))
            + "</p>")
    else:
        out.append('<p class="warning"><strong>' + esc(t("no_clear")) + "</strong></p>")
        reasons = []
        checks = res.checks or {}
        if checks.get("has_ties") is False:
            reasons.append(t("reason_has_ties"))
        if checks.get("two_communities") is False and checks.get("has_ties") is not False:
            reasons.append(t("reason_two_communities"))
        if checks.get("above_null") is False:
            reasons.append(t("reason_above_null").format(
                q=_num(t, nl.get("observed")), q0=_num(t, nl.get("mean")),
                z=_num(t, nl.get("z"), 1)))
        elif checks.get("above_null") is None and checks.get("has_ties") is not False:
            reasons.append(t("reason_no_null"))
        if checks.get("runs_agree") is False:
            reasons.append(t("reason_runs_agree").format(
                ari=_num(t, s.get("mean_ari"), 2), stab=_pct(t, s.get("mean_actor_stability"))))
        if reasons:
            out.append("<p>" + esc(t("why")) + "</p><ul>"
                       + "".join(f"<li>{esc(r)}</li>" for r in reasons) + "</ul>")

    # modularity by method, with the null for scale
    rows = []
    for m in ("consensus", "leiden", "louvain"):
        if m in res.modularity:
            part = res.table[res.table["method"] == m]
            sizes = part["community"].value_counts()
            rows.append([esc(t(f"method_{m}")), _num(t, res.modularity[m]),
                         t.num(int((sizes >= 2).sum()))])
    if nl.get("n"):
        rows.append([esc(t("null_row")), _num(t, nl.get("mean")), "–"])
    out.append(_table([esc(t("methods_table")), esc(t("modularity")), esc(t("n_communities"))],
                      rows))

    out.append(f"<h3>{esc(t('stability_head'))}</h3>")
    out.append("<p>" + esc(t("stability").format(
        ari=_num(t, s.get("mean_ari"), 2), nmi=_num(t, s.get("mean_nmi"), 2),
        stab=_pct(t, s.get("mean_actor_stability")), share=_pct(t, s.get("share_stable_actors"))))
        + "</p>")
    if res.n_isolated:
        out.append("<p>" + esc(t("isolated").format(n=t.num(res.n_isolated))) + "</p>")

    if res.clear and len(com):
        out.append(_communities_html(res, com, t, name))
        out.append(_comparison_html(res, com, t))
        out.append(_bridging_html(res, t, name))

    if len(res.sweep):
        out.append(f"<h3>{esc(t('sweep_head'))}</h3><p>{esc(t('sweep'))}</p>")
        out.append(_table(
            [esc(t("resolution")), esc(t("sweep_n")), esc(t("modularity")),
             esc(t("mean_ari"))],
            [[t.num(r.resolution, 2), t.num(int(r.n_communities)), _num(t, r.modularity),
              _num(t, r.mean_ari, 2)] for r in res.sweep.itertuples()]))

    out.append(f"<h3>{esc(t('methods_head'))}</h3>")
    out.append('<p class="methods">' + esc(t("methods").format(
        objective=_label(t, f"objective_{res.objective}", res.objective),
        res=t.num(res.resolution, 2), n_runs=s.get("n_runs", 0), seed=res.seed,
        threshold=t.num(opts.get("threshold", 0.5), 2), n_null=nl.get("n", 0))) + "</p>")
    out.append("</section>")
    return "\n".join(out)


def _forbund_cells(res, com, name) -> dict:
    tab = res.crosstab
    cells = {}
    if tab is None or tab.empty:
        return cells
    for c in com["community"]:
        if c not in tab.index:
            continue
        row = tab.loc[c]
        row = row[(row > 0) & (row.index != "none")].sort_values(ascending=False, kind="stable")
        parts = [f"{name(f)} ({int(v)})" for f, v in row.head(MAX_FORBUND).items()]
        if len(row) > MAX_FORBUND:
            parts.append(f"+{len(row) - MAX_FORBUND}")
        cells[c] = ", ".join(parts) if parts else "–"
    return cells


def _communities_html(res, com, t, name) -> str:
    shown = com.head(MAX_COMMUNITIES)
    forb = _forbund_cells(res, shown, name)
    head = [esc(t("community")), esc(t("size")), esc(t("mean_stability")), esc(t("members"))]
    if forb:
        head.append(esc(t("forbund")))
    rows = []
    for r in shown.itertuples():
        members = ", ".join(name(a) for a in r.members[:MAX_MEMBERS])
        if len(r.members) > MAX_MEMBERS:
            members += ", …"
        row = [t.num(int(r.community)), t.num(int(r.size)), _pct(t, r.mean_stability), members]
        if forb:
            row.append(forb.get(r.community, "–"))
        rows.append(row)
    html = f"<h3>{esc(t('list_head'))}</h3>" + _table(head, rows)
    if len(com) > MAX_COMMUNITIES:
        html += "<p>" + esc(t("more_communities").format(n=len(com) - MAX_COMMUNITIES)) + "</p>"
    return html


def _comparison_html(res, com, t) -> str:
    cmp = res.comparison
    if cmp is None or cmp.empty:
        return ""
    rows = [[esc(_label(t, f"part_{r.partition}", r.partition)), t.num(int(r.n_actors)),
             t.num(int(r.n_groups)), _num(t, r.ari), _num(t, r.nmi)]
            for r in cmp.itertuples() if r.n_actors >= 2]
    if not rows:
        return ""
    html = (f"<h3>{esc(t('comparison_head'))}</h3><p>{esc(t('comparison'))}</p>"
            + _table([esc(t("partition")), esc(t("n_actors")), esc(t("n_groups")), "ARI", "NMI"],
                     rows))
    tab = res.crosstab
    if tab is not None and not tab.empty:
        real = tab.drop(columns="none", errors="ignore")
        real = real[real.index.isin(com["community"])]
        spanning = int(((real > 0).sum(axis=1) > 1).sum())
        html += "<p>" + esc(t("spanning").format(n=spanning, k=len(real))) + "</p>"
    return html


def _bridging_html(res, t, name) -> str:
    b = res.bridging
    if b is None or b.empty:
        return ""
    b = b[(b["n_communities_adjacent"] > 1) & (b["degree"] >= 2)].head(MAX_BRIDGING)
    html = f"<h3>{esc(t('bridging_head'))}</h3><p>{esc(t('bridging'))}</p>"
    if b.empty:
        return html + "<p>" + esc(t("no_bridging")) + "</p>"
    rows = []
    for a, r in b.iterrows():
        typ = r.get("type")
        rows.append([name(a), esc(t.label("type", typ) if isinstance(typ, str) else "–"),
                     t.num(int(r["community"])), t.num(int(r["degree"])),
                     t.num(int(r["n_communities_adjacent"])), _num(t, r["participation"], 2)])
    return html + _table([esc(t("actor")), esc(t("type")), esc(t("community")),
                          esc(t("degree")), esc(t("n_adjacent")), esc(t("participation"))], rows)
