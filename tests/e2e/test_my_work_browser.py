"""Allocation in a real browser: a practitioner finds an enquiry in the team queue on
"My work", takes it, and the enquiry page leads with its next action; a manager
reassigns it. Each page passes axe (WCAG 2.2 AA) and the strict CSP, with JavaScript on
and off."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import assert_accessible, screenshot


@pytest.fixture
def queued(transactional_db: Any, cast: dict[str, Any], agencies: dict[str, Any]) -> Any:
    from django.utils import timezone

    from mash.enquiries.models import Enquiry, Person

    enquiry = Enquiry.objects.create(
        reference="MASH-E2E-17",
        hub=agencies["hub"],
        status="open",
        rag="red",
        received_at=timezone.now() - dt.timedelta(minutes=20),
        hub_due_at=timezone.now() + dt.timedelta(hours=3, minutes=40),
        created_by=cast["hub_manager"],
    )
    Person.objects.create(enquiry=enquiry, kind="child", first_name="Ada", last_name="Quill")
    return enquiry


@pytest.fixture
def signed_in(
    transactional_db: Any, cast: dict[str, Any], new_page: Callable[..., Page], live_server: Any
) -> Callable[..., Page]:
    from django.test import Client

    sessions = {}
    for who in ("hub_practitioner", "hub_manager"):
        client = Client()
        client.force_login(cast[who])
        sessions[who] = str(client.cookies["sessionid"].value)

    def make(who: str, *, javascript: bool = True) -> Page:
        page = new_page(javascript=javascript)
        host = urlparse(live_server.url).hostname
        page.context.add_cookies(
            [{"name": "sessionid", "value": sessions[who], "domain": host, "path": "/"}]
        )
        return page

    return make


@pytest.mark.parametrize("javascript", [False, True], ids=["without JavaScript", "with"])
def test_a_practitioner_takes_an_enquiry_from_my_work_and_a_manager_reassigns_it(
    queued: Any, signed_in: Callable[..., Page], javascript: bool
) -> None:
    page = signed_in("hub_practitioner", javascript=javascript)
    page.goto("/enquiries/")
    page.get_by_role("link", name="My work").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My work")
    queue = page.locator("table").filter(has_text="MASH-E2E-17")
    expect(queue).to_contain_text("Ada Quill")
    expect(queue).to_contain_text("(in 4 hours)")
    assert_accessible(page)
    if javascript:
        screenshot(page, "my-work", full_page=False)
    page.get_by_role("button", name="Take enquiry MASH-E2E-17").click()
    expect(page.get_by_role("alert", name="Success")).to_contain_text(
        "You own enquiry MASH-E2E-17 now"
    )
    banner = page.locator("#next-step")
    expect(banner).to_contain_text("No agency asked yet")
    expect(banner.get_by_role("button", name="Ask agencies for information")).to_be_visible()
    expect(page.locator("#allocation")).to_contain_text("You own this enquiry.")
    assert_accessible(page)
    if javascript:
        screenshot(page, "enquiry-next-step", full_page=False)
    page.goto("/my-work")
    expect(page.locator("#owned ~ table").first).to_contain_text("MASH-E2E-17")

    manager = signed_in("hub_manager", javascript=javascript)
    manager.goto(f"/enquiries/{queued.pk}/")
    manager.locator("#allocation").get_by_role("link", name="Reassign").click()
    manager.get_by_role("button", name="Reassign the enquiry").click()
    expect(manager.locator(".govuk-error-summary")).to_contain_text("Select who owns the enquiry")
    assert_accessible(manager)
    manager.get_by_label("Harriet Tester, Manager").check()
    if javascript:
        screenshot(manager, "allocate", full_page=False)
    manager.get_by_role("button", name="Reassign the enquiry").click()
    expect(manager.locator("#allocation")).to_contain_text("You own this enquiry.")
