"""SQL the reports share, the same on SQLite and PostgreSQL.

(The percentiles were ranked in SQL here until the dashboard's figures were counted by
day, ``mash.reports.days``: a period's durations are now kept per day and its median and
90th percentile taken in Python by ``mash.reports.stats.percentile``, ADR 0009.)
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Q


def list_holds(field: str, code: str) -> Q:
    """The rows whose JSON list of codes ``field`` holds ``code``. On PostgreSQL, jsonb
    containment (``@>``) on the stored value; cast to text and searched for the quoted
    code, as before, each row's JSON was rewritten as text first (most of the consent
    overrides' two seconds at ten years). SQLite has no JSON containment: there the
    list's text holds the quoted code (codes are plain words, never holding a quote)."""
    if connection.vendor == "postgresql":
        return Q(**{f"{field}__contains": [code]})
    return Q(**{f"{field}__icontains": f'"{code}"'})
