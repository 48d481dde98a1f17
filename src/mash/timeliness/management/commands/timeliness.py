"""``mash timeliness scan|digest``: enqueue a deadline scan or the daily digest now.

For hubs that schedule with cron instead of the worker's own schedule (run the workers
with ``mash worker --no-schedule``); see docs/operations.md.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from mash.timeliness.tasks import daily_digest, scan_deadlines


class Command(BaseCommand):
    help = "Enqueue a deadline scan (scan) or the daily digest (digest) for the workers."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("job", choices=["scan", "digest"])

    def handle(self, *args: Any, **options: Any) -> None:
        task = scan_deadlines if options["job"] == "scan" else daily_digest
        result = task.enqueue()
        self.stdout.write(f"Queued {options['job']} ({result.id}).")
