"""Plain-language readings: where standing with partners (trust, value, influence)
and network position disagree."""

from __future__ import annotations

import pandas as pd

from netsoc.i18n import localize_number
from netsoc.stakeholders.table import _high

#: contrast -> (measure column, its level, centrality level)
CONTRASTS: dict[str, tuple[str, str, str]] = {
    "trusted_but_peripheral": ("trust_received", "high", "low"),
    "central_but_distrusted": ("trust_received", "low", "high"),
    "valued_but_peripheral": ("value_received", "high", "low"),
    "central_but_low_value": ("value_received", "low", "high"),
    "influential_but_peripheral": ("influence", "high", "low"),
}
CONTRAST_TEXT: dict[str, dict[str, str]] = {
    "trusted_but_peripheral": {
        "en": "{name} is trusted by its partners (trust {v:.1f} of 4) but peripheral in the "
              "network ({measure} {c:.2f}).",
        "sv": "{name} har partnernas förtroende (tillit {v:.1f} av 4) men en perifer plats i "
              "nätverket ({measure} {c:.2f})."},
    "central_but_distrusted": {
        "en": "{name} is central in the network ({measure} {c:.2f}) but its partners trust it "
              "less than most (trust {v:.1f} of 4).",
        "sv": "{name} är central i nätverket ({measure} {c:.2f}) men har lägre förtroende hos "
              "partnerna än de flesta (tillit {v:.1f} av 4)."},
    "valued_but_peripheral": {
        "en": "{name} is valued by its partners (value {v:.1f} of 4) but peripheral in the "
              "network ({measure} {c:.2f}).",
        "sv": "{name} värderas högt av partnerna (värde {v:.1f} av 4) men har en perifer plats "
              "i nätverket ({measure} {c:.2f})."},
    "central_but_low_value": {
        "en": "{name} is central in the network ({measure} {c:.2f}) but valued less than most "
              "by its partners (value {v:.1f} of 4).",
        "sv": "{name} är central i nätverket ({measure} {c:.2f}) men värderas lägre än de "
              "flesta av partnerna (värde {v:.1f} av 4)."},
    "influential_but_peripheral": {
        "en": "{name} is rated influential (influence {v:.1f} of 5) but is peripheral in the "
              "collaboration network ({measure} {c:.2f}).",
        "sv": "{name} bedöms ha stort inflytande ({v:.1f} av 5) men har en perifer plats i "
              "samverkansnätverket ({measure} {c:.2f})."},
}


def _tertiles(x: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(high, low): at or above the 2/3 quantile / at or below the 1/3 quantile, exclusive."""
    q1, q2 = x.quantile(1 / 3), x.quantile(2 / 3)
    high = (x >= q2) & ~(x <= q1)
    low = (x <= q1) & ~(x >= q2)
    return high, low


def position_contrasts(table: pd.DataFrame, centrality: pd.Series) -> pd.DataFrame:
    """Actors whose standing with partners and network position disagree.

    Thresholds (over the actors that have both the measure and ``centrality``,
    at least 3 of them, else that contrast flags nobody):

    - *top third* of a measure: at or above its 2/3 quantile (pandas
      ``quantile``, linear) and not also at or below the 1/3 quantile;
      *bottom third* the mirror image. When more than a third of the actors
      share a value at a cut, the quantiles coincide and those actors are in
      neither third (e.g. betweenness 0 for most actors: none is "low").
    - influence is *high* when its mean is above 3, as in the grid.

    Contrasts (:data:`CONTRASTS`): ``trusted_but_peripheral`` (trust top,
    centrality bottom third), ``central_but_distrusted`` (centrality top,
    trust bottom), ``valued_but_peripheral``, ``central_but_low_value`` (the
    same with value), ``influential_but_peripheral`` (influence high,
    centrality bottom third).

    Parameters
    ----------
    table : DataFrame
        From :func:`stakeholder_table`.
    centrality : Series
        A network measure indexed by ``actor_id`` (e.g. ``betweenness`` or
        ``degree`` from actors.csv); its ``name`` is shown in the sentences.

    Returns
    -------
    DataFrame
        ``actor_id, name, contrast, measure, value, centrality,
        centrality_measure`` (one row per actor and contrast, in
        :data:`CONTRASTS` then table order; ``centrality_measure`` is the
        series' name); turn rows into sentences with :func:`contrast_sentences`.

    Examples
    --------
    >>> tab = pd.DataFrame({"actor_id": list("abcd"), "name": list("ABCD"),
    ...                     "trust_received": [3.9, 2.0, 3.0, 3.2],
    ...                     "value_received": [float("nan")] * 4, "influence": [4.0, 2, 2, 2]})
    >>> deg = pd.Series([1, 9, 4, 5], index=list("abcd"), name="degree")
    >>> position_contrasts(tab, deg)[["actor_id", "contrast"]].values.tolist()
    [['a', 'trusted_but_peripheral'], ['b', 'central_but_distrusted'], \
['a', 'influential_but_peripheral']]
    """
    cols = ["actor_id", "name", "contrast", "measure", "value", "centrality",
            "centrality_measure"]
    cen_all = pd.to_numeric(table["actor_id"].map(centrality), errors="coerce").astype(float)
    name = str(centrality.name) if centrality.name is not None else "centrality"
    rows = []
    for contrast, (measure, level, cen_level) in CONTRASTS.items():
        if measure not in table:
            continue
        v = pd.to_numeric(table[measure], errors="coerce").astype(float)
        ok = v.notna() & cen_all.notna()
        if ok.sum() < 3:
            continue
        c_high, c_low = _tertiles(cen_all[ok])
        if measure == "influence":
            m_high = _high(v[ok])
            m_low = ~m_high
        else:
            m_high, m_low = _tertiles(v[ok])
        hit = (m_high if level == "high" else m_low) & (c_high if cen_level == "high" else c_low)
        for i in hit[hit].index:
            rows.append((table.at[i, "actor_id"], table.at[i, "name"], contrast, measure,
                         float(v[i]), float(cen_all[i]), name))
    return pd.DataFrame(rows, columns=cols)


def contrast_sentences(contrasts: pd.DataFrame, lang: str = "en") -> list[str]:
    """Plain-language sentences for the rows of :func:`position_contrasts`.

    Numbers in the language's style (Swedish decimal comma). Names are plain
    text: the report escapes them.

    Examples
    --------
    >>> c = pd.DataFrame({"actor_id": ["a"], "name": ["Coompanion"],
    ...                   "contrast": ["trusted_but_peripheral"], "measure": ["trust_received"],
    ...                   "value": [3.75], "centrality": [0.5], "centrality_measure": ["degree"]})
    >>> print(contrast_sentences(c, "sv")[0])
    Coompanion har partnernas förtroende (tillit 3,8 av 4) men en perifer plats i nätverket
    (degree 0,50).
    """
    out = []
    for row in contrasts.itertuples(index=False):
        tpl = CONTRAST_TEXT[row.contrast][lang]
        measure = str(getattr(row, "centrality_measure", "centrality"))
        out.append(tpl.replace("{v:.1f}", localize_number(f"{row.value:.1f}", lang))
                   .replace("{c:.2f}", localize_number(f"{row.centrality:.2f}", lang))
                   .replace("{measure}", measure).replace("{name}", str(row.name)))
    return out

