"""Vocabularies of the stakeholder analysis: attributes and their scales, PARTNER
items, resources, quadrants, salience classes and the words for them in sv and en.

The file and column declarations live in :mod:`netsoc.schema` (``STAKEHOLDERS``,
``TIE_RATING_COLUMNS``) and the words in :data:`netsoc.i18n.VOCAB` (kinds
``quadrant, salience, attribute, resource``); both are re-exported here.
"""

from __future__ import annotations

import pandas as pd

from netsoc.i18n import VOCAB as _I18N_VOCAB
from netsoc.io.ratings import _ATTRIBUTE_SYNONYMS, _RESOURCE_SYNONYMS, _fold, _header
from netsoc.schema import (
    ITEM_RANGE,
    RESOURCES,
    STAKEHOLDER_ATTRIBUTES,
    STAKEHOLDERS,
    TIE_RATING_COLUMNS,
    TIE_RATING_NAMES,
    TRUST_ITEMS,
    VALUE_ITEMS,
)

__all__ = [
    "HIGH", "ITEM_RANGE", "QUADRANTS", "RESOURCES", "SALIENCE", "STAKEHOLDERS",
    "STAKEHOLDER_ATTRIBUTES", "TABLE_COLUMNS", "TIE_RATING_COLUMNS", "TIE_RATING_NAMES",
    "TRUST_ITEMS", "VALUE_ITEMS", "VOCAB", "_ATTRIBUTE_SYNONYMS", "_RESOURCE_SYNONYMS",
    "_fold", "_header", "label",
]

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

#: the words for the stakeholder codes: the kinds of :data:`netsoc.i18n.VOCAB` this stage adds
VOCAB: dict[str, dict[str, dict[str, str]]] = {
    kind: _I18N_VOCAB[kind] for kind in ("quadrant", "salience", "attribute", "resource")}


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
