""" "Already known" on the enquiry page and at intake: the matches with their reasons,
earlier enquiries, last contact and outcomes; confirm or reject (POST, CSRF, recorded);
a repeat referral flagged; the hub only."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from mash.enquiries import services as enquiry_services
from mash.people.models import MatchSuggestion, PersonLink, SuggestionStatus
from mash.records.models import RecordEntry

from .conftest import child, enquiry_about

pytestmark = pytest.mark.django_db


def page(client: Client, enquiry: Any) -> str:
    response = client.get(reverse("enquiries:detail", kwargs={"enquiry_id": enquiry.pk}))
    assert response.status_code == 200
    return response.content.decode()


def test_the_enquiry_page_shows_a_certain_match_and_flags_a_repeat_referral(
    cast: Any, client_for: Any
) -> None:
    hana = cast["hub_practitioner"]
    first = enquiry_about(hana, child("Olivia", "Hughes"), days_ago=100)
    enquiry_services.close_enquiry(
        enquiry=first, actor=hana, outcome="early_help", rationale="Early help agreed."
    )
    second = enquiry_about(hana, child("Olivia", "Hughes"))
    body = page(client_for("hub_practitioner"), second)
    assert "Already known" in body
    assert "1 earlier enquiry" in body
    assert first.reference in body
    assert "Repeat referral" in body
    assert "Early help" in body
    entry = RecordEntry.objects.filter(action="people.known_viewed").get()
    assert str(first.pk) in entry.details["earlier_enquiries"]


def test_no_repeat_referral_after_twelve_months(cast: Any, client_for: Any) -> None:
    hana = cast["hub_practitioner"]
    enquiry_about(hana, child("Olivia", "Hughes"), days_ago=500)
    second = enquiry_about(hana, child("Olivia", "Hughes"))
    body = page(client_for("hub_practitioner"), second)
    assert "1 earlier enquiry" in body
    assert "Repeat referral" not in body


def test_a_new_person_shows_no_panel_and_records_nothing(cast: Any, client_for: Any) -> None:
    enquiry = enquiry_about(cast["hub_practitioner"], child("Olivia", "Hughes"))
    assert "Already known" not in page(client_for("hub_practitioner"), enquiry)
    assert not RecordEntry.objects.filter(action="people.known_viewed").exists()


def possible_pair(hana: Any) -> tuple[Any, Any]:
    first = enquiry_about(hana, child("Olivia", "Hughes"), days_ago=90)
    second = enquiry_about(hana, child("Livvy", "Hughes-Price", date(2015, 7, 3)), submit=False)
    return first, second


def test_intake_shows_the_possible_match_with_reasons_and_confirming_links(
    cast: Any, client_for: Any
) -> None:
    hana = cast["hub_practitioner"]
    first, second = possible_pair(hana)
    client = client_for("hub_practitioner")
    people_url = reverse("enquiries:people", kwargs={"enquiry_id": second.pk})
    body = client.get(people_url).content.decode()
    assert "Possible match" in body
    assert "date of birth: day and month swapped" in body
    assert first.reference in body
    suggestion = MatchSuggestion.objects.get()
    response = client.post(
        reverse("people:suggestion-confirm", kwargs={"suggestion_id": suggestion.pk}),
        {"next": people_url},
    )
    assert response.status_code == 302 and response["Location"] == people_url
    livvy = PersonLink.objects.get(person__first_name="Livvy")
    olivia = PersonLink.objects.get(person__first_name="Olivia")
    assert livvy.indexed_person_id == olivia.indexed_person_id
    assert RecordEntry.objects.filter(action="people.match_confirmed").count() == 1
    body = client.get(people_url).content.decode()
    assert "1 earlier enquiry" in body and "Possible match" not in body


def test_rejecting_from_the_page_keeps_them_apart(cast: Any, client_for: Any) -> None:
    _, second = possible_pair(cast["hub_practitioner"])
    client = client_for("hub_manager")
    suggestion = MatchSuggestion.objects.get()
    response = client.post(
        reverse("people:suggestion-reject", kwargs={"suggestion_id": suggestion.pk}),
        {"next": "https://elsewhere.example/"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("enquiries:detail", kwargs={"enquiry_id": second.pk})
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.REJECTED


def test_confirm_needs_a_post_with_csrf(cast: Any) -> None:
    possible_pair(cast["hub_practitioner"])
    suggestion = MatchSuggestion.objects.get()
    url = reverse("people:suggestion-confirm", kwargs={"suggestion_id": suggestion.pk})
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast["hub_practitioner"])
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 403
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.OPEN


@pytest.mark.parametrize("who", ["police_practitioner", "health_practitioner", "outsider", "dpo"])
def test_others_cannot_confirm(cast: Any, client_for: Any, who: str) -> None:
    possible_pair(cast["hub_practitioner"])
    suggestion = MatchSuggestion.objects.get()
    url = reverse("people:suggestion-confirm", kwargs={"suggestion_id": suggestion.pk})
    assert client_for(who).post(url).status_code == 404
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.OPEN


def test_a_decided_suggestion_is_not_decided_twice(cast: Any, client_for: Any) -> None:
    possible_pair(cast["hub_practitioner"])
    suggestion = MatchSuggestion.objects.get()
    client = client_for("hub_practitioner")
    url = reverse("people:suggestion-reject", kwargs={"suggestion_id": suggestion.pk})
    client.post(url)
    response = client.post(url, follow=True)
    assert "already been decided" in response.content.decode()
    assert RecordEntry.objects.filter(action="people.match_rejected").count() == 1
