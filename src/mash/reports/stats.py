"""Pure arithmetic for the reports: no Django, so SQLite and PostgreSQL give the same.

Percentiles use linear interpolation between the closest ranks (the method of
PostgreSQL's ``percentile_cont`` and of numpy's default): for sorted values
``v[0..n-1]`` the p-th percentile is at rank ``h = (n - 1) * p``, between ``v[floor(h)]``
and ``v[ceil(h)]``. The median is the 50th percentile.
"""

from __future__ import annotations

import math
from collections.abc import Sequence


def percentile(values: Sequence[float], p: float) -> float | None:
    """The ``p``-th percentile (0 <= p <= 1) of ``values``; None for no values."""
    if not 0 <= p <= 1:
        raise ValueError("p must be between 0 and 1")
    ordered = sorted(values)
    if not ordered:
        return None
    h = (len(ordered) - 1) * p
    low, high = math.floor(h), math.ceil(h)
    return ordered[low] + (ordered[high] - ordered[low]) * (h - low)


def median(values: Sequence[float]) -> float | None:
    return percentile(values, 0.5)


def share(part: int, whole: int) -> float | None:
    """``part`` of ``whole`` as a fraction; None when there is nothing to divide."""
    return part / whole if whole else None
