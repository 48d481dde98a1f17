"""The hub records its outcome with a rationale and closes the enquiry. Closing is
refused while any request still awaits a decision; a closed enquiry cannot be changed."""

from __future__ import annotations

from typing import Any

import pytest

from mash.enquiries import services
from mash.enquiries.models import Enquiry
from tests.enquiries.sharing_helpers import ask

CLOSE = {"outcome": "strategy_discussion", "outcome_rationale": "Police and CSC to meet today."}


@pytest.mark.parametrize("who", ["hub_practitioner", "hub_manager"])
def test_hub_practitioners_and_managers_close_with_an_outcome(
    client_for: Any, enquiry: Enquiry, who: str
) -> None:
    c = client_for(who)
    assert c.get(f"/enquiries/{enquiry.pk}/close").status_code == 200
    response = c.post(f"/enquiries/{enquiry.pk}/close", CLOSE)
    assert response.status_code == 302
    enquiry.refresh_from_db()
    assert enquiry.status == "closed"
    assert enquiry.outcome == "strategy_discussion"
    page = c.get(response["Location"]).content.decode()
    assert "Outcome: Strategy discussion" in page
    assert "Police and CSC to meet today." in page


def test_closing_names_the_missing_outcome_and_rationale(client_for: Any, enquiry: Enquiry) -> None:
    response = client_for("hub_manager").post(f"/enquiries/{enquiry.pk}/close", {})
    assert response.status_code == 400
    body = response.content.decode()
    assert '<a href="#id_outcome">Select the hub&#x27;s outcome</a>' in body
    assert '<a href="#id_outcome_rationale">Enter the rationale for the outcome</a>' in body
    enquiry.refresh_from_db()
    assert enquiry.status == "open"


def test_closing_is_refused_while_a_request_awaits_a_decision(
    client_for: Any, enquiry: Enquiry, cast: dict[str, Any], agencies: dict[str, Any]
) -> None:
    ask(enquiry, agencies["police"], cast["hub_practitioner"])
    ask(enquiry, agencies["health"], cast["hub_practitioner"], status="answered")
    c = client_for("hub_manager")
    assert (
        "1 request still awaiting a decision: Police"
        in c.get(f"/enquiries/{enquiry.pk}/close").content.decode()
    )
    response = c.post(f"/enquiries/{enquiry.pk}/close", CLOSE)
    assert response.status_code == 400
    assert (
        "You cannot close this enquiry while requests are still awaiting a decision (Police)"
        in (response.content.decode())
    )
    enquiry.refresh_from_db()
    assert enquiry.status == "open"


def test_closing_is_allowed_once_outstanding_requests_are_withdrawn(
    client_for: Any, enquiry: Enquiry, cast: dict[str, Any], agencies: dict[str, Any]
) -> None:
    ask(enquiry, agencies["police"], cast["hub_practitioner"], status="withdrawn")
    response = client_for("hub_manager").post(f"/enquiries/{enquiry.pk}/close", CLOSE)
    assert response.status_code == 302
    enquiry.refresh_from_db()
    assert enquiry.status == "closed"


def test_a_closed_enquiry_cannot_be_closed_again(client_for: Any, closed: Enquiry) -> None:
    c = client_for("hub_manager")
    response = c.post(f"/enquiries/{closed.pk}/close", CLOSE)
    assert response.status_code == 302
    page = c.get(response["Location"])
    closed.refresh_from_db()
    assert closed.outcome == "early_help"
    assert f"Enquiry {closed.reference} is closed and cannot be changed." in page.content.decode()


@pytest.mark.parametrize(
    ("path", "data"),
    [
        (
            "received",
            {
                "received_day": "1",
                "received_month": "1",
                "received_year": "2026",
                "received_time": "10:00",
            },
        ),
        ("source", {"source": "public"}),
        ("referrer", {"referrer_name": "X"}),
        ("concern", {"concern": "Changed"}),
        ("danger", {"immediate_danger": "yes"}),
        ("consent", {"consent_to_refer": "obtained", "consent_obtained_from": "Mother"}),
        ("urgency", {"rag": "red", "rag_rationale": "Changed"}),
        ("people", {"add_another": "yes"}),
        ("people/add", {"kind": "parent", "first_name": "A", "last_name": "B"}),
        ("check", {}),
    ],
)
def test_every_change_page_refuses_a_closed_enquiry(
    client_for: Any, closed: Enquiry, path: str, data: dict[str, str]
) -> None:
    c = client_for("hub_practitioner")
    for response in [
        c.get(f"/enquiries/{closed.pk}/{path}"),
        c.post(f"/enquiries/{closed.pk}/{path}", data),
    ]:
        assert response.status_code == 302
        assert response["Location"] == f"/enquiries/{closed.pk}/"
    fresh = Enquiry.objects.get(pk=closed.pk)
    assert fresh.concern == closed.concern
    assert fresh.rag == closed.rag
    assert fresh.people.count() == 1


def test_person_pages_refuse_a_closed_enquiry(client_for: Any, closed: Enquiry) -> None:
    person = closed.people.get()
    c = client_for("hub_practitioner")
    for action in ["change", "remove"]:
        response = c.post(f"/enquiries/{closed.pk}/people/{person.pk}/{action}", {})
        assert response.status_code == 302
        assert response["Location"] == f"/enquiries/{closed.pk}/"
    assert closed.people.filter(pk=person.pk).exists()


def test_a_person_asked_about_cannot_be_removed(
    client_for: Any, enquiry: Enquiry, cast: dict[str, Any], agencies: dict[str, Any]
) -> None:
    ask(enquiry, agencies["police"], cast["hub_practitioner"])
    person = enquiry.people.get()
    response = client_for("hub_practitioner").post(
        f"/enquiries/{enquiry.pk}/people/{person.pk}/remove"
    )
    assert response.status_code == 400
    assert "agencies have been asked about them" in response.content.decode()
    with pytest.raises(services.EnquiryError):
        services.remove_person(person=person, actor=cast["hub_practitioner"])
    assert enquiry.people.filter(pk=person.pk).exists()
