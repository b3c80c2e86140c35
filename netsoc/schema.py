"""The study data contract: files, columns and vocabularies.

Everything that reads, writes or validates a study takes its column names and
allowed values from here, so that the contract in ``DESIGN.md`` §2 lives in
one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ACTOR_TYPES: tuple[str, ...] = (
    "kommun",
    "region",
    "samordningsforbund",
    "arbetsformedlingen",
    "forsakringskassan",
    "other_public",
    "social_enterprise",
    "association",
    "company",
    "support_org",
    "foundation",
    "university",
    "project",
    "other",
)

#: Actor types counted as the public side (used for brokerage narratives).
PUBLIC_TYPES: frozenset[str] = frozenset(
    {
        "kommun",
        "region",
        "samordningsforbund",
        "arbetsformedlingen",
        "forsakringskassan",
        "other_public",
    }
)

#: Actor types that can host placements and count as supply in geography.
SUPPLY_TYPES: frozenset[str] = frozenset(
    {"social_enterprise", "association", "company", "foundation"}
)

TIE_RELATIONS: tuple[str, ...] = (
    "information",
    "referral",
    "collaboration",
    "joint_activity",
    "agreement",
    "funding",
    "other",
)

AFFILIATION_RELATIONS: tuple[str, ...] = (
    "member_of",
    "owns",
    "funds",
    "agreement",
    "partner_in",
    "collaborates",
    "advises",
    "spun_off_from",
    "other",
)

RESPONDENT_STATUSES: tuple[str, ...] = ("completed", "declined", "not_reached")

PROGRAMS: tuple[str, ...] = (
    "sysselsattning",
    "lonebidrag",
    "praktik",
    "arbetstraning",
    "nystartsjobb",
    "other",
)

OUTCOMES: tuple[str, ...] = ("work", "studies", "other_support", "none", "unknown")

#: Himmelman levels as used in PARTNER-style interview coding.
STRENGTH_LEVELS: dict[int, str] = {
    1: "networking / information exchange",
    2: "coordination",
    3: "cooperation",
    4: "collaboration",
}


@dataclass(frozen=True)
class Column:
    """One column of a study file."""

    name: str
    required: bool = False
    kind: str = "text"  # text | int | float | date | kommun | bool
    choices: tuple[str, ...] | None = None
    default: object = None
    description: str = ""


@dataclass(frozen=True)
class FileSpec:
    """One file of a study folder (or one sheet of a study workbook)."""

    stem: str
    columns: tuple[Column, ...]
    required: bool = False
    key: tuple[str, ...] = ()  # columns that must be unique together
    description: str = ""
    extra_columns: bool = True  # unknown columns are kept, not refused

    @property
    def filename(self) -> str:
        return f"{self.stem}.csv"

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def required_names(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


ACTORS = FileSpec(
    "actors",
    (
        Column("actor_id", True, description="unique id used by every other file"),
        Column("name", True, description="display name"),
        Column("type", True, choices=ACTOR_TYPES, description="actor type"),
        Column("kommun_kod", kind="kommun", description="4-digit SCB kommun code"),
        Column("aliases", description="';'-separated other names"),
        Column("org_nr", kind="org_nr", description="Swedish organisationsnummer"),
        Column("lat", kind="float", description="WGS84 latitude"),
        Column("lon", kind="float", description="WGS84 longitude"),
        Column("capacity", kind="float", description="places offered (supply)"),
    ),
    required=True,
    key=("actor_id",),
    description="one row per organisation",
)

TIES = FileSpec(
    "ties",
    (
        Column("respondent_id", True, kind="actor", description="actor who reported the tie"),
        Column("alter_id", True, kind="actor", description="actor named"),
        Column("relation", True, choices=TIE_RELATIONS),
        Column("strength", kind="int", default=1, description="1-4 (Himmelman levels)"),
        Column("wave", kind="int", default=1, description="survey wave"),
        Column("interview_id"),
        Column("date", kind="date"),
        Column("note"),
    ),
    key=("respondent_id", "alter_id", "relation", "wave"),
    description="reported ties from interviews and surveys (ego -> alter)",
)

RESPONDENTS = FileSpec(
    "respondents",
    (
        Column("actor_id", True, kind="actor"),
        Column("wave", kind="int", default=1),
        Column("status", True, choices=RESPONDENT_STATUSES),
    ),
    key=("actor_id", "wave"),
    description="who was asked and whether they answered",
)

AFFILIATIONS = FileSpec(
    "affiliations",
    (
        Column("actor_id", True, kind="actor"),
        Column("partner_id", True, kind="actor"),
        Column("relation", True, choices=AFFILIATION_RELATIONS),
        Column("start_year", kind="int"),
        Column("end_year", kind="int"),
        Column("source"),
    ),
    key=("actor_id", "partner_id", "relation"),
    description="documented formal relations (directed as written)",
)

PLACEMENTS = FileSpec(
    "placements",
    (
        Column("placement_id", True),
        Column("person_key", True, kind="person_key"),
        Column("referrer_id", True, kind="actor"),
        Column("host_id", True, kind="actor"),
        Column("program", choices=PROGRAMS),
        Column("start_date", kind="date"),
        Column("end_date", kind="date"),
        Column("outcome", choices=OUTCOMES, default="unknown"),
        Column("gender"),
        Column("age_band"),
    ),
    key=("placement_id",),
    description="people placed by one actor at another",
)

INDICATORS = FileSpec(
    "indicators",
    (
        Column("kommun_kod", True, kind="kommun"),
        Column("year", True, kind="int"),
        Column("indicator", True),
        Column("value", True, kind="float"),
        Column("source"),
    ),
    key=("kommun_kod", "year", "indicator"),
    description="kommun-level register data, long format",
)

#: All study files in reading order (actors first: the others refer to it).
FILES: tuple[FileSpec, ...] = (
    ACTORS,
    TIES,
    RESPONDENTS,
    AFFILIATIONS,
    PLACEMENTS,
    INDICATORS,
)
FILES_BY_STEM: dict[str, FileSpec] = {f.stem: f for f in FILES}


@dataclass
class ModelSpec:
    """One ``[[model]]`` entry of ``study.toml``."""

    name: str
    level: str = "placement"  # placement | actor | kommun | dyad
    family: str = "binomial"  # binomial | gaussian | poisson | negativebinomial
    formula: str = ""
    cluster: str | None = None
    method: str | None = None  # glm | gee | mixed | mrqap ; None = chosen by level
    options: dict = field(default_factory=dict)
