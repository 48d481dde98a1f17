"""Percentiles by linear interpolation between the closest ranks, against values worked
out by hand (and, on PostgreSQL, against the database's own percentile_cont)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from mash.reports.stats import median, percentile, share


@pytest.mark.parametrize(
    ("values", "p", "expected"),
    [
        ([5.0], 0.5, 5.0),
        ([5.0], 0.9, 5.0),
        ([1.0, 2.0, 3.0, 4.0], 0.5, 2.5),  # h = 1.5: 2 + (3 - 2) * 0.5
        ([1.0, 2.0, 3.0, 4.0], 0.9, 3.7),  # h = 2.7: 3 + (4 - 3) * 0.7
        ([4.0, 1.0, 3.0, 2.0], 0.9, 3.7),  # order does not matter
        ([10.0, 20.0], 0.9, 19.0),  # h = 0.9: 10 + 10 * 0.9
        ([2.0, 4.0, 10.0, 30.0], 0.5, 7.0),  # h = 1.5: 4 + 6 * 0.5
        ([2.0, 4.0, 10.0, 30.0], 0.9, 24.0),  # h = 2.7: 10 + 20 * 0.7
        ([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0], 0.9, 10.0),  # h = 9
        ([3.0, 1.0, 2.0], 0.5, 2.0),  # odd count: the middle value
        ([1.0, 2.0, 3.0], 0.0, 1.0),
        ([1.0, 2.0, 3.0], 1.0, 3.0),
    ],
)
def test_it_matches_the_hand_worked_value(values: list[float], p: float, expected: float) -> None:
    assert percentile(values, p) == pytest.approx(expected)


def test_the_median_is_the_50th_percentile() -> None:
    assert median([7.0, 1.0, 3.0, 100.0]) == pytest.approx(5.0)


def test_no_values_have_no_percentile() -> None:
    assert percentile([], 0.5) is None
    assert median([]) is None


def test_it_refuses_a_p_outside_0_to_1() -> None:
    with pytest.raises(ValueError):
        percentile([1.0], 1.5)


def test_a_share_of_nothing_is_none() -> None:
    assert share(0, 0) is None
    assert share(3, 4) == pytest.approx(0.75)


@pytest.mark.django_db
def test_it_agrees_with_postgresql_percentile_cont() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("percentile_cont is PostgreSQL's; SQLite has none to compare with")
    values = [2.0, 4.0, 10.0, 30.0, 7.5, 0.25, 12.0]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY v), "
            "percentile_cont(0.9) WITHIN GROUP (ORDER BY v) FROM unnest(%s::float8[]) AS v",
            [values],
        )
        row: Any = cursor.fetchone()
    assert percentile(values, 0.5) == pytest.approx(row[0])
    assert percentile(values, 0.9) == pytest.approx(row[1])
