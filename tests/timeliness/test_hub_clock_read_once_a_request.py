"""A hub's clock (its ratings, working hours and closures) is read once a request,
however many deadlines the page shows, and read afresh by the next request, outside
requests, and after the settings change within one."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mash.timeliness.config import (
    ensure_defaults,
    hub_clock,
    start_remembering,
    stop_remembering,
)
from mash.timeliness.models import ClosureDay, RatingSetting

pytestmark = pytest.mark.django_db


def _reads_of_the_clock(queries: CaptureQueriesContext) -> int:
    return sum('"timeliness_hubtimeliness"' in q["sql"] for q in queries.captured_queries)


@pytest.fixture
def hub(agencies: dict[str, Any]) -> Any:
    ensure_defaults(agencies["hub"])
    return agencies["hub"]


@pytest.fixture
def in_a_request() -> Any:
    # What the request_started and request_finished signals call (Django's own
    # receivers of those signals would close the test's connection).
    start_remembering()
    yield
    stop_remembering()


def test_outside_a_request_every_call_reads_the_settings(hub: Any) -> None:
    with CaptureQueriesContext(connection) as queries:
        first = hub_clock(hub)
        second = hub_clock(hub.pk)
    assert _reads_of_the_clock(queries) == 2
    assert (first.ratings, first.clock) == (second.ratings, second.clock)


def test_within_a_request_the_clock_is_read_once(hub: Any, in_a_request: None) -> None:
    with CaptureQueriesContext(connection) as queries:
        first = hub_clock(hub)
        second = hub_clock(hub.pk)
    assert _reads_of_the_clock(queries) == 1
    assert second is first


def test_the_next_request_reads_it_again(hub: Any) -> None:
    start_remembering()
    hub_clock(hub)
    stop_remembering()
    start_remembering()
    try:
        with CaptureQueriesContext(connection) as queries:
            hub_clock(hub)
        assert _reads_of_the_clock(queries) == 1
    finally:
        stop_remembering()


def test_a_change_within_the_request_is_seen(hub: Any, in_a_request: None) -> None:
    before = hub_clock(hub)
    red = RatingSetting.objects.get(config__hub=hub, code="red")
    red.hours = 2
    red.save()
    after = hub_clock(hub)
    assert after is not before
    assert after.rating("red").hours == 2
    ClosureDay.objects.create(config=red.config, day="2026-12-24", description="Training")
    assert hub_clock(hub).clock.closure_dates == frozenset({red.config.closures.get().day})


def test_the_enquiry_page_reads_the_hub_s_clock_once(
    hub: Any, client_for: Any, cast: dict[str, Any], agencies: dict[str, Any]
) -> None:
    from tests.sharing.factories import make_request

    enquiry = make_request(cast=cast, agency=agencies["police"]).enquiry
    browser = client_for("hub_practitioner")
    with CaptureQueriesContext(connection) as queries:
        response = browser.get(f"/enquiries/{enquiry.pk}/")
    assert response.status_code == 200
    assert _reads_of_the_clock(queries) == 1
