"""Run by test_concurrent_appends in a fresh process: several threads append to the
record in a SQLite file database configured exactly as the hub runs it (WAL, every
transaction BEGIN IMMEDIATE), then the chain is walked. Prints "ENTRIES HEAD INTACT"."""

from __future__ import annotations

import os
import sys
import threading


def main(threads: int, each: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mash.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from mash.records.models import Action, RecordEntry
    from mash.records.services import record
    from mash.records.verify import walk_database

    call_command("migrate", verbosity=0)
    errors: list[BaseException] = []
    barrier = threading.Barrier(threads)

    def writer(number: int) -> None:
        try:
            barrier.wait()
            for n in range(each):
                record(action=Action.ENQUIRY_VIEWED, object_id=f"writer-{number}", details={"n": n})
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=writer, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    if errors:
        raise SystemExit(f"writers failed: {errors!r}")
    result = walk_database()
    print(RecordEntry.objects.count(), result.head_seq, result.intact)


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
