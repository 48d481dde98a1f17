"""Reminders before a deadline, escalation once it has passed, and the daily digest:
each sent once, to the right people, recorded, and carrying no one's details."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from mash.records.models import RecordEntry
from mash.sharing.models import RequestStatus
from mash.timeliness import services
from mash.timeliness.models import Notice, Notification
from tests.timeliness.conftest import after


def recipients(notice: Notice) -> set[str]:
    return {n.user.username for n in notice.notifications.select_related("user")}


def test_nothing_is_sent_while_plenty_of_time_is_left(police_request: Any) -> None:
    result = services.scan(now=after(police_request, hours=1))
    assert result.reminders == [] and result.escalations == []
    assert not Notice.objects.exists()


def test_it_reminds_the_police_when_half_the_time_is_left(police_request: Any) -> None:
    result = services.scan(now=after(police_request, hours=2, minutes=30))
    [notice] = result.reminders
    assert notice.kind == "reminder" and notice.point == "50%"
    assert recipients(notice) == {"priya", "paul"}
    assert DBTaskResult.objects.count() == 1  # the e-mail is queued with it


def test_a_second_scan_sends_nothing_more(police_request: Any) -> None:
    now = after(police_request, hours=2, minutes=30)
    services.scan(now=now)
    again = services.scan(now=now + dt.timedelta(minutes=1))
    assert again.reminders == []
    assert Notification.objects.count() == 2
    assert DBTaskResult.objects.count() == 1


def test_it_reminds_again_with_one_hour_left(police_request: Any) -> None:
    services.scan(now=after(police_request, hours=2, minutes=30))
    [notice] = services.scan(now=after(police_request, hours=3, minutes=5)).reminders
    assert notice.point == "1h"
    assert Notification.objects.filter(user__username="priya").count() == 2


def test_when_two_points_are_reached_at_once_only_the_tightest_is_sent(
    police_request: Any,
) -> None:
    notices = services.scan(now=after(police_request, hours=3, minutes=30)).reminders
    assert {(n.point, n.sent) for n in notices} == {("50%", False), ("1h", True)}
    assert Notification.objects.filter(user__username="priya").count() == 1


def test_an_overdue_request_is_escalated_to_the_managers_and_the_hub(
    police_request: Any,
) -> None:
    [notice] = services.scan(now=after(police_request, hours=4, minutes=1)).escalations
    # the police manager, the hub's manager, and the hub practitioner who sent it
    assert recipients(notice) == {"paul", "harriet", "hana"}
    assert services.scan(now=after(police_request, hours=5)).escalations == []


def test_an_answered_request_is_neither_reminded_nor_escalated(police_request: Any) -> None:
    police_request.status = RequestStatus.ANSWERED
    police_request.save(update_fields=["status"])
    assert services.scan(now=after(police_request, hours=3, minutes=30)).reminders == []
    assert services.scan(now=after(police_request, hours=9)).escalations == []


def test_the_texts_carry_the_reference_and_a_link_and_nobody_s_details(
    police_request: Any,
) -> None:
    services.scan(now=after(police_request, hours=2, minutes=30))
    services.scan(now=after(police_request, hours=4, minutes=1))
    enquiry = police_request.enquiry
    person = police_request.people.get()
    for n in Notification.objects.all():
        text = n.subject + n.body
        assert enquiry.reference in n.subject
        assert "http://" in n.body or "https://" in n.body
        for secret in [person.first_name, person.last_name, enquiry.concern, enquiry.referrer_name]:
            assert secret not in text
    to_hub = Notification.objects.get(user__username="harriet")
    assert to_hub.link == f"/enquiries/{enquiry.pk}/"
    assert "overdue by" in to_hub.subject
    assert "Police" in to_hub.body


def test_each_notice_is_recorded_with_ids_only(police_request: Any) -> None:
    [notice] = services.scan(now=after(police_request, hours=4, minutes=1)).escalations
    entry = RecordEntry.objects.get(action="notice.sent")
    assert entry.object_id == str(notice.pk)
    assert entry.enquiry_id == police_request.enquiry_id
    assert entry.details["kind"] == "escalation"
    assert entry.details["request"] == str(police_request.pk)
    assert sorted(entry.details["recipients"]) == sorted(
        str(n.user_id) for n in notice.notifications.all()
    )


def test_a_later_deadline_after_an_escalation_is_watched_afresh(police_request: Any) -> None:
    services.scan(now=after(police_request, hours=4, minutes=1))
    police_request.deadline = after(police_request, hours=10)
    police_request.save(update_fields=["deadline"])
    assert services.scan(now=after(police_request, hours=9, minutes=30)).reminders
    assert services.scan(now=after(police_request, hours=10, minutes=1)).escalations


def test_the_daily_digest_goes_once_a_day(police_request: Any) -> None:
    now = after(police_request, hours=5)
    first = services.digest(now=now)
    assert {n.notifications.get().user.username for n in first} == {"priya", "paul", "harriet"}
    police_text = Notification.objects.get(user__username="priya").subject
    assert "1 overdue" in police_text
    # Later the same day (whatever the time the test runs: an hour later may be tomorrow).
    again = now + dt.timedelta(hours=1)
    if timezone.localdate(again) != timezone.localdate(now):
        again = timezone.localtime(now).replace(hour=23, minute=59, second=59, microsecond=0)
        again = max(again, now)
    assert services.digest(now=again) == []
    assert len(services.digest(now=now + dt.timedelta(days=1))) == 3


def test_e_mails_are_sent_once_each(police_request: Any, mailoutbox: Any) -> None:
    [notice] = services.scan(now=after(police_request, hours=2, minutes=30)).reminders
    now = after(police_request, hours=2, minutes=31)
    assert services.send_notice_emails(notice_id=str(notice.pk), now=now) == 2
    assert services.send_notice_emails(notice_id=str(notice.pk), now=now) == 0
    assert sorted(m.to[0] for m in mailoutbox) == ["paul@police.example", "priya@police.example"]
    assert RecordEntry.objects.filter(action="notice.emailed").count() == 2
