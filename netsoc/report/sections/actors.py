"""The actors table: every actor with its measures, sortable and searchable.

The top brokers per Gould–Fernandez role are in the network section.
"""

from __future__ import annotations

from netsoc.report import findings
from netsoc.report.html import PAGE_ROWS, esc, section, table

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
    "col_community": {"sv": "Kluster", "en": "Community"},
    "col_placements_hosted": {"sv": "Placeringar (värd)", "en": "Placements hosted"},
    "actors_sort_hint": {
        "sv": "Klicka på en kolumnrubrik för att sortera; skriv i rutan för att filtrera.",
        "en": "Click a column heading to sort; type in the box to filter.",
    },
    "actors_filter": {"sv": "Filtrera aktörer", "en": "Filter actors"},
    "actors_brokers_link": {
        "sv": "De främsta mäklarna per Gould–Fernandez-roll visas under nätverksmåtten.",
        "en": "The top brokers in each Gould–Fernandez role are shown with the network measures.",
    },
    "actors_measures_note": {
        "sv": "Grad, styrka, mellanhet och begränsning gäller samverkanslagret; mäklarskap räknas på "
        "de rapporterade (riktade) relationerna med aktörstyp som grupp. Hela tabellen finns i "
        "tables/actors.csv.",
        "en": "Degree, strength, betweenness and constraint are on the collaboration layer; brokerage "
        "is counted on the reported (directed) ties with actor type as group. The full table is in "
        "tables/actors.csv.",
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

#: rows of the actors table in the report (a page at a time); the CSV always has all
MAX_ROWS = 100_000

FILTER_JS = (
    "function netsocFilter(input,id){var q=input.value.toLowerCase(),el=document.getElementById(id);"
    "var paged=el.querySelector('.paged');if(paged&&paged.netsocFilter){paged.netsocFilter(q);return;}"
    "el.querySelectorAll('tbody tr').forEach(function(tr){"
    "tr.style.display=tr.textContent.toLowerCase().indexOf(q)<0?'none':'';});}"
)


def render(results, t) -> str | None:
    # published version: counts of people 1..min_cell-1 shown as "<5"
    actors = findings.published(results).get("actors")
    if actors is None:
        return None
    cols = {c: t(f"col_{c}") for c in COLUMNS if c in actors.columns}
    data = actors.sort_values(["degree", "actor_id"], ascending=[False, True]) if "degree" in actors else actors
    data = data.assign(type=data["type"].map(lambda v: t.label("type", v)))
    body = [
        f'<p class="note">{esc(t("actors_measures_note"))}</p>',
        f'<p class="note">{esc(t("actors_sort_hint"))} '
        f'<input type="search" aria-label="{esc(t("actors_filter"))}" placeholder="{esc(t("actors_filter"))}" '
        f'oninput="netsocFilter(this,\'actors-table\')"></p>',
        '<div class="scroll" id="actors-table">',
        table(data, t, columns=cols, max_rows=MAX_ROWS, page_rows=PAGE_ROWS,
              digits={"betweenness": 1, "strength": 1}),
        "</div>",
        f"<script>{FILTER_JS}</script>",
    ]
    from netsoc.report.sections import SECTIONS

    if any(m.KEY == "network" for m in SECTIONS) and "liaison" in actors:
        body.append(f'<p><a href="#network">{esc(t("actors_brokers_link"))}</a></p>')
    return section(KEY, t("actors_title"), body)
