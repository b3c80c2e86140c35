"""The collaboration network: interactive view (offline) and a static figure."""

from __future__ import annotations

from netsoc.report.figures import network_figure
from netsoc.report.html import esc, figure_img, section
from netsoc.report.network_view import network_view, ordered_subgraph

KEY = "netview"
TEXT = {
    "nav_netview": {"sv": "Nätverket", "en": "The network"},
    "netview_title": {"sv": "Samverkansnätverket", "en": "The collaboration network"},
    "netview_intro": {
        "sv": "Varje punkt är en aktör, färgad efter {color} och med storlek efter {size}. "
        "Dra för att flytta, scrolla för att zooma, håll muspekaren över en aktör för detaljer.",
        "en": "Each dot is an actor, coloured by {color} and sized by {size}. "
        "Drag to move, scroll to zoom, hover over an actor for details.",
    },
    "netview_search": {"sv": "Sök aktör", "en": "Find actor"},
    "netview_legend": {"sv": "Färg", "en": "Colour"},
    "netview_cut": {
        "sv": "Nätverket är stort: vyn visar de {shown} aktörer med högst {size} (av {total}).",
        "en": "The network is large: the view shows the {shown} actors with the highest {size} (of {total}).",
    },
    "netview_static": {"sv": "Statisk bild av nätverket", "en": "Static picture of the network"},
    "netview_isolated": {
        "sv": "{n} aktörer utan samverkansrelationer visas inte i bilderna (de finns i aktörstabellen).",
        "en": "{n} actors without collaboration ties are not drawn (they are in the actors table).",
    },
    "measure_type": {"sv": "aktörstyp", "en": "actor type"},
    "measure_community": {"sv": "kluster", "en": "community"},
    "measure_degree": {"sv": "grad (antal samarbetspartner)", "en": "degree (number of partners)"},
    "measure_betweenness": {"sv": "mellanhet", "en": "betweenness"},
}


def _shown(results):
    """(graph without isolates, isolated actors, colour column, size column), or None."""
    networks, actors = results.networks, results.tables.get("actors")
    if networks is None or actors is None or networks.collaboration.number_of_edges() == 0:
        return None
    color_by = "community" if "community" in actors and actors["community"].notna().any() else "type"
    size_by = "betweenness" if "betweenness" in actors else "degree"
    G = networks.collaboration
    isolated = [n for n in G if G.degree(n) == 0]
    return ordered_subgraph(G, [n for n in G if G.degree(n) > 0]), isolated, color_by, size_by


def network_picture(results, t, shown=None):
    """The static picture of the collaboration network: ``results.figures["network"]``, made once."""
    fig = results.figures.get("network")
    if fig is None:
        shown = shown or _shown(results)
        if shown is None:
            return None
        G, _, color_by, size_by = shown
        fig = network_figure(G, results.tables["actors"], color_by=color_by, size_by=size_by,
                             seed=results.seed, legend_title=t("measure_" + color_by), lang=t.lang)
        results.figures["network"] = fig
    return fig


def render(results, t) -> str | None:
    shown = _shown(results)
    if shown is None:
        return None
    G, isolated, color_by, size_by = shown
    actors = results.tables["actors"]
    fragment, cut = network_view(
        G, actors, color_by=color_by, size_by=size_by,
        labels={"search": t("netview_search"),
                "legend": f"{t('netview_legend')} ({t('measure_' + color_by)})",
                "size": t("measure_" + size_by), "color": t("measure_" + color_by)},
        lang=t.lang,
    )
    body = [f"<p>{esc(t('netview_intro', color=t('measure_' + color_by), size=t('measure_' + size_by)))}</p>"]
    if cut:
        shown_n, total = cut.split("/")
        body.append(f'<p class="note">{esc(t("netview_cut", shown=t.num(int(shown_n)), total=t.num(int(total)), size=t("measure_" + size_by)))}</p>')
    if isolated:
        body.append(f'<p class="note">{esc(t("netview_isolated", n=t.num(len(isolated))))}</p>')
    body.append(fragment)
    fig = network_picture(results, t, shown)
    body.append(f"<h3>{esc(t('netview_static'))}</h3>")
    body.append(figure_img(fig, t("netview_static")))
    return section(KEY, t("netview_title"), body)
