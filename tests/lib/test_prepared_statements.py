"""On PostgreSQL the server binds each statement's values and keeps the plan of a
statement a connection runs again (docs/decisions/0011-prepared-statements.md);
``DATABASE_PREPARED_STATEMENTS=off`` gives Django's defaults back, for a connection
pooler that keeps no prepared statements."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import pytest
from django.db import connection

from mash.lib.postgresql.base import PREPARED_MAX

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's"
)


def _settings_in_a_fresh_process(env: dict[str, str], expression: str) -> Any:
    """``expression`` on ``mash.settings`` (as ``s``), made in a fresh process with
    this environment (none of ``DATABASE_URL`` or ``DATABASE_PREPARED_STATEMENTS`` but
    what ``env`` gives)."""
    unset = ("DATABASE_URL", "DATABASE_PREPARED_STATEMENTS")
    environment = {k: v for k, v in os.environ.items() if k not in unset}
    environment.update(DJANGO_SETTINGS_MODULE="mash.settings", **env)
    out = subprocess.run(
        [sys.executable, "-c", f"import json, mash.settings as s; print(json.dumps({expression}))"],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def _options(**env: str) -> dict[str, object]:
    """The default database's OPTIONS on PostgreSQL."""
    env = {"DATABASE_URL": "postgres://mash@db.invalid:5432/mash", **env}
    return dict(_settings_in_a_fresh_process(env, "s.DATABASES['default'].get('OPTIONS', {})"))


def test_postgresql_binds_on_the_server_and_prepares_by_default() -> None:
    assert _options() == {"server_side_binding": True, "prepare_threshold": 2}


@pytest.mark.parametrize("value", ["off", "false", "0", "no"])
def test_an_operator_behind_a_pooler_turns_them_off(value: str) -> None:
    assert _options(DATABASE_PREPARED_STATEMENTS=value) == {}


def test_sqlite_is_unchanged() -> None:
    engine, options = _settings_in_a_fresh_process(
        {}, "[s.DATABASES['default']['ENGINE'], sorted(s.DATABASES['default'].get('OPTIONS', {}))]"
    )
    assert engine == "django.db.backends.sqlite3"
    assert "server_side_binding" not in options and "prepare_threshold" not in options


def _prepared_here() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_statement_is_prepared_once_it_has_run_twice_and_not_before() -> None:
    connection.close()
    connection.ensure_connection()
    assert connection.connection.prepared_max == PREPARED_MAX
    from mash.agencies.models import Agency

    Agency.objects.filter(code="once").exists()
    Agency.objects.filter(code="twice").exists()  # the same statement, another value
    assert not any("agencies_agency" in s for s in _prepared_here())
    Agency.objects.filter(code="thrice").exists()
    prepared = [s for s in _prepared_here() if "agencies_agency" in s]
    assert len(prepared) == 1
    # The value was bound by the server, not written into the statement.
    assert "thrice" not in prepared[0] and "$2" in prepared[0]


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_the_signed_in_request_statement_is_prepared_once_requests_repeat_it(
    client_for: Any,
) -> None:
    browser = client_for("hub_practitioner")
    connection.close()
    for _ in range(3):
        assert browser.get("/enquiries/").status_code == 200
    session = connection.ops.quote_name("agencies_session")
    user = connection.ops.quote_name("agencies_user")
    assert [s for s in _prepared_here() if f"FROM {session} LEFT OUTER JOIN {user}" in s]
