"""Small helpers shared by the worked analyses (kept out of the netsoc package)."""

from __future__ import annotations

import pandas as pd


def md_table(df: pd.DataFrame, index: bool = True, floats: str = "{:.2f}") -> str:
    """A GitHub Markdown table (no optional dependency)."""
    d = df.reset_index() if index else df
    def cell(v) -> str:
        if isinstance(v, float):
            return "" if pd.isna(v) else floats.format(v)
        return str(v).replace("|", "\\|")
    head = "| " + " | ".join(map(str, d.columns)) + " |"
    rule = "|" + "---|" * len(d.columns)
    rows = ["| " + " | ".join(cell(v) for v in row) + " |" for row in d.itertuples(index=False)]
    return "\n".join([head, rule, *rows])
