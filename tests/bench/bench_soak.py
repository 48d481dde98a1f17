"""The hub rides out faults under load (issue 16): a bounded soak of the production server
on loopback, with the database's connections terminated and an app worker killed part
way, after which nothing acknowledged is lost and the record verifies intact
(``python -m tests.bench soak``; ``make bench-quick`` runs a short one).

Set-up as bench_load's (tests/bench/serving.py): a throwaway database (a fresh SQLite
file, or with ``DATABASE_URL`` a PostgreSQL database ``<name>_soak`` of its own, dropped
afterwards) filled by ``mash generate`` (``BENCH_SOAK_ENQUIRIES``, default 200), gunicorn
with ``mash serve``'s arguments (2 workers x 4 threads), and ``BENCH_SOAK_USERS``
(default 8) signed-in virtual users. Beside it runs ``mash worker``, signing a checkpoint
of the record every few seconds (each handed to the witness), as a hub's worker does.

Each user, on a keep-alive connection, asks pages (the enquiry list, an enquiry, a
decision record, the police inbox: each view leaves a record entry) and, one request in
four, records consent for a child through the API (a write: the consent record and its
record entry, one transaction). Every request carries its own ``X-Request-ID``, which
the hub stores as the record entries' correlation id. The phases, equal shares of
``BENCH_SOAK_MINUTES`` (default 4), each also bounded by its share of
``BENCH_SOAK_REQUESTS`` (default 40,000):

1. **steady**: nothing happens to the hub;
2. **connections terminated** (PostgreSQL only, skipped on SQLite and said so): every
   connection to the database (the app workers' and ``mash worker``'s) is ended with
   ``pg_terminate_backend``, at the phase's start and again half-way;
3. **worker killed**: one gunicorn app worker gets SIGKILL; gunicorn starts another;
4. **recovery**: nothing happens again.

A fault starts once the requests of the phase before have finished, so each error is
counted in the phase whose fault caused it. Printed: requests, errors (and their kinds)
and latency by phase, how long the killed worker took to be replaced, each app worker's
memory at the end of the steady phase and at the end (growth), ``mash worker``'s
heartbeat, and ``mash records verify``'s verdict with the witness.

Targets enforced (the run fails without them): no errors in the steady and recovery
phases; in a fault phase, none later than ``SETTLE_SECONDS`` after the fault was
over; **no lost write**: every consent the API answered 201 for is in the database with
its record entry, and every page answered 200 that records views has its record entry
(found by the request's id); the record verifies intact with the witness; the killed
worker was replaced; ``mash worker`` beat after the last fault; every app worker under
200 MB resident.
"""

from __future__ import annotations

import http.client
import io
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tests.bench.serving import (
    ROOT,
    Ask,
    Server,
    collect_static_meanwhile,
    headers_for,
    is_postgresql,
    json_body,
    prepare,
    quantile,
    rss_by_process,
    start_server,
    stop_server,
    use_database,
    warm,
)

USERS = int(os.environ.get("BENCH_SOAK_USERS", "8"))
MINUTES = float(os.environ.get("BENCH_SOAK_MINUTES", "4"))
REQUESTS = int(os.environ.get("BENCH_SOAK_REQUESTS", "40000"))
ENQUIRIES = int(os.environ.get("BENCH_SOAK_ENQUIRIES", "200"))
WORKERS, THREADS = 2, 4
WRITE_EVERY = 4  # one request in four records consent
SETTLE_SECONDS = 3.0  # after a fault is over, errors must stop within this
IDLE_SECONDS = 4.0  # gunicorn closes a keep-alive connection idle for 5 s
RSS_TARGET_MB = 200
CHECKPOINT_MINUTES = "0.05"  # mash worker signs a checkpoint every 3 s of activity
STEADY, TERMINATED, KILLED, RECOVERY = (
    "steady",
    "connections terminated",
    "worker killed",
    "recovery",
)
CONSENT = {
    "status": "given",
    "giver": "parental_responsibility",
    "giver_relationship": "mother",
    "agencies": ["police"],
    "purpose": "MASH enquiry: soak",
    "categories": ["health"],
    "information_covered": "Generated for the soak benchmark",
    "method": "verbal",
    "given_on": "2026-01-03",
    "given_time": "14:30",
}


@dataclass
class Done:
    """One request's outcome."""

    phase: str
    kind: str
    request_id: str
    status: int  # 0: no answer (the connection failed)
    seconds: float
    started: float  # time.monotonic()
    problem: str = ""
    consent_id: str = ""


@dataclass
class Soak:
    """The phases as the controller moves through them, and what the users did."""

    phase: str = STEADY
    stop: bool = False
    done: list[Done] = field(default_factory=list)
    in_flight: Counter[str] = field(default_factory=Counter)
    asked: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)
    fault_over: dict[str, float] = field(default_factory=dict)  # phase -> monotonic time
    last_fault_at: datetime | None = None  # wall clock, for the worker's heartbeat
    # When each fault began and was done (monotonic): a request overlapping one was in
    # flight when it struck.
    struck: list[tuple[float, float]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


READS = ("enquiry list", "enquiry page", "decision record", "police inbox")


def _ask(kind: str, world: dict[str, Any], n: int, csrf: str) -> Ask:
    pick = world[
        {"enquiry page": "enquiries", "decision record": "decisions"}.get(kind, "children")
    ]
    ident = pick[n % len(pick)]
    if kind == "enquiry list":
        return Ask("GET", "/enquiries/", "hub")
    if kind == "enquiry page":
        return Ask("GET", f"/enquiries/{ident}/", "hub")
    if kind == "decision record":
        return Ask("GET", f"/requests/decisions/{ident}", "hub")
    if kind == "police inbox":
        return Ask("GET", "/requests/", "police")
    return Ask(
        "POST",
        f"/api/v1/consent/people/{ident}/records",
        "hub",
        json_body(CONSENT),
        {"Cookie": f"csrftoken={csrf}", "X-CSRFToken": csrf},
    )


def _user(number: int, port: int, world: dict[str, Any], soak: Soak, per_phase: int) -> None:
    csrf = secrets.token_hex(16)  # 32 characters: Django accepts the unmasked secret
    conn: http.client.HTTPConnection | None = None
    last_used = 0.0
    n = number  # users start at different pages
    while not soak.stop:
        with soak.lock:
            phase = soak.phase
            if soak.asked[phase] >= per_phase:
                phase = ""
            else:
                soak.asked[phase] += 1
                soak.in_flight[phase] += 1
        if not phase:
            time.sleep(0.05)
            continue
        n += 1
        kind = "consent write" if n % WRITE_EVERY == 0 else READS[n % len(READS)]
        ask = _ask(kind, world, n * 7 + number, csrf)
        request_id = f"soak-{number}-{n}-{secrets.token_hex(6)}"
        headers = {**headers_for(ask, world, number), "X-Request-ID": request_id}
        started = time.monotonic()
        status, problem, consent_id = 0, "", ""
        # A write goes on a connection of its own (never retried); a read reuses the
        # user's keep-alive connection unless it has idled long enough to be closed.
        if ask.method == "POST" or conn is None or started - last_used > IDLE_SECONDS:
            if conn is not None:
                conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            conn.request(ask.method, ask.path, body=ask.body, headers=headers)
            response = conn.getresponse()
            body = response.read()
            status = response.status
            if ask.method == "POST" and status == 201:
                consent_id = str(json.loads(body)["id"])
            elif status not in (200, 201):
                problem = f"HTTP {status}"
        except (OSError, http.client.HTTPException, ValueError, KeyError) as error:
            problem = type(error).__name__
            conn.close()
            conn = None
        last_used = time.monotonic()
        if ask.method == "POST" and conn is not None:
            conn.close()
            conn = None
        with soak.lock:
            soak.in_flight[phase] -= 1
            soak.done.append(
                Done(
                    phase,
                    kind,
                    request_id,
                    status,
                    last_used - started,
                    started,
                    problem,
                    consent_id,
                )
            )
    if conn is not None:
        conn.close()


def _drain(soak: Soak, phase: str, timeout: float = 60.0) -> None:
    """Wait until the requests of ``phase`` have all been answered."""
    until = time.monotonic() + timeout
    while time.monotonic() < until:
        with soak.lock:
            if soak.in_flight[phase] <= 0:
                return
        time.sleep(0.02)


def _terminate_connections(soak: Soak) -> int:
    """End every connection to the soak's database but this one (pg_terminate_backend)."""
    import psycopg
    from django.db import connection

    with psycopg.connect(**connection.get_connection_params(), autocommit=True) as admin:
        began = time.monotonic()
        rows = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchall()
        soak.struck.append((began, time.monotonic()))
    return sum(1 for (ended,) in rows if ended)


def _kill_a_worker(server: Server, soak: Soak) -> float:
    """SIGKILL one app worker; how long gunicorn took to have a new one serving."""
    victim = server.worker_pids()[0]
    booted = server.log_text().count("Booting worker")  # before: the new one boots fast
    killed_at = time.monotonic()
    os.kill(victim, signal.SIGKILL)
    soak.struck.append((killed_at, time.monotonic()))
    while time.monotonic() - killed_at < 60:
        pids = server.worker_pids()
        if (
            victim not in pids
            and len(pids) >= server.workers
            and server.log_text().count("Booting worker") > booted
        ):
            took = time.monotonic() - killed_at
            soak.notes.append(f"worker {victim} killed (SIGKILL); replaced in {took:.1f}s")
            return took
        time.sleep(0.05)
    soak.notes.append(f"worker {victim} killed (SIGKILL); NOT replaced within 60 s")
    return -1.0


def _control(
    soak: Soak, server: Server, phases: list[str], seconds: float, rss: dict[str, Any]
) -> float:
    """Move through the phases, doing each one's fault once the phase before has
    drained; returns how long the killed worker took to be replaced (-1: it was not)."""
    replaced = 0.0
    previous = ""
    for phase in phases:
        with soak.lock:
            soak.phase = phase
        if previous:
            _drain(soak, previous)
        began = time.monotonic()
        if phase == TERMINATED:
            ended = _terminate_connections(soak)
            soak.notes.append(f"{ended} database connection(s) terminated at the phase's start")
            soak.fault_over[phase] = time.monotonic()
            time.sleep(seconds / 2)
            ended = _terminate_connections(soak)
            soak.notes.append(f"{ended} database connection(s) terminated half-way")
            soak.fault_over[phase] = time.monotonic()
            soak.last_fault_at = datetime.now(UTC)
        elif phase == KILLED:
            replaced = _kill_a_worker(server, soak)
            soak.fault_over[phase] = time.monotonic()
            soak.last_fault_at = datetime.now(UTC)
        while time.monotonic() - began < seconds:
            time.sleep(0.1)
        if phase == STEADY:
            rss["steady"] = rss_by_process(server.process.pid)
        previous = phase
    with soak.lock:
        soak.stop = True
    _drain(soak, previous)
    return replaced


def _chunks(values: list[str], size: int = 500) -> list[list[str]]:
    return [values[i : i + size] for i in range(0, len(values), size)]


def _lost(soak: Soak, recorded_kinds: set[str]) -> tuple[int, int, int, int]:
    """(writes acknowledged, writes lost, views acknowledged, views without their entry)."""
    from mash.consent.models import ConsentRecord
    from mash.records.models import RecordEntry

    writes = [d for d in soak.done if d.kind == "consent write" and d.status == 201]
    ids = [d.consent_id for d in writes]
    found = sum(ConsentRecord.objects.filter(pk__in=chunk).count() for chunk in _chunks(ids))
    entries = set()
    for chunk in _chunks([d.request_id for d in writes]):
        entries |= set(
            RecordEntry.objects.filter(
                correlation_id__in=chunk, action="consent.recorded"
            ).values_list("correlation_id", flat=True)
        )
    lost_writes = len(writes) - min(found, len(entries))
    views = [d.request_id for d in soak.done if d.kind in recorded_kinds and d.status == 200]
    seen: set[str] = set()
    for chunk in _chunks(views):
        seen |= set(
            RecordEntry.objects.filter(correlation_id__in=chunk).values_list(
                "correlation_id", flat=True
            )
        )
    return len(writes), lost_writes, len(views), len(views) - len(seen)


def _which_pages_record(port: int, world: dict[str, Any]) -> set[str]:
    """Ask each page once and see whether its view reached the record (by request id)."""
    from mash.records.models import RecordEntry

    kinds = set()
    for kind in READS:
        ask = _ask(kind, world, 0, "")
        request_id = f"soak-probe-{secrets.token_hex(8)}"
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.request(
            ask.method,
            ask.path,
            headers={**headers_for(ask, world, 0), "X-Request-ID": request_id},
        )
        status = conn.getresponse().status
        conn.close()
        if status != 200:
            raise RuntimeError(f"{kind}: HTTP {status} before the soak began")
        if RecordEntry.objects.filter(correlation_id=request_id).exists():
            kinds.add(kind)
    return kinds


def _start_worker(data: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "MASH_RECORD_CHECKPOINT_MINUTES": CHECKPOINT_MINUTES,
        "EMAIL_BACKEND": "console",
    }
    with (data / "worker.log").open("wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "mash.cli", "worker", "--interval", "1"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def _verify(witness: Path) -> tuple[int, str]:
    from django.core.management import CommandError, call_command

    out = io.StringIO()
    try:
        call_command("records", "verify", "--witness", str(witness), stdout=out)
    except CommandError as error:
        return error.returncode, out.getvalue() + str(error)
    return 0, out.getvalue()


def _report(soak: Soak, phases: list[str], skipped: list[str]) -> dict[str, bool]:
    """Print the phases' table; whether each phase's errors meet its target."""
    print(
        f"{'phase':<24} {'requests':>8} {'writes':>7} {'errors':>7} {'late':>5} "
        f"{'p50 ms':>8} {'p95 ms':>8}"
    )
    met = {}
    for phase in phases:
        done = [d for d in soak.done if d.phase == phase]
        errors = [d for d in done if d.problem]
        over = soak.fault_over.get(phase)
        late = [d for d in errors if over is None or d.started > over + SETTLE_SECONDS]
        times = [d.seconds for d in done if not d.problem] or [0.0]
        writes = sum(1 for d in done if d.kind == "consent write" and d.status == 201)
        print(
            f"{phase:<24} {len(done):>8} {writes:>7} {len(errors):>7} {len(late):>5} "
            f"{quantile(times, 50) * 1e3:>8.1f} {quantile(times, 95) * 1e3:>8.1f}"
        )
        for (kind, problem), count in sorted(Counter((d.kind, d.problem) for d in errors).items()):
            print(f"    {kind}: {problem} x{count}")
        if errors and over is not None:
            caught = sum(
                1
                for d in errors
                if any(
                    d.started <= end and began <= d.started + d.seconds
                    for began, end in soak.struck
                )
            )
            print(f"    ({caught} of them in flight when the fault struck)")
        met[phase] = bool(done) and not late
    for phase in skipped:
        print(f"{phase:<24} skipped: SQLite has no server connections to terminate")
    return met


def run() -> bool:
    data = Path(tempfile.mkdtemp(prefix="mash-bench-soak-"))
    drop = use_database(data, "soak")
    server: Server | None = None
    worker: subprocess.Popen[bytes] | None = None
    set_up = time.perf_counter()
    try:
        static = collect_static_meanwhile()
        world = prepare(enquiries=ENQUIRIES, users=USERS, label="soak")
        from django.db import connection, connections

        from mash.timeliness.models import WorkerHeartbeat

        phases = [STEADY, TERMINATED, KILLED, RECOVERY]
        skipped = []
        if not is_postgresql():
            phases.remove(TERMINATED)
            skipped.append(TERMINATED)
        seconds = MINUTES * 60 / len(phases)
        per_phase = max(1, REQUESTS // len(phases))
        server = start_server(data, workers=WORKERS, threads=THREADS, static=static)
        worker = _start_worker(data)
        port = server.port
        warm(port, world, [_ask(kind, world, 0, "") for kind in READS], times=WORKERS)
        csrf = secrets.token_hex(16)
        probe = _ask("consent write", world, 0, csrf)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.request("POST", probe.path, body=probe.body, headers=headers_for(probe, world, 0))
        response = conn.getresponse()
        if response.status != 201:
            raise RuntimeError(f"consent write: HTTP {response.status}: {response.read()[:500]!r}")
        conn.close()
        recorded = _which_pages_record(port, world) | {"consent write"}
        connections.close_all()

        print(
            f"soak: {connection.vendor}, {ENQUIRIES:,} enquiries, {USERS} users, "
            f"gunicorn {WORKERS} workers x {THREADS} threads and mash worker, "
            f"{len(phases)} phases of {seconds:.0f}s (at most {per_phase:,} requests each), "
            f"one request in {WRITE_EVERY} a consent write (set up in "
            f"{time.perf_counter() - set_up:.0f}s)"
        )
        soak = Soak()
        rss: dict[str, Any] = {}
        users = [
            threading.Thread(target=_user, args=(n, port, world, soak, per_phase))
            for n in range(USERS)
        ]
        began = time.perf_counter()
        for thread in users:
            thread.start()
        replaced = _control(soak, server, phases, seconds, rss)
        for thread in users:
            thread.join(timeout=120)
        took = time.perf_counter() - began
        rss["end"] = rss_by_process(server.process.pid)
        print(f"{len(soak.done):,} requests in {took:.1f}s ({len(soak.done) / took:,.0f}/s)")
        phase_met = _report(soak, phases, skipped)
        for note in soak.notes:
            print(f"  {note}")

        stop_server(worker)  # SIGTERM: it finishes its loop and stops
        stop_server(server.process)
        server_log = server.log_text()
        server = None
        acknowledged, lost, views, unrecorded = _lost(soak, recorded)
        print(
            f"writes acknowledged (201): {acknowledged:,}; lost: {lost} (target 0: "
            f"{'met' if lost == 0 else 'MISSED'})"
        )
        print(
            f"views answered 200 on pages that record them "
            f"({', '.join(sorted(recorded - {'consent write'}))}): "
            f"{views:,}; without their record entry: {unrecorded} (target 0: "
            f"{'met' if unrecorded == 0 else 'MISSED'})"
        )
        code, output = _verify(data / "witness")
        print("mash records verify --witness:")
        for line in output.strip().splitlines():
            print(f"    {line}")
        intact = code == 0 and "The record is intact" in output
        print(f"record intact afterwards: {'met' if intact else 'MISSED'}")

        beat = WorkerHeartbeat.objects.order_by("-beat_at").first()
        # It may meet a terminated connection as a fault, or reconnect before it notices
        # (Django's health check at the top of each loop): either way it must carry on.
        worker_ok = beat is not None and (
            soak.last_fault_at is None or beat.beat_at > soak.last_fault_at
        )
        if beat is not None:
            print(
                f"mash worker: {beat.loops} loops, {beat.faults} database fault(s) ridden out"
                + (f" (last: {beat.last_fault})" if beat.faults else "")
                + f", last beat {beat.beat_at:%H:%M:%S}"
                + (
                    f", after the last fault at {soak.last_fault_at:%H:%M:%S}"
                    if soak.last_fault_at
                    else ""
                )
                + f": {'met' if worker_ok else 'MISSED'}"
            )
        else:
            print("mash worker: no heartbeat: MISSED")

        print("app worker memory (RSS, MB): end of steady -> end (growth)")
        for pid in sorted(set(rss.get("steady", {})) | set(rss["end"])):
            before, after = rss.get("steady", {}).get(pid), rss["end"].get(pid)
            if before is not None and after is not None:
                print(f"    worker {pid}: {before:.0f} -> {after:.0f} ({after - before:+.0f})")
            elif before is not None:
                print(f"    worker {pid}: {before:.0f} -> killed")
            else:
                print(f"    worker {pid}: started during the run -> {after:.0f}")
        memory = bool(rss["end"]) and max(rss["end"].values()) < RSS_TARGET_MB
        print(
            f"largest app worker: {max(rss['end'].values(), default=0):.0f} MB "
            f"(target < {RSS_TARGET_MB} MB: {'met' if memory else 'MISSED'})"
        )
        was_replaced = replaced >= 0 and "Booting worker" in server_log
        print(f"killed worker replaced: {'met' if was_replaced else 'MISSED'}")
        for phase, ok in phase_met.items():
            what = "no errors" if phase not in soak.fault_over else "no errors once settled"
            print(f"{phase}: {what}: {'met' if ok else 'MISSED'}")
        return (
            all(phase_met.values())
            and lost == 0
            and unrecorded == 0
            and intact
            and worker_ok
            and memory
            and was_replaced
        )
    finally:
        stop_server(worker)
        stop_server(server.process if server is not None else None)
        from django.db import connections

        connections.close_all()
        drop()
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(0 if run() else 1)
