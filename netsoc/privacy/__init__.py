"""Privacy: identity-number detection, pseudonymisation, small-cell protection
and output safety.

Placement and interview data are personal data, often sensitive (health,
social assistance). This package holds everything netsoc does to keep them from
leaking into published outputs:

* :func:`is_personnummer` and :func:`identity_number_problems` find Swedish
  personnummer and samordningsnummer (valid date and Luhn check digit) so that
  reading refuses them, naming file, line and column but never the number.
* :func:`pseudonymize_study` replaces ``person_key`` with keyed HMAC-SHA256 ids
  (``netsoc pseudonymize IN OUT --key-file K``).
* :func:`suppress_counts`, :func:`format_count` and :func:`aggregate_small_edges`
  show counts of people between 1 and ``min_cell - 1`` as ``<5`` (primary
  suppression) and hide further cells so that published totals cannot give a
  suppressed cell away (secondary suppression).
* :func:`safe_cell`, :func:`safe_frame` and :func:`safe_path` keep names from
  input files from becoming spreadsheet formulas or escaping the output folder.

What the package does and does not protect is written out in ``docs/privacy.md``.

Where what lives (imports run down this list, never up):

``errors``
    :class:`PrivacyError`.
``identity``
    personnummer and samordningsnummer: :func:`luhn_check_digit`,
    :func:`is_personnummer`, :func:`find_identity_numbers`,
    :func:`identity_candidates`, :func:`identity_number_problems`,
    :func:`redact_identity_numbers`.
``pseudonyms``
    :func:`load_or_create_key`, :func:`pseudonym`, :func:`pseudonymize_study` (CSV and
    XLSX rewritten) and the ``netsoc pseudonymize`` command
    (:func:`add_pseudonymize_command`, :func:`run_pseudonymize_command`).
``suppression``
    small cells: :func:`format_count`, :func:`suppress_counts`,
    :data:`PEOPLE_COUNTS`, :func:`people_count_spec`, :func:`publish_tables`,
    :func:`aggregate_small_edges`.
``publish``
    output safety: :func:`safe_cell`, :func:`safe_frame`, :func:`safe_filename`,
    :func:`safe_path`, :func:`unescaped_markup`, :func:`write_csv`.

References
----------
Skatteverket, *Personnummer* (SKV 704) – layout and check digit of personnummer
and samordningsnummer.
OWASP, *CSV Injection* – leading ``= + - @ TAB CR`` in spreadsheet cells.
Hundepool, A. et al. (2012), *Statistical Disclosure Control*, Wiley, ch. 4
(primary and secondary cell suppression in tables).
"""

from netsoc.privacy.errors import PrivacyError
from netsoc.privacy.identity import (
    IDENTITY_MESSAGE,
    find_identity_numbers,
    identity_number_problems,
    is_personnummer,
    luhn_check_digit,
    redact_identity_numbers,
)
from netsoc.privacy.identity import identity_candidates as identity_candidates
from netsoc.privacy.pseudonyms import (
    add_pseudonymize_command,
    load_or_create_key,
    pseudonym,
    pseudonymize_study,
    run_pseudonymize_command,
)
from netsoc.privacy.publish import (
    safe_cell,
    safe_filename,
    safe_frame,
    safe_path,
    unescaped_markup,
)
from netsoc.privacy.publish import write_csv as write_csv
from netsoc.privacy.suppression import PEOPLE_COUNTS as PEOPLE_COUNTS
from netsoc.privacy.suppression import (
    aggregate_small_edges,
    format_count,
    people_count_spec,
    publish_tables,
    suppress_counts,
)

# identity_candidates, write_csv and PEOPLE_COUNTS are public too (imported "as"
# themselves above), though the module's __all__ never listed them; it is kept as it was
__all__ = [
    "IDENTITY_MESSAGE",
    "PrivacyError",
    "add_pseudonymize_command",
    "aggregate_small_edges",
    "find_identity_numbers",
    "format_count",
    "identity_number_problems",
    "is_personnummer",
    "load_or_create_key",
    "luhn_check_digit",
    "pseudonym",
    "people_count_spec",
    "pseudonymize_study",
    "publish_tables",
    "run_pseudonymize_command",
    "redact_identity_numbers",
    "safe_cell",
    "safe_filename",
    "safe_frame",
    "safe_path",
    "suppress_counts",
    "unescaped_markup",
]
