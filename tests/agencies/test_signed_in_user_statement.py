"""The signed-in user of every request is read by one fixed SQL statement (issue 13, the
cost of being signed in: the ORM spent more time building the query than the database
took to answer it). What it gives must be what the ORM gave: the same user, agency and
confirmed authenticators, with the same values after the same conversions, cached where
the ORM's ``select_related`` cached them; ``None`` for an inactive or missing user; a user
mid-enrolment (no confirmed authenticator) with none. These tests compare the two on the
database the suite runs on (SQLite by default, PostgreSQL through ``DATABASE_URL``)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth import SESSION_KEY
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mash.agencies.backends import PREFETCHED_DEVICES_ATTR, HubModelBackend, reading
from mash.agencies.models import SealedTOTPDevice, SignedInSession, User
from mash.agencies.sessions import SessionStore
from tests.two_factor import confirmed_device


def _by_the_orm(user_id: Any) -> Any:
    """What ``get_user`` gave when the ORM built its queries (before issue 13)."""
    devices = list(
        SealedTOTPDevice.objects.select_related("user", "user__agency").filter(
            user_id=user_id, confirmed=True
        )
    )
    if devices:
        user = devices[0].user
        for device in devices:
            device._state.fields_cache["user"] = user
    else:
        user = User.objects.select_related("agency").filter(pk=user_id).first()
        if user is None:
            return None
    setattr(user, PREFETCHED_DEVICES_ATTR, {d.persistent_id: d for d in devices})
    return user if user.is_active else None


def _values(obj: Any) -> dict[str, Any]:
    """An instance's field values (with their types) and its state, as loaded."""
    fields = {
        f.attname: (type(getattr(obj, f.attname)), getattr(obj, f.attname))
        for f in obj._meta.concrete_fields
    }
    return {
        "class": type(obj),
        "fields": fields,
        "db": obj._state.db,
        "adding": obj._state.adding,
        "cached": sorted(obj._state.fields_cache),
    }


def assert_same(user: Any, expected: Any) -> None:
    assert _values(user) == _values(expected)
    agency, expected_agency = user._state.fields_cache["agency"], expected.agency
    if expected_agency is None:
        assert agency is None
    else:
        assert _values(agency) == _values(expected_agency)
    devices = getattr(user, PREFETCHED_DEVICES_ATTR)
    expected_devices = getattr(expected, PREFETCHED_DEVICES_ATTR)
    assert sorted(devices) == sorted(expected_devices)
    for persistent_id, device in devices.items():
        assert _values(device) == _values(expected_devices[persistent_id])
        assert device._state.fields_cache["user"] is user  # one user for all their devices


def _by_id(user_id: Any) -> Any:
    return HubModelBackend().get_user(user_id)


def _with_the_session(user_id: Any) -> Any:
    """The user as a request finds them: from the rows the session's read brought
    (``mash.agencies.sessions``: the session and its user in one statement). A user who
    does not exist has no session to read: asked by id."""
    if not User.objects.filter(pk=user_id or uuid.uuid4()).exists():
        return _by_id(user_id)
    made = SessionStore()
    made[SESSION_KEY] = str(user_id)
    made.create()
    session = SessionStore(made.session_key)
    with CaptureQueriesContext(connection) as queries:
        session.load()
        with reading(session):
            user = HubModelBackend().get_user(user_id)
    assert len(queries) == 1  # the session with its user, nothing after
    return user


@pytest.fixture(params=[_by_id, _with_the_session], ids=["by id", "with the session"])
def signed_in(request: Any) -> Callable[[Any], Any]:
    """How ``get_user`` finds the user: by its own statement, or from the session's."""
    return request.param  # type: ignore[no-any-return]


def test_a_user_with_devices_comes_as_the_orm_gave_them(
    cast: dict[str, Any], signed_in: Any
) -> None:
    hana = cast["hub_practitioner"]
    first = confirmed_device(hana)
    spare = SealedTOTPDevice.objects.create(user=hana, name="spare phone", confirmed=True)
    SealedTOTPDevice.objects.create(user=hana, name="not confirmed", confirmed=False)
    # Every kind of column set: a date and time, a count, a failure under way.
    spare.throttling_failure_timestamp = timezone.now() - timedelta(minutes=3)
    spare.throttling_failure_count = 2
    spare.last_used_at = timezone.now()
    spare.save()
    User.objects.filter(pk=hana.pk).update(last_login=timezone.now(), session_epoch=4)

    user = signed_in(hana.pk)

    assert_same(user, _by_the_orm(hana.pk))
    assert sorted(getattr(user, PREFETCHED_DEVICES_ATTR)) == sorted(
        [first.persistent_id, spare.persistent_id]
    )
    assert user.agency.code == "hub" and user.session_epoch == 4
    assert isinstance(user.pk, uuid.UUID)
    # The sealed secret opens as it did (the device's key column, bound to the user).
    spare_device = getattr(user, PREFETCHED_DEVICES_ATTR)[spare.persistent_id]
    assert spare_device.bin_key == SealedTOTPDevice.objects.get(pk=spare.pk).bin_key


def test_the_user_id_may_come_as_the_session_holds_it(cast: dict[str, Any], signed_in: Any) -> None:
    hana = cast["hub_practitioner"]
    confirmed_device(hana)
    assert_same(signed_in(str(hana.pk)), _by_the_orm(hana.pk))


def test_a_user_with_an_unconfirmed_device_only_comes_with_none(
    cast: dict[str, Any], signed_in: Any
) -> None:
    priya = cast["police_practitioner"]
    SealedTOTPDevice.objects.create(user=priya, name="being set up", confirmed=False)

    user = signed_in(priya.pk)

    assert user is not None
    assert getattr(user, PREFETCHED_DEVICES_ATTR) == {}
    assert_same(user, _by_the_orm(priya.pk))


def test_a_user_without_an_agency_comes_with_none_cached(
    cast: dict[str, Any], signed_in: Any
) -> None:
    nobody = User.objects.create_user(username="noagency", password=None, agency=None)
    confirmed_device(nobody)

    user = signed_in(nobody.pk)

    assert "agency" in user._state.fields_cache and user.agency is None
    assert_same(user, _by_the_orm(nobody.pk))


def test_an_inactive_user_is_nobody(cast: dict[str, Any], signed_in: Any) -> None:
    hana = cast["hub_practitioner"]
    confirmed_device(hana)
    User.objects.filter(pk=hana.pk).update(is_active=False)
    assert _by_the_orm(hana.pk) is None
    assert signed_in(hana.pk) is None


def test_a_missing_user_is_nobody(cast: dict[str, Any], signed_in: Any) -> None:
    assert _by_the_orm(uuid.uuid4()) is None
    assert signed_in(uuid.uuid4()) is None
    assert signed_in(None) is None


def test_another_users_devices_do_not_come_with_them(cast: dict[str, Any], signed_in: Any) -> None:
    hana, priya = cast["hub_practitioner"], cast["police_practitioner"]
    confirmed_device(priya)
    user = signed_in(hana.pk)
    assert getattr(user, PREFETCHED_DEVICES_ATTR) == {}
    assert_same(user, _by_the_orm(hana.pk))


def test_it_is_one_query_whatever_the_user_has(cast: dict[str, Any], signed_in: Any) -> None:
    """By id here; ``_with_the_session`` counts the session's read alone."""
    hana = cast["hub_practitioner"]
    for setup in (lambda: None, lambda: confirmed_device(hana)):
        setup()
        with CaptureQueriesContext(connection) as queries:
            user = HubModelBackend().get_user(hana.pk)
            assert user.agency.code == "hub"  # no query of its own
        assert len(queries) == 1
        assert signed_in(hana.pk).agency.code == "hub"


def test_the_sessions_rows_serve_only_the_user_they_are_and_only_once(
    cast: dict[str, Any],
) -> None:
    hana, priya = cast["hub_practitioner"], cast["police_practitioner"]
    confirmed_device(hana)
    made = SessionStore()
    made[SESSION_KEY] = str(hana.pk)
    made.create()
    session = SessionStore(made.session_key)
    session.load()
    backend = HubModelBackend()
    expected = _by_the_orm(hana.pk)
    with reading(session), CaptureQueriesContext(connection) as queries:
        # Asked for someone else: their own statement, not the session's user.
        assert backend.get_user(priya.pk).pk == priya.pk
        assert len(queries) == 1
        assert_same(backend.get_user(hana.pk), expected)
        assert len(queries) == 1  # the session's rows
        assert_same(backend.get_user(hana.pk), expected)
        assert len(queries) == 2  # used once: asked again
    # Outside a request's finding of its user, the session's rows are not taken.
    again = SessionStore(made.session_key)
    again.load()
    with CaptureQueriesContext(connection) as queries:
        backend.get_user(hana.pk)
    assert len(queries) == 1


def test_the_sessions_user_column_follows_its_data(cast: dict[str, Any]) -> None:
    hana, priya = cast["hub_practitioner"], cast["police_practitioner"]
    session = SessionStore()
    session["anything"] = 1
    session.create()
    stored = SignedInSession.objects.get(pk=session.session_key)
    assert stored.user_id is None
    session[SESSION_KEY] = str(hana.pk)
    session.save()
    assert SignedInSession.objects.get(pk=session.session_key).user_id == hana.pk
    session[SESSION_KEY] = str(priya.pk)
    session.save()
    assert SignedInSession.objects.get(pk=session.session_key).user_id == priya.pk
    # Even if the column and the data disagreed, the data's user is the one found.
    SignedInSession.objects.filter(pk=session.session_key).update(user_id=hana.pk)
    read = SessionStore(session.session_key)
    read.load()
    with reading(read):
        assert HubModelBackend().get_user(read[SESSION_KEY]).pk == priya.pk
    # Nobody signed in: no rows of anyone's.
    empty = SessionStore()
    empty["x"] = 1
    empty.create()
    read = SessionStore(empty.session_key)
    read.load()
    assert read._mash_signed_in_rows == []


def test_dates_come_aware_as_the_orm_gives_them(cast: dict[str, Any], signed_in: Any) -> None:
    hana = cast["hub_practitioner"]
    confirmed_device(hana)
    User.objects.filter(pk=hana.pk).update(last_login=timezone.now())
    user = signed_in(hana.pk)
    assert timezone.is_aware(user.last_login) and timezone.is_aware(user.date_joined)
    assert_same(user, _by_the_orm(hana.pk))
