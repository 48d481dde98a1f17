"""A page's data keys are fetched in one query before it is rendered
(``prefetch_keys_for``), and each thread keeps its own: a request starting, finishing or
filling the cache in another thread of the same process leaves them alone, so reading
the page's sealed fields asks the database nothing, at any size and under load."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.core.signals import request_started
from django.db import close_old_connections, connection
from django.test.utils import CaptureQueriesContext

from mash.enquiries.models import Enquiry, Person
from mash.keys import cache
from mash.keys.services import (
    destroy_enquiry_key,
    prefetch_keys,
    prefetch_keys_for,
    sealed_enquiries,
)

from .helpers import open_enquiry


@pytest.fixture
def three(cast: dict[str, Any]) -> list[Enquiry]:
    made = [
        open_enquiry(cast["hub_practitioner"], concern=f"PAGE-KEYS-{n} the concern")
        for n in range(3)
    ]
    cache.clear_cache()
    return made


def start_a_request() -> None:
    """What this app does when a request starts in this thread (Django's own receiver,
    which closes old database connections, stays out of the test's transaction)."""
    request_started.disconnect(close_old_connections)
    try:
        request_started.send(sender=None)
    finally:
        request_started.connect(close_old_connections)


def in_another_thread(work: Callable[[], Any]) -> None:
    thread = threading.Thread(target=work)
    thread.start()
    thread.join()


def read_everything(enquiries: list[Enquiry]) -> list[str]:
    return [e.concern for e in enquiries] + [p.full_name for e in enquiries for p in e.people.all()]


def test_the_keys_of_every_row_and_what_came_with_it_are_fetched_in_one_query(
    three: list[Enquiry],
) -> None:
    rows = list(Enquiry.objects.filter(pk__in=[e.pk for e in three]).prefetch_related("people"))
    with CaptureQueriesContext(connection) as fetched:
        assert prefetch_keys_for(rows) == 3
    assert len(fetched) == 1
    with CaptureQueriesContext(connection) as reading:
        texts = read_everything(rows)
    assert len(reading) == 0
    assert sum("PAGE-KEYS-" in text for text in texts) == 3


def test_the_sealed_values_of_related_rows_name_their_enquiries(three: list[Enquiry]) -> None:
    people = list(Person.objects.filter(enquiry__in=three).select_related("enquiry"))
    assert sealed_enquiries(people) == {e.pk.hex for e in three}


def test_keys_already_held_are_not_fetched_again(three: list[Enquiry]) -> None:
    prefetch_keys([three[0].pk])
    with CaptureQueriesContext(connection) as fetched:
        assert prefetch_keys([e.pk for e in three]) == 2
        assert prefetch_keys([e.pk for e in three]) == 0
    assert len(fetched) == 1


def test_a_request_starting_in_another_thread_leaves_this_pages_keys_alone(
    three: list[Enquiry],
) -> None:
    rows = list(Enquiry.objects.filter(pk__in=[e.pk for e in three]))
    prefetch_keys_for(rows)
    in_another_thread(lambda: request_started.send(sender=None))
    with CaptureQueriesContext(connection) as reading:
        assert all("PAGE-KEYS-" in e.concern for e in rows)
    assert len(reading) == 0


def test_a_request_starting_in_this_thread_starts_with_nothing_cached(
    three: list[Enquiry],
) -> None:
    prefetch_keys([e.pk for e in three])
    start_a_request()
    assert cache.size() == 0


def test_a_full_cache_drops_its_oldest_keys_not_the_page_just_fetched(
    three: list[Enquiry], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "MAX_ENTRIES", 2)
    prefetch_keys([three[0].pk])
    prefetch_keys([e.pk for e in three[1:]])
    assert cache.get(three[0].pk) is None
    assert isinstance(cache.get(three[1].pk), bytes)
    assert isinstance(cache.get(three[2].pk), bytes)


def test_a_prefetch_keeps_the_keys_it_found_cached_beside_those_it_fetched(
    three: list[Enquiry], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Full, the cache drops the key used longest ago: a key a prefetch found cached
    stays while the keys fetched beside it go in (dropping the oldest fetched dropped
    it, and reading it asked the database again)."""
    monkeypatch.setattr(cache, "MAX_ENTRIES", 2)
    prefetch_keys([three[0].pk])
    prefetch_keys([three[1].pk])
    prefetch_keys([three[0].pk, three[2].pk])
    assert cache.get(three[1].pk) is None
    with CaptureQueriesContext(connection) as fetched:
        assert isinstance(cache.get(three[0].pk), bytes)
        assert isinstance(cache.get(three[2].pk), bytes)
    assert len(fetched) == 0


def test_a_key_destroyed_in_another_thread_is_dropped_from_this_threads_cache(
    three: list[Enquiry], cast: dict[str, Any]
) -> None:
    prefetch_keys([e.pk for e in three])
    # The other thread's connection cannot see this test's transaction, so it only
    # drops the key from every cache, as destroying it there would.
    in_another_thread(lambda: cache.forget(three[0].pk))
    assert cache.get(three[0].pk) is None
    assert isinstance(cache.get(three[1].pk), bytes)
    destroy_enquiry_key(enquiry_id=three[1].pk, actor=cast["dpo"])
    assert cache.get(three[1].pk) is None


def test_a_request_starts_without_the_ciphertexts_earlier_requests_loaded(
    three: list[Enquiry],
) -> None:
    list(Enquiry.objects.filter(pk__in=[e.pk for e in three]))  # loaded, never read
    start_a_request()
    [one] = Enquiry.objects.filter(pk=three[0].pk)
    with CaptureQueriesContext(connection) as fetched:
        assert "PAGE-KEYS-0" in one.concern
    assert len(fetched) == 1
    assert cache.size() == 1  # only the key that was needed, not the earlier rows'
