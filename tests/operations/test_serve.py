"""``mash serve``: gunicorn, started as an operator would, answers the health check and
serves the static files under hashed names, compressed and cached for a year."""

from __future__ import annotations

import gzip
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from typing import Any

import brotli
import pytest

from mash.operations.management.commands.serve import gunicorn_arguments

STARTUP_SECONDS = 90


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``mash serve 127.0.0.1:0`` (the OS picks a free port) on a fresh SQLite data
    directory, nothing migrated; its address read from gunicorn's log."""
    data = tmp_path_factory.mktemp("serve")
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "STATIC_ROOT", "MASH_HASHED_STATIC"}
    }
    env.update(MASH_DATA_DIR=str(data), WEB_CONCURRENCY="1", MASH_THREADS="2")
    log = data / "serve.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "mash.cli", "serve", "127.0.0.1:0"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        address = None
        while address is None and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.2)
            found = re.search(rb"Listening at: (http://127\.0\.0\.1:\d+)", log.read_bytes())
            address = found.group(1).decode() if found else None
        booted = rb"Booting worker"
        while address and booted not in log.read_bytes() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert address, f"mash serve did not start:\n{log.read_text(errors='replace')}"
        yield address
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _get(url: str, **headers: str) -> tuple[int, Any, bytes]:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (loopback)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def test_it_answers_the_health_check_through_gunicorn(server: str) -> None:
    status, headers, body = _get(f"{server}/healthz")
    assert headers["Server"].startswith("gunicorn")
    # Nothing migrated in this fresh data directory: the health check says so.
    assert status == 503
    assert json.loads(body)["checks"] == {"database": "ok", "migrations": "pending"}


def test_it_serves_static_files_hashed_compressed_and_cached_for_a_year(server: str) -> None:
    _, _, page = _get(f"{server}/sign-in")
    linked = re.search(rb'href="(/static/mash/css/app\.[0-9a-f]{12}\.css)"', page)
    assert linked, "the sign-in page links the stylesheet under its hashed name"
    path = linked.group(1).decode()
    status, headers, body = _get(f"{server}{path}", **{"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert headers["Content-Type"].startswith("text/css")
    cache_control = headers["Cache-Control"]
    assert "immutable" in cache_control
    max_age = re.search(r"max-age=(\d+)", cache_control)
    assert max_age and int(max_age.group(1)) >= 365 * 24 * 3600
    stylesheet = gzip.decompress(body)
    assert b"{" in stylesheet
    status, headers, body = _get(f"{server}{path}", **{"Accept-Encoding": "br, gzip"})
    assert status == 200
    assert headers["Content-Encoding"] == "br"
    assert brotli.decompress(body) == stylesheet


def test_its_gunicorn_arguments_follow_the_choices() -> None:
    arguments = gunicorn_arguments(
        bind="0.0.0.0:8000", workers=3, threads=4, timeout=45, max_requests=1000
    )
    assert arguments[0] == "mash.wsgi:application"
    for expected in (
        "--bind=0.0.0.0:8000",
        "--workers=3",
        "--worker-class=gthread",
        "--threads=4",
        "--timeout=45",
        "--max-requests=1000",
        "--max-requests-jitter=100",
    ):
        assert expected in arguments
    assert not any(
        a.startswith("--max-requests")
        for a in gunicorn_arguments(
            bind="127.0.0.1:8000", workers=1, threads=1, timeout=30, max_requests=0
        )
    )


@pytest.mark.parametrize(
    ("arguments", "environment", "message"),
    [
        (["not an address"], {}, "HOST:PORT must look like 127.0.0.1:8000"),
        (["127.0.0.1:0"], {"MASH_THREADS": "many"}, "MASH_THREADS must be a whole number"),
        (["127.0.0.1:0", "--workers=0"], {}, "--workers must be at least 1"),
    ],
)
def test_it_refuses_a_bad_address_or_number(
    arguments: list[str],
    environment: dict[str, str],
    message: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from django.core.management import CommandError, call_command

    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    # Refused before anything is collected or started (so nothing here execs gunicorn).
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("serve", *arguments, "--no-collectstatic")
