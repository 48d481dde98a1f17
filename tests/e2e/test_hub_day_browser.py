"""The hub's day in a real browser (issue 17): a school raises a concern that lands in
the hub's queue; a practitioner takes it and records a threshold decision with a
strategy discussion and a police investigation; a manager authorises it; the strategy
discussion is recorded with an action that appears in its owner's My work and is done;
the referrer is told (the mail captured) and the school sees the outcome and its part
of the meeting. Every new page passes axe, with JavaScript on and off."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlparse

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.e2e.helpers import assert_accessible, fill_date, screenshot

SCHOOL_EMAIL = "dsl@oak-primary.example.org"
OUTCOME_WORDS = "A social worker and the police are looking into your concern."


@pytest.fixture
def signed_in(
    transactional_db: Any, cast: dict[str, Any], new_page: Callable[..., Page], live_server: Any
) -> Callable[..., Page]:
    from django.test import Client

    sessions = {}
    for who in ("hub_practitioner", "hub_manager", "outsider"):
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
def test_a_schools_concern_through_the_hub_to_the_outcome(
    signed_in: Callable[..., Page], javascript: bool, settings: Any
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    shots = javascript  # screenshots once, as most people see the pages

    # The school raises the concern.
    school = signed_in("outsider", javascript=javascript)
    school.goto("/")
    school.get_by_role("link", name="Concerns raised").click()
    school.get_by_role("button", name="Raise a concern about a child").click()
    school.get_by_role("button", name="Send the concern to the hub").click()
    expect(school.locator(".govuk-error-summary")).to_contain_text("Enter your role")
    assert_accessible(school)
    school.get_by_label("Your role").fill("Designated safeguarding lead")
    school.get_by_label("Your e-mail address or telephone number").fill(SCHOOL_EMAIL)
    school.get_by_label("First name").fill("Amy")
    school.get_by_label("Last name").fill("Pupil")
    fill_date(school, "Date of birth", "2018-03-14")
    school.get_by_label("What is the concern?").fill("Amy has a burn on her hand.")
    school.get_by_role("group", name="Is the child in immediate danger?").get_by_label("No").check()
    school.get_by_label("No, consent was not obtained").check()
    school.get_by_label("Why was consent not obtained?").fill("Asking could put Amy at risk.")
    if shots:
        screenshot(school, "concern-new")
    school.get_by_role("button", name="Send the concern to the hub").click()
    expect(school.get_by_role("alert", name="Success")).to_contain_text("Your concern is with")
    expect(school.locator("main")).to_contain_text("Received: waiting in the hub")
    assert_accessible(school)
    reference = school.locator(".govuk-caption-l").inner_text().split()[-1]

    # The hub takes it from the queue and records the threshold decision.
    hana = signed_in("hub_practitioner", javascript=javascript)
    hana.goto("/my-work")
    expect(hana.locator("#queue ~ table").first).to_contain_text(reference)
    hana.get_by_role("button", name=f"Take enquiry {reference}").click()
    expect(hana.locator("#next-step")).to_contain_text("New contact: not yet rated")
    enquiry_url = hana.url
    hana.goto(enquiry_url.rstrip("/") + "/close")
    hana.get_by_label("Level 4: Specialist: child protection").check()
    hana.get_by_label("Strategy discussion (section 47)").check()
    hana.get_by_label("Police investigation").check()
    hana.get_by_label("Rationale").fill("A burn with no explanation; significant harm suspected.")
    hana.get_by_role("button", name="Send for authorisation").click()

    harriet = signed_in("hub_manager", javascript=javascript)
    harriet.goto("/my-work")
    harriet.get_by_role("link", name=f"{reference}: level 4").click()
    harriet.get_by_label("Authorise it and close the enquiry").check()
    harriet.get_by_role("button", name="Save").click()

    # The strategy discussion, with an action for Hana.
    hana.goto(enquiry_url)
    banner = hana.locator("#next-step")
    expect(banner).to_contain_text("record the strategy discussion")
    banner.get_by_role("button", name="Record the strategy discussion").click()
    hana.get_by_role("button", name="Record the strategy discussion").click()
    expect(hana.locator(".govuk-error-summary")).to_contain_text("Enter the decisions made")
    assert_accessible(hana)
    today = timezone.localdate()
    fill_date(hana, "Date of the strategy discussion", today.isoformat())
    hana.get_by_label("Time it started").fill("00:01")
    hana.get_by_label("Chair").select_option(label="Harriet Tester, Manager")
    hana.get_by_label("Children's social care MASH", exact=True).check()
    hana.get_by_label("Who attended for Children's social care MASH").fill("Harriet, Hana")
    hana.get_by_label("Education", exact=True).check()
    hana.get_by_label("Who attended for Education").fill("Eve Tester, DSL")
    hana.get_by_label("What Education contributed").fill("Amy's attendance has dropped.")
    hana.get_by_label("Decisions").fill("Section 47 enquiries start today.")
    action = hana.get_by_role("group", name="Action 1")
    action.get_by_label("What is to be done").fill("Visit Amy at home with the police")
    action.get_by_label("Owner").select_option(label="Hana Tester, Children's social care MASH")
    fill_date(action, "Due date", today.isoformat())
    if shots:
        screenshot(hana, "strategy-discussion-new")
    hana.get_by_role("button", name="Record the strategy discussion").click()
    expect(hana.get_by_role("alert", name="Success")).to_contain_text("is recorded")
    expect(hana.locator("main")).to_contain_text("Amy's attendance has dropped.")
    assert_accessible(hana)
    if shots:
        screenshot(hana, "strategy-discussion-record")

    # The action is in Hana's My work until she marks it done.
    hana.goto("/my-work")
    actions = hana.locator("#actions ~ table").first
    expect(actions).to_contain_text("Visit Amy at home with the police")
    assert_accessible(hana)
    if shots:
        screenshot(hana, "my-work-actions", full_page=False)
    hana.get_by_role("button", name=re.compile(r"^Mark as done\W+Visit Amy at home")).click()
    expect(hana.get_by_role("alert", name="Success")).to_contain_text("marked done")
    expect(hana.locator("main")).not_to_contain_text("Visit Amy at home with the police")

    # Feedback to the school, by e-mail.
    hana.goto(enquiry_url)
    hana.locator("#next-step").get_by_role("button", name="Tell the referrer the outcome").click()
    expect(hana.get_by_label("The referrer's e-mail address")).to_have_value(SCHOOL_EMAIL)
    hana.get_by_label("What the referrer is told").fill(OUTCOME_WORDS)
    assert_accessible(hana)
    if shots:
        screenshot(hana, "feedback")
    hana.get_by_role("button", name="Send the feedback").click()
    expect(hana.get_by_role("alert", name="Success")).to_contain_text("Feedback to the referrer")
    expect(hana.locator("#feedback ~ dl").first).to_contain_text("E-mailed to " + SCHOOL_EMAIL)
    [message] = mail.outbox
    assert message.to == [SCHOOL_EMAIL] and message.body == OUTCOME_WORDS

    # The school sees the outcome, and its part of the strategy discussion.
    school.goto("/concerns/")
    expect(school.locator("table")).to_contain_text("Outcome sent")
    assert_accessible(school)
    if shots:
        screenshot(school, "concerns-list", full_page=False)
    school.get_by_role("link", name=reference).click()
    expect(school.locator(".govuk-inset-text")).to_contain_text(OUTCOME_WORDS)
    assert_accessible(school)
    if shots:
        screenshot(school, "concern-outcome")
    school.get_by_role("link", name="Strategy discussions").click()
    school.get_by_role("link", name=reference).click()
    main = school.locator("main")
    expect(main).to_contain_text("Amy's attendance has dropped.")
    expect(main).not_to_contain_text("Section 47 enquiries start today.")
    expect(main).not_to_contain_text("Visit Amy at home")
    assert_accessible(school)
    if shots:
        screenshot(school, "strategy-discussion-partner")
