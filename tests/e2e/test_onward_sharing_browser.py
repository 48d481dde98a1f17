"""Onward sharing in Chromium, JavaScript on and off: the hub passes an item the police
said it may pass on to health (after the form first refuses an empty submission, naming
each field), the police practitioner sees on their decision record where it went, why
and on what basis, and the health practitioner reads it. Every page passes axe (WCAG 2.2
AA) and the strict CSP."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page

from mash.sharing.models import OnwardShare
from tests.conftest import PASSWORD
from tests.sharing.onward_helpers import ASK_FIRST, FREE, PURPOSE, make_case

from .helpers import assert_accessible, screenshot, sign_in


def _click(page: Page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def test_the_hub_passes_an_item_on_and_the_giving_agency_sees_it(
    journey_page: Page,
    javascript: bool,
    new_page: Callable[..., Page],
    cast: dict[str, Any],
    agencies: dict[str, Any],
) -> None:
    case = make_case(cast, agencies)
    hub = journey_page
    sign_in(hub, "hana", PASSWORD)
    hub.goto(f"/enquiries/{case.enquiry.pk}/")
    assert "The hub has not passed anything on." in hub.inner_text("#onward ~ p")
    _click(hub, "a:has-text('Pass information on')")
    assert hub.inner_text("h1") == "Pass information on"
    main = hub.inner_text("main")
    assert FREE in main and ASK_FIRST in main
    assert hub.locator(f"input[value='{case.ask_first.pk}']").count() == 0
    assert_accessible(hub)

    _click(hub, "button:has-text('Pass it on')")
    summary = hub.inner_text(".govuk-error-summary")
    for message in (
        "Select at least one item to pass on",
        "Select the agency to pass the information on to",
        "Enter why you are passing the information on",
        "Select the lawful basis for passing the information on",
    ):
        assert message in summary
    assert_accessible(hub)

    hub.goto(f"/requests/onward/new/{case.enquiry.pk}")
    hub.check("#id_items")
    hub.get_by_label("NHS health", exact=True).check()
    hub.fill("#id_purpose", PURPOSE)
    hub.get_by_label("UK GDPR Article 6(1)(e)", exact=False).check()
    hub.get_by_label("None: no item I am passing on is sensitive").check()
    if javascript:
        screenshot(hub, "onward-share")
    _click(hub, "button:has-text('Pass it on')")
    assert "1 item passed on to NHS health" in hub.inner_text(".govuk-notification-banner")
    onward = hub.inner_text("#onward ~ table")
    assert "NHS health" in onward and PURPOSE in onward
    assert_accessible(hub)
    share = OnwardShare.objects.get()
    assert list(share.items.all()) == [case.free]

    # The police practitioner sees where their item went, why and on what basis.
    police = new_page(javascript=javascript)
    sign_in(police, "priya", PASSWORD)
    police.goto(f"/requests/decisions/{case.decision.pk}")
    given = police.inner_text("main")
    assert "Passed on by the hub" in given
    assert "To NHS health" in given
    assert PURPOSE in given
    assert "UK GDPR Article 6(1)(e): public task" in given
    assert "Hana Tester (the hub)" in given
    assert_accessible(police)
    if javascript:
        police.locator("#onward").evaluate("heading => heading.scrollIntoView()")
        screenshot(police, "onward-share-seen-by-giver", full_page=False)

    # Health reads it from its inbox.
    health = new_page(javascript=javascript)
    sign_in(health, "hugo", PASSWORD)
    health.goto("/requests/")
    _click(health, "a:has-text('Information passed on')")
    assert_accessible(health)
    _click(health, f"a:has-text('{case.enquiry.reference}')")
    read = health.inner_text("main")
    assert FREE in read and PURPOSE in read and ASK_FIRST not in read
    assert_accessible(health)


def test_the_hub_asks_the_police_first_and_passes_the_item_on_once_they_agree(
    page: Page, new_page: Callable[..., Page], cast: dict[str, Any], agencies: dict[str, Any]
) -> None:
    case = make_case(cast, agencies)
    hub = page
    sign_in(hub, "hana", PASSWORD)
    hub.goto(f"/requests/onward/new/{case.enquiry.pk}")
    _click(hub, "a:has-text('Ask Police')")
    assert hub.inner_text("h1") == "Ask Police first"
    hub.get_by_label("NHS health", exact=True).check()
    hub.fill("#id_reason", "The health visitor must know of the risk before visiting")
    screenshot(hub, "onward-ask")
    assert_accessible(hub)
    _click(hub, "button:has-text('Ask Police')")
    assert "Police has been asked" in hub.inner_text(".govuk-notification-banner")
    assert "Waiting for an answer" in hub.inner_text("#ask-first ~ .govuk-summary-card")

    police = new_page(javascript=True)
    sign_in(police, "priya", PASSWORD)
    police.goto("/requests/")
    assert "1 waiting for your answer" in police.inner_text("#onward")
    assert "The hub asks to pass on" in (police.locator("#answered").text_content() or "")
    screenshot(police, "onward-inbox", full_page=False)
    assert_accessible(police)
    police.goto(f"/requests/{case.request.pk}")
    assert "The hub asked to pass your items on" in police.inner_text("main")
    screenshot(police, "onward-request-page")
    assert_accessible(police)
    police.goto("/requests/")
    _click(police, "#onward a:has-text('Information passed on')")
    screenshot(police, "onward-received")
    assert_accessible(police)
    _click(police, f"a:has-text('{case.enquiry.reference}')")
    assert "The health visitor must know of the risk" in police.inner_text("main")
    police.get_by_label("Yes, I agree").check()
    police.fill("#id_answer_reason", "Agreed: the risk to the visitor outweighs it")
    screenshot(police, "onward-answer")
    assert_accessible(police)
    _click(police, "button:has-text('Send your answer')")
    assert "You agreed" in police.inner_text(".govuk-notification-banner")

    hub.goto(f"/requests/onward/new/{case.enquiry.pk}")
    hub.check(f"input[value='{case.ask_first.pk}']")
    hub.get_by_label("NHS health", exact=True).check()
    hub.fill("#id_purpose", PURPOSE)
    hub.get_by_label("UK GDPR Article 6(1)(e)", exact=False).check()
    hub.get_by_label("None: no item I am passing on is sensitive").check()
    _click(hub, "button:has-text('Pass it on')")
    assert "1 item passed on to NHS health" in hub.inner_text(".govuk-notification-banner")
    screenshot(hub, "onward-enquiry-section")
    assert_accessible(hub)
    _click(hub, "#onward ~ table a:has-text('NHS health')")
    assert ASK_FIRST in hub.inner_text("main")
    screenshot(hub, "onward-share-page")
    assert_accessible(hub)
