"""Reading ``study.toml`` into :class:`netsoc.study.Settings`."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from netsoc._decoding import decode_text
from netsoc.io.vocabulary import suggest
from netsoc.schema import ModelSpec
from netsoc.study import Problem, Settings

# --------------------------------------------------------------------------- settings


def _toml_line(text: str, key: str) -> int | None:
    for i, line in enumerate(text.splitlines(), start=1):
        if re.match(rf"\s*{re.escape(key)}\s*=", line):
            return i
    return None


def read_settings(path: Path | None) -> tuple[Settings, list[Problem]]:
    """Parse ``study.toml`` into :class:`Settings` (defaults when absent)."""
    settings = Settings()
    if path is None or not path.exists():
        return settings, []
    name = path.name
    text, _, problems = decode_text(path.read_bytes(), name)
    if text is None:
        return settings, problems
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        m = re.search(r"line (\d+)", str(err))
        return settings, [*problems,
                          Problem(name, int(m.group(1)) if m else None, None, f"invalid TOML: {err}")]
    settings.raw = data

    def take(section: str, key: str, attr: str, kind, choices=None):
        sec = data.get(section, {})
        if key not in sec:
            return
        value = sec[key]
        line = _toml_line(text, key)
        try:
            if kind is bool and not isinstance(value, bool):
                raise ValueError
            value = kind(value)
        except (TypeError, ValueError):
            problems.append(Problem(name, line, f"[{section}] {key}", f"must be {kind.__name__}"))
            return
        if choices and value not in choices:
            guess = suggest(str(value), choices)
            hint = f"; did you mean '{guess}'?" if guess else ""
            problems.append(
                Problem(name, line, f"[{section}] {key}", f"'{value}' is not one of {', '.join(choices)}{hint}")
            )
            return
        setattr(settings, attr, value)

    take("study", "name", "name", str)
    take("study", "language", "language", str, ("sv", "en"))
    take("study", "seed", "seed", int)
    take("study", "synthetic", "synthetic", bool)
    take("network", "symmetrize", "symmetrize", str, ("union", "mutual", "max", "min", "reconstruct"))
    take("network", "groups", "groups", str)
    take("network", "ei_permutations", "ei_permutations", int)
    take("network", "robustness_runs", "robustness_runs", int)
    take("privacy", "min_cell", "min_cell", int)
    take("privacy", "pseudonymize_people", "pseudonymize_people", bool)
    take("geography", "need_indicator", "need_indicator", str)
    take("geography", "population_indicator", "population_indicator", str)
    take("geography", "catchment_km", "catchment_km", float)
    take("geography", "scope", "scope", str, ("study", "neighbours", "lan", "sweden"))
    if settings.min_cell < 1:
        problems.append(Problem(name, _toml_line(text, "min_cell"), "[privacy] min_cell", "must be at least 1"))
    for i, m in enumerate(data.get("model", []) or []):
        where = f"[[model]] #{i + 1}"
        if not isinstance(m, dict) or "name" not in m:
            problems.append(Problem(name, None, where, "each [[model]] needs a name"))
            continue
        level = m.get("level", "placement")
        family = m.get("family", "binomial")
        bad = []
        levels = ("placement", "actor", "kommun", "dyad", "network", "tie_change")
        if level not in levels:
            bad.append(f"level '{level}' is not one of {', '.join(levels)}")
        if family not in ("binomial", "gaussian", "poisson", "negativebinomial"):
            bad.append(f"family '{family}' is not one of binomial, gaussian, poisson, negativebinomial")
        for msg in bad:
            problems.append(Problem(name, _toml_line(text, "level"), where, msg))
        if bad:
            continue
        known = {"name", "level", "family", "formula", "cluster", "method"}
        settings.models.append(
            ModelSpec(
                name=str(m["name"]),
                level=level,
                family=family,
                formula=str(m.get("formula", "")),
                cluster=m.get("cluster"),
                method=m.get("method"),
                options={k: v for k, v in m.items() if k not in known},
            )
        )
    return settings, problems
