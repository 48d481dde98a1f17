"""Hub staff ask partner agencies for what they hold: one request per agency."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from mash.enquiries.deadlines import response_deadline
from mash.enquiries.models import EnquiryStatus
from mash.records.models import RecordEntry
from mash.sharing import services
from mash.sharing.models import InformationRequest

from .factories import make_enquiry, make_person


@pytest.fixture
def enquiry(cast: Any) -> Any:
    hub_user = cast["hub_practitioner"]
    enquiry = make_enquiry(hub=hub_user.agency, created_by=hub_user, rag="red")
    make_person(enquiry)
    make_person(enquiry, kind="parent")
    return enquiry


def _url(enquiry: Any) -> str:
    return reverse("sharing:request-create", kwargs={"enquiry_id": enquiry.pk})


def _form(enquiry: Any, agencies: list[Any], **overrides: Any) -> dict[str, Any]:
    due = timezone.localtime(timezone.now() + dt.timedelta(hours=6))
    data: dict[str, Any] = {
        "agencies": [a.pk for a in agencies],
        "people": [str(p.pk) for p in enquiry.people.all()],
        "purpose": "To know whether the family is known to you",
        "deadline_date": due.date().isoformat(),
        "deadline_time": due.strftime("%H:%M"),
    }
    data.update(overrides)
    return data


def test_it_sends_one_request_per_agency_each_with_its_record_entry(
    cast: Any, agencies: Any, enquiry: Any
) -> None:
    sent = services.send_requests(
        actor=cast["hub_practitioner"],
        enquiry=enquiry,
        agencies=[agencies["police"], agencies["health"]],
        people=list(enquiry.people.all()),
        purpose="To know whether the family is known to you",
        deadline=timezone.now() + dt.timedelta(hours=4),
    )
    assert {r.agency.code for r in sent} == {"police", "health"}
    entries = RecordEntry.objects.filter(action="request.sent")
    assert {e.object_id for e in entries} == {str(r.pk) for r in sent}
    assert all(e.enquiry_id == enquiry.pk for e in entries)


def test_the_form_offers_active_partner_agencies_and_the_enquiry_people(
    cast: Any, agencies: Any, enquiry: Any, client_for: Any
) -> None:
    agencies["education"].active = False
    agencies["education"].save()
    response = client_for("hub_practitioner").get(_url(enquiry))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Which agencies need to be involved?" in text
    assert "Police" in text and "NHS health" in text
    assert "Education" not in text
    assert 'value="{}"'.format(agencies["hub"].pk) not in text
    for person in enquiry.people.all():
        assert person.first_name in text


def test_the_deadline_defaults_from_the_enquiry_rag(
    cast: Any, enquiry: Any, client_for: Any
) -> None:
    response = client_for("hub_practitioner").get(_url(enquiry))
    due = response_deadline(rating="red", start=timezone.now())
    assert due is not None
    assert timezone.localtime(due).date().isoformat() in response.content.decode()


def test_sending_through_the_form_creates_the_requests(
    cast: Any, agencies: Any, enquiry: Any, client_for: Any
) -> None:
    response = client_for("hub_practitioner").post(
        _url(enquiry), _form(enquiry, [agencies["police"], agencies["health"]])
    )
    assert response.status_code == 302
    assert InformationRequest.objects.filter(enquiry=enquiry).count() == 2
    request = InformationRequest.objects.get(enquiry=enquiry, agency=agencies["police"])
    assert request.people.count() == 2


def test_it_refuses_a_deadline_in_the_past(
    cast: Any, agencies: Any, enquiry: Any, client_for: Any
) -> None:
    past = timezone.localtime(timezone.now() - dt.timedelta(days=1))
    response = client_for("hub_practitioner").post(
        _url(enquiry),
        _form(enquiry, [agencies["police"]], deadline_date=past.date().isoformat()),
    )
    assert response.status_code == 400
    assert "The response deadline must be in the future" in response.content.decode()
    assert not InformationRequest.objects.exists()


def test_it_refuses_no_agency_no_person_and_no_purpose(
    cast: Any, agencies: Any, enquiry: Any, client_for: Any
) -> None:
    response = client_for("hub_practitioner").post(
        _url(enquiry), _form(enquiry, [], people=[], purpose="")
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "There is a problem" in text
    assert "Select at least one agency to ask" in text
    assert "Select at least one person to ask about" in text
    assert "Enter the purpose of the request" in text


def test_it_refuses_the_hub_itself_as_an_agency_to_ask(
    cast: Any, agencies: Any, enquiry: Any, client_for: Any
) -> None:
    response = client_for("hub_practitioner").post(_url(enquiry), _form(enquiry, [agencies["hub"]]))
    assert response.status_code == 400
    assert "Select agencies from the list" in response.content.decode()
    with pytest.raises(ValidationError) as excinfo:
        services.send_requests(
            actor=cast["hub_practitioner"],
            enquiry=enquiry,
            agencies=[agencies["hub"]],
            people=list(enquiry.people.all()),
            purpose="x",
            deadline=timezone.now() + dt.timedelta(hours=1),
        )
    assert "is the hub" in excinfo.value.message_dict["agencies"][0]


def test_it_refuses_a_person_from_another_enquiry(
    cast: Any, agencies: Any, enquiry: Any, client_for: Any
) -> None:
    other = make_enquiry(hub=agencies["hub"], created_by=cast["hub_practitioner"])
    stranger = make_person(other)
    response = client_for("hub_practitioner").post(
        _url(enquiry), _form(enquiry, [agencies["police"]], people=[str(stranger.pk)])
    )
    assert response.status_code == 400
    assert "Select people from this enquiry" in response.content.decode()
    assert not InformationRequest.objects.exists()


def test_it_refuses_to_ask_the_same_agency_twice(
    cast: Any, agencies: Any, enquiry: Any, client_for: Any
) -> None:
    client = client_for("hub_practitioner")
    client.post(_url(enquiry), _form(enquiry, [agencies["police"]]))
    with pytest.raises(ValidationError) as excinfo:
        services.send_requests(
            actor=cast["hub_practitioner"],
            enquiry=enquiry,
            agencies=[agencies["police"]],
            people=list(enquiry.people.all()),
            purpose="x",
            deadline=timezone.now() + dt.timedelta(hours=1),
        )
    assert "already asked" in excinfo.value.message_dict["agencies"][0]
    # The form no longer offers the agency already asked.
    text = client.get(_url(enquiry)).content.decode()
    assert "Already asked: Police" in text


@pytest.mark.parametrize("status", [EnquiryStatus.DRAFT, EnquiryStatus.CLOSED])
def test_it_refuses_requests_on_a_draft_or_closed_enquiry(
    cast: Any, agencies: Any, enquiry: Any, client_for: Any, status: str
) -> None:
    enquiry.status = status
    enquiry.save()
    response = client_for("hub_practitioner").post(
        _url(enquiry), _form(enquiry, [agencies["police"]])
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert ("Submit the enquiry" in text) or ("This enquiry is closed" in text)
    assert not InformationRequest.objects.exists()


@pytest.mark.parametrize("who", ["police_practitioner", "health_practitioner", "outsider", "dpo"])
def test_only_the_hub_practitioners_and_managers_reach_the_form(
    cast: Any, enquiry: Any, client_for: Any, who: str
) -> None:
    response = client_for(who).get(_url(enquiry))
    assert response.status_code == 404
    assert enquiry.reference not in response.content.decode()


def test_nothing_is_half_saved_when_the_record_cannot_be_written(
    cast: Any, agencies: Any, enquiry: Any, monkeypatch: Any
) -> None:
    calls = {"n": 0}
    real_record = services.record

    def flaky(**kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("the record is unavailable")
        return real_record(**kwargs)

    monkeypatch.setattr(services, "record", flaky)
    with pytest.raises(RuntimeError):
        services.send_requests(
            actor=cast["hub_practitioner"],
            enquiry=enquiry,
            agencies=[agencies["police"], agencies["health"]],
            people=list(enquiry.people.all()),
            purpose="x",
            deadline=timezone.now() + dt.timedelta(hours=1),
        )
    assert not InformationRequest.objects.exists()
    assert not RecordEntry.objects.filter(action="request.sent").exists()
