"""``mash serve [HOST:PORT]``: the hub on its production server, gunicorn
(docs/decisions/0004-production-server.md, docs/operations.md "Serving the hub").

First the static files are collected (``collectstatic``: hashed names, Brotli and gzip twins
of each, served by WhiteNoise cached for a year), then this process becomes gunicorn's
master (``exec``), so signals from a service manager reach gunicorn itself: TERM stops
gracefully, HUP reloads the workers.

Each option falls back on the environment, then on a default for a small machine:

- ``HOST:PORT``: ``MASH_BIND``, default ``127.0.0.1:8000`` (a container binds 0.0.0.0);
- ``--workers``: ``WEB_CONCURRENCY``, default 2 x cores + 1, at most 8;
- ``--threads`` (per worker, gthread): ``MASH_THREADS``, default 4;
- ``--timeout`` (seconds a request may take before its worker is replaced):
  ``MASH_TIMEOUT``, default 30;
- ``--max-requests`` (a worker is replaced after this many, bounding its memory):
  ``MASH_MAX_REQUESTS``, default 2000 (0: never).

The access log (stdout) has each request's method, path (never its query string, which
could hold what someone searched for), status, size and time.
"""

from __future__ import annotations

import os
import re
import subprocess  # nosec B404
import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

ACCESS_LOG_FORMAT = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
BIND = re.compile(r"^(?:\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$|^unix:/.+$")


def default_workers() -> int:
    return min(2 * (os.cpu_count() or 1) + 1, 8)


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise CommandError(f"{name} must be a whole number, not {value!r}") from None


def gunicorn_arguments(
    *, bind: str, workers: int, threads: int, timeout: int, max_requests: int
) -> list[str]:
    """gunicorn's command line for these choices (``python -m gunicorn ...``)."""
    arguments = [
        "mash.wsgi:application",
        f"--bind={bind}",
        f"--workers={workers}",
        "--worker-class=gthread",
        f"--threads={threads}",
        f"--timeout={timeout}",
        f"--graceful-timeout={timeout}",
        "--keep-alive=5",
        "--access-logfile=-",
        f"--access-logformat={ACCESS_LOG_FORMAT}",
        "--error-logfile=-",
        # No runtime control socket: one fixed path per user would be shared by every
        # server started on the machine; a service manager's signals do the job.
        "--no-control-socket",
    ]
    if max_requests > 0:
        arguments += [
            f"--max-requests={max_requests}",
            f"--max-requests-jitter={max_requests // 10}",
        ]
    return arguments


class Command(BaseCommand):
    help = "Serve the hub with gunicorn (production server), static files collected first."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "addrport",
            nargs="?",
            help="HOST:PORT to listen on (default $MASH_BIND or 127.0.0.1:8000)",
        )
        parser.add_argument("--workers", type=int, help="worker processes ($WEB_CONCURRENCY)")
        parser.add_argument("--threads", type=int, help="threads per worker ($MASH_THREADS)")
        parser.add_argument("--timeout", type=int, help="request timeout, s ($MASH_TIMEOUT)")
        parser.add_argument("--max-requests", type=int, help="replace a worker after N requests")
        parser.add_argument(
            "--no-collectstatic",
            action="store_true",
            help="serve the static files already collected (a read-only image)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        bind = options["addrport"] or os.environ.get("MASH_BIND", "").strip() or "127.0.0.1:8000"
        if not BIND.match(bind):
            raise CommandError(f"HOST:PORT must look like 127.0.0.1:8000, not {bind!r}")

        def choice(option: str, variable: str, default: int) -> int:
            given = options[option]
            return given if given is not None else _env_int(variable, default)

        workers = choice("workers", "WEB_CONCURRENCY", default_workers())
        threads = choice("threads", "MASH_THREADS", 4)
        timeout = choice("timeout", "MASH_TIMEOUT", 30)
        max_requests = choice("max_requests", "MASH_MAX_REQUESTS", 2000)
        for name, value in (("workers", workers), ("threads", threads), ("timeout", timeout)):
            if value < 1:
                raise CommandError(f"--{name} must be at least 1, not {value}")
        if max_requests < 0:
            raise CommandError(f"--max-requests must be 0 or more, not {max_requests}")
        env = dict(os.environ)
        if not options["no_collectstatic"]:
            self.collect_static(env)
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            *gunicorn_arguments(
                bind=bind,
                workers=workers,
                threads=threads,
                timeout=timeout,
                max_requests=max_requests,
            ),
        ]
        self.stdout.write(
            f"Serving the hub on http://{bind} with gunicorn: {workers} workers x "
            f"{threads} threads, {timeout}s timeout (Ctrl-C to stop)"
        )
        self.stdout.flush()
        sys.stderr.flush()
        os.execve(sys.executable, command, env)  # noqa: S606 # nosec B606

    def collect_static(self, env: dict[str, str]) -> None:
        """``collectstatic`` in a process of its own, with the hashed and compressed
        storage (this process's settings chose the plain one if nothing was collected)."""
        env.setdefault("DJANGO_SETTINGS_MODULE", "mash.settings")
        done = subprocess.run(  # nosec B603
            [sys.executable, "-m", "django", "collectstatic", "--noinput", "--verbosity=0"],
            env={**env, "MASH_HASHED_STATIC": "1"},
            check=False,
        )
        if done.returncode != 0:
            raise CommandError(f"collectstatic into {settings.STATIC_ROOT} failed")
