"""The interviews of the national generator: who was asked and who answered (30 %
non-response), and the ties they report, with alters drawn by distance, type affinity and
popularity.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from netsoc.schema import ACTOR_TYPES, PUBLIC_TYPES, TIE_RELATIONS
from netsoc.synth.national_data import (
    _NT,
    _TIE_ATTRACTION,
    _TIES_PER_RESPONDENT,
    NONRESPONSE,
    TIE_DECAY_KM,
    Scale,
)
from netsoc.synth.national_kommuner import _kernel, _Kommuner
from netsoc.synth.national_sampling import _choose_rows, _choose_within, _top_k_weighted


def _group(t: str) -> int:
    """0 public side (projects run by it included), 1 civil society and business, 2 support."""
    if t in ("support_org", "university"):
        return 2
    return 0 if t in PUBLIC_TYPES or t == "project" else 1


# respondent group x alter group multipliers (public, civil, support)
_GROUP_AFFINITY = np.array([[1.0, 0.6, 0.8], [1.0, 1.0, 0.8], [1.0, 1.0, 1.0]])


def _ties_and_respondents(rng, a: dict, km: _Kommuner, scope, size: Scale, popularity):
    n = len(a["actor_id"])
    ks = len(scope)
    types = a["type"]
    tidx = a["tidx"]
    group = np.array([_group(t) for t in ACTOR_TYPES])[tidx]

    # who was asked: every public body, support organisation, university and social
    # enterprise; the rest sampled from the civil sector, larger organisations more often
    always = ~np.isin(types, ["association", "company", "foundation", "project"])
    rest = np.flatnonzero(~always)
    extra = rest[_top_k_weighted(rng, np.sqrt(popularity[rest]), size.asked - always.sum())]
    asked = np.sort(np.concatenate([np.flatnonzero(always), extra]))
    # exactly 30 % non-response; public bodies answer more often
    propensity = np.array([0.5, 1.2, 1.0])[group[asked]]
    propensity[types[asked] == "social_enterprise"] = 0.9
    nonresp = asked[_top_k_weighted(rng, propensity, int(round(NONRESPONSE * len(asked))))]
    status = np.full(n, "", dtype=object)
    status[asked] = "completed"
    status[nonresp] = np.where(rng.random(len(nonresp)) < 0.45, "declined", "not_reached")
    respondents = pd.DataFrame(
        {"actor_id": a["actor_id"][asked], "wave": 1, "status": status[asked]}
    )
    resp = np.flatnonzero(status == "completed")

    # out-degrees: negative binomial around a type mean, rescaled to the target total
    mean = np.array([_TIES_PER_RESPONDENT[t] for t in ACTOR_TYPES])[tidx[resp]]
    mean *= 1.08 * size.ties / mean.sum()  # ~8 % are lost as duplicates
    k_out = rng.negative_binomial(3, 3 / (3 + mean))
    ego = np.repeat(resp, k_out)

    # alter choice: (kommun, type) cell ∝ distance kernel x type affinity x cell weight,
    # then an actor in the cell ∝ its popularity
    lan_idx = np.unique(a["scope_geo"]["lan_kod"].to_numpy(), return_inverse=True)[1]
    ker = np.full((ks + 1, ks + 1), 0.1)
    ker[:ks, :ks] = _kernel(km.dist[np.ix_(scope, scope)], TIE_DECAY_KM, 3.0, 0.02, lan_idx)
    ker[ks, ks] = 1.0
    attraction = np.array([_TIE_ATTRACTION[t] for t in ACTOR_TYPES])
    tie_pop = popularity**0.6 * attraction[tidx]
    cell = a["kidx"] * _NT + tidx
    cells, cell_inv = np.unique(cell, return_inverse=True)
    cell_w = np.bincount(cell_inv, weights=tie_pop)
    cell_k, cell_t = cells // _NT, cells % _NT
    combo = a["kidx"][ego] * _NT + tidx[ego]
    combos, combo_inv = np.unique(combo, return_inverse=True)
    ck, ct = combos // _NT, combos % _NT
    type_aff = _GROUP_AFFINITY[
        np.array([_group(t) for t in ACTOR_TYPES])[:, None],
        np.array([_group(t) for t in ACTOR_TYPES])[None, :],
    ]
    w = ker[np.ix_(ck, cell_k)] * type_aff[np.ix_(ct, cell_t)] * cell_w[None, :]
    chosen_cell = _choose_rows(rng, w, combo_inv)
    order = np.argsort(cell_inv, kind="stable")
    alter = order[_choose_within(rng, cell_inv[order], tie_pop[order], chosen_cell)]

    # förbund name their owners; kommuner name their förbund
    fb_ego, fb_alter = [], []
    kommun_pos = np.flatnonzero(types == "kommun")
    for j, members in enumerate(a["forbund"]):
        f = a["forbund_pos"][j]
        if status[f] == "completed":
            fb_ego += [f] * len(members)
            fb_alter += list(kommun_pos[members])
        for m in kommun_pos[members]:
            if status[m] == "completed":
                fb_ego.append(m)
                fb_alter.append(f)
    ego = np.concatenate([np.asarray(fb_ego, dtype=np.int64), ego])
    alter = np.concatenate([np.asarray(fb_alter, dtype=np.int64), alter])
    keep = ego != alter
    ego, alter = ego[keep], alter[keep]
    pair = ego.astype(np.int64) * n + alter
    _, first = np.unique(pair, return_index=True)
    first.sort()
    ego, alter = ego[first], alter[first]
    n_fb = int(np.searchsorted(first, len(fb_ego)))

    # relation and strength: public-public ties are more often agreements/collaboration;
    # strength is higher for near partners and for förbund-owner ties
    m = len(ego)
    pub_e, pub_a = group[ego] == 0, group[alter] == 0
    rel_p = np.array(
        [  # information, referral, collaboration, joint_activity, agreement, funding, other
            [0.30, 0.15, 0.20, 0.15, 0.10, 0.05, 0.05],  # civil - civil
            [0.25, 0.30, 0.15, 0.10, 0.10, 0.05, 0.05],  # civil - public
            [0.25, 0.25, 0.15, 0.10, 0.12, 0.10, 0.03],  # public - civil
            [0.30, 0.10, 0.25, 0.10, 0.20, 0.03, 0.02],  # public - public
        ]
    )
    rel = _choose_rows(rng, rel_p, pub_e * 2 + pub_a)
    near = a["kidx"][ego] == a["kidx"][alter]
    strength = 1 + (rng.random((m, 3)) < np.where(near, 0.55, 0.35)[:, None]).sum(axis=1)
    rel[:n_fb] = TIE_RELATIONS.index("agreement")
    strength[:n_fb] = 4
    interview_day = rng.integers(0, 150, size=n)  # interviews Feb-Jun 2022
    ties = pd.DataFrame(
        {
            "respondent_id": a["actor_id"][ego],
            "alter_id": a["actor_id"][alter],
            "relation": np.asarray(TIE_RELATIONS, dtype=object)[rel],
            "strength": strength.astype(np.int64),
            "wave": np.ones(m, dtype=np.int64),
            "interview_id": np.char.add("INT", a["actor_id"][ego].astype(str)).astype(object),
            "date": np.datetime64("2022-02-01", "D") + interview_day[ego],
            "note": np.full(m, None, dtype=object),
        }
    )
    ties = ties.sort_values(["respondent_id", "alter_id"], kind="stable", ignore_index=True)
    return ties, respondents
