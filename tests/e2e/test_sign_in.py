"""Signing in through the real form, with JavaScript on and off."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD
from tests.e2e.helpers import assert_accessible, console_of, screenshot, sign_in


def test_a_practitioner_signs_in_through_the_form_and_lands_signed_in(
    journey_page: Page, cast: dict[str, Any]
) -> None:
    sign_in(journey_page, "priya", PASSWORD)
    assert not journey_page.url.endswith("/sign-in")
    expect(journey_page.get_by_role("button", name="Sign out")).to_be_visible()
    expect(journey_page.get_by_role("link", name="Sign in")).to_have_count(0)
    expect(journey_page.get_by_role("heading", level=1)).to_be_visible()


def test_a_wrong_password_shows_the_error_summary_linked_to_the_field(
    journey_page: Page, javascript: bool, cast: dict[str, Any]
) -> None:
    sign_in(journey_page, "priya", "not the password")
    expect(journey_page).to_have_title("Sign in (error) \N{EN DASH} MASH information sharing hub")
    summary = journey_page.locator(".govuk-error-summary")
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    link = summary.get_by_role("link", name="Enter a correct username and password")
    expect(link).to_have_attribute("href", "#id_username")
    expect(journey_page.get_by_label("Username")).to_have_value("priya")
    expect(journey_page.get_by_label("Password")).to_have_value("")
    expect(journey_page.get_by_role("link", name="Sign in")).to_be_visible()  # still signed out
    if javascript:
        # GOV.UK Frontend moves focus to the summary, and its links to the field they name.
        expect(summary).to_be_focused()
        link.click()
        expect(journey_page.get_by_label("Username")).to_be_focused()


def test_the_sign_in_page_has_no_wcag_22_aa_problems(page: Page) -> None:
    page.goto("/sign-in")
    assert_accessible(page)
    screenshot(page, "sign-in")


def test_the_sign_in_page_with_errors_has_no_wcag_22_aa_problems(
    page: Page, cast: dict[str, Any]
) -> None:
    sign_in(page, "priya", "not the password")
    assert_accessible(page)
    screenshot(page, "sign-in-error")


def test_the_sign_in_page_has_no_wcag_22_aa_problems_without_javascript(
    page_no_js: Page, cast: dict[str, Any]
) -> None:
    page_no_js.goto("/sign-in")
    assert_accessible(page_no_js)
    sign_in(page_no_js, "priya", "not the password")
    assert_accessible(page_no_js)


def test_signing_in_breaks_no_content_security_policy_rule(
    page: Page, cast: dict[str, Any]
) -> None:
    sign_in(page, "priya", "not the password")
    sign_in(page, "priya", PASSWORD)
    page.wait_for_load_state("networkidle")
    assert console_of(page).csp_violations == []
