"""Writing a study back as CSV files or one workbook."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from netsoc.study import Study

# --------------------------------------------------------------------------- writing


def _text_frame(df: pd.DataFrame) -> pd.DataFrame:
    out = df.drop(columns="_line", errors="ignore").copy()
    for c in out.columns:
        if pd.api.types.is_float_dtype(out[c]):
            out[c] = out[c].map(lambda v: "" if pd.isna(v) else (str(int(v)) if float(v).is_integer() else repr(float(v))))
        else:
            out[c] = out[c].astype(object).where(out[c].notna(), "").astype(str)
    return out


def write_study_csv(study: Study, folder: str | Path) -> Path:
    """Write a study as a folder of CSV files (the format :func:`load_study` reads)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name, df in study.tables().items():
        _text_frame(df).to_csv(folder / f"{name}.csv", index=False, lineterminator="\n")
    if study.path is not None and (study.path / "study.toml").exists():
        (folder / "study.toml").write_bytes((study.path / "study.toml").read_bytes())
    return folder


def write_study_xlsx(study: Study, path: str | Path) -> Path:
    """Write a study as one workbook, one sheet per file, every cell as text.

    Text cells keep codes like ``0127`` intact when the workbook is opened in Excel.
    """
    from openpyxl import Workbook

    path = Path(path)
    wb = Workbook()
    wb.remove(wb.active)
    for name, df in study.tables().items():
        ws = wb.create_sheet(name)
        text = _text_frame(df)
        ws.append(list(text.columns))
        for row in text.itertuples(index=False):
            ws.append([v if v != "" else None for v in row])
        for cells in ws.iter_rows(min_row=2):
            for cell in cells:
                cell.data_type = "s" if cell.value is not None else cell.data_type
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path
