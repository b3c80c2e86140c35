"""Reproducibility: the command to rerun, seed, settings, input checksums, versions, timings."""

from __future__ import annotations

import shlex

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
    "repro_command": {"sv": "Kör om analysen med", "en": "Run the analysis again with"},
    "repro_created": {
        "sv": "Skapad {created} med netsoc {version}.",
        "en": "Created {created} with netsoc {version}.",
    },
    "repro_inputs": {"sv": "Indata (SHA-256)", "en": "Inputs (SHA-256)"},
    "repro_file": {"sv": "Fil", "en": "File"},
    "repro_sha": {"sv": "SHA-256", "en": "SHA-256"},
    "repro_settings": {"sv": "Inställningar", "en": "Settings"},
    "repro_setting": {"sv": "Inställning", "en": "Setting"},
    "repro_value": {"sv": "Värde", "en": "Value"},
    "repro_versions": {"sv": "Programversioner", "en": "Software versions"},
    "repro_package": {"sv": "Paket", "en": "Package"},
    "repro_version": {"sv": "Version", "en": "Version"},
    "repro_timings": {"sv": "Tidsåtgång", "en": "Timings"},
    "repro_stage": {"sv": "Steg", "en": "Stage"},
    "repro_seconds": {"sv": "Sekunder", "en": "Seconds"},
}

#: settings shown in the report (the rest are in run.json)
SHOWN_SETTINGS = ("symmetrize", "groups", "min_cell", "need_indicator", "population_indicator",
                  "catchment_km", "scope", "ei_permutations", "robustness_runs")


def command(results) -> str:
    """The ``netsoc run`` command line that reproduces this run's tables."""
    study = results.study
    args = ["netsoc", "run"]
    from netsoc.report.findings import is_embedded_example

    if study.path is not None and not is_embedded_example(study):
        args.append(str(study.path))
    args += ["--seed", str(results.seed), "--lang", results.lang, "--out", "OUT"]
    return shlex.join(args)


def render(results, t) -> str:
    info = results.run_info
    body = [f"<p>{esc(t('repro_intro', seed=results.seed))}</p>"]
    if info.get("created"):
        body.append(f"<p>{esc(t('repro_created', created=info['created'], version=info.get('netsoc_version', '')))}</p>")
    body.append(f"<p>{esc(t('repro_command'))}:</p><pre><code>{esc(command(results))}</code></pre>")
    sources = info.get("inputs_sha256") or results.study.sources
    if sources:
        df = pd.DataFrame(sorted(sources.items()), columns=["file", "sha"])
        body.append(f"<h3>{esc(t('repro_inputs'))}</h3>")
        body.append(table(df, t, columns={"file": t("repro_file"), "sha": t("repro_sha")},
                          sortable=False, css_class="data mono"))
    settings = info.get("settings") or {}
    rows = [(k, settings[k]) for k in SHOWN_SETTINGS if k in settings]
    rows += [(f"model: {m.get('name')}", f"{m.get('level')}, {m.get('family')}: {m.get('formula')}")
             for m in settings.get("models", []) if isinstance(m, dict)]
    if rows:
        df = pd.DataFrame([(k, str(v)) for k, v in rows], columns=["setting", "value"])
        body.append(f"<h3>{esc(t('repro_settings'))}</h3>")
        body.append(table(df, t, columns={"setting": t("repro_setting"), "value": t("repro_value")},
                          sortable=False))
    versions = pd.DataFrame(sorted(info.get("versions", {}).items()), columns=["package", "version"])
    body.append(f"<h3>{esc(t('repro_versions'))}</h3>")
    body.append(table(versions, t, columns={"package": t("repro_package"), "version": t("repro_version")},
                      sortable=False))
    timings = pd.DataFrame(list(info.get("timings_s", {}).items()), columns=["stage", "seconds"])
    if len(timings):
        body.append(f"<h3>{esc(t('repro_timings'))}</h3>")
        body.append(table(timings, t, columns={"stage": t("repro_stage"), "seconds": t("repro_seconds")},
                          sortable=False, digits=2))
    return section(KEY, t("repro_title"), body)
