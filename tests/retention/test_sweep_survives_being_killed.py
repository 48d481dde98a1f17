"""A sweep stopped at any point never leaves a half-deleted enquiry, and the next run
finishes the job.

In the test database (SQLite and PostgreSQL): an exception is raised at a random named
point inside an enquiry's destruction (``services.checkpoint``: after planning, after
the requests, the consent records, the enquiry, the tombstones, the record entry), run
after run, until a run completes. After each stopped run every enquiry's due rows are
all there or all gone, each gone row has its tombstone and its enquiry its record entry.
The same with a real process killed by SIGKILL is in test_sweep_killed_process.py.
"""

from __future__ import annotations

import random
from typing import Any

import pytest

from mash.records.verify import walk_database
from mash.retention import services
from tests.retention.dataset import TODAY
from tests.retention.helpers import half_done, wrong_rows


class Stopped(Exception):
    pass


def test_a_sweep_stopped_at_random_points_never_half_deletes_an_enquiry(
    generated: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(8)
    points: list[str] = []
    stops = 0
    for _ in range(60):
        countdown = rng.randint(1, 40)

        def stop_here(name: str) -> None:
            nonlocal countdown
            countdown -= 1
            if countdown == 0:
                points.append(name)
                raise Stopped(name)

        monkeypatch.setattr(services, "checkpoint", stop_here)
        try:
            services.sweep(today=TODAY, batch_size=rng.randint(5, 60))
        except Stopped:
            stops += 1
            assert half_done(generated) == [], f"after stopping at {points[-1]}"
            continue
        break
    else:
        pytest.fail("the sweep never completed")

    assert stops >= 3
    assert len(set(points)) >= 3  # stopped at several different points
    assert half_done(generated) == []
    assert wrong_rows(generated) == []
    assert walk_database(checkpoints={}).intact
