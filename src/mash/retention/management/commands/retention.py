"""``mash retention``: apply the hub's retention schedules.

- ``mash retention sweep [--batch-size N] [--dry-run] [--vacuum-full] [--today DATE]`` destroys
  everything past its retention that no hold keeps, one enquiry per transaction, and
  prints its progress after each batch. ``--dry-run`` counts and destroys nothing.
  Safe to stop at any point (a killed run leaves no half-deleted enquiry; the next
  run finishes the job) and to run again (it finds nothing twice). Schedule it daily
  (`mash worker` does, at RETENTION_SWEEP_AT; or cron: docs/operations.md). ``--vacuum-full``
  then rewrites the tables that held destroyed text (PostgreSQL keeps deleted rows'
  bytes in their pages until then).

  In a hub whose retention settings require the DPO's approval of each batch, the sweep
  destroys only batches the DPO has approved, and says when it has planned a new batch
  awaiting approval (with the page to decide it on), and how many records of earlier
  batches still wait.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Count
from django.urls import reverse

from mash.retention import services
from mash.retention.models import BatchStatus, SweepBatch, SweepBatchItem, SweepRun


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--today: not a date (YYYY-MM-DD): {value!r}", returncode=2) from None


class Command(BaseCommand):
    help = "Apply retention schedules: destroy what has passed its retention and is not held."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True)
        sweep = commands.add_parser("sweep", help="destroy what has passed its retention")
        sweep.add_argument(
            "--batch-size",
            type=int,
            default=services.DEFAULT_BATCH_SIZE,
            help=f"enquiries planned at a time (default {services.DEFAULT_BATCH_SIZE})",
        )
        sweep.add_argument("--dry-run", action="store_true", help="count, destroy nothing")
        sweep.add_argument(
            "--vacuum-full",
            action="store_true",
            help="then rewrite the tables that held destroyed text (PostgreSQL: VACUUM "
            "FULL, which locks each table while it runs; SQLite: VACUUM)",
        )
        sweep.add_argument(
            "--today", help="the date to apply the schedules on (default: today; for tests)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "sweep":
            self.sweep(options)

    def sweep(self, options: dict[str, Any]) -> None:
        if not 1 <= options["batch_size"] <= services.MAX_BATCH_SIZE:
            raise CommandError(
                f"--batch-size must be from 1 to {services.MAX_BATCH_SIZE}", returncode=2
            )
        today = _date(options["today"]) if options["today"] else None
        dry_run = options["dry_run"]

        def progress(at: services.Progress) -> None:
            run = at.run
            verb = "would destroy" if dry_run else "destroyed"
            self.stdout.write(
                f"{at.examined}/{at.total} enquiries examined; {verb} "
                f"{run.records_destroyed} records ({run.enquiries_destroyed} whole "
                f"enquiries); {run.held} enquiries held"
            )
            self.stdout.flush()

        run = services.sweep(
            today=today, batch_size=options["batch_size"], dry_run=dry_run, progress=progress
        )
        if options["vacuum_full"] and not dry_run:
            services.vacuum_full()
            self.stdout.write("Tables that held destroyed text rewritten (VACUUM).")
        self.stdout.write(
            f"Sweep {run.pk} {'(dry run) ' if dry_run else ''}finished: "
            f"{run.enquiries_examined} enquiries examined, {run.records_destroyed} records "
            f"{'would be ' if dry_run else ''}destroyed ({run.enquiries_destroyed} whole "
            f"enquiries), {run.held} enquiries held."
        )
        if not dry_run:
            self.report_batches(run)

    def report_batches(self, run: SweepRun) -> None:
        """What the run did with batches the DPO approves (hubs that require it)."""
        for batch in SweepBatch.objects.filter(destroyed_by=run).order_by("created_at"):
            self.stdout.write(
                f"Approved batch {batch.pk} destroyed: {batch.records_destroyed} records "
                f"destroyed, {batch.records_kept} kept (held or no longer past retention)."
            )
        planned = run.batches.annotate(
            records=Count("items"), enquiries=Count("items__enquiry_id", distinct=True)
        ).order_by("created_at")
        for batch in planned:
            self.stdout.write(
                f"Batch {batch.pk} awaits the DPO's approval: {batch.records} records in "  # type: ignore[attr-defined]
                f"{batch.enquiries} enquiries; nothing in it is destroyed until approved "  # type: ignore[attr-defined]
                f"({reverse('retention:batch', kwargs={'batch_id': batch.pk})})."
            )
        earlier = (
            SweepBatchItem.objects.filter(batch__status=BatchStatus.PENDING)
            .exclude(batch__planned_by=run)
            .count()
        )
        if earlier:
            self.stdout.write(
                f"{earlier} records in earlier batches still await the DPO's approval."
            )
