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


#: stakeholders.csv attribute -> (lowest, highest) allowed whole-number value
STAKEHOLDER_ATTRIBUTES: dict[str, tuple[int, int]] = {
    "influence": (1, 5),
    "interest": (1, 5),
    "power": (1, 5),
    "legitimacy": (1, 5),
    "urgency": (1, 5),
    "attitude": (-2, 2),
}
#: PARTNER trust and value items, optional columns of ties.csv (Varda et al. 2008, 2012)
TRUST_ITEMS: tuple[str, ...] = ("trust_reliable", "trust_mission", "trust_open")
VALUE_ITEMS: tuple[str, ...] = ("value_power", "value_involvement", "value_resources")
#: lowest and highest value of a PARTNER item
ITEM_RANGE: tuple[int, int] = (1, 4)
#: what a partner contributes (the ``resources`` column of ties.csv, ';'-separated)
RESOURCES: tuple[str, ...] = (
    "funding", "in_kind", "paid_staff", "volunteers", "data", "expertise",
    "community_connections", "facilitation", "information", "decision_making", "other",
)


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

#: the optional PARTNER columns of ties.csv; a study without them reads as before
TIE_RATING_COLUMNS: tuple[Column, ...] = (
    Column("trust_reliable", kind="int",
           description="PARTNER trust: the alter is reliable (1 not at all - 4 very much)"),
    Column("trust_mission", kind="int",
           description="PARTNER trust: the alter is committed to the shared mission (1-4)"),
    Column("trust_open", kind="int",
           description="PARTNER trust: the alter is open to discussion (1-4)"),
    Column("value_power", kind="int",
           description="PARTNER value: the alter's power / influence (1-4)"),
    Column("value_involvement", kind="int",
           description="PARTNER value: the alter's level of involvement (1-4)"),
    Column("value_resources", kind="int",
           description="PARTNER value: the resources the alter contributes (1-4)"),
    Column("resources", description="';'-separated resources the alter contributes: "
           + ", ".join(RESOURCES)),
)
TIE_RATING_NAMES: tuple[str, ...] = tuple(c.name for c in TIE_RATING_COLUMNS)

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
        *TIE_RATING_COLUMNS,
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

STAKEHOLDERS = FileSpec(
    "stakeholders",
    (
        Column("actor_id", True, kind="actor", description="actor rated"),
        Column("attribute", True, choices=tuple(STAKEHOLDER_ATTRIBUTES),
               description="what is rated"),
        Column("value", True, kind="int",
               description="whole number 1-5 (attitude -2..+2: against .. for)"),
        Column("rater_id", kind="actor", description="who rated; empty = the analyst"),
        Column("wave", kind="int", default=1, description="rating wave"),
        Column("note", description="provenance; never copied into outputs"),
    ),
    key=("actor_id", "attribute", "rater_id", "wave"),
    description="stakeholder ratings (influence, interest, salience, attitude), long format",
)

#: All study files in reading order (actors first: the others refer to it).
FILES: tuple[FileSpec, ...] = (
    ACTORS,
    TIES,
    RESPONDENTS,
    AFFILIATIONS,
    PLACEMENTS,
    INDICATORS,
    STAKEHOLDERS,
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
