"""``mash generate``: a hub's ten years of generated data, for measuring the pages at a
real hub's size (Faker, fixed seed: nothing real). See mash/operations/dataset.py.

    mash generate                     # 150,000 enquiries (a large county hub's ten years)
    mash generate --enquiries 1000 --seed 7   # the same hub's first 25 days

A progress bar goes to stderr. Run it on an empty database or beside ``mash demo``'s
data (the references never collide); never on a hub holding real cases.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mash.operations import dataset


class Progress:
    def __init__(self, total: int, stream: Any) -> None:
        self.total, self.stream, self.started = total, stream, time.monotonic()

    def __call__(self, done: int) -> None:
        took = time.monotonic() - self.started
        left = took / done * (self.total - done) if done else 0
        width = 30
        filled = width * done // max(self.total, 1)
        self.stream.write(
            f"\r[{'#' * filled}{'.' * (width - filled)}] {done:,}/{self.total:,} enquiries "
            f"{took:5.0f}s, about {left:5.0f}s left"
        )
        if done >= self.total:
            self.stream.write("\n")
        self.stream.flush()


class Command(BaseCommand):
    help = "Generate a hub's years of enquiries (fixed seed; nothing real)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--enquiries", type=int, default=150_000, help="how many (150,000)")
        parser.add_argument("--seed", type=int, default=dataset.SEED, help="Faker's seed")

    def handle(self, *args: Any, **options: Any) -> None:
        count = options["enquiries"]
        if count < 1:
            raise CommandError(f"--enquiries must be at least 1, not {count}")
        started = time.monotonic()
        summary = dataset.generate(
            enquiries=count,
            seed=options["seed"],
            progress=Progress(count, self.stderr) if options["verbosity"] else None,
            at_a_hub_s_rate=True,
        )
        self.stdout.write(
            f"Generated {summary.enquiries:,} enquiries, {summary.people:,} people, "
            f"{summary.requests:,} requests, {summary.decisions:,} decisions, "
            f"{summary.items:,} items shared, {summary.consents:,} consent records and "
            f"{summary.entries:,} record entries in {time.monotonic() - started:.0f}s."
        )
        # The dashboard's settled days counted now, as the worker would tonight: a hub
        # loaded with years of history reads them from the first page it opens.
        from mash.reports.services import count_figures

        counting = time.monotonic()
        rows = sum(c.rows for c in count_figures())
        self.stdout.write(
            f"Counted the dashboard's figures for the settled days ({rows:,} rows) in "
            f"{time.monotonic() - counting:.0f}s."
        )
