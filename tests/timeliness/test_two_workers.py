"""Two workers scanning at the same moment send each notice once (PostgreSQL: two real
connections racing for the notice's unique key)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections

from mash.timeliness import services
from mash.timeliness.models import Notice, Notification
from tests.timeliness.conftest import after, red_request


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL only: SQLite's in-memory test database cannot hold two writers",
)
def test_two_workers_scanning_at_once_escalate_once(
    transactional_db: Any, cast: dict[str, Any], agencies: dict[str, Any]
) -> None:
    req = red_request(cast, agencies)
    now = after(req, hours=4, minutes=1)
    start = threading.Barrier(4)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            start.wait()
            services.scan(now=now)
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert Notice.objects.filter(kind="escalation").count() == 1
    assert Notification.objects.filter(user__username="harriet").count() == 1
