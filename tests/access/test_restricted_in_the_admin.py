"""A restricted enquiry holds in the Django admin too (issue 16: "every selector that can
reach an enquiry's data ... admin"): a superuser neither named on the restriction nor
holding a live break of the glass meets the restricted page on the enquiry's, its
requests', its decisions' and its consent records' admin pages, and the enquiry's people
and narrative are not on it; the admin's lists show references and codes only."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from mash.agencies.models import User
from mash.consent import services as consent_services
from mash.enquiries import services
from tests.access.matrix import RESTRICTED, World


@pytest.fixture
def ada(world: World) -> Any:
    world.prepare()
    return User.objects.create_superuser(
        username="ada-admin",
        password="not used: force_login",
        agency=world.agencies["hub"],
        role="manager",  # a hub manager who is also staff: may be named on a restriction
    )


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _pages(world: World) -> dict[str, str]:
    """The restricted enquiry's admin pages: itself, a request about it, a consent record
    of its child (both made by the hub practitioner, who broke the glass)."""
    enquiry = world.glass_break.enquiry
    request = world._ask(enquiry, "police")
    consent = consent_services.record_consent(
        actor=world.user("hub", "P"),
        person=enquiry.people.get(),
        status="refused",
        giver="parental_responsibility",
        giver_relationship="mother",
        purpose="MASH enquiry",
        method="verbal",
        given_on=enquiry.received_at.date(),
    )
    return {
        "enquiry": reverse("admin:enquiries_enquiry_change", args=[enquiry.pk]),
        "request": reverse("admin:sharing_informationrequest_change", args=[request.pk]),
        "consent": reverse("admin:consent_consentrecord_change", args=[consent.pk]),
    }


def test_the_admin_pages_of_a_restricted_enquiry_meet_the_restricted_page(
    world: World, ada: Any
) -> None:
    client = _client(ada)
    enquiry = world.glass_break.enquiry
    person = enquiry.people.get()
    for name, url in _pages(world).items():
        page = client.get(url)
        body = page.content.decode()
        assert page.status_code == 403, name
        assert enquiry.reference in body, name  # the restricted page names the reference
        assert escape(person.last_name) not in body, name
        assert RESTRICTED not in body, name


def test_the_admin_list_of_enquiries_shows_the_reference_and_no_names(
    world: World, ada: Any
) -> None:
    enquiry = world.glass_break.enquiry
    page = _client(ada).get(reverse("admin:enquiries_enquiry_changelist"))
    body = page.content.decode()
    assert page.status_code == 200
    assert enquiry.reference in body
    assert escape(enquiry.people.get().last_name) not in body


def test_a_named_administrator_opens_the_enquiry_in_the_admin(world: World, ada: Any) -> None:
    enquiry = world.glass_break.enquiry
    services.restrict_enquiry(
        enquiry=enquiry, actor=world.user("hub", "M"), users=[ada], reason="A staff member's child"
    )
    page = _client(ada).get(reverse("admin:enquiries_enquiry_change", args=[enquiry.pk]))
    assert page.status_code == 200
    assert escape(enquiry.people.get().last_name) in page.content.decode()
