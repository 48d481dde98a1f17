"""A session ends after SESSION_IDLE_MINUTES without a request and SESSION_ABSOLUTE_HOURS
after signing in; the person is told why, and the record says so."""

from __future__ import annotations

from typing import Any

from django.test import Client

from mash.agencies.middleware import LAST_SEEN_AT, SIGNED_IN_AT
from mash.records.models import RecordEntry


def _signed_in(cast: dict[str, Any]) -> Client:
    client = Client()
    client.force_login(cast["hub_practitioner"])
    assert client.get("/enquiries/").status_code == 200
    return client


def _age(client: Client, key: str, seconds: float) -> None:
    """Make the session's ``key`` time ``seconds`` older, as if that long had passed."""
    session = client.session
    session[key] = session[key] - seconds
    if key == SIGNED_IN_AT:
        session[LAST_SEEN_AT] = session[LAST_SEEN_AT] - 0  # last request stays recent
    session.save()


def test_an_idle_session_ends_with_a_message_saying_why(cast: dict[str, Any]) -> None:
    client = _signed_in(cast)
    _age(client, LAST_SEEN_AT, 31 * 60)
    response = client.get("/enquiries/")
    assert response.status_code == 302
    assert response["Location"] == "/sign-in?next=%2Fenquiries%2F"
    page = client.get(response["Location"])
    assert b"You were signed out because you had not used the hub for 30 minutes" in (page.content)
    assert "_auth_user_id" not in client.session
    entry = RecordEntry.objects.filter(action="auth.session_timed_out").get()
    assert entry.details == {"reason": "idle"}
    assert entry.actor_username == "hana"


def test_activity_keeps_the_session_alive(cast: dict[str, Any]) -> None:
    client = _signed_in(cast)
    _age(client, LAST_SEEN_AT, 29 * 60)
    assert client.get("/enquiries/").status_code == 200
    _age(client, LAST_SEEN_AT, 29 * 60)
    assert client.get("/enquiries/").status_code == 200


def test_the_idle_timeout_is_configurable(settings: Any, cast: dict[str, Any]) -> None:
    settings.SESSION_IDLE_MINUTES = 5
    client = _signed_in(cast)
    _age(client, LAST_SEEN_AT, 6 * 60)
    response = client.get("/enquiries/", follow=True)
    assert b"had not used the hub for 5 minutes" in response.content


def test_a_session_ends_at_the_absolute_timeout_however_busy(
    settings: Any, cast: dict[str, Any]
) -> None:
    settings.SESSION_ABSOLUTE_HOURS = 10
    client = _signed_in(cast)
    _age(client, SIGNED_IN_AT, 10 * 3600 + 60)
    response = client.get("/enquiries/", follow=True)
    assert b"You were signed out because you had been signed in for 10 hours" in (response.content)
    assert RecordEntry.objects.filter(action="auth.session_timed_out").get().details == {
        "reason": "absolute"
    }


def test_the_api_answers_401_once_the_session_has_ended(cast: dict[str, Any]) -> None:
    client = _signed_in(cast)
    _age(client, LAST_SEEN_AT, 31 * 60)
    response = client.get(
        "/api/v1/consent/people/00000000-0000-0000-0000-000000000000/position?agency=police"
    )
    assert response.status_code == 401
    assert response.json() == {"detail": "Your session has ended. Sign in again."}


def test_the_session_cookie_lasts_no_longer_than_the_absolute_timeout() -> None:
    from mash import settings as hub_settings

    assert int(hub_settings.SESSION_ABSOLUTE_HOURS * 3600) == hub_settings.SESSION_COOKIE_AGE
    assert hub_settings.SESSION_IDLE_MINUTES == 30
    assert hub_settings.SESSION_ABSOLUTE_HOURS == 10
