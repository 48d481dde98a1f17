"""``mash worker``: run the background queue (reminders, escalations, digests, e-mails).

Run one or more, on any machines sharing the database. Each loop enqueues the periodic
runs that are due (claimed once across all workers), then runs every queued task.
"""

from __future__ import annotations

import signal
import socket
import time
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker

from mash.timeliness.scheduler import enqueue_due


class Command(BaseCommand):
    help = "Run the background queue: deadline reminders, escalations, digests and e-mail."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--interval", type=float, default=5.0, help="Seconds to wait when idle (5)."
        )
        parser.add_argument(
            "--once",
            action="store_true",
            help="Enqueue what is due, run every queued task, then stop (for cron and tests).",
        )
        parser.add_argument(
            "--no-schedule",
            action="store_true",
            help="Only run queued tasks; leave the periodic runs to `mash timeliness` (cron).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.running = True

        def stop(signum: int, frame: FrameType | None) -> None:
            self.running = False

        if not options["once"]:
            signal.signal(signal.SIGINT, stop)
            signal.signal(signal.SIGTERM, stop)
        worker_id = f"{socket.gethostname()[:40]}-{id(self) % 100000}"
        while self.running:
            close_old_connections()
            if not options["no_schedule"]:
                enqueue_due(timezone.now())
            Worker(
                queue_names=["default"],
                interval=0,
                batch=True,
                backend_name="default",
                startup_delay=False,
                max_tasks=None,
                worker_id=worker_id,
                excluded_queue_names=[],
            ).run()
            if options["once"]:
                return
            slept = 0.0
            while self.running and slept < options["interval"]:
                time.sleep(0.5)
                slept += 0.5
