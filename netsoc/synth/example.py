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

Where things live (this module re-exports every public name):

* :mod:`~netsoc.synth.example_data` – the reports, calibration targets, planted
  effects, the kommuner and the formal relations the reports state (constants only);
* :mod:`~netsoc.synth.example_actors` – documentary and synthetic actors,
  ``affiliations``, :func:`actor_roles`;
* :mod:`~netsoc.synth.example_ties` – respondents and interview ties in two waves,
  :func:`collaboration_degree`;
* :mod:`~netsoc.synth.example_placements` – placements and their outcomes;
* :mod:`~netsoc.synth.example_indicators` – kommun indicators;
* :mod:`~netsoc.synth.example_study` – :func:`make_example`, :func:`calibration`,
  :func:`planted_effect_summary`;
* :mod:`~netsoc.synth.example_files` – :func:`write_example` (CSV files, ``study.toml``,
  ``README.md``, ``SOURCES.md``);
* here – :func:`main`, the ``python -m netsoc.synth.example`` command line.

Examples
--------
>>> from netsoc.synth.example import make_example
>>> tables = make_example(seed=2014)
>>> sorted(tables)
['actors', 'affiliations', 'indicators', 'placements', 'respondents', 'ties']
"""

from __future__ import annotations

import argparse

from netsoc.synth.example_actors import actor_roles
from netsoc.synth.example_data import (
    AGE_BANDS,
    CROSS_AREA_TIE_P,
    DEFAULT_SEED,
    DURATION_DAYS,
    FORMAL_TIE_P,
    GENDER_P_FEMALE,
    GRENVERKET_LONEBIDRAG,
    HOST_ROLES,
    INDICATOR_YEARS,
    KOMMUNER,
    MOTALA_GRENVERKET_ARBETSTRANING,
    MOTALA_HOST_ASSOCIATIONS,
    MOTALA_LONEBIDRAG,
    MOTALA_SYSS_COMPANY_SHARE_OF_47,
    MOTALA_SYSS_PLACEMENTS,
    MOTALA_SYSS_SHARES,
    MOTALA_SYSS_SNAPSHOT,
    NEED_INDICATOR,
    NON_RESPONSE_RATE,
    OS_SE_ACTIVE,
    OS_SE_EMPLOYED,
    OS_SOCIAL_ENTERPRISES,
    OTHER_SUPPORT_P,
    OUTCOME_MISSING_P,
    PERIOD_END,
    PERIOD_START,
    PLACEMENTS_PER_PERSON,
    POPULATION_INDICATOR,
    PUBLIC_ROLES,
    RECALL,
    REPORT_MOTALA,
    REPORT_OREBRO,
    REPORT_ORNSKOLDSVIK,
    REPORT_STHLM,
    REPORT_TIMRA,
    ROLE_ORDER,
    SE_PER_KOMMUN,
    SECOND_RELATION_P,
    STATED_MEMBERS,
    STHLM_OTHER_PLACEMENTS,
    STHLM_SE_EMPLOYED,
    STHLM_SE_OCCUPIED,
    STHLM_SE_PLACEMENTS,
    STHLM_SOCIAL_ENTERPRISES,
    STUDIES_P,
    STUDIES_P_OTHER,
    TIE_CHURN_ADD,
    TIE_CHURN_DROP,
    WAVE_WINDOWS,
    WORK_AGE_55_64,
    WORK_INTERCEPT,
    WORK_PER_HOST_DEGREE,
    WORK_PROGRAM,
    WORK_SOCIAL_ENTERPRISE,
)
from netsoc.synth.example_files import write_example
from netsoc.synth.example_indicators import INDICATORS
from netsoc.synth.example_study import calibration, make_example, planted_effect_summary
from netsoc.synth.example_ties import collaboration_degree

__all__ = [
    "AGE_BANDS",
    "CROSS_AREA_TIE_P",
    "DEFAULT_SEED",
    "DURATION_DAYS",
    "FORMAL_TIE_P",
    "GENDER_P_FEMALE",
    "GRENVERKET_LONEBIDRAG",
    "HOST_ROLES",
    "INDICATORS",
    "INDICATOR_YEARS",
    "KOMMUNER",
    "MOTALA_GRENVERKET_ARBETSTRANING",
    "MOTALA_HOST_ASSOCIATIONS",
    "MOTALA_LONEBIDRAG",
    "MOTALA_SYSS_COMPANY_SHARE_OF_47",
    "MOTALA_SYSS_PLACEMENTS",
    "MOTALA_SYSS_SHARES",
    "MOTALA_SYSS_SNAPSHOT",
    "NEED_INDICATOR",
    "NON_RESPONSE_RATE",
    "OS_SE_ACTIVE",
    "OS_SE_EMPLOYED",
    "OS_SOCIAL_ENTERPRISES",
    "OTHER_SUPPORT_P",
    "OUTCOME_MISSING_P",
    "PERIOD_END",
    "PERIOD_START",
    "PLACEMENTS_PER_PERSON",
    "POPULATION_INDICATOR",
    "PUBLIC_ROLES",
    "RECALL",
    "REPORT_MOTALA",
    "REPORT_OREBRO",
    "REPORT_ORNSKOLDSVIK",
    "REPORT_STHLM",
    "REPORT_TIMRA",
    "ROLE_ORDER",
    "SECOND_RELATION_P",
    "SE_PER_KOMMUN",
    "STATED_MEMBERS",
    "STHLM_OTHER_PLACEMENTS",
    "STHLM_SE_EMPLOYED",
    "STHLM_SE_OCCUPIED",
    "STHLM_SE_PLACEMENTS",
    "STHLM_SOCIAL_ENTERPRISES",
    "STUDIES_P",
    "STUDIES_P_OTHER",
    "TIE_CHURN_ADD",
    "TIE_CHURN_DROP",
    "WAVE_WINDOWS",
    "WORK_AGE_55_64",
    "WORK_INTERCEPT",
    "WORK_PER_HOST_DEGREE",
    "WORK_PROGRAM",
    "WORK_SOCIAL_ENTERPRISE",
    "actor_roles",
    "calibration",
    "collaboration_degree",
    "main",
    "make_example",
    "planted_effect_summary",
    "write_example",
]


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
