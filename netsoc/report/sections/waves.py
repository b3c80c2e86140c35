"""Before/after: ties gained and lost between waves, actors whose brokerage changed most."""

from __future__ import annotations

import pandas as pd

from netsoc.report.html import esc, section, table

KEY = "waves"
TEXT = {
    "nav_waves": {"sv": "Före/efter", "en": "Before/after"},
    "waves_title": {"sv": "Förändring mellan mätomgångar", "en": "Change between waves"},
    "waves_intro": {
        "sv": "Studien har {n} mätomgångar ({waves}). Varje omgångs band mäts för sig; "
        "alla aktörer finns med i varje omgång.",
        "en": "The study has {n} waves ({waves}). Each wave's ties are measured on their own; "
        "every actor is present in every wave.",
    },
    "waves_turnover": {"sv": "Band som tillkommit och försvunnit", "en": "Ties gained and lost"},
    "col_from_wave": {"sv": "Från omgång", "en": "From wave"},
    "col_to_wave": {"sv": "Till omgång", "en": "To wave"},
    "col_stable": {"sv": "Kvar", "en": "Stable"},
    "col_new": {"sv": "Nya", "en": "New"},
    "col_dropped": {"sv": "Försvunna", "en": "Dropped"},
    "col_jaccard": {"sv": "Jaccard", "en": "Jaccard"},
    "waves_jaccard_note": {
        "sv": "Jaccard = kvarvarande band / alla band i någon av de två omgångarna "
        "(1 = samma nätverk, 0 = inga gemensamma band).",
        "en": "Jaccard = stable ties / ties in either wave (1 = the same network, 0 = no tie "
        "in common).",
    },
    "waves_brokers": {
        "sv": "Aktörer vars mäklarskap förändrats mest (omgång {a} → {b})",
        "en": "Actors whose brokerage changed most (wave {a} → {b})",
    },
    "waves_brokers_note": {
        "sv": "Mäklarskap = Gould–Fernandez mäklarroller i de rapporterade banden; mellanhet på "
        "samverkansnätverket. En stigande mellanhet betyder att fler kortaste vägar mellan "
        "andra aktörer går genom aktören.",
        "en": "Brokerage = Gould–Fernandez brokerage roles on the reported ties; betweenness on "
        "the collaboration layer. Rising betweenness means more shortest paths between other "
        "actors run through the actor.",
    },
    "col_actor": {"sv": "Aktör", "en": "Actor"},
    "col_brokerage_from": {"sv": "Mäklarskap före", "en": "Brokerage before"},
    "col_brokerage_to": {"sv": "Mäklarskap efter", "en": "Brokerage after"},
    "col_brokerage_change": {"sv": "Förändring", "en": "Change"},
    "col_betweenness_from": {"sv": "Mellanhet före", "en": "Betweenness before"},
    "col_betweenness_to": {"sv": "Mellanhet efter", "en": "Betweenness after"},
    "col_degree_change": {"sv": "Förändring i grad", "en": "Degree change"},
    "waves_gained": {"sv": "Nya band", "en": "New ties"},
    "waves_lost": {"sv": "Försvunna band", "en": "Dropped ties"},
    "waves_response": {
        "sv": "Antalet aktörer som svarade skiljer sig mellan omgångarna ({counts}); en del band "
        "som ser nya eller försvunna ut kan bero på vem som svarade, inte på verklig förändring.",
        "en": "The number of actors who answered differs between waves ({counts}); some ties "
        "that look new or dropped may reflect who answered rather than real change.",
    },
    "waves_wave": {"sv": "omgång", "en": "wave"},
    "waves_none": {"sv": "inga", "en": "none"},
    "waves_more": {"sv": "… och {n} till", "en": "… and {n} more"},
}

#: Ties listed by name in the gained/lost lists (the table has the counts).
MAX_LISTED = 30
TOP_BROKERS = 10


def _names(results) -> dict[str, str]:
    a = results.study.actors
    return dict(zip(a["actor_id"].astype(str), a["name"].astype(str), strict=True))


def _tie_list(detail: pd.DataFrame, kind: str, names: dict, t) -> str:
    d = detail[detail["change"] == kind]
    if d.empty:
        return f"<p>{esc(t('waves_none'))}</p>"
    items = [
        f"<li>{esc(names.get(r.actor_a, r.actor_a))} – {esc(names.get(r.actor_b, r.actor_b))}</li>"
        for r in d.head(MAX_LISTED).itertuples()
    ]
    more = ""
    if len(d) > MAX_LISTED:
        more = f"<li>{esc(t('waves_more', n=len(d) - MAX_LISTED))}</li>"
    return "<ul>" + "".join(items) + more + "</ul>"


def render(results, t) -> str | None:
    wm = results.tables.get("waves")
    tc = results.tables.get("tie_changes")
    if wm is None or tc is None or wm.empty:
        return None
    from netsoc.waves import brokerage_change

    wave_list = sorted(int(w) for w in wm["wave"].unique())
    a, b = wave_list[0], wave_list[-1]
    names = _names(results)
    body = [f"<p>{esc(t('waves_intro', n=len(wave_list), waves=', '.join(map(str, wave_list))))}</p>"]

    body.append(f"<h3>{esc(t('waves_turnover'))}</h3>")
    cols = {c: t(f"col_{c}") for c in ("from_wave", "to_wave", "stable", "new", "dropped",
                                       "jaccard")}
    body.append(table(tc, t, columns=cols, digits=2))
    body.append(f'<p class="note">{esc(t("waves_jaccard_note"))}</p>')

    item = results.items.get("waves")
    detail = getattr(item, "detail", None)
    if detail is not None and len(detail):
        d = detail[(detail["from_wave"] == a) & (detail["to_wave"] == b)]
        body.append(f"<h4>{esc(t('waves_gained'))} ({a} → {b})</h4>")
        body.append(_tie_list(d, "new", names, t))
        body.append(f"<h4>{esc(t('waves_lost'))} ({a} → {b})</h4>")
        body.append(_tie_list(d, "dropped", names, t))

    ch = brokerage_change(wm, a, b)
    ch = ch[(ch["brokerage_change"] != 0) | (ch["betweenness_change"] != 0)].head(TOP_BROKERS)
    if len(ch):
        ch = ch.assign(actor=ch["actor_id"].map(lambda x: names.get(x, x)))
        body.append(f"<h3>{esc(t('waves_brokers', a=a, b=b))}</h3>")
        cols = {c: t(f"col_{c}") for c in ("actor", "brokerage_from", "brokerage_to",
                                           "brokerage_change", "betweenness_from",
                                           "betweenness_to", "degree_change")}
        body.append(table(ch, t, columns=cols, digits=1))
        body.append(f'<p class="note">{esc(t("waves_brokers_note"))}</p>')
    counts = getattr(item, "response_counts", {}) or {}
    if len(set(counts.values())) > 1:
        desc = ", ".join(f"{t('waves_wave')} {w}: {n}" for w, n in counts.items())
        body.append(f'<p class="warn">{esc(t("waves_response", counts=desc))}</p>')
    return section(KEY, t("waves_title"), body)
