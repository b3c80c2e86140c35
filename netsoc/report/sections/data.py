"""Data and quality: files read, row counts, response, warnings and rejects."""

from __future__ import annotations

import pandas as pd

from netsoc.report.findings import is_embedded_example
from netsoc.report.html import esc, section, table

KEY = "data"
TEXT = {
    "nav_data": {"sv": "Data och kvalitet", "en": "Data and quality"},
    "data_title": {"sv": "Data och kvalitet", "en": "Data and quality"},
    "data_file": {"sv": "Fil", "en": "File"},
    "data_rows": {"sv": "Rader använda", "en": "Rows used"},
    "data_rejected": {"sv": "Rader avvisade", "en": "Rows rejected"},
    "data_sha": {"sv": "SHA-256 (början)", "en": "SHA-256 (start)"},
    "data_response": {
        "sv": "Svarsfrekvens: {rate} ({done} av {asked} tillfrågade aktörer svarade).",
        "en": "Response rate: {rate} ({done} of {asked} actors asked answered).",
    },
    "data_response_unknown": {
        "sv": "Ingen respondents.csv: vilka som tillfrågades är okänt, så bortfallet kan inte bedömas.",
        "en": "No respondents.csv: who was asked is unknown, so non-response cannot be assessed.",
    },
    "data_warnings": {"sv": "Varningar vid inläsning", "en": "Warnings while reading"},
    "data_rejects_note": {
        "sv": "Avvisade rader finns med skäl i rejects/-mappen.",
        "en": "Rejected rows are listed with their reasons in the rejects/ folder.",
    },
    "data_notes": {"sv": "Anmärkningar", "en": "Notes"},
    "data_synthetic": {
        "sv": "Syntetiska data: studien är markerad som syntetisk (synthetic = true i study.toml). "
        "Resultaten visar hur analysen fungerar, inte hur det ser ut i verkligheten.",
        "en": "Synthetic data: the study is marked as synthetic (synthetic = true in study.toml). "
        "The results show how the analysis works, not how things are.",
    },
    "data_synthetic_example": {
        "sv": "I det inbyggda exemplet är aktörerna och de formella relationerna (affiliations.csv) "
        "hämtade ur offentliga rapporter (se data/example/SOURCES.md), medan intervjurelationer "
        "(ties.csv), svarsstatus (respondents.csv), placeringar (placements.csv) och "
        "indikatorvärden (indicators.csv) är genererade.",
        "en": "In the embedded example the actors and formal relations (affiliations.csv) come from "
        "public reports (see data/example/SOURCES.md), while interview ties (ties.csv), response "
        "status (respondents.csv), placements (placements.csv) and indicator values "
        "(indicators.csv) are generated.",
    },
    "data_waves": {
        "sv": "Våg {wave}: {done} av {asked} tillfrågade svarade ({rate}).",
        "en": "Wave {wave}: {done} of {asked} asked answered ({rate}).",
    },
    "data_suppressed": {
        "sv": "Skydd av små tal: {primary} celler med 1–{max} personer visas som {label}, och "
        "{secondary} celler till döljs (..) så att summor inte avslöjar dem.",
        "en": "Small-cell protection: {primary} cells with 1–{max} people are shown as {label}, "
        "and {secondary} further cells are hidden (..) so that totals cannot reveal them.",
    },
}


def render(results, t) -> str:
    study = results.study
    rows = []
    for name, df in study.tables().items():
        fname = f"{name}.csv"
        sha = study.sources.get(fname) or study.sources.get("study.xlsx") or ""
        rows.append(
            {
                "file": fname,
                "rows": len(df),
                "rejected": len(study.rejects.get(name, [])),
                "sha": sha[:12],
            }
        )
    cols = {"file": t("data_file"), "rows": t("data_rows"), "rejected": t("data_rejected"), "sha": t("data_sha")}
    body = [table(pd.DataFrame(rows), t, columns=cols, sortable=False)]
    if study.settings.synthetic:
        text = t("data_synthetic")
        if is_embedded_example(study):
            text += " " + t("data_synthetic_example")
        body.append(f'<p class="synthetic">{esc(text)}</p>')
    status = study.respondent_status()
    if study.response_known:
        asked = int((status != "not_asked").sum())
        done = int((status == "completed").sum())
        rate = t.pct(done / asked) if asked else "–"
        body.append(f"<p>{esc(t('data_response', rate=rate, done=t.num(done), asked=t.num(asked)))}</p>")
        waves = sorted(study.respondents["wave"].unique())
        if len(waves) > 1:
            items = []
            for w in waves:
                st = study.respondent_status(int(w))
                n_asked, n_done = int((st != "not_asked").sum()), int((st == "completed").sum())
                items.append(t("data_waves", wave=int(w), done=t.num(n_done), asked=t.num(n_asked),
                               rate=t.pct(n_done / n_asked) if n_asked else "–"))
            body.append("<ul>" + "".join(f"<li>{esc(i)}</li>" for i in items) + "</ul>")
    elif study.ties is not None:
        body.append(f'<p class="note">{esc(t("data_response_unknown"))}</p>')
    if study.rejects:
        body.append(f'<p class="warn">{esc(t("data_rejects_note"))}</p>')
    results.published_tables()
    suppressed = results.run_info.get("suppressed_cells", {})
    if suppressed:
        m = study.settings.min_cell
        primary = sum(c["primary"] for c in suppressed.values())
        secondary = sum(c["secondary"] for c in suppressed.values())
        text = t("data_suppressed", primary=t.num(primary), secondary=t.num(secondary),
                 max=m - 1, label=f"<{m}")
        body.append(f'<p class="note">{esc(text)}</p>')
    warnings = [p for p in study.problems if p.severity == "warning"]
    if warnings:
        items = "".join(f"<li>{esc(str(p))}</li>" for p in warnings[:200])
        body.append(f"<h3>{esc(t('data_warnings'))} ({t.num(len(warnings))})</h3><ul class='scroll'>{items}</ul>")
    if results.notes:
        items = "".join(f"<li>{esc(t.note(n))}</li>" for n in results.notes)
        body.append(f"<h3>{esc(t('data_notes'))}</h3><ul>{items}</ul>")
    return section(KEY, t("data_title"), body)
