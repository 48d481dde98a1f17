"""The DPO approves a sweep batch in a real browser (Debian's Chromium), with and
without JavaScript: from the preview to the batch, a refused decision naming its field,
the approval; then the sweep destroys the batch. Every page passes axe (WCAG 2.2 AA)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

import pytest

from tests.e2e.helpers import (
    assert_accessible,
    assert_no_console_problems,
    mark_without_javascript,
    screenshot,
    watch_console,
)


@pytest.fixture
def awaiting(transactional_db: Any, cast: dict[str, Any], agencies: dict[str, Any]) -> Any:
    """Two enquiries past retention in a hub whose settings require the DPO's approval,
    planned by a sweep into one batch."""
    from mash.retention import services
    from tests.retention.batches import closed_long_ago, require_approval

    require_approval(agencies["hub"])
    closed_long_ago(agencies["hub"], cast["hub_practitioner"], reference="MASH-E2E-APP-1")
    closed_long_ago(agencies["hub"], cast["hub_practitioner"], reference="MASH-E2E-APP-2")
    return services.sweep().batches.get()


@pytest.fixture
def dpo_session(transactional_db: Any, cast: dict[str, Any]) -> str:
    from django.test import Client

    client = Client()
    client.force_login(cast["dpo"])
    return str(client.cookies["sessionid"].value)


@pytest.mark.parametrize("javascript", [False, True], ids=["without JavaScript", "with"])
def test_the_dpo_approves_a_batch_and_the_sweep_destroys_it(
    awaiting: Any, dpo_session: str, live_server: Any, browser: Any, javascript: bool
) -> None:
    from mash.enquiries.models import Enquiry
    from mash.retention import services

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
    page.click("a:has-text('Sweep batches: 1 awaiting your approval')")
    assert "Awaiting your approval" in page.inner_text("main")
    assert_accessible(page)

    page.click("a:has-text('Review and decide')")
    main = page.inner_text("main")
    assert "4 records in 2 enquiries past retention" in main
    assert "MASH-E2E-APP-1" in main and "MASH-E2E-APP-2" in main
    assert "1 year from closure" in main
    assert_accessible(page)
    if javascript:
        screenshot(page, "retention-batch-approval")

    # Rejecting needs a reason: with JavaScript the box appears once "Reject" is chosen.
    page.check("#id_decision-reject")
    assert page.is_visible("#id_reason")
    page.click("button:has-text('Confirm')")
    assert "Enter why you are rejecting the batch" in page.inner_text(".govuk-error-summary")
    assert_accessible(page)

    page.check("#id_decision")
    page.click("button:has-text('Confirm')")
    banner = page.inner_text(".govuk-notification-banner")
    assert "Batch approved: the next sweep destroys what in it is still due" in banner
    assert "No batch is awaiting approval" in page.inner_text("main")
    assert_accessible(page)

    services.sweep()
    assert not Enquiry.objects.filter(reference__startswith="MASH-E2E-APP-").exists()
    page.goto(f"/retention/batches/{awaiting.pk}")
    assert "4 records destroyed, 0 kept" in page.inner_text("main")
    assert_accessible(page)
    assert_no_console_problems(page)
    context.close()
