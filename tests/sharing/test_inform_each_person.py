"""Informing the individual, for each person (issue 12, item 9).

Guidance, How?: "Inform the individual that the information has been shared if they
were not aware of this, as long as this would not create or increase risk of harm".
Each person whose information is shared without their consent was told (on a date),
will be told by a date, or will not be told (a ground in the guidance's words, and
why). A promised telling not recorded by its date is a reminder on the deciding
practitioner's Requests page; recording it writes its record entry."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from mash.policy.informing import Told
from mash.records.models import RecordEntry
from mash.sharing.models import Decision, PersonInformed, standing

from .factories import make_enquiry, make_person, make_request, share_over_refusal
from .pages import TO_SIGNIFICANT_HARM, date_boxes, decision_url, share_form, walk

CRIME_REASON = "CRIMEREASON-the-father-is-under-investigation-5521"


def _case(cast: dict[str, Any], agencies: dict[str, Any], client_for: Any) -> Any:
    """A police request about a child and her mother, walked to the decision page."""
    hub_user = cast["hub_practitioner"]
    enquiry = make_enquiry(hub=hub_user.agency, created_by=hub_user)
    child = make_person(enquiry)
    mother = make_person(enquiry, kind="parent")
    req = make_request(
        cast=cast, agency=agencies["police"], enquiry=enquiry, people=[child, mother]
    )
    police = client_for("police_practitioner")
    walk(police, req, TO_SIGNIFICANT_HARM)
    return req, child, mother, police


def _in_days(days: int) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


def test_each_person_s_answer_is_recorded_and_shown_on_the_decision_record(
    cast: dict[str, Any], agencies: dict[str, Any], client_for: Any
) -> None:
    req, child, mother, police = _case(cast, agencies, client_for)
    m = f"person-{mother.pk}-"
    form = share_form(
        child,
        informed="will_tell",
        not_informed_ground=None,
        not_informed_reason=None,
        **date_boxes("tell_by", _in_days(7)),
        **{
            m + "informed": "not_told",
            m + "not_informed_ground": "crime",
            m + "not_informed_reason": CRIME_REASON,
        },
    )
    response = police.post(decision_url(req), form)
    assert response.status_code == 302, response.content.decode()
    decision = Decision.objects.get()
    rows = {r.person_id: r for r in decision.informing.all()}
    assert rows[child.pk].answer == "will_tell"
    assert rows[child.pk].tell_by == timezone.localdate() + dt.timedelta(days=7)
    assert rows[mother.pk].answer == "not_told"
    assert rows[mother.pk].ground == "crime"
    assert rows[mother.pk].reason == CRIME_REASON
    # Each person's answer is their row, the one truth: the decision keeps no summary.
    assert decision.informed == ""
    assert decision.not_informed_reason == ""
    entry = RecordEntry.objects.get(action="decision.recorded")
    assert entry.details["informed"] == {str(child.pk): "will_tell", str(mother.pk): "not_told"}

    page = police.get(reverse("sharing:decision", kwargs={"decision_id": decision.pk}))
    html = page.content.decode()
    when = (timezone.localdate() + dt.timedelta(days=7)).strftime("%-d %B %Y")
    assert f"To be told by {when}" in html
    assert "Will not be told: Telling them would prejudice the prevention or detection" in html
    assert CRIME_REASON in html
    assert "Record that they were told" in html


def test_a_promise_to_tell_without_a_date_is_refused_naming_the_field(
    cast: dict[str, Any], agencies: dict[str, Any], client_for: Any
) -> None:
    req, child, _mother, police = _case(cast, agencies, client_for)
    form = share_form(child, informed="will_tell", not_informed_ground=None)
    response = police.post(decision_url(req), form)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'href="#id_tell_by"' in html
    assert "Enter the date by which each person will be told" in html
    assert not Decision.objects.exists()
    assert not PersonInformed.objects.exists()


def test_not_telling_one_person_without_a_ground_is_refused_naming_them(
    cast: dict[str, Any], agencies: dict[str, Any], client_for: Any
) -> None:
    req, child, mother, police = _case(cast, agencies, client_for)
    m = f"person-{mother.pk}-"
    form = share_form(
        child, **{m + "informed": "not_told", m + "not_informed_reason": "Too risky now"}
    )
    response = police.post(decision_url(req), form)
    assert response.status_code == 400
    html = response.content.decode()
    assert f'href="#id_{m}not_informed_ground"' in html
    assert f"Select why {escape(mother.full_name)} will not be told" in html
    assert not Decision.objects.exists()


def test_a_telling_dated_in_the_future_is_refused(
    cast: dict[str, Any], agencies: dict[str, Any], client_for: Any
) -> None:
    req, child, _mother, police = _case(cast, agencies, client_for)
    form = share_form(
        child,
        informed="told",
        not_informed_ground=None,
        not_informed_reason=None,
        **date_boxes("told_on", _in_days(2)),
    )
    response = police.post(decision_url(req), form)
    assert response.status_code == 400
    assert "was told must be today or in the past" in response.content.decode()
    assert not Decision.objects.exists()


def _promise_past_its_date(cast: dict[str, Any], agencies: dict[str, Any]) -> Any:
    """The police practitioner's share whose "will be told" date has passed: the date
    is moved back, as if the days had gone by."""
    req = make_request(cast=cast, agency=agencies["police"])
    decision = share_over_refusal(cast["police_practitioner"], req)
    decision.informing.update(tell_by=timezone.localdate() - dt.timedelta(days=1))
    return decision


def test_the_practitioner_who_decided_is_reminded_once_the_date_passes(
    cast: dict[str, Any], agencies: dict[str, Any], client_for: Any
) -> None:
    decision = _promise_past_its_date(cast, agencies)
    names = [p.full_name for p in decision.request.people.all()]
    inbox = client_for("police_practitioner").get(reverse("sharing:inbox")).content.decode()
    assert "by dates that have passed" in inbox
    for name in names:
        assert escape(name) in inbox
    told_url = reverse(
        "sharing:told",
        kwargs={"decision_id": decision.pk, "person_id": decision.informing.first().person_id},
    )
    assert told_url in inbox
    # Nobody else is reminded of this practitioner's promise.
    other = client_for("police_manager").get(reverse("sharing:inbox")).content.decode()
    assert "dates that have passed" not in other


def test_a_promise_not_yet_due_is_not_a_reminder(
    cast: dict[str, Any], agencies: dict[str, Any], client_for: Any
) -> None:
    req = make_request(cast=cast, agency=agencies["police"])
    share_over_refusal(cast["police_practitioner"], req)
    inbox = client_for("police_practitioner").get(reverse("sharing:inbox")).content.decode()
    assert "have passed" not in inbox


def test_recording_the_telling_writes_its_record_entry_and_ends_the_reminder(
    cast: dict[str, Any], agencies: dict[str, Any], client_for: Any
) -> None:
    decision = _promise_past_its_date(cast, agencies)
    police = client_for("police_practitioner")
    informing = decision.informing.first()
    url = reverse(
        "sharing:told", kwargs={"decision_id": decision.pk, "person_id": informing.person_id}
    )
    assert police.get(url).status_code == 200
    today = timezone.localdate()
    response = police.post(url, date_boxes("told_on", today.isoformat()))
    assert response.status_code == 302
    informing.refresh_from_db()
    assert informing.told_on == today
    assert informing.told_recorded_by == cast["police_practitioner"]
    entry = RecordEntry.objects.get(action="decision.person_told")
    assert entry.details == {
        "decision": str(decision.pk),
        "person": str(informing.person_id),
        "told_on": today.isoformat(),
    }
    record = police.get(reverse("sharing:decision", kwargs={"decision_id": decision.pk}))
    assert f"told on {today:%-d %B %Y}" in record.content.decode()
    inbox = police.get(reverse("sharing:inbox")).content.decode()
    assert escape(informing.person.full_name) not in inbox.split('id="onward"')[0]
    # Once only.
    again = police.post(url, date_boxes("told_on", today.isoformat()))
    assert again.status_code == 400
    assert RecordEntry.objects.filter(action="decision.person_told").count() == 1


def test_a_telling_before_the_decision_or_in_the_future_is_refused(
    cast: dict[str, Any], agencies: dict[str, Any], client_for: Any
) -> None:
    decision = _promise_past_its_date(cast, agencies)
    police = client_for("police_practitioner")
    informing = decision.informing.first()
    url = reverse(
        "sharing:told", kwargs={"decision_id": decision.pk, "person_id": informing.person_id}
    )
    for days, words in ((-3, "cannot be before the decision"), (1, "today or in the past")):
        when = (timezone.localdate() + dt.timedelta(days=days)).isoformat()
        response = police.post(url, date_boxes("told_on", when))
        assert response.status_code == 400
        assert words in response.content.decode()
    empty = police.post(url, date_boxes("told_on", ""))
    assert empty.status_code == 400
    assert "Enter the date" in empty.content.decode()
    informing.refresh_from_db()
    assert informing.told_on is None
    assert not RecordEntry.objects.filter(action="decision.person_told").exists()


def test_only_the_deciding_agency_records_a_telling(
    cast: dict[str, Any], agencies: dict[str, Any], client_for: Any
) -> None:
    decision = _promise_past_its_date(cast, agencies)
    informing = decision.informing.first()
    url = reverse(
        "sharing:told", kwargs={"decision_id": decision.pk, "person_id": informing.person_id}
    )
    today = timezone.localdate().isoformat()
    for who in ("hub_practitioner", "health_practitioner"):
        response = client_for(who).post(url, date_boxes("told_on", today))
        assert response.status_code == 404
    informing.refresh_from_db()
    assert informing.told_on is None


def test_each_answer_stands_the_same_in_sql_as_on_the_row(
    cast: dict[str, Any], agencies: dict[str, Any]
) -> None:
    """``standing`` (the reports' and reminders' SQL) and ``PersonInformed.stands`` are
    made from one rule: for every answer, with and without a telling recorded, the row
    is found under exactly the answer it stands at."""
    req = make_request(cast=cast, agency=agencies["police"])
    decision = share_over_refusal(cast["police_practitioner"], req)
    row = decision.informing.first()
    for answer in Told:
        for told_on in (None, timezone.localdate()):
            PersonInformed.objects.filter(pk=row.pk).update(answer=answer.value, told_on=told_on)
            row.refresh_from_db()
            found = [t for t in Told if PersonInformed.objects.filter(standing(t), pk=row.pk)]
            assert found == [row.stands], (answer, told_on, found)
            assert row.waiting == (answer is Told.WILL_TELL and told_on is None)
