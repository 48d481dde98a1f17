"""Knowing the child, in a real browser (issue 14): the hub records a new enquiry about
a child already known under another spelling (Livvy Hughes-Price for Olivia Hughes),
sees the earlier enquiries at intake, confirms the match, and opens the child's
chronology with items from two earlier enquiries and two agencies; the police, searching,
find the child and see only their own part. With JavaScript on and off; axe-clean."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import assert_accessible, fill_date, screenshot


@pytest.fixture
def history(transactional_db: Any, cast: dict[str, Any], agencies: dict[str, Any]) -> Any:
    """Olivia Hughes: known from two enquiries (police shared a fact in one, health an
    opinion in the other); and a new draft enquiry, its person not yet added."""
    from mash.enquiries import services
    from tests.enquiries.sharing_helpers import ask, decide, disclose
    from tests.people.conftest import child, enquiry_about

    hana = cast["hub_practitioner"]
    first = enquiry_about(hana, child("Olivia", "Hughes"), days_ago=300)
    police = ask(first, agencies["police"], hana, status="answered")
    disclose(
        decide(police, cast["police_practitioner"], minutes_ago=60 * 24 * 290),
        list(first.people.all()),
        source="Police national computer",
        text="Domestic incident at the address attended in March.",
    )
    services.close_enquiry(
        enquiry=first, actor=hana, outcome="early_help", rationale="Early help agreed."
    )
    second = enquiry_about(hana, child("Olivia", "Hughes"), days_ago=120)
    health = ask(second, agencies["health"], hana, status="answered")
    disclose(
        decide(health, cast["health_practitioner"], minutes_ago=60 * 24 * 110),
        list(second.people.all()),
        source="Health visitor notes",
        nature="opinion",
        text="Health visitor worried about missed appointments.",
    )
    draft = enquiry_about(hana, submit=False, days_ago=0)
    return {"first": first, "second": second, "draft": draft}


@pytest.fixture
def signed_in(
    transactional_db: Any, cast: dict[str, Any], new_page: Callable[..., Page], live_server: Any
) -> Callable[..., Page]:
    from django.test import Client

    sessions = {}
    for who in ("hub_practitioner", "police_practitioner"):
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
def test_the_hub_knows_the_child_and_the_police_see_only_their_own(
    history: Any, signed_in: Callable[..., Page], javascript: bool
) -> None:
    page = signed_in("hub_practitioner", javascript=javascript)
    page.goto(f"/enquiries/{history['draft'].pk}/people/add")
    page.get_by_role("group", name="Who are they?").get_by_label("Child", exact=True).check()
    page.get_by_label("First name").fill("Livvy")
    page.get_by_label("Last name").fill("Hughes-Price")
    fill_date(page, "Date of birth", "2015-07-03")
    page.get_by_label("Address (optional)").fill("12 Mill Lane, Hereford HR1 2AB")
    page.get_by_role("button", name="Save and continue").click()

    # Intake: already known, with the reasons and the earlier enquiries.
    panel = page.locator("#already-known")
    expect(panel).to_contain_text("Possible match")
    expect(panel).to_contain_text("given name: known short form")
    expect(panel).to_contain_text("date of birth: day and month swapped")
    expect(panel).to_contain_text("2 earlier enquiries")
    expect(panel).to_contain_text(history["first"].reference)
    expect(panel).to_contain_text(history["second"].reference)
    expect(panel).to_contain_text("Early help")
    assert_accessible(page)
    if javascript:
        screenshot(page, "already-known-at-intake")
    panel.get_by_role("button", name="Confirm: the same person as Livvy Hughes-Price").click()
    expect(page.get_by_role("alert", name="Success")).to_contain_text("Match confirmed")
    panel = page.locator("#already-known")
    # The repeat referral is flagged once, at the top of the page (mash.people.repeats).
    expect(page.locator("main")).to_contain_text("Repeat referral")
    expect(panel).to_contain_text("Confirmed by a practitioner".lower())
    assert_accessible(page)

    # The child's chronology: two earlier enquiries, two agencies.
    panel.get_by_role("link", name="Livvy Hughes-Price's chronology").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Livvy Hughes-Price")
    table = page.locator("table")
    expect(table).to_contain_text("Source: Police national computer")
    expect(table).to_contain_text("Source: Health visitor notes")
    expect(table).to_contain_text("Opinion, current")
    expect(table).to_contain_text(history["first"].reference)
    expect(table).to_contain_text(history["second"].reference)
    expect(table).to_contain_text("NHS health")
    expect(table).to_contain_text("Police")
    assert_accessible(page)
    if javascript:
        screenshot(page, "chronology")
    page.get_by_label("Agency").select_option("health")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("table")).not_to_contain_text("Police national computer")
    expect(page.locator("table")).to_contain_text("Health visitor notes")

    # The hub searches: the nickname finds her, and says why.
    page.get_by_role("link", name="Search", exact=True).click()
    page.get_by_label("Search").fill("Liv Hughes")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Search results")
    expect(page.locator("table")).to_contain_text("given name: a known short form")
    assert_accessible(page)
    if javascript:
        screenshot(page, "search-results")

    # The police search: they find her (a request was sent to them) and see their part.
    police = signed_in("police_practitioner", javascript=javascript)
    police.goto("/people/search")
    police.get_by_label("Search").fill("Olivia Hughes")
    police.get_by_role("button", name="Search").click()
    expect(police.locator("table")).to_contain_text("Olivia Hughes")
    assert_accessible(police)
    if javascript:
        screenshot(police, "search-results-agency")
    police.locator("table").get_by_role("link").first.click()
    table = police.locator("table")
    expect(table).to_contain_text("Police national computer")
    expect(table).not_to_contain_text("Health visitor notes")
    expect(table).not_to_contain_text("Early help")
    expect(police.get_by_role("link", name="Print or save as PDF")).to_have_count(0)
    assert_accessible(police)
    # And nothing for a name not in their requests.
    police.goto("/people/search")
    police.get_by_label("Search").fill("Zebedee Quux")
    police.get_by_role("button", name="Search").click()
    expect(police.get_by_role("heading", name="No results")).to_be_visible()
