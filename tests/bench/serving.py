"""The hub served for a benchmark, shared by bench_load and bench_soak: a throwaway
database filled by ``mash generate``, virtual users signed in (two factors), gunicorn
with ``mash serve``'s arguments on loopback serving tests/bench/load_site.py, and the
workers' memory.

Everything is generated (nothing real) and thrown away afterwards: a fresh SQLite file
in a temporary data directory, or with ``DATABASE_URL`` a PostgreSQL database of its own
(``<name>_<suffix>``, dropped afterwards).

``BENCH_EXISTING=1`` serves the database ``DATABASE_URL`` names as it is, with its keys
in ``MASH_DATA_DIR`` (the ten-year set, made once with ``mash generate``: longer to make
than a benchmark should spend): nothing generated and nothing dropped; the benchmark's
users are made there once and signed in again each run. A copy made for measuring,
never a hub's.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]


def is_postgresql() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


def throwaway_database(data_dir: Path, suffix: str) -> tuple[dict[str, str], Callable[[], None]]:
    """The environment naming a fresh database for one run, and how to drop it."""
    if not is_postgresql():
        return {"MASH_DATA_DIR": str(data_dir)}, lambda: None
    import psycopg

    parts = urlsplit(os.environ["DATABASE_URL"])
    name = f"{parts.path.lstrip('/') or 'mash'}_{suffix}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return {
        "MASH_DATA_DIR": str(data_dir),
        "DATABASE_URL": urlunsplit(parts._replace(path=f"/{name}")),
    }, drop


EXISTING = os.environ.get("BENCH_EXISTING") == "1"


def use_database(data_dir: Path, suffix: str) -> Callable[[], None]:
    """Point this process (and the server it starts) at a throwaway database and the
    benchmark site; returns how to drop the database."""
    if EXISTING:
        if not (is_postgresql() and os.environ.get("MASH_DATA_DIR")):
            raise SystemExit("BENCH_EXISTING=1 needs DATABASE_URL and MASH_DATA_DIR")
        drop: Callable[[], None] = lambda: None  # noqa: E731 - the database stays
    else:
        env_db, drop = throwaway_database(data_dir, suffix)
        os.environ.update(env_db)
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.bench.load_site"
    os.environ.setdefault("SECURE_COOKIES", "false")
    os.environ["API_RATE_LIMIT"] = "1000000/min"
    return drop


def prepare(*, enquiries: int, users: int, label: str) -> dict[str, Any]:
    """Migrate, generate ``enquiries`` and sign in ``users`` accounts each in the hub and
    in police; the ids of pages to ask for (enquiries, decisions, children)."""
    import django

    django.setup()
    from django.contrib.auth import SESSION_KEY
    from django.core.management import call_command
    from django.db import connections
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY

    from mash.agencies.models import User
    from mash.enquiries.models import Enquiry, Person
    from mash.operations.dataset import generate
    from mash.sharing.models import Decision
    from tests.two_factor import confirmed_device

    call_command("migrate", verbosity=0, interactive=False)
    if EXISTING:
        print(f"{label}: {Enquiry.objects.count():,} enquiries as found")
    else:
        t0 = time.perf_counter()
        generate(enquiries=enquiries, at_a_hub_s_rate=True)
        print(f"{label}: generated {enquiries:,} enquiries in {time.perf_counter() - t0:.1f}s")
    generated = Enquiry.objects.filter(reference__startswith="GEN")
    hub = generated.values_list("hub_id", flat=True)[0]
    police = Decision.objects.filter(agency__kind="police").values_list("agency_id", flat=True)[0]

    def session_for(username: str, agency_id: Any) -> str:
        user = User.objects.filter(username=username).first() or User.objects.create_user(
            username=username,
            password=None,
            first_name="Bench",
            last_name=username,
            agency_id=agency_id,
            role="practitioner",
        )
        client = Client()
        client.force_login(user)  # the sign-in's signal notes when the session began
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = confirmed_device(user).persistent_id
        session.save()
        if session[SESSION_KEY] != str(user.pk):
            raise RuntimeError("the benchmark's session is not signed in")
        return session.session_key or ""

    sessions = {
        kind: [session_for(f"bench-{kind}-{n}", agency) for n in range(users)]
        for kind, agency in (("hub", hub), ("police", police))
    }
    world = {
        "enquiry_count": Enquiry.objects.count() if EXISTING else enquiries,
        "sessions": sessions,
        "enquiries": [str(pk) for pk in generated.order_by("?").values_list("pk", flat=True)[:200]],
        "decisions": [
            str(pk)
            for pk in Decision.objects.filter(request__enquiry__reference__startswith="GEN")
            .order_by("?")
            .values_list("pk", flat=True)[:200]
        ],
        "children": [
            str(pk)
            for pk in Person.objects.filter(
                enquiry__in=generated, enquiry__hub_id=hub, kind="child"
            )
            .order_by("?")
            .values_list("pk", flat=True)[:200]
        ],
    }
    connections.close_all()
    return world


@dataclass
class Server:
    """gunicorn serving the benchmark site, its log and its port."""

    process: subprocess.Popen[bytes]
    port: int
    log: Path
    workers: int

    def worker_pids(self) -> list[int]:
        return sorted(rss_by_process(self.process.pid))

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


def _server_env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def collect_static_meanwhile() -> Callable[[], None]:
    """Start collecting the static files as ``mash serve`` does (a process of its own,
    a dozen seconds here) while the database is prepared; returns the wait for it."""
    from mash.operations.management.commands.serve import Command

    failed: list[BaseException] = []

    def collect() -> None:
        try:
            Command().collect_static(_server_env())
        except BaseException as error:  # handed to the wait below
            failed.append(error)

    thread = threading.Thread(target=collect)
    thread.start()

    def wait() -> None:
        thread.join()
        if failed:
            raise failed[0]

    return wait


def start_server(
    data: Path,
    *,
    workers: int,
    threads: int,
    static: Callable[[], None] | None = None,
    access_log: bool = False,
) -> Server:
    """With the static files collected as ``mash serve`` does (``static``: the wait for
    ``collect_static_meanwhile``, else collected now), start gunicorn with its arguments
    on a free loopback port, and wait until every worker has booted."""
    from mash.operations.management.commands.serve import Command, gunicorn_arguments

    env = _server_env()
    if static is None:
        Command().collect_static(env)
    else:
        static()
    arguments = gunicorn_arguments(
        bind="127.0.0.1:0", workers=workers, threads=threads, timeout=60, max_requests=0
    )
    arguments[0] = "tests.bench.load_site:application"
    if not access_log:  # many users' lines would cost the server time the pages are timed by
        arguments = [a for a in arguments if not a.startswith("--access-log")]
    log = data / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", *arguments],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    port = 0
    for _ in range(600):
        text = log.read_bytes()
        found = re.search(rb"Listening at: http://127\.0\.0\.1:(\d+)", text)
        if found and text.count(b"Booting worker") >= workers:
            port = int(found.group(1))
            break
        if process.poll() is not None:
            break
        time.sleep(0.1)
    if not port:
        stop_server(process)
        raise RuntimeError(f"gunicorn did not start:\n{log.read_text(errors='replace')}")
    return Server(process=process, port=port, log=log, workers=workers)


def stop_server(process: subprocess.Popen[bytes] | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@dataclass
class Ask:
    """One request a virtual user makes."""

    method: str
    path: str
    who: str  # hub, police or nobody
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)


def headers_for(ask: Ask, world: dict[str, Any], number: int) -> dict[str, str]:
    """The request's headers: the user's session cookie (``who``), JSON's content type."""
    headers = {"Host": "127.0.0.1", **ask.headers}
    if ask.who != "nobody":
        cookie = f"sessionid={world['sessions'][ask.who][number]}"
        headers["Cookie"] = "; ".join(filter(None, [cookie, headers.get("Cookie", "")]))
    if ask.body is not None:
        headers["Content-Type"] = "application/json"
    return headers


def warm(port: int, world: dict[str, Any], asks: Iterable[Ask], *, times: int) -> None:
    """Ask each page ``times`` times with the first user's sessions (imports, first
    queries) before anything is measured."""
    asks = list(asks)
    for _ in range(times):
        for ask in asks:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            conn.request(ask.method, ask.path, body=ask.body, headers=headers_for(ask, world, 0))
            conn.getresponse().read()
            conn.close()


def json_body(value: Any) -> bytes:
    return json.dumps(value).encode()


def quantile(values: list[float], q: int) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def rss_by_process(master: int) -> dict[int, float]:
    """Each gunicorn worker's (the master's children) resident memory, MB, by pid."""
    lines = subprocess.run(
        ["ps", "-o", "pid=,rss=", "--ppid", str(master)],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.splitlines()
    out = {}
    for line in lines:
        pid, kb = line.split()
        out[int(pid)] = int(kb) / 1024
    return out
