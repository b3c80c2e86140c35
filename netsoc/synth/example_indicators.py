"""The kommun indicators of the embedded example: population (rounded approximation of the
real size) and synthetic need, unemployment and ohälsotal values, 2012–2015.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from netsoc.schema import FILES_BY_STEM
from netsoc.synth.example_data import (
    INDICATOR_YEARS,
    KOMMUNER,
    NEED_INDICATOR,
    POPULATION_INDICATOR,
)

# ---------------------------------------------------------------------------
# Synthetic layer 4: kommun indicators
# ---------------------------------------------------------------------------
INDICATORS = {
    # id: (label, KOMMUNER column, yearly trend, noise sd, decimals)
    POPULATION_INDICATOR: ("Invånare totalt, antal", 1, 0.0, 0.0, 0),
    NEED_INDICATOR: ("Behovsandel: långvarigt arbetslösa eller med ekonomiskt bistånd, "
                     "% av invånarna (syntetisk)", 3, -0.10, 0.15, 1),
    "arbetsloshet_16_64": ("Arbetslöshet 16-64 år, % (syntetisk)", 4, -0.20, 0.20, 1),
    "ohalsotal": ("Ohälsotal, dagar (syntetisk)", 5, -0.80, 0.60, 1),
}


def _indicators(rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    for kod, spec in KOMMUNER.items():
        for year in INDICATOR_YEARS:
            for ind, (_, col, trend, sd, dec) in INDICATORS.items():
                if ind == POPULATION_INDICATOR:
                    pop = spec[1] * (1 + spec[2]) ** (year - 2014)
                    value, source = float(round(pop, -2)), (
                        "synthetic: SCB population rounded to hundreds, approximate")
                else:
                    noisy = spec[col] + trend * (year - 2014) + rng.normal(0, sd)
                    value, source = round(max(noisy, 0.1), dec), "synthetic"
                rows.append({"kommun_kod": kod, "year": year, "indicator": ind,
                             "value": value, "source": source})
    df = pd.DataFrame(rows, columns=FILES_BY_STEM["indicators"].names)
    df["kommun_kod"] = df["kommun_kod"].astype("string")
    return df.sort_values(["kommun_kod", "year", "indicator"], kind="stable").reset_index(
        drop=True)
