"""Recording and withdrawing consent in a real browser (Debian's Chromium), with and
without JavaScript: the form posts with its file, errors link to their fields, the
history shows the new events newest first."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from tests.consent.forms import pdf

PDF = pdf()


@pytest.fixture
def child(transactional_db: Any, cast: dict[str, Any], agencies: dict[str, Any]) -> Any:
    from mash.enquiries.models import Enquiry, Person

    enquiry = Enquiry.objects.create(
        reference="MASH-E2E-1", hub=agencies["hub"], status="open", created_by=cast["dpo"]
    )
    return Person.objects.create(enquiry=enquiry, kind="child", first_name="Ash", last_name="Tee")


@pytest.fixture
def session_id(transactional_db: Any, cast: dict[str, Any]) -> str:
    """A signed-in session for the hub practitioner, made before the browser starts (so
    no database work happens inside Playwright's event loop)."""
    from django.test import Client

    client = Client()
    client.force_login(cast["hub_practitioner"])
    return str(client.cookies["sessionid"].value)


def _signed_in_page(browser: Any, live_server: Any, session_id: str, javascript: bool) -> Any:
    context = browser.new_context(java_script_enabled=javascript)
    context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": session_id,
                "domain": urlparse(live_server.url).hostname,
                "path": "/",
            }
        ]
    )
    return context.new_page()


@pytest.mark.parametrize("javascript", [False, True], ids=["without JavaScript", "with"])
def test_a_practitioner_records_and_withdraws_consent(
    child: Any,
    session_id: str,
    live_server: Any,
    browser: Any,
    tmp_path: Path,
    javascript: bool,
) -> None:
    page = _signed_in_page(browser, live_server, session_id, javascript)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/consent/people/{child.pk}/")
    page.click("text=Record consent given or refused")

    page.click("button:has-text('Record consent')")
    assert "There is a problem" in page.inner_text(".govuk-error-summary")
    page.click(".govuk-error-summary a[href='#status']")

    form = tmp_path / "consent.pdf"
    form.write_bytes(PDF)
    page.check("#status")  # given
    page.check("#giver-2")  # parental responsibility
    page.fill("#giver_relationship", "grandmother with a special guardianship order")
    page.check("#scope-2")  # only some agencies
    page.check("label:has-text('Police')")
    page.fill("#purpose", "MASH enquiry")
    page.check("#category_scope")  # all kinds
    page.check("#method")  # written
    page.fill("#given_on-day", "3")
    page.fill("#given_on-month", "1")
    page.fill("#given_on-year", "2026")
    page.set_input_files("#evidence", str(form))
    page.click("button:has-text('Record consent')")

    assert "Consent given recorded" in page.inner_text(".govuk-notification-banner")
    assert "Download the consent form" in page.inner_text(".govuk-summary-card")
    page.click(".govuk-summary-card__action a:has-text('Withdraw')")
    page.check("#giver-2")
    page.fill("#giver_relationship", "grandmother")
    page.check("#method-2")  # verbal
    page.fill("#given_on-day", "9")
    page.fill("#given_on-month", "1")
    page.fill("#given_on-year", "2026")
    page.click("button:has-text('Record withdrawal')")

    titles = page.locator(".govuk-summary-card__title").all_inner_texts()
    assert titles == ["Consent withdrawn, 9 January 2026", "Consent given, 3 January 2026"]
    assert errors == []
