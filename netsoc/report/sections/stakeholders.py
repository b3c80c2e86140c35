"""Stakeholder analysis: power–interest grid, salience, PARTNER trust and value,
resources, and how standing with partners relates to network position."""

from __future__ import annotations

import pandas as pd

from netsoc import stakeholders as sk
from netsoc.report import findings
from netsoc.report.html import esc, figure_img, section, table
from netsoc.report.network_view import network_view, ordered_subgraph

KEY = "stakeholders"
TEXT = {
    "nav_stakeholders": {"sv": "Intressenter", "en": "Stakeholders"},
    "sk_title": {"sv": "Intressentanalys: inflytande, intresse, tillit och värde",
                 "en": "Stakeholder analysis: influence, interest, trust and value"},
    "sk_intro": {
        "sv": "{n} aktörer har skattats: {n_rated} i intressentskattningarna (stakeholders.csv, "
              "{n_raters} bedömare) och {n_partner} av sina partner med PARTNER-frågor om tillit "
              "och värde (ties.csv). Tabellen finns i tables/stakeholders.csv.",
        "en": "{n} actors are rated: {n_rated} in the stakeholder ratings (stakeholders.csv, "
              "{n_raters} raters) and {n_partner} by their partners with the PARTNER trust and "
              "value items (ties.csv). The table is in tables/stakeholders.csv.",
    },
    "sk_scores_title": {"sv": "Tillit och värde i hela nätverket",
                        "en": "Trust and value in the whole network"},
    "sk_scores": {
        "sv": "Nätverkets tillitspoäng är {trust} och värdepoäng {value} av 100, från {n} "
              "bedömda partnerrelationer (omgång {wave}). Poängen är medelvärdet av frågorna "
              "(1–4) som andel av maxvärdet, som PARTNER redovisar det: 25 = alla svarade 1, "
              "100 = alla svarade 4.",
        "en": "The network's trust score is {trust} and its value score {value} out of 100, "
              "from {n} rated partner relations (wave {wave}). A score is the mean of the items "
              "(1–4) as a share of the maximum, as PARTNER reports it: 25 = every answer 1, "
              "100 = every answer 4.",
    },
    "sk_by_wave": {"sv": "Per omgång", "en": "By wave"},
    "sk_grid_title": {"sv": "Intressentkarta (inflytande och intresse)",
                      "en": "Power–interest grid"},
    "sk_grid_note": {
        "sv": "Mendelows karta: {n} aktörer med både inflytande och intresse skattade. Högt = "
              "medelvärde över 3 på skalan 1–5.",
        "en": "Mendelow's grid: {n} actors rated on both influence and interest. High = mean "
              "above 3 on the 1–5 scale.",
    },
    "sk_grid_alt": {"sv": "Intressentkarta", "en": "Power–interest grid"},
    "sk_quadrant_advice_manage_closely": {
        "sv": "stort inflytande och stort intresse: involvera i beslut och samverka nära",
        "en": "high influence and high interest: involve in decisions, work closely together"},
    "sk_quadrant_advice_keep_satisfied": {
        "sv": "stort inflytande, mindre intresse: håll nöjda och informerade om det som rör dem",
        "en": "high influence, less interest: keep satisfied, consult on what concerns them"},
    "sk_quadrant_advice_keep_informed": {
        "sv": "stort intresse, mindre inflytande: håll informerade, ta vara på engagemanget",
        "en": "high interest, less influence: keep informed, draw on their engagement"},
    "sk_quadrant_advice_monitor": {
        "sv": "litet inflytande och intresse: bevaka, med liten insats",
        "en": "low influence and interest: monitor with little effort"},
    "sk_salience_title": {"sv": "Intressenternas betydelse (Mitchell, Agle & Wood)",
                          "en": "Stakeholder salience (Mitchell, Agle & Wood)"},
    "sk_salience_note": {
        "sv": "Makt, legitimitet och angelägenhet räknas som närvarande när medelvärdet är över "
              "3. Alla tre: avgörande; två: förväntansfulla (dominerande, farlig, beroende); en: "
              "latenta (vilande, skönsmässig, krävande).",
        "en": "Power, legitimacy and urgency count as present when the mean is above 3. All "
              "three: definitive; two: expectant (dominant, dangerous, dependent); one: latent "
              "(dormant, discretionary, demanding).",
    },
    "sk_table_title": {"sv": "Tillit och värde per partner", "en": "Trust and value per partner"},
    "sk_table_note": {
        "sv": "Tillit och värde (1–4) är medelvärdet av PARTNER-frågorna som partnerna gav "
              "aktören, varje partner räknad en gång; antal = partner som bedömt tilliten.",
        "en": "Trust and value (1–4) are the mean of the PARTNER items the partners gave the "
              "actor, each partner counted once; count = partners who rated its trust.",
    },
    "sk_resources_title": {"sv": "Resurser som partnerna nämner",
                           "en": "Resources partners name"},
    "sk_resources_item": {"sv": "{resource}: {names}", "en": "{resource}: {names}"},
    "sk_resources_of": {"sv": "{n} av {m} partner", "en": "{n} of {m} partners"},
    "sk_position_title": {"sv": "Ställning hos partnerna och plats i nätverket",
                          "en": "Standing with partners and position in the network"},
    "sk_position_note": {
        "sv": "Jämfört med grad i samverkansnätverket (antal samarbetspartner): översta och "
              "nedersta tredjedelen bland de skattade aktörerna.",
        "en": "Compared with degree in the collaboration network (number of partners): top and "
              "bottom third among the rated actors.",
    },
    "sk_position_none": {
        "sv": "Ingen aktör skiljer sig tydligt: tillit, värde och inflytande följer ungefär "
              "platsen i nätverket.",
        "en": "No actor stands out: trust, value and influence roughly follow network position.",
    },
    "sk_netmap_title": {"sv": "Nätverket som Net-Map: inflytande och tillit",
                        "en": "The network as a Net-Map: influence and trust"},
    "sk_netmap_intro": {
        "sv": "Punktens storlek visar skattat inflytande (Net-Maps torn; oskattade aktörer "
              "minst), linjens färg partnernas tillit på relationen.",
        "en": "Dot size shows rated influence (Net-Map's towers; unrated actors smallest), line "
              "colour the partners' trust on the relation.",
    },
    "sk_trust_key": {"sv": "Linjer: tillit", "en": "Lines: trust"},
    "sk_trust_low": {"sv": "låg (1–2)", "en": "low (1–2)"},
    "sk_trust_mid": {"sv": "medel (2–3)", "en": "medium (2–3)"},
    "sk_trust_high": {"sv": "hög (3–4)", "en": "high (3–4)"},
    "sk_trust_none": {"sv": "ej bedömd", "en": "not rated"},
    "sk_tip_trust": {"sv": "tillit", "en": "trust"},
    "sk_measure_influence": {"sv": "inflytande", "en": "influence"},
    "sk_measure_degree": {"sv": "grad", "en": "degree"},
    "sk_col_name": {"sv": "Namn", "en": "Name"},
    "sk_col_type": {"sv": "Typ", "en": "Type"},
    "sk_col_influence": {"sv": "Inflytande", "en": "Influence"},
    "sk_col_interest": {"sv": "Intresse", "en": "Interest"},
    "sk_col_attitude": {"sv": "Inställning", "en": "Attitude"},
    "sk_col_n_raters": {"sv": "Bedömare", "en": "Raters"},
    "sk_col_quadrant": {"sv": "Kvadrant", "en": "Quadrant"},
    "sk_col_salience": {"sv": "Betydelse", "en": "Salience"},
    "sk_col_trust_received": {"sv": "Tillit", "en": "Trust"},
    "sk_col_value_received": {"sv": "Värde", "en": "Value"},
    "sk_col_n_trust_ratings": {"sv": "Antal", "en": "Count"},
    "sk_col_resources_named": {"sv": "Resurser", "en": "Resources"},
    "sk_col_wave": {"sv": "Omgång", "en": "Wave"},
    "sk_col_trust_score": {"sv": "Tillitspoäng", "en": "Trust score"},
    "sk_col_value_score": {"sv": "Värdepoäng", "en": "Value score"},
    "sk_col_n_rated_ties": {"sv": "Bedömda relationer", "en": "Rated relations"},
    "sk_method": {
        "sv": "Metod: medelvärden över bedömare i aktörens senaste omgång; Mendelow (1991), "
              "Mitchell, Agle & Wood (1997), PARTNER (Varda m.fl. 2008, 2012), Net-Map (Schiffer "
              "& Hauck 2010). Se docs/methods.md.",
        "en": "Method: means over raters in the actor's latest wave; Mendelow (1991), Mitchell, "
              "Agle & Wood (1997), PARTNER (Varda et al. 2008, 2012), Net-Map (Schiffer & Hauck "
              "2010). See docs/methods.md.",
    },
}

COLUMNS = ["name", "type", "influence", "interest", "attitude", "n_raters", "quadrant",
           "salience", "trust_received", "value_received", "n_trust_ratings", "resources_named"]
#: PARTNER trust (1-4) -> line colour in the Net-Map view
TRUST_COLOURS = (("sk_trust_low", "#c0392b"), ("sk_trust_mid", "#e6a817"),
                 ("sk_trust_high", "#1e8449"))
NO_TRUST = "#c8ced6"
MAX_LISTED = 12  # names listed per quadrant / salience class / resource


def _trust_colour(x: float) -> str:
    return TRUST_COLOURS[0][1] if x < 2 else TRUST_COLOURS[1][1] if x < 3 else TRUST_COLOURS[2][1]


def _names(names: list[str]) -> str:
    shown = ", ".join(names[:MAX_LISTED])
    return shown + (f" (+{len(names) - MAX_LISTED})" if len(names) > MAX_LISTED else "")


def _scores(res, t) -> list[str]:
    if not res.has_tie_ratings or not res.scores.get("n_rated_ties"):
        return []
    wave = int(res.by_wave["wave"].iloc[-1]) if len(res.by_wave) else 1
    out = [f"<h3>{esc(t('sk_scores_title'))}</h3>",
           f"<p>{esc(t('sk_scores', trust=t.num(res.scores['trust_score'], 1), value=t.num(res.scores['value_score'], 1), n=t.num(res.scores['n_rated_ties']), wave=wave))}</p>"]
    if len(res.by_wave) > 1:
        cols = {c: t(f"sk_col_{c}") for c in ("wave", "trust_score", "value_score",
                                              "n_rated_ties")}
        out += [f"<h4>{esc(t('sk_by_wave'))}</h4>", table(res.by_wave, t, columns=cols,
                                                         digits={"trust_score": 1,
                                                                 "value_score": 1,
                                                                 "wave": 0,
                                                                 "n_rated_ties": 0})]
    return out


def _grid(results, tab: pd.DataFrame, t) -> list[str]:
    rated = tab[tab["influence"].notna() & tab["interest"].notna()]
    if not len(rated):
        return []
    fig = results.figures.get("stakeholder_grid")
    if fig is None:
        fig = sk.power_interest_grid(tab, lang=t.lang)
        results.figures["stakeholder_grid"] = fig
    items = []
    for q in sk.QUADRANTS:
        names = rated.loc[rated["quadrant"] == q, "name"].astype(str).tolist()
        if names:
            items.append(f"<li><b>{esc(t.label('quadrant', q))}</b> "
                         f"({esc(t('sk_quadrant_advice_' + q))}): {esc(_names(names))}</li>")
    return [f"<h3>{esc(t('sk_grid_title'))}</h3>",
            f"<p>{esc(t('sk_grid_note', n=t.num(len(rated))))}</p>",
            figure_img(fig, t("sk_grid_alt")), f"<ul>{''.join(items)}</ul>"]


def _salience(tab: pd.DataFrame, t) -> list[str]:
    s = tab[tab["salience"].notna()]
    if not len(s):
        return []
    order = ["definitive", "dominant", "dangerous", "dependent", "dormant", "discretionary",
             "demanding", "non_stakeholder"]
    items = [f"<li><b>{esc(t.label('salience', c))}</b>: "
             f"{esc(_names(s.loc[s['salience'] == c, 'name'].astype(str).tolist()))}</li>"
             for c in order if (s["salience"] == c).any()]
    return [f"<h3>{esc(t('sk_salience_title'))}</h3>",
            f"<p class=\"note\">{esc(t('sk_salience_note'))}</p>", f"<ul>{''.join(items)}</ul>"]


def _resources(res, tab: pd.DataFrame, t) -> list[str]:
    counts = res.resources
    if counts is None or not len(counts):
        return []
    names = tab.set_index("actor_id")["name"].astype(str)
    items = []
    for r in sk.RESOURCES:
        if r not in counts or not counts[r].sum():
            continue
        c = counts[counts[r] > 0].sort_values(r, ascending=False, kind="mergesort")
        who = [f"{names.get(a, a)} ({t('sk_resources_of', n=t.num(int(row[r])), m=t.num(int(row['n_partners'])))})"
               for a, row in c.iterrows()]
        items.append(f"<li>{esc(t('sk_resources_item', resource=t.label('resource', r), names=_names(who)))}</li>")
    if not items:
        return []
    return [f"<h3>{esc(t('sk_resources_title'))}</h3>", f"<ul>{''.join(items)}</ul>"]


def _position(tab: pd.DataFrame, actors: pd.DataFrame | None, t) -> list[str]:
    if actors is None or "degree" not in actors:
        return []
    degree = actors.set_index("actor_id")["degree"].rename(t("sk_measure_degree"))
    contrasts = sk.position_contrasts(tab, degree)
    body = [f"<h3>{esc(t('sk_position_title'))}</h3>",
            f"<p class=\"note\">{esc(t('sk_position_note'))}</p>"]
    sentences = sk.contrast_sentences(contrasts, t.lang)
    if sentences:
        body.append("<ul>" + "".join(f"<li>{esc(s)}</li>" for s in sentences) + "</ul>")
    else:
        body.append(f"<p>{esc(t('sk_position_none'))}</p>")
    return body


def _netmap(results, res, t) -> list[str]:
    networks, actors = results.networks, results.tables.get("actors")
    if networks is None or actors is None or "influence" not in actors:
        return []
    G = networks.collaboration
    if G.number_of_edges() == 0 or not actors["influence"].notna().any():
        return []
    H = ordered_subgraph(G, [n for n in G if G.degree(n) > 0])
    colours, tips = {}, {}
    if res.has_tie_ratings and len(res.dyads):
        d = res.dyads[res.dyads["trust"].notna()]
        d = d[d["wave"] == d.groupby(["respondent_id", "alter_id"])["wave"].transform("max")]
        pair = d.apply(lambda r: tuple(sorted((r["respondent_id"], r["alter_id"]))), axis=1)
        if len(d):
            for (u, v), x in d.groupby(pair.to_numpy())["trust"].mean().items():
                colours[(u, v)] = _trust_colour(float(x))
                tips[(u, v)] = f"{t('sk_tip_trust')}: {t.num(float(x), 1)}"
    key = "".join(f'<span style="display:inline-block;margin-left:.8rem"><span style="display:'
                  f'inline-block;width:1.2rem;height:.25rem;background:{c};vertical-align:middle;'
                  f'margin-right:.3rem"></span>{esc(t(k))}</span>'
                  for k, c in (*TRUST_COLOURS, ("sk_trust_none", NO_TRUST))) if colours else ""
    edge_colours = ({e: colours.get(e, colours.get((e[1], e[0]), NO_TRUST)) for e in H.edges}
                    if colours else None)
    fragment, _ = network_view(
        H, actors, color_by="type", size_by="influence", element_id="stakeholder-netmap",
        labels={"search": t("netview_search"), "legend": t("netview_legend"),
                "size": t("sk_measure_influence"), "color": t("measure_type")},
        lang=t.lang, edge_colors=edge_colours, edge_tips=tips or None,
        legend_extra=(f" · {esc(t('sk_trust_key'))}:{key}" if key else ""))
    return [f"<h3>{esc(t('sk_netmap_title'))}</h3>", f"<p>{esc(t('sk_netmap_intro'))}</p>",
            fragment]


def render(results, t) -> str | None:
    res = results.items.get("stakeholders")
    tab = findings.published(results).get("stakeholders")
    if res is None or tab is None or not len(tab):
        return None
    n_partner = int((tab["n_trust_ratings"] > 0).sum()) if res.has_tie_ratings else 0
    ratings = results.study.stakeholders
    n_raters = (ratings["rater_id"].astype("string").fillna("").nunique()
                if ratings is not None and len(ratings) else 0)
    body = [f"<p>{esc(t('sk_intro', n=t.num(len(tab)), n_rated=t.num(int((tab['n_raters'] > 0).sum())), n_raters=t.num(n_raters), n_partner=t.num(n_partner)))}</p>"]
    body += _scores(res, t)
    body += _grid(results, tab, t)
    body += _salience(tab, t)
    shown = tab.assign(
        type=tab["type"].map(lambda v: t.label("type", v)),
        quadrant=tab["quadrant"].map(lambda v: t.label("quadrant", v)),
        salience=tab["salience"].map(lambda v: t.label("salience", v)),
        resources_named=tab["resources_named"].map(
            lambda v: ", ".join(t.label("resource", r) for r in str(v).split(";"))
            if isinstance(v, str) and v else ""))
    cols = {c: t(f"sk_col_{c}") for c in COLUMNS
            if c in shown and (c not in ("attitude",) or shown[c].notna().any())}
    body += [f"<h3>{esc(t('sk_table_title'))}</h3>", f"<p class=\"note\">{esc(t('sk_table_note'))}</p>",
             '<div class="scroll">', table(shown, t, columns=cols, digits={
                 "influence": 1, "interest": 1, "attitude": 1, "trust_received": 2,
                 "value_received": 2, "n_raters": 0, "n_trust_ratings": 0}), "</div>"]
    body += _resources(res, tab, t)
    body += _position(tab, results.tables.get("actors"), t)
    body += _netmap(results, res, t)
    body.append(f"<p class=\"note\">{esc(t('sk_method'))}</p>")
    return section(KEY, t("sk_title"), body)
