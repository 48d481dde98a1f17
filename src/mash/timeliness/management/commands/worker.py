"""``mash worker``: run the background queue (reminders, escalations, digests, e-mails,
the daily retention sweep).

Run one or more, on any machines sharing the database. Each loop enqueues the periodic
runs that are due (claimed once across all workers), runs every queued task, and writes
the worker's heartbeat (``mash.timeliness.heartbeat``: the admin shows it, a health
endpoint reads it).

A lost database connection (the database restarted, a failover, connections
terminated) does not stop the worker: it logs the fault, drops its connections, waits
(backing off from the interval to ``MAX_BACKOFF`` seconds) and tries again, and carries
on claiming once the database answers. A task it was running when the connection went
is left claimed with no result (neither could be saved): once the database answers the
worker puts it back in the queue and runs it again (every task is safe to run twice); so
does the next worker to start on a machine for the tasks a killed worker there left.
Only ``--once`` (cron, tests) gives up, with the error, so cron reports it. Supervise
it anyway (systemd ``Restart=always`` or the container's restart policy;
docs/operations.md).
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import socket
import threading
import time
from collections.abc import Callable
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import (
    DatabaseError,
    InterfaceError,
    OperationalError,
    close_old_connections,
    connections,
)
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from mash.timeliness.heartbeat import beat
from mash.timeliness.scheduler import enqueue_due

logger = logging.getLogger("mash.worker")

MAX_BACKOFF = 60.0
# What a lost or refused connection raises (psycopg and sqlite3 both map to these).
CONNECTION_FAULTS: tuple[type[BaseException], ...] = (OperationalError, InterfaceError)


def backoff(failures: int, interval: float, cap: float = MAX_BACKOFF) -> float:
    """Seconds to wait after ``failures`` faults in a row: the interval, doubling."""
    base = max(interval, 0.5)
    return float(min(cap, base * (2 ** max(failures - 1, 0))))


def _requeue(left_by: Callable[[str], bool]) -> int:
    """Put back in the queue the tasks marked running whose worker (the last to claim
    each) ``left_by`` names: nobody will finish them, and no worker takes a running
    task. Every task is safe to run twice (mash.timeliness.tasks). Returns how many."""
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).values_list(
        "pk", "worker_ids"
    )
    left = [pk for pk, workers in running if workers and left_by(str(workers[-1]))]
    if not left:
        return 0
    return DBTaskResult.objects.filter(pk__in=left, status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.READY, started_at=None
    )


def requeue_interrupted(worker_id: str) -> int:
    """The tasks this worker was running when its database connection was lost: still
    marked running, their results unsaved."""
    return _requeue(lambda claimed_by: claimed_by == worker_id)


def _process_gone(pid: int) -> bool:
    if pid == os.getpid():
        return True  # an earlier life of this process id (a container's first process)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # some other user's process
    return False  # alive (perhaps another process under a reused id: left alone)


def requeue_orphaned(hostname: str, gone: Callable[[int], bool] = _process_gone) -> int:
    """At start: the tasks a worker on this machine was running when it was killed
    (``SIGKILL``, out of memory, the machine stopped), told by its id (``HOST-PID-N``)
    naming this host and a process that no longer exists. Workers on other machines
    are never judged from here."""

    def orphaned(claimed_by: str) -> bool:
        parts = claimed_by.rsplit("-", 2)
        return (
            len(parts) == 3 and parts[0] == hostname and parts[1].isdigit() and gone(int(parts[1]))
        )

    return _requeue(orphaned)


def describe(error: BaseException) -> str:
    """The fault in one short line for the log and the heartbeat: the kind of error and
    the driver's first line (connection faults name no personal data)."""
    first = (str(error).strip().splitlines() or [""])[0]
    return f"{type(error).__name__}: {first}"[:200]


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
        parser.add_argument(
            "--max-loops",
            type=int,
            default=0,
            help=argparse.SUPPRESS,  # tests: stop after this many loops
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.running = True

        def stop(signum: int, frame: FrameType | None) -> None:
            self.running = False

        previous: dict[int, Any] = {}
        if not options["once"] and threading.current_thread() is threading.main_thread():
            for signum in (signal.SIGINT, signal.SIGTERM):
                previous[signum] = signal.signal(signum, stop)
        try:
            self._loop(options)
        finally:
            for restored, handler in previous.items():
                signal.signal(restored, handler)

    def _loop(self, options: dict[str, Any]) -> None:
        interval = float(options["interval"])
        worker_id = f"{socket.gethostname()[:40]}-{os.getpid()}-{id(self) % 100000}"
        started_at = timezone.now()
        failures = 0
        faults = 0
        last_fault = ""
        last_fault_at = None
        loops = 0
        orphans_checked = False
        max_loops = int(options["max_loops"] or 0)
        while self.running:
            loops += 1
            try:
                close_old_connections()
                if not orphans_checked:
                    orphaned = requeue_orphaned(socket.gethostname()[:40])
                    orphans_checked = True
                    if orphaned:
                        logger.warning(
                            "worker %s: %d task(s) left running by a killed worker on this "
                            "machine queued again",
                            worker_id,
                            orphaned,
                        )
                if failures:
                    requeued = requeue_interrupted(worker_id)
                    if requeued:
                        logger.warning(
                            "worker %s: %d task(s) interrupted by the fault queued again",
                            worker_id,
                            requeued,
                        )
                if not options["no_schedule"]:
                    enqueue_due(timezone.now())
                self._run_queue(worker_id)
                beat(
                    worker_id=worker_id,
                    started_at=started_at,
                    interval=interval,
                    faults=faults,
                    last_fault=last_fault,
                    last_fault_at=last_fault_at,
                )
            except CONNECTION_FAULTS as error:
                if options["once"]:
                    raise
                failures += 1
                faults += 1
                last_fault, last_fault_at = describe(error), timezone.now()
                wait = backoff(failures, interval)
                logger.warning(
                    "worker %s: database fault (%s); reconnecting in %.1f s (attempt %d)",
                    worker_id,
                    last_fault,
                    wait,
                    failures,
                )
                self._drop_connections()
                self._sleep(wait)
                continue
            except DatabaseError:
                # Not a lost connection (a query the database refused): a bug to see.
                if options["once"]:
                    raise
                logger.exception("worker %s: database error in the loop", worker_id)
                self._drop_connections()
                self._sleep(backoff(1, interval))
                continue
            if failures:
                logger.info("worker %s: database reachable again; claiming", worker_id)
                failures = 0
            if options["once"] or (max_loops and loops >= max_loops):
                return
            self._sleep(interval)

    def _run_queue(self, worker_id: str) -> None:
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

    @staticmethod
    def _drop_connections() -> None:
        """Close every connection (a broken one cannot roll back or be reused); the next
        query opens a fresh one."""
        for connection in connections.all(initialized_only=True):
            try:
                connection.close()
            except DatabaseError:
                connection.connection = None  # already gone: forget it

    def _sleep(self, seconds: float, tick: Callable[[float], None] = time.sleep) -> None:
        slept = 0.0
        while self.running and slept < seconds:
            step = min(0.5, seconds - slept)
            tick(step)
            slept += step
