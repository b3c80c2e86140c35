"""Sentences and vocabulary words in Swedish and English.

Stages speak to readers in two ways: *notes* (plain-language warnings such
as "3 actors have no kommun") and *vocabulary codes* in their tables
(``social_enterprise``, ``referral``, ``HH``). Tables keep the codes – they
are the data contract of ``tables/*.csv`` – and notes stay English in the
CLI and ``run.json``; the report and figures show both in the report
language. This module is the one place that knows both languages:

- :class:`Note` is a ``str`` (its English text, so ``print``, ``json`` and
  ``" ".join`` work as before) that also carries a catalogue key and the
  parameters, so that ``note.render("sv")`` gives the Swedish sentence with
  Swedish number formatting (decimal comma, thin-space thousands, true
  minus sign).
- :data:`NOTES` is the catalogue: ``{key: {"en": template, "sv": template}}``.
  Templates are :meth:`str.format` strings; ``{x:.2f}`` formats a number per
  language, ``{t:@type}`` shows a vocabulary code as a word, a list is
  joined with ", " (or "; " when it holds notes) and a nested note is
  rendered in the same language.
- :func:`label` gives a vocabulary word (:data:`VOCAB`) in a language.

Examples
--------
>>> n = Note("measures.no_respondent_ties")
>>> str(n)
'no tie joins two respondents: ties of non-respondents were not dropped'
>>> Note("models.missing_rows", dropped=733, n_rows=2919, unit="rows", pct=25.11,
...      parts="").render("sv")
'733 av 2919 rader (25,1 %) utelämnades på grund av saknade värden.'
>>> label("type", "social_enterprise", "sv")
'socialt företag'
"""

from __future__ import annotations

import numbers
import re
import string
from collections.abc import Mapping

LANGS = ("sv", "en")

#: vocabulary codes (netsoc.schema and stage outputs) as words, per kind
VOCAB: dict[str, dict[str, dict[str, str]]] = {
    "type": {
        "kommun": {"sv": "kommun", "en": "kommun (municipality)"},
        "region": {"sv": "region", "en": "region"},
        "samordningsforbund": {"sv": "samordningsförbund", "en": "samordningsförbund"},
        "arbetsformedlingen": {"sv": "Arbetsförmedlingen", "en": "Arbetsförmedlingen (PES)"},
        "forsakringskassan": {"sv": "Försäkringskassan",
                              "en": "Försäkringskassan (social insurance)"},
        "other_public": {"sv": "annan offentlig aktör", "en": "other public body"},
        "social_enterprise": {"sv": "socialt företag", "en": "social enterprise"},
        "association": {"sv": "förening", "en": "association"},
        "company": {"sv": "företag", "en": "company"},
        "support_org": {"sv": "stödorganisation", "en": "support organisation"},
        "foundation": {"sv": "stiftelse", "en": "foundation"},
        "university": {"sv": "universitet", "en": "university"},
        "project": {"sv": "projekt", "en": "project"},
        "other": {"sv": "övrig", "en": "other"},
    },
    "relation": {  # ties.csv relation
        "information": {"sv": "informationsutbyte", "en": "information exchange"},
        "referral": {"sv": "hänvisning", "en": "referral"},
        "collaboration": {"sv": "samverkan", "en": "collaboration"},
        "joint_activity": {"sv": "gemensam aktivitet", "en": "joint activity"},
        "agreement": {"sv": "avtal", "en": "agreement"},
        "funding": {"sv": "finansiering", "en": "funding"},
        "other": {"sv": "övrigt", "en": "other"},
    },
    "affiliation": {  # affiliations.csv relation
        "member_of": {"sv": "medlem i", "en": "member of"},
        "owns": {"sv": "äger", "en": "owns"},
        "funds": {"sv": "finansierar", "en": "funds"},
        "agreement": {"sv": "avtal", "en": "agreement"},
        "partner_in": {"sv": "partner i", "en": "partner in"},
        "collaborates": {"sv": "samverkar med", "en": "collaborates with"},
        "advises": {"sv": "ger råd till", "en": "advises"},
        "spun_off_from": {"sv": "avknoppning från", "en": "spun off from"},
        "other": {"sv": "övrigt", "en": "other"},
    },
    "program": {
        "sysselsattning": {"sv": "sysselsättning", "en": "daily activity (sysselsättning)"},
        "lonebidrag": {"sv": "lönebidrag", "en": "wage subsidy (lönebidrag)"},
        "praktik": {"sv": "praktik", "en": "work placement (praktik)"},
        "arbetstraning": {"sv": "arbetsträning", "en": "work training (arbetsträning)"},
        "nystartsjobb": {"sv": "nystartsjobb", "en": "new-start job (nystartsjobb)"},
        "other": {"sv": "övrigt", "en": "other"},
    },
    "outcome": {
        "work": {"sv": "arbete", "en": "work"},
        "studies": {"sv": "studier", "en": "studies"},
        "other_support": {"sv": "annat stöd", "en": "other support"},
        "none": {"sv": "inget", "en": "none"},
        "unknown": {"sv": "okänt", "en": "unknown"},
    },
    "status": {  # respondents.csv status
        "completed": {"sv": "svarade", "en": "answered"},
        "declined": {"sv": "avböjde", "en": "declined"},
        "not_reached": {"sv": "nåddes inte", "en": "not reached"},
        "not_asked": {"sv": "inte tillfrågad", "en": "not asked"},
    },
    "layer": {  # network layers (netsoc.graphs.Networks)
        "reported": {"sv": "rapporterade relationer", "en": "reported ties"},
        "collaboration": {"sv": "samverkan", "en": "collaboration"},
        "formal": {"sv": "formella relationer", "en": "formal ties"},
        "placement": {"sv": "placeringar", "en": "placements"},
        "coplacement": {"sv": "gemensamma deltagare", "en": "shared participants"},
    },
    "lisa": {  # local Moran's I cluster of the need-access gap (netsoc.geo)
        "HH": {"sv": "högt gap bland höga (HH)", "en": "high gap among high (HH)"},
        "LL": {"sv": "lågt gap bland låga (LL)", "en": "low gap among low (LL)"},
        "HL": {"sv": "högt gap bland låga (HL)", "en": "high gap among low (HL)"},
        "LH": {"sv": "lågt gap bland höga (LH)", "en": "low gap among high (LH)"},
        "ns": {"sv": "ej signifikant", "en": "not significant"},
    },
    "unit": {  # what a count in a note counts
        "rows": {"sv": "rader", "en": "rows"},
        "actors": {"sv": "aktörer", "en": "actors"},
        "pairs": {"sv": "par", "en": "pairs"},
    },
    "model_level": {
        "placement": {"sv": "placering", "en": "placement"},
        "actor": {"sv": "aktör", "en": "actor"},
        "kommun": {"sv": "kommun", "en": "kommun"},
        "dyad": {"sv": "aktörspar", "en": "actor pair"},
    },
}

#: model predictor columns whose values are vocabulary codes (``C(host_type)[T.company]``)
TERM_KINDS: dict[str, str] = {
    "type": "type", "host_type": "type", "referrer_type": "type", "from_type": "type",
    "to_type": "type", "program": "program", "outcome": "outcome",
}


def label(kind: str, value: object, lang: str = "en") -> str:
    """A vocabulary code as a word in ``lang``; unknown codes are returned as given.

    >>> label("lisa", "HH", "sv")
    'högt gap bland höga (HH)'
    >>> label("type", "made_up", "sv")
    'made_up'
    """
    words = VOCAB.get(kind, {}).get(str(value))
    return words[lang] if words else ("" if value is None else str(value))


def term_label(term: object, lang: str = "en") -> str:
    """A model term with its category in words: ``C(host_type)[T.company]`` -> ``host_type = företag``.

    >>> term_label("C(host_type)[T.social_enterprise]", "sv")
    'host_type = socialt företag'
    """
    m = _TERM.match(str(term))
    if not m:
        return str(term)
    col, level = m.group(1) or m.group(3), m.group(2) or m.group(4)
    kind = TERM_KINDS.get(col)
    return f"{col} = {label(kind, level, lang) if kind else level}"


_TERM = re.compile(r"^C\((\w+)[^)]*\)\[T\.(.+)\]$|^(\w+) = (.+)$")


def localize_number(text: str, lang: str) -> str:
    """A number formatted the Python way (``1,234.5``, ``-0.2``) in ``lang``'s style.

    Swedish: thin no-break space for thousands, decimal comma, true minus sign.
    """
    if lang == "sv":
        return text.replace(",", "\u202f").replace(".", ",").replace("-", "\u2212")
    return text


class _Formatter(string.Formatter):
    def __init__(self, lang: str):
        super().__init__()
        self.lang = lang

    def format_field(self, value, spec: str) -> str:
        if isinstance(value, Note):
            return value.render(self.lang)
        if isinstance(value, (list, tuple)):
            sep = "; " if any(isinstance(v, Note) for v in value) else ", "
            return sep.join(self.format_field(v, spec) for v in value)
        if spec == "@term":
            return term_label(value, self.lang)
        if spec.startswith("@"):
            return label(spec[1:], value, self.lang)
        if isinstance(value, numbers.Number) and not isinstance(value, bool):
            return localize_number(format(value, spec), self.lang)
        return format(value, spec)


def render(key: str, lang: str, params: Mapping[str, object] | None = None) -> str:
    """The catalogue sentence ``key`` in ``lang`` with ``params`` filled in."""
    if lang not in LANGS:
        raise ValueError(f"language must be 'sv' or 'en', not {lang!r}")
    return _Formatter(lang).vformat(NOTES[key][lang], (), dict(params or {}))


class Note(str):
    """A plain-language sentence for readers: English as a ``str``, any language on request.

    Parameters
    ----------
    key : str
        Catalogue key in :data:`NOTES` (a ``KeyError`` names an unknown key).
    **params
        Values for the template's fields: numbers, text, lists, vocabulary
        codes or other notes.

    Examples
    --------
    >>> n = Note("waves.response_differs", counts=[Note("waves.count", wave=1, n=10)])
    >>> n.render("sv").startswith("Antalet aktörer som svarade skiljer sig")
    True
    """

    key: str
    params: dict

    def __new__(cls, key: str, **params: object) -> Note:
        self = super().__new__(cls, render(key, "en", params))
        self.key = key
        self.params = params
        return self

    def render(self, lang: str) -> str:
        """The sentence in ``lang`` (``"sv"`` or ``"en"``)."""
        return render(self.key, lang, self.params)

    def __reduce__(self):
        return (_make_note, (self.key, self.params))


def _make_note(key: str, params: dict) -> Note:
    return Note(key, **params)


def text(value: object, lang: str) -> str:
    """A note in ``lang``; anything else as ``str``."""
    return value.render(lang) if isinstance(value, Note) else str(value)


NOTES: dict[str, dict[str, str]] = {}
# Every sentence a stage shows to readers. Keys are "<module>.<what>"; both
# languages take the same fields. Field specs: "{x:.2f}" a number per language,
# "{t:@type}" a vocabulary word (VOCAB kind), "{t:@term}" a model term in words.
NOTES.update({
    # netsoc.pipeline / netsoc.report
    "pipeline.no_clear_communities": {
        "en": "No clear community structure on the {layer} layer: {reasons}.",
        "sv": "Ingen tydlig klusterstruktur i lagret {layer:@layer}: {reasons}.",
    },
    "pipeline.geo_skipped": {
        "en": "geography skipped: {error}",
        "sv": "geografin hoppades över: {error}",
    },
    "pipeline.model_failed": {
        "en": "Model {model} could not be fitted: {message}",
        "sv": "Modellen {model} kunde inte skattas: {message}",
    },
    "report.section_failed": {
        "en": "report section {section} failed: {error}",
        "sv": "rapportavsnittet {section} kunde inte skapas: {error}",
    },
    # netsoc.measures
    "measures.pivot_betweenness": {
        "en": "betweenness in the {runs} perturbation runs estimated from {pivots} random pivot "
        "nodes per run (graph of {n} nodes)",
        "sv": "mellanheten i de {runs} störda körningarna skattades från {pivots} slumpvis valda "
        "startnoder per körning (nätverk med {n} noder)",
    },
    "measures.pivot_betweenness_fewer_runs": {
        "en": "betweenness in the perturbation runs estimated from {pivots} random pivot nodes "
        "per run (graph of {n} nodes), and {runs} runs instead of {requested} at this size",
        "sv": "mellanheten i de störda körningarna skattades från {pivots} slumpvis valda "
        "startnoder per körning (nätverk med {n} noder), och {runs} körningar i stället för "
        "{requested} vid denna storlek",
    },
    "measures.centralization_estimated": {
        "en": "betweenness centralization of the {layer:@layer} layer ({n} nodes, {m} ties) "
        "estimated from {pivots} random pivot nodes (exact betweenness would take too long "
        "at this size)",
        "sv": "mellanhetscentraliseringen i lagret {layer:@layer} ({n} noder, {m} relationer) "
        "skattades från {pivots} slumpvis valda startnoder (exakt mellanhet skulle ta för "
        "lång tid vid denna storlek)",
    },
    "measures.no_respondent_ties": {
        "en": "no tie joins two respondents: ties of non-respondents were not dropped",
        "sv": "ingen relation förbinder två svarande: icke-svarandes relationer togs inte bort",
    },
    # netsoc.waves
    "waves.response_differs": {
        "en": "The number of actors who answered differs between waves ({counts}); some ties that "
        "appear new or dropped may only reflect who answered.",
        "sv": "Antalet aktörer som svarade skiljer sig mellan mätomgångarna ({counts}); en del "
        "relationer som ser nya eller upphörda ut kan bero på vilka som svarade.",
    },
    "waves.count": {"en": "wave {wave}: {n}", "sv": "omgång {wave}: {n}"},
    # netsoc.communities (reasons for the verdict on the community structure)
    "communities.no_ties": {"en": "the layer has no ties", "sv": "lagret saknar relationer"},
    "communities.too_few": {
        "en": "the consensus has {n} community of two or more actors",
        "sv": "konsensusindelningen har {n} kluster med två eller fler aktörer",
    },
    "communities.not_above_null": {
        "en": "modularity {obs:.3f} is not clearly above what degree-preserving random rewirings "
        "give ({mean:.3f}, z = {z:.1f}, p = {p:.3f})",
        "sv": "modulariteten {obs:.3f} är inte tydligt högre än i slumpmässigt omkopplade nätverk "
        "med samma gradfördelning ({mean:.3f}, z = {z:.1f}, p = {p:.3f})",
    },
    "communities.no_null": {
        "en": "no null-model comparison was made",
        "sv": "ingen jämförelse med slumpnätverk gjordes",
    },
    "communities.runs_disagree": {
        "en": "runs disagree: mean adjusted Rand index {ari:.2f} < {min_ari:g} and mean actor "
        "stability {stability:.2f} < {min_stability:g}",
        "sv": "körningarna är oeniga: justerat Rand-index i snitt {ari:.2f} < {min_ari:g} och "
        "aktörernas stabilitet i snitt {stability:.2f} < {min_stability:g}",
    },
    "communities.clear": {
        "en": "modularity {obs:.3f} above the null ({mean:.3f}, z = {z:.1f}) and runs agree (mean "
        "adjusted Rand index {ari:.2f}, mean actor stability {stability:.2f})",
        "sv": "modulariteten {obs:.3f} är högre än i slumpnätverk ({mean:.3f}, z = {z:.1f}) och "
        "körningarna är eniga (justerat Rand-index i snitt {ari:.2f}, aktörernas stabilitet i "
        "snitt {stability:.2f})",
    },
    # netsoc.geo
    "geo.unknown_kommun_codes": {
        "en": "kommun codes not in the map data (left out of geography): {codes}",
        "sv": "kommunkoder som inte finns i kartdata (utelämnade i geografin): {codes}",
    },
    "geo.need_missing_use_population": {
        "en": "need indicator {indicator} missing: access uses population as demand",
        "sv": "behovsindikatorn {indicator} saknas: tillgången räknas med befolkningen som "
        "efterfrågan",
    },
    "geo.no_need_or_population": {
        "en": "no need or population indicator: access cannot be computed",
        "sv": "varken behovs- eller befolkningsindikator finns: tillgången kan inte beräknas",
    },
    "geo.no_need_data": {
        "en": "no need data for {n} kommun(er) in scope ({codes}): no need rate or gap, and zero "
        "demand in the access computation",
        "sv": "behovsdata saknas för {n} kommun(er) i urvalet ({codes}): ingen behovsandel eller "
        "gap, och noll efterfrågan i tillgångsberäkningen",
    },
    "geo.no_supply": {
        "en": "no supply-side actor with capacity or hosted placements: access is zero",
        "sv": "ingen aktör på utbudssidan har platser eller placeringar: tillgången är noll",
    },
    "geo.lisa_skipped": {
        "en": "local Moran's I needs at least four kommuner with a varying gap; all kommuner are "
        "marked ns",
        "sv": "lokalt Morans I kräver minst fyra kommuner med varierande gap; alla kommuner "
        "markeras som ej signifikanta (ns)",
    },
    "geo.need_years_differ": {
        "en": "need indicator years differ between kommuner ({first}–{last}): the latest per "
        "kommun is used",
        "sv": "behovsindikatorns år skiljer sig mellan kommunerna ({first}–{last}): det senaste "
        "året per kommun används",
    },
    "geo.bad_scope": {
        "en": "geography.scope must be one of {choices}, not {scope!r}",
        "sv": "geography.scope måste vara en av {choices}, inte {scope!r}",
    },
    "geo.bad_need_unit": {
        "en": "geography.need_unit must be one of {choices}, not {unit!r}",
        "sv": "geography.need_unit måste vara en av {choices}, inte {unit!r}",
    },
    "geo.bad_catchment": {
        "en": "geography.catchment_km must be a positive number of kilometres",
        "sv": "geography.catchment_km måste vara ett positivt antal kilometer",
    },
    "geo.no_kommun_in_scope": {
        "en": "no kommun in scope: no actor has a known kommun_kod (set geography.scope = \"lan\" "
        "or \"sweden\", or list geography.kommuner)",
        "sv": "ingen kommun i urvalet: ingen aktör har en känd kommun_kod (sätt geography.scope = "
        "\"lan\" eller \"sweden\", eller lista geography.kommuner)",
    },
    "geo.reason_zero": {
        "en": "need rate {rate:.3g}{pct} above the median {median:.3g}{pct}; no access: no places "
        "within {km:.3g} km",
        "sv": "behovsandel {rate:.3g}{pct} över medianen {median:.3g}{pct}; ingen tillgång: inga "
        "platser inom {km:.3g} km",
    },
    "geo.reason_low": {
        "en": "need rate {rate:.3g}{pct} above the median {median:.3g}{pct}; access {access:.3g} "
        "places per 1,000 in need, bottom quintile (≤ {q20:.3g})",
        "sv": "behovsandel {rate:.3g}{pct} över medianen {median:.3g}{pct}; tillgång {access:.3g} "
        "platser per 1 000 i behov, lägsta femtedelen (≤ {q20:.3g})",
    },
    # netsoc.models: analysis frames and default models
    "models.dyad_tie_union": {
        "en": "The dyad frame's tie is the union of reported ties (no networks object given).",
        "sv": "Aktörsparens relation är unionen av de rapporterade relationerna (inget "
        "nätverksobjekt gavs).",
    },
    "models.no_coordinates": {
        "en": "{n} actor(s) have neither coordinates nor a known kommun, so their distance_km is "
        "empty.",
        "sv": "{n} aktör(er) saknar både koordinater och känd kommun, så deras avstånd "
        "(distance_km) är tomt.",
    },
    "models.dyad_too_large": {
        "en": "The dyad frame was not built: {n} actors give {pairs:,} pairs (limit {limit} "
        "actors).",
        "sv": "Tabellen över aktörspar byggdes inte: {n} aktörer ger {pairs:,} par (gränsen är "
        "{limit} aktörer).",
    },
    "models.default_placement_unavailable": {
        "en": "The default placement model leaves out {column}: not available.",
        "sv": "Standardmodellen för placeringar utelämnar {column}: uppgiften saknas.",
    },
    "models.default_placement_no_variation": {
        "en": "The default placement model leaves out {column}: no variation among placements "
        "with a known outcome.",
        "sv": "Standardmodellen för placeringar utelämnar {column}: värdet varierar inte bland "
        "placeringar med känt utfall.",
    },
    "models.default_dyad_no_variation": {
        "en": "The default dyad model leaves out {column} (no variation).",
        "sv": "Standardmodellen för aktörspar utelämnar {column} (ingen variation).",
    },
    "models.default_dyad_collinear": {
        "en": "The default dyad model leaves out {column}: it is collinear with {terms}.",
        "sv": "Standardmodellen för aktörspar utelämnar {column}: den är kollinjär med {terms}.",
    },
    "models.the_constant": {"en": "the constant", "sv": "konstanten"},
    "models.defaults_fitted": {
        "en": "No [[model]] in study.toml: default models were fitted.",
        "sv": "study.toml har ingen [[model]]: standardmodellerna skattades.",
    },
    # netsoc.models: why a model could not be fitted
    "models.fit_error": {
        "en": "The model could not be fitted ({error_type}: {error}).",
        "sv": "Modellen kunde inte skattas ({error_type}: {error}).",
    },
    "models.unknown_level": {
        "en": "Unknown level '{level}' (use {choices}).",
        "sv": "Okänd nivå '{level}' (använd {choices}).",
    },
    "models.unknown_family": {
        "en": "Unknown family '{family}' (use {choices}).",
        "sv": "Okänd fördelning '{family}' (använd {choices}).",
    },
    "models.unknown_method": {
        "en": "Unknown method '{method}' (use glm, gee, mixed or mrqap).",
        "sv": "Okänd metod '{method}' (använd glm, gee, mixed eller mrqap).",
    },
    "models.dyad_needs_mrqap": {
        "en": "Dyad-level models are fitted with MRQAP (method 'mrqap').",
        "sv": "Modeller för aktörspar skattas med MRQAP (method 'mrqap').",
    },
    "models.mrqap_dyad_only": {
        "en": "MRQAP is for dyad-level models only.",
        "sv": "MRQAP är bara till för modeller för aktörspar.",
    },
    "models.no_frame": {
        "en": "There is no {level} frame (the data for it is missing).",
        "sv": "Det finns ingen analystabell på nivån {level:@model_level} (data saknas).",
    },
    "models.no_tilde": {
        "en": "The formula '{formula}' has no '~' (write it as 'outcome ~ predictors').",
        "sv": "Formeln '{formula}' saknar '~' (skriv den som 'utfall ~ förklarande variabler').",
    },
    "models.outcome_not_column": {
        "en": "The outcome '{outcome}' is not a column of the {level} frame.",
        "sv": "Utfallet '{outcome}' är ingen kolumn i analystabellen på nivån "
        "{level:@model_level}.",
    },
    "models.no_complete_row": {
        "en": "No row has all the model's variables: {missing}.",
        "sv": "Ingen rad har alla modellens variabler: {missing}.",
    },
    "models.missing_in": {"en": "{column} missing in {n}", "sv": "{column} saknas i {n}"},
    "models.constant_predictors": {
        "en": "These predictors have the same value in every row used, so their effect cannot be "
        "estimated: {terms}.",
        "sv": "De här förklarande variablerna har samma värde i alla rader som används, så deras "
        "effekt kan inte skattas: {terms}.",
    },
    "models.always": {"en": "{column} (always {value})", "sv": "{column} (alltid {value})"},
    "models.formula_unreadable": {
        "en": "The formula could not be read: {error}",
        "sv": "Formeln kunde inte läsas: {error}",
    },
    "models.outcome_not_single": {
        "en": "The outcome '{outcome}' must be a single numeric column (a text outcome gives one "
        "column per category).",
        "sv": "Utfallet '{outcome}' måste vara en enda numerisk kolumn (ett textutfall ger en "
        "kolumn per kategori).",
    },
    "models.outcome_no_variation": {
        "en": "The outcome '{outcome}' has no variation (every one of the {n} rows used is "
        "{value:g}); there is nothing to model.",
        "sv": "Utfallet '{outcome}' varierar inte (alla {n} rader som används har värdet "
        "{value:g}); det finns inget att modellera.",
    },
    "models.binomial_not_01": {
        "en": "A binomial model needs a 0/1 outcome; '{outcome}' has other values.",
        "sv": "En binomialmodell kräver ett utfall som är 0 eller 1; '{outcome}' har andra värden.",
    },
    "models.count_negative": {
        "en": "A count model needs a non-negative outcome; '{outcome}' has negatives.",
        "sv": "En modell för antal kräver ett icke-negativt utfall; '{outcome}' har negativa "
        "värden.",
    },
    "models.too_few_rows": {
        "en": "Too few rows: {n} rows for {k} coefficients.",
        "sv": "För få rader: {n} rader för {k} koefficienter.",
    },
    "models.collinear": {
        "en": "The predictors are collinear (the design has rank {rank} for {k} coefficients): "
        "one predictor is a combination of others.",
        "sv": "De förklarande variablerna är kollinjära (designmatrisen har rang {rank} för {k} "
        "koefficienter): en variabel är en kombination av andra.",
    },
    "models.needs_cluster": {
        "en": "A {method} model needs a 'cluster' column (the groups).",
        "sv": "En {method}-modell behöver en 'cluster'-kolumn (grupperna).",
    },
    "models.cluster_not_column": {
        "en": "The cluster column '{cluster}' is not in the {level} frame.",
        "sv": "Klusterkolumnen '{cluster}' finns inte i analystabellen på nivån "
        "{level:@model_level}.",
    },
    "models.no_dyad_frame": {
        "en": "There is no dyad frame (too few actors, or too many for MRQAP).",
        "sv": "Det finns ingen tabell över aktörspar (för få aktörer, eller för många för MRQAP).",
    },
    "models.mrqap_family": {
        "en": "MRQAP fits a linear model (OLS); use family gaussian (valued ties) or binomial (0/1 "
        "ties, linear probability).",
        "sv": "MRQAP skattar en linjär modell (OLS); använd family gaussian (värderade relationer) "
        "eller binomial (relation 0/1, linjär sannolikhet).",
    },
    "models.mrqap_too_few": {
        "en": "Too few actors with complete data for MRQAP ({n}; at least 4 needed).",
        "sv": "För få aktörer med fullständiga data för MRQAP ({n}; minst 4 behövs).",
    },
    "models.mrqap_too_large": {
        "en": "MRQAP with {n} actors ({pairs:,} pairs) is too large for the permutation test "
        "(limit {limit} actors; raise it with the model option max_actors).",
        "sv": "MRQAP med {n} aktörer ({pairs:,} par) är för stort för permutationstestet (gränsen "
        "är {limit} aktörer; höj den med modellens inställning max_actors).",
    },
    "models.too_few_clusters": {
        "en": "Only {n} cluster(s) of '{cluster}' among the rows used: clustered standard errors "
        "need at least 2 clusters (and about 20 to be reliable).",
        "sv": "Bara {n} kluster av '{cluster}' bland de rader som används: klusterrobusta "
        "standardfel kräver minst 2 kluster (och omkring 20 för att vara tillförlitliga).",
    },
    "models.mixed_nb_unavailable": {
        "en": "A mixed negative binomial model is not available; use method 'glm' with a cluster "
        "(cluster-robust SEs) or a poisson mixed model.",
        "sv": "En blandad negativ binomialmodell finns inte; använd method 'glm' med ett kluster "
        "(klusterrobusta standardfel) eller en blandad poissonmodell.",
    },
    # netsoc.models: warnings on a fitted model
    "models.missing_rows": {
        "en": "{dropped} of {n_rows} {unit} ({pct:.1f} %) were left out because of missing "
        "values{parts}.",
        "sv": "{dropped} av {n_rows} {unit:@unit} ({pct:.1f} %) utelämnades på grund av saknade "
        "värden{parts}.",
    },
    "models.missing_per_variable": {
        "en": " (missing per variable: {parts})",
        "sv": " (saknade per variabel: {parts})",
    },
    "models.pooled_clusters": {
        "en": "{pooled} of {n_raw} clusters of '{cluster}' had fewer than {min_size} rows and were "
        "merged with other clusters (now {n} clusters); no row was dropped.",
        "sv": "{pooled} av {n_raw} kluster av '{cluster}' hade färre än {min_size} rader och slogs "
        "ihop med andra kluster (nu {n} kluster); ingen rad togs bort.",
    },
    "models.few_clusters": {
        "en": "Only {n} clusters of '{cluster}': clustered standard errors and p-values are "
        "unreliable with fewer than about {min_clusters} clusters (too optimistic). Read them "
        "with caution.",
        "sv": "Bara {n} kluster av '{cluster}': klusterrobusta standardfel och p-värden är "
        "otillförlitliga (för optimistiska) med färre än omkring {min_clusters} kluster. Läs dem "
        "med försiktighet.",
    },
    "models.clusters_lt_coefs": {
        "en": "There are fewer clusters ({n}) than coefficients ({k}): the cluster-robust "
        "covariance is rank deficient and joint tests are not possible.",
        "sv": "Det finns färre kluster ({n}) än koefficienter ({k}): den klusterrobusta "
        "kovariansmatrisen har för låg rang och gemensamma test är inte möjliga.",
    },
    "models.gee_nb_alpha": {
        "en": "GEE negative binomial uses a fixed dispersion alpha = 1.",
        "sv": "GEE med negativ binomialfördelning använder en fast dispersion alfa = 1.",
    },
    "models.mixed_vb": {
        "en": "Mixed model fitted by variational Bayes (posterior mean and SD; p-values from the "
        "normal approximation).",
        "sv": "Den blandade modellen skattades med variationell Bayes (posteriort medelvärde och "
        "standardavvikelse; p-värden från normalapproximationen).",
    },
    "models.statsmodels_separation": {
        "en": "statsmodels reports perfect separation: {detail}",
        "sv": "statsmodels rapporterar fullständig separation: {detail}",
    },
    "models.not_converged": {
        "en": "The fit did not converge; the estimates may be unreliable ({detail}).",
        "sv": "Skattningen konvergerade inte; skattningarna kan vara otillförlitliga ({detail}).",
    },
    "models.separation": {
        "en": "All {n} rows with {who} have {outcome} = {value:g} (separation): the estimate for "
        "this term runs off towards infinity and its standard error and p-value are not "
        "meaningful. Merge this category with another or leave it out.",
        "sv": "Alla {n} rader med {who} har {outcome} = {value:g} (separation): skattningen för "
        "termen går mot oändligheten och dess standardfel och p-värde är meningslösa. Slå ihop "
        "kategorin med en annan eller utelämna den.",
    },
    "models.term": {"en": "{term:@term}", "sv": "{term:@term}"},
    "models.not_term": {"en": "not {term:@term}", "sv": "annat än {term:@term}"},
    "models.quasi_separation": {
        "en": "The model predicts {outcome} almost perfectly for {n} rows (quasi-complete "
        "separation); estimates may be unstable.",
        "sv": "Modellen förutsäger {outcome} nästan perfekt för {n} rader (nästan fullständig "
        "separation); skattningarna kan vara instabila.",
    },
    "models.se_not_finite": {
        "en": "Some standard errors could not be computed (not finite).",
        "sv": "Några standardfel kunde inte beräknas (inte ändliga).",
    },
    "models.mrqap_dropped": {
        "en": "MRQAP needs complete matrices: {n_dropped} of {n_all} actors with missing values "
        "({missing}) were left out ({pairs_dropped} of {pairs} pairs): {shown}.",
        "sv": "MRQAP kräver fullständiga matriser: {n_dropped} av {n_all} aktörer med saknade "
        "värden ({missing}) utelämnades ({pairs_dropped} av {pairs} par): {shown}.",
    },
    "models.missing_pairs": {"en": "{column}: {n} pairs", "sv": "{column}: {n} par"},
    "models.lpm": {
        "en": "The 0/1 tie is modelled as a linear probability (OLS), as sna::netlm does; "
        "coefficients are differences in the probability of a tie.",
        "sv": "Relationen (0/1) modelleras som en linjär sannolikhet (OLS), som i sna::netlm; "
        "koefficienterna är skillnader i sannolikheten för en relation.",
    },
})

# the network-level models' notes live beside their own catalogue file (keeps this one short)
from netsoc._notes_network import NETWORK_MODEL_NOTES  # noqa: E402

NOTES.update(NETWORK_MODEL_NOTES)
