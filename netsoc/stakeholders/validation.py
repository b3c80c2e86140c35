"""Validation of ``stakeholders.csv`` and of the PARTNER tie columns.

The validators live in :mod:`netsoc.io.ratings` (``load_study`` calls them, and
``io`` comes before this stage); they are importable from here as well.
"""

from netsoc.io.ratings import split_rejects, validate_ratings, validate_tie_ratings

__all__ = ["split_rejects", "validate_ratings", "validate_tie_ratings"]
