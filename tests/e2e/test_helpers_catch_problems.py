"""The browser-test guards are not vacuous: each fails when its problem is there."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.e2e.helpers import assert_accessible, console_of


def test_the_console_watch_records_an_inline_script_the_csp_refuses(page: Page) -> None:
    page.goto("/")
    with pytest.raises(Exception, match="Content Security Policy"):
        page.add_script_tag(content="document.title = 'injected'")
    assert page.title() != "injected"
    violations = console_of(page).csp_violations
    assert violations and "script-src" in violations[0]
    violations.clear()  # expected here; the page fixture fails on any left over


def test_axe_reports_an_image_without_a_text_alternative(page: Page) -> None:
    page.goto("/")
    # Built through the DOM API (no markup), so the CSP has nothing to refuse.
    page.evaluate(
        """() => {
            const img = document.createElement("img");
            img.src = "/static/vendor/govuk-frontend/assets/images/favicon.svg";
            document.querySelector("main").append(img);
        }"""
    )
    with pytest.raises(AssertionError, match=r"image-alt \(critical\)"):
        assert_accessible(page)
