"""Aggregates the reports compute in the database, the same on SQLite and PostgreSQL.

Percentiles by ordered offset: with ``n`` values the p-th percentile (linear
interpolation between the closest ranks, as ``mash.reports.stats.percentile`` and
PostgreSQL's ``percentile_cont``) lies between the values at ranks ``floor(h)`` and
``floor(h) + 1`` where ``h = (n - 1) * p``; one query sorts and reads those two rows
(``ORDER BY ... LIMIT 2 OFFSET floor(h)``), never the whole set. SQLite has no
``percentile_cont``, so the one method serves both databases (ADR 0008).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.db.models import DurationField, ExpressionWrapper, F, QuerySet


def elapsed(later: str, earlier: str) -> ExpressionWrapper:
    """``later - earlier`` as a duration, in SQL."""
    return ExpressionWrapper(F(later) - F(earlier), output_field=DurationField())


def _hours(value: Any) -> float:
    if isinstance(value, dt.timedelta):
        return value.total_seconds() / 3600
    # A backend that returns microseconds for a duration (never a personal value).
    return float(value) / 3_600_000_000


def percentile_hours(rows: QuerySet[Any], field: str, n: int, p: float) -> float | None:
    """The ``p``-th percentile of the duration annotation ``field`` over ``rows`` (which
    number ``n``), in hours; None for no rows. One query."""
    if n <= 0:
        return None
    h = (n - 1) * p
    low = math.floor(h)
    values = list(rows.order_by(field, "pk").values_list(field, flat=True)[low : low + 2])
    if not values:
        return None
    first = _hours(values[0])
    second = _hours(values[1]) if len(values) > 1 else first
    return first + (second - first) * (h - low)
