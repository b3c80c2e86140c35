"""netsoc: network and stakeholder analysis of the Swedish social economy.

The pipeline, one module per stage in data-flow order::

    io -> graphs -> measures -> communities -> geo -> models -> report

Typical use::

    import netsoc
    study = netsoc.load_study("path/to/study")
    results = netsoc.analyze(study)
    results.write("out")
"""

from netsoc._version import __version__
from netsoc.study import Problem, Settings, Study


def load_study(path=None, *, allow_rejects: bool = False) -> Study:
    """Read and validate a study folder or workbook (``None``: the embedded example).

    Raises :class:`netsoc.io.StudyError` listing every problem when the study
    has errors and ``allow_rejects`` is false.
    """
    from netsoc.io import load_study as _load

    return _load(path, allow_rejects=allow_rejects)


def analyze(study: Study, **options):
    """Run every stage on ``study``; see :func:`netsoc.pipeline.analyze`."""
    from netsoc.pipeline import analyze as _analyze

    return _analyze(study, **options)


__all__ = ["Problem", "Settings", "Study", "__version__", "analyze", "load_study"]
