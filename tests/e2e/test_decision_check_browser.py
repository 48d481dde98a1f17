"""The "Check a sharing decision" page in a real browser (Debian's Chromium), with
JavaScript on and off: the form posts (CSRF passes), the decision shows, and the agency
list is revealed only as progressive enhancement."""

from __future__ import annotations

from typing import Any

from tests.e2e.helpers import assert_accessible


def answer_the_contract_example(page: Any) -> None:
    page.check("#purpose_legitimate")  # yes
    page.check("#identifies_individual")
    page.check("#confidential")
    page.check("#consent_status-2")  # refused
    page.check("#significant_harm")


def test_it_decides_in_a_browser_without_javascript(page_no_js: Any) -> None:
    page = page_no_js
    page.goto("/decisions/check")
    assert_accessible(page)
    assert page.is_visible("#consent_agencies")  # nothing is hidden without JavaScript
    answer_the_contract_example(page)
    page.click("button[type=submit]")
    assert page.inner_text("#decision h2") == "Share the information"
    assert "risk of significant harm" in page.inner_text("#decision")


def test_it_reveals_the_agency_list_with_javascript(page: Any) -> None:
    page.goto("/decisions/check")
    assert_accessible(page)
    assert not page.is_visible("#consent_agencies")
    answer_the_contract_example(page)
    page.check("#consent_status")  # given
    page.check("#significant_harm-2")  # no
    page.check("#consent_scope-2")  # only some agencies
    assert page.is_visible("#consent_agencies")
    page.fill("#consent_agencies", "health")
    page.click("button[type=submit]")
    assert page.inner_text("#decision h2") == "Do not share the information"
    assert_accessible(page)


def test_an_unanswered_question_is_named_and_linked(page: Any) -> None:
    page.goto("/decisions/check")
    page.click("button[type=submit]")
    summary = page.locator(".govuk-error-summary")
    assert "Select whether there is a clear and legitimate purpose" in summary.inner_text()
    summary.locator('a[href="#purpose_legitimate"]').click()
    assert page.evaluate("document.activeElement.id") == "purpose_legitimate"
