"""The start page in a real browser: accessible, no CSP violations, works without JavaScript,
and the progressive-enhancement module loads."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.helpers import (
    assert_accessible,
    assert_no_console_problems,
    console_of,
    screenshot,
)


def test_the_start_page_has_no_wcag_22_aa_problems(page: Page) -> None:
    page.goto("/")
    expect(page.locator("body")).to_have_class(
        "govuk-template__body js-enabled govuk-frontend-supported"
    )
    assert_accessible(page)
    screenshot(page, "start-page")


def test_the_start_page_has_no_wcag_22_aa_problems_without_javascript(page_no_js: Page) -> None:
    page_no_js.goto("/")
    assert_accessible(page_no_js)


def test_the_start_page_leads_to_sign_in_with_or_without_javascript(journey_page: Page) -> None:
    journey_page.goto("/")
    expect(journey_page.get_by_role("heading", level=1)).to_have_text(
        "MASH information sharing hub"
    )
    expect(journey_page).to_have_title("Start \N{EN DASH} MASH information sharing hub")
    journey_page.get_by_role("button", name="Sign in").click()
    expect(journey_page).to_have_url(re.compile(r"/sign-in$"))
    expect(journey_page.get_by_role("heading", level=1)).to_have_text("Sign in")


def test_the_javascript_module_loads_with_a_javascript_mime_type(page: Page) -> None:
    with page.expect_response("**/static/mash/js/app.mjs") as module:
        page.goto("/")
    assert module.value.status == 200
    assert module.value.headers["content-type"].startswith("text/javascript")
    # Imports are resolved before a module runs: the classes below are added by app.mjs only
    # once both GOV.UK Frontend and MOJ Frontend have loaded from their relative paths.
    expect(page.locator("body")).to_have_class(
        "govuk-template__body js-enabled govuk-frontend-supported"
    )
    assert_no_console_problems(page)


def test_the_start_page_breaks_no_content_security_policy_rule(page: Page) -> None:
    page.goto("/")
    page.wait_for_load_state("networkidle")
    assert console_of(page).csp_violations == []
