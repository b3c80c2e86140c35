"""The options of one run, typed: what the CLI and :func:`netsoc.analyze` set.

``study.toml`` fills :class:`netsoc.study.Settings` (the study's own choices:
seed, language, grouping, ``min_cell`` …); a run may override some of them
and adds its own. Each field names the stage that reads it, so a flag can be
followed from the command line to the code that uses it::

    netsoc run --seed 7      -> RunOptions.seed -> Results.seed -> every stage's seed=
    netsoc run --lang en     -> RunOptions.lang -> Results.lang -> report, maps
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from netsoc.study import Settings


@dataclass
class RunOptions:
    """Options of :func:`netsoc.analyze`.

    Attributes
    ----------
    seed : int, optional
        Seed of every random step (community detection and its stability runs,
        robustness runs, E-I and LISA permutations, MRQAP). Default: ``study.toml``'s
        ``[study] seed``.
    lang : {"sv", "en"}, optional
        Language of the report, the maps and the notes. Default: ``study.toml``.
    quiet : bool
        No progress bar on the terminal.
    jobs : int
        Worker processes for the community-detection runs
        (:func:`netsoc.communities.detect_communities` ``n_jobs``); results do not
        depend on it.
    permutations : int
        QAP/MRQAP permutations of the dyad-level models (:func:`netsoc.models.run_models`).

    Examples
    --------
    >>> from netsoc.study import Settings
    >>> RunOptions(seed=7).resolved_seed(Settings(seed=2014))
    7
    >>> RunOptions().resolved_seed(Settings(seed=2014))
    2014
    """

    seed: int | None = None
    lang: str | None = None
    quiet: bool = False
    jobs: int = 1
    permutations: int = 1000

    def resolved_seed(self, settings: Settings) -> int:
        """The run's seed: this one's, else the study's."""
        return int(self.seed if self.seed is not None else settings.seed)

    def resolved_lang(self, settings: Settings) -> str:
        """The run's language: this one's, else the study's."""
        return self.lang or settings.language

    def as_dict(self) -> dict:
        """For ``run.json``."""
        return asdict(self)
