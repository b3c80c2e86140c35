"""The organisations of the national generator: kommuner, regions, länsstyrelser,
Coompanion, samordningsförbund, AF/FK offices, universities, national bodies, social
enterprises, associations, companies, foundations and projects; their table, their
affiliations (Finsam membership, grants, IOP, projects) and their heavy-tailed popularity.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from netsoc.schema import FILES_BY_STEM
from netsoc.synth.national_data import (
    _ASSOCIATION_NAMES,
    _ENTERPRISE_NAMES,
    _NATIONAL_BODIES,
    _SURNAMES,
    _TRADES,
    _TYPE_INDEX,
    _UNIVERSITIES,
    Scale,
)
from netsoc.synth.national_kommuner import _Kommuner
from netsoc.synth.national_sampling import _dedupe_names, _ids, _org_nr


def _genitive(name: str) -> str:
    # "Motala kommun", "Salems kommun", "Vännäs kommun": s after a consonant only
    return name if name[-1].lower() in "aeiouyåäös" else name + "s"


def _region_name(lan_namn: str) -> str:
    base = lan_namn.removesuffix(" län")
    return "Region " + (base[:-1] if base.endswith("s") else base)


def _actors(rng: np.random.Generator, km: _Kommuner, scope: np.ndarray, size: Scale) -> dict:
    """Actor blocks for the kommuner in ``scope`` (national indices).

    Returns a dict of aligned arrays: ``actor_id, name, type, kidx`` (index into scope,
    ``len(scope)`` for national bodies), ``org_nr, capacity, popularity`` plus lookups.
    """
    geo = km.geo.iloc[scope].reset_index(drop=True)
    ks = len(scope)
    local = np.full(len(km.geo), -1)
    local[scope] = np.arange(ks)
    codes = geo["kommun_kod"].to_numpy()
    names = geo["kommun_namn"].to_numpy()
    pop = geo["population"].to_numpy().astype(float)
    need = geo["need_rate"].to_numpy()

    blocks: list[dict] = []

    def add(ids, nm, typ, kidx, org=None, cap=None):
        n = len(ids)
        blocks.append(
            {
                "actor_id": np.asarray(ids, dtype=object),
                "name": np.asarray(nm, dtype=object),
                "type": np.full(n, typ, dtype=object),
                "kidx": np.asarray(kidx, dtype=np.int64),
                "org_nr": np.full(n, None, dtype=object) if org is None else org,
                "capacity": np.full(n, np.nan) if cap is None else np.asarray(cap, float),
            }
        )

    add(
        ["K" + c for c in codes], [_genitive(n) + " kommun" for n in names], "kommun", np.arange(ks)
    )
    lans = geo.drop_duplicates("lan_kod")
    lan_seat = np.array(
        [local[np.flatnonzero(km.geo["kommun_kod"] == c + "80")[0]] for c in lans["lan_kod"]]
    )
    add(
        ["R" + c for c in lans["lan_kod"]],
        [_region_name(n) for n in lans["lan_namn"]],
        "region",
        lan_seat,
    )
    add(
        ["LST" + c for c in lans["lan_kod"]],
        ["Länsstyrelsen i " + n for n in lans["lan_namn"]],
        "other_public",
        lan_seat,
    )
    coompanion = ["Coompanion " + _region_name(n).removeprefix("Region ") for n in lans["lan_namn"]]
    add(["COOP" + c for c in lans["lan_kod"]], coompanion, "support_org", lan_seat)

    # samordningsförbund whose members are all in scope (they never cross a län)
    fb = [(i, m) for i, m in enumerate(km.forbund) if (local[m] >= 0).all()]
    fb_ids, fb_names, fb_seat = [], [], []
    for j, (_, m) in enumerate(fb, start=1):
        member_names = km.geo["kommun_namn"].to_numpy()[m]
        seat_k = m[np.argmax(km.geo["population"].to_numpy()[m])]
        if len(m) == 1:
            nm = f"Samordningsförbundet i {member_names[0]}"
        elif len(m) <= 3:
            nm = "Samordningsförbundet " + "–".join(member_names)
        else:
            nm = f"Samordningsförbundet {km.geo['kommun_namn'].iloc[seat_k]} med omnejd"
        fb_ids.append(f"SF{j:03d}")
        fb_names.append(nm)
        fb_seat.append(local[seat_k])
    add(fb_ids, fb_names, "samordningsforbund", fb_seat)

    af_k = np.unique(km.af_office[scope])
    fk_k = np.unique(km.fk_office[scope])
    gnames = km.geo["kommun_namn"].to_numpy()
    gcodes = km.geo["kommun_kod"].to_numpy()
    add(
        ["AF" + c for c in gcodes[af_k]],
        ["Arbetsförmedlingen " + n for n in gnames[af_k]],
        "arbetsformedlingen",
        local[af_k],
    )
    add(
        ["FK" + c for c in gcodes[fk_k]],
        ["Försäkringskassan " + n for n in gnames[fk_k]],
        "forsakringskassan",
        local[fk_k],
    )
    uni = [(c, n) for c, n in _UNIVERSITIES.items() if c in set(codes)]
    add(
        ["UNI" + c for c, _ in uni],
        [n for _, n in uni],
        "university",
        [local[np.flatnonzero(gcodes == c)[0]] for c, _ in uni],
    )
    for aid, nm, typ in _NATIONAL_BODIES:
        add([aid], [nm], typ, [ks])

    def civil(n, weight, prefix, width, typ, templates, org_prefix, cap=None):
        kidx = rng.choice(ks, size=n, p=weight / weight.sum())
        kidx.sort()
        tmpl = np.asarray(templates, dtype=object)[rng.integers(len(templates), size=n)]
        nm = _dedupe_names(pd.Series(tmpl) + " " + pd.Series(names[kidx], dtype=object))
        org = _org_nr(rng, org_prefix, n) if org_prefix else None
        add(_ids(prefix, n, width), nm.to_numpy(), typ, kidx, org, cap)

    civil(
        size.enterprises,
        pop**0.9 * need,
        "SE",
        4,
        "social_enterprise",
        _ENTERPRISE_NAMES,
        769,
        np.round(np.exp(np.log(12) + 0.6 * rng.standard_normal(size.enterprises))),
    )
    civil(size.associations, pop, "AS", 5, "association", _ASSOCIATION_NAMES, 802)
    trade = (
        pd.Series(np.asarray(_SURNAMES, dtype=object)[rng.integers(20, size=40)])
        + "s "
        + pd.Series(np.asarray(_TRADES, dtype=object)[rng.integers(15, size=40)])
    )
    civil(
        size.companies,
        pop**1.1,
        "CO",
        5,
        "company",
        [t + " AB i" for t in trade.drop_duplicates()],
        556,
    )
    civil(
        size.foundations,
        pop**1.2,
        "FO",
        4,
        "foundation",
        [
            "Stiftelsen Arbete och Gemenskap",
            "Stiftelsen Gröna Vägen",
            "Stiftelsen Framsteg",
            "Stiftelsen Nya Möjligheter",
        ],
        802,
    )
    # ESF/Arvsfonden projects, run by samordningsförbund (about 1.5 per förbund)
    n_proj = int(round(1.5 * len(fb)))
    proj_owner = rng.integers(len(fb), size=n_proj) if len(fb) else np.array([], int)
    proj_owner.sort()
    add(
        _ids("PR", n_proj, 3),
        [
            f"Projekt {w} ({fb_names[o].removeprefix('Samordningsförbundet ')})"
            for w, o in zip(
                rng.choice(
                    ["Steget", "Vägen in", "Nya jobb", "Kraftsamling", "Bryggan", "Lots"],
                    size=n_proj,
                ),
                proj_owner,
                strict=True,
            )
        ],
        "project",
        np.asarray(fb_seat, dtype=np.int64)[proj_owner],
    )

    out = {k: np.concatenate([b[k] for b in blocks]) for k in blocks[0]}
    out["name"] = _dedupe_names(pd.Series(out["name"], dtype=object)).to_numpy()
    out["tidx"] = np.array([_TYPE_INDEX[t] for t in out["type"]], dtype=np.int64)
    out["forbund"] = [local[m] for _, m in fb]
    out["forbund_start"] = km.forbund_start[[i for i, _ in fb]]
    out["forbund_pos"] = np.flatnonzero(out["type"] == "samordningsforbund")
    out["project_pos"] = np.flatnonzero(out["type"] == "project")
    out["project_owner"] = proj_owner
    out["scope_geo"] = geo
    out["local"] = local
    return out


# --------------------------------------------------------------------------- tables


def _actors_table(a: dict, geo: pd.DataFrame) -> pd.DataFrame:
    ks = len(geo)
    codes = np.append(geo["kommun_kod"].to_numpy().astype(object), None)
    return pd.DataFrame(
        {
            "actor_id": a["actor_id"],
            "name": a["name"],
            "type": a["type"],
            "kommun_kod": codes[np.minimum(a["kidx"], ks)],
            "aliases": np.full(len(a["actor_id"]), None, dtype=object),
            "org_nr": a["org_nr"],
            "lat": np.nan,
            "lon": np.nan,
            "capacity": a["capacity"],
        }
    )


def _affiliations(rng: np.random.Generator, a: dict, km: _Kommuner, scope: np.ndarray):
    ks = len(scope)
    kommun_pos = np.flatnonzero(a["type"] == "kommun")  # ordered like scope
    lan_codes = a["scope_geo"]["lan_kod"].to_numpy()
    rows: list[tuple] = []
    src = "synthetic: Finsam membership"
    for j, members in enumerate(a["forbund"]):
        fid = a["actor_id"][a["forbund_pos"][j]]
        start = int(a["forbund_start"][j])
        seat = members[np.argmax(a["scope_geo"]["population"].to_numpy()[members])]
        nat_seat = scope[seat]
        owners = [a["actor_id"][kommun_pos[m]] for m in members]
        owners += [
            "AF" + km.geo["kommun_kod"].iloc[km.af_office[nat_seat]],
            "FK" + km.geo["kommun_kod"].iloc[km.fk_office[nat_seat]],
            "R" + lan_codes[seat],
        ]
        rows += [(o, fid, "member_of", start, None, src) for o in owners]
    # local offices belong to their national agency
    for t, nat in (("arbetsformedlingen", "AF"), ("forsakringskassan", "FK")):
        for p in np.flatnonzero(a["type"] == t):
            if a["actor_id"][p] != nat:
                rows.append((a["actor_id"][p], nat, "other", None, None, "local office"))

    # förbund fund some social enterprises in their area; kommuner sign IOP agreements;
    # enterprises are members of their län's Coompanion
    kidx = a["kidx"]
    fb_of_k = np.full(ks + 1, -1)
    for j, members in enumerate(a["forbund"]):
        fb_of_k[members] = j
    se = np.flatnonzero(a["type"] == "social_enterprise")
    u = rng.random((len(se), 3))
    years = rng.integers(2012, 2023, size=len(se))
    for i, p in enumerate(se):
        k = kidx[p]
        sid = a["actor_id"][p]
        if fb_of_k[k] >= 0 and u[i, 0] < 0.4:
            fid = a["actor_id"][a["forbund_pos"][fb_of_k[k]]]
            rows.append((fid, sid, "funds", int(years[i]), None, "synthetic: förbund grants"))
        if u[i, 1] < 0.3:
            rows.append(
                (
                    a["actor_id"][kommun_pos[k]],
                    sid,
                    "agreement",
                    int(years[i]),
                    None,
                    "synthetic: IOP",
                )
            )
        if u[i, 2] < 0.5:
            rows.append(
                (
                    sid,
                    "COOP" + lan_codes[k],
                    "member_of",
                    int(years[i]),
                    None,
                    "synthetic: Coompanion membership",
                )
            )
    # projects: funded by their förbund (and ESF), with local partners
    civil_pos = np.flatnonzero(np.isin(a["type"], ["social_enterprise", "association"]))
    civil_k = kidx[civil_pos]
    for i, p in enumerate(a["project_pos"]):
        j = a["project_owner"][i]
        pid = a["actor_id"][p]
        year = int(rng.integers(2015, 2023))
        rows.append(
            (
                a["actor_id"][a["forbund_pos"][j]],
                pid,
                "funds",
                year,
                year + 3,
                "synthetic: project plan",
            )
        )
        rows.append(("ESF", pid, "funds", year, year + 3, "synthetic: project plan"))
        cand = civil_pos[np.isin(civil_k, a["forbund"][j])]
        for c in rng.choice(cand, size=min(len(cand), int(rng.integers(2, 5))), replace=False):
            rows.append(
                (a["actor_id"][c], pid, "partner_in", year, year + 3, "synthetic: project plan")
            )
    df = pd.DataFrame(rows, columns=FILES_BY_STEM["affiliations"].names)
    df = df.drop_duplicates(["actor_id", "partner_id", "relation"], ignore_index=True)
    for c in ("start_year", "end_year"):
        df[c] = df[c].astype("Int64")
    return df


def _popularity(rng: np.random.Generator, a: dict) -> np.ndarray:
    """Heavy-tailed (log-normal) size of every organisation; kommuner by population."""
    n = len(a["actor_id"])
    z = rng.standard_normal(n)
    pop = np.exp(1.5 * z)
    is_k = a["type"] == "kommun"
    kpop = a["scope_geo"]["population"].to_numpy().astype(float)
    pop[is_k] = np.sqrt(kpop[a["kidx"][is_k]] / 10_000.0)
    return pop
