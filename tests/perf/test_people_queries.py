"""The person index's pages cost the same queries at N and 10N: search results (paged
in SQL) and the enquiry page's "already known" panel with its repeat-referral flag,
whatever the history's length."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from mash.enquiries.models import Enquiry, Person
from mash.people.models import BlockingKey, IndexedPerson, MatchSuggestion, PersonLink

from .test_queries_per_page import N, queries, rows_in


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def grow_known(cast: dict[str, Any], agencies: dict[str, Any]) -> Callable[[int], None]:
    """A hub of ``size`` enquiries whose every child is one Olivia Hughes, indexed."""
    from .builders import grow_hub

    def to(size: int) -> None:
        grow_hub(to=size, police=agencies["police"], owner=cast["hub_practitioner"])
        Person.objects.filter(kind="child").update(
            first_name="Olivia", last_name="Hughes", date_of_birth=dt.date(2015, 3, 7)
        )
        # Every contact within the last year, so each is a repeat referral of the ones
        # before it (the flag's query is measured with rows to count).
        now = timezone.now()
        for i, pk in enumerate(Enquiry.objects.order_by("received_at", "pk").values_list("pk")):
            Enquiry.objects.filter(pk=pk[0]).update(
                received_at=now - dt.timedelta(days=300 - i % 300)
            )
        BlockingKey.objects.all().delete()
        PersonLink.objects.all().delete()
        call_command("people", "index", stdout=StringIO(), stderr=StringIO())
        # The generated children differ in address, so the index only suggests them:
        # link them all to one indexed person, as practitioners confirming would.
        links = PersonLink.objects.filter(person__kind="child").order_by("linked_at", "pk")
        one = links.values_list("indexed_person_id", flat=True).first()
        BlockingKey.objects.filter(link__in=links).update(indexed_person_id=one)
        links.update(indexed_person_id=one)
        MatchSuggestion.objects.all().delete()
        IndexedPerson.objects.filter(links__isnull=True).delete()

    return to


def test_search_results_cost_the_same_at_n_and_10n(
    client_for: Any, grow_known: Callable[[int], None]
) -> None:
    client = client_for("hub_practitioner")
    grow_known(N)
    url = client.post(reverse("people:search"), {"q": "Hughes"})["Location"]
    client.get(url)
    few, _small = queries(client, url)
    grow_known(10 * N)
    url = client.post(reverse("people:search"), {"q": "Hughes"})["Location"]
    many, large = queries(client, url)
    assert many == few, (few, many)
    assert rows_in(large) > 0 and "Olivia Hughes" in large


def latest_open_now(enquiry: Enquiry) -> None:
    """The enquiry stays the newest and open whatever the hub's growth reshaped."""
    Enquiry.objects.filter(pk=enquiry.pk).update(
        received_at=timezone.now(), status="open", closed_at=None
    )


def test_the_already_known_panel_costs_the_same_at_n_and_10n(
    client_for: Any, grow_known: Callable[[int], None]
) -> None:
    client = client_for("hub_practitioner")
    grow_known(N)
    latest = Enquiry.objects.filter(status="open").order_by("-received_at").first()
    assert latest is not None
    latest_open_now(latest)
    url = reverse("enquiries:detail", kwargs={"enquiry_id": latest.pk})
    client.get(url)
    few, _small = queries(client, url)
    grow_known(10 * N)
    latest_open_now(latest)
    many, large = queries(client, url)
    assert "Already known" in large
    assert "Repeat referral: " in large  # every child is one Olivia Hughes
    assert many == few, (few, many)
