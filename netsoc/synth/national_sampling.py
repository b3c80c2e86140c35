"""Vectorised sampling helpers of the national generator: weighted draws within blocks
and rows, weighted top-k without replacement (Gumbel top-k), ids, names and
checksum-valid organisationsnummer.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def _choose_within(
    rng: np.random.Generator, block: np.ndarray, weight: np.ndarray, query: np.ndarray
) -> np.ndarray:
    """Draw one position per query, with probability ∝ ``weight`` inside the queried block.

    ``block`` (non-decreasing ints) and ``weight`` describe items laid out block after
    block; every queried block must have positive total weight. Vectorised by mapping
    block ``b``'s cumulative distribution onto ``(b, b + 1]`` and using one global
    ``searchsorted`` for all draws.
    """
    n_blocks = int(block[-1]) + 1
    cum = np.cumsum(weight, dtype=np.float64)
    start = np.searchsorted(block, block, side="left")
    within = cum - np.concatenate(([0.0], cum))[start]
    total = np.bincount(block, weights=weight, minlength=n_blocks)
    with np.errstate(invalid="ignore", divide="ignore"):
        frac = np.where(total[block] > 0, within / total[block], 0.0)
    flat = block + np.minimum(frac, 1.0)
    u = rng.random(len(query)) * (1.0 - 1e-9)
    pos = np.searchsorted(flat, query + u, side="right")
    # floating-point safety: never step past the block's last positive-weight item
    last = np.full(n_blocks, -1, dtype=np.int64)
    pos_items = np.flatnonzero(weight > 0)
    np.maximum.at(last, block[pos_items], pos_items)
    return np.minimum(pos, last[query])


def _choose_rows(rng: np.random.Generator, weights: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """For each entry of ``rows`` draw a column of ``weights`` (2-D) ∝ that row."""
    n_rows, n_cols = weights.shape
    block = np.repeat(np.arange(n_rows), n_cols)
    return _choose_within(rng, block, weights.ravel(), rows) - rows * n_cols


def _top_k_weighted(rng: np.random.Generator, weight: np.ndarray, k: int) -> np.ndarray:
    """Weighted sample of ``k`` distinct positions without replacement (Gumbel top-k)."""
    keys = np.log(weight) + rng.gumbel(size=len(weight))
    k = min(k, len(weight))
    return np.sort(np.argpartition(-keys, k - 1)[:k]) if k > 0 else np.array([], dtype=int)


def _ids(prefix: str, n: int, width: int) -> np.ndarray:
    """``prefix`` + zero-padded 1..n as an object array of str (vectorised: 1M in ~0.3 s)."""
    length = len(prefix) + width
    buf = np.empty((n, length), dtype=np.uint8)
    buf[:, : len(prefix)] = np.frombuffer(prefix.encode("ascii"), dtype=np.uint8)
    num = np.arange(1, n + 1, dtype=np.int64)
    for p in range(width):
        buf[:, len(prefix) + p] = (num // 10 ** (width - 1 - p)) % 10 + 48
    return buf.view(f"S{length}").ravel().astype(f"U{length}").astype(object)


def _dedupe_names(names: pd.Series) -> pd.Series:
    rank = names.groupby(names).cumcount()
    return names.where(rank == 0, names + " " + (rank + 1).astype(str))


def _org_nr(rng: np.random.Generator, prefix: int, n: int) -> np.ndarray:
    """Unique, checksum-valid organisationsnummer ``NNNNNN-NNNN`` with a 3-digit prefix."""
    body = rng.choice(1_000_000, size=n, replace=False)
    nine = prefix * 1_000_000 + body
    digits = (nine[:, None] // 10 ** np.arange(8, -1, -1)) % 10
    prod = digits * np.array([2, 1, 2, 1, 2, 1, 2, 1, 2])
    check = (10 - (prod // 10 + prod % 10).sum(axis=1) % 10) % 10
    return np.array(
        [f"{v // 10_000:06d}-{v % 10_000:04d}" for v in nine * 10 + check], dtype=object
    )
