"""The hub's authentication backends: the signed-in user of every request in one fixed
query (``SignedInUserInOneQuery``), and django-axes' lockout check, for sign-ins that come
through a web request.

Every sign-in page of the hub passes the request to ``authenticate`` (the lockout counts
per username and address, so it needs one). A call with no request (a management command,
a script checking a password) has no address to lock and nobody to show the lockout
page to: it goes straight to the password check, as ``authenticate`` always did.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, NamedTuple

from axes.backends import AxesStandaloneBackend
from django.contrib.auth.backends import ModelBackend
from django.db import connections, router

# Where a user loaded for a request keeps their confirmed authenticators, by persistent id,
# for ``mash.agencies.middleware.HubOTPMiddleware`` (no second query for the device).
PREFETCHED_DEVICES_ATTR = "_mash_confirmed_devices"


class _Statement(NamedTuple):
    """The one statement ``get_user`` runs on a connection, with what reading its rows
    needs: where each model's columns start, their names (for ``Model.from_db``) and the
    converters the ORM would apply to each column (backend's, then the field's)."""

    sql: str
    by_session: str  # the same, found by the session's key (``read_session``)
    user_names: tuple[str, ...]
    agency_names: tuple[str, ...]
    device_names: tuple[str, ...]
    agency_pk: int  # where the agency's primary key is among its columns
    device_pk: int
    confirmed: Any  # ``confirmed=True`` as this database takes it
    converters: tuple[tuple[int, tuple[Any, ...], Any], ...]


# The statement with its converters, by connection (the backend's converters are the
# connection's own methods; the SQL is made again only for a new connection).
_STATEMENTS: weakref.WeakKeyDictionary[Any, _Statement] = weakref.WeakKeyDictionary()


_MODELS: tuple[Any, Any, Any, Any] | None = None


def _models() -> tuple[Any, Any, Any]:
    """The user, agency and device models, imported on first use (as before: importing
    this module needs no app registry), then kept."""
    return _all_models()[:3]


def _all_models() -> tuple[Any, Any, Any, Any]:
    global _MODELS
    if _MODELS is None:
        from mash.agencies.models import Agency, SealedTOTPDevice, SignedInSession, User

        _MODELS = (User, Agency, SealedTOTPDevice, SignedInSession)
    return _MODELS


def _columns(model: Any) -> list[Any]:
    table = model._meta.db_table
    return [field.get_col(table) for field in model._meta.concrete_fields]


def _sql(connection: Any, *, by_session: bool = False) -> str:
    """What the ORM's two queries asked, as one: the user (by primary key) with their
    agency (``select_related("agency")``, a LEFT JOIN: the agency may be empty) and their
    confirmed authenticators (a LEFT JOIN: a user mid-enrolment has none), every column of
    each, as ``Model.from_db`` takes them. ``by_session``: the same, found by a session's
    key, with the session's data first: the session row whose key is the cookie's and
    whose expiry is still ahead (the ORM's ``Session.objects.get(session_key=...,
    expire_date__gt=now)``), LEFT JOIN its user (a session may have nobody signed in)."""
    user_model, agency_model, device_model, session_model = _all_models()
    q = connection.ops.quote_name

    def column(model: Any, field_name: str) -> str:
        field = model._meta.get_field(field_name)
        return f"{q(model._meta.db_table)}.{q(field.column)}"

    select = ", ".join(
        f"{q(col.alias)}.{q(col.target.column)}"
        for model in (user_model, agency_model, device_model)
        for col in _columns(model)
    )
    user_pk = column(user_model, user_model._meta.pk.name)
    agency_pk = column(agency_model, agency_model._meta.pk.name)
    joins = (
        f" LEFT OUTER JOIN {q(agency_model._meta.db_table)}"
        f" ON ({column(user_model, 'agency')} = {agency_pk})"
        f" LEFT OUTER JOIN {q(device_model._meta.db_table)}"
        f" ON ({column(device_model, 'user')} = {user_pk}"
        f" AND {column(device_model, 'confirmed')} = %s)"
    )
    # Table and column names from the models' _meta, quoted; the values are parameters.
    if not by_session:
        return f"SELECT {select} FROM {q(user_model._meta.db_table)}{joins} WHERE {user_pk} = %s"  # noqa: S608 # nosec B608
    sessions = q(session_model._meta.db_table)
    return (
        f"SELECT {column(session_model, 'session_data')}, {select} FROM {sessions}"  # noqa: S608 # nosec B608
        f" LEFT OUTER JOIN {q(user_model._meta.db_table)}"
        f" ON ({column(session_model, 'user')} = {user_pk}){joins}"
        f" WHERE {column(session_model, 'session_key')} = %s"
        f" AND {column(session_model, 'expire_date')} > %s"
    )


def _statement(connection: Any) -> _Statement:
    statement = _STATEMENTS.get(connection)
    if statement is not None:
        return statement
    user_model, agency_model, device_model = _models()
    columns = [col for model in (user_model, agency_model, device_model) for col in _columns(model)]
    converters = []
    for position, col in enumerate(columns):
        # As the ORM's compiler (``SQLCompiler.get_converters``) finds them for a column.
        found = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
        if found:
            converters.append((position, tuple(found), col))
    statement = _Statement(
        sql=_sql(connection),
        by_session=_sql(connection, by_session=True),
        user_names=tuple(f.attname for f in user_model._meta.concrete_fields),
        agency_names=tuple(f.attname for f in agency_model._meta.concrete_fields),
        device_names=tuple(f.attname for f in device_model._meta.concrete_fields),
        agency_pk=_pk_index(agency_model),
        device_pk=_pk_index(device_model),
        confirmed=device_model._meta.get_field("confirmed").get_db_prep_value(True, connection),
        converters=tuple(converters),
    )
    _STATEMENTS[connection] = statement
    return statement


class SignedInUserInOneQuery:
    """``get_user`` (the signed-in person of every request, from the session) in one
    query instead of three: the user, their agency and their confirmed authenticators
    together (``request.user.agency`` and django-otp's device look-up each cost a query
    of their own before). The same checks as Django's ``ModelBackend.get_user``: the user
    exists and may sign in (active); the session's checks (its auth hash, the backend)
    stay Django's, and the device is still checked against the session by django-otp's
    own rules (it belongs to this user and is confirmed).

    The query is a fixed SQL statement, built once from the models' ``_meta`` (issue 13:
    the ORM spent more CPU building the query than the database took to answer it, as
    with the session's read in ``mash.agencies.sessions``). The objects it gives are
    those the ORM's ``select_related`` gave: made by ``Model.from_db`` from values that
    went through the ORM's own converters, the agency in the user's related-object
    cache (``None`` for no agency), the user in each device's.

    Within a request, the session's own read has usually brought these rows already
    (``read_session``, ``reading``): they are taken from the session, without a query,
    when they are the rows of the user asked for."""

    def get_user(self, user_id: Any) -> Any:
        user_model = _models()[0]
        alias = router.db_for_read(user_model)
        connection = connections[alias]
        statement = _statement(connection)
        # The request's session brought its user's rows with it (``read_session``): no
        # second round trip. Used only when they are the rows of the user asked for.
        session = _READING.get()
        user = _user_from(getattr(session, SESSION_ROWS_ATTR, None), statement, alias, connection)
        if user is not None and str(user.pk) == str(user_id):
            setattr(session, SESSION_ROWS_ATTR, None)  # once: a second asking reads afresh
        else:
            user_pk = user_model._meta.pk.get_db_prep_value(user_id, connection)
            with connection.cursor() as cursor:
                cursor.execute(statement.sql, [statement.confirmed, user_pk])
                user = _user_from(cursor.fetchall(), statement, alias, connection)
        if user is None:
            return None
        return user if self.user_can_authenticate(user) else None  # type: ignore[attr-defined]


#: The session store of the request whose user ``get_user`` is finding (set only while
#: ``mash.agencies.middleware.user_of`` asks Django's ``auth.get_user``).
_READING: ContextVar[Any] = ContextVar("mash_session_being_read", default=None)


@contextmanager
def reading(session: Any) -> Iterator[None]:
    """While Django finds the user of this request's ``session``, ``get_user`` may take
    the rows its statement read with the session."""
    token = _READING.set(session)
    try:
        yield
    finally:
        _READING.reset(token)


#: Where a session store keeps the user's rows its statement read (``read_session``).
SESSION_ROWS_ATTR = "_mash_signed_in_rows"


def read_session(connection: Any, key: str, now: Any) -> tuple[str, list[Any]] | None:
    """The session row whose key is ``key`` and whose expiry is after ``now`` (already
    adapted for the database), as its data, with the rows of its signed-in user (their
    agency and confirmed authenticators; no rows for a session with nobody signed in),
    in one statement. None if there is no such session."""
    statement = _statement(connection)
    with connection.cursor() as cursor:
        cursor.execute(statement.by_session, [statement.confirmed, key, now])
        rows = cursor.fetchall()
    if not rows:
        return None
    user_pk = _pk_index(_models()[0])
    signed_in = [row[1:] for row in rows if row[1 + user_pk] is not None]
    return rows[0][0], signed_in


def _user_from(rows: list[Any] | None, statement: _Statement, alias: str, connection: Any) -> Any:
    """The user (or None for no rows) with their agency and confirmed authenticators
    in the ORM's caches, as ``select_related`` would leave them."""
    if not rows:
        return None
    user_model, agency_model, device_model = _models()
    if statement.converters:
        rows = [_converted(row, statement.converters, connection) for row in rows]
    n_user, n_agency = len(statement.user_names), len(statement.agency_names)
    first = rows[0]
    user = user_model.from_db(alias, statement.user_names, first[:n_user])
    agency_values = first[n_user : n_user + n_agency]
    agency = (
        None
        if agency_values[statement.agency_pk] is None
        else agency_model.from_db(alias, statement.agency_names, agency_values)
    )
    user_model._meta.get_field("agency").set_cached_value(user, agency)
    devices = {}
    device_user = device_model._meta.get_field("user")
    for row in rows:
        values = row[n_user + n_agency :]
        if values[statement.device_pk] is None:
            continue  # no confirmed authenticator yet (mid-enrolment)
        device = device_model.from_db(alias, statement.device_names, values)
        device_user.set_cached_value(device, user)
        devices[device.persistent_id] = device
    setattr(user, PREFETCHED_DEVICES_ATTR, devices)
    return user


def _pk_index(model: Any) -> int:
    return list(model._meta.concrete_fields).index(model._meta.pk)


def _converted(row: Any, converters: Any, connection: Any) -> list[Any]:
    values = list(row)
    for position, functions, col in converters:
        value = values[position]
        for convert in functions:
            value = convert(value, col, connection)
        values[position] = value
    return values


class HubModelBackend(SignedInUserInOneQuery, ModelBackend):
    """Django's password check, with the signed-in user loaded in one query."""


class HubAxesBackend(AxesStandaloneBackend):
    def authenticate(
        self,
        request: Any = None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
