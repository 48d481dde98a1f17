"""``mash.lib.postgresql.arrays.quick_arrays``: arrays written by quoting every element
(``mash generate`` and ``mash people index`` on PostgreSQL) reach the database as
psycopg's own writing of them would, and the connection is left as it was."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.db import connection

from mash.lib.postgresql.arrays import quick_arrays

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only"),
]

AWKWARD = ["plain", 'a "quoted" word', "back\\slash", "a, comma", "{braces}", "", " ", None]


@pytest.mark.parametrize(
    ("values", "cast"),
    [
        (AWKWARD, "TEXT[]"),
        ([uuid.UUID(int=1), uuid.UUID(int=2**128 - 1), None], "UUID[]"),
        ([0, -7, 2**40, None], "BIGINT[]"),
        ([dt.datetime(2026, 12, 4, 18, 0, tzinfo=dt.UTC), None], "TIMESTAMPTZ[]"),
        ([], "TEXT[]"),
    ],
)
def test_values_arrive_as_psycopg_would_send_them(values: list[object], cast: str) -> None:
    sql = f"SELECT CAST(%s AS {cast})"
    with connection.cursor() as cursor:
        cursor.execute(sql, [values])
        expected = cursor.fetchone()[0]
        with quick_arrays(connection):
            cursor.execute(sql, [values])
            assert cursor.fetchone()[0] == expected == values


def test_the_connection_is_left_as_it_was_even_when_nested() -> None:
    from psycopg.adapt import PyFormat

    connection.ensure_connection()
    adapters = connection.connection.adapters
    before = adapters.get_dumper(list, PyFormat.TEXT)
    with quick_arrays(connection):
        quick = adapters.get_dumper(list, PyFormat.TEXT)
        assert quick is not before
        with quick_arrays(connection):
            pass
        assert adapters.get_dumper(list, PyFormat.TEXT) is quick
    assert adapters.get_dumper(list, PyFormat.TEXT) is before
