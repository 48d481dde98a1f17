"""Deadlines on the pages: the per-agency gauge on the enquiry page, the hub's list most
urgent first, and each user's notifications (with an unread count in the navigation)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.utils import timezone

from mash.sharing.models import InformationRequest
from mash.timeliness import services
from mash.timeliness.models import Notification
from tests.timeliness.conftest import red_request


def overdue(req: Any, *, by: dt.timedelta = dt.timedelta(hours=1)) -> None:
    InformationRequest.objects.filter(pk=req.pk).update(
        created_at=timezone.now() - dt.timedelta(hours=5), deadline=timezone.now() - by
    )
    req.refresh_from_db()


def test_the_gauge_shows_each_agency_s_status_in_words(
    client_for: Any, mail_cast: dict[str, Any], agencies: dict[str, Any]
) -> None:
    from tests.sharing.factories import make_request

    req = red_request(mail_cast, agencies)
    make_request(cast=mail_cast, agency=agencies["health"], enquiry=req.enquiry)
    overdue(req)
    services.scan(now=timezone.now())
    page = client_for("hub_manager").get(f"/enquiries/{req.enquiry_id}/")
    html = page.content.decode()
    gauge = html[html.index('id="agency-gauge"') :]
    gauge = gauge[: gauge.index("</table>")]
    police, health = gauge.index("Police"), gauge.index("NHS health")
    assert police < health  # most urgent first
    assert "Overdue" in gauge and "Overdue by 1 hour" in gauge
    assert "Escalated to managers" in gauge
    assert "On time" in gauge and "Due in 24 hours" in gauge  # 23h59m: the nearest hour
    # Red: due 4 hours after receipt, so tomorrow for a test run late in the evening.
    assert re.search(r"The hub's response is due by \d\d:\d\d (today|tomorrow) \(in ", html)


def test_an_answer_is_on_time_or_late_by_its_first_decision_not_a_later_correction(
    mail_cast: dict[str, Any], agencies: dict[str, Any]
) -> None:
    from mash.sharing.models import RequestStatus
    from mash.timeliness.selectors import enquiry_gauge
    from tests.enquiries.sharing_helpers import decide

    police = red_request(mail_cast, agencies)
    now = timezone.now()
    # Answered two hours before its deadline, corrected an hour after it: on time.
    InformationRequest.objects.filter(pk=police.pk).update(
        deadline=now - dt.timedelta(hours=1), status=RequestStatus.ANSWERED
    )
    first = decide(police, mail_cast["police_practitioner"], minutes_ago=180)
    decide(police, mail_cast["police_manager"], supersedes=first, minutes_ago=0)
    [gauge] = enquiry_gauge(police.enquiry, now=now)
    assert (gauge.status, gauge.colour) == ("Answered on time", "green")
    # First answered after the deadline: late.
    first.decided_at = now - dt.timedelta(minutes=30)
    first.save(update_fields=["decided_at"])
    [gauge] = enquiry_gauge(police.enquiry, now=now)
    assert (gauge.status, gauge.colour) == ("Answered late", "pink")


def test_the_hub_s_list_puts_the_soonest_response_first(
    client_for: Any, mail_cast: dict[str, Any], agencies: dict[str, Any]
) -> None:
    green = red_request(mail_cast, agencies, rag="green")
    amber = red_request(mail_cast, agencies, rag="amber")
    overdue(green, by=dt.timedelta(days=1, hours=2))
    page = client_for("hub_practitioner").get("/enquiries/")
    html = page.content.decode()
    assert html.index(green.enquiry.reference) < html.index(amber.enquiry.reference)
    assert "Overdue by" in html


def test_notifications_are_listed_for_their_user_only_and_marked_read(
    client_for: Any, mail_cast: dict[str, Any], agencies: dict[str, Any]
) -> None:
    req = red_request(mail_cast, agencies)
    overdue(req)
    services.scan(now=timezone.now())
    harriet = client_for("hub_manager")
    start = harriet.get("/enquiries/").content.decode()
    assert '1<span class="govuk-visually-hidden"> unread</span>' in start
    page = harriet.get("/notifications/").content.decode()
    assert f"{req.enquiry.reference}: response overdue by 1 hour" in page
    assert "New" in page
    assert f'href="/enquiries/{req.enquiry_id}/"' in page
    assert Notification.objects.get(user=mail_cast["hub_manager"]).read_at is not None
    assert " unread</span>" not in harriet.get("/enquiries/").content.decode()
    # Someone not told sees none of it.
    other = client_for("health_practitioner").get("/notifications/").content.decode()
    assert req.enquiry.reference not in other
    assert "You have no notifications." in other


def test_the_notifications_page_needs_signing_in(client: Any, db: Any) -> None:
    answer = client.get("/notifications/")
    assert answer.status_code == 302 and "/sign-in" in answer["Location"]


def test_the_urgency_page_offers_the_hub_s_configured_ratings(
    client_for: Any, mail_cast: dict[str, Any], agencies: dict[str, Any]
) -> None:
    from mash.timeliness.config import ensure_defaults

    config = ensure_defaults(agencies["hub"])
    config.ratings.filter(code="red").update(hours=2, counting="calendar")
    req = red_request(mail_cast, agencies, rag="amber")
    html = client_for("hub_practitioner").get(f"/enquiries/{req.enquiry_id}/urgency").content
    page = html.decode()
    assert "Answers are due within 2 hours, worked around the clock." in page
    assert "Answers are due within 24 working hours." in page
    assert 'value="blue"' in page and "No response target." in page


def test_a_blue_enquiry_has_no_target_and_says_so(
    client_for: Any, mail_cast: dict[str, Any], agencies: dict[str, Any]
) -> None:
    from mash.enquiries import services as enquiries

    req = red_request(mail_cast, agencies, rag="amber")
    before = req.deadline
    enquiries.update_urgency(
        enquiry=req.enquiry,
        actor=mail_cast["hub_practitioner"],
        rag="blue",
        rationale="Information only: the family is already supported.",
    )
    req.refresh_from_db()
    assert req.deadline == before  # a rating without a target keeps what was given
    page = client_for("hub_manager").get(f"/enquiries/{req.enquiry_id}/").content.decode()
    assert "Blue: no target" in page
    assert "This rating has no response target." in page
