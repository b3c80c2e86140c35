"""Summary in plain words: what the study holds and the main findings."""

from __future__ import annotations

from netsoc.privacy import format_count
from netsoc.report.html import esc, section

KEY = "summary"
TEXT = {
    "nav_summary": {"sv": "Sammanfattning", "en": "Summary"},
    "summary_title": {"sv": "Sammanfattning", "en": "Summary"},
    "kpi_actors": {"sv": "aktörer", "en": "actors"},
    "kpi_ties": {"sv": "rapporterade relationer", "en": "reported ties"},
    "kpi_placements": {"sv": "placeringar", "en": "placements"},
    "kpi_kommuner": {"sv": "kommuner", "en": "kommuner"},
    "synthetic_warning": {
        "sv": "Obs! Intervju-, svars-, placerings- och indikatordata i denna studie är syntetiska "
        "(genererade för demonstration). Aktörer och formella relationer bygger på offentliga rapporter.",
        "en": "Note: the interview, respondent, placement and indicator data of this study are synthetic "
        "(generated for demonstration). Actors and formal relations come from public reports.",
    },
    "most_connected": {
        "sv": "Flest samarbetspartner: {names}.",
        "en": "Most collaboration partners: {names}.",
    },
}


def render(results, t) -> str:
    study = results.study
    body = []
    if study.settings.synthetic:
        body.append(f'<p class="synthetic">{esc(t("synthetic_warning"))}</p>')
    kpis = [(len(study.actors), t("kpi_actors"))]
    if study.ties is not None:
        kpis.append((len(study.ties), t("kpi_ties")))
    if study.placements is not None:
        n = len(study.placements)
        kpis.append((format_count(n, study.settings.min_cell) if n < study.settings.min_cell else n,
                     t("kpi_placements")))
    kommuner = study.actors["kommun_kod"].dropna().nunique()
    kpis.append((kommuner, t("kpi_kommuner")))
    body.append("".join(f'<span class="kpi"><b>{t.num(v)}</b>{esc(label)}</span>' for v, label in kpis))
    actors = results.tables.get("actors")
    if actors is not None and "degree" in actors and len(actors):
        top = actors.sort_values(["degree", "actor_id"], ascending=[False, True]).head(5)
        names = ", ".join(f"{n} ({t.num(d)})" for n, d in zip(top["name"], top["degree"], strict=True))
        body.append(f"<p>{esc(t('most_connected', names=names))}</p>")
    for note in results.items.get("summary_sentences", []):
        body.append(f"<p>{esc(note)}</p>")
    return section(KEY, t("summary_title"), body)
