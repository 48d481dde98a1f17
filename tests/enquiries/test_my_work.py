""" "My work": what I own, the team queue and the requests on my enquiries, most urgent
first on the hub's own clock; paged in SQL with the same query count at N and 10N."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mash.enquiries.models import Enquiry
from mash.records.models import RecordEntry
from tests.sharing.factories import make_enquiry, make_person, make_request


def owned(
    cast: dict[str, Any],
    agencies: dict[str, Any],
    *,
    owner: Any,
    due_in: dt.timedelta,
    rag: str = "red",
) -> Enquiry:
    enquiry = make_enquiry(hub=agencies["hub"], created_by=cast["hub_practitioner"], rag=rag)
    make_person(enquiry)
    Enquiry.objects.filter(pk=enquiry.pk).update(owner=owner, hub_due_at=timezone.now() + due_in)
    enquiry.refresh_from_db()
    return enquiry


def section(page: str, anchor: str) -> str:
    start = page.index(f'id="{anchor}"')
    return page[start : page.index("<h2", start + 1) if "<h2" in page[start + 1 :] else None]


def test_my_work_lists_what_i_own_overdue_first_and_the_queue_to_take_from(
    client_for: Any, cast: dict[str, Any], agencies: dict[str, Any]
) -> None:
    hana = cast["hub_practitioner"]
    later = owned(cast, agencies, owner=hana, due_in=dt.timedelta(hours=3, minutes=59, seconds=59))
    late = owned(cast, agencies, owner=hana, due_in=-dt.timedelta(minutes=30))
    colleagues = owned(cast, agencies, owner=cast["hub_manager"], due_in=dt.timedelta(hours=1))
    waiting = owned(cast, agencies, owner=None, due_in=dt.timedelta(hours=2))
    page = client_for("hub_practitioner").get("/my-work").content.decode()
    mine = section(page, "owned")
    assert mine.index(late.reference) < mine.index(later.reference)
    assert "Overdue by 30 minutes (was due by" in mine
    assert "(in 4 hours)" in mine  # rounded to the nearest hour, never down to 3
    assert colleagues.reference not in page
    queue = section(page, "queue")
    assert waiting.reference in queue and "Take" in queue
    assert "1 of your enquiries is past the hub&#x27;s response deadline" in page or (
        "1 of your enquiries is past the hub's response deadline" in page
    )
    entry = RecordEntry.objects.filter(action="work.listed", actor_user_id=hana.pk).get()
    assert set(entry.details["enquiries"]) == {str(late.pk), str(later.pk), str(waiting.pk)}


def test_the_requests_sent_on_my_enquiries_are_listed_soonest_first(
    client_for: Any, cast: dict[str, Any], agencies: dict[str, Any]
) -> None:
    hana = cast["hub_practitioner"]
    enquiry = owned(cast, agencies, owner=hana, due_in=dt.timedelta(hours=4))
    police = make_request(cast=cast, agency=agencies["police"], enquiry=enquiry)
    health = make_request(cast=cast, agency=agencies["health"], enquiry=enquiry)
    type(police).objects.filter(pk=police.pk).update(
        deadline=timezone.now() - dt.timedelta(hours=2)
    )
    page = client_for("hub_practitioner").get("/my-work").content.decode()
    sent = section(page, "requests")
    assert sent.index("Police") < sent.index(health.agency.name)
    assert "Overdue by 2 hours" in sent


def test_taking_from_the_queue_moves_the_enquiry_into_my_work(
    client_for: Any, cast: dict[str, Any], agencies: dict[str, Any]
) -> None:
    waiting = owned(cast, agencies, owner=None, due_in=dt.timedelta(hours=2))
    hana = client_for("hub_practitioner")
    assert hana.post(f"/enquiries/{waiting.pk}/take").status_code == 302
    page = hana.get("/my-work").content.decode()
    assert waiting.reference in section(page, "owned")
    assert "Every open enquiry has an owner." in page


def test_the_dpo_sees_the_reviews_waiting_and_no_queue(client_for: Any) -> None:
    page = client_for("dpo").get("/my-work")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="queue"' not in html and "Nothing is waiting for you" in html


def test_partner_agencies_never_reach_my_work(client_for: Any) -> None:
    assert client_for("police_practitioner").get("/my-work").status_code == 404


def test_my_work_is_in_the_hub_s_navigation(client_for: Any) -> None:
    html = client_for("hub_practitioner").get("/enquiries/").content.decode()
    assert 'href="/my-work"' in html
    assert (
        'href="/my-work"'
        not in client_for("police_practitioner").get("/requests/").content.decode()
    )


def _fill(cast: dict[str, Any], agencies: dict[str, Any], n: int) -> None:
    hana = cast["hub_practitioner"]
    for i in range(n):
        mine = owned(cast, agencies, owner=hana, due_in=dt.timedelta(hours=i - 1))
        make_request(cast=cast, agency=agencies["police"], enquiry=mine)
        owned(cast, agencies, owner=None, due_in=dt.timedelta(hours=i))


def test_the_page_s_query_count_is_the_same_at_n_and_10n_rows(
    client_for: Any, cast: dict[str, Any], agencies: dict[str, Any]
) -> None:
    hana = client_for("hub_practitioner")
    _fill(cast, agencies, 3)
    hana.get("/my-work")  # warm: session, hub clock
    with CaptureQueriesContext(connection) as small:
        assert hana.get("/my-work").status_code == 200
    _fill(cast, agencies, 27)  # 30 of each: more than a page
    with CaptureQueriesContext(connection) as large:
        page = hana.get("/my-work").content.decode()
    assert len(large) == len(small), [q["sql"] for q in large.captured_queries]
    assert "Showing 1 to 25 of 30 enquiries" in page
    assert "Showing 1 to 25 of 30 requests" in page


def test_threshold_decisions_wait_for_a_manager_and_come_back_to_their_maker(
    client_for: Any, cast: dict[str, Any], agencies: dict[str, Any]
) -> None:
    from mash.enquiries import threshold

    hana = cast["hub_practitioner"]
    enquiry = owned(cast, agencies, owner=hana, due_in=dt.timedelta(hours=2))
    level = threshold.levels_for(agencies["hub"])[2]
    decision = threshold.record_threshold_decision(
        enquiry=enquiry,
        actor=hana,
        level_id=str(level.pk),
        outcomes=["child_in_need"],
        referral_service="",
        rationale="Needs an assessment.",
    )
    manager = client_for("hub_manager").get("/my-work").content.decode()
    assert "Threshold decisions to authorise" in manager
    assert f"/enquiries/{enquiry.pk}/threshold/{decision.pk}" in manager
    assert "Threshold decisions to authorise" not in (
        client_for("hub_practitioner").get("/my-work").content.decode()
    )
    threshold.return_threshold_decision(
        decision=decision, actor=cast["hub_manager"], reason="Say which agency leads."
    )
    mine = client_for("hub_practitioner").get("/my-work").content.decode()
    assert "Threshold decisions sent back to you" in mine
    assert f"{enquiry.reference}: record the decision again" in mine
