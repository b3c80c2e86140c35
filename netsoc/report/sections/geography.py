"""Geography: need, 2SFCA access, gap, LISA clusters and underserved kommuner."""

from __future__ import annotations

import math

import pandas as pd

from netsoc import geo
from netsoc.report.html import esc, figure_img, section, table

KEY = "geography"
TEXT = {
    "nav_geography": {"sv": "Geografi", "en": "Geography"},
    "geo_title": {"sv": "Geografi: behov, tillgång och underförsörjda kommuner",
                  "en": "Geography: need, access and underserved kommuner"},
    "geo_intro": {
        "sv": "{n} kommuner ({scope}). Behov mäts med {need} ({year}); tillgång är platser hos "
              "aktörer på utbudssidan (sociala företag, föreningar, företag, stiftelser) som nås "
              "inom {km} km, per 1 000 personer i behov. Underförsörjda kommuner: {n_under}.",
        "en": "{n} kommuner ({scope}). Need is measured by {need} ({year}); access is places at "
              "supply-side actors (social enterprises, associations, companies, foundations) "
              "reachable within {km} km, per 1,000 people in need. Underserved kommuner: "
              "{n_under}.",
    },
    "geo_scope_study": {"sv": "kommunerna i studien", "en": "the kommuner in the study"},
    "geo_scope_neighbours": {"sv": "studiens kommuner och deras grannar",
                             "en": "the study's kommuner and their neighbours"},
    "geo_scope_lan": {"sv": "alla kommuner i studiens län", "en": "every kommun of the study's län"},
    "geo_scope_sweden": {"sv": "hela Sverige", "en": "all of Sweden"},
    "geo_underserved_title": {"sv": "Underförsörjda kommuner", "en": "Underserved kommuner"},
    "geo_none_underserved": {
        "sv": "Ingen kommun uppfyller regeln för underförsörjning.",
        "en": "No kommun meets the underserved rule.",
    },
    "geo_reason_zero": {
        "sv": "behovsandel {rate} över medianen {median}; ingen tillgång – inga platser inom {km} km",
        "en": "need rate {rate} above the median {median}; no access – no places within {km} km",
    },
    "geo_reason_low": {
        "sv": "behovsandel {rate} över medianen {median}; tillgång {access} per 1 000 i behov, "
              "i lägsta femtedelen (≤ {q20})",
        "en": "need rate {rate} above the median {median}; access {access} per 1,000 in need, "
              "in the bottom quintile (≤ {q20})",
    },
    "geo_interactive_title": {"sv": "Interaktiv karta", "en": "Interactive map"},
    "geo_interactive_hint": {
        "sv": "Håll muspekaren över en kommun eller aktör för uppgifter. Tjock svart kant = "
              "underförsörjd. Kartan fungerar utan nätverk.",
        "en": "Hover over a kommun or an actor for details. Thick black border = underserved. "
              "The map works offline.",
    },
    "geo_maps_title": {"sv": "Kartor", "en": "Maps"},
    "geo_map_gap": {"sv": "Gap mellan behov och tillgång med LISA-kluster; underförsörjda "
                          "kommuner streckade.",
                    "en": "Gap between need and access with LISA clusters; underserved "
                          "kommuner dashed."},
    "geo_map_need_rate": {"sv": "Behovsandel (utjämnad).", "en": "Need rate (smoothed)."},
    "geo_map_access": {"sv": "Tillgång (2SFCA).", "en": "Access (2SFCA)."},
    "geo_map_actors": {"sv": "Aktörer efter typ.", "en": "Actors by type."},
    "geo_table_title": {"sv": "Kommuntabell (tables/kommun.csv)",
                        "en": "Kommun table (tables/kommun.csv)"},
    "geo_col_kommun_namn": {"sv": "Kommun", "en": "Kommun"},
    "geo_col_population": {"sv": "Befolkning", "en": "Population"},
    "geo_col_need_rate": {"sv": "Behovsandel", "en": "Need rate"},
    "geo_col_supply": {"sv": "Platser", "en": "Places"},
    "geo_col_actors": {"sv": "Aktörer", "en": "Actors"},
    "geo_col_placements": {"sv": "Placeringar", "en": "Placements"},
    "geo_col_access_1000": {"sv": "Tillgång per 1 000", "en": "Access per 1,000"},
    "geo_col_access_rank": {"sv": "Rang", "en": "Rank"},
    "geo_col_gap": {"sv": "Gap", "en": "Gap"},
    "geo_col_lisa_cluster": {"sv": "LISA", "en": "LISA"},
    "geo_col_lisa_p": {"sv": "LISA p", "en": "LISA p"},
    "geo_col_underserved": {"sv": "Underförsörjd", "en": "Underserved"},
    "geo_notes_title": {"sv": "Att tänka på", "en": "Caveats"},
    "geo_methods_title": {"sv": "Metod", "en": "Method"},
    "geo_methods": {
        "sv": "Behovsandelen är senaste året per kommun, utjämnad med global empirisk Bayes "
              "(Marshall 1991): små kommuner dras mot det befolkningsvägda medelvärdet ({eb}), "
              "stora nästan inte alls. Behov i personer = behovsandel × befolkning. Tillgång "
              "beräknas med tvåstegsmetoden 2SFCA (Luo & Wang 2003): varje aktörs platser delas "
              "med behovet inom {km} km, och varje kommun summerar kvoterna för aktörer inom "
              "{km} km. Avstånd är fågelvägen mellan kommunernas mittpunkter (eller aktörernas "
              "koordinater) i SWEREF 99 TM (EPSG:3006). Gap = z(behovsandel) − z(tillgång). "
              "Lokal Moran's I (Anselin 1995) på gap med {k} närmaste grannar och {perm} "
              "permutationer (frö {seed}) ger kluster HH/LL/HL/LH vid p < 0,05; öar som Gotland "
              "får på så sätt grannar. Underförsörjd: behovsandel över medianen och tillgång i "
              "lägsta femtedelen (kvantil 0,2) eller noll.",
        "en": "The need rate is the latest year per kommun, smoothed with global empirical Bayes "
              "(Marshall 1991): small kommuner are pulled toward the population-weighted mean "
              "({eb}), large ones hardly at all. Need in persons = need rate × population. "
              "Access uses the two-step floating catchment area method 2SFCA (Luo & Wang 2003): "
              "each actor's places are divided by the need within {km} km, and each kommun sums "
              "the ratios of actors within {km} km. Distances are straight lines between kommun "
              "centroids (or actor coordinates) in SWEREF 99 TM (EPSG:3006). Gap = z(need rate) "
              "− z(access). Local Moran's I (Anselin 1995) of the gap with {k} nearest "
              "neighbours and {perm} permutations (seed {seed}) gives HH/LL/HL/LH clusters at "
              "p < 0.05; islands such as Gotland get neighbours this way. Underserved: need "
              "rate above the median and access in the bottom quintile (quantile 0.2) or zero.",
    },
    "geo_limits": {
        "sv": "Tillgången är relativ till kommunerna i urvalet och bygger på registrerade "
              "platser; restid, kollektivtrafik och platser hos aktörer utanför studien ingår inte.",
        "en": "Access is relative to the kommuner in scope and rests on recorded places; travel "
              "time, public transport and places at actors outside the study are not included.",
    },
    "geo_references": {
        "sv": "Referenser: Luo, W. & Wang, F. (2003), Environment and Planning B 30(6); "
              "Anselin, L. (1995), Geographical Analysis 27(2); Marshall, R. J. (1991), "
              "Journal of the Royal Statistical Society C 40(2).",
        "en": "References: Luo, W. & Wang, F. (2003), Environment and Planning B 30(6); "
              "Anselin, L. (1995), Geographical Analysis 27(2); Marshall, R. J. (1991), "
              "Journal of the Royal Statistical Society C 40(2).",
    },
}

MAP_ORDER = ("map_gap", "map_need_rate", "map_access", "map_actors")
TABLE_COLUMNS = ("kommun_namn", "population", "need_rate", "supply", "actors", "placements",
                 "access_1000", "access_rank", "gap", "lisa_cluster", "lisa_p", "underserved")


def _rate(t, x: float, unit: str) -> str:
    return t.num(x, 1) + ("\u00a0%" if unit == "percent" else "")


def reason(row: pd.Series, params: dict, t) -> str:
    """The underserved reason in the report language, numbers formatted per language."""
    unit = params.get("need_unit", "percent")
    fmt = dict(rate=_rate(t, row["need_rate"], unit),
               median=_rate(t, params["median_need_rate"], unit),
               km=t.num(params["catchment_km"], 0))
    if row["access"] == 0:
        return t("geo_reason_zero", **fmt)
    return t("geo_reason_low", access=t.num(row["access"] * 1000, 2),
             q20=t.num(params["access_q20"] * 1000, 2), **fmt)


def _placements_shown(tab: pd.DataFrame, published: pd.DataFrame | None, min_cell: int) -> list:
    """Placement counts as published (privacy stage), by kommun; own "<5" rule otherwise."""
    pub = {}
    if published is not None and {"kommun_kod", "placements"} <= set(published.columns):
        pub = dict(zip(published["kommun_kod"], published["placements"], strict=True))
    return [pub.get(k, geo.small_count(v, min_cell))
            for k, v in zip(tab["kommun_kod"], tab["placements"], strict=True)]


def render(results, t) -> str | None:
    g = results.items.get("geo")
    if g is None:
        return None
    p = g.params
    tab = g.table
    min_cell = int(getattr(results.study.settings, "min_cell", 5))
    body = [f"<p>{esc(t('geo_intro', n=len(tab), scope=t('geo_scope_' + str(p['scope'])), need=p['need_indicator'], year=p.get('need_year') or '–', km=t.num(p['catchment_km'], 0), n_under=int(tab['underserved'].sum())))}</p>"]

    body.append(f"<h3>{esc(t('geo_underserved_title'))}</h3>")
    under = g.underserved
    if len(under):
        items = "".join(f"<li><b>{esc(r['kommun_namn'])}</b> ({esc(r['kommun_kod'])}): "
                        f"{esc(reason(r, p, t))}</li>" for _, r in under.iterrows())
        body.append(f"<ul>{items}</ul>")
    else:
        body.append(f"<p>{esc(t('geo_none_underserved'))}</p>")

    body.append(f"<h3>{esc(t('geo_interactive_title'))}</h3>")
    body.append(f'<p class="note">{esc(t("geo_interactive_hint"))}</p>')
    # published counts: people 1..min_cell-1 as "<5", with secondary suppression
    try:
        published = results.published_tables().get("kommun")
    except (ImportError, AttributeError):  # privacy stage absent
        published = None
    body.append(geo.interactive_svg(g, lang=t.lang, min_cell=min_cell, published=published))

    figs = [(k, results.figures[k]) for k in MAP_ORDER if k in results.figures]
    if figs:
        body.append(f"<h3>{esc(t('geo_maps_title'))}</h3>")
        for k, fig in figs:
            body.append(figure_img(fig, t("geo_" + k)).replace(
                "</figure>", f"<figcaption>{esc(t('geo_' + k))}</figcaption></figure>"))

    body.append(f"<h3>{esc(t('geo_table_title'))}</h3>")
    shown = tab.assign(access_1000=tab["access"] * 1000,
                       placements=_placements_shown(tab, published, min_cell),
                       underserved=tab["underserved"].map({True: t("yes"), False: t("no")}),
                       lisa_cluster=[t.label("lisa", v) for v in tab["lisa_cluster"]])
    cols = {c: t("geo_col_" + c) for c in TABLE_COLUMNS}
    body.append('<div class="scroll">' + table(shown, t, columns=cols, digits=2) + "</div>")

    notes = list(g.notes)
    if notes:
        body.append(f"<h3>{esc(t('geo_notes_title'))}</h3>")
        body.append("<ul>" + "".join(f"<li>{esc(t.note(n))}</li>" for n in notes) + "</ul>")
    body.append(f"<h3>{esc(t('geo_methods_title'))}</h3>")
    eb_mean = p.get("eb_mean")
    eb = (_rate(t, eb_mean, p.get("need_unit", "percent"))
          if eb_mean is not None and math.isfinite(eb_mean) else "–")
    body.append(f"<p>{esc(t('geo_methods', eb=eb, km=t.num(p['catchment_km'], 0), k=p.get('lisa_k') or '–', perm=p['permutations'], seed=p['seed']))}</p>")
    body.append(f'<p class="note">{esc(t("geo_limits"))}</p>')
    body.append(f'<p class="note">{esc(t("geo_references"))}</p>')
    return section(KEY, t("geo_title"), body)
