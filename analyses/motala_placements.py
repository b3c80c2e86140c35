"""Motala's placement picture by host type.

Question: in Motala and Vadstena, where are people placed (associations, aid
organisations, social enterprises, companies, the kommun), in which
programmes, and how often does a placement lead to work, by host type?
The report *Projekt Sociala Ekonomin i Motala* gives AF Motala–Vadstena's
sysselsättning places in May 2014 as 40 % at associations, 10 % at aid
organisations, 3 % at social enterprises and 47 % at companies or the kommun;
this analysis puts a study's placements beside those shares.

Counts of people from 1 to min_cell-1 are shown as ``<5`` (with secondary
suppression, :func:`netsoc.privacy.suppress_counts`), and a work rate is only
shown when neither the people who got work nor those who did not are that few.

Run from the repository root::

    python analyses/motala_placements.py                    # embedded example
    python analyses/motala_placements.py --study DIR --out DIR

Writes to ``analyses/output/motala_placements/``: ``by_program.csv``,
``sysselsattning_shares.csv``, ``work_by_host_type.csv``, ``work_by_host_type.png``
and ``answer.md``.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

import netsoc  # noqa: E402
from netsoc.privacy import format_count, suppress_counts  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import md_table  # noqa: E402

KOMMUNER = {"0583": "Motala", "0584": "Vadstena"}
#: associations whose name marks them as aid organisations (hjälporganisationer); edit for
#: your study, or list their ids in --aid
AID_PATTERN = r"hjälporganisation|röda korset|stadsmission|hjärta till hjärta|frälsningsarm"
#: AF Motala–Vadstena's sysselsättning places by host type, May 2014 (percent), from
#: *Projekt Sociala Ekonomin i Motala*
AF_MAY_2014 = {"association": 40, "aid organisation": 10, "social enterprise": 3,
               "company or kommun": 47}
ORDER = ["association", "aid organisation", "social enterprise", "company", "kommun", "other"]
DEFAULT_OUT = Path(__file__).resolve().parent / "output" / "motala_placements"


def host_category(actors: pd.DataFrame, aid_ids: set[str] | None = None) -> pd.Series:
    """association / aid organisation / social enterprise / company / kommun / other."""
    aid = actors["name"].astype(str).str.contains(AID_PATTERN, flags=re.I, regex=True)
    if aid_ids:
        aid |= actors["actor_id"].isin(aid_ids)

    def one(t: str, is_aid: bool) -> str:
        if t == "association":
            return "aid organisation" if is_aid else "association"
        if t in ("social_enterprise", "company", "kommun"):
            return t.replace("_", " ")
        return "other"

    return pd.Series([one(t, f) for t, f in zip(actors["type"], aid, strict=True)],
                     index=actors["actor_id"].to_numpy(), name="host_category")


def wilson(k: int, n: int, z: float = 1.959964) -> tuple[float, float]:
    """Wilson score interval for a proportion (Wilson 1927)."""
    if n == 0:
        return math.nan, math.nan
    p = k / n
    d = 1 + z * z / n
    c = (p + z * z / (2 * n)) / d
    h = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return c - h, c + h


def analyse(study: netsoc.Study, aid_ids: set[str] | None = None) -> dict:
    if study.placements is None or not len(study.placements):
        raise SystemExit("the study has no placements.csv")
    min_cell = study.settings.min_cell
    a = study.actors
    cat = host_category(a, aid_ids)
    kod = a.set_index("actor_id")["kommun_kod"]
    p = study.placements.copy()
    p = p[p["host_id"].map(kod).isin(list(KOMMUNER))]
    p["host_category"] = p["host_id"].map(cat)
    p["program"] = p["program"].fillna("unknown")
    cats = [c for c in ORDER if c in set(p["host_category"])]

    # placements by programme and host type: counts of people, suppressed
    counts = pd.crosstab(p["program"], p["host_category"]).reindex(columns=cats, fill_value=0)
    counts["all hosts"] = counts.sum(axis=1)
    by_program, _ = suppress_counts(counts.reset_index(), [*cats, "all hosts"], min_cell=min_cell,
                                    totals="columns")

    # sysselsättning shares beside AF's May 2014 shares
    syss = p[p["program"] == "sysselsattning"]["host_category"].replace(
        {"company": "company or kommun", "kommun": "company or kommun", "other": "company or kommun"})
    n_syss = len(syss)
    rows = []
    for c, af in AF_MAY_2014.items():
        k = int((syss == c).sum())
        shown = k == 0 or k >= min_cell
        rows.append({"host_category": c, "placements": format_count(k, min_cell),
                     "share_pct": round(100 * k / n_syss, 1) if n_syss and shown else None,
                     "af_may_2014_pct": af})
    shares = pd.DataFrame(rows)

    # work rate among ended placements with a known outcome
    ended = p[p["outcome"].notna() & (p["outcome"] != "unknown")]
    rows = []
    for c in cats:
        g = ended[ended["host_category"] == c]
        n, k = len(g), int((g["outcome"] == "work").sum())
        # a rate is shown only when neither those with work nor those without are 1..min_cell-1
        safe = n >= min_cell and all(v == 0 or v >= min_cell for v in (k, n - k))
        lo, hi = wilson(k, n) if safe else (math.nan, math.nan)
        if safe:
            shown = str(k)
        else:  # a visible k with a small n - k would reveal the small count
            shown = format_count(k, min_cell) if k < min_cell else ".."
        rows.append({"host_category": c, "ended": format_count(n, min_cell), "work": shown,
                     "work_rate": round(k / n, 3) if safe else None,
                     "ci_low": round(lo, 3) if safe else None,
                     "ci_high": round(hi, 3) if safe else None})
    work = pd.DataFrame(rows)
    return {"placements": p, "by_program": by_program, "shares": shares, "work": work,
            "n_syss": n_syss, "n_ended": len(ended), "min_cell": min_cell}


def figure(work: pd.DataFrame):
    w = work.dropna(subset=["work_rate"])
    fig, ax = plt.subplots(figsize=(6.5, 3.5))
    y = range(len(w))
    ax.errorbar(w["work_rate"], list(y), xerr=[w["work_rate"] - w["ci_low"], w["ci_high"] - w["work_rate"]],
                fmt="o", capsize=3, color="#1f3b57")
    ax.set_yticks(list(y), w["host_category"])
    ax.invert_yaxis()
    ax.set_xlabel("share of ended placements followed by work (95% Wilson interval)")
    ax.set_xlim(0, max(0.6, float(w["ci_high"].max()) + 0.05) if len(w) else 1)
    ax.set_title("Motala and Vadstena: work after placement, by host type")
    fig.tight_layout()
    return fig


def answer(r: dict, study: netsoc.Study) -> str:
    p = r["placements"]
    w = r["work"].dropna(subset=["work_rate"]).sort_values("work_rate", ascending=False)
    lines = [
        "# Motala and Vadstena: placements by host type",
        "",
        ("**Synthetic data.** " if study.settings.synthetic else "")
        + f"Study: {study.settings.name}. Placements hosted in Motala or Vadstena: "
        f"{format_count(len(p), r['min_cell'])} (of which {format_count(r['n_ended'], r['min_cell'])} "
        f"ended with a known outcome). Counts of 1–{r['min_cell'] - 1} people are shown as "
        f"<{r['min_cell']}, `..` hides a cell that would reveal one.",
        "",
        "## Sysselsättning places by host type, beside AF Motala–Vadstena in May 2014",
        "",
        md_table(r["shares"], index=False, floats="{:.1f}"),
        "",
        "## Placements by programme and host type",
        "",
        md_table(r["by_program"], index=False),
        "",
        "## Work after placement, by host type",
        "",
        md_table(r["work"], index=False, floats="{:.3f}"),
        "",
    ]
    if len(w) >= 2:
        hi, lo = w.iloc[0], w.iloc[-1]
        lines.append(
            f"Placements at {hi['host_category']} hosts were followed by work most often "
            f"({hi['work_rate']:.0%}, 95% interval {hi['ci_low']:.0%}–{hi['ci_high']:.0%}), at "
            f"{lo['host_category']} hosts least often ({lo['work_rate']:.0%}, "
            f"{lo['ci_low']:.0%}–{lo['ci_high']:.0%}). These are raw shares: hosts differ in the "
            "programmes and the people they take, so a difference here is a question for the "
            "outcome model (`work ~ host_degree + C(host_type)` with standard errors clustered by "
            "host), not an effect.")
    lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[1])
    ap.add_argument("--study", help="study folder (default: the embedded example)")
    ap.add_argument("--out", default=str(DEFAULT_OUT), help="output folder")
    ap.add_argument("--aid", nargs="*", default=[], help="actor ids of aid organisations")
    args = ap.parse_args(argv)
    study = netsoc.load_study(args.study)
    r = analyse(study, set(args.aid))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    r["by_program"].to_csv(out / "by_program.csv", index=False)
    r["shares"].to_csv(out / "sysselsattning_shares.csv", index=False)
    r["work"].to_csv(out / "work_by_host_type.csv", index=False)
    figure(r["work"]).savefig(out / "work_by_host_type.png", dpi=150, bbox_inches="tight",
                              metadata={"Software": None})
    text = answer(r, study)
    (out / "answer.md").write_text(text, encoding="utf-8")
    print(text)
    print(f"written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
