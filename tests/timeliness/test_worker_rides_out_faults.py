"""``mash worker`` rides out a lost database connection (issue 16): it logs the fault,
waits with backoff, reconnects and claims again, and its heartbeat (admin, health
endpoint) shows it beat after the fault and how many faults it rode out. On PostgreSQL
the worker's own connection is terminated mid-loop with ``pg_terminate_backend``."""

from __future__ import annotations

import datetime as dt
import logging
import signal
from typing import Any

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection
from django.utils import timezone

from mash.timeliness import heartbeat
from mash.timeliness.management.commands import worker
from mash.timeliness.models import ScheduledRun, WorkerHeartbeat


def _run_worker(loops: int = 3) -> None:
    call_command("worker", "--interval", "0.01", "--max-loops", str(loops))


def test_backoff_doubles_from_the_interval_to_a_minute() -> None:
    assert [worker.backoff(n, 5.0) for n in (1, 2, 3, 4, 5)] == [5.0, 10.0, 20.0, 40.0, 60.0]
    assert worker.backoff(50, 5.0) == 60.0
    assert worker.backoff(1, 0.01) == 0.5  # never a busy loop


def test_the_worker_rides_out_a_lost_connection_and_claims_again(
    transactional_db: Any, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    real = worker.enqueue_due
    calls: list[int] = []

    def enqueue_due(now: dt.datetime) -> list[str]:
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real(now)

    monkeypatch.setattr(worker, "enqueue_due", enqueue_due)
    before = signal.getsignal(signal.SIGTERM)
    with caplog.at_level(logging.WARNING, logger="mash.worker"):
        _run_worker()
    assert len(calls) == 3  # the faulty loop, then two that claimed
    assert ScheduledRun.objects.filter(slot__startswith="scan:").exists()
    beat = WorkerHeartbeat.objects.get()
    assert beat.faults == 1 and beat.loops == 2
    assert beat.last_fault.startswith("OperationalError: server closed")
    assert "database fault" in caplog.text and "reconnecting in 0.5 s" in caplog.text
    assert signal.getsignal(signal.SIGTERM) == before  # the command put the handler back


def test_once_gives_up_with_the_error_for_cron(
    transactional_db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def enqueue_due(now: dt.datetime) -> list[str]:
        raise OperationalError("the database is down")

    monkeypatch.setattr(worker, "enqueue_due", enqueue_due)
    with pytest.raises(OperationalError):
        call_command("worker", "--once")


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL only: pg_terminate_backend ends a real server connection",
)
def test_its_connection_terminated_mid_loop_the_worker_reconnects(
    transactional_db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import psycopg

    real = worker.enqueue_due
    terminated: list[int] = []

    def enqueue_due(now: dt.datetime) -> list[str]:
        if not terminated:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                [pid] = cursor.fetchone()
            params = connection.get_connection_params()
            with psycopg.connect(**params, autocommit=True) as admin:
                admin.execute("SELECT pg_terminate_backend(%s)", [pid])
            terminated.append(pid)
        return real(now)  # the first call now finds its connection gone

    monkeypatch.setattr(worker, "enqueue_due", enqueue_due)
    _run_worker()
    assert terminated
    beat = WorkerHeartbeat.objects.get()
    assert beat.faults == 1 and beat.loops == 2
    assert ScheduledRun.objects.filter(slot__startswith="scan:").exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != terminated[0]


def _terminate_own_connection() -> int:
    """End this process's database connection from another one, as an operator's
    ``pg_terminate_backend`` or a failover would; returns the ended backend's pid."""
    import psycopg

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        [pid] = cursor.fetchone()
    with psycopg.connect(**connection.get_connection_params(), autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])
    return int(pid)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL only: pg_terminate_backend ends a real server connection",
)
def test_its_connection_terminated_mid_task_the_task_is_run_again(
    transactional_db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django_tasks_db.models import DBTaskResult

    from mash.timeliness import services

    real = services.scan
    terminated: list[int] = []

    def scan(*, now: dt.datetime) -> Any:
        if not terminated:  # the first run loses its connection part-way
            terminated.append(_terminate_own_connection())
        return real(now=now)

    monkeypatch.setattr(services, "scan", scan)
    _run_worker(loops=3)
    assert terminated
    beat = WorkerHeartbeat.objects.get()
    assert beat.faults == 1 and beat.loops == 2
    # The deadline scan the fault interrupted was not left claimed and never finished:
    # the worker put it back in the queue and ran it again (tasks are safe to run twice).
    assert not DBTaskResult.objects.filter(status="RUNNING").exists()
    scans = DBTaskResult.objects.filter(task_path__endswith="scan_deadlines")
    assert scans.exists()
    assert set(scans.values_list("status", flat=True)) == {"SUCCESSFUL"}


def test_only_the_tasks_this_worker_was_running_are_queued_again(db: Any) -> None:
    from django_tasks_db.models import DBTaskResult

    from mash.timeliness.tasks import scan_deadlines

    mine, theirs, done = (scan_deadlines.enqueue() for _ in range(3))
    rows = {r.pk: r for r in DBTaskResult.objects.all()}
    rows[_pk(mine)].claim("this-worker")
    rows[_pk(theirs)].claim("another-worker")  # still running elsewhere: left alone
    rows[_pk(done)].claim("this-worker")
    rows[_pk(done)].set_successful(0)
    assert worker.requeue_interrupted("this-worker") == 1
    statuses = dict(DBTaskResult.objects.values_list("pk", "status"))
    assert statuses == {
        _pk(mine): "READY",
        _pk(theirs): "RUNNING",
        _pk(done): "SUCCESSFUL",
    }


def _dead_pid() -> int:
    import subprocess
    import sys

    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    return gone.pid


def test_tasks_left_running_by_a_killed_worker_on_this_machine_are_run_again(
    transactional_db: Any,
) -> None:
    """A worker SIGKILLed mid-task leaves its task marked running; the next worker to
    start on the machine sees that process is gone, queues the task again and runs it.
    A live worker's task, or one on another machine, is left alone."""
    import os
    import socket

    from django_tasks_db.models import DBTaskResult

    from mash.timeliness.tasks import scan_deadlines

    host = socket.gethostname()[:40]
    killed, live, elsewhere = (scan_deadlines.enqueue() for _ in range(3))
    rows = {r.pk: r for r in DBTaskResult.objects.all()}
    rows[_pk(killed)].claim(f"{host}-{_dead_pid()}-1")
    rows[_pk(live)].claim(f"{host}-{os.getppid()}-1")
    rows[_pk(elsewhere)].claim(f"another-machine-{_dead_pid()}-1")
    _run_worker(loops=1)
    statuses = dict(DBTaskResult.objects.values_list("pk", "status"))
    assert statuses[_pk(killed)] == "SUCCESSFUL"
    assert statuses[_pk(live)] == "RUNNING"
    assert statuses[_pk(elsewhere)] == "RUNNING"


def _pk(result: Any) -> Any:
    """The queue row's primary key of an enqueued task's result."""
    import uuid

    return uuid.UUID(str(result.id))


def test_the_health_reads_the_heartbeat(db: Any) -> None:
    now = timezone.now()
    assert heartbeat.worker_health(now)["status"] == "none"
    heartbeat.beat(worker_id="w1", started_at=now, interval=5.0, faults=0, now=now)
    health = heartbeat.worker_health(now + dt.timedelta(seconds=20))
    assert health == {
        "status": "ok",
        "alive": 1,
        "workers": 1,
        "last_beat_at": now.isoformat(),
    }
    assert heartbeat.worker_health(now + dt.timedelta(minutes=5))["status"] == "stale"
    heartbeat.beat(worker_id="w1", started_at=now, interval=5.0, faults=2, now=now)
    assert WorkerHeartbeat.objects.get().loops == 2


def test_the_admin_lists_the_workers(admin_client: Any) -> None:
    now = timezone.now()
    heartbeat.beat(worker_id="host-1-2", started_at=now, interval=5.0, faults=1, now=now)
    page = admin_client.get("/admin/timeliness/workerheartbeat/")
    assert page.status_code == 200
    assert "host-1-2" in page.content.decode()
