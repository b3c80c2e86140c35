"""Forked worker processes, and the inputs they inherit instead of pickling.

Shared by every stage that computes in parallel (graph files, measures, the
report's figures), so that none of them borrows another stage's machinery.
Results never depend on the number of workers: tasks are mapped in order.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor

#: always this many parts (whatever the number of cores), so results do not
#: depend on the machine: the betweenness parts are summed in this order
SPLIT_PARTS = 2


def n_jobs() -> int:
    """Worker processes for the parallel paths: the usable cores, at most :data:`SPLIT_PARTS`.

    ``NETSOC_JOBS`` in the environment overrides (``1`` = no extra processes).
    """
    env = os.environ.get("NETSOC_JOBS", "").strip()
    if env.isdigit() and int(env) > 0:
        return int(env)
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return max(1, min(SPLIT_PARTS, cpus))


#: inputs of the worker tasks; forked workers inherit it, so big edge arrays
#: are not pickled (set just before a pool starts, cleared after)
_SHARED: dict = {}
_KEYS = itertools.count()


def _parallel_map(func: Callable, tasks: list, jobs: int | None = None) -> list:
    """``[func(t) for t in tasks]``, in order, over forked worker processes when useful."""
    jobs = n_jobs() if jobs is None else jobs
    if jobs <= 1 or len(tasks) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [func(t) for t in tasks]
    with ProcessPoolExecutor(max_workers=min(jobs, len(tasks)),
                             mp_context=multiprocessing.get_context("fork")) as ex:
        return list(ex.map(func, tasks))


def _shared_map(func: Callable, shared: object, tasks: list, jobs: int | None = None) -> list:
    """:func:`_parallel_map` of tasks ``(key, t)`` whose workers read ``shared`` from :data:`_SHARED`."""
    key = next(_KEYS)
    _SHARED[key] = shared
    try:
        return _parallel_map(func, [(key, t) for t in tasks], jobs)
    finally:
        _SHARED.pop(key, None)
