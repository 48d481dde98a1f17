"""The health check a load balancer asks (docs/operations.md, "Health check").

``GET /healthz`` answers 200 ``{"status": "ok", ...}`` when this app server can reach its
database and every migration it knows of is applied, 503 with the failing check named
otherwise, and the background worker's heartbeat (``"worker"``, which never makes it a
503). It needs no sign-in, shows nothing about anybody (no counts, no versions, no
error text, which could carry a host name or a query) and records nothing.
"""

from __future__ import annotations

import logging

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

# Once every migration is applied it stays so for the life of the process (a deploy that
# brings new migrations starts new processes), so the migration graph is loaded once.
_migrated = False


def _database_reachable() -> bool:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        logger.warning("health check: the database could not be reached", exc_info=True)
        return False


def _migrations_applied() -> bool:
    global _migrated
    if _migrated:
        return True
    try:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError:
        logger.warning("health check: the migrations could not be read", exc_info=True)
        return False
    _migrated = not pending
    return _migrated


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": "ok" if _database_reachable() else "failing"}
    if checks["database"] == "ok":
        checks["migrations"] = "ok" if _migrations_applied() else "pending"
    else:
        checks["migrations"] = "unknown"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {
            "status": "ok" if healthy else "failing",
            "checks": checks,
            "worker": _worker() if checks["database"] == "ok" else "unknown",
        },
        status=200 if healthy else 503,
    )


def _worker() -> str:
    """The background worker's heartbeat (``mash.timeliness.heartbeat``): ``ok`` (a
    worker beat recently), ``stale`` (none has for a while: stopped, or cut off from the
    database) or ``none`` (never run here). Shown, not judged: a stopped worker does not
    make this app server unfit for requests, so it never turns the answer into a 503;
    alert on ``"worker": "stale"`` instead (docs/operations.md)."""
    from mash.timeliness.heartbeat import worker_health

    try:
        return str(worker_health()["status"])
    except DatabaseError:
        logger.warning("health check: the worker heartbeat could not be read", exc_info=True)
        return "unknown"
