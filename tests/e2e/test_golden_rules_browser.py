"""The guidance where the decision is made, in Chromium with JavaScript on and off: the
7 golden rules page (public, in the guidance's words, with the hub's advice contacts),
reached from a guided question page that shows the helpline set in the admin, and the
decision page's "seek advice" answer naming who to ask. Every page passes axe."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page

from mash.guidance.models import AdviceContact
from mash.policy.golden_rules import GOLDEN_RULES
from tests.conftest import PASSWORD
from tests.sharing.factories import make_request

from .helpers import assert_accessible, screenshot, sign_in


def _continue(page: Page) -> None:
    with page.expect_navigation():
        page.click("button:has-text('Continue')")


def _helpline() -> None:
    AdviceContact.objects.create(
        kind="helpline",
        name="Herefordshire MASH helpline",
        role="MASH consultation line",
        phone="01432 260800",
        email="mash@herefordshire.example.org",
        hours="Monday to Friday, 9am to 5pm; out of hours, the emergency duty team",
    )
    AdviceContact.objects.create(
        kind="safeguarding_lead",
        name="Sam Okafor",
        role="Designated safeguarding lead, Police",
        phone="07700 900 982",
        hours="Monday to Friday, 8am to 6pm",
        order=1,
    )


def test_golden_rules_and_advice_contacts(
    new_page: Callable[..., Page],
    cast: dict[str, Any],
    agencies: dict[str, Any],
    javascript: bool,
) -> None:
    _helpline()
    req = make_request(cast=cast, agency=agencies["police"])

    # Anyone can read the rules, signed in or not.
    public = new_page(javascript=javascript)
    public.goto("/guidance/golden-rules")
    assert public.inner_text("h1") == "The 7 golden rules of information sharing"
    rules = public.locator(".mash-golden-rules li").all_inner_texts()
    assert rules == list(GOLDEN_RULES)
    assert "01432 260800" in public.inner_text(".mash-advice-contacts")
    assert "This guidance was due for review in February 2024" in public.inner_text("main")
    assert_accessible(public)
    if javascript:
        screenshot(public, "golden-rules")

    # A police practitioner on a guided question page sees who to ask and the rules link.
    priya = new_page(javascript=javascript)
    sign_in(priya, "priya", PASSWORD)
    priya.goto(f"/requests/{req.pk}")
    with priya.expect_navigation():
        priya.click("button:has-text('Start answering')")
    contacts = priya.inner_text(".mash-advice-contacts")
    assert "Herefordshire MASH helpline" in contacts
    assert "Sam Okafor" in contacts
    assert "Monday to Friday, 9am to 5pm" in contacts
    assert_accessible(priya)

    # Answers the guidance cannot decide on: the decision page says seek advice, and who.
    priya.check("#id_legitimate")
    _continue(priya)
    priya.check("#id_identifies_individual")
    _continue(priya)
    priya.check("#id_confidential")
    priya.check("#id_sensitive-no")
    _continue(priya)
    priya.check("#id_status-refused")
    _continue(priya)
    priya.check("#id_significant_harm-unknown")
    priya.check("#id_urgent-no")
    _continue(priya)
    priya.check("#id_vital_interests-no")
    priya.check("#id_public_function-no")
    _continue(priya)
    _continue(priya)  # public interest: no criteria apply
    assert "Seek advice before deciding" in priya.inner_text("h1")
    assert "01432 260800" in priya.inner_text(".mash-advice-contacts")
    assert priya.get_attribute(".mash-advice-contacts a[href^='tel:']", "href") == (
        "tel:+441432260800"
    )
    assert_accessible(priya)

    # The rules are one link away.
    with priya.expect_navigation():
        priya.click("a:has-text('The 7 golden rules of information sharing')")
    assert priya.url.endswith("/guidance/golden-rules")
    assert priya.locator(".mash-golden-rules li").count() == 7
    assert_accessible(priya)
