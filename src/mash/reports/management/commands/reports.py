"""``mash reports count-figures``: count the dashboard's settled days now.

The worker does this once a night (``REPORT_FIGURES_AT``, hub time, default 02:30);
run it by hand after loading a hub's history, or from cron where no worker runs. It
replaces each hub's stored figures whole (``mash.reports.services``) and prints, for
each hub, the last day counted, how many rows were stored and how long it took.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from mash.reports import services


class Command(BaseCommand):
    help = "Reports: count the dashboard's figures for the settled days (count-figures)."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True)
        commands.add_parser(
            "count-figures",
            help="count each hub's dashboard figures for the days that have settled",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        counted = services.count_figures()
        for one in counted:
            self.stdout.write(
                f"{one.hub}: figures counted through {one.through:%Y-%m-%d}, "
                f"{one.rows:,} rows stored"
            )
        if not counted:
            self.stdout.write("No active hub: nothing to count.")
        self.stdout.write(f"Took {time.monotonic() - started:.1f}s.")
