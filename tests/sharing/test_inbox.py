"""The agency inbox: only the agency's own requests, open and most urgent first."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from mash.records.models import RecordEntry
from mash.sharing.models import RequestStatus

from .factories import make_enquiry, make_request


def test_an_agency_sees_only_its_own_requests(cast: Any, agencies: Any, client_for: Any) -> None:
    police = make_request(cast=cast, agency=agencies["police"], purpose="Police purpose")
    health = make_request(cast=cast, agency=agencies["health"], purpose="Health purpose")
    text = client_for("police_practitioner").get(reverse("sharing:inbox")).content.decode()
    assert police.enquiry.reference in text
    assert "Police purpose" in text
    assert health.enquiry.reference not in text
    assert "Health purpose" not in text
    for person in health.people.all():
        assert escape(person.full_name) not in text


def test_open_requests_come_first_most_urgent_first_and_overdue_is_said_in_words(
    cast: Any, agencies: Any, client_for: Any
) -> None:
    hub_user = cast["hub_practitioner"]

    def red_request() -> Any:
        enquiry = make_enquiry(hub=agencies["hub"], created_by=hub_user, rag="red")
        return make_request(cast=cast, agency=agencies["police"], enquiry=enquiry)

    later, sooner, overdue, answered = (red_request() for _ in range(4))
    now = timezone.now()
    type(later).objects.filter(pk=later.pk).update(deadline=now + dt.timedelta(days=2))
    type(sooner).objects.filter(pk=sooner.pk).update(deadline=now + dt.timedelta(hours=2))
    type(overdue).objects.filter(pk=overdue.pk).update(deadline=now - dt.timedelta(minutes=90))
    type(answered).objects.filter(pk=answered.pk).update(
        deadline=now - dt.timedelta(days=3), status=RequestStatus.ANSWERED
    )
    text = client_for("police_practitioner").get(reverse("sharing:inbox")).content.decode()
    positions = [text.index(r.enquiry.reference) for r in (overdue, sooner, later, answered)]
    assert positions == sorted(positions)
    answered_heading = text.index('<h2 class="govuk-heading-m">Answered (1)</h2>')
    assert positions[2] < answered_heading < positions[-1]
    assert text.count('govuk-tag--red">Overdue<') == 1
    assert "Overdue by 1 hour" in text


def test_listing_requests_is_recorded(cast: Any, agencies: Any, client_for: Any) -> None:
    req = make_request(cast=cast, agency=agencies["police"])
    client_for("police_practitioner").get(reverse("sharing:inbox"))
    entry = RecordEntry.objects.filter(action="request.listed").last()
    assert entry is not None
    assert entry.details["requests"] == [str(req.pk)]
    assert entry.actor_agency == "police"


def test_hub_staff_see_their_hubs_requests_with_the_agency(
    cast: Any, agencies: Any, client_for: Any
) -> None:
    make_request(cast=cast, agency=agencies["police"])
    text = client_for("hub_practitioner").get(reverse("sharing:inbox")).content.decode()
    assert "Requests to partner agencies" in text
    assert "Police" in text


def test_an_agency_with_no_requests_is_told_so(cast: Any, client_for: Any) -> None:
    text = client_for("outsider").get(reverse("sharing:inbox")).content.decode()
    assert "No requests are waiting for a decision." in text


def test_the_inbox_needs_sign_in(db: Any, client: Any) -> None:
    response = client.get(reverse("sharing:inbox"))
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in")


def test_the_inbox_costs_the_same_queries_for_two_requests_or_twelve(
    cast: Any, agencies: Any, client_for: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for("police_practitioner")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("sharing:inbox")).status_code == 200
        return len(captured.captured_queries)

    for _ in range(2):
        make_request(cast=cast, agency=agencies["police"])
    few = queries()
    for _ in range(10):
        make_request(cast=cast, agency=agencies["police"])
    many = queries()
    assert many == few, (few, many)
    # Session, user, two-factor device; both tabs counted in one query, each tab's page,
    # the restrictions, the people, the page's data keys (one query), the hub's clock,
    # the record entry (tests/perf checks every list the same way at 3 and 30).
    assert few <= 18
