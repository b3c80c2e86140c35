"""netsoc: network and stakeholder analysis of the Swedish social economy.

The pipeline, one package per stage in data-flow order (``docs/architecture.md``)::

    io -> graphs -> measures -> communities -> geo -> models -> report

Typical use::

    import netsoc
    study = netsoc.load_study("path/to/study")
    results = netsoc.analyze(study, seed=7)
    results.write("out")
"""

from netsoc._version import __version__
from netsoc.io import load_study
from netsoc.options import RunOptions
from netsoc.pipeline import analyze
from netsoc.study import Problem, Settings, Study

__all__ = ["Problem", "RunOptions", "Settings", "Study", "__version__", "analyze", "load_study"]
