"""Golden rule 3 in Chromium: the guidance cannot decide, the police practitioner asks
their manager, the manager answers in the app, and the practitioner records the
decision with the advice on its record; the share overrides a refusal of consent, so
the manager then signs it off before the hub sees it. Every page passes axe (WCAG 2.2 AA)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page

from mash.sharing.models import AdviceRequest, Decision
from tests.conftest import PASSWORD
from tests.sharing.factories import make_request

from .helpers import assert_accessible, fill_date, screenshot, sign_in


def _continue(page: Page) -> None:
    with page.expect_navigation():
        page.click("button:has-text('Continue')")


def _click(page: Page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def test_practitioner_asks_manager_answers_practitioner_records(
    new_page: Callable[..., Page], cast: dict[str, Any], agencies: dict[str, Any]
) -> None:
    req = make_request(cast=cast, agency=agencies["police"])
    child = req.people.filter(kind="child").get()
    priya = new_page(javascript=True)
    sign_in(priya, "priya", PASSWORD)
    priya.goto(f"/requests/{req.pk}")
    _click(priya, "button:has-text('Start answering')")
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

    # Ask the police managers.
    _click(priya, "a:has-text('Ask a manager or the hub')")
    assert priya.inner_text("h1") == "Ask for advice"
    assert_accessible(priya)
    screenshot(priya, "advice-ask")
    _click(priya, "button:has-text('Send the question')")
    assert "Enter your question" in priya.inner_text(".govuk-error-summary")
    assert_accessible(priya)
    priya.check("#id_adviser")  # any manager in Police
    priya.fill("#id_question", "Three call-outs in a month: is that significant harm?")
    _click(priya, "button:has-text('Send the question')")
    assert "Your question has been sent to a manager in Police" in priya.inner_text("main")
    assert "Waiting for an answer" in priya.inner_text("main")
    assert_accessible(priya)

    # The manager answers in the app.
    paul = new_page(javascript=True)
    sign_in(paul, "paul", PASSWORD)
    # The manager is told: a notification naming the enquiry's reference, not the child.
    paul.goto("/notifications/")
    assert f"{req.enquiry.reference}: a practitioner asks for your advice" in paul.inner_text(
        "main"
    )
    assert child.full_name not in paul.inner_text("main")
    assert_accessible(paul)
    screenshot(paul, "advice-notification", full_page=False)
    paul.goto("/requests/advice/")
    assert "Waiting for your advice" in paul.inner_text("main")
    assert_accessible(paul)
    _click(paul, f"a:has-text('{req.enquiry.reference}')")
    assert "is that significant harm?" in paul.inner_text("main")
    assert_accessible(paul)
    paul.fill("#id_answer", "Yes: a pattern of call-outs is significant harm. Share it.")
    screenshot(paul, "advice-answer")
    _click(paul, "button:has-text('Send your advice')")
    assert "Your advice has been sent to Priya Tester" in paul.inner_text("main")
    assert AdviceRequest.objects.get().answered_by == cast["police_manager"]

    # The practitioner answers what the guidance did not know, and records.
    priya.goto(f"/requests/{req.pk}/answer/harm")
    priya.check("#id_significant_harm")
    priya.check("#id_urgent-no")
    _continue(priya)
    assert "Record the decision" in priya.inner_text("h1")
    assert "a pattern of call-outs is significant harm" in priya.inner_text("main")
    priya.fill("#id_item-1-text", "Three call-outs to the address in January")
    priya.check("#id_item-1-nature")
    fill_date(priya.locator("#item-1"), "Date it was recorded", "2026-01-10")
    priya.fill("#id_item-1-source", "Command and control log")
    priya.check("#id_item-1-currency")
    priya.check("#id_item-1-sensitive-no")
    priya.check(f"input[name='item-1-people'][value='{child.pk}']")
    priya.check("#id_item-1-onward_sharing")
    priya.fill("#id_justification", "The child is at risk of significant harm.")
    priya.check("#id_informed-will_tell")
    priya.fill("#id_tell_by_day", "1")  # the date by which they will be told
    priya.fill("#id_tell_by_month", "1")
    priya.fill("#id_tell_by_year", "2099")
    priya.check("#id_adequacy_confirmed")  # necessary, proportionate, relevant, adequate ...
    priya.fill("#id_proportionality", "The risk to the child outweighs the refusal.")
    # Every share: how, and why necessary and proportionate (the lawful basis the
    # guidance proposes is selected already).
    priya.check("#id_how")  # through the hub
    priya.fill("#id_necessary", "The hub needs the call-outs to judge the risk.")
    priya.fill("#id_proportionate", "Only the three call-outs in January.")
    # Nothing is pre-selected for each person: keep the register's position, and for
    # each adult the child's risk of significant harm makes sharing necessary.
    for person in req.people.all():
        priya.check(f"input[name='person-{person.pk}-consent'][value='register']")
        if person.kind != "child":
            priya.check(f"input[name='person-{person.pk}-harm'][value='yes']")
    assert_accessible(priya)
    _click(priya, "button.govuk-button[value='record']")
    assert priya.inner_text("h1") == "Information sharing decision record"
    record = priya.inner_text("main")
    assert "Advice sought" in record
    assert "Three call-outs in a month: is that significant harm?" in record
    assert "a pattern of call-outs is significant harm" in record
    assert "Priya Tester" in record and "Paul Tester" in record
    # Significant harm: the guidance says "If the need to share is urgent ... take
    # immediate action and share the information without consent, but remember to
    # record the reason", so the override reaches the hub at once and the manager
    # reviews it after the event.
    assert "Review after release" in record
    assert_accessible(priya)
    decision = Decision.objects.get()
    assert decision.release == "released"

    paul.goto("/requests/sign-off/")
    assert "Review after release" in paul.inner_text("main")
    assert_accessible(paul)
    _click(paul, f"a:has-text('{req.enquiry.reference}')")
    assert "The risk to the child outweighs the refusal." in paul.inner_text("main")
    assert_accessible(paul)
    paul.check("#id_review")
    screenshot(paul, "review-after-release")
    _click(paul, "button:has-text('Confirm')")
    assert "Review recorded: you agreed" in paul.inner_text("main")
    decision.refresh_from_db()
    assert decision.review_agreed is True
    assert decision.advice_requests.count() == 1
