"""Sign out everywhere: every session of that person ends, on every device; recorded."""

from __future__ import annotations

from typing import Any

from django.test import Client

from mash.records.models import RecordEntry


def test_it_ends_every_session_of_that_person_and_only_theirs(cast: dict[str, Any]) -> None:
    laptop, phone, colleague = Client(), Client(), Client()
    laptop.force_login(cast["hub_practitioner"])
    phone.force_login(cast["hub_practitioner"])
    colleague.force_login(cast["hub_manager"])
    assert phone.get("/account").status_code == 200

    response = phone.post("/account/sign-out-everywhere", follow=True)
    assert b"You have been signed out everywhere" in response.content
    assert "_auth_user_id" not in phone.session

    ended = laptop.get("/enquiries/")
    assert ended["Location"] == "/sign-in?next=%2Fenquiries%2F"
    assert b"you chose to sign out everywhere" in laptop.get(ended["Location"]).content
    assert colleague.get("/enquiries/").status_code == 200

    entry = RecordEntry.objects.filter(action="auth.signed_out_everywhere").get()
    assert entry.actor_username == "hana"


def test_signing_in_again_afterwards_works(cast: dict[str, Any]) -> None:
    client = Client()
    client.force_login(cast["hub_practitioner"])
    client.post("/account/sign-out-everywhere")
    client.force_login(cast["hub_practitioner"])
    assert client.get("/enquiries/").status_code == 200


def test_it_needs_a_post_and_a_signed_in_person(client: Client, cast: dict[str, Any]) -> None:
    assert client.post("/account/sign-out-everywhere")["Location"].startswith("/sign-in")
    client.force_login(cast["hub_practitioner"])
    assert client.get("/account/sign-out-everywhere").status_code == 405
