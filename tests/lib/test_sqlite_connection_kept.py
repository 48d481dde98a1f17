"""On SQLite (the embedded default) each thread keeps its database connection between
requests, as on PostgreSQL (issue 13: opening the file and running the PRAGMAs cost a
signed-in request more than all of its queries). A kept connection still has every
PRAGMA the settings ask for, and one that a request left inside a transaction is closed,
not kept (Django's own rule), so a kept connection never holds a writer or a checkpoint
back. Run in a fresh interpreter with the hub's own settings: the test client turns
Django's end-of-request connection handling off."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

_SCRIPT = """
import json, django
django.setup()
from django.core.signals import request_finished, request_started
from django.db import connection

def request(work=lambda: None):
    request_started.send(sender=None)
    work()
    request_finished.send(sender=None)

def read_pragma():
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA secure_delete")
        seen["secure_delete"] = cursor.fetchone()[0]
        cursor.execute("PRAGMA journal_mode")
        seen["journal_mode"] = cursor.fetchone()[0]

seen = {}
request(read_pragma)
first = connection.connection
request(read_pragma)
seen["kept"] = first is not None and connection.connection is first
request(lambda: connection.set_autocommit(False))
seen["closed_after_open_transaction"] = connection.connection is None
seen["vendor"] = connection.vendor
print(json.dumps(seen))
"""


def test_a_thread_keeps_its_sqlite_connection_between_requests(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["DJANGO_SETTINGS_MODULE"] = "mash.settings"
    env["MASH_DATA_DIR"] = str(tmp_path)
    out = subprocess.run(
        [sys.executable, "-c", _SCRIPT], env=env, capture_output=True, text=True, check=True
    )
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert seen["vendor"] == "sqlite"
    assert seen["kept"] is True
    assert seen["secure_delete"] == 1 and seen["journal_mode"] == "wal"
    assert seen["closed_after_open_transaction"] is True
