"""Two-factor sign-in in a real browser: setting up an authenticator from the secret the
page shows, the recovery codes, signing in with a code, a wrong code, the lockout page and
sign out everywhere; axe checks every page on the way."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD
from tests.e2e.helpers import assert_accessible, screenshot, sign_in
from tests.two_factor import code_from_secret, confirmed_device, next_code


def _password(page: Page, username: str, password: str = PASSWORD) -> None:
    page.goto("/sign-in")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


def test_setting_up_an_authenticator_then_signing_in_with_a_code(
    journey_page: Page, cast: dict[str, Any]
) -> None:
    page = journey_page
    _password(page, "priya")
    expect(page).to_have_url(f"{page.url.split('/sign-in')[0]}/sign-in/two-factor/set-up?next=%2F")
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor sign-in")
    expect(
        page.get_by_role("img", name="QR code to scan with your authenticator app")
    ).to_be_visible()
    assert_accessible(page)
    screenshot(page, "two-factor-set-up")

    secret = page.locator("#secret").get_attribute("data-secret") or ""
    assert len(secret) == 32

    # The code an authenticator app makes from the secret shown.
    page.get_by_label("Code from your authenticator app").fill(code_from_secret(secret))
    with page.expect_navigation():
        page.get_by_role("button", name="Confirm and continue").click()
    expect(page.get_by_role("heading", name="Two-factor sign-in is set up")).to_be_visible()
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    assert_accessible(page)
    screenshot(page, "two-factor-recovery-codes")
    with page.expect_navigation():
        page.get_by_role("link", name="I have kept my recovery codes: continue").click()
    expect(page.get_by_role("button", name="Sign out", exact=True)).to_be_visible()

    # Next time: the password, then the code page.
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out", exact=True).click()
    _password(page, "priya")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Enter the code from your authenticator app"
    )
    assert_accessible(page)
    screenshot(page, "two-factor-code")
    device = confirmed_device(cast["police_practitioner"])
    page.get_by_label("Code", exact=True).fill(next_code(device))
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()
    assert "/sign-in" not in page.url
    expect(page.get_by_role("button", name="Sign out", exact=True)).to_be_visible()


def test_a_wrong_code_shows_the_error_summary(page: Page, cast: dict[str, Any]) -> None:
    device = confirmed_device(cast["police_practitioner"])
    _password(page, "priya")
    wrong = f"{(int(next_code(device)) + 1) % 1_000_000:06d}"
    page.get_by_label("Code", exact=True).fill(wrong)
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()
    expect(page).to_have_title("Enter your code (error) \N{EN DASH} MASH information sharing hub")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter the 6-digit code your authenticator app shows now"
    )
    assert_accessible(page)


def test_the_lockout_page_says_what_happened(
    page: Page, cast: dict[str, Any], settings: Any
) -> None:
    settings.AXES_FAILURE_LIMIT = 2
    _password(page, "priya", "not the passphrase")
    _password(page, "priya", "not the passphrase")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "This account is locked after 2 failed sign-ins"
    )
    assert_accessible(page)
    screenshot(page, "sign-in-locked-out")


def test_sign_out_everywhere_from_the_account_page(
    page: Page, new_page: Any, cast: dict[str, Any]
) -> None:
    other = new_page()
    sign_in(other, "priya", PASSWORD)
    sign_in(page, "priya", PASSWORD)
    page.goto("/account")
    assert_accessible(page)
    screenshot(page, "account")
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out everywhere").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "You have been signed out everywhere"
    )
    assert_accessible(page)
    other.goto("/requests/")
    expect(other.locator(".govuk-notification-banner")).to_contain_text(
        "you chose to sign out everywhere"
    )
    expect(other.get_by_role("heading", level=1)).to_have_text("Sign in")


def test_a_wrong_code_at_set_up_shows_the_error_summary(page: Page, cast: dict[str, Any]) -> None:
    _password(page, "priya")
    secret = page.locator("#secret").get_attribute("data-secret") or ""
    wrong = f"{(int(code_from_secret(secret)) + 1) % 1_000_000:06d}"
    page.get_by_label("Code from your authenticator app").fill(wrong)
    with page.expect_navigation():
        page.get_by_role("button", name="Confirm and continue").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("link")).to_have_attribute("href", "#id_code")
    assert_accessible(page)
