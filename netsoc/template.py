"""An empty study with an Excel interview-coding workbook.

``netsoc template DIR`` writes ``DIR/study.toml`` and ``DIR/study.xlsx``. The
workbook has one sheet per study file (``actors``, ``ties``, ``respondents``;
sheet name = file stem, header row = the columns of :mod:`netsoc.schema`), so
``netsoc validate DIR`` and ``netsoc run DIR`` read it as it is, plus a
``README`` sheet with instructions and the Himmelman strength levels (which
the reader ignores). Dropdowns (Excel data validation) keep types, relations,
strengths and statuses within the vocabulary, and respondent/alter cells offer
the ids typed on the ``actors`` sheet.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from netsoc.schema import (
    ACTOR_TYPES,
    ACTORS,
    RESPONDENT_STATUSES,
    RESPONDENTS,
    STRENGTH_LEVELS,
    TIE_RELATIONS,
    TIES,
    FileSpec,
)

#: Rows prepared with dropdowns on each sheet (Excel validations cover a range).
ROWS = 2000

STRENGTH_SV = {
    1: "nätverkande / informationsutbyte",
    2: "koordinering",
    3: "samarbete (cooperation)",
    4: "samverkan (collaboration)",
}

STUDY_TOML = """\
# netsoc study settings (every entry is optional; defaults shown).
# Fill in study.xlsx (sheets actors, ties, respondents), then:
#   netsoc validate {folder}
#   netsoc run {folder} --out out

[study]
name = "{name}"
language = "sv"            # sv | en  (report language)
seed = 2014

[network]
symmetrize = "union"       # union | mutual | max | min | reconstruct
groups = "type"            # actor column used for brokerage / E-I / mixing

[privacy]
min_cell = 5               # counts 1..min_cell-1 are suppressed in outputs
pseudonymize_people = true

[geography]
need_indicator = "N03937"  # Kolada unemployment 16-64 (netsoc fetch-indicators)
population_indicator = "N01951"
catchment_km = 40
"""

README_ROWS_SV_EN = [
    ("netsoc – kodningsmall för intervjuer / interview-coding workbook", ""),
    ("", ""),
    (
        "Så här används mallen",
        "How to use this workbook",
    ),
    (
        "1. Bladet 'actors': en rad per organisation. actor_id är en kort unik kod "
        "(t.ex. huddinge_kn, af_sodertorn) som används i alla andra blad. Välj typ i listan.",
        "1. Sheet 'actors': one row per organisation. actor_id is a short unique code "
        "(e.g. huddinge_kn, af_sodertorn) used on every other sheet. Pick the type from the list.",
    ),
    (
        "   kommun_kod är SCB:s fyrsiffriga kod som text (0127 Botkyrka); aliases är andra "
        "namn åtskilda med ';' (t.ex. AF;Arbetsförmedlingen).",
        "   kommun_kod is SCB's 4-digit code as text (0127 Botkyrka); aliases are other "
        "names separated by ';' (e.g. AF;Arbetsförmedlingen).",
    ),
    (
        "2. Bladet 'ties': en rad per relation som en respondent nämner (ego → alter). "
        "respondent_id och alter_id väljs bland actor_id. Välj relation och styrka 1–4.",
        "2. Sheet 'ties': one row per relation a respondent names (ego → alter). "
        "respondent_id and alter_id are chosen among the actor_ids. Pick relation and strength 1–4.",
    ),
    (
        "   wave = mätomgång (1, 2, …) för före/efter-jämförelser; interview_id, date och "
        "note är valfria (note publiceras inte).",
        "   wave = survey wave (1, 2, …) for before/after comparisons; interview_id, date and "
        "note are optional (notes are not published).",
    ),
    (
        "3. Bladet 'respondents': vem som tillfrågades i varje våg och om de svarade "
        "(completed / declined / not_reached). Behövs för att hantera bortfall.",
        "3. Sheet 'respondents': who was asked in each wave and whether they answered "
        "(completed / declined / not_reached). Needed to handle non-response.",
    ),
    (
        "4. Spara som .xlsx och kör: netsoc validate MAPP  och  netsoc run MAPP --out UT",
        "4. Save as .xlsx and run: netsoc validate FOLDER  and  netsoc run FOLDER --out OUT",
    ),
    ("", ""),
    ("Styrka (Himmelmans nivåer, som i PARTNER)", "Strength (Himmelman levels, as in PARTNER)"),
]


def _strength_rows() -> list[tuple[str, str]]:
    return [(f"{k} = {STRENGTH_SV[k]}", f"{k} = {v}") for k, v in STRENGTH_LEVELS.items()]


def _list_formula(values) -> str:
    text = ",".join(str(v) for v in values)
    if len(text) > 255:  # Excel's limit for an inline list
        raise ValueError("dropdown list longer than 255 characters")
    return f'"{text}"'


def _add_sheet(wb, spec: FileSpec, widths: dict[str, int] | None = None):
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(spec.stem)
    ws.append(spec.names)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDE6EE")
    for i, c in enumerate(spec.columns, start=1):
        cell = ws.cell(row=1, column=i)
        cell.font = bold
        cell.fill = fill
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = (widths or {}).get(c.name, max(12, len(c.name) + 4))
        if c.kind in ("kommun", "org_nr", "actor", "text", "date") and not c.choices:
            # a text column keeps leading zeros (0127) when Excel users type codes
            ws.column_dimensions[letter].number_format = "@"
    ws.freeze_panes = "A2"
    return ws


def _column(spec: FileSpec, name: str) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(spec.names.index(name) + 1)


def _validate(ws, sqref: str, formula: str, title: str, prompt: str, error: str,
              kind: str = "list") -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    dv = DataValidation(type=kind, formula1=formula, allow_blank=True)
    dv.promptTitle = title[:32]
    dv.prompt = prompt[:255]
    dv.errorTitle = title[:32]
    dv.error = error[:255]
    dv.showInputMessage = True
    dv.showErrorMessage = True
    ws.add_data_validation(dv)
    dv.add(sqref)


def build_workbook():
    """The coding workbook as an ``openpyxl.Workbook`` (not yet saved)."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font

    wb = Workbook()
    readme = wb.active
    readme.title = "README"
    for sv, en in README_ROWS_SV_EN + _strength_rows():
        readme.append([sv, en])
    readme.append(["", ""])
    readme.append(["Aktörstyper", "Actor types"])
    readme.append([", ".join(ACTOR_TYPES), ", ".join(ACTOR_TYPES)])
    readme.append(["Relationer", "Relations"])
    readme.append([", ".join(TIE_RELATIONS), ", ".join(TIE_RELATIONS)])
    readme["A1"].font = Font(bold=True, size=14)
    readme.column_dimensions["A"].width = 90
    readme.column_dimensions["B"].width = 90

    last = ROWS + 1
    actors = _add_sheet(wb, ACTORS, {"name": 36, "aliases": 30, "type": 22})
    col = _column(ACTORS, "type")
    _validate(actors, f"{col}2:{col}{last}", _list_formula(ACTOR_TYPES), "type",
              "Aktörstyp / actor type", "Välj en typ ur listan / pick a type from the list")
    ids = f"actors!$A$2:$A${last}"

    ties = _add_sheet(wb, TIES, {"respondent_id": 20, "alter_id": 20, "relation": 18, "note": 40})
    for name in ("respondent_id", "alter_id"):
        c = _column(TIES, name)
        _validate(ties, f"{c}2:{c}{last}", ids, name,
                  "actor_id från bladet actors / an actor_id from the actors sheet",
                  "Okänt actor_id: lägg först till aktören i bladet actors / "
                  "unknown actor_id: add the actor on the actors sheet first")
    c = _column(TIES, "relation")
    _validate(ties, f"{c}2:{c}{last}", _list_formula(TIE_RELATIONS), "relation",
              "Typ av relation / kind of relation", "Välj ur listan / pick from the list")
    c = _column(TIES, "strength")
    levels = "; ".join(f"{k} {v}" for k, v in STRENGTH_LEVELS.items())
    _validate(ties, f"{c}2:{c}{last}", _list_formula(STRENGTH_LEVELS), "strength 1-4",
              f"Himmelman: {levels}", "Styrka 1–4 / strength 1–4")
    ties[f"{c}1"].comment = Comment(
        "Himmelman levels (PARTNER):\n"
        + "\n".join(f"{k} {v} / {STRENGTH_SV[k]}" for k, v in STRENGTH_LEVELS.items()),
        "netsoc",
    )
    c = _column(TIES, "wave")
    _validate(ties, f"{c}2:{c}{last}", "1", "wave", "Mätomgång 1, 2, … / survey wave 1, 2, …",
              "Ett heltal ≥ 1 / a whole number ≥ 1", kind="whole")
    ties.data_validations.dataValidation[-1].operator = "greaterThanOrEqual"

    resp = _add_sheet(wb, RESPONDENTS)
    c = _column(RESPONDENTS, "actor_id")
    _validate(resp, f"{c}2:{c}{last}", ids, "actor_id",
              "actor_id från bladet actors / an actor_id from the actors sheet",
              "Okänt actor_id / unknown actor_id")
    c = _column(RESPONDENTS, "status")
    _validate(resp, f"{c}2:{c}{last}", _list_formula(RESPONDENT_STATUSES), "status",
              "completed / declined / not_reached", "Välj ur listan / pick from the list")
    c = _column(RESPONDENTS, "wave")
    _validate(resp, f"{c}2:{c}{last}", "1", "wave", "Mätomgång / survey wave",
              "Ett heltal ≥ 1 / a whole number ≥ 1", kind="whole")
    resp.data_validations.dataValidation[-1].operator = "greaterThanOrEqual"
    wb.active = 1  # open on the actors sheet
    return wb


def write_template(dir: str | Path, *, name: str | None = None, overwrite: bool = False) -> Path:
    """Write an empty study folder: ``study.toml`` and the coding workbook ``study.xlsx``.

    Parameters
    ----------
    dir : path
        Folder to create (may exist, but must not hold a study unless ``overwrite``).
    name : str, optional
        Study name written to ``study.toml``.

    Returns
    -------
    Path
        The folder.

    Examples
    --------
    >>> write_template("my_study")  # doctest: +SKIP
    >>> # fill my_study/study.xlsx in Excel, then: netsoc run my_study --out out
    """
    import os
    import tempfile

    folder = Path(dir)
    targets = [folder / "study.toml", folder / "study.xlsx"]
    existing = [p for p in targets if p.exists()]
    if existing and not overwrite:
        raise FileExistsError(f"{existing[0]} exists; choose an empty folder")
    folder.mkdir(parents=True, exist_ok=True)
    study_name = name or folder.resolve().name
    toml = STUDY_TOML.format(name=study_name.replace('"', "'"), folder=folder)
    wb = build_workbook()
    # write both through temporary files so a failure leaves no half-written study
    fd_x, name_x = tempfile.mkstemp(prefix=".study.", suffix=".xlsx", dir=folder)
    fd_t, name_t = tempfile.mkstemp(prefix=".study.", suffix=".toml", dir=folder)
    os.close(fd_x)
    os.close(fd_t)
    tmp_x, tmp_t = Path(name_x), Path(name_t)
    try:
        wb.save(tmp_x)
        tmp_t.write_text(toml, encoding="utf-8")
        os.replace(tmp_x, targets[1])
        os.replace(tmp_t, targets[0])
    finally:
        tmp_x.unlink(missing_ok=True)
        tmp_t.unlink(missing_ok=True)
    return folder


def add_commands(subparsers) -> None:
    """Add ``template`` to an argparse subparsers object."""
    p = subparsers.add_parser(
        "template",
        help="write an empty study with an Excel interview-coding workbook",
        description="Write DIR/study.toml and DIR/study.xlsx (sheets actors, ties, "
        "respondents with dropdowns, and a README sheet).",
    )
    p.add_argument("dir", help="folder to create")
    p.add_argument("--name", help="study name for study.toml")
    p.add_argument("--force", action="store_true", help="overwrite an existing template")
    p.set_defaults(func=cmd_template)


def cmd_template(args: argparse.Namespace) -> int:
    try:
        folder = write_template(args.dir, name=args.name, overwrite=args.force)
    except (FileExistsError, OSError) as err:
        print(f"netsoc template: error: {err}", file=sys.stderr)
        return 1
    print(f"Template written to {folder}: fill in {folder / 'study.xlsx'}, then run "
          f"'netsoc validate {folder}'")
    return 0
