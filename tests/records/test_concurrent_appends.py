"""Many writers at once must leave one unbroken chain, never a fork."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections

from mash.records.models import Action, RecordEntry
from mash.records.services import record
from mash.records.verify import walk_database


def _append_from_threads(threads: int, each: int) -> list[BaseException]:
    errors: list[BaseException] = []
    start = threading.Barrier(threads)

    def writer(number: int) -> None:
        try:
            start.wait()
            for n in range(each):
                record(
                    action=Action.ENQUIRY_VIEWED,
                    object_type="enquiries.enquiry",
                    object_id=f"writer-{number}",
                    details={"n": n},
                )
        except BaseException as error:  # reported to the test below
            errors.append(error)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=writer, args=(number,)) for number in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return errors


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL only: SQLite's test database is in memory with a shared cache, where "
    "a second writer fails at once instead of queuing (the SQLite file variant below runs)",
)
@pytest.mark.django_db(transaction=True)
def test_eight_writers_appending_a_thousand_entries_each_leave_one_chain() -> None:
    errors = _append_from_threads(8, 1000)
    assert errors == []
    assert RecordEntry.objects.count() == 8000
    for number in range(8):
        assert RecordEntry.objects.filter(object_id=f"writer-{number}").count() == 1000
    result = walk_database()
    assert result.broken is None
    assert (result.entries_checked, result.head_seq) == (8000, 8000)


def test_concurrent_writers_on_a_sqlite_file_also_leave_one_chain(tmp_path: Any) -> None:
    """A smaller SQLite variant, in its own process so the database is a real file
    configured as the hub runs it (the test database is in memory)."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["MASH_DATA_DIR"] = str(tmp_path)
    finished = subprocess.run(
        [sys.executable, "-m", "tests.records.sqlite_writers", "4", "50"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr[-2000:]
    assert finished.stdout.split() == ["200", "200", "True"]
