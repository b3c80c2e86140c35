"""Matching free-text organisation names to actor ids.

Used by the survey importer (to turn names into ties) and by validation (for
"did you mean" hints on unknown ids), so it sits below both.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import pandas as pd

#: Legal-form and organisation-kind endings dropped to derive short names (folded text).
_SUFFIX = re.compile(
    r"\s+(kommun|stad|region|ab|hb|kb|ek for|ekonomisk forening|ideell forening|"
    r"forening|stiftelse|ideell|upa)$"
)



def fold(text: object) -> str:
    """Case-, diacritics- and punctuation-insensitive form of a name.

    >>> fold("  Samordningsförbundet  Östra Södertörn ")
    'samordningsforbundet ostra sodertorn'
    """
    s = unicodedata.normalize("NFKD", str(text)).casefold()
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = re.sub(r"[^\w]+", " ", s)
    return " ".join(s.split())


@dataclass
class Match:
    actor_id: str | None
    method: str  # id | name | alias | fuzzy | ambiguous | none
    score: float
    suggestion: str | None = None


class ActorMatcher:
    """Matches free text to actor ids by id, name, alias, then fuzzy similarity.

    Parameters
    ----------
    actors : DataFrame
        With ``actor_id``, ``name`` and optionally ``aliases`` (``;``-separated).
    threshold : float
        Minimum rapidfuzz ``token_set_ratio`` (0-100) for a fuzzy match.
    margin : float
        A fuzzy match is refused as ambiguous when another actor scores within
        ``margin`` points of the best.
    """

    def __init__(self, actors: pd.DataFrame, threshold: float = 85.0, margin: float = 3.0):
        if "actor_id" not in actors.columns or "name" not in actors.columns:
            raise ValueError("actors need columns actor_id and name")
        self.threshold = threshold
        self.margin = margin
        self.ids = {str(a).strip(): str(a).strip() for a in actors["actor_id"] if pd.notna(a)}
        self.names = dict(zip(actors["actor_id"].astype(str), actors["name"].astype(str),
                              strict=True))
        self.keys: dict[str, dict[str, str]] = {}  # folded text -> {actor_id: method}
        for row in actors.itertuples(index=False):
            aid = str(row.actor_id).strip()
            self._add(fold(aid), aid, "id")
            self._add(fold(row.name), aid, "name")
            aliases = getattr(row, "aliases", None)
            if isinstance(aliases, str):
                for al in aliases.split(";"):
                    if al.strip():
                        self._add(fold(al), aid, "alias")
        # "Botkyrka" for "Botkyrka kommun", "Returbutiken" for "Returbutiken ek. för.":
        # short forms people write, used only where no other actor claims them
        derived: dict[str, set[str]] = {}
        for aid, name in self.names.items():
            short = _SUFFIX.sub("", fold(name)).strip()
            if short and short != fold(name):
                derived.setdefault(short, set()).add(aid)
        for key, aids in derived.items():
            if len(aids) == 1 and key not in self.keys:
                self._add(key, next(iter(aids)), "short name")

    def _add(self, key: str, aid: str, method: str) -> None:
        if key:
            self.keys.setdefault(key, {}).setdefault(aid, method)

    def match(self, text: object) -> Match:
        raw = str(text).strip()
        if raw in self.ids:
            return Match(raw, "id", 100.0)
        key = fold(raw)
        if not key:
            return Match(None, "none", 0.0)
        hit = self.keys.get(key)
        if hit:
            if len(hit) == 1:
                aid, method = next(iter(hit.items()))
                return Match(aid, method, 100.0)
            return Match(None, "ambiguous", 100.0, sorted(hit)[0])
        return self._fuzzy(key)

    def _fuzzy(self, key: str) -> Match:
        from rapidfuzz import fuzz, process

        # best score per actor over its id, name and aliases
        best: dict[str, float] = {}
        for cand, score, _ in process.extract(
            key, list(self.keys), scorer=fuzz.token_set_ratio, limit=None, score_cutoff=40
        ):
            for aid in self.keys[cand]:
                best[aid] = max(best.get(aid, 0.0), float(score))
        if not best:
            return Match(None, "none", 0.0)
        ranked = sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))
        top_id, top = ranked[0]
        if top < self.threshold or len(key) < 3:
            return Match(None, "none", top, top_id)
        if len(ranked) > 1 and ranked[1][1] >= top - self.margin:
            return Match(None, "ambiguous", top, top_id)
        return Match(top_id, "fuzzy", top, top_id)
