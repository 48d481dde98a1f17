"""Django's PostgreSQL backend with a health check that costs no round trip while the
connection is plainly alive, and room for the prepared statements of every page
(``PREPARED_MAX``).

``CONN_HEALTH_CHECKS`` (settings: connections are kept and checked before a request
reuses one, so a connection the server ended answers with a reconnect, not a 500) makes
Django send ``SELECT 1`` before the first query of every request: one more round trip
on every page, and on a busy machine each round trip waits for the scheduler twice.

A server that ends a connection (``pg_terminate_backend``, a restart, an idle timeout)
tells the client so, with an error message or by closing the socket, and either makes
the idle socket readable. So a reused connection whose socket has nothing to read is
taken as alive, as ``SELECT 1`` would have found it; one with something to read, or
one the client already knows is broken, gets Django's own check (``SELECT 1``, closed
if that fails). The check after a request that hit an error stays Django's.
"""

from __future__ import annotations

import select
from typing import Any

from django.db.backends.postgresql import base
from psycopg.pq import TransactionStatus

#: Prepared statements one connection keeps, the least recently used dropped beyond it
#: (psycopg's default is 100; the hub's pages between them run more distinct statements
#: than that, and a worker going from page to page would drop and prepare the same ones
#: over and over). Used only where statements are prepared at all (settings:
#: ``DATABASE_PREPARED_STATEMENTS``, docs/decisions/0011-prepared-statements.md).
PREPARED_MAX = 500


class DatabaseWrapper(base.DatabaseWrapper):  # type: ignore[misc]
    def get_new_connection(self, conn_params: dict[str, Any]) -> Any:
        connection = super().get_new_connection(conn_params)
        connection.prepared_max = PREPARED_MAX
        return connection

    def close_if_health_check_failed(self) -> None:
        wrapper: Any = self  # django-stubs do not know the health check's attributes
        if self.connection is None or not wrapper.health_check_enabled:
            return
        if wrapper.health_check_done:
            return
        if self._quiet_and_idle(self.connection):
            wrapper.health_check_done = True
            return
        super().close_if_health_check_failed()

    @staticmethod
    def _quiet_and_idle(connection: Any) -> bool:
        """True if the client sees the connection open, idle (no transaction) and with
        nothing from the server waiting to be read."""
        try:
            if connection.closed or connection.broken:
                return False
            if connection.info.transaction_status != TransactionStatus.IDLE:
                return False
            readable, _, _ = select.select([connection.pgconn.socket], [], [], 0)
        except Exception:  # anything odd: let Django's own check decide
            return False
        return not readable
