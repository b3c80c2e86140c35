"""The placements of the national generator: people and their home kommuner, referrers,
hosts by distance and popularity, programs, dates, and outcomes carrying the planted work
effects (:data:`~netsoc.synth.national_data.PLANTED_WORK_EFFECTS`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from netsoc.schema import OUTCOMES, PROGRAMS
from netsoc.synth.national_data import (
    _AGE_BANDS,
    _AGE_P,
    _DURATION,
    _HOST_SHARE,
    _HOST_TYPES,
    _PROGRAM_P,
    _REFER_HOST,
    _REFERRER_SHARE,
    _REFERRER_TYPES,
    EXTRACT_DAY,
    PERIOD_DAYS,
    PERIOD_START,
    PLACEMENT_DECAY_KM,
    PLANTED_WORK_EFFECTS,
)
from netsoc.synth.national_kommuner import _kernel, _Kommuner
from netsoc.synth.national_sampling import _choose_rows, _choose_within, _ids


def _placements(rng, a: dict, km: _Kommuner, scope, n_placements: int, popularity):
    ks = len(scope)
    geo = a["scope_geo"]
    types = a["type"]
    kidx = a["kidx"]
    lan_idx = np.unique(geo["lan_kod"].to_numpy(), return_inverse=True)[1]

    # people: home kommun ∝ population x need; 1 + Poisson(0.6) placements each
    kw = geo["population"].to_numpy() * geo["need_rate"].to_numpy()
    n_people = int(n_placements / 1.6) + 1000
    counts = 1 + rng.poisson(0.6, size=n_people)
    cum = np.cumsum(counts)
    n_people = int(np.searchsorted(cum, n_placements) + 1)
    counts = counts[:n_people]
    counts[-1] -= cum[n_people - 1] - n_placements
    home = rng.choice(ks, size=n_people, p=kw / kw.sum())
    gender = np.where(rng.random(n_people) < 0.46, "F", "M").astype(object)
    age_i = rng.choice(5, size=n_people, p=_AGE_P)
    person = np.repeat(np.arange(n_people), counts)
    pk = home[person]

    # referrer: AF office serving the kommun, the kommun itself, or its förbund
    rtype = rng.choice(3, size=n_placements, p=_REFERRER_SHARE)
    fb_of_k = np.full(ks, -1)
    for j, members in enumerate(a["forbund"]):
        fb_of_k[members] = j
    rtype[(rtype == 2) & (fb_of_k[pk] < 0)] = 0
    pos_of = {aid: i for i, aid in enumerate(a["actor_id"])}
    codes = km.geo["kommun_kod"].to_numpy()
    af_pos = np.array([pos_of["AF" + codes[km.af_office[s]]] for s in scope])
    kommun_pos = np.flatnonzero(types == "kommun")
    fb_pos = np.append(a["forbund_pos"], -1)
    referrer = np.where(
        rtype == 0, af_pos[pk], np.where(rtype == 1, kommun_pos[pk], fb_pos[fb_of_k[pk]])
    )

    # host: (kommun, host type) cell ∝ kernel x referrer affinity x cell popularity,
    # then a host in the cell ∝ popularity (type totals calibrated to _HOST_SHARE)
    host_t = np.full(len(types), -1)
    for i, t in enumerate(_HOST_TYPES):
        host_t[types == t] = i
    is_host = (host_t >= 0) & (kidx < ks)
    hp = np.where(is_host, popularity, 0.0)
    type_tot = np.bincount(host_t[is_host], weights=hp[is_host], minlength=len(_HOST_TYPES))
    hp[is_host] *= (_HOST_SHARE / np.maximum(type_tot, 1e-12))[host_t[is_host]]
    hosts = np.flatnonzero(is_host)
    cell = kidx[hosts] * len(_HOST_TYPES) + host_t[hosts]
    cells, cell_inv = np.unique(cell, return_inverse=True)
    cell_w = np.bincount(cell_inv, weights=hp[hosts])
    cell_k, cell_t = cells // len(_HOST_TYPES), cells % len(_HOST_TYPES)
    ker = _kernel(km.dist[np.ix_(scope, scope)], PLACEMENT_DECAY_KM, 2.0, 1e-3, lan_idx)
    combos, combo_inv = np.unique(pk * 3 + rtype, return_inverse=True)
    ck, cr = combos // 3, combos % 3
    w = ker[np.ix_(ck, cell_k)] * _REFER_HOST[np.ix_(cr, cell_t)] * cell_w[None, :]
    # a kommun hosts placements (arbetsmarknadsenhet) only for its own residents
    w[(cell_t[None, :] == 0) & (cell_k[None, :] != ck[:, None])] = 0.0
    chosen = _choose_rows(rng, w, combo_inv)
    order = np.argsort(cell_inv, kind="stable")
    host = hosts[order[_choose_within(rng, cell_inv[order], hp[hosts][order], chosen)]]
    ht = host_t[host]

    # program | referrer type, host type
    prog_p = np.array([_PROGRAM_P[(r, h)] for r in _REFERRER_TYPES for h in _HOST_TYPES])
    prog = _choose_rows(rng, prog_p, rtype * len(_HOST_TYPES) + ht)

    # dates: starts uniform over three years, in order within a person; a placement
    # ends at its planned duration or when the person's next placement starts
    start = rng.integers(0, PERIOD_DAYS, size=n_placements)
    order = np.lexsort((start, person))
    start = start[order]  # person is already sorted, so only starts move
    duration = np.maximum(14, _DURATION[prog] * rng.gamma(3.0, 1 / 3.0, n_placements))
    end = start + np.round(duration).astype(np.int64)
    last = np.ones(n_placements, dtype=bool)
    last[:-1] = person[1:] != person[:-1]
    nxt = np.append(start[1:], 0)
    end = np.where(~last, np.maximum(start, np.minimum(end, nxt - 1)), end)
    ongoing = end > EXTRACT_DAY

    # outcomes: multinomial logit; the planted work effects act on last placements
    e = PLANTED_WORK_EFFECTS
    logpop = np.log(popularity[host])
    log_need = np.log(geo["need_rate"].to_numpy()[pk] / 4.0)  # centred at 4 %
    ht_eff = np.array(
        [
            e["host_type[kommun]"],
            e["host_type[social_enterprise]"],
            e["host_type[association]"],
            e["host_type[company]"],
            0.0,
        ]
    )
    prog_eff = np.zeros(len(PROGRAMS))
    for p_name in ("lonebidrag", "nystartsjobb", "praktik"):
        prog_eff[PROGRAMS.index(p_name)] = e[f"program[{p_name}]"]
    age_eff = np.zeros(len(_AGE_BANDS))
    age_eff[0], age_eff[4] = e["age_band[16-24]"], e["age_band[55-64]"]
    age_p = age_i[person]
    work = (
        e["intercept"]
        + e["host_log_popularity"] * logpop
        + e["log_need_rate"] * log_need
        + ht_eff[ht]
        + prog_eff[prog]
        + age_eff[age_p]
    )
    # logits of (work, studies, other_support, none); last placements vs. transitions
    logits = np.column_stack(
        [
            np.where(last, work, work - 2.5),
            np.full(n_placements, -2.2) + 0.6 * (age_p == 0),
            np.where(last, -0.9, 1.2),
            np.zeros(n_placements),
        ]
    )
    prob = np.exp(logits - logits.max(axis=1, keepdims=True))
    prob /= prob.sum(axis=1, keepdims=True)
    u = rng.random(n_placements)[:, None]
    outcome = (u > np.cumsum(prob, axis=1)).sum(axis=1)
    outcome = np.minimum(outcome, 3)
    outcome[ongoing] = OUTCOMES.index("unknown")

    # the file is sorted like a register extract: by start date, then person
    order = np.lexsort((person, start))
    person_keys = _ids("P", n_people, 7)
    start_d = PERIOD_START + start[order].astype("timedelta64[D]")
    end_d = PERIOD_START + end[order].astype("timedelta64[D]")
    end_d[ongoing[order]] = np.datetime64("NaT")
    ids = a["actor_id"]
    return pd.DataFrame(
        {
            "placement_id": _ids("PL", n_placements, 7),
            "person_key": person_keys[person[order]],
            "referrer_id": ids[referrer[order]],
            "host_id": ids[host[order]],
            "program": np.asarray(PROGRAMS, dtype=object)[prog[order]],
            "start_date": start_d,
            "end_date": end_d,
            "outcome": np.asarray(OUTCOMES, dtype=object)[outcome[order]],
            "gender": gender[person[order]],
            "age_band": _AGE_BANDS[age_i[person[order]]],
        },
        copy=False,
    )
