"""The actors table: one row per actor with its measures, sortable."""

from __future__ import annotations

from netsoc.report.html import section, table

KEY = "actors"
TEXT = {
    "nav_actors": {"sv": "Aktörer", "en": "Actors"},
    "actors_title": {"sv": "Aktörer", "en": "Actors"},
    "col_name": {"sv": "Namn", "en": "Name"},
    "col_type": {"sv": "Typ", "en": "Type"},
    "col_kommun_kod": {"sv": "Kommunkod", "en": "Kommun code"},
    "col_degree": {"sv": "Grad", "en": "Degree"},
    "col_strength": {"sv": "Styrka", "en": "Strength"},
    "col_betweenness": {"sv": "Mellanhet", "en": "Betweenness"},
    "col_constraint": {"sv": "Begränsning (Burt)", "en": "Constraint (Burt)"},
    "col_brokerage_total": {"sv": "Mäklarskap totalt", "en": "Brokerage total"},
    "col_community": {"sv": "Gemenskap", "en": "Community"},
    "col_placements_hosted": {"sv": "Placeringar (värd)", "en": "Placements hosted"},
    "actors_sort_hint": {
        "sv": "Klicka på en kolumnrubrik för att sortera.",
        "en": "Click a column heading to sort.",
    },
}

COLUMNS = [
    "name",
    "type",
    "kommun_kod",
    "degree",
    "strength",
    "betweenness",
    "constraint",
    "brokerage_total",
    "community",
    "placements_hosted",
]


def render(results, t) -> str | None:
    # published version: counts of people 1..min_cell-1 shown as "<5"
    actors = results.published_tables().get("actors")
    if actors is None:
        return None
    cols = {c: t(f"col_{c}") for c in COLUMNS if c in actors.columns}
    data = actors.sort_values(["degree", "actor_id"], ascending=[False, True]) if "degree" in actors else actors
    body = [f'<p class="note">{t("actors_sort_hint")}</p>', '<div class="scroll">',
            table(data, t, columns=cols, max_rows=500), "</div>"]
    return section(KEY, t("actors_title"), body)
