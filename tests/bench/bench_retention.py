"""Benchmark of the retention sweep over 100,000 generated enquiries.

Run alone with ``python -m tests.bench retention``. ``BENCH_RETENTION_ENQUIRIES``
changes the size (default 100,000). On SQLite it uses a fresh database file in a
temporary directory (the real file, WAL and ``secure_delete`` as deployed); with
``DATABASE_URL`` set, a throwaway test database on that server.

The data set is tests/retention/dataset.py's (fates and schedule described there):
about a third of the enquiries are destroyed whole, others in part, a fifth held.
Measured in one run:

- **dry run**: ``sweep(dry_run=True)``: planning alone (reads every batch, decides);
- **sweep**: the real sweep (up to ``ENQUIRIES_PER_TRANSACTION`` whole enquiries per
  transaction);
- **second sweep**: run again: finds nothing (idempotent), so planning alone again;
- **verify**: ``walk_database`` over the record afterwards.

Then every row is checked against its fate (as the unit tests do, on 100,000).
Ratios: sweep / dry run (what destroying costs over deciding) and second sweep / dry
run (target <= 1.5: a sweep with nothing to do costs no more than planning).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

COUNT = int(os.environ.get("BENCH_RETENTION_ENQUIRIES", "100000"))
CHUNK = 5000


def _setup() -> Any:
    if not os.environ.get("DATABASE_URL"):
        os.environ["MASH_DATA_DIR"] = tempfile.mkdtemp(prefix="mash-bench-retention-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mash.settings")
    import django

    django.setup()
    if os.environ.get("DATABASE_URL"):
        from django.test.utils import setup_databases

        return setup_databases(verbosity=0, interactive=False, aliases={"default"})
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    return None


def _teardown(old: Any) -> None:
    data_dir = os.environ.get("MASH_DATA_DIR", "")
    if old is None and "mash-bench-retention-" in data_dir:
        from django.db import connection

        connection.close()
        shutil.rmtree(data_dir, ignore_errors=True)
    if old is not None:
        from django.test.utils import teardown_databases

        from mash.records.triggers import let_test_flush_empty_the_record

        let_test_flush_empty_the_record()
        teardown_databases(old, verbosity=0)


def _timed(label: str, work: Any) -> tuple[float, Any]:
    t0 = time.perf_counter()
    result = work()
    seconds = time.perf_counter() - t0
    print(f"{label:>16}: {seconds:8.1f} s", flush=True)
    return seconds, result


def run() -> bool | None:
    old = _setup()
    try:
        from mash.records.verify import walk_database
        from mash.retention import services
        from tests.retention.dataset import TODAY, generate
        from tests.retention.helpers import wrong_rows

        print(f"retention: generating {COUNT:,} enquiries ...", flush=True)
        t0 = time.perf_counter()
        generated = []
        for start in range(0, COUNT, CHUNK):
            generated += generate(min(CHUNK, COUNT - start), start=start)
        print(f"{'generate':>16}: {time.perf_counter() - t0:8.1f} s", flush=True)
        rows = sum(len(g.rows) for g in generated)
        due = sum(1 for g in generated for r in g.rows if r.destroyed)
        print(f"{'':>16}  {rows:,} rows, {due:,} due for destruction")

        dry, dry_run = _timed("dry run", lambda: services.sweep(today=TODAY, dry_run=True))
        real, swept = _timed("sweep", lambda: services.sweep(today=TODAY))
        again, second = _timed("second sweep", lambda: services.sweep(today=TODAY))
        _, walked = _timed("verify record", lambda: walk_database(checkpoints={}))

        wrong = wrong_rows(generated)
        from mash.retention.models import Tombstone

        touched = Tombstone.objects.filter(sweep=swept).values("enquiry_id").distinct().count()
        print(
            f"{'':>16}  {touched:,} enquiries with something destroyed: "
            f"{1000 * real / max(touched, 1):.1f} ms each"
        )
        print(
            f"{'':>16}  destroyed {swept.records_destroyed:,} records "
            f"({swept.enquiries_destroyed:,} whole enquiries) in {real:.1f} s: "
            f"{swept.enquiries_examined / real:,.0f} enquiries examined/s"
        )
        print(f"{'':>16}  dry run would destroy {dry_run.records_destroyed:,}")
        print(f"{'':>16}  second sweep destroyed {second.records_destroyed:,}")
        print(f"{'':>16}  record intact: {walked.intact}; rows not as their fate: {len(wrong)}")
        ratio_sweep = real / dry if dry else float("inf")
        ratio_again = again / dry if dry else float("inf")
        met = ratio_again <= 1.5
        print(f"sweep / dry run: {ratio_sweep:.2f}")
        verdict = "met" if met else "MISSED"
        print(f"second sweep / dry run: {ratio_again:.2f} (target <= 1.5: {verdict})")
        correct = (
            not wrong
            and walked.intact
            and second.records_destroyed == 0
            and dry_run.records_destroyed == swept.records_destroyed
        )
        print(f"correct: {'yes' if correct else 'NO'}")
        size = Path(os.environ.get("MASH_DATA_DIR", ".")) / "mash.sqlite3"
        if size.exists():
            print(f"database file: {size.stat().st_size / 1e6:.0f} MB")
        return met and correct
    finally:
        _teardown(old)


if __name__ == "__main__":
    run()
