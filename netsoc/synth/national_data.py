"""The parameters and tables of the synthetic national/county study: decay lengths, the
period, the planted outcome effects, the target sizes per scale (:class:`Scale`), and the
name lists and rates the generators draw from (:mod:`netsoc.synth.national` re-exports the
public names).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from netsoc.schema import ACTOR_TYPES

#: Decay length (km) of the probability that a respondent names an alter.
TIE_DECAY_KM = 30.0
#: Decay length (km) of the probability that a person is placed at a host.
PLACEMENT_DECAY_KM = 12.0
#: Placements start between 2021-01-01 and 2023-12-31 ...
PERIOD_START = np.datetime64("2021-01-01", "D")
PERIOD_DAYS = 1095
#: ... and the register extract is taken on 2024-01-31: later end dates are unknown.
EXTRACT_DAY = PERIOD_DAYS + 30
INDICATOR_YEARS = (2021, 2022, 2023)
SOURCE = "synthetic (netsoc.synth.national)"

#: Log-odds effects on ``outcome == "work"`` after a person's last placement.
PLANTED_WORK_EFFECTS: dict[str, float] = {
    "intercept": -0.8,
    "host_log_popularity": 0.25,  # per unit of the host's log popularity (SD 1.5)
    "log_need_rate": -0.40,  # per unit of the log of the kommun's need rate (N03937, %)
    "host_type[company]": 0.40,
    "host_type[social_enterprise]": 0.20,
    "host_type[association]": -0.20,
    "host_type[kommun]": -0.30,
    "program[lonebidrag]": 0.50,
    "program[nystartsjobb]": 0.70,
    "program[praktik]": 0.10,
    "age_band[16-24]": 0.20,
    "age_band[55-64]": -0.50,
}


@dataclass(frozen=True)
class Scale:
    """Target sizes of a synthetic study (counts are approximate where random)."""

    enterprises: int
    associations: int
    companies: int
    foundations: int
    asked: int  # actors in respondents.csv (70 % complete the interview)
    ties: int  # reported ties, about
    placements: int


SCALES: dict[str, Scale] = {
    "national": Scale(350, 18_500, 11_500, 600, 4_300, 60_000, 1_000_000),
    "county": Scale(35, 1_850, 1_150, 60, 430, 6_000, 100_000),
}

NONRESPONSE = 0.30
_TYPE_INDEX = {t: i for i, t in enumerate(ACTOR_TYPES)}
_NT = len(ACTOR_TYPES)


# --------------------------------------------------------------------------- tables


_ASSOCIATION_NAMES = (
    "IF", "IK", "Idrottsförening", "Hembygdsförening", "Röda Korset", "Stadsmissionen",
    "Equmeniaförsamling", "Pingstförsamling", "Svenska kyrkan", "Studieförbundet Vuxenskolan",
    "ABF", "Scoutkår", "Ridklubb", "Kulturförening", "PRO", "Hyresgästförening",
    "Friluftsfrämjandet", "Kvinnojour", "Brukarföreningen", "Fritidsgården",
    "Föreningen Gemenskap", "Läxhjälpen", "Folkets Hus", "Naturskyddsföreningen",
)  # fmt: skip
_SURNAMES = (
    "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson",
    "Persson", "Svensson", "Gustafsson", "Pettersson", "Jonsson", "Lindberg", "Lindqvist",
    "Berg", "Lund", "Holm", "Axelsson", "Sandberg", "Forsberg",
)  # fmt: skip
_TRADES = (
    "Bygg", "Måleri", "Städ", "Transport", "Trädgård", "Café", "Bilverkstad", "El",
    "Fastighetsservice", "Livs", "Restaurang", "Omsorg", "Tryckeri", "Snickeri", "Logistik",
)  # fmt: skip
_ENTERPRISE_NAMES = (
    "Arbetskooperativet", "Återbruket", "Kooperativet Vägen", "Trädgårdskooperativet",
    "Café Möten", "Verkstan", "Second hand-kooperativet", "Gröna Händer", "Kvarnen",
    "Sociala företaget Steget", "Cykelköket", "Matkooperativet",
)  # fmt: skip
_UNIVERSITIES = {
    "0180": "Stockholms universitet", "0126": "Södertörns högskola",
    "0380": "Uppsala universitet", "0580": "Linköpings universitet",
    "0780": "Linnéuniversitetet", "1280": "Malmö universitet", "1281": "Lunds universitet",
    "1480": "Göteborgs universitet", "1780": "Karlstads universitet",
    "1880": "Örebro universitet", "1980": "Mälardalens universitet",
    "2081": "Högskolan Dalarna", "2281": "Mittuniversitetet", "2480": "Umeå universitet",
    "2580": "Luleå tekniska universitet",
}  # fmt: skip
_NATIONAL_BODIES = (
    ("AF", "Arbetsförmedlingen", "arbetsformedlingen"),
    ("FK", "Försäkringskassan", "forsakringskassan"),
    ("TVV", "Tillväxtverket", "other_public"),
    ("ESF", "Svenska ESF-rådet", "other_public"),
    ("ARV", "Allmänna arvsfonden", "other_public"),
    ("SKOOPI", "SKOOPI – intresseorganisation för arbetsintegrerande sociala företag",
     "support_org"),
    ("MIKRO", "Mikrofonden Sverige", "support_org"),
)  # fmt: skip

#: Relative chance that an actor of a type is named in an interview (per organisation).
_TIE_ATTRACTION = {
    "kommun": 30.0, "region": 20.0, "samordningsforbund": 25.0, "arbetsformedlingen": 25.0,
    "forsakringskassan": 15.0, "other_public": 8.0, "social_enterprise": 6.0,
    "association": 1.0, "company": 0.6, "support_org": 8.0, "foundation": 1.5,
    "university": 5.0, "project": 5.0, "other": 1.0,
}  # fmt: skip
#: Mean number of alters an interviewed actor names, by type (rescaled to Scale.ties).
_TIES_PER_RESPONDENT = {
    "kommun": 40.0, "region": 35.0, "samordningsforbund": 30.0, "arbetsformedlingen": 30.0,
    "forsakringskassan": 20.0, "other_public": 20.0, "social_enterprise": 22.0,
    "association": 14.0, "company": 9.0, "support_org": 30.0, "foundation": 12.0,
    "university": 20.0, "project": 18.0, "other": 10.0,
}  # fmt: skip
_HOST_TYPES = ("kommun", "social_enterprise", "association", "company", "foundation")
#: Share of all placements by host type (calibrates the type multipliers of popularity).
_HOST_SHARE = np.array([0.15, 0.10, 0.42, 0.28, 0.05])
_REFERRER_TYPES = ("arbetsformedlingen", "kommun", "samordningsforbund")
_REFERRER_SHARE = (0.65, 0.25, 0.10)
#: Referrer type x host type affinity (rows _REFERRER_TYPES, columns _HOST_TYPES).
_REFER_HOST = np.array(
    [
        [0.3, 1.0, 1.0, 1.4, 1.0],
        [3.0, 1.2, 1.0, 0.4, 1.0],
        [0.5, 3.0, 1.2, 0.5, 1.0],
    ]
)
#: P(program | referrer type, host type); columns follow netsoc.schema.PROGRAMS
#: (sysselsattning, lonebidrag, praktik, arbetstraning, nystartsjobb, other).
_PROGRAM_P = {
    ("arbetsformedlingen", "kommun"): (0.30, 0.15, 0.35, 0.20, 0.00, 0.00),
    ("arbetsformedlingen", "social_enterprise"): (0.20, 0.40, 0.10, 0.28, 0.02, 0.00),
    ("arbetsformedlingen", "association"): (0.22, 0.33, 0.25, 0.18, 0.02, 0.00),
    ("arbetsformedlingen", "company"): (0.00, 0.25, 0.35, 0.10, 0.30, 0.00),
    ("arbetsformedlingen", "foundation"): (0.25, 0.30, 0.25, 0.20, 0.00, 0.00),
    ("kommun", "kommun"): (0.60, 0.00, 0.10, 0.30, 0.00, 0.00),
    ("kommun", "social_enterprise"): (0.45, 0.05, 0.10, 0.40, 0.00, 0.00),
    ("kommun", "association"): (0.50, 0.05, 0.15, 0.30, 0.00, 0.00),
    ("kommun", "company"): (0.20, 0.05, 0.50, 0.25, 0.00, 0.00),
    ("kommun", "foundation"): (0.50, 0.05, 0.15, 0.30, 0.00, 0.00),
    ("samordningsforbund", "kommun"): (0.40, 0.00, 0.10, 0.40, 0.00, 0.10),
    ("samordningsforbund", "social_enterprise"): (0.30, 0.00, 0.05, 0.55, 0.00, 0.10),
    ("samordningsforbund", "association"): (0.35, 0.00, 0.10, 0.45, 0.00, 0.10),
    ("samordningsforbund", "company"): (0.10, 0.00, 0.40, 0.40, 0.00, 0.10),
    ("samordningsforbund", "foundation"): (0.35, 0.00, 0.10, 0.45, 0.00, 0.10),
}
#: Mean duration (days) by program (gamma, shape 3).
_DURATION = np.array([270.0, 540.0, 90.0, 180.0, 365.0, 120.0])
_AGE_BANDS = np.array(["16-24", "25-34", "35-44", "45-54", "55-64"], dtype=object)
_AGE_P = (0.20, 0.27, 0.22, 0.19, 0.12)
