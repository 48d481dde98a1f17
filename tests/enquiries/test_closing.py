"""The hub records its outcome with a rationale and closes the enquiry. Closing is
refused while any request still awaits a decision; a closed enquiry cannot be changed."""

from __future__ import annotations

from typing import Any

import pytest

from mash.enquiries import services
from mash.enquiries.models import Enquiry
from tests.enquiries.sharing_helpers import ask


def decide(c: Any, enquiry: Enquiry, **overrides: Any) -> Any:
    """Post the threshold decision form: level 4, a strategy discussion and a police
    investigation, with a rationale."""
    from mash.enquiries.threshold import levels_for

    level = next(lv for lv in levels_for(enquiry.hub_id) if lv.position == 4)
    data = {
        "level": str(level.pk),
        "outcomes": ["strategy_discussion", "police_investigation"],
        "rationale": "Police and CSC to meet today.",
        **overrides,
    }
    return c.post(f"/enquiries/{enquiry.pk}/close", data)


@pytest.mark.parametrize("who", ["hub_practitioner", "hub_manager"])
def test_hub_practitioners_and_managers_record_a_threshold_decision_for_authorisation(
    client_for: Any, enquiry: Enquiry, who: str
) -> None:
    c = client_for(who)
    form = c.get(f"/enquiries/{enquiry.pk}/close").content.decode()
    assert "Level 4: Specialist: child protection" in form
    assert "Child in need assessment (section 17)" in form
    response = decide(c, enquiry)
    assert response.status_code == 302
    enquiry.refresh_from_db()
    assert enquiry.status == "open"  # open until a manager authorises it
    page = c.get(response["Location"]).content.decode()
    assert "Threshold decision waiting for a manager" in page
    assert "Strategy discussion (section 47)" in page and "Police investigation" in page
    assert "Police and CSC to meet today." in page


def test_the_decision_names_the_missing_level_outcomes_and_rationale(
    client_for: Any, enquiry: Enquiry
) -> None:
    response = client_for("hub_manager").post(f"/enquiries/{enquiry.pk}/close", {})
    assert response.status_code == 400
    body = response.content.decode()
    assert '<a href="#id_level">Select the child&#x27;s level of need</a>' in body
    assert '<a href="#id_outcomes">Select at least one outcome</a>' in body
    assert '<a href="#id_rationale">Enter the rationale for the decision</a>' in body
    enquiry.refresh_from_db()
    assert enquiry.status == "open" and not enquiry.threshold_decisions.exists()


def test_a_referral_elsewhere_names_the_service_and_no_further_action_stands_alone(
    client_for: Any, enquiry: Enquiry
) -> None:
    c = client_for("hub_practitioner")
    body = decide(c, enquiry, outcomes=["referral"]).content.decode()
    assert "Enter the service the child is referred to" in body
    body = decide(c, enquiry, outcomes=["no_further_action", "early_help"]).content.decode()
    assert "No further action cannot be chosen with another outcome" in body
    assert not enquiry.threshold_decisions.exists()
    assert decide(c, enquiry, outcomes=["referral"], referral_service="CAMHS").status_code == 302
    assert (
        "Referral to another service: CAMHS" in c.get(f"/enquiries/{enquiry.pk}/").content.decode()
    )


def test_the_decision_is_refused_while_a_request_awaits_a_decision(
    client_for: Any, enquiry: Enquiry, cast: dict[str, Any], agencies: dict[str, Any]
) -> None:
    ask(enquiry, agencies["police"], cast["hub_practitioner"])
    ask(enquiry, agencies["health"], cast["hub_practitioner"], status="answered")
    c = client_for("hub_manager")
    assert (
        "1 request still awaiting a decision: Police"
        in c.get(f"/enquiries/{enquiry.pk}/close").content.decode()
    )
    response = decide(c, enquiry)
    assert response.status_code == 400
    assert (
        "You cannot close this enquiry while requests are still awaiting a decision (Police)"
        in (response.content.decode())
    )
    assert not enquiry.threshold_decisions.exists()


def test_the_decision_is_allowed_once_outstanding_requests_are_withdrawn(
    client_for: Any, enquiry: Enquiry, cast: dict[str, Any], agencies: dict[str, Any]
) -> None:
    ask(enquiry, agencies["police"], cast["hub_practitioner"], status="withdrawn")
    assert decide(client_for("hub_manager"), enquiry).status_code == 302


def test_a_legacy_closed_enquiry_keeps_its_outcome_readable_and_cannot_be_decided_again(
    client_for: Any, closed: Enquiry
) -> None:
    c = client_for("hub_manager")
    response = decide(c, closed)
    assert response.status_code == 302
    page = c.get(response["Location"]).content.decode()
    closed.refresh_from_db()
    assert closed.outcome == "early_help"
    assert "Outcome: Early help" in page
    assert f"Enquiry {closed.reference} is closed and cannot be changed." in page


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
