"""A repeat referral flagged on the enquiry page (issues 14 and 18): a child of the
enquiry was in another of the hub's enquiries received in the 12 months before it
(``mash.people.repeats``, the one definition the reports count too)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from mash.enquiries.models import Enquiry
from mash.people import repeats
from mash.people.models import PersonLink
from mash.records.models import RecordEntry
from tests.people.conftest import child, enquiry_about

pytestmark = pytest.mark.django_db


def page(client: Client, enquiry: Any) -> str:
    response = client.get(reverse("enquiries:detail", kwargs={"enquiry_id": enquiry.pk}))
    assert response.status_code == 200
    return response.content.decode()


def flagged(enquiry: Enquiry) -> bool:
    """Whether the reports count the enquiry as a repeat (the same rule, as a set)."""
    return repeats.repeat_enquiries(enquiry.hub_id).filter(enquiry_id=enquiry.pk).exists()


def test_the_page_counts_the_earlier_enquiries_within_twelve_months_and_links_the_chronology(
    cast: Any, client_for: Any
) -> None:
    hana = cast["hub_practitioner"]
    enquiry_about(hana, child("Olivia", "Hughes"), days_ago=500)  # too long ago
    enquiry_about(hana, child("Olivia", "Hughes"), days_ago=300)
    enquiry_about(hana, child("Olivia", "Hughes"), days_ago=40)
    latest = enquiry_about(hana, child("Olivia", "Hughes"))
    body = page(client_for("hub_practitioner"), latest)
    assert "Repeat referral: 2 earlier enquiries about Olivia Hughes" in body
    [found] = repeats.repeat_referrals(latest)
    assert found.earlier == 2
    chronology = reverse("people:chronology", kwargs={"indexed_person_id": found.indexed_person_id})
    assert f'href="{chronology}"' in body
    assert flagged(latest)
    entry = RecordEntry.objects.filter(action="people.known_viewed").latest("seq")
    assert entry.details["repeat_referral"] == {str(found.indexed_person_id): 2}


def test_the_first_enquiry_and_one_after_twelve_months_are_not_repeats(
    cast: Any, client_for: Any
) -> None:
    hana = cast["hub_practitioner"]
    first = enquiry_about(hana, child("Olivia", "Hughes"), days_ago=400)
    second = enquiry_about(hana, child("Olivia", "Hughes"))
    client = client_for("hub_practitioner")
    # A later enquiry makes the later one the repeat, never the first.
    assert "Repeat referral" not in page(client, first)
    assert "Repeat referral" not in page(client, second)
    assert not flagged(first) and not flagged(second)
    assert repeats.repeat_referrals(second) == []


def test_one_earlier_enquiry_is_worded_in_the_singular(cast: Any, client_for: Any) -> None:
    hana = cast["hub_practitioner"]
    enquiry_about(hana, child("Olivia", "Hughes"), days_ago=364)
    second = enquiry_about(hana, child("Olivia", "Hughes"))
    assert "Repeat referral: 1 earlier enquiry about Olivia Hughes" in page(
        client_for("hub_practitioner"), second
    )
    assert flagged(second)


def test_adults_and_drafts_do_not_make_a_repeat_referral(cast: Any, client_for: Any) -> None:
    hana = cast["hub_practitioner"]
    mother = child("Sarah", "Hughes", date(1990, 4, 2), kind="parent")
    # The mother was in an earlier enquiry about another child: no repeat for Olivia.
    enquiry_about(hana, child("Jack", "Price", date(2012, 1, 9)), mother, days_ago=60)
    enquiry_about(hana, child("Olivia", "Hughes"), days_ago=30, submit=False)  # a draft
    latest = enquiry_about(hana, child("Olivia", "Hughes"), mother)
    mothers = PersonLink.objects.filter(person__first_name="Sarah")
    assert mothers.count() == 2 and len({m.indexed_person_id for m in mothers}) == 1
    assert "Repeat referral" not in page(client_for("hub_practitioner"), latest)
    assert not flagged(latest)


def test_the_flag_shows_at_intake_too(cast: Any, client_for: Any) -> None:
    hana = cast["hub_practitioner"]
    enquiry_about(hana, child("Olivia", "Hughes"), days_ago=90)
    draft = enquiry_about(hana, child("Olivia", "Hughes"), submit=False)
    body = (
        client_for("hub_practitioner")
        .get(reverse("enquiries:people", kwargs={"enquiry_id": draft.pk}))
        .content.decode()
    )
    assert "Repeat referral: 1 earlier enquiry about Olivia Hughes" in body
