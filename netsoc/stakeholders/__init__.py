"""Stakeholder analysis: influence, interest, salience, trust, value and resources.

One stage (``Study + Networks -> stakeholders``), one file per family:
:mod:`~netsoc.stakeholders.vocabulary` (codes, scales, words, file
declarations), :mod:`~netsoc.stakeholders.validation`,
:mod:`~netsoc.stakeholders.table` (the table and PARTNER scores),
:mod:`~netsoc.stakeholders.reading` (contrasts with network position) and
:mod:`~netsoc.stakeholders.grid` (the power-interest figure). Everything public
is importable from ``netsoc.stakeholders``.

Two optional inputs feed it (see ``docs/stakeholders-draft.md``):

- ``stakeholders.csv``, long format ``actor_id, attribute, value`` (plus
  ``rater_id, wave, note``): who has how much *influence*, *interest*, *power*,
  *legitimacy*, *urgency* (1-5) and which *attitude* (-2..+2), as rated by the
  analyst (empty ``rater_id``) or by other actors (Net-Map interviews,
  workshops, surveys);
- PARTNER-style dyad ratings as optional columns of ``ties.csv``: three trust
  items and three value items (1-4) that the respondent gives the alter, and the
  ``resources`` the respondent says the alter contributes.

From them come one row per rated actor (:func:`stakeholder_table`): mean
ratings, the Mendelow power-interest quadrant, the Mitchell-Agle-Wood
salience class, the trust and value the actor *receives* from its partners and
the resources they name; the whole network's PARTNER trust and value scores
(:func:`network_trust_value`); and plain-language contrasts with network
position (:func:`position_contrasts`). The grid figure is
:func:`power_interest_grid`.

Conventions
-----------
- *High* / *present* means a mean strictly above 3 (the midpoint of 1-5):
  a mean of exactly 3 is not high.
- *Latest wave*. A stakeholder rating without ``wave`` is wave 1. For each
  actor only the ratings of the latest wave in which *that actor* was rated
  (on any attribute, by anyone) are used; an attribute not rated in that wave
  is missing (not carried forward from an earlier wave), so each actor's
  profile describes one point in time. The same rule picks, per actor, the
  latest wave of the tie rows that rate it (trust, value or resources).
- A *dyad* is one (``respondent_id``, ``alter_id``, ``wave``). Its trust is the
  mean of the trust items given on its row; when a respondent reported several
  relations to the same alter and rated it on more than one of those rows, the
  dyad's trust is the mean over those rows, so a partner is counted once,
  however many relations it was named in (PARTNER asks once per partner).

References
----------
Mendelow, A. (1991). Stakeholder mapping. *Proceedings of the 2nd
International Conference on Information Systems*, Cambridge, MA.

Mitchell, R. K., Agle, B. R., & Wood, D. J. (1997). Toward a theory of
stakeholder identification and salience: defining the principle of who and
what really counts. *Academy of Management Review*, 22(4), 853-886.

Varda, D. M., Chandra, A., Stern, S. A., & Lurie, N. (2008). Core dimensions of
connectivity in public health collaboratives. *Journal of Public Health
Management and Practice*, 14(5), E1-E7.

Varda, D., Shoup, J. A., & Miller, S. (2012). A systematic review of
collaboration and network research in the public affairs literature.
*American Journal of Public Health*, 102(3), 564-571. (The PARTNER tool:
https://partnertool.net.)

Schiffer, E., & Hauck, J. (2010). Net-Map: collecting social network data and
facilitating network learning through participatory influence network
mapping. *Field Methods*, 22(3), 231-249.
"""

from netsoc.stakeholders.grid import grid_points, power_interest_grid
from netsoc.stakeholders.reading import (
    CONTRAST_TEXT,
    CONTRASTS,
    contrast_sentences,
    position_contrasts,
)
from netsoc.stakeholders.table import (
    actor_columns,
    dyad_ratings,
    latest_ratings,
    network_trust_value,
    quadrant,
    resource_counts,
    salience,
    stakeholder_table,
    trust_value_by_wave,
)
from netsoc.stakeholders.validation import split_rejects, validate_ratings, validate_tie_ratings
from netsoc.stakeholders.vocabulary import (
    HIGH,
    ITEM_RANGE,
    QUADRANTS,
    RESOURCES,
    SALIENCE,
    STAKEHOLDER_ATTRIBUTES,
    STAKEHOLDERS,
    TABLE_COLUMNS,
    TIE_RATING_COLUMNS,
    TRUST_ITEMS,
    VALUE_ITEMS,
    VOCAB,
    label,
)

__all__ = [
    "CONTRASTS", "CONTRAST_TEXT", "HIGH", "ITEM_RANGE", "QUADRANTS", "RESOURCES", "SALIENCE",
    "STAKEHOLDERS", "STAKEHOLDER_ATTRIBUTES", "TABLE_COLUMNS", "TIE_RATING_COLUMNS",
    "TRUST_ITEMS", "VALUE_ITEMS", "VOCAB", "actor_columns", "contrast_sentences", "dyad_ratings",
    "grid_points", "label", "latest_ratings", "network_trust_value", "position_contrasts",
    "power_interest_grid", "quadrant", "resource_counts", "salience", "split_rejects",
    "stakeholder_table", "trust_value_by_wave", "validate_ratings", "validate_tie_ratings",
]
