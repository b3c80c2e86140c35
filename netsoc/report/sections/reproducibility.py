"""Reproducibility: seed, options, package versions and input checksums."""

from __future__ import annotations

import pandas as pd

from netsoc.report.html import esc, section, table

KEY = "reproducibility"
TEXT = {
    "nav_reproducibility": {"sv": "Reproducerbarhet", "en": "Reproducibility"},
    "repro_title": {"sv": "Reproducerbarhet", "en": "Reproducibility"},
    "repro_intro": {
        "sv": "Samma indata och samma frö (seed {seed}) ger byte-identiska tabeller. "
        "Allt nedan finns också i run.json.",
        "en": "The same input and the same seed (seed {seed}) give byte-identical tables. "
        "Everything below is also in run.json.",
    },
    "repro_package": {"sv": "Paket", "en": "Package"},
    "repro_version": {"sv": "Version", "en": "Version"},
    "repro_stage": {"sv": "Steg", "en": "Stage"},
    "repro_seconds": {"sv": "Sekunder", "en": "Seconds"},
}


def render(results, t) -> str:
    info = results.run_info
    body = [f"<p>{esc(t('repro_intro', seed=results.seed))}</p>"]
    versions = pd.DataFrame(sorted(info.get("versions", {}).items()), columns=["package", "version"])
    body.append(table(versions, t, columns={"package": t("repro_package"), "version": t("repro_version")},
                      sortable=False))
    timings = pd.DataFrame(sorted(info.get("timings_s", {}).items()), columns=["stage", "seconds"])
    if len(timings):
        body.append(table(timings, t, columns={"stage": t("repro_stage"), "seconds": t("repro_seconds")},
                          sortable=False))
    return section(KEY, t("repro_title"), body)
