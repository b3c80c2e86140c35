"""The actors of the embedded example: the documentary layer (actors the reports name and
the affiliations they state) and the synthetic actors sized to the reports' totals.

Nothing here depends on the seed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from netsoc.schema import FILES_BY_STEM
from netsoc.synth.example_data import (
    _AFFILIATION_FACTS,
    GRENVERKET_LONEBIDRAG,
    KOMMUNER,
    MOTALA_HOST_ASSOCIATIONS,
    MOTALA_LONEBIDRAG,
    MOTALA_SYSS_COMPANY_SHARE_OF_47,
    MOTALA_SYSS_SHARES,
    MOTALA_SYSS_SNAPSHOT,
    OS_SE_ACTIVE,
    OS_SE_EMPLOYED,
    OS_SOCIAL_ENTERPRISES,
    SE_PER_KOMMUN,
    STHLM_SE_EMPLOYED,
    STHLM_SE_OCCUPIED,
    STHLM_SOCIAL_ENTERPRISES,
)


@dataclass
class _Actor:
    actor_id: str
    name: str
    type: str
    kommun: str | None
    role: str
    area: str  # sthlm | motala | national
    aliases: str = ""
    capacity: int | None = None
    synthetic: bool = False
    kommun_assumed: bool = False  # kommun given for mapping, not stated in the reports
    employed: int = 0  # Stockholm ASF: employees (lönebidrag placements are allocated by it)
    lb_places: int = 0  # Motala: lönebidrag employments at this host (exact)


# ---------------------------------------------------------------------------
# Documentary layer
# ---------------------------------------------------------------------------
def _allocate(total: int, weights: Iterable[float]) -> list[int]:
    """Split ``total`` into integers proportional to ``weights`` (largest remainder)."""
    w = np.asarray(list(weights), dtype=float)
    if total == 0 or len(w) == 0:
        return [0] * len(w)
    raw = total * w / w.sum()
    base = np.floor(raw).astype(int)
    order = np.argsort(-(raw - base), kind="stable")
    base[order[: total - base.sum()]] += 1
    return base.tolist()


def _sizes(n: int) -> list[float]:
    """Fixed, skewed size weights for ``n`` synthetic hosts (largest first)."""
    return [1.0 / (1.0 + 0.35 * i) for i in range(n)]


def _letters(n: int) -> list[str]:
    return [chr(ord("A") + i) for i in range(n)]


def _slug(name: str) -> str:
    table = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e"})
    return name.lower().translate(table)


def _documentary_actors() -> list[_Actor]:
    """Actors named in the reports (ids as in seedfacts), with netsoc types."""
    a = []
    official = {"0128": "Salems kommun", "0192": "Nynäshamns kommun"}
    for kod in ("0127", "0126", "0120", "0128", "0182", "0136", "0138", "0192", "0181"):
        name = KOMMUNER[kod][0]
        a.append(_Actor(f"k_{_slug(name)}", official.get(kod, f"{name} kommun"), "kommun", kod,
                        "kommun", "sthlm", aliases=name))
    a += [
        _Actor("sf_ostra_sodertorn", "Samordningsförbundet Östra Södertörn", "samordningsforbund",
               "0136", "sf", "sthlm", aliases="Östra Södertörn", kommun_assumed=True),
        _Actor("sf_bhs", "Samordningsförbundet Huddinge, Botkyrka, Salem", "samordningsforbund",
               "0126", "sf", "sthlm",
               aliases="HBS;Samordningsförbundet HBS;Samordningsförbundet Botkyrka-Huddinge-Salem",
               kommun_assumed=True),
        _Actor("sf_nacka", "Samordningsförbundet Välfärd i Nacka", "samordningsforbund", "0182",
               "sf", "sthlm", aliases="Välfärd i Nacka;Samordningsförbundet Nacka"),
        _Actor("sf_varmdo", "Samordningsförbundet Värmdö (Värmsam)", "samordningsforbund", "0120",
               "sf", "sthlm", aliases="Värmsam;Samordningsförbundet Värmdö"),
        _Actor("sf_sodertalje", "Samordningsförbundet Södertälje (Sfris)", "samordningsforbund",
               "0181", "sf", "sthlm", aliases="Sfris;Samordningsförbundet Södertälje"),
        _Actor("sf_haninge", "Samordningsförbundet Haninge (föregångare)", "samordningsforbund",
               "0136", "sf_old", "sthlm"),
        _Actor("sf_botkyrka", "Samordningsförbundet i Botkyrka (föregångare)",
               "samordningsforbund", "0127", "sf_old", "sthlm"),
        _Actor("sf_huddinge", "Samordningsförbundet i Huddinge (föregångare)",
               "samordningsforbund", "0126", "sf_old", "sthlm"),
        _Actor("af", "Arbetsförmedlingen", "arbetsformedlingen", None, "af", "national",
               aliases="AF;Arbetsförmedlingen Stockholm"),
        _Actor("af_nacka_varmdo", "Arbetsförmedlingen i Nacka/Värmdö", "arbetsformedlingen",
               "0182", "af", "sthlm", aliases="AF Nacka;AF Nacka/Värmdö", kommun_assumed=True),
        _Actor("fk", "Försäkringskassan", "forsakringskassan", None, "fk", "national",
               aliases="FK"),
        _Actor("ll_stockholm", "Stockholms läns landsting", "region", None, "region", "sthlm",
               aliases="SLL;Region Stockholm;landstinget"),
        _Actor("coompanion_stockholm", "Coompanion Stockholm", "support_org", None, "coord",
               "sthlm", aliases="Coompanion Stockholms län"),
        _Actor("proj_samordning", "Samordning för socialt företagande (ESF-förstudie)", "project",
               None, "coord", "sthlm", aliases="Samordning för socialt företagande;förstudien"),
        _Actor("proj_resursmodellen", "Resursmodellen Södertörn", "project", "0136", "project",
               "sthlm", aliases="Resursmodellen", kommun_assumed=True),
        _Actor("proj_grenverket_sodertorn", "Grenverket Södertörn", "project", "0136", "project",
               "sthlm", kommun_assumed=True),
        _Actor("proj_grenverket_tyreso_nynashamn", "Grenverket Tyresö och Nynäshamn", "project",
               "0138", "project", "sthlm", kommun_assumed=True),
        _Actor("coompanion", "Coompanion", "support_org", None, "funder", "national",
               aliases="Coompanion Sverige"),
        _Actor("skoopi", "SKOOPI (Sociala arbetskooperativens intresseorganisation)",
               "association", None, "funder", "national", aliases="SKOOPI"),
        _Actor("esf", "Europeiska socialfonden (ESF)", "other_public", None, "funder",
               "national", aliases="ESF;Socialfonden;ESF-rådet"),
        _Actor("tillvaxtverket", "Tillväxtverket", "other_public", None, "funder", "national"),
        _Actor("allmanna_arvsfonden", "Allmänna arvsfonden", "other_public", None, "funder",
               "national", aliases="Arvsfonden"),
        # Motala's placement picture
        _Actor("k_motala", "Motala kommun", "kommun", "0583", "kommun", "motala",
               aliases="Motala"),
        _Actor("k_vadstena", "Vadstena kommun", "kommun", "0584", "kommun", "motala",
               aliases="Vadstena"),
        _Actor("sf_motala_vadstena", "Samordningsförbundet Motala-Vadstena",
               "samordningsforbund", "0583", "sf", "motala",
               aliases="Samordningsförbundet Motala–Vadstena", kommun_assumed=True),
        _Actor("sf_vastra_ostergotland", "Samordningsförbundet Västra Östergötland",
               "samordningsforbund", "0583", "sf", "motala", kommun_assumed=True),
        _Actor("af_motala_vadstena", "Arbetsförmedlingen Motala-Vadstena", "arbetsformedlingen",
               "0583", "af", "motala", aliases="AF Motala;AF Motala-Vadstena",
               kommun_assumed=True),
        _Actor("reg_ostergotland", "Region Östergötland", "region", None, "region", "motala",
               aliases="Landstinget i Östergötland"),
        _Actor("proj_sociala_ekonomin_motala", "Projekt Sociala Ekonomin i Motala", "project",
               "0583", "coord", "motala", aliases="Sociala ekonomin Motala"),
        _Actor("tillvaxt_motala", "Tillväxt Motala", "support_org", "0583", "support",
               "motala", aliases="Tillväxt Motala AB"),
        _Actor("coompanion_ostergotland", "Coompanion Östergötland", "support_org", None,
               "coord", "motala"),
        _Actor("aterv", "Återvinningen (Motala Återvinningsförening)", "social_enterprise",
               "0583", "se", "motala", aliases="Återvinningen;Motala Återvinningsförening",
               capacity=14, lb_places=12),
        _Actor("grenverket", "Kooperativet Grenverket", "social_enterprise", "0583", "se",
               "motala", aliases="Grenverket", capacity=39, lb_places=GRENVERKET_LONEBIDRAG),
        _Actor("koop_m", "Koop M", "social_enterprise", "0584", "se", "motala", capacity=5,
               lb_places=4),
        _Actor("motala_legomontering", "Motala Legomontering AB", "company", "0583", "company",
               "motala"),
        _Actor("vatternrundan", "Vätternrundan", "association", "0583", "assoc", "motala"),
        _Actor("piraterna", "Piraterna", "association", "0583", "assoc", "motala"),
        _Actor("verkstadsliv", "Verkstadsliv", "association", "0583", "assoc", "motala"),
        _Actor("hjarta_till_hjarta", "Hjärta till Hjärta", "association", "0583", "aid",
               "motala", kommun_assumed=True),
    ]
    return a


def _synthetic_actors(doc: list[_Actor]) -> list[_Actor]:
    """Actors the reports do not name, sized to the reports' totals (seed-independent)."""
    out: list[_Actor] = []
    os_kommuner = ("0136", "0138", "0192")
    # Stockholm social enterprises: capacity = people occupied, employed = employees.
    se_os, se_rest = [], []
    for kod, n in SE_PER_KOMMUN.items():
        name = KOMMUNER[kod][0]
        for letter in _letters(n):
            actor = _Actor(f"syn_se_{_slug(name)}_{letter.lower()}",
                           f"Socialt företag {name} {letter} (syntetisk)", "social_enterprise",
                           kod, "se", "sthlm", synthetic=True)
            (se_os if kod in os_kommuner else se_rest).append(actor)
    assert len(se_os) == OS_SOCIAL_ENTERPRISES
    assert len(se_os) + len(se_rest) == STHLM_SOCIAL_ENTERPRISES
    for group, occupied, employed in (
        (se_os, OS_SE_ACTIVE, OS_SE_EMPLOYED),
        (se_rest, STHLM_SE_OCCUPIED - OS_SE_ACTIVE, STHLM_SE_EMPLOYED - OS_SE_EMPLOYED),
    ):
        for actor, cap, emp in zip(group, _allocate(occupied, _sizes(len(group))),
                                   _allocate(employed, _sizes(len(group))), strict=True):
            actor.capacity, actor.employed = cap, emp
    out += se_os + se_rest

    sthlm = [k for k, v in KOMMUNER.items() if v[6] == "sthlm"]
    assoc = [_Actor(f"syn_assoc_{_slug(KOMMUNER[k][0])}_{x.lower()}",
                    f"Förening {KOMMUNER[k][0]} {x} (syntetisk)", "association", k, "assoc",
                    "sthlm", synthetic=True) for k in sthlm for x in _letters(3)]
    aid = [_Actor(f"syn_aid_{_slug(KOMMUNER[k][0])}",
                  f"Hjälporganisation {KOMMUNER[k][0]} (syntetisk)", "association", k, "aid",
                  "sthlm", synthetic=True) for k in ("0127", "0181", "0136", "0182")]
    comp = [_Actor(f"syn_company_{_slug(KOMMUNER[k][0])}_{x.lower()}",
                   f"Företag {KOMMUNER[k][0]} {x} (syntetisk)", "company", k, "company",
                   "sthlm", synthetic=True) for k in sthlm for x in _letters(2)]
    for group, places in ((assoc, 220), (aid, 60), (comp, 110)):
        for actor, cap in zip(group, _allocate(places, _sizes(len(group))), strict=True):
            actor.capacity = cap
    out += assoc + aid + comp

    # Motala: 24 host associations in total (3 named in the report), 4 aid organisations
    # (1 named), 15 companies (1 named).
    m_assoc = (
        [("Idrottsförening Motala", "0583", x) for x in _letters(15)]
        + [("Idrottsförening Vadstena", "0584", "A")]
        + [("Trossamfund Motala", "0583", x) for x in _letters(2)]
        + [("Trossamfund Vadstena", "0584", "A")]
        + [("Intresseförening Motala", "0583", x) for x in _letters(2)]
    )
    named_assoc = [d for d in doc if d.area == "motala" and d.role == "assoc"]
    m_assoc_actors = [
        _Actor(f"syn_{_slug(label).replace(' ', '_')}_{x.lower()}", f"{label} {x} (syntetisk)",
               "association", kod, "assoc", "motala", synthetic=True)
        for label, kod, x in m_assoc
    ]
    all_assoc = named_assoc + m_assoc_actors
    assert len(all_assoc) == MOTALA_HOST_ASSOCIATIONS
    m_aid_actors = [
        _Actor("syn_aid_motala_a", "Hjälporganisation Motala A (syntetisk)", "association",
               "0583", "aid", "motala", synthetic=True),
        _Actor("syn_aid_motala_b", "Hjälporganisation Motala B (syntetisk)", "association",
               "0583", "aid", "motala", synthetic=True),
        _Actor("syn_aid_vadstena", "Hjälporganisation Vadstena (syntetisk)", "association",
               "0584", "aid", "motala", synthetic=True),
    ]
    all_aid = [d for d in doc if d.area == "motala" and d.role == "aid"] + m_aid_actors
    m_comp_actors = (
        [_Actor(f"syn_company_motala_{x.lower()}", f"Företag Motala {x} (syntetisk)", "company",
                "0583", "company", "motala", synthetic=True) for x in _letters(11)]
        + [_Actor(f"syn_company_vadstena_{x.lower()}", f"Företag Vadstena {x} (syntetisk)",
                  "company", "0584", "company", "motala", synthetic=True) for x in _letters(3)]
    )
    all_comp = [d for d in doc if d.area == "motala" and d.role == "company"] + m_comp_actors
    # capacity = AF-supported places in the May 2014 snapshot (sysselsättning + lönebidrag)
    for group, syss, lb in (
        (all_assoc, MOTALA_SYSS_SNAPSHOT["association"], MOTALA_LONEBIDRAG["association"]),
        (all_aid, MOTALA_SYSS_SNAPSHOT["aid"], MOTALA_LONEBIDRAG["aid"]),
    ):
        weights = _sizes(len(group))
        for actor, s, b in zip(group, _allocate(syss, weights), _allocate(lb, weights),
                               strict=True):
            actor.capacity, actor.lb_places = s + b, b
    snapshot_company = round(
        sum(MOTALA_SYSS_SNAPSHOT.values()) / (1 - MOTALA_SYSS_SHARES["company_kommun"])
        * MOTALA_SYSS_SHARES["company_kommun"] * MOTALA_SYSS_COMPANY_SHARE_OF_47
    )
    for actor, cap in zip(all_comp, _allocate(snapshot_company, _sizes(len(all_comp))),
                          strict=True):
        actor.capacity = cap
    out += m_assoc_actors + m_aid_actors + m_comp_actors
    return out


def _all_actors() -> list[_Actor]:
    doc = _documentary_actors()
    return doc + _synthetic_actors(doc)

def _affiliations() -> pd.DataFrame:
    rows = [
        {"actor_id": a, "partner_id": p, "relation": rel,
         "start_year": int(y) if y else pd.NA, "end_year": pd.NA, "source": src}
        for a, p, rel, y, src in _AFFILIATION_FACTS
    ]
    df = pd.DataFrame(rows, columns=FILES_BY_STEM["affiliations"].names)
    for c in ("start_year", "end_year"):
        df[c] = df[c].astype("Int64")
    return df


def _actors_frame(actors: list[_Actor]) -> pd.DataFrame:
    df = pd.DataFrame(
        {
            "actor_id": [a.actor_id for a in actors],
            "name": [a.name for a in actors],
            "type": [a.type for a in actors],
            "kommun_kod": pd.array([a.kommun for a in actors], dtype="string"),
            "aliases": pd.array([a.aliases or None for a in actors], dtype="string"),
            "org_nr": pd.array([None] * len(actors), dtype="string"),
            "lat": pd.array([None] * len(actors), dtype="Float64"),
            "lon": pd.array([None] * len(actors), dtype="Float64"),
            "capacity": pd.array([a.capacity for a in actors], dtype="Float64"),
        }
    )
    return df[FILES_BY_STEM["actors"].names]

def actor_roles() -> pd.DataFrame:
    """Generator metadata per actor: ``actor_id, area, role, category, synthetic,
    kommun_assumed``.

    ``category`` is the host category of the Motala placement statistics:
    ``association``, ``aid`` (aid organisation), ``social_enterprise``, ``company``,
    ``kommun`` or empty. It is not part of the study files (aid organisations are
    ``association`` there).
    """
    cat = {"assoc": "association", "aid": "aid", "se": "social_enterprise",
           "company": "company", "kommun": "kommun"}
    return pd.DataFrame(
        [{"actor_id": a.actor_id, "area": a.area, "role": a.role,
          "category": cat.get(a.role, ""), "synthetic": a.synthetic,
          "kommun_assumed": a.kommun_assumed} for a in _all_actors()]
    )
