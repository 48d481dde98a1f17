"""A Red enquiry whose police request goes overdue: the worker's scan escalates it, and
the hub manager sees it in a real browser (Debian's Chromium): the unread count in the
navigation, the notification, and the enquiry's gauge showing the police overdue.

Time is placed, not waited for: the request is dated five hours back, so its four
hours have run out, and the scan is run with the current time."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.conftest import PASSWORD
from tests.e2e.helpers import assert_accessible, screenshot, sign_in


@pytest.fixture
def escalated(transactional_db: Any, cast: dict[str, Any], agencies: dict[str, Any]) -> Any:
    from django.utils import timezone

    from mash.sharing.models import InformationRequest
    from mash.timeliness import services
    from mash.timeliness.config import ensure_defaults
    from tests.sharing.factories import make_enquiry, make_person, make_request

    ensure_defaults(agencies["hub"])
    enquiry = make_enquiry(hub=agencies["hub"], created_by=cast["hub_practitioner"], rag="red")
    req = make_request(
        cast=cast, agency=agencies["police"], enquiry=enquiry, people=[make_person(enquiry)]
    )
    make_request(cast=cast, agency=agencies["health"], enquiry=enquiry)
    sent = timezone.now() - dt.timedelta(hours=5)
    InformationRequest.objects.filter(pk=req.pk).update(
        created_at=sent, deadline=sent + dt.timedelta(hours=4)
    )
    result = services.scan(now=timezone.now())
    assert len(result.escalations) == 1
    return enquiry


def test_the_hub_manager_sees_the_police_request_escalated(escalated: Any, page: Any) -> None:
    sign_in(page, "harriet", PASSWORD)
    nav = page.locator("#nav-notifications")
    assert " ".join(nav.text_content().split()) == "Notifications 1 unread"
    nav.click()
    assert page.locator("h1").inner_text() == "Notifications"
    row = page.locator("tbody tr").first
    assert f"{escalated.reference}: response overdue by 1 hour" in row.inner_text()
    assert "Overdue" in row.inner_text()
    assert_accessible(page)
    screenshot(page, "timeliness-notifications")

    row.get_by_role("link").click()
    assert page.url.endswith(f"/enquiries/{escalated.pk}/")
    gauge = page.locator("#agency-gauge")
    police = gauge.locator("tr", has_text="Police")
    assert "Overdue" in police.inner_text()
    assert "Overdue by 1 hour" in police.inner_text()
    assert "Escalated to managers" in police.inner_text()
    health = gauge.locator("tr", has_text="NHS health")
    assert "On time" in health.inner_text()
    assert_accessible(page)
    screenshot(page, "timeliness-gauge")
    # Seen: the count has gone from the navigation.
    assert "unread" not in page.locator("#nav-notifications").text_content()
