"""The placements of the embedded example: host slots fixed by the calibration targets,
persons with 1–3 placements in sequence, referrers, and outcomes carrying the planted effect.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from netsoc.schema import FILES_BY_STEM
from netsoc.synth.example_actors import _Actor, _actors_frame, _allocate
from netsoc.synth.example_data import (
    AGE_BANDS,
    DURATION_DAYS,
    GENDER_P_FEMALE,
    KOMMUNER,
    MOTALA_GRENVERKET_ARBETSTRANING,
    MOTALA_LONEBIDRAG,
    MOTALA_SYSS_COMPANY_SHARE_OF_47,
    MOTALA_SYSS_PLACEMENTS,
    MOTALA_SYSS_SHARES,
    OTHER_SUPPORT_P,
    OUTCOME_MISSING_P,
    PERIOD_END,
    PERIOD_START,
    PLACEMENTS_PER_PERSON,
    STHLM_OTHER_PLACEMENTS,
    STHLM_SE_PLACEMENTS,
    STUDIES_P,
    STUDIES_P_OTHER,
    WORK_AGE_55_64,
    WORK_INTERCEPT,
    WORK_PER_HOST_DEGREE,
    WORK_PROGRAM,
    WORK_SOCIAL_ENTERPRISE,
)
from netsoc.synth.example_ties import _AF_FOR_KOMMUN, _SF_FOR_KOMMUN, collaboration_degree


# ---------------------------------------------------------------------------
# Synthetic layer 3: placements
# ---------------------------------------------------------------------------
@dataclass
class _Slot:
    area: str
    program: str
    host: str
    referrer_rule: str  # how to pick the referrer once the date is known


def _pick_hosts(hosts: list[_Actor], n: int, rng: np.random.Generator,
                weights: list[float] | None = None) -> list[str]:
    w = np.array(weights if weights is not None else [h.capacity or 1 for h in hosts], float)
    idx = rng.choice(len(hosts), size=n, p=w / w.sum())
    return [hosts[i].actor_id for i in idx]


def _placement_slots(actors: list[_Actor], rng: np.random.Generator) -> list[_Slot]:
    by = {}
    for a in actors:
        by.setdefault((a.area, a.role), []).append(a)
    slots: list[_Slot] = []
    # Motala: AF Motala-Vadstena's sysselsättning, split exactly by the May 2014 shares
    n = MOTALA_SYSS_PLACEMENTS
    counts = dict(zip(MOTALA_SYSS_SHARES, _allocate(n, MOTALA_SYSS_SHARES.values()),
                      strict=True))
    n_company = round(counts["company_kommun"] * MOTALA_SYSS_COMPANY_SHARE_OF_47)
    kommuner_m = by[("motala", "kommun")]
    plan = [
        ("assoc", counts["association"], None), ("aid", counts["aid"], None),
        # Återvinningen, Grenverket, Koop M (actor order): weights as their May 2014 places
        ("se", counts["social_enterprise"], [2, 3, 1]),
        ("company", n_company, None),
    ]
    for role, k, weights in plan:
        for h in _pick_hosts(by[("motala", role)], k, rng, weights):
            slots.append(_Slot("motala", "sysselsattning", h, "af_motala"))
    for h in _pick_hosts(kommuner_m, counts["company_kommun"] - n_company, rng,
                         [KOMMUNER[k.kommun][1] for k in kommuner_m]):
        slots.append(_Slot("motala", "sysselsattning", h, "af_motala"))
    # Motala lönebidrag: exact counts per host
    for role in ("assoc", "aid", "se"):
        for h in by[("motala", role)]:
            slots += [_Slot("motala", "lonebidrag", h.actor_id, "af_motala")] * h.lb_places
    assert sum(s.program == "lonebidrag" for s in slots) == sum(MOTALA_LONEBIDRAG.values())
    slots += [_Slot("motala", "arbetstraning", "grenverket", "forbund_motala")
              ] * MOTALA_GRENVERKET_ARBETSTRANING
    # Stockholm: social enterprises (occupation by capacity, employment by employees)
    se_s = by[("sthlm", "se")]
    for program, k in STHLM_SE_PLACEMENTS.items():
        for h in _pick_hosts(se_s, k, rng):
            slots.append(_Slot("sthlm", program, h, "se"))
    for h in se_s:
        slots += [_Slot("sthlm", "lonebidrag", h.actor_id, "af")] * h.employed
    for role, programs in STHLM_OTHER_PLACEMENTS.items():
        hosts = by[("sthlm", role)]
        weights = [KOMMUNER[h.kommun][1] for h in hosts] if role == "kommun" else None
        for program, k in programs.items():
            rule = "af" if program in ("lonebidrag", "nystartsjobb") else role
            for h in _pick_hosts(hosts, k, rng, weights):
                slots.append(_Slot("sthlm", program, h, rule))
    return slots


_REFERRER_P = {  # Stockholm: who refers, by host category
    "se": {"af": 0.45, "kommun": 0.35, "forbund": 0.20},
    "assoc": {"af": 0.6, "kommun": 0.4}, "aid": {"af": 0.6, "kommun": 0.4},
    "company": {"af": 0.85, "kommun": 0.15}, "kommun": {"af": 0.6, "forbund": 0.4},
    "af": {"af": 1.0},
}


def _referrer(slot: _Slot, host: _Actor, start: dt.date, kommun_actor: dict[str, str],
              rng: np.random.Generator) -> str:
    if slot.referrer_rule == "af_motala":
        return "af_motala_vadstena"
    if slot.referrer_rule == "forbund_motala":  # renamed during 2014
        return "sf_motala_vadstena" if start.year < 2014 else "sf_vastra_ostergotland"
    table = _REFERRER_P[slot.referrer_rule]
    kind = str(rng.choice(list(table), p=list(table.values())))
    if kind == "af":
        return _AF_FOR_KOMMUN.get(host.kommun, "af")
    if kind == "kommun":
        return kommun_actor[host.kommun]
    return _SF_FOR_KOMMUN[host.kommun]


def _placements(actors: list[_Actor], ties: pd.DataFrame,
                rng: np.random.Generator) -> pd.DataFrame:
    by_id = {a.actor_id: a for a in actors}
    kommun_actor = {a.kommun: a.actor_id for a in actors if a.role == "kommun"}
    degree = collaboration_degree(_actors_frame(actors), ties)
    slots = _placement_slots(actors, rng)
    order = rng.permutation(len(slots))
    horizon = (PERIOD_END - PERIOD_START).days
    rows = []
    person = 0
    for area in ("sthlm", "motala"):
        queue = [slots[i] for i in order if slots[i].area == area]
        sizes, probs = list(PLACEMENTS_PER_PERSON), list(PLACEMENTS_PER_PERSON.values())
        pos = 0
        while pos < len(queue):
            k = min(int(rng.choice(sizes, p=probs)), len(queue) - pos)
            mine, pos = queue[pos:pos + k], pos + k
            person += 1
            gender = "F" if rng.random() < GENDER_P_FEMALE else "M"
            age = str(rng.choice(list(AGE_BANDS), p=list(AGE_BANDS.values())))
            # starts: the first anywhere that leaves room for the rest, then 90-240 day gaps
            starts = [int(rng.integers(0, horizon - 240 * (k - 1) + 1))]
            for _ in range(k - 1):
                starts.append(starts[-1] + int(rng.integers(90, 241)))
            for j, slot in enumerate(mine):
                lo, hi = DURATION_DAYS[slot.program]
                end = starts[j] + int(rng.integers(lo, hi + 1))
                if j + 1 < k:
                    end = min(end, starts[j + 1] - 1 - int(rng.integers(0, 31)))
                start_d = PERIOD_START + dt.timedelta(days=starts[j])
                host = by_id[slot.host]
                referrer = _referrer(slot, host, start_d, kommun_actor, rng)
                if end > horizon:
                    end_d, outcome = None, "unknown"
                else:
                    end_d = PERIOD_START + dt.timedelta(days=end)
                    outcome = _outcome(host, int(degree[host.actor_id]), slot.program, age,
                                       rng)
                rows.append({"person_key": f"P{person:06d}", "referrer_id": referrer,
                             "host_id": host.actor_id, "program": slot.program,
                             "start_date": start_d.isoformat(),
                             "end_date": end_d.isoformat() if end_d else pd.NA,
                             "outcome": outcome, "gender": gender, "age_band": age})
    df = pd.DataFrame(rows).sort_values(["start_date", "person_key"], kind="stable")
    df.insert(0, "placement_id", [f"PL{i:05d}" for i in range(1, len(df) + 1)])
    return df[FILES_BY_STEM["placements"].names].reset_index(drop=True)


def _outcome(host: _Actor, host_degree: int, program: str, age: str,
             rng: np.random.Generator) -> str:
    """Outcome of an ended placement, with the planted effects (see module constants)."""
    eta = (WORK_INTERCEPT + WORK_PER_HOST_DEGREE * host_degree
           + WORK_SOCIAL_ENTERPRISE * (host.type == "social_enterprise")
           + WORK_PROGRAM[program] + WORK_AGE_55_64 * (age == "55-64"))
    u = rng.random(3)
    if u[0] < OUTCOME_MISSING_P:
        return "unknown"
    if u[1] < 1.0 / (1.0 + np.exp(-eta)):
        return "work"
    studies = STUDIES_P.get(age, STUDIES_P_OTHER)
    if u[2] < studies:
        return "studies"
    if u[2] < studies + (1 - studies) * OTHER_SUPPORT_P:
        return "other_support"
    return "none"
