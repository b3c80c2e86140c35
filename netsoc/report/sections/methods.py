"""Methods in brief with references; each stage's section explains its own measures."""

from __future__ import annotations

from netsoc.report.html import esc, section

KEY = "methods"
TEXT = {
    "nav_methods": {"sv": "Metod och referenser", "en": "Methods and references"},
    "methods_title": {"sv": "Metod och referenser", "en": "Methods and references"},
    "methods_pipeline": {
        "sv": "Analysen följer ett fast flöde: inläsning och kontroll av data, nätverkslager "
        "(rapporterade relationer, samverkan, formella relationer, placeringar), mått per aktör och "
        "för hela nätverket, kluster, geografi och utfallsmodeller. Alla slumpmässiga steg "
        "använder ett angivet frö så att samma indata ger samma tabeller.",
        "en": "The analysis follows a fixed flow: reading and checking the data, network layers "
        "(reported ties, collaboration, formal relations, placements), measures per actor and for "
        "the whole network, communities, geography and outcome models. Every random step uses a "
        "given seed, so the same input gives the same tables.",
    },
    "methods_nonresponse": {
        "sv": "Bortfall: aktörer som inte svarade kan ändå nämnas av andra. Samverkanslagret bygger på "
        "relationer i någon riktning (union) om inget annat anges; känsligheten för bortfall visas "
        "som intervall (_lo/_hi) från upprepade slumpade störningar av icke-svarandes relationer.",
        "en": "Non-response: actors who did not answer can still be named by others. The collaboration "
        "layer uses ties in either direction (union) unless set otherwise; sensitivity to non-response "
        "is shown as bands (_lo/_hi) from repeated seeded perturbations of non-respondents' ties.",
    },
    "methods_references": {"sv": "Referenser", "en": "References"},
}

REFERENCES = [
    "Anselin, L. (1995). Local indicators of spatial association – LISA. Geographical Analysis, 27(2), 93–115.",
    "Blondel, V. D., Guillaume, J.-L., Lambiotte, R., & Lefebvre, E. (2008). Fast unfolding of communities "
    "in large networks. Journal of Statistical Mechanics, P10008.",
    "Bonacich, P. (1987). Power and centrality: A family of measures. American Journal of Sociology, "
    "92(5), 1170–1182.",
    "Borgatti, S. P., Carley, K. M., & Krackhardt, D. (2006). On the robustness of centrality measures "
    "under conditions of imperfect data. Social Networks, 28(2), 124–136.",
    "Brandes, U. (2001). A faster algorithm for betweenness centrality. Journal of Mathematical "
    "Sociology, 25(2), 163–177.",
    "Brandes, U., & Pich, C. (2007). Centrality estimation in large networks. International Journal "
    "of Bifurcation and Chaos, 17(7), 2303–2318.",
    "Brin, S., & Page, L. (1998). The anatomy of a large-scale hypertextual web search engine. "
    "Computer Networks and ISDN Systems, 30, 107–117.",
    "Burt, R. S. (1992). Structural Holes: The Social Structure of Competition. Harvard University Press.",
    "Dekker, D., Krackhardt, D., & Snijders, T. A. B. (2007). Sensitivity of MRQAP tests to collinearity "
    "and autocorrelation conditions. Psychometrika, 72(4), 563–581.",
    "Freeman, L. C. (1977). A set of measures of centrality based on betweenness. Sociometry, 40(1), 35–41.",
    "Freeman, L. C. (1979). Centrality in social networks: Conceptual clarification. Social Networks, 1(3), 215–239.",
    "Gould, R. V., & Fernandez, R. M. (1989). Structures of mediation: A formal approach to brokerage in "
    "transaction networks. Sociological Methodology, 19, 89–126.",
    "Himmelman, A. T. (2002). Collaboration for a Change: Definitions, Decision-making Models, Roles, and "
    "Collaboration Process Guide.",
    "Huisman, M. (2009). Imputation of missing network data: Some simple procedures. Journal of Social "
    "Structure, 10(1).",
    "Krackhardt, D., & Stern, R. N. (1988). Informal networks and organizational crises: An experimental "
    "simulation. Social Psychology Quarterly, 51(2), 123–140.",
    "Lancichinetti, A., & Fortunato, S. (2012). Consensus clustering in complex networks. Scientific Reports, 2, 336.",
    "Liang, K.-Y., & Zeger, S. L. (1986). Longitudinal data analysis using generalized linear models. "
    "Biometrika, 73(1), 13–22.",
    "Luo, W., & Wang, F. (2003). Measures of spatial accessibility to health care in a GIS environment. "
    "Environment and Planning B, 30(6), 865–884.",
    "Stork, D., & Richards, W. D. (1992). Nonrespondents in communication network studies. Group & "
    "Organization Management, 17(2), 193–209.",
    "Traag, V. A., Waltman, L., & van Eck, N. J. (2019). From Louvain to Leiden: guaranteeing well-connected "
    "communities. Scientific Reports, 9, 5233.",
    "Wasserman, S., & Faust, K. (1994). Social Network Analysis: Methods and Applications. Cambridge University Press.",
]


def render(results, t) -> str:
    body = [f"<p>{esc(t('methods_pipeline'))}</p>", f"<p>{esc(t('methods_nonresponse'))}</p>",
            f"<h3>{esc(t('methods_references'))}</h3>",
            "<ul>" + "".join(f"<li>{esc(r)}</li>" for r in REFERENCES) + "</ul>"]
    return section(KEY, t("methods_title"), body)
