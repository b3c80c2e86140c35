"""Writing the embedded example as a study folder: the CSV files, ``study.toml``, and the
generated ``README.md`` (with the calibration and planted-effect tables) and ``SOURCES.md``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from netsoc.synth.example_actors import actor_roles
from netsoc.synth.example_data import (
    DEFAULT_SEED,
    NEED_INDICATOR,
    POPULATION_INDICATOR,
    REPORT_MOTALA,
    REPORT_OREBRO,
    REPORT_ORNSKOLDSVIK,
    REPORT_STHLM,
    REPORT_TIMRA,
    WORK_AGE_55_64,
    WORK_INTERCEPT,
    WORK_PER_HOST_DEGREE,
    WORK_PROGRAM,
    WORK_SOCIAL_ENTERPRISE,
)
from netsoc.synth.example_study import calibration, make_example, planted_effect_summary


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
