"""The database refuses to change or remove what the record holds.

Guidance, 7 Golden Rules, rule 7: "Keep a Record". The record is append-only in the
database itself, not only in the code: triggers refuse ``UPDATE`` and ``DELETE`` on
every row (and ``TRUNCATE`` on PostgreSQL) of the record and its checkpoints. The
triggers are the second wall: the first is the PostgreSQL grant that gives the hub's
role only ``INSERT`` and ``SELECT`` on these tables (docs/operations.md). A role that
owns the tables can drop the triggers, which is why checkpoints are signed and kept
outside the database too.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

APPEND_ONLY_TABLES = ("records_recordentry", "records_checkpoint", "records_checkpointtimestamp")
# The tables migration 0003 made append-only (0004 adds the timestamps' table).
FIRST_TABLES = APPEND_ONLY_TABLES[:2]

_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION records_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the record is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END;
$$
"""


def _statements(
    vendor: str, *, create: bool, tables: tuple[str, ...] = APPEND_ONLY_TABLES
) -> list[str]:
    out: list[str] = []
    if vendor == "postgresql":
        if create:
            out.append(_PG_FUNCTION)
        for table in tables:
            if create:
                out.append(
                    f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                    "FOR EACH ROW EXECUTE FUNCTION records_refuse_change()"
                )
                out.append(
                    f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                    "FOR EACH STATEMENT EXECUTE FUNCTION records_refuse_change()"
                )
            else:
                out.append(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
                out.append(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
    elif vendor == "sqlite":
        for table in tables:
            for operation in ("UPDATE", "DELETE"):
                name = f"{table}_no_{operation.lower()}"
                if create:
                    out.append(
                        f"CREATE TRIGGER {name} BEFORE {operation} ON {table} BEGIN "
                        f"SELECT RAISE(ABORT, 'the record is append-only: {operation} on "
                        f"{table} refused'); END"
                    )
                else:
                    out.append(f"DROP TRIGGER IF EXISTS {name}")
    else:  # pragma: no cover - only SQLite and PostgreSQL are supported
        raise NotImplementedError(f"no append-only triggers for {vendor}")
    return out


def install(connection: Any, tables: tuple[str, ...] = APPEND_ONLY_TABLES) -> None:
    """Create the triggers (the migrations call this)."""
    with connection.cursor() as cursor:
        for sql in _statements(connection.vendor, create=True, tables=tables):
            cursor.execute(sql)


def remove(connection: Any, tables: tuple[str, ...] = APPEND_ONLY_TABLES) -> None:
    """Drop the triggers: for the migration's reverse and for fault-injection tests only."""
    with connection.cursor() as cursor:
        for sql in _statements(connection.vendor, create=False, tables=tables):
            cursor.execute(sql)


def installed(connection: Any) -> bool:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT count(*) FROM pg_trigger WHERE tgname = %s",
                ["records_recordentry_append_only"],
            )
        else:
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = %s",
                ["records_recordentry_no_update"],
            )
        return bool(cursor.fetchone()[0])


@contextmanager
def suspended(connection: Any) -> Iterator[None]:
    """Drop the triggers for the duration, then put them back. Only for Django's test
    flush between transactional tests (tests/conftest.py); never in the hub."""
    present = installed(connection)
    if present:
        remove(connection)
    try:
        yield
    finally:
        if present:
            install(connection)


def let_test_flush_empty_the_record() -> None:
    """Patch Django's test flush so it can empty the append-only tables."""
    from django.db.backends.base.operations import BaseDatabaseOperations

    original = BaseDatabaseOperations.execute_sql_flush
    if getattr(original, "_mash_record_aware", False):
        return

    def execute_sql_flush(self: Any, sql_list: Iterable[str]) -> None:
        with suspended(self.connection):
            original(self, sql_list)

    execute_sql_flush._mash_record_aware = True  # type: ignore[attr-defined]
    BaseDatabaseOperations.execute_sql_flush = execute_sql_flush  # type: ignore[method-assign,assignment]
