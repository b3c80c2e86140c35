"""The fits' shared core: :class:`ModelFit`, the results-table columns, design matrices.

Used by the regression family (:mod:`netsoc.models.glm`) and by MRQAP
(:mod:`netsoc.models.mrqap`). A formula is read with patsy on the complete
rows of a frame (on big frames with text columns as Categoricals, which patsy
reads much faster); missing values are counted per variable; a design that
cannot be fitted (no variation in the outcome, a constant or collinear
predictor, too few rows, a formula error) raises :class:`_Unfittable` with a
plain-language note, which :func:`netsoc.models.fit_model` turns into
``status="failed"``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import patsy

from netsoc.i18n import Note
from netsoc.models.patterns import distinct_rows
from netsoc.schema import ModelSpec

__all__ = ["FIT_COLUMNS", "ModelFit", "TABLE_COLUMNS"]

#: Columns of ``tables/models.csv`` (DESIGN §3).
TABLE_COLUMNS = [
    "model",
    "term",
    "estimate",
    "std_error",
    "statistic",
    "p_value",
    "ci_low",
    "ci_high",
    "n_obs",
]

#: Columns of the fit-statistics table (``tables/model_fit.csv``).
FIT_COLUMNS = [
    "model",
    "level",
    "method",
    "family",
    "formula",
    "cluster",
    "status",
    "n_rows",
    "n_obs",
    "n_missing",
    "n_clusters",
    "n_clusters_pooled",
    "llf",
    "aic",
    "bic",
    "deviance",
    "pseudo_r2",
    "r_squared",
    "permutations",
    "message",
]


@dataclass
class ModelFit:
    """One fitted (or failed) model.

    Attributes
    ----------
    spec : ModelSpec
    method : str
        ``glm``, ``gee``, ``mixed`` or ``mrqap``.
    status : str
        ``ok`` or ``failed``.
    message : str
        Why the model failed (plain language), empty when ``ok``.
    table : DataFrame
        ``TABLE_COLUMNS`` without ``model``.
    stats : dict
        Fit statistics (``FIT_COLUMNS``).
    warnings : list of str
        Plain-language warnings (missing rows, separation, few clusters, …).
    missing : dict
        variable -> number of rows with a missing value among the model's rows.
    result : object
        The statsmodels results object or :class:`netsoc.models.mrqap.MRQAPResult`.
    """

    spec: ModelSpec
    method: str
    status: str = "ok"
    message: str = ""
    table: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=TABLE_COLUMNS[1:]))
    stats: dict = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    missing: dict = field(default_factory=dict)
    result: object = field(default=None, repr=False)
    #: network-level models: ``gof`` and ``diagnostics`` tables, ``parts`` (name -> result)
    extra: dict = field(default_factory=dict, repr=False)

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    @property
    def n_obs(self) -> int:
        return int(self.stats.get("n_obs", 0) or 0)

    def summary(self) -> str:
        s = self.spec
        lines = [f"Model {s.name} ({s.level}, {self.method}, {s.family}): {s.formula}"]
        if not self.ok:
            lines.append(f"  NOT FITTED: {self.message}")
        else:
            st = self.stats
            lines.append(
                f"  n = {st.get('n_obs')}, missing = {st.get('n_missing')}, "
                f"clusters = {st.get('n_clusters')}"
            )
            lines.append(self.table.to_string(index=False, float_format=lambda v: f"{v:.4g}"))
        lines += [f"  ! {w}" for w in self.warnings]
        return "\n".join(lines)


class _Unfittable(Exception):
    """A model that cannot be fitted; the message is shown to the user."""


# --------------------------------------------------------------------------------------
# Formula -> design matrix (patsy)
# --------------------------------------------------------------------------------------


def _env(categorical_c: bool = False):
    # only numpy is visible to formulas, never this module's variables
    names = {"np": np, "log": np.log, "exp": np.exp, "sqrt": np.sqrt}
    if categorical_c:
        names["C"] = _unboxed_c
    return patsy.EvalEnvironment([names])


def _unboxed_c(data, contrast=None, levels=None):
    """patsy's ``C()``, except that a plain ``C(x)`` of a pandas Categorical returns ``x``.

    For a bare Categorical patsy reads the integer codes; wrapped in ``C()``
    it looks up every cell in Python. Without a contrast or levels the two
    mean the same thing (patsy's default treatment coding of the categories).
    """
    if contrast is None and levels is None and isinstance(
        getattr(data, "dtype", None), pd.CategoricalDtype
    ):
        return data
    return patsy.C(data, contrast, levels)


_NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")


def _formula_columns(formula: str, frame: pd.DataFrame) -> list[str]:
    seen = []
    for tok in _NAME_RE.findall(formula):
        if tok in frame.columns and tok not in seen:
            seen.append(tok)
    return seen


def _patsy_ready(df: pd.DataFrame) -> pd.DataFrame:
    """Nullable pandas dtypes as float / object with None, which patsy understands."""
    return _patsy_ready_na(df)[0]


def _patsy_ready_na(df: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """:func:`_patsy_ready` and the NA mask of every column (one NA test per column)."""
    out = {}
    na = {}
    for c in df.columns:
        s = df[c]
        if pd.api.types.is_bool_dtype(s) or pd.api.types.is_numeric_dtype(s):
            out[c] = pd.to_numeric(s, errors="coerce").astype(float)
            na[c] = np.isnan(out[c].to_numpy())
        else:
            na[c] = s.isna().to_numpy()
            out[c] = s.astype(object)
            if na[c].any():
                out[c] = out[c].where(~na[c], None)
    return pd.DataFrame(out, index=df.index), na


def _as_sorted_categorical(s: pd.Series) -> pd.Series | None:
    """A text column as a pandas Categorical with the levels patsy would find, else None.

    patsy sorts the distinct values of a text column into its levels; a
    Categorical with exactly those categories (present values only, in that
    order) gives the same design matrix, but patsy then reads the integer
    codes instead of testing every cell for NA and looking it up in Python.
    """
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    if (codes < 0).any() or not all(isinstance(u, str) for u in uniques):
        return None
    levels = sorted(uniques)  # patsy's order for text levels (plain < on str)
    pos = {u: i for i, u in enumerate(levels)}
    rank = np.array([pos[u] for u in uniques], dtype=codes.dtype)
    cat = pd.Categorical.from_codes(rank[codes], categories=pd.Index(levels, dtype=object))
    return pd.Series(cat, index=s.index, name=s.name)


#: Below this many rows patsy's own evaluation is fast enough (and the common path).
_FAST_DESIGN_ROWS = 5000


def _dmatrices(formula: str, data: pd.DataFrame):
    """``patsy.dmatrices(formula, data, return_type="dataframe", NA_action="raise")``.

    ``data`` holds complete rows (as :func:`_patsy_ready` and ``dropna`` give).
    On big frames, text columns are handed to patsy as Categoricals with
    patsy's own sorted levels: patsy then reads integer codes instead of
    testing every cell for NA and looking it up in Python, and builds the same
    matrices several times faster on a million rows. If patsy rejects that
    (e.g. ``C(x, levels=[...])`` in another order, or a transform giving NaN),
    the formula is evaluated on the data as given, so results and error
    messages are patsy's.
    """
    kw = {"return_type": "dataframe", "NA_action": "raise"}
    if len(data) >= _FAST_DESIGN_ROWS:
        conv = {}
        for c in _formula_columns(formula, data):
            if data[c].dtype == object:
                cat = _as_sorted_categorical(data[c])
                if cat is not None:
                    conv[c] = cat
        if conv:
            fast = pd.DataFrame({c: conv.get(c, data[c]) for c in data.columns}, index=data.index)
            try:
                return patsy.dmatrices(formula, fast, eval_env=_env(categorical_c=True), **kw)
            except Exception:  # noqa: BLE001 - patsy on the plain data gives the real error
                pass
    return patsy.dmatrices(formula, data, eval_env=_env(), **kw)


# --------------------------------------------------------------------------------------
# Missing values and design checks
# --------------------------------------------------------------------------------------


def _plain(value: object) -> object:
    """A numpy scalar as a Python number (so that notes format it per language)."""
    return value.item() if hasattr(value, "item") else value


def _missing_report(frame: pd.DataFrame, cols: list[str]) -> dict[str, int]:
    return {c: int(frame[c].isna().sum()) for c in cols if frame[c].isna().any()}


def _missing_warning(n_rows: int, n_used: int, missing: dict, unit: str = "rows") -> str | None:
    dropped = n_rows - n_used
    if dropped <= 0:
        return None
    parts = [f"{c}: {k}" for c, k in missing.items()]
    pct = 100.0 * dropped / n_rows if n_rows else 0.0
    return Note("models.missing_rows", dropped=dropped, n_rows=n_rows, unit=unit, pct=pct,
                parts=Note("models.missing_per_variable", parts=parts) if parts else "")


def _design(spec: ModelSpec, frame: pd.DataFrame, extra: list[str]):
    """Outcome and design matrix for the complete rows, and the missing-value count."""
    cluster_col = extra[0] if extra else None
    cols = _formula_columns(spec.formula, frame)
    if "~" not in spec.formula:
        raise _Unfittable(Note("models.no_tilde", formula=spec.formula))
    lhs = spec.formula.split("~", 1)[0].strip()
    if lhs not in frame.columns and not _formula_columns(lhs, frame):
        raise _Unfittable(Note("models.outcome_not_column", outcome=lhs, level=spec.level))
    use = list(dict.fromkeys(cols + [c for c in extra if c]))
    # one NA test per column, shared by the missing-value report and the row filter
    sub, na = _patsy_ready_na(frame[use])
    missing = {c: int(na[c].sum()) for c in use if na[c].any()}
    keep = ~np.logical_or.reduce([na[c] for c in use])
    complete = sub if keep.all() else sub[keep]
    if len(complete) == 0:
        raise _Unfittable(Note("models.no_complete_row", missing=[
            Note("models.missing_in", column=c, n=k) for c, k in missing.items()]))
    rhs_cols = _formula_columns(spec.formula.split("~", 1)[1], frame)
    flat = [c for c in rhs_cols if c != cluster_col and _all_equal(complete[c].to_numpy())]
    if flat:
        raise _Unfittable(Note("models.constant_predictors", terms=[
            Note("models.always", column=c, value=_plain(complete[c].iloc[0])) for c in flat]))
    try:
        y, X = _dmatrices(spec.formula, complete)
    except Exception as e:  # noqa: BLE001 - patsy raises many types; show the text
        raise _Unfittable(Note("models.formula_unreadable", error=str(e))) from e
    if y.shape[1] != 1:
        raise _Unfittable(Note("models.outcome_not_single", outcome=lhs))
    return y.iloc[:, 0], X, complete, missing


def _is_constant(s: pd.Series) -> bool:
    """``s.dropna().nunique() <= 1``, by comparing with the first value instead of hashing all."""
    return _all_equal(s.dropna().to_numpy())


def _all_equal(v: np.ndarray) -> bool:
    """All values equal (true when empty); ``v`` has no missing values."""
    return len(v) == 0 or not bool(np.any(v != v[0]))


def _check_design(y: pd.Series, X: pd.DataFrame, spec: ModelSpec) -> None:
    yname = y.name
    if _is_constant(y):
        val = float(y.iloc[0]) if len(y) else float("nan")
        raise _Unfittable(Note("models.outcome_no_variation", outcome=yname, n=len(y), value=val))
    if spec.family == "binomial" and not np.all((y.to_numpy() == 0.0) | (y.to_numpy() == 1.0)):
        raise _Unfittable(Note("models.binomial_not_01", outcome=yname))
    if spec.family in ("poisson", "negativebinomial") and (y < 0).any():
        raise _Unfittable(Note("models.count_negative", outcome=yname))
    const = [c for c in X.columns if c != "Intercept" and _is_constant(X[c])]
    if const:
        raise _Unfittable(Note("models.constant_predictors",
                               terms=[Note("models.term", term=c) for c in const]))
    if len(y) <= X.shape[1]:
        raise _Unfittable(Note("models.too_few_rows", n=len(y), k=X.shape[1]))
    # the rank of the distinct rows: a million placements have a few thousand
    rank = np.linalg.matrix_rank(distinct_rows(X.to_numpy()))
    if rank < X.shape[1]:
        raise _Unfittable(Note("models.collinear", rank=int(rank), k=X.shape[1]))
