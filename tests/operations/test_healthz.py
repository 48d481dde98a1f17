"""``/healthz``: what a load balancer asks before sending an app server requests."""

from __future__ import annotations

import json
from typing import Any

import pytest

from mash.operations import views


@pytest.fixture(autouse=True)
def _forget_migrations_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(views, "_migrated", False)


def test_it_answers_ok_without_sign_in_and_records_nothing(client: Any, db: Any) -> None:
    from mash.records.models import RecordEntry

    before = RecordEntry.objects.count()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    assert json.loads(response.content) == {
        "status": "ok",
        "checks": {"database": "ok", "migrations": "ok"},
        "worker": "none",
    }
    assert RecordEntry.objects.count() == before
    assert "sessionid" not in response.cookies


def test_it_answers_503_while_migrations_are_pending(
    client: Any, db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db.migrations.executor import MigrationExecutor

    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [object()])
    response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content) == {
        "status": "failing",
        "checks": {"database": "ok", "migrations": "pending"},
        "worker": "none",
    }


def test_it_answers_503_when_the_database_cannot_be_reached(
    client: Any, db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db import OperationalError

    def refused(*args: Any, **kwargs: Any) -> Any:
        raise OperationalError("could not connect to server db.internal")

    monkeypatch.setattr(views, "connections", {"default": type("C", (), {"cursor": refused})()})
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.content.decode()
    assert json.loads(body) == {
        "status": "failing",
        "checks": {"database": "failing", "migrations": "unknown"},
        "worker": "unknown",
    }
    assert "db.internal" not in body


def test_it_refuses_a_post(client: Any, db: Any) -> None:
    assert client.post("/healthz").status_code == 405


def test_it_shows_the_workers_heartbeat_without_judging_by_it(client: Any, db: Any) -> None:
    import datetime as dt

    from django.utils import timezone

    from mash.timeliness.heartbeat import beat

    now = timezone.now()
    beat(worker_id="w", started_at=now, interval=5.0, faults=0, now=now)
    assert client.get("/healthz").json()["worker"] == "ok"
    beat(worker_id="w", started_at=now, interval=5.0, faults=0, now=now - dt.timedelta(hours=1))
    answer = client.get("/healthz")
    assert answer.status_code == 200 and answer.json()["worker"] == "stale"
