"""Telling the individual, in a real browser (Guidance, How?: "Inform the individual that
the information has been shared if they were not aware of this, as long as this would not
create or increase risk of harm"). The police shared without consent and said each
person would be told by a date; the date has passed, so the practitioner's Requests page
reminds them. They open a person from the reminder, record the day that person was told,
and land on the decision record, which says so; the reminder now names only the person
still to be told. With JavaScript on and off; axe-clean on each page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import assert_accessible, fill_date, screenshot, signed_in_page


@pytest.mark.parametrize("javascript", [False, True], ids=["without JavaScript", "with"])
def test_the_police_are_reminded_and_record_that_a_person_was_told(
    police_request: Any,
    cast: dict[str, Any],
    new_page: Callable[..., Page],
    live_server: Any,
    javascript: bool,
) -> None:
    from django.utils import timezone

    from mash.records.models import RecordEntry
    from mash.sharing.models import Decision, PersonInformed
    from tests.sharing.factories import SIGNIFICANT_HARM, share_over_refusal

    priya = cast["police_practitioner"]
    req = police_request
    decision = share_over_refusal(priya, req, question=SIGNIFICANT_HARM)
    # Ten days on: the decision said everyone would be told by three days ago.
    today = timezone.localdate()
    Decision.objects.filter(pk=decision.pk).update(
        decided_at=timezone.now() - dt.timedelta(days=10)
    )
    PersonInformed.objects.filter(decision=decision).update(tell_by=today - dt.timedelta(days=3))
    rows = list(decision.informing.select_related("person").order_by("person__created_at"))
    assert len(rows) == 2
    first, second = rows

    page = signed_in_page(new_page, live_server, priya, javascript=javascript)
    page.goto("/requests/")
    reminder = page.locator("#tellings")
    reminded = page.locator("#tellings + ul")
    expect(reminder).to_contain_text("You said 2 people would be told")
    assert_accessible(page)
    if javascript:
        screenshot(page, "telling-reminder", full_page=False)

    expect(reminded.get_by_role("link")).to_have_count(2)
    reminded.get_by_role("link", name=f"{first.person.full_name} ({req.enquiry.reference})").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Record that {first.person.full_name} was told"
    )
    assert_accessible(page)
    if javascript:
        screenshot(page, "telling-record", full_page=False)
    # A date in the future is refused, naming the field; nothing is recorded.
    fill_date(page, "Date they were told", (today + dt.timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Record that they were told").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("must be today or in the past")
    assert not PersonInformed.objects.filter(pk=first.pk, told_on__isnull=False).exists()
    assert_accessible(page)

    told_on = today - dt.timedelta(days=1)
    fill_date(page, "Date they were told", told_on.isoformat())
    page.get_by_role("button", name="Record that they were told").click()

    expect(page.get_by_role("alert", name="Success")).to_contain_text(
        f"Recorded that {first.person.full_name} was told"
    )
    telling = page.locator("#informed + dl")
    expect(telling).to_contain_text(f"told on {told_on:%-d %B %Y}")
    expect(telling.get_by_role("link", name="Record that they were told")).to_have_count(1)
    assert_accessible(page)
    first.refresh_from_db()
    assert first.told_on == told_on and first.told_recorded_by_id == priya.pk
    assert RecordEntry.objects.filter(action="decision.person_told").count() == 1

    page.goto("/requests/")
    expect(reminder).to_contain_text("You said 1 person would be told")
    expect(reminded).to_contain_text(second.person.full_name)
    expect(reminded).not_to_contain_text(first.person.full_name)
