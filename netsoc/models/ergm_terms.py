"""ERGM terms: R formula parsing, network statistics and change statistics.

Each term follows R statnet ``ergm``'s definition and coefficient label. A
term bound to a network knows three things: the full statistic of a network
(:meth:`BoundTerm.stat`), the change statistic of adding every dyad given the
rest of the network (:meth:`BoundTerm.change_all`, the MPLE design), and the
change statistic of one toggle per MCMC chain from the sampler's maintained
state (:meth:`BoundTerm.change_step`). The last is what keeps the sampler from
recounting statistics: it reads at most a few rows of the adjacency and of
the two-path matrix.

References
----------
Hunter, D. R. & Handcock, M. S. (2006). Inference in curved exponential
family models for networks. *Journal of Computational and Graphical
Statistics*, 15(3), 565-583.

Snijders, T. A. B., Pattison, P. E., Robins, G. L. & Handcock, M. S. (2006).
New specifications for exponential random graph models. *Sociological
Methodology*, 36, 99-153.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy.special import comb

__all__ = ["KNOWN_TERMS", "BoundTerm", "StepContext", "Term", "bind_term", "nonzero2d",
           "parse_formula"]

# name -> (positional parameter order, defaults of the optional ones)
_SPECS: dict[str, tuple[tuple[str, ...], dict[str, Any]]] = {
    "edges": ((), {}),
    "nodematch": (("attr", "diff"), {"diff": False}),
    "nodefactor": (("attr",), {}),
    "nodecov": (("attr",), {}),
    "absdiff": (("attr", "pow"), {"pow": 1.0}),
    "edgecov": (("attr",), {}),
    "gwesp": (("decay", "fixed"), {"fixed": None}),
    "gwdegree": (("decay", "fixed"), {"fixed": None}),
    "triangle": ((), {}),
    "kstar": (("k",), {}),
    "isolates": ((), {}),
    "mutual": ((), {}),
}
KNOWN_TERMS: tuple[str, ...] = tuple(_SPECS)
# R's own argument names, accepted as keywords
_ALIASES = {"x": "attr", "alpha": "decay"}
_DIRECTED_ONLY = {"mutual"}
_UNDIRECTED_ONLY = {"kstar", "gwdegree"}  # R refuses these on directed networks


@dataclass(frozen=True)
class Term:
    """One parsed term of an ERGM formula.

    Attributes
    ----------
    name : str
        R term name, e.g. ``"nodematch"``.
    attr : str or None
        Node attribute (or, for ``edgecov``, dyad covariate) name.
    diff : bool
        ``nodematch(attr, diff=TRUE)``: one statistic per level.
    decay : float or None
        Decay of ``gwesp``/``gwdegree``.
    k : int or None
        Star size of ``kstar``.
    pow : float
        Power of ``absdiff``.
    fixed_given : bool
        False when a GW term was written without ``fixed=TRUE`` (it is then
        fitted with the decay fixed, and the fit says so in a note).
    text : str
        The term as written.
    """

    name: str
    attr: str | None = None
    diff: bool = False
    decay: float | None = None
    k: int | None = None
    pow: float = 1.0
    fixed_given: bool = True
    text: str = ""


def _split_top(text: str, sep: str) -> list[str]:
    """Split on ``sep`` outside parentheses and quotes."""
    parts: list[str] = []
    cur: list[str] = []
    depth = 0
    quote: str | None = None
    for ch in text:
        if quote is not None:
            cur.append(ch)
            if ch == quote:
                quote = None
            continue
        if ch in "\"'":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth < 0:
                raise ValueError(f"unbalanced ')' in ERGM formula {text!r}")
        if ch == sep and depth == 0:
            parts.append("".join(cur))
            cur = []
            continue
        cur.append(ch)
    if quote is not None or depth != 0:
        raise ValueError(f"unbalanced quotes or parentheses in ERGM formula {text!r}")
    parts.append("".join(cur))
    return parts


def _value(tok: str, term: str) -> Any:
    tok = tok.strip()
    if not tok:
        raise ValueError(f"empty argument in term '{term}'")
    if tok[0] in "\"'":
        if len(tok) >= 2 and tok[-1] == tok[0]:
            return tok[1:-1]
        raise ValueError(f"unterminated string {tok!r} in term '{term}'")
    if tok in ("TRUE", "T"):
        return True
    if tok in ("FALSE", "F"):
        return False
    try:
        return float(tok)
    except ValueError:
        pass
    if re.fullmatch(r"[A-Za-z_.][\w.]*", tok):
        return tok  # a bare attribute name, as R's nodematch(type) style allows
    raise ValueError(f"cannot read argument {tok!r} of term '{term}' (vectors such as c(...) "
                     "are not supported)")


def _unknown(name: str) -> ValueError:
    close = difflib.get_close_matches(name, KNOWN_TERMS, n=1)
    hint = f" Did you mean '{close[0]}'?" if close else ""
    return ValueError(f"unknown ERGM term '{name}'.{hint} Known terms: {', '.join(KNOWN_TERMS)}")


def _parse_term(piece: str) -> Term:
    m = re.fullmatch(r"\s*([A-Za-z_.][\w.]*)\s*(?:\((.*)\))?\s*", piece, flags=re.S)
    if m is None:
        raise ValueError(f"cannot read ERGM term {piece.strip()!r}")
    name, argtext = m.group(1), m.group(2)
    if name not in _SPECS:
        raise _unknown(name)
    order, defaults = _SPECS[name]
    given: dict[str, Any] = {}
    if argtext is not None and argtext.strip():
        for pos, raw in enumerate(_split_top(argtext, ",")):
            if re.match(r"\s*[A-Za-z_.][\w.]*\s*=(?!=)", raw):
                key, val = raw.split("=", 1)
                key = _ALIASES.get(key.strip(), key.strip())
                if key not in order:
                    allowed = ", ".join(order) or "none"
                    raise ValueError(f"term '{name}' has no argument '{key}' (arguments: {allowed})")
            else:
                if pos >= len(order):
                    raise ValueError(f"term '{name}' takes at most {len(order)} argument(s), "
                                     f"got {piece.strip()!r}")
                key, val = order[pos], raw
            if key in given:
                raise ValueError(f"argument '{key}' given twice in term '{name}'")
            given[key] = _value(val, name)
    for key in order:
        if key not in given:
            if key not in defaults:
                raise ValueError(f"term '{name}' needs argument '{key}', e.g. "
                                 f"{_EXAMPLES.get(name, name)}")
            given[key] = defaults[key]
    return _validate(name, given, piece.strip())


_EXAMPLES = {"nodematch": "nodematch(type)", "nodefactor": "nodefactor(type)",
             "nodecov": "nodecov(wealth)", "absdiff": "absdiff(x)", "edgecov": "edgecov(formal)",
             "gwesp": "gwesp(0.25, fixed=TRUE)", "gwdegree": "gwdegree(0.5, fixed=TRUE)",
             "kstar": "kstar(2)"}


def _validate(name: str, a: dict[str, Any], text: str) -> Term:
    kw: dict[str, Any] = {"name": name, "text": text}
    if "attr" in a:
        if not isinstance(a["attr"], str):
            raise ValueError(f"term '{name}': the attribute must be a name, got {a['attr']!r}")
        kw["attr"] = a["attr"]
    if "diff" in a:
        if not isinstance(a["diff"], bool):
            raise ValueError(f"term '{name}': diff must be TRUE or FALSE, got {a['diff']!r}")
        kw["diff"] = a["diff"]
    if "pow" in a:
        if isinstance(a["pow"], bool) or not isinstance(a["pow"], float) or a["pow"] <= 0:
            raise ValueError(f"term '{name}': pow must be a positive number, got {a['pow']!r}")
        kw["pow"] = a["pow"]
    if "decay" in a:
        d = a["decay"]
        if isinstance(d, bool) or not isinstance(d, float) or not np.isfinite(d) or d < 0:
            raise ValueError(f"term '{name}': decay must be a non-negative number, got {d!r}")
        if a["fixed"] is False:
            raise ValueError(f"term '{name}' with fixed=FALSE (a curved model with estimated "
                             f"decay) is not supported; use {name}({d:g}, fixed=TRUE)")
        if a["fixed"] not in (None, True):
            raise ValueError(f"term '{name}': fixed must be TRUE or FALSE")
        kw["decay"] = d
        kw["fixed_given"] = a["fixed"] is True
    if "k" in a:
        k = a["k"]
        if isinstance(k, bool) or not isinstance(k, float) or not k.is_integer() or k < 1:
            raise ValueError(f"term '{name}': k must be a positive integer, got {k!r}")
        kw["k"] = int(k)
    return Term(**kw)


def parse_formula(text: str) -> list[Term]:
    """Parse an R ``ergm`` formula right-hand side into terms.

    Parameters
    ----------
    text : str
        For example ``"edges + nodematch(type) + gwesp(0.25, fixed=TRUE)"``. A
        left-hand side (``"y ~ ..."``) or a leading ``~`` is ignored. Strings
        may be quoted (``nodecov("wealth")``) or bare (``nodecov(wealth)``);
        ``TRUE``/``FALSE``/``T``/``F`` are logicals.

    Returns
    -------
    list of Term

    Raises
    ------
    ValueError
        For an unknown term (the message lists the known ones and suggests
        the closest), a missing or unknown argument, or a bad value.

    Examples
    --------
    >>> [t.name for t in parse_formula("edges + nodematch(type, diff=TRUE) + kstar(2)")]
    ['edges', 'nodematch', 'kstar']
    >>> parse_formula("gwesp(0.25, fixed=TRUE)")[0].decay
    0.25
    """
    if not isinstance(text, str) or not text.strip():
        raise ValueError("empty ERGM formula; write e.g. 'edges + nodematch(type)'")
    rhs = text.split("~", 1)[1] if "~" in text else text
    pieces = _split_top(rhs, "+")
    if any(not p.strip() for p in pieces):
        raise ValueError(f"empty term in ERGM formula {text!r} (a stray '+'?)")
    terms = [_parse_term(p) for p in pieces]
    seen = [t.text.replace(" ", "") for t in terms]
    dupes = {s for s in seen if seen.count(s) > 1}
    if dupes:
        raise ValueError(f"term(s) given twice in ERGM formula: {', '.join(sorted(dupes))}")
    return terms


def nonzero2d(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.nonzero`` of a 2-d array, via ``flatnonzero`` (several times faster)."""
    f = np.flatnonzero(x.view(bool) if x.dtype == np.int8 else x)
    return f // x.shape[1], f % x.shape[1]


def _num(x: float) -> str:
    """R's as.character() for a decay: 0.25 -> '0.25', 1 -> '1'."""
    return f"{x:.15g}"


class StepContext:
    """The rows of the sampler's state that one toggle per chain needs.

    ``c`` are chain indices, ``(i, j)`` the toggled dyad per chain (tail, head),
    ``yij`` its current value. Rows are gathered lazily and cached, so terms
    that share them read them once.
    """

    def __init__(self, state: Any, c: np.ndarray, i: np.ndarray, j: np.ndarray,
                 yij: np.ndarray) -> None:
        self.state, self.c, self.i, self.j, self.yij = state, c, i, j, yij
        self._cache: dict[str, np.ndarray] = {}

    def _get(self, key: str, fn: Any) -> np.ndarray:
        if key not in self._cache:
            self._cache[key] = fn()
        return self._cache[key]

    @property
    def Yi(self) -> np.ndarray:  # row i: ties i -> k
        return self._get("Yi", lambda: self.state.Y[self.c, self.i])

    @property
    def Yj(self) -> np.ndarray:
        return self._get("Yj", lambda: self.state.Y[self.c, self.j])

    @property
    def Ci(self) -> np.ndarray:  # column i: ties k -> i
        return self._get("Ci", lambda: self.state.YT[self.c, self.i])

    @property
    def Cj(self) -> np.ndarray:
        return self._get("Cj", lambda: self.state.YT[self.c, self.j])

    def degrees(self) -> tuple[np.ndarray, np.ndarray]:
        """Degrees of i and j in the network without the (i, j) tie."""
        d = self.state.deg
        return d[self.c, self.i] - self.yij, d[self.c, self.j] - self.yij


class BoundTerm:
    """A term bound to a network's size, direction and covariates."""

    independent = False
    needs_deg = False
    needs_sp = False

    def __init__(self, term: Term, n: int, directed: bool) -> None:
        self.term, self.n, self.directed = term, n, directed
        self.labels: list[str] = [term.name]

    # dyad-independent terms: the change statistic is a covariate of the dyad
    def covariate(self, tails: np.ndarray, heads: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def change_all(self, A: np.ndarray, tails: np.ndarray, heads: np.ndarray) -> np.ndarray:
        """Change statistics of adding each dyad ``(tails, heads)`` to ``A`` minus that dyad."""
        return self.covariate(tails, heads)

    def stat(self, A: np.ndarray) -> np.ndarray:
        """Statistic of network ``A`` (n x n 0/1 array)."""
        if self.directed:
            tails, heads = np.nonzero(A)
        else:
            tails, heads = np.nonzero(np.triu(A, 1))
        return self.covariate(tails, heads).sum(axis=0) if len(tails) else np.zeros(len(self.labels))

    def change_step(self, ctx: StepContext) -> np.ndarray:
        raise NotImplementedError


class _Independent(BoundTerm):
    independent = True


class _Edges(_Independent):
    def covariate(self, tails, heads):
        return np.ones((len(tails), 1))


class _Attr(_Independent):
    def __init__(self, term, n, directed, values: pd.Series):
        super().__init__(term, n, directed)
        self.values = values


class _NodeMatch(_Attr):
    def __init__(self, term, n, directed, values):
        super().__init__(term, n, directed, values)
        self.levels = sorted(pd.unique(values))
        self.codes = np.array([self.levels.index(v) for v in values])
        if term.diff:
            self.labels = [f"nodematch.{term.attr}.{lev}" for lev in self.levels]
        else:
            self.labels = [f"nodematch.{term.attr}"]

    def covariate(self, tails, heads):
        same = self.codes[tails] == self.codes[heads]
        if not self.term.diff:
            return same[:, None].astype(float)
        out = np.zeros((len(tails), len(self.levels)))
        out[np.nonzero(same)[0], self.codes[tails][same]] = 1.0
        return out


class _NodeFactor(_Attr):
    def __init__(self, term, n, directed, values):
        super().__init__(term, n, directed, values)
        levels = sorted(pd.unique(values))
        self.levels = levels[1:]  # R's default levels=-1: the first (sorted) level is the base
        self.codes = np.array([levels.index(v) for v in values]) - 1
        self.labels = [f"nodefactor.{term.attr}.{lev}" for lev in self.levels]

    def covariate(self, tails, heads):
        out = np.zeros((len(tails), len(self.levels)))
        for end in (tails, heads):
            code = self.codes[end]
            keep = code >= 0
            np.add.at(out, (np.nonzero(keep)[0], code[keep]), 1.0)
        return out


class _NodeCov(_Attr):
    def __init__(self, term, n, directed, values):
        super().__init__(term, n, directed, values)
        self.x = _numeric(values, term)
        self.labels = [f"nodecov.{term.attr}"]

    def covariate(self, tails, heads):
        return (self.x[tails] + self.x[heads])[:, None]


class _AbsDiff(_NodeCov):
    def __init__(self, term, n, directed, values):
        super().__init__(term, n, directed, values)
        p = term.pow
        self.labels = [f"absdiff.{term.attr}" if p == 1 else f"absdiff{_num(p)}.{term.attr}"]

    def covariate(self, tails, heads):
        return (np.abs(self.x[tails] - self.x[heads]) ** self.term.pow)[:, None]


class _EdgeCov(_Independent):
    def __init__(self, term, n, directed, matrix: np.ndarray):
        super().__init__(term, n, directed)
        self.x = matrix
        self.labels = [f"edgecov.{term.attr}"]

    def covariate(self, tails, heads):
        if self.directed:
            return self.x[tails, heads][:, None]
        # R reads the upper triangle (tail < head) of an undirected covariate
        return self.x[np.minimum(tails, heads), np.maximum(tails, heads)][:, None]


def _numeric(values: pd.Series, term: Term) -> np.ndarray:
    try:
        return pd.to_numeric(values, errors="raise").to_numpy(dtype=float)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"term '{term.text}': attribute '{term.attr}' must be numeric") from exc


class _Mutual(BoundTerm):
    def change_all(self, A, tails, heads):
        return A[heads, tails][:, None].astype(float)

    def stat(self, A):
        return np.array([(A * A.T).sum() / 2.0])

    def change_step(self, ctx):
        return ctx.Yj[np.arange(len(ctx.c)), ctx.i][:, None].astype(float)


class _Triangle(BoundTerm):
    """Undirected triangles; directed: ttriple + ctriple, as R's ``triangle``."""

    def _u(self, A):
        return (A + A.T) if self.directed else A

    def change_all(self, A, tails, heads):
        U = self._u(A).astype(float)
        return (U @ U)[tails, heads][:, None]

    def stat(self, A):
        A = A.astype(float)
        AA = A @ A
        if self.directed:
            return np.array([(AA * A).sum() + np.trace(AA @ A) / 3.0])
        return np.array([(AA * A).sum() / 6.0])

    def change_step(self, ctx):
        if self.directed:
            ui = ctx.Yi + ctx.Ci
            uj = ctx.Yj + ctx.Cj
            return np.einsum("ck,ck->c", ui, uj, dtype=float)[:, None]
        return np.einsum("ck,ck->c", ctx.Yi, ctx.Yj, dtype=float)[:, None]


class _DegreeTerm(BoundTerm):
    needs_deg = True

    def _deg(self, A):
        return A.sum(axis=1) + A.sum(axis=0) if self.directed else A.sum(axis=1)

    def change_all(self, A, tails, heads):
        d = self._deg(A)
        a = A[tails, heads]
        return self.f_change(d[tails] - a, d[heads] - a)[:, None]

    def change_step(self, ctx):
        di, dj = ctx.degrees()
        return self.f_change(di, dj)[:, None]


class _KStar(_DegreeTerm):
    def __init__(self, term, n, directed):
        super().__init__(term, n, directed)
        self.labels = [f"kstar{term.k}"]

    def f_change(self, di, dj):
        k = self.term.k
        return comb(di, k - 1) + comb(dj, k - 1)

    def stat(self, A):
        return np.array([comb(self._deg(A), self.term.k).sum()])


class _Isolates(_DegreeTerm):
    def f_change(self, di, dj):
        return -((di == 0).astype(float) + (dj == 0))

    def stat(self, A):
        return np.array([float((self._deg(A) == 0).sum())])


class _GWDegree(_DegreeTerm):
    def __init__(self, term, n, directed):
        super().__init__(term, n, directed)
        self.labels = [f"gwdeg.fixed.{_num(term.decay)}"]
        self.r = 1.0 - np.exp(-term.decay)

    def f_change(self, di, dj):
        # e^a [(1 - r^(d+1)) - (1 - r^d)] = r^d, per endpoint
        return np.power(self.r, di) + np.power(self.r, dj)

    def stat(self, A):
        d = self._deg(A)
        return np.array([np.exp(self.term.decay) * (1.0 - np.power(self.r, d)).sum()])


class _GWESP(BoundTerm):
    """Geometrically weighted edgewise shared partners (directed: outgoing two-paths)."""

    needs_sp = True

    def __init__(self, term, n, directed):
        super().__init__(term, n, directed)
        typ = "OTP." if directed else ""
        self.labels = [f"gwesp.{typ}fixed.{_num(term.decay)}"]
        self.ea = np.exp(term.decay)
        self.r = 1.0 - np.exp(-term.decay)
        # r^s for s = 0..n; index -1 (never unmasked) wraps harmlessly
        self.rpow = np.power(self.r, np.arange(n + 1, dtype=float))

    def stat(self, A):
        A = A.astype(float)
        S = (A @ A).astype(int)
        v = (A * (1.0 - self.rpow[S])).sum()
        return np.array([self.ea * v / (1.0 if self.directed else 2.0)])

    def change_all(self, A, tails, heads):
        Af = A.astype(float)
        S = (Af @ Af).astype(int)
        # two versions of r^S: as is (dyad empty) and with the dyad's own tie removed
        W0 = Af * self.rpow[S]
        W1 = Af * self.rpow[np.maximum(S - 1, 0)]
        new = self.ea * (1.0 - self.rpow[S[tails, heads]])
        a = A[tails, heads].astype(bool)
        if self.directed:
            # sum_k y_ik y_jk r^S_ik + sum_k y_ki y_kj r^S_kj
            p0 = (W0 @ Af.T)[tails, heads] + (Af.T @ W0)[tails, heads]
            p1 = (W1 @ Af.T)[tails, heads] + (Af.T @ W1)[tails, heads]
        else:
            p0 = (W0 @ Af)[tails, heads] + (Af @ W0)[tails, heads]
            p1 = (W1 @ Af)[tails, heads] + (Af @ W1)[tails, heads]
        return (new + np.where(a, p1, p0))[:, None]

    def change_step(self, ctx):
        S, c, i, j, y = ctx.state.S, ctx.c, ctx.i, ctx.j, ctx.yij[:, None]
        rp = self.rpow
        new = self.ea * (1.0 - rp[S[c, i, j]])
        # only common neighbours contribute: gather their two-path counts sparsely
        K = len(c)
        if self.directed:
            ci, k = nonzero2d(ctx.Yi & ctx.Yj)  # i -> k, j -> k: edge i -> k gains partner j
            part = np.bincount(ci, rp[S[c[ci], i[ci], k] - y[ci, 0]], minlength=K).astype(float)
            ci, k = nonzero2d(ctx.Ci & ctx.Cj)  # k -> i, k -> j: edge k -> j gains partner i
            part += np.bincount(ci, rp[S[c[ci], k, j[ci]] - y[ci, 0]], minlength=K)
        else:
            ci, k = nonzero2d(ctx.Yi & ctx.Yj)
            yy = y[ci, 0]
            part = np.bincount(ci, rp[S[c[ci], i[ci], k] - yy] + rp[S[c[ci], j[ci], k] - yy],
                               minlength=K).astype(float)
        return (new + part)[:, None]


def bind_term(term: Term, n: int, directed: bool, attributes: pd.DataFrame,
              dyad_covariates: dict[str, np.ndarray]) -> BoundTerm:
    """Bind a parsed term to a network of ``n`` nodes.

    Raises
    ------
    ValueError
        If the term does not apply to this kind of network, or its attribute
        or covariate is missing or has missing values.
    """
    name = term.name
    if directed and name in _UNDIRECTED_ONLY:
        raise ValueError(f"term '{term.text}' may not be used with directed networks (as in R)")
    if not directed and name in _DIRECTED_ONLY:
        raise ValueError(f"term '{term.text}' needs a directed network (nx.DiGraph)")
    if name in ("nodematch", "nodefactor", "nodecov", "absdiff"):
        if term.attr not in attributes.columns:
            raise ValueError(f"term '{term.text}': no node attribute '{term.attr}' (have: "
                             f"{', '.join(map(str, attributes.columns)) or 'none'})")
        values = attributes[term.attr]
        if values.isna().any():
            bad = list(values.index[values.isna()][:5])
            raise ValueError(f"term '{term.text}': attribute '{term.attr}' is missing for "
                             f"{int(values.isna().sum())} node(s), e.g. {bad}; ergm does not "
                             "allow missing attribute values")
        cls = {"nodematch": _NodeMatch, "nodefactor": _NodeFactor, "nodecov": _NodeCov,
               "absdiff": _AbsDiff}[name]
        bound = cls(term, n, directed, values.reset_index(drop=True))
        if name == "nodefactor" and not bound.labels:
            raise ValueError(f"term '{term.text}': attribute '{term.attr}' has a single level")
        return bound
    if name == "edgecov":
        if term.attr not in dyad_covariates:
            raise ValueError(f"term '{term.text}': no dyad covariate '{term.attr}' (pass "
                             f"dyad_covariates={{'{term.attr}': matrix}}; have: "
                             f"{', '.join(dyad_covariates) or 'none'})")
        x = np.asarray(dyad_covariates[term.attr], dtype=float)
        if x.shape != (n, n) or not np.isfinite(x).all():
            raise ValueError(f"term '{term.text}': covariate must be a finite {n} x {n} matrix")
        return _EdgeCov(term, n, directed, x)
    simple = {"edges": _Edges, "triangle": _Triangle, "isolates": _Isolates, "mutual": _Mutual,
              "kstar": _KStar, "gwdegree": _GWDegree, "gwesp": _GWESP}
    return simple[name](term, n, directed)
