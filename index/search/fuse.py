"""Fusing ranked lists: reciprocal-rank fusion over [(id, score)] lists."""

from __future__ import annotations

from typing import Sequence


def rrf(rankings: Sequence[Sequence[int]], *, k: int = 60, weights: Sequence[float] | None = None) -> dict[int, float]:
    """id → Σ w / (k + rank) over the lists each id appears in (rank from 1)."""
    weights = weights or [1.0] * len(rankings)
    fused: dict[int, float] = {}
    for ranking, w in zip(rankings, weights):
        for rank, item in enumerate(ranking, 1):
            fused[item] = fused.get(item, 0.0) + w / (k + rank)
    return fused
