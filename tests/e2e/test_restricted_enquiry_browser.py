"""Restricted enquiries in a real browser: the restricted page and breaking the glass,
the manager's restriction form and the DPO's review page; each page passes axe (WCAG 2.2
AA) and the strict CSP, with JavaScript on and off."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import assert_accessible, screenshot


@pytest.fixture
def restricted(transactional_db: Any, cast: dict[str, Any], agencies: dict[str, Any]) -> Any:
    from mash.enquiries import services
    from mash.enquiries.models import Enquiry, Person

    enquiry = Enquiry.objects.create(
        reference="MASH-E2E-7", hub=agencies["hub"], status="open", created_by=cast["dpo"]
    )
    Person.objects.create(enquiry=enquiry, kind="child", first_name="Rowan", last_name="Vale")
    services.restrict_enquiry(
        enquiry=enquiry, actor=cast["hub_manager"], users=[], reason="A staff member's child"
    )
    return enquiry


@pytest.fixture
def signed_in(
    transactional_db: Any, cast: dict[str, Any], new_page: Callable[..., Page], live_server: Any
) -> Callable[..., Page]:
    """``signed_in("dpo", javascript=False)``: a page with that person's session (made
    before the browser starts, so no database work runs inside Playwright's loop)."""
    from django.test import Client

    sessions = {}
    for who in ("hub_practitioner", "hub_manager", "dpo"):
        client = Client()
        client.force_login(cast[who])
        sessions[who] = str(client.cookies["sessionid"].value)

    def make(who: str, *, javascript: bool = True) -> Page:
        page = new_page(javascript=javascript)
        page.context.add_cookies(
            [
                {
                    "name": "sessionid",
                    "value": sessions[who],
                    "domain": urlparse(live_server.url).hostname,
                    "path": "/",
                }
            ]
        )
        return page

    return make


@pytest.mark.parametrize("javascript", [False, True], ids=["without JavaScript", "with"])
def test_a_practitioner_breaks_the_glass_and_the_dpo_reviews_it(
    restricted: Any, signed_in: Callable[..., Page], javascript: bool
) -> None:
    page = signed_in("hub_practitioner", javascript=javascript)
    page.goto(f"/enquiries/{restricted.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("This enquiry is restricted")
    expect(page.locator("body")).not_to_contain_text("Rowan")
    assert_accessible(page)
    if javascript:
        screenshot(page, "restricted-enquiry")
    page.get_by_role("button", name="Open the enquiry").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter why you need to open this enquiry"
    )
    assert_accessible(page)
    page.get_by_label("Why do you need to open this enquiry?").fill("Covering the duty desk")
    page.get_by_role("button", name="Open the enquiry").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("MASH-E2E-7")
    expect(page.locator("body")).to_contain_text("Rowan")

    dpo = signed_in("dpo", javascript=javascript)
    dpo.goto("/enquiries/glass-breaks")
    expect(dpo.locator("table")).to_contain_text("Covering the duty desk")
    assert_accessible(dpo)
    dpo.get_by_role("button", name="Mark reviewed").click()
    expect(dpo.locator("body")).to_contain_text("There is nothing to review.")


def test_the_restriction_form_is_accessible(
    restricted: Any, signed_in: Callable[..., Page]
) -> None:
    page = signed_in("hub_manager")
    page.goto(f"/enquiries/{restricted.pk}/restrict")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Restrict this enquiry to named people"
    )
    assert_accessible(page)
    page.get_by_label("Why is it restricted?").fill("")
    page.get_by_role("button", name="Save who can open it").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter why the enquiry is restricted"
    )
    assert_accessible(page)
