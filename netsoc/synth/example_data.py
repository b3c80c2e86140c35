"""The facts and targets of the embedded example: the reports it cites, the figures it is
calibrated to, the planted effects, the kommuner, and the formal relations the reports state.

Everything here is a constant (no random draws); :mod:`netsoc.synth.example` re-exports
the public names, so ``netsoc.synth.example.WORK_PER_HOST_DEGREE`` keeps working.
"""

from __future__ import annotations

import datetime as dt

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

# ---------------------------------------------------------------------------
# Documentary facts: the formal relations the reports state
# ---------------------------------------------------------------------------
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
