"""What being signed in costs a request: the session, with the user, their agency and
their second factor (one query), is read (every control still checked on every
request), and nothing is written unless something changed, so a page pays one query
before its own work, not a write and a commit as well. The last-seen time (the idle
timeout's clock) is noted at most once a minute."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from mash.agencies.middleware import LAST_SEEN_AT, LAST_SEEN_EVERY_SECONDS


@pytest.fixture
def hello(settings: Any) -> str:
    """The bench's hello view behind all of the hub's middleware (tests/bench/load_site)."""
    settings.ROOT_URLCONF = "tests.bench.load_site"
    return "/bench/hello"


def test_a_signed_in_request_reads_the_session_user_and_device_and_writes_nothing(
    client_for: Any, hello: str
) -> None:
    client = client_for("hub_practitioner")
    client.get(hello)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(hello).status_code == 200
    tables = [q["sql"].split(" FROM ")[1].split()[0].strip('"') for q in captured.captured_queries]
    assert tables == ["agencies_session"]
    # The session's read brings its user, their agency and authenticators with it.
    joined = captured.captured_queries[0]["sql"]
    assert '"agencies_user"' in joined
    assert '"agencies_agency"' in joined and '"otp_totp_totpdevice"' in joined


def test_the_last_seen_time_is_noted_at_most_once_a_minute(client_for: Any, hello: str) -> None:
    client: Client = client_for("hub_practitioner")
    client.get(hello)
    seen = client.session[LAST_SEEN_AT]
    client.get(hello)
    assert client.session[LAST_SEEN_AT] == seen
    session = client.session
    session[LAST_SEEN_AT] = seen - LAST_SEEN_EVERY_SECONDS
    session.save()
    with CaptureQueriesContext(connection) as captured:
        client.get(hello)
    assert client.session[LAST_SEEN_AT] > seen
    assert any(q["sql"].startswith("UPDATE") for q in captured.captured_queries)
