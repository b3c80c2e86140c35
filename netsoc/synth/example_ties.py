"""The interview layer of the embedded example: respondents (who answered which wave, with
non-response) and the reported ties, drawn from a latent collaboration network per wave.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter

import numpy as np
import pandas as pd

from netsoc.schema import FILES_BY_STEM
from netsoc.synth.example_actors import _Actor
from netsoc.synth.example_data import (
    _AFFILIATION_FACTS,
    _BODY,
    _SUCCESSOR,
    CROSS_AREA_TIE_P,
    FORMAL_TIE_P,
    HOST_ROLES,
    NON_RESPONSE_RATE,
    PUBLIC_ROLES,
    RECALL,
    ROLE_ORDER,
    SECOND_RELATION_P,
    TIE_CHURN_ADD,
    TIE_CHURN_DROP,
    WAVE_WINDOWS,
)

# ---------------------------------------------------------------------------
# Synthetic layer 1: respondents (who answered which wave)
# ---------------------------------------------------------------------------
_NONRESPONSE_WEIGHT = {"kommun": 0.6, "sf": 0.4, "af": 0.6, "fk": 0.8, "region": 0.8,
                       "coord": 0.0, "project": 0.6, "support": 0.8, "se": 1.0, "aid": 1.2,
                       "assoc": 1.4, "company": 2.0}
_DECLINED_P = {"company": 0.30}
_DECLINED_P_OTHER = 0.45
_NONRESPONSE_PERSISTENCE = 3.0


def _present(actor: _Actor, wave: int) -> bool:
    """Whether the organisation existed (and could be asked or named) in ``wave``."""
    if actor.role == "sf_old":
        return False
    if actor.actor_id == "sf_vastra_ostergotland":
        return wave >= 2
    if actor.actor_id == "sf_motala_vadstena":
        return wave < 2
    return True


def _respondents(actors: list[_Actor], rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    prev_nonresp: set[str] = set()
    for wave in (1, 2):
        asked = [a for a in actors if a.role != "funder" and _present(a, wave)]
        w = np.array([_NONRESPONSE_WEIGHT[a.role] for a in asked])
        w *= [_NONRESPONSE_PERSISTENCE if _BODY.get(a.actor_id, a.actor_id) in prev_nonresp
              else 1.0 for a in asked]
        k = round(NON_RESPONSE_RATE * len(asked))
        chosen = set(rng.choice(len(asked), size=k, replace=False, p=w / w.sum()).tolist())
        prev_nonresp = set()
        for i, a in enumerate(asked):
            if i in chosen:
                declined = rng.random() < _DECLINED_P.get(a.role, _DECLINED_P_OTHER)
                status = "declined" if declined else "not_reached"
                prev_nonresp.add(_BODY.get(a.actor_id, a.actor_id))
            else:
                status = "completed"
            rows.append({"actor_id": a.actor_id, "wave": wave, "status": status})
    df = pd.DataFrame(rows, columns=FILES_BY_STEM["respondents"].names)
    return df.sort_values(["wave", "actor_id"], kind="stable").reset_index(drop=True)


# ---------------------------------------------------------------------------
# Synthetic layer 2: interview ties
# ---------------------------------------------------------------------------
_SF_FOR_KOMMUN = {"0136": "sf_ostra_sodertorn", "0192": "sf_ostra_sodertorn",
                  "0138": "sf_ostra_sodertorn", "0127": "sf_bhs", "0126": "sf_bhs",
                  "0128": "sf_bhs", "0181": "sf_sodertalje", "0182": "sf_nacka",
                  "0120": "sf_varmdo", "0583": "sf_motala_vadstena",
                  "0584": "sf_motala_vadstena"}
_AF_FOR_KOMMUN = {"0182": "af_nacka_varmdo", "0120": "af_nacka_varmdo",
                  "0583": "af_motala_vadstena", "0584": "af_motala_vadstena"}
_PROJECT_SF = "sf_ostra_sodertorn"  # the three projects are Östra Södertörn's
_COMPANION_COORDS = frozenset({"coompanion_stockholm", "coompanion_ostergotland"})

# (p same kommun, p other kommun in the same area) for pairs without a special rule
_PAIR_P: dict[tuple[str, str], tuple[float, float]] = {
    ("kommun", "kommun"): (0.0, 0.30), ("kommun", "fk"): (0.6, 0.6),
    ("kommun", "region"): (0.5, 0.5), ("kommun", "support"): (0.9, 0.1),
    ("kommun", "funder"): (0.02, 0.02), ("kommun", "se"): (0.75, 0.04),
    ("kommun", "aid"): (0.5, 0.03), ("kommun", "assoc"): (0.35, 0.02),
    ("kommun", "company"): (0.2, 0.01),
    ("sf", "sf"): (0.6, 0.6), ("sf", "fk"): (0.95, 0.95), ("sf", "region"): (0.95, 0.95),
    ("sf", "project"): (0.1, 0.1), ("sf", "support"): (0.3, 0.3), ("sf", "funder"): (0.1, 0.1),
    ("af", "af"): (0.9, 0.9), ("af", "fk"): (0.9, 0.9), ("af", "region"): (0.6, 0.6),
    ("af", "coord"): (0.5, 0.5), ("af", "project"): (0.3, 0.3), ("af", "support"): (0.3, 0.3),
    ("af", "funder"): (0.1, 0.1),
    ("fk", "region"): (0.6, 0.6), ("fk", "coord"): (0.3, 0.3), ("fk", "project"): (0.2, 0.2),
    ("fk", "support"): (0.05, 0.05), ("fk", "funder"): (0.1, 0.1), ("fk", "se"): (0.15, 0.15),
    ("fk", "aid"): (0.05, 0.05), ("fk", "assoc"): (0.03, 0.03), ("fk", "company"): (0.01, 0.01),
    ("region", "coord"): (0.4, 0.4), ("region", "project"): (0.2, 0.2),
    ("region", "support"): (0.3, 0.3), ("region", "funder"): (0.1, 0.1),
    ("region", "se"): (0.15, 0.15), ("region", "aid"): (0.1, 0.1),
    ("region", "assoc"): (0.05, 0.05), ("region", "company"): (0.02, 0.02),
    ("coord", "coord"): (0.5, 0.5), ("coord", "project"): (0.4, 0.4),
    ("coord", "support"): (0.5, 0.5), ("coord", "funder"): (0.2, 0.2),
    ("project", "project"): (0.8, 0.8), ("project", "support"): (0.1, 0.1),
    ("project", "funder"): (0.1, 0.1), ("support", "funder"): (0.1, 0.1),
    ("support", "se"): (0.3, 0.05), ("support", "aid"): (0.2, 0.05),
    ("support", "assoc"): (0.2, 0.05), ("support", "company"): (0.3, 0.05),
    ("funder", "funder"): (0.3, 0.3), ("funder", "aid"): (0.01, 0.01),
    ("funder", "assoc"): (0.01, 0.01), ("funder", "company"): (0.01, 0.01),
    ("se", "se"): (0.4, 0.08), ("se", "aid"): (0.2, 0.03), ("se", "assoc"): (0.15, 0.02),
    ("se", "company"): (0.25, 0.04), ("aid", "aid"): (0.3, 0.05),
    ("aid", "assoc"): (0.15, 0.02), ("aid", "company"): (0.05, 0.01),
    ("assoc", "assoc"): (0.1, 0.01), ("assoc", "company"): (0.05, 0.01),
    ("company", "company"): (0.08, 0.01),
}
_HOST_P = {  # (covered/relevant, not) for förbund, AF office, coordinators, projects -> hosts
    "sf": {"se": (0.8, 0.05), "aid": (0.3, 0.01), "assoc": (0.2, 0.01),
           "company": (0.04, 0.005)},
    "af": {"se": (0.6, 0.02), "aid": (0.4, 0.02), "assoc": (0.3, 0.02),
           "company": (0.25, 0.02)},
    "companion": {"se": (0.75, 0.75), "aid": (0.1, 0.1), "assoc": (0.1, 0.1),
                  "company": (0.05, 0.05)},
    "coordproject": {"se": (0.05, 0.05), "aid": (0.03, 0.03), "assoc": (0.03, 0.03),
                     "company": (0.01, 0.01)},
    "project": {"se": (0.6, 0.01), "aid": (0.2, 0.01), "assoc": (0.15, 0.01),
                "company": (0.05, 0.01)},
}
# Wave 2: what the coordinators gain (probability of a new tie, same area or national)
_GAIN_P = {
    "proj_samordning": {"kommun": 0.7, "af": 0.8, "fk": 0.6, "region": 0.6, "se": 0.65,
                        "aid": 0.15, "assoc": 0.08},
    "proj_sociala_ekonomin_motala": {"kommun": 0.6, "af": 0.8, "region": 0.3, "se": 1.0,
                                     "aid": 0.7, "assoc": 0.6, "company": 0.15,
                                     "support": 1.0},
}
_STRENGTH_P = {  # P(strength = 1, 2, 3, 4) by tie class
    "formal": (0.05, 0.15, 0.35, 0.45), "public": (0.15, 0.30, 0.35, 0.20),
    "public_host": (0.30, 0.35, 0.25, 0.10), "coord": (0.25, 0.35, 0.25, 0.15),
    "host": (0.50, 0.30, 0.15, 0.05), "funder": (0.40, 0.30, 0.20, 0.10),
}
_RELATION_P = {  # primary relation by tie class
    "public": {"collaboration": 0.5, "information": 0.3, "agreement": 0.2},
    "public_host": {"referral": 0.6, "information": 0.25, "agreement": 0.15},
    "coord": {"information": 0.5, "joint_activity": 0.5},
    "host": {"information": 0.5, "joint_activity": 0.3, "collaboration": 0.2},
    "funder": {"funding": 0.7, "information": 0.3},
}
_FORMAL_RELATION = {"member_of": "agreement", "owns": "agreement", "funds": "funding",
                    "partner_in": "joint_activity", "collaborates": "collaboration",
                    "agreement": "agreement", "spun_off_from": "collaboration",
                    "advises": "information", "other": "information"}
_ALL_RELATIONS = ("information", "referral", "collaboration", "joint_activity", "agreement",
                  "funding")


def _body(actor_id: str) -> str:
    return _BODY.get(actor_id, actor_id)


def _formal_pairs() -> dict[frozenset, str]:
    """Pairs with a documented affiliation (renamed bodies merged) -> first relation."""
    out: dict[frozenset, str] = {}
    for a, p, rel, _, _ in _AFFILIATION_FACTS:
        key = frozenset({_body(a), _body(p)})
        if len(key) == 2:
            out.setdefault(key, rel)
    return out


def _covers(sf_id: str, kommun: str | None) -> bool:
    return kommun is not None and _SF_FOR_KOMMUN.get(kommun) == _body(sf_id)


def _relevant_af(af_id: str, actor: _Actor) -> bool:
    if actor.kommun is None:
        return actor.area in ("national", "sthlm") and af_id == "af"
    return _AF_FOR_KOMMUN.get(actor.kommun, "af") == af_id


def _tie_class(a: _Actor, b: _Actor) -> str:
    roles = {a.role, b.role}
    if roles & {"coord", "project"}:
        return "coord"
    if "funder" in roles:
        return "funder"
    if roles <= PUBLIC_ROLES | {"support"}:
        return "public"
    if roles <= HOST_ROLES:
        return "host"
    return "public_host"


def _base_tie(a: _Actor, b: _Actor, formal: dict[frozenset, str]) -> tuple[float, str]:
    """Wave-1 probability of a collaboration tie between ``a`` and ``b`` and its class."""
    if "sf_old" in (a.role, b.role):
        return 0.0, "public"
    if frozenset({_body(a.actor_id), _body(b.actor_id)}) in formal:
        return FORMAL_TIE_P, "formal"
    if a.area != b.area and "national" not in (a.area, b.area):
        return CROSS_AREA_TIE_P, _tie_class(a, b)
    if ROLE_ORDER.index(a.role) > ROLE_ORDER.index(b.role):
        a, b = b, a
    cls = _tie_class(a, b)
    same = a.kommun is not None and a.kommun == b.kommun
    ra, rb = a.role, b.role
    if (ra, rb) == ("kommun", "kommun"):
        if _SF_FOR_KOMMUN.get(a.kommun) == _SF_FOR_KOMMUN.get(b.kommun):
            return 0.9, cls
    if (ra, rb) == ("kommun", "sf"):
        return (0.95 if _covers(b.actor_id, a.kommun) else 0.08), cls
    if ra == "af" and rb == "sf" or ra == "sf" and rb == "af":
        sf, af = (a, b) if ra == "sf" else (b, a)
        if af.actor_id == "af":
            return (0.95 if sf.area == "sthlm" else 0.3), cls
        return (0.95 if _relevant_af(af.actor_id, sf) else 0.2), cls
    if "af" in (ra, rb) and "kommun" in (ra, rb):
        k, af = (a, b) if ra == "kommun" else (b, a)
        return (0.9 if _relevant_af(af.actor_id, k) else 0.1), cls
    if rb in HOST_ROLES and ra in ("sf", "af", "coord", "project"):
        if ra == "sf":
            table, hit = _HOST_P["sf"], _covers(a.actor_id, b.kommun)
        elif ra == "af":
            table, hit = _HOST_P["af"], _relevant_af(a.actor_id, b)
        elif ra == "coord":
            key = "companion" if a.actor_id in _COMPANION_COORDS else "coordproject"
            table, hit = _HOST_P[key], True
        else:
            table, hit = _HOST_P["project"], _covers(_PROJECT_SF, b.kommun)
        return table[rb][0 if hit else 1], cls
    if ra == "kommun" and rb in ("coord", "project"):
        if rb == "project":
            return (0.7 if _covers(_PROJECT_SF, a.kommun) else 0.02), cls
        return (0.4 if b.actor_id in _COMPANION_COORDS else 0.05), cls
    if ra == "sf" and rb == "coord":
        return (0.9 if b.actor_id == "coompanion_stockholm" else 0.3), cls
    if rb == "se" and ra == "funder":
        return (0.15 if a.actor_id == "skoopi" else 0.03), cls
    if (ra, rb) == ("se", "se") and not same:
        shared_sf = _SF_FOR_KOMMUN.get(a.kommun) == _SF_FOR_KOMMUN.get(b.kommun)
        return (0.2 if shared_sf else 0.08), cls
    p_same, p_other = _PAIR_P.get((ra, rb), (0.02, 0.02))
    return (p_same if same else p_other), cls


def _gain_p(a: _Actor, b: _Actor) -> float:
    """Wave-2 probability that a coordinator gains a tie to the other actor."""
    for coord, other in ((a, b), (b, a)):
        table = _GAIN_P.get(coord.actor_id)
        if table and other.area in (coord.area, "national"):
            return table.get(other.role, 0.0)
    return 0.0


def _draw_strength(cls: str, rng: np.random.Generator) -> int:
    return int(rng.choice(4, p=_STRENGTH_P[cls])) + 1


def _latent_networks(actors: list[_Actor], rng: np.random.Generator) -> dict[int, dict]:
    """True (unobserved) collaboration ties per wave: {pair: (class, strength, formal rel)}."""
    formal = _formal_pairs()
    w1: dict[tuple[str, str], tuple[str, int, str | None]] = {}
    w2: dict[tuple[str, str], tuple[str, int, str | None]] = {}
    bodies = [a for a in actors if a.actor_id not in _BODY]  # the renamed förbund once
    for a, b in itertools.combinations(bodies, 2):
        p, cls = _base_tie(a, b, formal)
        u1, u2, u3 = rng.random(3)
        rel = formal.get(frozenset({a.actor_id, b.actor_id}))
        key = (a.actor_id, b.actor_id)
        if p > 0 and u1 < p:
            w1[key] = (cls, _draw_strength(cls, rng), rel)
            if cls == "formal" or u2 >= TIE_CHURN_DROP:
                w2[key] = w1[key]
        elif p > 0 and u2 < TIE_CHURN_ADD * p:
            w2[key] = (cls, _draw_strength(cls, rng), rel)
        gain = _gain_p(a, b)
        if key not in w2 and gain > 0 and u3 < gain:
            w2[key] = ("coord", _draw_strength("coord", rng), None)
    # the Motala förbund is "Västra Östergötland" from 2014 (wave 2)
    w2 = {tuple(_SUCCESSOR.get(x, x) for x in k): v for k, v in w2.items()}
    return {1: w1, 2: w2}


def _ties(actors: list[_Actor], respondents: pd.DataFrame,
          rng: np.random.Generator) -> pd.DataFrame:
    latent = _latent_networks(actors, rng)
    rows = []
    for wave, edges in latent.items():
        nbrs: dict[str, list[tuple[str, tuple]]] = {}
        for (x, y), v in edges.items():
            nbrs.setdefault(x, []).append((y, v))
            nbrs.setdefault(y, []).append((x, v))
        done = respondents[(respondents["wave"] == wave)
                           & (respondents["status"] == "completed")]["actor_id"]
        start, end = (dt.date.fromisoformat(d) for d in WAVE_WINDOWS[wave])
        for n, ego in enumerate(sorted(done), start=1):
            day = start + dt.timedelta(days=int(rng.integers(0, (end - start).days + 1)))
            for alter, (cls, strength, frel) in sorted(nbrs.get(ego, [])):
                if rng.random() >= RECALL[strength]:
                    continue
                s = int(np.clip(strength + rng.choice([-1, 0, 1], p=[0.15, 0.7, 0.15]), 1, 4))
                if frel is not None:
                    rel = _FORMAL_RELATION[frel]
                else:
                    table = _RELATION_P[cls]
                    rel = str(rng.choice(list(table), p=list(table.values())))
                rels = [rel]
                if rng.random() < SECOND_RELATION_P:
                    rels.append(str(rng.choice([r for r in _ALL_RELATIONS if r != rel])))
                for i, r in enumerate(rels):
                    rows.append({"respondent_id": ego, "alter_id": alter, "relation": r,
                                 "strength": s if i == 0 else max(1, s - 1), "wave": wave,
                                 "interview_id": f"W{wave}-{n:03d}", "date": day.isoformat(),
                                 "note": pd.NA})
    df = pd.DataFrame(rows, columns=FILES_BY_STEM["ties"].names)
    df["strength"] = df["strength"].astype("int64")
    df["wave"] = df["wave"].astype("int64")
    return df.sort_values(["wave", "respondent_id", "alter_id", "relation"],
                          kind="stable").reset_index(drop=True)


def collaboration_degree(actors: pd.DataFrame, ties: pd.DataFrame) -> pd.Series:
    """Distinct collaboration partners per actor: undirected union of all reported ties
    (every relation, every wave), self-ties ignored – the ``host_degree`` the planted
    outcome effect uses.

    Examples
    --------
    >>> from netsoc.synth.example import make_example
    >>> t = make_example()
    >>> int(collaboration_degree(t["actors"], t["ties"])["k_motala"]) > 10
    True
    """
    pairs = {frozenset(p) for p in zip(ties["respondent_id"], ties["alter_id"], strict=True)
             if p[0] != p[1]}
    counts = Counter(x for p in pairs for x in p)
    ids = actors["actor_id"].tolist()
    return pd.Series([counts.get(x, 0) for x in ids], index=pd.Index(ids, name="actor_id"),
                     dtype="int64")
