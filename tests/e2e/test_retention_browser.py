"""The DPO's retention preview and placing a hold from it, in a real browser (Debian's
Chromium), with and without JavaScript; every page passes axe (WCAG 2.2 AA)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlparse

import pytest

from tests.e2e.helpers import (
    assert_accessible,
    assert_no_console_problems,
    mark_without_javascript,
    watch_console,
)


@pytest.fixture
def expiring(transactional_db: Any, cast: dict[str, Any], agencies: dict[str, Any]) -> Any:
    from mash.enquiries.models import Enquiry
    from mash.retention.models import RetentionRule

    RetentionRule.objects.create(
        agency=agencies["hub"],
        kind="enquiry_nfa",
        amount=2,
        unit="years",
        trigger="closed",
        reason="Local authority retention schedule",
    )
    closed = dt.datetime(2024, 1, 10, 12, tzinfo=dt.UTC)
    return Enquiry.objects.create(
        reference="MASH-E2E-RET",
        hub=agencies["hub"],
        status="closed",
        outcome="no_further_action",
        closed_at=closed,
        created_by=cast["hub_practitioner"],
    )


@pytest.fixture
def dpo_session(transactional_db: Any, cast: dict[str, Any]) -> str:
    from django.test import Client

    client = Client()
    client.force_login(cast["dpo"])
    return str(client.cookies["sessionid"].value)


@pytest.mark.parametrize("javascript", [False, True], ids=["without JavaScript", "with"])
def test_the_dpo_previews_and_holds_an_enquiry(
    expiring: Any, dpo_session: str, live_server: Any, browser: Any, javascript: bool
) -> None:
    context = browser.new_context(java_script_enabled=javascript, base_url=live_server.url)
    context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": dpo_session,
                "domain": urlparse(live_server.url).hostname,
                "path": "/",
            }
        ]
    )
    page = context.new_page()
    watch_console(page)
    if not javascript:
        mark_without_javascript(page)
    page.goto("/retention/")
    assert "MASH-E2E-RET" in page.inner_text("main")
    assert "2 years from closure" in page.inner_text("main")
    assert_accessible(page)

    page.click("a:has-text('Place a hold')")
    page.click("button:has-text('Place the hold')")
    summary = page.inner_text(".govuk-error-summary")
    assert "Enter the reason for the hold" in summary
    assert_accessible(page)

    review = dt.date.today() + dt.timedelta(days=60)
    page.fill("#id_reason", "Independent inquiry has asked for these records")
    page.fill("#review_on_day", str(review.day))
    page.fill("#review_on_month", str(review.month))
    page.fill("#review_on_year", str(review.year))
    page.click("button:has-text('Place the hold')")

    assert "Hold placed on enquiry MASH-E2E-RET" in page.inner_text(".govuk-notification-banner")
    assert "Kept by a hold" in page.inner_text("main")
    assert "MASH-E2E-RET: 1 record" in page.inner_text("main")
    assert_accessible(page)
    assert_no_console_problems(page)
    context.close()
