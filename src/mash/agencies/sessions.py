"""The session store: Django's database sessions (their rules, signing and expiry), kept
in ``agencies.SignedInSession``, which has the signed-in user's id beside the data, so
that the one read every request makes brings the user with it.

Every request from a signed-in person reads its session row, then its user (with their
agency and confirmed authenticators). Those were two round trips before a page's own
work, each a wait for the database on a busy machine (issue 13). Here the session is
read by one fixed SQL statement (``mash.agencies.backends.read_session``: the row whose
key is the cookie's and whose expiry is still ahead, as the ORM's query read it) that
joins its user's rows, and the authentication backend takes them from the store instead
of asking again. Django still decides who is signed in from the session's data and
checks the session's hash against the user, as before.

The user's id column is written from the data each time the session is saved (a
session is saved whenever its data changes, signing in included), so it never names
anyone the data does not. Writing, creating and deleting sessions are otherwise
Django's, unchanged.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends import db
from django.core.exceptions import ValidationError
from django.db import connections, router
from django.utils import timezone

from mash.agencies.backends import SESSION_ROWS_ATTR, read_session


class SessionStore(db.SessionStore):
    @classmethod
    def get_model_class(cls) -> Any:
        from mash.agencies.models import SignedInSession

        return SignedInSession

    def create_model_instance(self, data: dict[str, Any]) -> Any:
        session = super().create_model_instance(data)
        session.user_id = _user_id(session, data.get(SESSION_KEY))  # type: ignore[attr-defined]
        return session

    def _get_session_from_db(self) -> Any:
        setattr(self, SESSION_ROWS_ATTR, None)
        key = self.session_key  # None when the cookie's key is malformed (Django's check)
        if key is None:
            self._session_key = None
            return None
        model = self.model
        connection = connections[router.db_for_read(model)]
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        found = read_session(connection, key, now)
        if found is None:
            self._session_key = None
            return None
        data, signed_in = found
        setattr(self, SESSION_ROWS_ATTR, signed_in)
        # Django's ``load`` reads only the data from what this returns: no model
        # instance made for it on every request.
        return _Found(session_key=key, session_data=data)


class _Found(NamedTuple):
    """The session row as ``load`` reads it."""

    session_key: str
    session_data: str


def _user_id(session: Any, value: Any) -> Any:
    """The user id the session's data names, as the column takes it (None for nobody,
    or for an id that is not one: Django then signs nobody in from it either)."""
    if value is None:
        return None
    try:
        return session._meta.get_field("user").target_field.to_python(value)
    except ValidationError:
        return None
