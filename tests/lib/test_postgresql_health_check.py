"""The PostgreSQL connection's health check before a request reuses it
(``mash.lib.postgresql``): no round trip while the connection is plainly alive, and a
connection the server ended is still found out and replaced, so the request's first
query works (a 500 otherwise)."""

from __future__ import annotations

import time

import pytest
from django.db import connection

from mash.lib.postgresql.base import DatabaseWrapper

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the PostgreSQL backend's health check"
    ),
]


def _new_request() -> None:
    # What Django does when a request starts (``request_started``).
    connection.close_if_unusable_or_obsolete()


def test_a_live_idle_connection_is_reused_without_asking_the_server() -> None:
    assert connection.settings_dict["CONN_HEALTH_CHECKS"]
    # A connection of its own: one an earlier test left behind may be broken already.
    connection.close()
    connection.ensure_connection()
    raw = connection.connection
    assert DatabaseWrapper._quiet_and_idle(raw)
    _new_request()
    connection.close_if_health_check_failed()
    assert connection.connection is raw  # kept, and checked
    assert connection.health_check_done


def test_a_connection_the_server_ended_is_replaced_before_the_next_query() -> None:
    import psycopg

    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
    time.sleep(0.5)  # the server's goodbye reaches the socket
    old = connection.connection
    assert not DatabaseWrapper._quiet_and_idle(old)
    _new_request()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != pid
    assert connection.connection is not old
