"""``mash people index``: link every person already recorded into the person index.

In batches (one transaction and one write to the record each), in the order the people
were recorded, so a person is compared with those indexed before them as at intake. Safe
to run again: people already indexed are passed over. A progress bar goes to stderr.
(``mash people match`` needs no database and is answered by ``mash.people.cli``.)
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from mash.enquiries.models import Person
from mash.people import services
from mash.people.models import PersonLink

#: People indexed before the tables are first analysed again, however small the index.
_ANALYSE_AFTER = 5_000


def _analyse() -> int | None:
    """VACUUM ANALYZE the index's tables on PostgreSQL (ANALYZE alone inside a
    transaction, where VACUUM cannot run); how many people the index then held (None
    elsewhere: SQLite's planner does not need it for these reads). The statistics keep
    the planner's picture of the tables true; the vacuum marks their pages all-visible,
    so looking candidates up reads the key index alone (an index-only scan), not a row
    of the table for each key found: 114 ms to 14 ms a batch's query at 61,500 people."""
    if connection.vendor != "postgresql":
        return None
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
    with connection.cursor() as cursor:
        for table in ("people_indexedperson", "people_personlink", "people_blockingkey"):
            cursor.execute(f"{command} {table}")
    return PersonLink.objects.count()


def _waiting(batch: int) -> Iterator[list[Person]]:
    """The people not yet indexed, oldest first, ``batch`` people recorded at a time: a
    walk of every person by (created_at, id), each step a range of that index read as
    ids (keyset: asking again for "the first not indexed" sorted every person for every
    batch), those already indexed left out by one look-up of their links. Never one
    query that joins the people to the index to find those not in it: its plan rests on
    statistics a bulk load outgrows, and one planned for the index as it had been
    sorted all 425,000 people waiting, with their enquiries, for every batch of 500
    (1.5 s a batch, 40% of indexing the ten-year set)."""
    after: tuple[Any, Any] | None = None
    while True:
        step = Person.objects.order_by("created_at", "id")
        if after is not None:
            step = step.filter(created_at__gte=after[0]).exclude(
                created_at=after[0], id__lte=after[1]
            )
        walked = list(step.values_list("created_at", "id")[:batch])
        if not walked:
            return
        after = walked[-1]
        ids = [pk for _, pk in walked]
        linked = set(
            PersonLink.objects.filter(person_id__in=ids).values_list("person_id", flat=True)
        )
        waiting = [pk for pk in ids if pk not in linked]
        if waiting:
            yield list(
                Person.objects.filter(pk__in=waiting)
                .select_related("enquiry")
                .order_by("created_at", "id")
            )


@contextmanager
def _indexer() -> Iterator[Callable[[list[Person]], int]]:
    """Index a batch: on PostgreSQL, outside a transaction, written behind
    (``services.WrittenBehind``: the database writes one batch while the next is
    matched); elsewhere one batch after another (SQLite writes one transaction at a
    time, and a test's transaction is one connection's)."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield lambda people: services.index_people(people=people)
        return
    with services.WrittenBehind() as behind:
        yield behind.index


#: The cycle collector's thresholds while indexing (``_fewer_collections``).
_COLLECT_AFTER = (100_000, 50, 100)
#: Batches between two full collections while indexing.
_COLLECT_EVERY = 20


@contextmanager
def _fewer_collections() -> Iterator[Callable[[], None]]:
    """Run with the cycle collector's thresholds raised (``_COLLECT_AFTER``), then as
    they were. Python collects the youngest objects every 700 allocations net, and every
    object it holds every hundred or so of those; indexing holds hundreds of thousands
    of objects (the matcher's remembered views of names and dates, the batch's reading
    of the index) and allocates millions, so Python's defaults walked all of them about
    once a second: 12 s of every 40 s of indexing the ten-year set.

    Nearly everything indexing makes is freed by its reference count. What it leaves in
    cycles (some 200,000 objects a minute) is collected by the function yielded, called
    after each batch: every ``_COLLECT_EVERY`` batches a full collection, after which the
    objects still alive (the remembered views, mostly) are set aside (``gc.freeze``), so
    the next collection walks only what came after them. Without it the process's
    memory grew by half again over the ten-year set."""
    before = gc.get_threshold()
    gc.set_threshold(*_COLLECT_AFTER)
    batches = 0

    def after_batch() -> None:
        nonlocal batches
        batches += 1
        if batches % _COLLECT_EVERY == 0:
            gc.collect()
            gc.freeze()

    try:
        yield after_batch
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


class Progress:
    def __init__(self, total: int, stream: Any) -> None:
        self.total, self.stream, self.started = total, stream, time.monotonic()

    def __call__(self, done: int) -> None:
        took = time.monotonic() - self.started
        rate = done / took if took else 0.0
        width = 30
        filled = width * done // self.total if self.total else width
        self.stream.write(
            f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{self.total} people"
            f" ({rate:,.0f} a second)",
            ending="",
        )
        self.stream.flush()


class Command(BaseCommand):
    help = "The person index: 'mash people index' links people already recorded."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        index = sub.add_parser("index", help="index every person not yet in the index")
        index.add_argument("--batch", type=int, default=500, help="people a transaction")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] != "index":
            raise CommandError("unknown action")
        batch = options["batch"]
        if not 1 <= batch <= 10_000:
            raise CommandError("--batch must be from 1 to 10000")
        total = Person.objects.filter(index_link__isnull=True).count()
        progress = Progress(total, self.stderr) if options["verbosity"] else None
        done = 0
        # PostgreSQL plans each batch's reads by the index's statistics; a bulk load
        # outgrows them (autovacuum may be off, or not yet round), and a plan made for
        # an index a tenth its size read every key of every indexed person. So the
        # tables are vacuumed and analysed whenever the index has grown by half since.
        analysed, grown = _analyse(), 0
        with _fewer_collections() as collect, _indexer() as index:
            for people in _waiting(batch):
                indexed = index(people)
                collect()
                done += indexed
                grown += indexed
                if analysed is not None and grown >= max(_ANALYSE_AFTER, analysed // 2):
                    analysed, grown = _analyse(), 0
                if progress is not None:
                    progress(min(done, total))
        if progress is not None:
            self.stderr.write("")
        if done:
            # After a bulk load, fresh statistics: without them the planner guesses one
            # row for the whole index and search's plans go wrong.
            _analyse()
        self.stdout.write(
            f"{done} people indexed; {PersonLink.objects.count()} in the index in all."
        )
