"""Stakeholder analysis: influence, interest, salience, trust, value and resources.

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
position (:func:`position_contrasts`). The grid figure lives in
:mod:`netsoc.stakeholder_grid`.

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

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd

from netsoc.i18n import localize_number
from netsoc.schema import Column, FileSpec
from netsoc.study import Problem

# --------------------------------------------------------------------------- vocabularies

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

Suggest = Callable[..., "str | None"]


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


# --------------------------------------------------------------------------- validation


def _fold(text: object) -> str:
    text = unicodedata.normalize("NFKD", str(text).strip().lower())
    return "".join(c for c in text if not unicodedata.combining(c)).replace(" ", "_").replace(
        "-", "_")


def _fallback_suggest(value: str, choices: Iterable[str],
                      extra: dict[str, str] | None = None) -> str | None:
    """Close match by ``difflib`` (the pipeline passes ``netsoc.io.suggest`` instead)."""
    choices = list(choices)
    folded = _fold(value)
    if extra and folded in extra:
        return extra[folded]
    hit = difflib.get_close_matches(folded, [_fold(c) for c in choices], n=1, cutoff=0.6)
    return choices[[_fold(c) for c in choices].index(hit[0])] if hit else None


def _cells(df: pd.DataFrame, name: str) -> list[str]:
    """Column ``name`` as stripped text, missing as ``""``."""
    if name not in df:
        return [""] * len(df)
    return ["" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v).strip()
            for v in df[name].tolist()]


def _integer(text: str) -> int | None:
    """``"3"``, ``"3.0"``, ``"−2"``, ``"+1"`` -> int; anything else ``None``."""
    t = text.replace("\u2212", "-").replace(",", ".").replace(" ", "")
    try:
        x = float(t)
    except ValueError:
        return None
    return int(x) if np.isfinite(x) and x == int(x) else None


def _lines(df: pd.DataFrame, lines: Iterable[int] | None) -> np.ndarray:
    if lines is not None:
        out = np.asarray(list(lines), dtype=int)
    elif "_line" in df:
        out = df["_line"].to_numpy(dtype=int)
    else:
        out = np.arange(2, len(df) + 2)
    if len(out) != len(df):
        raise ValueError(f"lines has {len(out)} entries for {len(df)} rows")
    return out


class _Rows:
    """Problems of one file, kept by row so that rows can carry a reason."""

    def __init__(self, filename: str, lines: np.ndarray):
        self.filename, self.lines = filename, lines
        self.problems: list[Problem] = []
        self.reasons: list[list[str]] = [[] for _ in lines]

    def add(self, row: int, column: str | None, message: str, severity: str = "error",
            reject: bool | None = None) -> None:
        self.problems.append(Problem(self.filename, int(self.lines[row]), column, message,
                                     severity))
        if severity == "error" if reject is None else reject:
            self.reasons[row].append(f"{column}: {message}" if column else message)

    def reason(self) -> pd.Series:
        return pd.Series(["; ".join(r) if r else pd.NA for r in self.reasons], dtype="string")


def _header(df: pd.DataFrame, names: Iterable[str]) -> pd.DataFrame:
    """Rename headers written as ``Actor ID`` / ``Trust-Reliable`` to their contract names."""
    known = {_fold(n): n for n in names}
    return df.rename(columns={c: known[_fold(c)] for c in df.columns
                              if isinstance(c, str) and _fold(c) in known and c != known[_fold(c)]})


def _range_text(lo: int, hi: int) -> str:
    return f"{lo}..+{hi}" if lo < 0 else f"{lo}-{hi}"


def validate_ratings(
    ratings: pd.DataFrame,
    actor_ids: Iterable[str],
    *,
    filename: str = "stakeholders.csv",
    lines: Iterable[int] | None = None,
    suggest: Suggest | None = None,
    actor_message: Callable[[str], str] | None = None,
) -> tuple[pd.DataFrame, list[Problem]]:
    """Check and type ``stakeholders.csv``; every problem at its line, all at once.

    Parameters
    ----------
    ratings : DataFrame
        As read (text or numbers): ``actor_id, attribute, value`` required,
        ``rater_id, wave, note`` optional, other columns kept.
    actor_ids : iterable of str
        The ids of ``actors.csv``; ``actor_id`` and a non-empty ``rater_id``
        must be one of them.
    filename : str
        Shown in problems (a workbook's sheet name).
    lines : iterable of int, optional
        File line of each row. Default: the ``_line`` column if present, else
        2, 3, … (the header is line 1).
    suggest : callable, optional
        ``suggest(value, choices, extra) -> str | None`` for "did you mean"
        (the pipeline passes ``netsoc.io.suggest``); default a ``difflib`` match.
    actor_message : callable, optional
        ``actor_message(unknown_id) -> message`` (the pipeline passes the
        ``message`` of ``netsoc.io``'s actor matcher, which also matches names
        and aliases); default ``"unknown actor id 'x'; did you mean 'y'?"``
        from ``suggest`` over the ids.

    Returns
    -------
    ratings : DataFrame
        Every row, typed: ``actor_id, attribute`` (folded to its code),
        ``value`` (Int64), ``rater_id`` (NA = the analyst), ``wave`` (Int64,
        default 1), ``note``, extra columns, ``_line`` and ``reason``: NA for a
        usable row, else why the row is rejected. :func:`stakeholder_table` uses
        only rows without a reason; :func:`split_rejects` separates them.
    problems : list of Problem
        Errors (unknown attribute, value not a whole number or outside its
        range, unknown actor or rater, empty required value, conflicting
        duplicate, missing column at line 1) and warnings (an identical
        duplicate, which is rejected too; an actor rating itself, kept).

    Examples
    --------
    >>> r = pd.DataFrame({"actor_id": ["af", "af", "asf"],
    ...                   "attribute": ["influence", "intrest", "interest"],
    ...                   "value": ["5", "4", "7"]})
    >>> df, problems = validate_ratings(r, ["af", "asf"])
    >>> for p in problems:
    ...     print(p)
    stakeholders.csv:3: attribute: unknown attribute 'intrest'; did you mean 'interest'?
    stakeholders.csv:4: value: 7 is outside 1-5, the scale of interest
    >>> df["reason"].isna().tolist()
    [True, False, False]
    """
    sugg = suggest or _fallback_suggest
    ids = list(dict.fromkeys(str(a) for a in actor_ids))
    idset = set(ids)

    def unknown_actor(v: str) -> str:
        if actor_message is not None:
            return actor_message(v)
        guess = sugg(v, ids)
        return f"unknown actor id '{v}'" + (f"; did you mean '{guess}'?" if guess else "")

    df = _header(ratings.reset_index(drop=True), STAKEHOLDERS.names)
    rows = _Rows(filename, _lines(df, lines))
    n = len(df)
    missing = [c for c in STAKEHOLDERS.required_names if c not in df]
    for c in missing:
        other = [h for h in df.columns if isinstance(h, str) and h not in STAKEHOLDERS.names]
        guess = sugg(c, other) if other else None
        hint = f"; did you mean '{guess}'?" if guess else ""
        rows.problems.append(Problem(filename, 1, c, f"missing required column{hint}"))
    cells = {c: _cells(df, c) for c in STAKEHOLDERS.names}
    attrs: list[object] = [pd.NA] * n
    values: list[object] = [pd.NA] * n
    waves: list[object] = [pd.NA] * n
    for i in range(n) if not missing else ():
        a, v, rater, w = (cells[c][i] for c in ("attribute", "value", "rater_id", "wave"))
        actor = cells["actor_id"][i]
        if not actor:
            rows.add(i, "actor_id", "required value is empty")
        elif actor not in idset:
            rows.add(i, "actor_id", unknown_actor(actor))
        scale = None
        if not a:
            rows.add(i, "attribute", "required value is empty")
        elif _fold(a) in STAKEHOLDER_ATTRIBUTES:
            attrs[i] = _fold(a)
            scale = STAKEHOLDER_ATTRIBUTES[attrs[i]]
        else:
            guess = sugg(a, STAKEHOLDER_ATTRIBUTES, _ATTRIBUTE_SYNONYMS)
            hint = (f"; did you mean '{guess}'?" if guess else
                    f" (allowed: {', '.join(STAKEHOLDER_ATTRIBUTES)})")
            rows.add(i, "attribute", f"unknown attribute '{a}'{hint}")
        x = _integer(v) if v else None
        what = f", the scale of {attrs[i]}" if scale else ""
        if not v:
            rows.add(i, "value", "required value is empty")
        elif x is None:
            rng = f" ({attrs[i]} is rated {_range_text(*scale)})" if scale else ""
            rows.add(i, "value", f"'{v}' is not a whole number{rng}")
        elif scale and not scale[0] <= x <= scale[1]:
            rows.add(i, "value", f"{x} is outside {_range_text(*scale)}{what}")
        else:
            values[i] = x
        if rater and rater not in idset:
            rows.add(i, "rater_id", unknown_actor(rater))
        elif rater and rater == actor:
            rows.add(i, "rater_id", "an actor rating itself (kept; self-ratings tend to be "
                     "higher)", "warning")
        wv = _integer(w) if w else 1
        if wv is None:
            rows.add(i, "wave", f"'{w}' is not a whole number")
        else:
            waves[i] = wv
    if missing:
        for i in range(n):
            rows.reasons[i] += [f"{c}: missing required column" for c in missing]
    else:
        _duplicate_ratings(cells, attrs, values, waves, rows)
    rows.problems.sort(key=lambda p: (p.line or 0))
    out = df.drop(columns=[c for c in (*STAKEHOLDERS.names, "_line", "reason") if c in df])
    out.insert(0, "actor_id", pd.array([c or pd.NA for c in cells["actor_id"]], dtype="string"))
    out.insert(1, "attribute", pd.array(attrs, dtype="string"))
    out.insert(2, "value", pd.array(values, dtype="Int64"))
    out.insert(3, "rater_id", pd.array([c or pd.NA for c in cells["rater_id"]], dtype="string"))
    out.insert(4, "wave", pd.array(waves, dtype="Int64"))
    out.insert(5, "note", pd.array([c or pd.NA for c in cells["note"]], dtype="string"))
    out["_line"] = rows.lines
    out["reason"] = rows.reason()
    return out, rows.problems


def _duplicate_ratings(cells, attrs, values, waves, rows: _Rows) -> None:
    """A second rating of the same actor, attribute, rater and wave: reported at that line."""
    first: dict[tuple, int] = {}
    for i in range(len(attrs)):
        if rows.reasons[i]:
            continue
        key = (cells["actor_id"][i], attrs[i], cells["rater_id"][i], waves[i])
        if key not in first:
            first[key] = i
            continue
        j = first[key]
        who = f"'{key[2]}'" if key[2] else "the analyst"
        what = (f"duplicate rating of '{key[0]}' on {key[1]} by {who} in wave {key[3]} "
                f"(first at line {rows.lines[j]})")
        if values[i] == values[j]:
            rows.add(i, None, f"{what}, same value: this row is left out", "warning", reject=True)
        else:
            rows.add(i, None, f"{what} with another value ({values[j]} there, {values[i]} here)")


def validate_tie_ratings(
    ties: pd.DataFrame,
    *,
    filename: str = "ties.csv",
    lines: Iterable[int] | None = None,
    suggest: Suggest | None = None,
) -> tuple[pd.DataFrame, list[Problem]]:
    """Check and type the optional PARTNER columns of ``ties.csv``.

    The six items (:data:`TRUST_ITEMS`, :data:`VALUE_ITEMS`) are whole numbers
    1-4 or empty; ``resources`` is a ``;``-separated list from
    :data:`RESOURCES` (case, spaces and hyphens do not matter; a comma
    separates too). Headers are matched case-insensitively.

    Parameters
    ----------
    ties : DataFrame
        ``ties.csv`` as read or as in ``Study.ties``; other columns are kept
        as they are.
    filename, lines, suggest
        As in :func:`validate_ratings`.

    Returns
    -------
    ties : DataFrame
        When none of the seven columns is present, ``ties`` unchanged (a study
        without ratings runs as before). Otherwise a copy in which all seven
        are present: the items Int64, ``resources`` the codes joined by ``;``
        in :data:`RESOURCES` order (NA when empty), plus ``reason`` (NA for a
        usable row).
    problems : list of Problem

    Examples
    --------
    >>> t = pd.DataFrame({"respondent_id": ["a", "b"], "alter_id": ["b", "a"],
    ...                   "relation": ["information"] * 2,
    ...                   "trust_reliable": ["4", "5"], "resources": ["Data; fundng", ""]})
    >>> df, problems = validate_tie_ratings(t)
    >>> for p in problems:
    ...     print(p)
    ties.csv:2: resources: unknown resource 'fundng'; did you mean 'funding'?
    ties.csv:3: trust_reliable: 5 is outside 1-4
    """
    sugg = suggest or _fallback_suggest
    names = (*TRUST_ITEMS, *VALUE_ITEMS, "resources")
    df = _header(ties.reset_index(drop=True), names)
    if not any(c in df for c in names):
        return ties, []
    df = df.copy()
    rows = _Rows(filename, _lines(df, lines))
    lo, hi = ITEM_RANGE
    for c in (*TRUST_ITEMS, *VALUE_ITEMS):
        out: list[object] = []
        for i, v in enumerate(_cells(df, c)):
            x = _integer(v) if v else None
            if v and x is None:
                rows.add(i, c, f"'{v}' is not a whole number (PARTNER items are rated {lo}-{hi})")
            elif x is not None and not lo <= x <= hi:
                rows.add(i, c, f"{x} is outside {lo}-{hi}")
                x = None
            out.append(pd.NA if x is None else x)
        df[c] = pd.array(out, dtype="Int64")
    res: list[object] = []
    for i, v in enumerate(_cells(df, "resources")):
        found = set()
        for part in v.replace(",", ";").split(";"):
            if not part.strip():
                continue
            code = _fold(part)
            if code in RESOURCES:
                found.add(code)
                continue
            guess = sugg(part.strip(), RESOURCES, _RESOURCE_SYNONYMS)
            hint = f"; did you mean '{guess}'?" if guess else f" (allowed: {', '.join(RESOURCES)})"
            rows.add(i, "resources", f"unknown resource '{part.strip()}'{hint}")
        res.append(";".join(r for r in RESOURCES if r in found) or pd.NA)
    df["resources"] = pd.array(res, dtype="string")
    rows.problems.sort(key=lambda p: (p.line or 0))
    df["reason"] = rows.reason()
    return df, rows.problems


def split_rejects(validated: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(kept, rejects)`` of a frame from :func:`validate_ratings` / :func:`validate_tie_ratings`.

    ``kept`` drops the ``reason`` column; ``rejects`` keeps it and names the
    line column ``line``, as ``rejects/<file>.csv`` does.

    Examples
    --------
    >>> df, _ = validate_ratings(pd.DataFrame({"actor_id": ["a", "x"], "attribute": ["power"] * 2,
    ...                                        "value": [2, 2]}), ["a"])
    >>> kept, rejects = split_rejects(df)
    >>> len(kept), rejects[["line", "reason"]].values.tolist()
    (1, [[3, "actor_id: unknown actor id 'x'"]])
    """
    if "reason" not in validated:
        return validated, validated.iloc[:0]
    bad = validated["reason"].notna().to_numpy()
    kept = validated[~bad].drop(columns="reason").reset_index(drop=True)
    rejects = validated[bad].rename(columns={"_line": "line"}).reset_index(drop=True)
    return kept, rejects


# --------------------------------------------------------------------------- the table


def _usable(df: pd.DataFrame | None) -> pd.DataFrame | None:
    if df is None or not len(df):
        return None
    if "reason" in df:
        df = df[df["reason"].isna().to_numpy()]
    return df


def latest_ratings(ratings: pd.DataFrame, wave: int | None = None) -> pd.DataFrame:
    """The usable ratings of each actor's latest wave (or of ``wave`` when given).

    Missing ``wave`` counts as 1. An actor rated in waves 1 and 2 keeps only
    its wave-2 rows, even for attributes rated only in wave 1.

    Examples
    --------
    >>> r = pd.DataFrame({"actor_id": ["a", "a", "b"], "attribute": ["power", "urgency", "power"],
    ...                   "value": [2, 5, 4], "wave": [1, 2, 1]})
    >>> latest_ratings(r)[["actor_id", "attribute", "wave"]].values.tolist()
    [['a', 'urgency', 2], ['b', 'power', 1]]
    """
    r = _usable(ratings)
    if r is None:
        return pd.DataFrame(columns=["actor_id", "attribute", "value", "rater_id", "wave"])
    r = r.copy()
    r["wave"] = pd.to_numeric(r["wave"], errors="coerce").fillna(1).astype(int) \
        if "wave" in r else 1
    if wave is not None:
        return r[r["wave"] == wave].reset_index(drop=True)
    last = r.groupby("actor_id", sort=False)["wave"].transform("max")
    return r[r["wave"] == last].reset_index(drop=True)


def _rater_key(r: pd.DataFrame) -> pd.Series:
    if "rater_id" not in r:
        return pd.Series("", index=r.index)
    return r["rater_id"].astype("string").fillna("").str.strip()


def _high(x: pd.Series) -> pd.Series:
    return x > HIGH + _EPS


def quadrant(influence: pd.Series, interest: pd.Series) -> pd.Series:
    """Mendelow quadrant of mean influence and interest (high = above 3; NA if either missing).

    Examples
    --------
    >>> quadrant(pd.Series([4.0, 4.0, 3.0, 2.0, None]),
    ...          pd.Series([3.5, 3.0, 4.0, 1.0, 5.0])).tolist()
    ['manage_closely', 'keep_satisfied', 'keep_informed', 'monitor', <NA>]
    """
    inf = pd.to_numeric(influence, errors="coerce").astype(float).to_numpy()
    inr = pd.to_numeric(interest, errors="coerce").astype(float).to_numpy()
    hi_f, hi_r = inf > HIGH + _EPS, inr > HIGH + _EPS
    q = np.select([hi_f & hi_r, hi_f, hi_r], list(QUADRANTS[:3]), QUADRANTS[3]).astype(object)
    q[np.isnan(inf) | np.isnan(inr)] = pd.NA
    return pd.Series(pd.array(q, dtype="string"), index=getattr(influence, "index", None))


def salience(power: pd.Series, legitimacy: pd.Series, urgency: pd.Series) -> pd.Series:
    """Mitchell-Agle-Wood class from mean power, legitimacy, urgency (present = above 3).

    NA when any of the three is missing.

    Examples
    --------
    >>> salience(pd.Series([4.0, 2.0, 5.0]), pd.Series([4.0, 3.0, 1.0]),
    ...          pd.Series([1.0, 4.0, None])).tolist()
    ['dominant', 'demanding', <NA>]
    """
    cols = [pd.to_numeric(s, errors="coerce").astype(float).to_numpy()
            for s in (power, legitimacy, urgency)]
    present = [c > HIGH + _EPS for c in cols]
    out = np.array([SALIENCE[(bool(p), bool(la), bool(u))] for p, la, u in zip(*present,
                                                                                  strict=True)],
                   dtype=object)
    missing = np.isnan(cols[0]) | np.isnan(cols[1]) | np.isnan(cols[2])
    out[missing] = pd.NA
    return pd.Series(pd.array(out, dtype="string"), index=getattr(power, "index", None))


def dyad_ratings(ties: pd.DataFrame | None) -> pd.DataFrame:
    """One row per rated dyad (``respondent_id, alter_id, wave``) of ``ties.csv``.

    Columns: the six items (mean over the dyad's rows), ``trust`` and ``value``
    (per row the mean of the items given, then the mean over the dyad's rows),
    ``resources`` (codes joined by ``;``, NA when none) and ``n_rows``. A dyad
    is *rated* when a row of it carries any item or resource. Rows with a
    ``reason`` (rejected) are left out. Suitable for edge colours (trust).

    Examples
    --------
    >>> t = pd.DataFrame({"respondent_id": ["a", "a", "b"], "alter_id": ["b", "b", "a"],
    ...                   "relation": ["information", "referral", "information"],
    ...                   "trust_reliable": [4, 2, None], "trust_open": [3, None, None],
    ...                   "resources": [None, "data", None]})
    >>> dyad_ratings(t)[["respondent_id", "alter_id", "trust", "resources"]].values.tolist()
    [['a', 'b', 2.75, 'data']]
    """
    cols = ["respondent_id", "alter_id", "wave", *TRUST_ITEMS, *VALUE_ITEMS, "trust", "value",
            "resources", "n_rows"]
    t = _usable(ties)
    if t is None:
        return pd.DataFrame(columns=cols)
    t = _header(t, (*TRUST_ITEMS, *VALUE_ITEMS, "resources"))
    lo, hi = ITEM_RANGE
    items = {c: (pd.to_numeric(t[c], errors="coerce").astype(float) if c in t else
                 pd.Series(np.nan, index=t.index)) for c in (*TRUST_ITEMS, *VALUE_ITEMS)}
    # unvalidated input: a value outside 1-4 is no rating (validate_tie_ratings reports it)
    items = {c: v.where((v >= lo) & (v <= hi)) for c, v in items.items()}
    res = (t["resources"].astype("string").fillna("").str.strip() if "resources" in t
           else pd.Series("", index=t.index))
    f = pd.DataFrame(items)
    f["trust"] = f[list(TRUST_ITEMS)].mean(axis=1, skipna=True)
    f["value"] = f[list(VALUE_ITEMS)].mean(axis=1, skipna=True)
    rated = f[[*TRUST_ITEMS, *VALUE_ITEMS]].notna().any(axis=1) | (res != "")
    f["respondent_id"] = t["respondent_id"].astype(str)
    f["alter_id"] = t["alter_id"].astype(str)
    f["wave"] = (pd.to_numeric(t["wave"], errors="coerce").fillna(1).astype(int)
                 if "wave" in t else 1)
    f["resources"] = res
    f = f[rated.to_numpy()]
    if not len(f):
        return pd.DataFrame(columns=cols)
    g = f.groupby(["respondent_id", "alter_id", "wave"], sort=False)
    out = g[[*TRUST_ITEMS, *VALUE_ITEMS, "trust", "value"]].mean()
    out["resources"] = g["resources"].agg(_join_resources)
    out["n_rows"] = g.size()
    return out.reset_index()[cols]


def _join_resources(cells: Iterable[str]) -> object:
    found = {_fold(p) for c in cells if isinstance(c, str) for p in c.replace(",", ";").split(";")}
    return ";".join(r for r in RESOURCES if r in found) or pd.NA


def stakeholder_table(actors: pd.DataFrame, ratings: pd.DataFrame | None,
                      ties: pd.DataFrame | None = None, *, wave: int | None = None
                      ) -> pd.DataFrame:
    """One row per actor with any rating: ``tables/stakeholders.csv``.

    Parameters
    ----------
    actors : DataFrame
        ``actor_id, name, type`` (``Study.actors``); rows come in its order.
    ratings : DataFrame or None
        From :func:`validate_ratings` (rows with a ``reason`` are left out).
    ties : DataFrame or None
        ``ties.csv`` with PARTNER columns, best from :func:`validate_tie_ratings`.
    wave : int, optional
        Use only this wave (ratings and tie rows) instead of each actor's latest.

    Returns
    -------
    DataFrame
        Exactly :data:`TABLE_COLUMNS`:

        - ``influence … attitude``: per rater the rating, then the mean over
          raters (the analyst, empty ``rater_id``, is one rater), in the actor's
          latest rated wave (see the module's *Conventions*); NaN if unrated.
        - ``n_raters``: distinct raters of the actor in that wave (0 if only
          rated through ties).
        - ``quadrant`` (:func:`quadrant`) and ``salience`` (:func:`salience`).
        - ``trust_received`` / ``value_received``: mean dyad trust / value over
          the dyads whose alter is the actor, in the latest wave of the tie
          rows rating it; ``n_trust_ratings``: how many such dyads carry a trust
          item (the number of partners who rated its trustworthiness).
        - ``resources_named``: the resources those partners say the actor
          contributes, codes joined by ``;`` in :data:`RESOURCES` order (NA if
          none); how many partners named each is in :func:`resource_counts`.

        An actor counts as rated when it has a usable stakeholder rating or is
        the alter of a rated dyad.

    Examples
    --------
    >>> actors = pd.DataFrame({"actor_id": ["af", "asf", "k"], "name": ["AF", "ASF", "Kommun"],
    ...                        "type": ["arbetsformedlingen", "social_enterprise", "kommun"]})
    >>> ratings = pd.DataFrame({"actor_id": ["af", "af", "af", "asf", "asf"],
    ...                         "attribute": ["influence", "interest", "influence",
    ...                                       "influence", "interest"],
    ...                         "value": [5, 3, 4, 2, 5], "rater_id": [None, None, "k", None, None]})
    >>> ties = pd.DataFrame({"respondent_id": ["asf"], "alter_id": ["af"], "trust_reliable": [3],
    ...                      "trust_mission": [4], "value_power": [2]})
    >>> t = stakeholder_table(actors, ratings, ties)
    >>> t[["actor_id", "influence", "interest", "n_raters", "quadrant", "trust_received"]]
      actor_id  influence  interest  n_raters        quadrant  trust_received
    0       af        4.5       3.0         2  keep_satisfied             3.5
    1      asf        2.0       5.0         1   keep_informed             NaN
    """
    base = actors[["actor_id", "name", "type"]].drop_duplicates("actor_id")
    means = pd.DataFrame(index=pd.Index([], name="actor_id"), columns=list(STAKEHOLDER_ATTRIBUTES))
    n_raters = pd.Series(dtype="int64")
    r = latest_ratings(ratings, wave) if _usable(ratings) is not None else None
    if r is not None and len(r):
        r = r.assign(rater=_rater_key(r), value=pd.to_numeric(r["value"], errors="coerce"))
        per_rater = r.groupby(["actor_id", "attribute", "rater"])["value"].mean()
        means = per_rater.groupby(level=["actor_id", "attribute"]).mean().unstack("attribute")
        means = means.reindex(columns=list(STAKEHOLDER_ATTRIBUTES))
        n_raters = r.groupby("actor_id")["rater"].nunique()
    received = _received(ties, wave)
    rated = set(means.index) | set(received.index)
    out = base[base["actor_id"].isin(rated)].reset_index(drop=True)
    ids = out["actor_id"]
    for a in STAKEHOLDER_ATTRIBUTES:
        out[a] = ids.map(means[a]).astype(float).to_numpy() if len(means) else np.nan
    out["n_raters"] = ids.map(n_raters).fillna(0).astype("int64").to_numpy()
    out["quadrant"] = quadrant(out["influence"], out["interest"]).to_numpy()
    out["salience"] = salience(out["power"], out["legitimacy"], out["urgency"]).to_numpy()
    for c in ("trust_received", "value_received"):
        out[c] = ids.map(received[c]).astype(float).to_numpy() if len(received) else np.nan
    out["n_trust_ratings"] = (ids.map(received["n_trust_ratings"]).fillna(0).astype("int64")
                              .to_numpy() if len(received) else 0)
    out["resources_named"] = pd.array(
        ids.map(received["resources_named"]).tolist() if len(received) else [pd.NA] * len(out),
        dtype="string")
    return out[list(TABLE_COLUMNS)]


def _latest_dyads(ties: pd.DataFrame | None, wave: int | None) -> pd.DataFrame:
    d = dyad_ratings(ties)
    if not len(d):
        return d
    if wave is not None:
        return d[d["wave"] == wave]
    return d[d["wave"] == d.groupby("alter_id")["wave"].transform("max")]


def _received(ties: pd.DataFrame | None, wave: int | None) -> pd.DataFrame:
    cols = ["trust_received", "value_received", "n_trust_ratings", "resources_named"]
    d = _latest_dyads(ties, wave)
    if not len(d):
        return pd.DataFrame(columns=cols, index=pd.Index([], name="alter_id"))
    g = d.groupby("alter_id", sort=False)
    out = pd.DataFrame({"trust_received": g["trust"].mean(), "value_received": g["value"].mean(),
                        "n_trust_ratings": g["trust"].count()})
    out["resources_named"] = g["resources"].agg(_join_resources)
    return out


def resource_counts(ties: pd.DataFrame | None, *, wave: int | None = None) -> pd.DataFrame:
    """Per alter and resource, how many partners say the alter contributes it.

    Rows: ``actor_id``; columns :data:`RESOURCES` (counts of rated dyads, in
    the same wave selection as :func:`stakeholder_table`) and ``n_partners``
    (dyads rating the actor in any way), so that the share of partners naming
    a resource is ``count / n_partners`` as PARTNER reports it.

    Examples
    --------
    >>> t = pd.DataFrame({"respondent_id": ["a", "c"], "alter_id": ["b", "b"],
    ...                   "resources": ["data;funding", "data"]})
    >>> resource_counts(t)[["data", "funding", "n_partners"]].loc["b"].tolist()
    [2, 1, 2]
    """
    d = _latest_dyads(ties, wave)
    cols = [*RESOURCES, "n_partners"]
    if not len(d):
        return pd.DataFrame(columns=cols, index=pd.Index([], name="actor_id"), dtype="int64")
    named = d["resources"].fillna("").str.split(";")
    counts = pd.DataFrame({r: named.map(lambda xs, r=r: r in xs).astype(int) for r in RESOURCES})
    counts["n_partners"] = 1
    counts["actor_id"] = d["alter_id"].to_numpy()
    return counts.groupby("actor_id", sort=False)[cols].sum()


# --------------------------------------------------------------------------- network scores


def trust_value_by_wave(ties: pd.DataFrame | None) -> pd.DataFrame:
    """PARTNER network scores per wave: ``wave, trust_score, value_score, n_rated_ties``.

    For before/after comparisons; see :func:`network_trust_value`.

    Examples
    --------
    >>> t = pd.DataFrame({"respondent_id": ["a", "a"], "alter_id": ["b", "b"], "wave": [1, 2],
    ...                   "trust_open": [2, 4], "value_power": [4, 3]})
    >>> trust_value_by_wave(t).values.tolist()
    [[1.0, 50.0, 100.0, 1.0], [2.0, 100.0, 75.0, 1.0]]
    """
    d = dyad_ratings(ties)
    cols = ["wave", "trust_score", "value_score", "n_rated_ties"]
    if not len(d):
        return pd.DataFrame(columns=cols)
    d = d[d[["trust", "value"]].notna().any(axis=1)]
    g = d.groupby("wave")
    out = pd.DataFrame({"trust_score": 100 * g["trust"].mean() / ITEM_RANGE[1],
                        "value_score": 100 * g["value"].mean() / ITEM_RANGE[1],
                        "n_rated_ties": g.size()})
    return out.reset_index()[cols]


def network_trust_value(ties: pd.DataFrame | None, *, wave: int | None = None
                        ) -> dict[str, float | int]:
    """The whole network's PARTNER trust and value scores (``network.csv``, layer ``reported``).

    ``trust_score`` = 100 × (mean dyad trust over the dyads with a trust item)
    / 4 and ``value_score`` likewise: the share of the maximum, as PARTNER
    reports it (all ratings 1 give 25, all 4 give 100). ``n_rated_ties``
    counts the dyads with any trust or value item. One wave is scored: the
    latest in which any dyad is rated, or ``wave``; scores are NaN and the
    count 0 without ratings.

    Examples
    --------
    >>> t = pd.DataFrame({"respondent_id": ["a", "b", "c"], "alter_id": ["b", "a", "a"],
    ...                   "trust_reliable": [4, 2, None], "trust_open": [3, 2, None],
    ...                   "value_power": [4, None, 2]})
    >>> network_trust_value(t)
    {'trust_score': 68.75, 'value_score': 75.0, 'n_rated_ties': 3}
    """
    by = trust_value_by_wave(ties)
    if wave is not None:
        by = by[by["wave"] == wave]
    if not len(by):
        return {"trust_score": float("nan"), "value_score": float("nan"), "n_rated_ties": 0}
    row = by.iloc[-1]
    return {"trust_score": float(row["trust_score"]), "value_score": float(row["value_score"]),
            "n_rated_ties": int(row["n_rated_ties"])}


def actor_columns(table: pd.DataFrame) -> pd.DataFrame:
    """The columns actors.csv and the model frames gain, keyed by ``actor_id``.

    ``actor_id, influence, interest, quadrant, trust_received, value_received``;
    merge with ``how="left"`` on ``actor_id`` (unrated actors get NA).

    Examples
    --------
    >>> tab = pd.DataFrame({"actor_id": ["a"], "influence": [4.0], "interest": [2.0],
    ...                     "quadrant": ["keep_satisfied"], "trust_received": [3.0],
    ...                     "value_received": [float("nan")], "salience": [None]})
    >>> list(actor_columns(tab).columns)
    ['actor_id', 'influence', 'interest', 'quadrant', 'trust_received', 'value_received']
    """
    return table[["actor_id", "influence", "interest", "quadrant", "trust_received",
                  "value_received"]].reset_index(drop=True)


# --------------------------------------------------------------------------- reading helpers

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
        "sv": "{name} är central i nätverket ({measure} {c:.2f}) men värderas lägre än de flesta "
              "av partnerna (värde {v:.1f} av 4)."},
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
    >>> contrast_sentences(c, "sv")
    ['Coompanion har partnernas förtroende (tillit 3,8 av 4) men en perifer plats i nätverket (degree 0,50).']
    """
    out = []
    for row in contrasts.itertuples(index=False):
        tpl = CONTRAST_TEXT[row.contrast][lang]
        measure = str(getattr(row, "centrality_measure", "centrality"))
        out.append(tpl.replace("{v:.1f}", localize_number(f"{row.value:.1f}", lang))
                   .replace("{c:.2f}", localize_number(f"{row.centrality:.2f}", lang))
                   .replace("{measure}", measure).replace("{name}", str(row.name)))
    return out


def power_interest_grid(table: pd.DataFrame, *, lang: str = "sv", ax=None, **options):
    """The power-interest grid as a matplotlib Figure; see
    :func:`netsoc.stakeholder_grid.power_interest_grid` (imported on first use)."""
    from netsoc.stakeholder_grid import power_interest_grid as grid

    return grid(table, lang=lang, ax=ax, **options)
