"""Vocabularies of the stakeholder analysis: attributes and their scales, PARTNER
items, resources, quadrants, salience classes, the words for them in sv and en,
and the file / column declarations in the style of :mod:`netsoc.schema`."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

import pandas as pd

from netsoc.schema import Column, FileSpec

#: attribute -> (lowest, highest) allowed integer value in ``stakeholders.csv``
STAKEHOLDER_ATTRIBUTES: dict[str, tuple[int, int]] = {
    "influence": (1, 5),
    "interest": (1, 5),
    "power": (1, 5),
    "legitimacy": (1, 5),
    "urgency": (1, 5),
    "attitude": (-2, 2),
}
TRUST_ITEMS: tuple[str, ...] = ("trust_reliable", "trust_mission", "trust_open")
VALUE_ITEMS: tuple[str, ...] = ("value_power", "value_involvement", "value_resources")
#: lowest and highest value of a PARTNER item
ITEM_RANGE: tuple[int, int] = (1, 4)
RESOURCES: tuple[str, ...] = (
    "funding", "in_kind", "paid_staff", "volunteers", "data", "expertise",
    "community_connections", "facilitation", "information", "decision_making", "other",
)
QUADRANTS: tuple[str, ...] = ("manage_closely", "keep_satisfied", "keep_informed", "monitor")
#: (power, legitimacy, urgency) present -> Mitchell, Agle & Wood (1997) class
SALIENCE: dict[tuple[bool, bool, bool], str] = {
    (False, False, False): "non_stakeholder",
    (True, False, False): "dormant",
    (False, True, False): "discretionary",
    (False, False, True): "demanding",
    (True, True, False): "dominant",
    (True, False, True): "dangerous",
    (False, True, True): "dependent",
    (True, True, True): "definitive",
}
#: contract columns of ``tables/stakeholders.csv``, in order
TABLE_COLUMNS: tuple[str, ...] = (
    "actor_id", "name", "type", *STAKEHOLDER_ATTRIBUTES, "n_raters", "quadrant", "salience",
    "trust_received", "value_received", "n_trust_ratings", "resources_named",
)
HIGH = 3.0  # a mean above this is "high" / "present"
_EPS = 1e-9  # a mean of exactly 3 that rounding pushed to 3.0000000000000004 is still 3

#: the file and the tie columns, declared as ``netsoc.schema`` declares the others
#: (integration: ``STAKEHOLDERS`` joins ``schema.FILES``, ``TIE_RATING_COLUMNS`` ``schema.TIES``)
STAKEHOLDERS = FileSpec(
    "stakeholders",
    (
        Column("actor_id", True, kind="actor", description="actor rated"),
        Column("attribute", True, choices=tuple(STAKEHOLDER_ATTRIBUTES)),
        Column("value", True, kind="int", description="1-5 (attitude -2..+2)"),
        Column("rater_id", kind="actor", description="who rated; empty = the analyst"),
        Column("wave", kind="int", default=1),
        Column("note"),
    ),
    key=("actor_id", "attribute", "rater_id", "wave"),
    description="stakeholder ratings, long format",
)
TIE_RATING_COLUMNS: tuple[Column, ...] = (
    *(Column(c, kind="int", description="PARTNER trust item, 1-4") for c in TRUST_ITEMS),
    *(Column(c, kind="int", description="PARTNER value item, 1-4") for c in VALUE_ITEMS),
    Column("resources", description="';'-separated resources the alter contributes"),
)

#: words for the codes, shaped like ``netsoc.i18n.VOCAB`` (integration: merge there)
VOCAB: dict[str, dict[str, dict[str, str]]] = {
    "quadrant": {
        "manage_closely": {"sv": "Samverka nära", "en": "Manage closely"},
        "keep_satisfied": {"sv": "Håll nöjd", "en": "Keep satisfied"},
        "keep_informed": {"sv": "Håll informerad", "en": "Keep informed"},
        "monitor": {"sv": "Bevaka", "en": "Monitor"},
    },
    "salience": {
        "non_stakeholder": {"sv": "ingen intressent", "en": "non-stakeholder"},
        "dormant": {"sv": "vilande", "en": "dormant"},
        "discretionary": {"sv": "skönsmässig", "en": "discretionary"},
        "demanding": {"sv": "krävande", "en": "demanding"},
        "dominant": {"sv": "dominerande", "en": "dominant"},
        "dangerous": {"sv": "farlig", "en": "dangerous"},
        "dependent": {"sv": "beroende", "en": "dependent"},
        "definitive": {"sv": "avgörande", "en": "definitive"},
    },
    "attribute": {
        "influence": {"sv": "inflytande", "en": "influence"},
        "interest": {"sv": "intresse", "en": "interest"},
        "power": {"sv": "makt", "en": "power"},
        "legitimacy": {"sv": "legitimitet", "en": "legitimacy"},
        "urgency": {"sv": "angelägenhet", "en": "urgency"},
        "attitude": {"sv": "inställning", "en": "attitude"},
    },
    "resource": {
        "funding": {"sv": "finansiering", "en": "funding"},
        "in_kind": {"sv": "resurser in natura", "en": "in-kind resources"},
        "paid_staff": {"sv": "anställd personal", "en": "paid staff"},
        "volunteers": {"sv": "volontärer", "en": "volunteers"},
        "data": {"sv": "data", "en": "data"},
        "expertise": {"sv": "expertkunskap", "en": "expertise"},
        "community_connections": {"sv": "lokala kontakter", "en": "community connections"},
        "facilitation": {"sv": "processledning", "en": "facilitation"},
        "information": {"sv": "information", "en": "information"},
        "decision_making": {"sv": "beslutsmandat", "en": "decision-making"},
        "other": {"sv": "annat", "en": "other"},
    },
}

#: other (folded) names users write -> code; used only for "did you mean", never to change data
_ATTRIBUTE_SYNONYMS = {
    "inflytande": "influence", "intresse": "interest", "makt": "power",
    "legitimitet": "legitimacy", "angelagenhet": "urgency", "bradska": "urgency",
    "installning": "attitude", "attityd": "attitude",
}
_RESOURCE_SYNONYMS = {
    "finansiering": "funding", "pengar": "funding", "money": "funding", "staff": "paid_staff",
    "personal": "paid_staff", "volontarer": "volunteers", "kunskap": "expertise",
    "expertis": "expertise", "kontakter": "community_connections", "beslut": "decision_making",
}


def label(kind: str, code: object, lang: str = "en") -> str:
    """A stakeholder code (quadrant, salience, attribute, resource) as a word in ``lang``.

    Examples
    --------
    >>> label("quadrant", "manage_closely", "sv")
    'Samverka nära'
    >>> label("salience", "definitive", "en")
    'definitive'
    """
    words = VOCAB.get(kind, {}).get(str(code))
    return words[lang] if words else ("" if code is None or code is pd.NA else str(code))

def _fold(text: object) -> str:
    text = unicodedata.normalize("NFKD", str(text).strip().lower())
    return "".join(c for c in text if not unicodedata.combining(c)).replace(" ", "_").replace(
        "-", "_")


def _header(df: pd.DataFrame, names: Iterable[str]) -> pd.DataFrame:
    """Rename headers written as ``Actor ID`` / ``Trust-Reliable`` to their contract names."""
    known = {_fold(n): n for n in names}
    return df.rename(columns={c: known[_fold(c)] for c in df.columns
                              if isinstance(c, str) and _fold(c) in known and c != known[_fold(c)]})
