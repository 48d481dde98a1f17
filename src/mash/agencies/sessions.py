"""The session store: Django's database sessions (``django.contrib.sessions``' own
table, model and rules), with the one read every request makes as a fixed SQL statement
instead of a query the ORM builds again each time.

Every request from a signed-in person reads its session row; building that query
through the ORM cost more CPU than the database took to answer it. The statement is
the ORM's own: the row whose key is the cookie's and whose expiry is still ahead.
Writing, creating and deleting sessions are Django's, unchanged.
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone

# Django's session table (``django.contrib.sessions.models.Session``); the same rows the
# ORM's ``Session.objects.get(session_key=..., expire_date__gt=now)`` reads.
_READ = "SELECT session_data FROM django_session WHERE session_key = %s AND expire_date > %s"


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> Any:
        key = self.session_key  # None when the cookie's key is malformed (Django's check)
        if key is None:
            self._session_key = None
            return None
        model = self.model
        alias = router.db_for_read(model)
        connection = connections[alias]
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(_READ, [key, now])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return model(session_key=key, session_data=row[0])
