"""The Stockholm pre-study area's collaboration structure.

Question: in the area of the ESF pre-study *Samordning för socialt företagande*
(nine kommuner in Stockholms län and their five samordningsförbund), who
brokers between the public side and the social enterprises, and do the
collaboration communities follow the samordningsförbund?

Run from the repository root::

    python analyses/stockholm_collaboration.py              # embedded example
    python analyses/stockholm_collaboration.py --study DIR --out DIR

Writes to ``analyses/output/stockholm_collaboration/``: ``brokers.csv``,
``communities_vs_forbund.csv``, ``partition_agreement.csv``,
``network.png`` and ``answer.md`` (the answer in words, with the numbers).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import networkx as nx
import pandas as pd

import netsoc
from netsoc import communities, graphs, measures, schema
from netsoc.report.figures import network_figure

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import md_table  # noqa: E402

#: the pre-study's nine kommuner (SCB codes)
KOMMUNER = {
    "0127": "Botkyrka", "0126": "Huddinge", "0128": "Salem", "0120": "Värmdö", "0182": "Nacka",
    "0136": "Haninge", "0138": "Tyresö", "0192": "Nynäshamn", "0181": "Södertälje",
}
SOCIAL_ENTERPRISE = "social_enterprise"
DEFAULT_OUT = Path(__file__).resolve().parent / "output" / "stockholm_collaboration"


def area_actors(study: netsoc.Study, G: nx.Graph) -> list[str]:
    """Actors located in the nine kommuner, plus actors without a kommun (national and
    regional bodies, projects) that collaborate with at least one of them."""
    a = study.actors
    local = set(a.loc[a["kommun_kod"].isin(list(KOMMUNER)), "actor_id"])
    regional = a.loc[a["kommun_kod"].isna() | a["kommun_kod"].astype("string").str.startswith("01"),
                     "actor_id"]
    linked = {x for x in regional if x not in local and any(n in local for n in G.neighbors(x))}
    return sorted(local | linked)


def side(types: pd.Series) -> pd.Series:
    """public / social enterprise / other, from actor type."""
    return types.map(lambda t: "public" if t in schema.PUBLIC_TYPES
                     else "social enterprise" if t == SOCIAL_ENTERPRISE else "other")


def forbund_area(study: netsoc.Study) -> pd.Series:
    """The samordningsförbund covering the actor's kommun (by kommun_kod).

    A kommun belongs to the förbund it is documented as ``member_of`` in affiliations.csv;
    a kommun without documented membership to the förbund seated in it (its kommun_kod).
    Actors in kommuner covered by several förbund, and actors without a kommun, get none.
    """
    a = study.actors.set_index("actor_id")
    aff = study.affiliations if study.affiliations is not None else pd.DataFrame(
        columns=["actor_id", "partner_id", "relation"])
    forbund = set(a.index[a["type"] == "samordningsforbund"])
    member = aff[(aff["relation"] == "member_of") & aff["partner_id"].isin(forbund)]
    kommun_of = a["kommun_kod"]
    by_kod: dict[str, set] = {}
    for actor, f in zip(member["actor_id"], member["partner_id"], strict=True):
        if a.loc[actor, "type"] == "kommun" and pd.notna(kommun_of[actor]):
            by_kod.setdefault(kommun_of[actor], set()).add(f)
    seated: dict[str, set] = {}
    for f in sorted(forbund):
        if pd.notna(kommun_of[f]):
            seated.setdefault(kommun_of[f], set()).add(f)
    for kod, fs in seated.items():
        by_kod.setdefault(kod, fs)
    label = {}
    for actor, kod in kommun_of.items():
        if actor in forbund:
            label[actor] = actor
        elif pd.notna(kod) and len(by_kod.get(kod, ())) == 1:
            label[actor] = next(iter(by_kod[kod]))
    return pd.Series(label, name="forbund_area", dtype="object")


def analyse(study: netsoc.Study, seed: int) -> dict:
    networks = graphs.build_networks(study)
    ids = area_actors(study, networks.collaboration)
    G = networks.collaboration.subgraph(ids).copy()
    R = networks.reported.subgraph(ids).copy()
    a = study.actors.set_index("actor_id").loc[ids]
    sides = side(a["type"])
    public = [x for x in ids if sides[x] == "public"]
    se = [x for x in ids if sides[x] == "social enterprise"]

    # 1. brokers between the sides: shortest public–SE paths through each actor (Freeman 1979,
    #    restricted to source/target sets) and Gould–Fernandez roles with the three sides as groups
    through = nx.betweenness_centrality_subset(G, sources=public, targets=se, normalized=False)
    # networkx halves undirected subset betweenness; with disjoint source and target sets
    # each public–SE pair is visited once, so doubling gives paths per pair, counted once
    through = {k: 2 * v for k, v in through.items()}
    roles = measures.brokerage_roles(R, sides.to_dict())
    pairs_connected = sum(1 for p in public for s in se if nx.has_path(G, p, s))
    direct = sum(1 for p in public for s in se if G.has_edge(p, s))
    brokers = pd.DataFrame({
        "actor_id": ids,
        "name": a["name"].to_numpy(),
        "type": a["type"].to_numpy(),
        "side": sides.to_numpy(),
        "degree": [G.degree(x) for x in ids],
        "public_se_paths": [through[x] for x in ids],
        "between_sides": [int(roles.loc[x, ["representative", "gatekeeper", "liaison"]].sum())
                          for x in ids],
    })
    brokers["public_se_share"] = brokers["public_se_paths"] / max(pairs_connected - direct, 1)
    brokers = brokers.sort_values(["public_se_paths", "actor_id"], ascending=[False, True],
                                  kind="mergesort").reset_index(drop=True)

    # 2. communities vs samordningsförbund
    com = communities.detect_communities(G, study=study, seed=seed)
    part = com.partition
    part = part[[G.degree(x) > 0 for x in part.index]]
    area = forbund_area(study).reindex(part.index)
    names = a["name"]
    labelled = area.notna()
    cross = pd.crosstab(part[labelled].rename("community"),
                        area[labelled].map(names).rename("samordningsforbund"))
    agreement = pd.DataFrame([{
        "partition": "forbund_area",
        "n_actors": int(labelled.sum()),
        "ari": communities.adjusted_rand_index(part[labelled].to_numpy(), area[labelled].to_numpy()),
        "nmi": communities.normalized_mutual_info(part[labelled].to_numpy(), area[labelled].to_numpy()),
    }])
    agreement = pd.concat([agreement, com.comparison[["partition", "n_actors", "ari", "nmi"]]],
                          ignore_index=True)
    return {"G": G, "actors": a, "sides": sides, "public": public, "se": se, "brokers": brokers,
            "pairs_connected": pairs_connected, "direct": direct, "com": com, "cross": cross,
            "agreement": agreement, "part": part}


def answer(r: dict, study: netsoc.Study) -> str:
    b, G = r["brokers"], r["G"]
    top = b.head(5)
    n_pairs = len(r["public"]) * len(r["se"])
    lines = [
        "# Stockholm pre-study area: collaboration structure",
        "",
        ("**Synthetic data.** " if study.settings.synthetic else "")
        + f"Study: {study.settings.name}.",
        "",
        f"The area network has {G.number_of_nodes()} actors and {G.number_of_edges()} collaboration "
        f"ties: {len(r['public'])} public actors and {len(r['se'])} social enterprises. Of their "
        f"{n_pairs} public–social-enterprise pairs, {r['direct']} are tied directly and "
        f"{r['pairs_connected'] - r['direct']} more are connected only through others.",
        "",
        "## Who brokers between the public side and the social enterprises?",
        "",
        "Shortest paths between a public actor and a social enterprise that pass through the actor "
        "(`public_se_paths`, Freeman betweenness restricted to those pairs; `public_se_share` = per "
        "indirectly connected pair), and Gould–Fernandez brokerage between the three sides "
        "(representative + gatekeeper + liaison, on the reported ties):",
        "",
        "| actor | type | paths | share | between sides |",
        "|---|---|---|---|---|",
    ]
    for x in top.itertuples(index=False):
        lines.append(f"| {x.name} | {x.type} | {x.public_se_paths:.1f} | {x.public_se_share:.2f} "
                     f"| {x.between_sides} |")
    com, ag = r["com"], r["agreement"].set_index("partition")
    fa = ag.loc["forbund_area"]
    n_com = len(com.communities())
    lines += [
        "",
        "## Do the communities follow the samordningsförbund?",
        "",
        f"Leiden consensus communities (seed {com.seed}): {n_com} communities of two or more "
        f"actors, modularity {com.modularity.get('consensus', float('nan')):.3f}; structure "
        f"{'clear' if com.clear else 'not clear'}. Agreement with the förbund area of each actor "
        f"(the förbund its kommun belongs to; {int(fa['n_actors'])} actors): adjusted Rand index "
        f"{fa['ari']:.2f}, NMI {fa['nmi']:.2f}"
        + (f"; with kommun: ARI {ag.loc['kommun', 'ari']:.2f}" if "kommun" in ag.index else "")
        + (f"; with actor type: ARI {ag.loc['type', 'ari']:.2f}" if "type" in ag.index else "")
        + ".",
        "",
        "Actors per community and förbund area:",
        "",
        md_table(r["cross"]),
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[1])
    p.add_argument("--study", help="study folder (default: the embedded example)")
    p.add_argument("--out", default=str(DEFAULT_OUT), help="output folder")
    p.add_argument("--seed", type=int, help="seed (default from study.toml)")
    args = p.parse_args(argv)
    study = netsoc.load_study(args.study)
    seed = study.settings.seed if args.seed is None else args.seed
    r = analyse(study, seed)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    r["brokers"].to_csv(out / "brokers.csv", index=False, float_format="%.6g")
    r["cross"].to_csv(out / "communities_vs_forbund.csv")
    r["agreement"].to_csv(out / "partition_agreement.csv", index=False, float_format="%.6g")
    actors = r["actors"].reset_index()[["actor_id", "name", "type"]]
    actors["community"] = actors["actor_id"].map(r["part"]).astype("Int64")
    actors["betweenness"] = actors["actor_id"].map(
        r["brokers"].set_index("actor_id")["public_se_paths"])
    fig = network_figure(r["G"], actors, color_by="community", size_by="betweenness", seed=seed,
                         title="Stockholm pre-study area: communities, sized by public–SE brokerage",
                         legend_title="community")
    fig.savefig(out / "network.png", dpi=150, bbox_inches="tight", metadata={"Software": None})
    text = answer(r, study)
    (out / "answer.md").write_text(text, encoding="utf-8")
    print(text)
    print(f"\nwritten to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
