"""Answering a request in a real browser (Debian's Chromium), JavaScript on and off:
the forms post (CSRF passes), questions are skipped as the guidance says, items are
added and removed, and the decision record shows what was shared."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page

from mash.sharing.models import Decision
from tests.conftest import PASSWORD
from tests.sharing.factories import make_request

from .helpers import fill_date, sign_in


def _continue(page: Page) -> None:
    with page.expect_navigation():
        page.click("button:has-text('Continue')")


def _answer_to_significant_harm(page: Page) -> None:
    page.check("#id_legitimate")
    _continue(page)
    page.check("#id_identifies_individual")
    _continue(page)
    page.check("#id_confidential")
    page.check("#id_sensitive-no")
    _continue(page)
    page.check("#id_status-refused")
    _continue(page)
    page.check("#id_significant_harm")
    page.check("#id_urgent-no")
    _continue(page)


def _fill_item(page: Page, n: int, text: str) -> None:
    p = f"#id_item-{n}-"
    page.fill(p + "text", text)
    page.check(p + "nature")
    fill_date(page.locator(f"#item-{n}"), "Date it was recorded", "2026-01-10")
    page.fill(p + "source", "Command and control log")
    page.check(p + "currency")
    page.check(p + "sensitive-no")
    page.check(p + "people")
    page.check(p + "onward_sharing")


def _answer_each_person(page: Page, req: Any) -> None:
    for person in req.people.all():
        page.check(f"#id_person-{person.pk}-consent")  # keep the consent register's
        if person.kind != "child":
            page.check(f"#id_person-{person.pk}-harm")  # yes


def _fill_record(page: Page) -> None:
    page.fill("#id_justification", "The child is at risk of significant harm.")
    page.check("#id_informed-will_tell")
    page.fill("#id_tell_by_day", "1")  # the date by which they will be told
    page.fill("#id_tell_by_month", "1")
    page.fill("#id_tell_by_year", "2099")
    page.check("#id_adequacy_confirmed")  # necessary, proportionate, relevant, adequate ...
    page.fill("#id_proportionality", "The risk to the child outweighs the refusal.")
    # Every share: how, and why necessary and proportionate (the lawful basis the
    # guidance proposes is selected already).
    page.check("#id_how")  # through the hub
    page.fill("#id_necessary", "The hub needs the call-outs to judge the risk.")
    page.fill("#id_proportionate", "Only the two recent call-outs.")


def test_an_agency_practitioner_answers_a_request_in_a_browser(
    journey_page: Page, cast: Any, agencies: Any
) -> None:
    req = make_request(cast=cast, agency=agencies["police"], purpose="Bruising seen at school")
    page = journey_page
    sign_in(page, "priya", PASSWORD)
    page.goto("/requests/")
    with page.expect_navigation():
        page.click(f"text={req.enquiry.reference}")
    assert "Bruising seen at school" in page.inner_text("main")
    with page.expect_navigation():
        page.click("button:has-text('Start answering')")
    _answer_to_significant_harm(page)
    assert "What the guidance says: Share" in page.inner_text("#outcome-title")
    _fill_item(page, 1, "Two call-outs to the address")
    with page.expect_navigation():
        page.click("button:has-text('Add another item')")
    _fill_item(page, 2, "An item not needed after all")
    with page.expect_navigation():
        page.click("button:has-text('Remove item 2')")
    assert page.locator("#item-2").count() == 0
    _answer_each_person(page, req)
    _fill_record(page)
    with page.expect_navigation():
        page.click("button.govuk-button:has-text('Record the decision')")
    assert "Information sharing decision record" in page.inner_text("h1")
    record = page.inner_text("main")
    assert "Two call-outs to the address" in record
    assert "An item not needed after all" not in record
    decision = Decision.objects.get(request=req)
    assert decision.basis == "significant_harm"
    assert decision.items.count() == 1


def test_consent_details_are_revealed_only_when_consent_was_given(
    page: Page, cast: Any, agencies: Any
) -> None:
    req = make_request(cast=cast, agency=agencies["police"])
    sign_in(page, "priya", PASSWORD)
    page.goto(f"/requests/{req.pk}")
    with page.expect_navigation():
        page.click("button:has-text('Start answering')")
    page.check("#id_legitimate")
    _continue(page)
    page.check("#id_identifies_individual")
    _continue(page)
    page.check("#id_confidential")
    page.check("#id_sensitive-no")
    _continue(page)
    assert not page.is_visible("#id_explicit")
    page.check("#id_status")  # given
    assert page.is_visible("#id_explicit")
    page.check("#id_coverage")  # all agencies
    page.check("#id_explicit-no")
    _continue(page)
    assert "Basis: Consent" in page.inner_text("#outcome-title + p")
