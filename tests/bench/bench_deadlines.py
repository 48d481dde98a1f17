"""How much the working clock costs over elapsed-hours arithmetic, as ratios measured in
one run (no absolute timings are asserted anywhere): ``python -m tests.bench.bench_deadlines``.
"""

from __future__ import annotations

import itertools
import random
import timeit
from datetime import UTC, datetime, timedelta

from mash.enquiries.deadlines import (
    DEFAULT_CLOCK,
    DEFAULT_RATINGS,
    bank_holidays,
    deadline,
    working_time_between,
)


def _starts(count: int) -> list[datetime]:
    rng = random.Random(20261125)
    origin = datetime(2026, 1, 1, tzinfo=UTC)
    return [origin + timedelta(minutes=rng.randrange(0, 3 * 365 * 24 * 60)) for _ in range(count)]


def main() -> None:
    starts = _starts(2000)
    amber = DEFAULT_RATINGS["amber"]

    def run(rating_name: str) -> float:
        rating = DEFAULT_RATINGS[rating_name]
        return min(
            timeit.repeat(
                lambda: [deadline(s, rating, DEFAULT_CLOCK) for s in starts], number=1, repeat=5
            )
        )

    bank_holidays.cache_clear()
    cold = timeit.timeit(lambda: deadline(starts[0], amber, DEFAULT_CLOCK), number=1)
    warm = min(
        timeit.repeat(lambda: deadline(starts[0], amber, DEFAULT_CLOCK), number=1, repeat=50)
    )
    base = run("red")
    per_call = base / len(starts)
    print(f"elapsed-hours Red:            {per_call * 1e6:8.1f} us per deadline (baseline 1.0)")
    for name in ("amber", "green"):
        took = run(name)
        print(f"working-hours {name:<6} x{took / base:6.1f} of Red")
    pairs = list(itertools.pairwise(starts[:201]))
    spans = min(
        timeit.repeat(
            lambda: [working_time_between(a, b, DEFAULT_CLOCK) for a, b in pairs],
            number=1,
            repeat=3,
        )
    )
    per_span = spans / len(pairs) / per_call
    print(f"working_time_between per random span (up to 3 years): x{per_span:6.1f} of Red")
    print(f"first bank-holiday lookup of a year vs cached:        x{cold / warm:6.1f}")


if __name__ == "__main__":
    main()
