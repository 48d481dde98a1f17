"""Answering a request in a real browser (Debian's Chromium), JavaScript off and on:
the forms post (CSRF passes), questions are skipped as the guidance says, items are
added and removed, and the decision record shows what was shared."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connections

from mash.sharing.models import Decision
from tests.e2e.helpers import complete_second_factor

from .factories import make_request

CHROMIUM = "/usr/bin/chromium"
PASSWORD = "correct horse battery staple"

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's Chromium"),
]


@pytest.fixture
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=CHROMIUM,
                args=[
                    "--no-sandbox",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                ],
            )
            yield chromium
            chromium.close()
            # The test's database work ran while Playwright's event loop was running, on
            # connections of that context (Django keeps one per context, not per thread):
            # close them here, or their sessions outlive the test and PostgreSQL cannot
            # drop the test database.
            connections.close_all()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def _sign_in(page: Any, url: str, username: str) -> None:
    page.goto(f"{url}/sign-in")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")
    complete_second_factor(page, username)  # the code step every sign-in now has


def _continue(page: Any) -> None:
    page.click("button:has-text('Continue')")


def _answer_to_significant_harm(page: Any) -> None:
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


def _fill_item(page: Any, n: int, text: str) -> None:
    p = f"#id_item-{n}-"
    page.fill(p + "text", text)
    page.check(p + "nature")
    page.fill(p + "recorded_on", "2026-01-10")
    page.fill(p + "source", "Command and control log")
    page.check(p + "currency")
    page.check(p + "sensitive-no")
    page.check(p + "people")
    page.check(p + "onward_sharing")


def _fill_record(page: Any) -> None:
    page.fill("#id_justification", "The child is at risk of significant harm.")
    page.check("#id_informed-will_tell")
    page.fill("#id_proportionality", "The risk to the child outweighs the refusal.")


@pytest.mark.parametrize("javascript", [False, True], ids=["no-js", "js"])
def test_an_agency_practitioner_answers_a_request_in_a_browser(
    browser: Any, live_server: Any, cast: Any, agencies: Any, javascript: bool
) -> None:
    req = make_request(cast=cast, agency=agencies["police"], purpose="Bruising seen at school")
    page = browser.new_page(java_script_enabled=javascript)
    _sign_in(page, live_server.url, "priya")
    page.goto(f"{live_server.url}/requests/")
    page.click(f"text={req.enquiry.reference}")
    assert "Bruising seen at school" in page.inner_text("main")
    page.click("button:has-text('Start answering')")
    _answer_to_significant_harm(page)
    assert "What the guidance says: Share" in page.inner_text("#outcome-title")
    _fill_item(page, 1, "Two call-outs to the address")
    page.click("button:has-text('Add another item')")
    _fill_item(page, 2, "An item not needed after all")
    page.click("button:has-text('Remove item 2')")
    assert page.locator("#item-2").count() == 0
    _fill_record(page)
    page.click("button.govuk-button:has-text('Record the decision')")
    assert "Information sharing decision record" in page.inner_text("h1")
    record = page.inner_text("main")
    assert "Two call-outs to the address" in record
    assert "An item not needed after all" not in record
    decision = Decision.objects.get(request=req)
    assert decision.basis == "significant_harm"
    assert decision.items.count() == 1


def test_consent_details_are_revealed_only_when_consent_was_given(
    browser: Any, live_server: Any, cast: Any, agencies: Any
) -> None:
    req = make_request(cast=cast, agency=agencies["police"])
    page = browser.new_page()
    _sign_in(page, live_server.url, "priya")
    page.goto(f"{live_server.url}/requests/{req.pk}")
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
