"""The embedded example study: the Stockholm pre-study area plus Motala's placement picture.

The example has two layers.

* **Documentary** – who the actors are and their documented formal relations
  (``actors.csv`` identities, ``affiliations.csv``), taken from the facts the public
  reports state (``/work/shared/seedfacts``; the reports are named in ``SOURCES.md``).
  It does not depend on the seed. Actors the reports do not name are added with
  names ending in ``(syntetisk)`` and ids starting with ``syn_``.
* **Synthetic** – interview ties in two waves, respondents with non-response,
  placements with outcomes, and kommun indicators, drawn with
  :func:`numpy.random.default_rng` and calibrated to the figures the reports give.
  The placement outcomes carry a *planted* effect (work is more likely at
  better-connected hosts and at social enterprises) so that models can be checked.

Regenerate the committed folder with::

    python -m netsoc.synth.example data/example

Examples
--------
>>> from netsoc.synth.example import make_example
>>> tables = make_example(seed=2014)
>>> sorted(tables)
['actors', 'affiliations', 'indicators', 'placements', 'respondents', 'ties']
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from netsoc.schema import FILES_BY_STEM

DEFAULT_SEED = 2014

# ---------------------------------------------------------------------------
# The reports (cited by title in affiliations.source and SOURCES.md)
# ---------------------------------------------------------------------------
REPORT_STHLM = "Samordning för socialt företagande (ESF-förstudie, fem samordningsförbund i Stockholms län och Coompanion Stockholm)"
REPORT_MOTALA = "Projekt Sociala Ekonomin i Motala – slutrapport (Motala kommun, 2015)"
REPORT_OREBRO = "Förslag till Partnerskap för sociala innovationer i Örebro län (2014)"
REPORT_TIMRA = "Policy för den sociala ekonomin och socialt företagande i Timrå kommun (2015)"
REPORT_ORNSKOLDSVIK = "Örnsköldsviks kommun: redovisning av Interreg-projektet RESENS (2016–2018)"
_SHORT = {REPORT_STHLM: "Samordning för socialt företagande",
          REPORT_MOTALA: "Projekt Sociala Ekonomin i Motala"}

# ---------------------------------------------------------------------------
# Calibration targets (every synthetic layer is tuned to these)
# ---------------------------------------------------------------------------
# "Samordning för socialt företagande": about 21 work-integrating social enterprises (ASF)
# in the nine kommuner, employing about 300 and occupying about 1,000 people.
STHLM_SOCIAL_ENTERPRISES = 21
STHLM_SE_EMPLOYED = 300
STHLM_SE_OCCUPIED = 1000
# Same report: Östra Södertörn's initiative established 9 ASF with just over 240 people
# active (arbetsträning, praktik, sysselsättning, daglig verksamhet), 65 of them employed.
OS_SOCIAL_ENTERPRISES = 9
OS_SE_ACTIVE = 240
OS_SE_EMPLOYED = 65
# Same report: Värmdö has no ASF. The split of the other 12 over kommuner is synthetic.
SE_PER_KOMMUN = {
    "0136": 4, "0138": 3, "0192": 2,  # Östra Södertörn: 9
    "0127": 3, "0126": 3, "0128": 1, "0182": 2, "0181": 3, "0120": 0,
}
# "Projekt Sociala Ekonomin i Motala": AF Motala-Vadstena's sysselsättningsplatser in May
# 2014 by host type: 40 % associations, 10 % aid organisations, 3 % social enterprises,
# 47 % companies/kommun (96, 23 and 6 places in the first three).
MOTALA_SYSS_SHARES = {"association": 0.40, "aid": 0.10, "social_enterprise": 0.03,
                      "company_kommun": 0.47}
MOTALA_SYSS_SNAPSHOT = {"association": 96, "aid": 23, "social_enterprise": 6}
# Same report: lönebidrag/trygghetsanställningar 66 in associations, 31 in aid
# organisations, 52 in social enterprises; Grenverket had 36 employees with AF support
# at the end of 2014.
MOTALA_LONEBIDRAG = {"association": 66, "aid": 31, "social_enterprise": 52}
GRENVERKET_LONEBIDRAG = 36
# Same report: the association places were spread over 18 + 3 + 3 listed host groups
# (idrott, trossamfund, intresse/folkbildning); read here as 24 host associations.
MOTALA_HOST_ASSOCIATIONS = 24
# Non-response around 30 % (project target for the example; the Motala report contacted
# about 40 associations and documented 18 interviews, i.e. far from everyone answers).
NON_RESPONSE_RATE = 0.30
# "Samordning för socialt företagande": survey #1 was answered digitally on 2014-02-07;
# wave 1 of the synthetic interviews starts that day, wave 2 a year later.
WAVE_WINDOWS = {1: ("2014-02-07", "2014-04-30"), 2: ("2015-02-02", "2015-04-30")}

# Synthetic volumes (not stated in the reports; chosen to give "a few thousand" rows)
MOTALA_SYSS_PLACEMENTS = 800  # flows 2013-2015; split by MOTALA_SYSS_SHARES exactly
MOTALA_SYSS_COMPANY_SHARE_OF_47 = 0.72  # companies vs kommun within the 47 %
MOTALA_GRENVERKET_ARBETSTRANING = 60  # bought by the samordningsförbund (documented relation)
STHLM_SE_PLACEMENTS = {"arbetstraning": 450, "sysselsattning": 270, "praktik": 180}
STHLM_OTHER_PLACEMENTS = {
    "assoc": {"praktik": 120, "arbetstraning": 100, "sysselsattning": 80},
    "aid": {"sysselsattning": 30, "arbetstraning": 30},
    "company": {"praktik": 120, "nystartsjobb": 80, "lonebidrag": 50},
    "kommun": {"arbetstraning": 60, "praktik": 40},
}
PERIOD_START = dt.date(2013, 1, 1)
PERIOD_END = dt.date(2015, 12, 31)  # data cut: placements still running have no end_date
DURATION_DAYS = {
    "sysselsattning": (120, 540), "arbetstraning": (60, 300), "praktik": (30, 180),
    "lonebidrag": (365, 1095), "nystartsjobb": (180, 720),
}
PLACEMENTS_PER_PERSON = {1: 0.75, 2: 0.20, 3: 0.05}
GENDER_P_FEMALE = 0.44
AGE_BANDS = {"16-24": 0.20, "25-34": 0.25, "35-44": 0.22, "45-54": 0.20, "55-64": 0.13}

# ---------------------------------------------------------------------------
# Planted effects (what models and tests should recover)
# ---------------------------------------------------------------------------
# log-odds of outcome == "work" for a placement that has ended:
WORK_INTERCEPT = -1.6
WORK_PER_HOST_DEGREE = 0.05  # per collaboration partner of the host (union of both waves)
WORK_SOCIAL_ENTERPRISE = 0.6  # host is a social enterprise
WORK_PROGRAM = {"sysselsattning": -0.4, "arbetstraning": 0.0, "praktik": 0.2,
                "lonebidrag": 0.5, "nystartsjobb": 0.8}
WORK_AGE_55_64 = -0.5
STUDIES_P = {"16-24": 0.30}  # share going to studies among those not in work
STUDIES_P_OTHER = 0.07
OTHER_SUPPORT_P = 0.45
OUTCOME_MISSING_P = 0.02
# Wave 2: the two coordinators (the Stockholm pre-study project and the Motala project)
# gain bridging ties to the public side and to social enterprises / associations.
TIE_CHURN_DROP = 0.08
TIE_CHURN_ADD = 0.10
RECALL = {1: 0.75, 2: 0.85, 3: 0.93, 4: 0.97}
SECOND_RELATION_P = 0.15
FORMAL_TIE_P = 0.92
CROSS_AREA_TIE_P = 0.003

KOMMUNER = {
    # kod: (name, population 2014 rounded, yearly growth, need rate %, unemployment 16-64 %,
    #       ohälsotal days, area). Population: rounded approximation of SCB's figures;
    #       the other values are synthetic but ordered like the real kommuner.
    "0127": ("Botkyrka", 89_000, 0.013, 7.5, 8.8, 31.0, "sthlm"),
    "0126": ("Huddinge", 104_000, 0.014, 4.5, 6.5, 26.0, "sthlm"),
    "0120": ("Värmdö", 41_000, 0.015, 2.6, 5.0, 25.0, "sthlm"),
    "0128": ("Salem", 16_000, 0.010, 3.0, 5.2, 24.0, "sthlm"),
    "0182": ("Nacka", 96_000, 0.017, 2.4, 4.6, 20.0, "sthlm"),
    "0136": ("Haninge", 81_000, 0.012, 5.0, 7.0, 30.0, "sthlm"),
    "0138": ("Tyresö", 45_000, 0.010, 2.8, 5.0, 25.0, "sthlm"),
    "0192": ("Nynäshamn", 27_000, 0.006, 4.3, 6.8, 34.0, "sthlm"),
    "0181": ("Södertälje", 91_000, 0.012, 8.0, 10.0, 33.0, "sthlm"),
    "0583": ("Motala", 42_500, 0.003, 5.6, 8.5, 36.0, "motala"),
    "0584": ("Vadstena", 7_400, 0.000, 3.2, 5.5, 32.0, "motala"),
}
INDICATOR_YEARS = (2012, 2013, 2014, 2015)
POPULATION_INDICATOR = "N01951"
NEED_INDICATOR = "N03937"

ROLE_ORDER = ("kommun", "sf", "sf_old", "af", "fk", "region", "coord", "project", "support",
              "funder", "se", "aid", "assoc", "company")
HOST_ROLES = frozenset({"se", "aid", "assoc", "company"})
PUBLIC_ROLES = frozenset({"kommun", "sf", "af", "fk", "region"})


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


# (actor, partner, seedfacts relation, year, report) – only facts stated in the reports.
_AFFILIATION_FACTS: tuple[tuple[str, str, str, str, str], ...] = (
    # Samordning för socialt företagande
    ("k_haninge", "sf_ostra_sodertorn", "member_of", "2010", REPORT_STHLM),
    ("k_nynashamn", "sf_ostra_sodertorn", "member_of", "2010", REPORT_STHLM),
    ("k_tyreso", "sf_ostra_sodertorn", "member_of", "2010", REPORT_STHLM),
    ("sf_haninge", "sf_ostra_sodertorn", "other", "2010", REPORT_STHLM),
    ("sf_ostra_sodertorn", "proj_grenverket_sodertorn", "owns", "2009", REPORT_STHLM),
    ("sf_ostra_sodertorn", "proj_grenverket_tyreso_nynashamn", "owns", "2009", REPORT_STHLM),
    ("sf_ostra_sodertorn", "proj_resursmodellen", "owns", "2009", REPORT_STHLM),
    ("sf_ostra_sodertorn", "k_haninge", "collaborates", "2011", REPORT_STHLM),
    ("esf", "sf_ostra_sodertorn", "funds", "", REPORT_STHLM),
    ("af", "sf_sodertalje", "owns", "", REPORT_STHLM),
    ("af", "sf_sodertalje", "funds", "", REPORT_STHLM),
    ("fk", "sf_sodertalje", "owns", "", REPORT_STHLM),
    ("fk", "sf_sodertalje", "funds", "", REPORT_STHLM),
    ("ll_stockholm", "sf_sodertalje", "owns", "", REPORT_STHLM),
    ("ll_stockholm", "sf_sodertalje", "funds", "", REPORT_STHLM),
    ("k_sodertalje", "sf_sodertalje", "owns", "", REPORT_STHLM),
    ("k_sodertalje", "sf_sodertalje", "funds", "", REPORT_STHLM),
    ("af", "sf_bhs", "member_of", "", REPORT_STHLM),
    ("fk", "sf_bhs", "member_of", "", REPORT_STHLM),
    ("ll_stockholm", "sf_bhs", "member_of", "", REPORT_STHLM),
    ("k_botkyrka", "sf_bhs", "member_of", "", REPORT_STHLM),
    ("k_huddinge", "sf_bhs", "member_of", "", REPORT_STHLM),
    ("k_salem", "sf_bhs", "member_of", "", REPORT_STHLM),
    ("sf_botkyrka", "sf_bhs", "other", "", REPORT_STHLM),
    ("sf_huddinge", "sf_bhs", "other", "", REPORT_STHLM),
    ("sf_sodertalje", "coompanion", "collaborates", "2013", REPORT_STHLM),
    ("sf_nacka", "proj_samordning", "partner_in", "", REPORT_STHLM),
    ("sf_varmdo", "proj_samordning", "partner_in", "", REPORT_STHLM),
    ("sf_bhs", "proj_samordning", "partner_in", "", REPORT_STHLM),
    ("sf_ostra_sodertorn", "proj_samordning", "partner_in", "", REPORT_STHLM),
    ("sf_sodertalje", "proj_samordning", "partner_in", "", REPORT_STHLM),
    ("coompanion_stockholm", "proj_samordning", "partner_in", "", REPORT_STHLM),
    ("esf", "proj_samordning", "funds", "", REPORT_STHLM),
    ("tillvaxtverket", "coompanion_stockholm", "other", "", REPORT_STHLM),
    ("af", "coompanion_stockholm", "other", "", REPORT_STHLM),
    ("esf", "coompanion_stockholm", "funds", "", REPORT_STHLM),
    ("allmanna_arvsfonden", "coompanion_stockholm", "funds", "", REPORT_STHLM),
    ("af_nacka_varmdo", "k_nacka", "agreement", "", REPORT_STHLM),
    ("fk", "af", "collaborates", "", REPORT_STHLM),
    ("fk", "tillvaxtverket", "collaborates", "", REPORT_STHLM),
    ("tillvaxtverket", "af", "collaborates", "", REPORT_STHLM),
    ("fk", "skoopi", "collaborates", "", REPORT_STHLM),
    ("af", "skoopi", "collaborates", "", REPORT_STHLM),
    ("tillvaxtverket", "skoopi", "collaborates", "", REPORT_STHLM),
    # Projekt Sociala Ekonomin i Motala
    ("k_motala", "proj_sociala_ekonomin_motala", "owns", "2014", REPORT_MOTALA),
    ("sf_vastra_ostergotland", "proj_sociala_ekonomin_motala", "funds", "2015", REPORT_MOTALA),
    ("sf_motala_vadstena", "sf_vastra_ostergotland", "other", "2014", REPORT_MOTALA),
    ("af_motala_vadstena", "k_motala", "collaborates", "", REPORT_MOTALA),
    ("aterv", "motala_legomontering", "owns", "", REPORT_MOTALA),
    ("sf_motala_vadstena", "aterv", "other", "", REPORT_MOTALA),
    ("grenverket", "sf_motala_vadstena", "spun_off_from", "2007", REPORT_MOTALA),
    ("sf_vastra_ostergotland", "grenverket", "funds", "", REPORT_MOTALA),
    # "buys work-training places at" (placed_participants_at in seedfacts) -> other
    ("sf_vastra_ostergotland", "grenverket", "other", "", REPORT_MOTALA),
    ("k_motala", "grenverket", "other", "", REPORT_MOTALA),
    ("af", "grenverket", "funds", "2014", REPORT_MOTALA),
    ("af", "piraterna", "funds", "", REPORT_MOTALA),
    ("af", "hjarta_till_hjarta", "funds", "", REPORT_MOTALA),
    ("tillvaxtverket", "aterv", "other", "", REPORT_MOTALA),
    ("tillvaxtverket", "grenverket", "other", "", REPORT_MOTALA),
    ("k_motala", "tillvaxt_motala", "other", "", REPORT_MOTALA),
    ("proj_sociala_ekonomin_motala", "tillvaxt_motala", "collaborates", "", REPORT_MOTALA),
    ("proj_sociala_ekonomin_motala", "koop_m", "other", "", REPORT_MOTALA),
    ("proj_sociala_ekonomin_motala", "grenverket", "other", "", REPORT_MOTALA),
    ("proj_sociala_ekonomin_motala", "aterv", "other", "", REPORT_MOTALA),
    ("grenverket", "proj_sociala_ekonomin_motala", "collaborates", "", REPORT_MOTALA),
    ("proj_sociala_ekonomin_motala", "sf_motala_vadstena", "collaborates", "", REPORT_MOTALA),
    ("coompanion_ostergotland", "proj_sociala_ekonomin_motala", "other", "", REPORT_MOTALA),
    ("tillvaxtverket", "coompanion", "funds", "", REPORT_MOTALA),
    ("tillvaxtverket", "coompanion", "collaborates", "", REPORT_MOTALA),
    ("skoopi", "coompanion", "collaborates", "", REPORT_MOTALA),
    ("skoopi", "allmanna_arvsfonden", "collaborates", "", REPORT_MOTALA),
    ("tillvaxtverket", "allmanna_arvsfonden", "collaborates", "", REPORT_MOTALA),
)

#: Memberships/ownerships of samordningsförbund as the reports state them (for checks).
STATED_MEMBERS: dict[str, frozenset[str]] = {
    "sf_ostra_sodertorn": frozenset({"k_haninge", "k_nynashamn", "k_tyreso"}),
    "sf_bhs": frozenset({"af", "fk", "ll_stockholm", "k_botkyrka", "k_huddinge", "k_salem"}),
    "sf_sodertalje": frozenset({"af", "fk", "ll_stockholm", "k_sodertalje"}),
}

#: Wave-2 successor: the förbund renamed in 2014 ("Projekt Sociala Ekonomin i Motala").
_SUCCESSOR = {"sf_motala_vadstena": "sf_vastra_ostergotland"}
_BODY = {"sf_vastra_ostergotland": "sf_motala_vadstena"}


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


# ---------------------------------------------------------------------------
# Synthetic layer 4: kommun indicators
# ---------------------------------------------------------------------------
INDICATORS = {
    # id: (label, KOMMUNER column, yearly trend, noise sd, decimals)
    POPULATION_INDICATOR: ("Invånare totalt, antal", 1, 0.0, 0.0, 0),
    NEED_INDICATOR: ("Behovsandel: långvarigt arbetslösa eller med ekonomiskt bistånd, "
                     "% av invånarna (syntetisk)", 3, -0.10, 0.15, 1),
    "arbetsloshet_16_64": ("Arbetslöshet 16-64 år, % (syntetisk)", 4, -0.20, 0.20, 1),
    "ohalsotal": ("Ohälsotal, dagar (syntetisk)", 5, -0.80, 0.60, 1),
}


def _indicators(rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    for kod, spec in KOMMUNER.items():
        for year in INDICATOR_YEARS:
            for ind, (_, col, trend, sd, dec) in INDICATORS.items():
                if ind == POPULATION_INDICATOR:
                    pop = spec[1] * (1 + spec[2]) ** (year - 2014)
                    value, source = float(round(pop, -2)), (
                        "synthetic: SCB population rounded to hundreds, approximate")
                else:
                    noisy = spec[col] + trend * (year - 2014) + rng.normal(0, sd)
                    value, source = round(max(noisy, 0.1), dec), "synthetic"
                rows.append({"kommun_kod": kod, "year": year, "indicator": ind,
                             "value": value, "source": source})
    df = pd.DataFrame(rows, columns=FILES_BY_STEM["indicators"].names)
    df["kommun_kod"] = df["kommun_kod"].astype("string")
    return df.sort_values(["kommun_kod", "year", "indicator"], kind="stable").reset_index(
        drop=True)


# ---------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------
def make_example(seed: int = DEFAULT_SEED) -> dict[str, pd.DataFrame]:
    """Build the embedded example study.

    Parameters
    ----------
    seed : int
        Seed for :func:`numpy.random.default_rng`. The documentary tables
        (``actors``, ``affiliations``) do not depend on it.

    Returns
    -------
    dict of str to DataFrame
        File stem -> table, with exactly the columns of :mod:`netsoc.schema` in order.

    Examples
    --------
    >>> t = make_example()
    >>> list(t["actors"].columns)[:4]
    ['actor_id', 'name', 'type', 'kommun_kod']
    """
    actors = _all_actors()
    # independent streams: changing one synthetic layer leaves the others as they were
    r_resp, r_ties, r_place, r_ind = (np.random.default_rng(s)
                                      for s in np.random.SeedSequence(seed).spawn(4))
    respondents = _respondents(actors, r_resp)
    ties = _ties(actors, respondents, r_ties)
    return {
        "actors": _actors_frame(actors),
        "ties": ties,
        "respondents": respondents,
        "affiliations": _affiliations(),
        "placements": _placements(actors, ties, r_place),
        "indicators": _indicators(r_ind),
    }


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


def calibration(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Calibration targets next to the values measured in ``tables``.

    Returns a frame ``target, report, expected, measured``.
    """
    roles = actor_roles().set_index("actor_id")
    a = tables["actors"].set_index("actor_id")
    p = tables["placements"]
    r = tables["respondents"]
    se = roles.index[(roles["area"] == "sthlm") & (roles["role"] == "se")]
    os_se = [x for x in se if a.loc[x, "kommun_kod"] in ("0136", "0138", "0192")]
    syss = p[(p["referrer_id"] == "af_motala_vadstena") & (p["program"] == "sysselsattning")]
    cats = roles.loc[syss["host_id"], "category"].replace({"company": "company_kommun",
                                                           "kommun": "company_kommun"})
    shares = cats.value_counts(normalize=True)
    lb = p[(p["program"] == "lonebidrag") & p["host_id"].map(roles["area"]).eq("motala")]
    lb_counts = roles.loc[lb["host_id"], "category"].value_counts()
    sthlm_lb = p[(p["program"] == "lonebidrag") & p["host_id"].isin(se)]
    sthlm, motala = _SHORT[REPORT_STHLM], _SHORT[REPORT_MOTALA]
    rows = [
        ("social enterprises, nine kommuner", sthlm, STHLM_SOCIAL_ENTERPRISES, len(se)),
        ("people occupied at them (capacity)", sthlm, STHLM_SE_OCCUPIED,
         int(a.loc[se, "capacity"].sum())),
        ("people employed at them (lönebidrag placements)", sthlm,
         STHLM_SE_EMPLOYED, len(sthlm_lb)),
        ("Östra Södertörn ASF", sthlm, OS_SOCIAL_ENTERPRISES, len(os_se)),
        ("Östra Södertörn ASF active (capacity)", sthlm, OS_SE_ACTIVE,
         int(a.loc[os_se, "capacity"].sum())),
        ("Östra Södertörn ASF employed", sthlm, OS_SE_EMPLOYED,
         int(sthlm_lb["host_id"].isin(os_se).sum())),
    ]
    for key, share in MOTALA_SYSS_SHARES.items():
        rows.append((f"Motala sysselsättning share {key} (%)", motala, 100 * share,
                     round(100 * float(shares.get(key, 0.0)), 1)))
    for key, n in MOTALA_LONEBIDRAG.items():
        rows.append((f"Motala lönebidrag {key}", motala, n,
                     int(lb_counts.get(key, 0))))
    rows.append(("Grenverket lönebidrag", motala, GRENVERKET_LONEBIDRAG,
                 int((lb["host_id"] == "grenverket").sum())))
    for wave in sorted(r["wave"].unique()):
        rw = r[r["wave"] == wave]
        rows.append((f"non-response wave {wave} (%)", "project target",
                     100 * NON_RESPONSE_RATE,
                     round(100 * float((rw["status"] != "completed").mean()), 1)))
    return pd.DataFrame(rows, columns=["target", "report", "expected", "measured"])


def planted_effect_summary(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Work rate among ended placements with a known outcome, by host-degree band and
    host type – the planted effect seen without a model."""
    deg = collaboration_degree(tables["actors"], tables["ties"])
    types = tables["actors"].set_index("actor_id")["type"]
    p = tables["placements"]
    p = p[p["outcome"] != "unknown"].assign(
        host_degree=lambda d: d["host_id"].map(deg),
        host_type=lambda d: d["host_id"].map(types),
        work=lambda d: (d["outcome"] == "work").astype(int),
    )
    band = pd.qcut(p["host_degree"].rank(method="first"), 3,
                   labels=["low", "middle", "high"])
    rows = []
    for label, grp in p.groupby(band, observed=True):
        rows.append((f"host degree {label} ({grp['host_degree'].min()}-"
                     f"{grp['host_degree'].max()})", len(grp), grp["work"].mean()))
    for t, grp in p.groupby("host_type"):
        rows.append((f"host type {t}", len(grp), grp["work"].mean()))
    return pd.DataFrame(rows, columns=["group", "placements", "work_rate"])


# ---------------------------------------------------------------------------
# Writing the folder
# ---------------------------------------------------------------------------
def write_example(out_dir: str | Path, seed: int = DEFAULT_SEED) -> Path:
    """Write the example study folder (CSV files, ``study.toml``, ``README.md``,
    ``SOURCES.md``) to ``out_dir`` and return its path.

    CSV files are UTF-8, comma-separated, ``\\n`` line endings, no index;
    ``kommun_kod`` is written as 4-character text.

    Examples
    --------
    >>> import tempfile
    >>> d = write_example(tempfile.mkdtemp())
    >>> sorted(p.name for p in d.iterdir())[:3]
    ['README.md', 'SOURCES.md', 'actors.csv']
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    tables = make_example(seed)
    for stem, df in tables.items():
        df.to_csv(out / f"{stem}.csv", index=False, lineterminator="\n", encoding="utf-8",
                  float_format="%.10g")
    _write_text(out / "study.toml", _study_toml(seed))
    _write_text(out / "README.md", _readme(tables, seed))
    _write_text(out / "SOURCES.md", _sources())
    return out


def _write_text(path: Path, text: str) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)


def _study_toml(seed: int) -> str:
    return f'''# The embedded example study of netsoc. Partly synthetic: see README.md.
[study]
name = "Samordning för socialt företagande – Södertörn, Nacka, Värmdö, Södertälje och Motala (exempel)"
language = "sv"
seed = {seed}
synthetic = true

[network]
symmetrize = "union"
groups = "type"

[privacy]
min_cell = 5
pseudonymize_people = true

[geography]
need_indicator = "{NEED_INDICATOR}"
population_indicator = "{POPULATION_INDICATOR}"
catchment_km = 40

[[model]]
name = "work_by_host_centrality"
level = "placement"
family = "binomial"
formula = "work ~ host_degree + C(host_type)"
cluster = "host_id"

[[model]]
name = "collaboration_homophily"
level = "dyad"
family = "gaussian"
formula = "tie ~ same_type + same_kommun + co_members"
method = "mrqap"
'''


def _md_table(df: pd.DataFrame) -> str:
    head = "| " + " | ".join(df.columns) + " |"
    sep = "|" + "|".join("---" for _ in df.columns) + "|"
    body = ["| " + " | ".join(_fmt(v) for v in row) + " |" for row in df.itertuples(False)]
    return "\n".join([head, sep, *body])


def _fmt(v: object) -> str:
    if isinstance(v, float):
        return f"{v:.3f}".rstrip("0").rstrip(".") if v != int(v) else str(int(v))
    return str(v)


def _readme(tables: dict[str, pd.DataFrame], seed: int) -> str:
    roles = actor_roles()
    a = tables["actors"]
    n_syn = int(roles["synthetic"].sum())
    assumed = roles.loc[roles["kommun_assumed"], "actor_id"].tolist()
    names = a.set_index("actor_id")["name"]
    assumed_list = ", ".join(f"{names[x]} ({a.set_index('actor_id').loc[x, 'kommun_kod']})"
                             for x in assumed)
    cal = calibration(tables)
    eff = planted_effect_summary(tables)
    counts = "\n".join(f"- `{k}.csv`: {len(v)} rows" for k, v in tables.items())
    return f"""# Embedded example study (partly synthetic)

**This study is partly synthetic. The interview ties, respondents, placements and
indicators are generated, not observed; do not cite them as findings.** The actors'
identities and the formal relations in `affiliations.csv` are taken from public reports
(see `SOURCES.md`).

The area is the one covered by the ESF pre-study *Samordning för socialt företagande*: nine
kommuner (Botkyrka, Huddinge, Värmdö, Salem, Nacka, Haninge, Tyresö, Nynäshamn, Södertälje),
their five samordningsförbund, Arbetsförmedlingen, Försäkringskassan, Stockholms läns landsting,
Coompanion Stockholm and the social enterprises, associations and companies around them;
plus Motala and Vadstena with the placement picture from *Projekt Sociala Ekonomin i Motala*.

Regenerate this folder (byte for byte) with

    python -m netsoc.synth.example data/example            # seed {DEFAULT_SEED}
    python -m netsoc.synth.example OUT --seed N            # another draw

This copy was written with seed {seed}.

{counts}

## What is documentary and what is synthetic

| file | layer | notes |
|---|---|---|
| `actors.csv` | documentary + synthetic actors | ids without `syn_` are named in the reports; the {n_syn} actors with ids starting `syn_` and names ending "(syntetisk)" are invented to reach the reports' totals |
| `affiliations.csv` | documentary | every row is a relation a report states; `source` names the report |
| `ties.csv` | synthetic | two interview waves (wave 1 from 2014-02-07, wave 2 from 2015-02-02) |
| `respondents.csv` | synthetic | about 30 % non-response per wave (`declined`, `not_reached`) |
| `placements.csv` | synthetic | pseudonymous `person_key` (`P000001`…), 2013–2015, data cut 2015-12-31 |
| `indicators.csv` | synthetic | `source` says so for every row |

Documentary details:

- Seedfacts types are mapped to netsoc types (landsting → `region`, cooperative support
  organisations → `support_org`, named projects → `project`); Motala Legomontering AB is
  typed `company`, SKOOPI `association`.
- `kommun_kod` is given where a report states the place. For these actors it is
  **assumed** for mapping (a seat or the main kommun; the reports do not say):
  {assumed_list}. National bodies (Arbetsförmedlingen, Försäkringskassan, ESF,
  Tillväxtverket, Allmänna arvsfonden, Coompanion, SKOOPI) and regional ones have no kommun.
- Not in `affiliations.csv` because the reports do not state them: the members of
  Välfärd i Nacka and Värmsam, the founding years of Värmsam and Sfris, the members of
  Samordningsförbundet Motala-Vadstena, and any link between a local AF office and
  Arbetsförmedlingen. The interview ties and placements still assume the obvious
  (e.g. Nacka works with Välfärd i Nacka), but only as synthetic data.
- Samordningsförbundet Motala-Vadstena was renamed Västra Östergötland in 2014; the two
  names are separate actors. Wave 1 and placements before 2014 use the old name, wave 2 and
  later placements the new one. The predecessors of Östra Södertörn (Haninge) and of
  Huddinge-Botkyrka-Salem (Botkyrka, Huddinge) are actors without interview ties.
- `org_nr`, `lat` and `lon` are empty (not stated; geography uses kommun centroids).
- `capacity` (places offered) is synthetic except where it carries a report's total:
  Stockholm social enterprises sum to the ~1,000 people occupied (240 in Östra Södertörn);
  Motala hosts carry the May 2014 sysselsättning places plus lönebidrag employments.

## How the synthetic layers are made

All draws use `numpy.random.default_rng` streams spawned from the seed in `study.toml`
(code: `netsoc/synth/example.py`; every target below is a named constant there).

- **Ties.** A latent collaboration network per wave: each pair of actors is tied with a
  probability set by the two actors' roles and places – documented affiliations almost
  always; a samordningsförbund with its owners, its kommuner and their social enterprises;
  Coompanion Stockholm with the social enterprises and förbund; ties denser within a kommun
  than across; Stockholm and Motala only rarely linked. Wave 2 keeps most wave-1 ties (8 %
  dropped, a few added) and the two coordinators **gain bridging ties**: the pre-study
  project *Samordning för socialt företagande* to kommuner, AF, FK, the landsting and social
  enterprises; *Projekt Sociala Ekonomin i Motala* to associations, aid organisations and
  social enterprises. Only respondents who completed a wave report ties; each recalls a
  latent tie with probability 0.75–0.97 by strength, reports its strength ±1 (Himmelman
  levels 1–4) and one relation (sometimes two). Non-respondents appear only as alters.
- **Respondents.** Every actor except national funders is asked in each wave in which it
  exists; exactly 30 % per wave do not answer, companies and associations more often, the
  coordinators never; non-response in wave 1 makes non-response in wave 2 three times as
  likely.
- **Placements.** Counts per host category are fixed by the calibration targets, hosts
  within a category drawn by capacity, persons get 1–3 placements in sequence, referrers
  are AF (the local office where there is one), the host's kommun or its förbund.
- **Indicators.** `{POPULATION_INDICATOR}` population (rounded approximation of the real
  size, with a fixed growth rate), `{NEED_INDICATOR}` the need rate used by the geography stage
  (share of residents with long-term unemployment or social assistance, %, synthetic),
  `arbetsloshet_16_64` (%) and `ohalsotal` (days); 2012–2015, values ordered like the real
  kommuner but invented. Check the Kolada definitions before mixing in real data.

## Calibration (measured in this copy)

{_md_table(cal)}

## Planted effects (what an analysis should find)

For a placement that has ended (`end_date` given, outcome not `unknown`), the log-odds of
`outcome == "work"` are

    {WORK_INTERCEPT} + {WORK_PER_HOST_DEGREE} × host_degree + {WORK_SOCIAL_ENTERPRISE} × [host is a social enterprise]
      + program effect + ({WORK_AGE_55_64}) × [age 55–64]

with program effects {", ".join(f"{k} {v:+g}" for k, v in WORK_PROGRAM.items())}

where `host_degree` is the host's number of distinct partners in the undirected union of
all reported ties of both waves (all relations) – the `collaboration` layer with
`symmetrize = "union"`. So the model `work ~ host_degree + C(host_type)` in `study.toml`
should find a positive `host_degree` coefficient near {WORK_PER_HOST_DEGREE} and a positive
social-enterprise contrast. Placements still running at 2015-12-31 have no `end_date` and
outcome `unknown`; 2 % of ended ones are `unknown` at random.

Work rate among ended placements in this copy:

{_md_table(eff)}

Also planted: the pre-study project's degree and brokerage rise from wave 1 to wave 2
(before/after analyses), and Värmdö has no social enterprise (as the report says), so
supply there comes from associations and companies only.
"""


def _sources() -> str:
    return f"""# Sources of the embedded example

The documentary layer (actors' identities in `actors.csv`, all of `affiliations.csv`)
uses facts stated in these public reports; each affiliation row names its report in
`source`. No text is copied from them.

1. **{REPORT_STHLM}.** The nine kommuner and five samordningsförbund of the area;
   Samordningsförbundet Östra Södertörn formed 1 April 2010 with Haninge, Nynäshamn and
   Tyresö, built on Samordningsförbundet Haninge, owning three ESF projects since 2009
   (Grenverket Södertörn, Grenverket Tyresö och Nynäshamn, Resursmodellen Södertörn) and
   funded by ESF; Huddinge-Botkyrka-Salem with members AF, FK, Stockholms läns landsting,
   Botkyrka, Huddinge and Salem (preceded by förbund in Botkyrka and Huddinge); Sfris owned
   and funded by AF, FK, the landsting and Södertälje, collaborating with Coompanion since
   2013; Välfärd i Nacka (founded 2009) and Värmsam; the five förbund and Coompanion
   Stockholm as partners in the pre-study, funded by ESF; Coompanion Stockholm's relations
   with Tillväxtverket, AF, ESF and Allmänna arvsfonden; the agreement between
   Arbetsförmedlingen i Nacka/Värmdö and Nacka kommun; national collaboration between AF,
   FK, Tillväxtverket and SKOOPI. Figures: about 21 social enterprises in the nine kommuner
   employing about 300 and occupying about 1,000 people; Östra Södertörn's 9 social
   enterprises with just over 240 active and 65 employed; no social enterprise in Värmdö;
   survey #1 answered 2014-02-07.
2. **{REPORT_MOTALA}.** Motala kommun, Samordningsförbundet Motala-Vadstena and its
   successor Västra Östergötland (2014), AF Motala-Vadstena, Region Östergötland,
   Tillväxt Motala, Coompanion Östergötland, Återvinningen (and its company Motala
   Legomontering AB), Grenverket (spun off 2007, funded by and selling work-training places
   to the förbund, 36 employees with AF support at the end of 2014), Koop M, Vätternrundan,
   Piraterna, Verkstadsliv, Hjärta till Hjärta (AF-funded); the project's own relations.
   Figures: AF Motala-Vadstena's sysselsättningsplatser in May 2014 by host type (40 %
   associations, 10 % aid organisations, 3 % social enterprises, 47 % companies/kommun;
   96, 23 and 6 places), lönebidrag/trygghetsanställningar (66 associations, 31 aid
   organisations, 52 social enterprises), the association hosts listed as 18 + 3 + 3,
   about 40 associations contacted and 18 documented interviews.
3. **{REPORT_OREBRO}** – not used for this example's facts.
4. **{REPORT_TIMRA}** – not used for this example's facts.
5. **{REPORT_ORNSKOLDSVIK}** – not used for this example's facts.

Vadstena kommun is named in the reports through Samordningsförbundet Motala-Vadstena and
AF Motala-Vadstena. Population figures in `indicators.csv` are rounded approximations of
SCB's statistics; every other indicator value is synthetic.
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m netsoc.synth.example",
        description="Write the embedded example study (partly synthetic) to a folder.")
    parser.add_argument("out_dir", nargs="?", default="data/example")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    out = write_example(args.out_dir, seed=args.seed)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
