"""Synthetic studies: the embedded example (:mod:`netsoc.synth.example`) and
county/national-scale benchmark data (:mod:`netsoc.synth.national`).

Everything here is deterministic: the same ``seed`` gives byte-identical files.

Each of the two generators is a façade module that re-exports the public names of its
family files (what it generates, one file each):

- ``example.py`` (:func:`make_example`, :func:`write_example`, ``python -m
  netsoc.synth.example``): ``example_data.py`` (reports, calibration targets, planted
  effects, stated relations), ``example_actors.py``, ``example_ties.py`` (respondents and
  ties), ``example_placements.py``, ``example_indicators.py``, ``example_study.py``
  (assembly, calibration, planted-effect summary), ``example_files.py`` (the folder with
  README and SOURCES);
- ``national.py`` (``make_national``, ``write_study``, ``netsoc synth``):
  ``national_data.py`` (parameters, scales, name lists and rates),
  ``national_sampling.py``, ``national_kommuner.py`` (geography, kommun structure,
  indicators), ``national_actors.py``, ``national_ties.py``, ``national_placements.py``,
  ``national_study.py`` (``make_national``, ``write_study``) and ``national_command.py``
  (the ``synth`` command).
"""

__all__ = ["make_example", "write_example"]


def __getattr__(name: str):
    # lazy, so that ``python -m netsoc.synth.example`` does not import the module twice
    if name in __all__:
        from netsoc.synth import example

        return getattr(example, name)
    raise AttributeError(name)
