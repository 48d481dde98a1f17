"""What a signed-in request looks up, in fewer round trips (issue 13, the cost of being
signed in), with the same controls: the user with their agency and confirmed
authenticators in one query; the session's device accepted only if it is this user's
and confirmed; the session row read every request (a deleted or expired session signs
nobody in)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY

from mash.agencies.backends import HubModelBackend
from mash.agencies.models import SealedTOTPDevice
from mash.agencies.models import SignedInSession as Session
from tests.two_factor import confirmed_device


def test_the_user_their_agency_and_authenticators_come_in_one_query(
    cast: dict[str, Any],
) -> None:
    hana = cast["hub_practitioner"]
    device = confirmed_device(hana)
    SealedTOTPDevice.objects.create(user=hana, name="spare, not confirmed", confirmed=False)
    with CaptureQueriesContext(connection) as queries:
        user = HubModelBackend().get_user(hana.pk)
        assert user is not None and user.pk == hana.pk
        assert user.agency.code == hana.agency.code
    assert len(queries) == 1
    assert list(user._mash_confirmed_devices) == [device.persistent_id]


def test_a_user_with_no_authenticator_yet_and_an_inactive_one(cast: dict[str, Any]) -> None:
    hana = cast["hub_practitioner"]
    SealedTOTPDevice.objects.filter(user=hana).delete()
    user = HubModelBackend().get_user(hana.pk)
    assert user is not None and user._mash_confirmed_devices == {}
    confirmed_device(hana)
    hana.is_active = False
    hana.save(update_fields=["is_active"])
    assert HubModelBackend().get_user(hana.pk) is None


def _signed_in(user: Any) -> Client:
    browser = Client()
    browser.force_login(user)  # tests/conftest.py: with the user's confirmed device
    return browser


def test_a_signed_in_page_costs_one_query_before_its_own_work(cast: dict[str, Any]) -> None:
    browser = _signed_in(cast["hub_practitioner"])
    browser.get("/enquiries/")  # the last-seen note, if due, is written now
    with CaptureQueriesContext(connection) as queries:
        assert browser.get("/enquiries/").status_code == 200
    sql = [q["sql"] for q in queries]
    # The session, its user, their agency and confirmed authenticators: one statement.
    tables = sql[0].split(" WHERE ")[0]
    assert tables.index('"agencies_session"') < tables.index('"agencies_user"')
    assert '"agencies_agency"' in tables and "otp_totp_totpdevice" in tables
    assert sum("otp_totp_totpdevice" in q for q in sql) == 1
    assert not any('"agencies_user"' in q.split(" WHERE ")[0] for q in sql[1:])


def test_the_sessions_device_is_accepted_only_while_it_is_confirmed(
    cast: dict[str, Any],
) -> None:
    hana = cast["hub_practitioner"]
    browser = _signed_in(hana)
    assert browser.get("/enquiries/").status_code == 200
    SealedTOTPDevice.objects.filter(user=hana).update(confirmed=False)
    response = browser.get("/enquiries/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/two-factor")
    assert DEVICE_ID_SESSION_KEY not in browser.session


def test_another_users_device_does_not_verify(cast: dict[str, Any]) -> None:
    hana, other = cast["hub_practitioner"], cast["police_practitioner"]
    browser = _signed_in(hana)
    session = browser.session
    session[DEVICE_ID_SESSION_KEY] = confirmed_device(other).persistent_id
    session.save()
    response = browser.get("/enquiries/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/two-factor")


def test_a_deleted_or_expired_session_signs_nobody_in(cast: dict[str, Any]) -> None:
    browser = _signed_in(cast["hub_practitioner"])
    assert browser.get("/enquiries/").status_code == 200
    key = browser.session.session_key
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(1))
    assert browser.get("/enquiries/")["Location"].startswith("/sign-in")
    browser = _signed_in(cast["hub_practitioner"])
    Session.objects.filter(session_key=browser.session.session_key).delete()
    assert browser.get("/enquiries/")["Location"].startswith("/sign-in")
