"""Aggregates the reports compute in the database, the same on SQLite and PostgreSQL.

Percentiles by rank: with ``n`` values the p-th percentile (linear
interpolation between the closest ranks, as ``mash.reports.stats.percentile`` and
PostgreSQL's ``percentile_cont``) lies between the values at ranks ``floor(h)`` and
``floor(h) + 1`` where ``h = (n - 1) * p``; one query ranks the rows (window functions)
and reads back only the rows at those ranks, never the whole set. SQLite has no
``percentile_cont``, so the one method serves both databases (ADR 0008).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.db.models import DurationField, ExpressionWrapper, F, Q, QuerySet, Value


def elapsed(later: str, earlier: str) -> ExpressionWrapper:
    """``later - earlier`` as a duration, in SQL."""
    return ExpressionWrapper(F(later) - F(earlier), output_field=DurationField())


def list_holds(field: str, code: str) -> Q:
    """The rows whose JSON list of codes ``field`` holds ``code``. On PostgreSQL, jsonb
    containment (``@>``) on the stored value; cast to text and searched for the quoted
    code, as before, each row's JSON was rewritten as text first (most of the consent
    overrides' two seconds at ten years). SQLite has no JSON containment: there the
    list's text holds the quoted code (codes are plain words, never holding a quote)."""
    if connection.vendor == "postgresql":
        return Q(**{f"{field}__contains": [code]})
    return Q(**{f"{field}__icontains": f'"{code}"'})


def _hours(value: Any) -> float:
    if isinstance(value, dt.timedelta):
        return value.total_seconds() / 3600
    # A backend that returns microseconds for a duration (never a personal value).
    return float(value) / 3_600_000_000


def percentile_hours_by(
    rows: QuerySet[Any], group: str, field: str, ps: Sequence[float]
) -> dict[Any, tuple[float | None, ...]]:
    """Each group's ``ps`` percentiles of the duration annotation ``field`` over ``rows``,
    in hours, in one query: the rows ranked within their group (``ROW_NUMBER`` and
    ``COUNT`` over a window, SQLite and PostgreSQL alike), and only the rows at the ranks
    each percentile interpolates between read back (a few a group, never the set). A
    group with no rows is absent."""
    inner, params = rows.values(group, field).query.sql_with_params()
    qn = connection.ops.quote_name
    near = " OR ".join(
        f"(rk BETWEEN (n - 1) * {float(p)!r} - 1 AND (n - 1) * {float(p)!r} + 1)" for p in ps
    )
    # Only quoted column names, the compiled inner query and float literals of our own go
    # into the text; every value is a bound parameter.
    head = f"SELECT {qn(group)} AS g, {qn(field)} AS v, "
    ranks = (
        f"ROW_NUMBER() OVER (PARTITION BY {qn(group)} ORDER BY {qn(field)}) - 1 AS rk, "
        f"COUNT(*) OVER (PARTITION BY {qn(group)}) AS n"
    )
    sql = f"SELECT g, v, rk, n FROM ({head}{ranks} FROM ({inner}) AS grouped_rows) AS ranked"  # noqa: S608 # nosec B608
    sql += f" WHERE {near}"
    at: dict[Any, dict[int, float]] = defaultdict(dict)
    sizes: dict[Any, int] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for g, v, rk, n in cursor.fetchall():
            at[g][int(rk)] = _hours(v)
            sizes[g] = int(n)
    out: dict[Any, tuple[float | None, ...]] = {}
    for g, n in sizes.items():
        values = []
        for p in ps:
            h = (n - 1) * p
            low = math.floor(h)
            first = at[g][low]
            second = at[g].get(low + 1, first)
            values.append(first + (second - first) * (h - low))
        out[g] = tuple(values)
    return out


def percentiles_hours(
    rows: QuerySet[Any], field: str, ps: Sequence[float]
) -> tuple[float | None, ...]:
    """The ``ps`` percentiles of the duration annotation ``field`` over all of ``rows``,
    in hours (None each for no rows), from one ranked read (``percentile_hours_by``
    over one group)."""
    found = percentile_hours_by(rows.annotate(_all_rows=Value(1)), "_all_rows", field, ps)
    return found.get(1, tuple(None for _ in ps))
