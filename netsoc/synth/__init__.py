"""Synthetic studies: the embedded example (:mod:`netsoc.synth.example`) and
county/national-scale benchmark data (:mod:`netsoc.synth.national`).

Everything here is deterministic: the same ``seed`` gives byte-identical files.
"""

__all__ = ["make_example", "write_example"]


def __getattr__(name: str):
    # lazy, so that ``python -m netsoc.synth.example`` does not import the module twice
    if name in __all__:
        from netsoc.synth import example

        return getattr(example, name)
    raise AttributeError(name)
