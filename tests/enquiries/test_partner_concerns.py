"""Partners raise concerns: a partner practitioner raises a concern about a child (the
intake's questions), it lands in the hub's team queue as a new contact on the hub's
triage clock, and the partner's agency sees what happened to it and nothing else."""

from __future__ import annotations

import html
from datetime import timedelta
from typing import Any

import pytest

from mash.enquiries.models import Concern, Enquiry
from mash.records.models import RecordEntry

from .concern_helpers import CONCERN, OUTCOME, concern_form, raise_one, see_it_through


def test_a_school_raises_a_concern_and_it_lands_in_the_hubs_queue(
    client_for: Any, cast: dict[str, Any]
) -> None:
    eve = client_for("outsider")  # education
    form = eve.get("/concerns/new").content.decode()
    assert "Raise a concern about a child" in form and "Was consent to refer obtained?" in form
    response = eve.post("/concerns/new", concern_form())
    assert response.status_code == 302
    concern = Concern.objects.get()
    assert response["Location"] == f"/concerns/{concern.pk}"
    enquiry = concern.enquiry
    assert enquiry.status == "open" and enquiry.owner_id is None and enquiry.rag == ""
    assert enquiry.source == "professional" and enquiry.referrer_organisation == "Education"
    assert enquiry.referrer_name == "Eve Tester" and enquiry.concern == CONCERN
    assert enquiry.consent_to_refer == "not_obtained"
    # Its own clock: the hub's triage deadline, elapsed time as the Red rating counts it.
    assert enquiry.hub_due_at == enquiry.received_at + timedelta(hours=4)
    [child] = enquiry.people.all()
    assert child.full_name == "Amy Pupil" and child.kind == "child"
    assert concern.agency == cast["outsider"].agency and concern.raised_by == cast["outsider"]
    entry = RecordEntry.objects.get(enquiry_id=enquiry.pk, action="concern.raised")
    assert entry.details["agency"] == "education" and CONCERN not in str(entry.details)
    queue = client_for("hub_practitioner").get("/my-work").content.decode()
    assert enquiry.reference in queue
    hub_list = client_for("hub_practitioner").get("/enquiries/").content.decode()
    assert enquiry.reference in hub_list
    detail = html.unescape(
        client_for("hub_practitioner").get(f"/enquiries/{enquiry.pk}/").content.decode()
    )
    assert "Take this enquiry" in detail


def test_the_hub_is_asked_to_rate_a_partners_contact_after_taking_it(
    client_for: Any, cast: dict[str, Any]
) -> None:
    concern = raise_one(cast["outsider"], cast["hub_practitioner"].agency)
    hana = client_for("hub_practitioner")
    hana.post(f"/enquiries/{concern.enquiry_id}/take")
    page = hana.get(f"/enquiries/{concern.enquiry_id}/").content.decode()
    assert "Rate how urgent it is" in page
    response = hana.post(
        f"/enquiries/{concern.enquiry_id}/urgency", {"rag": "green", "rag_rationale": "Minor"}
    )
    assert response.status_code == 302
    enquiry = Enquiry.objects.get(pk=concern.enquiry_id)
    assert enquiry.rag == "green" and enquiry.hub_due_at > enquiry.received_at + timedelta(hours=4)


@pytest.mark.parametrize(
    ("overrides", "anchor", "message"),
    [
        ({"concern": ""}, "id_concern", "Enter the concern in the referrer's words"),
        ({"first_name": ""}, "id_first_name", "Enter their first name"),
        ({"dob_day": "", "dob_month": "", "dob_year": ""}, "id_dob_day", "date of birth or an"),
        ({"consent_not_obtained_reason": ""}, "id_consent_not_obtained_reason", "why consent"),
        ({"consent_to_refer": ""}, "id_consent_to_refer", "Select whether consent to refer"),
        ({"referrer_contact": ""}, "id_referrer_contact", "Enter how the hub can contact you"),
        ({"immediate_danger": "maybe"}, "id_immediate_danger", "immediate danger"),
        ({"estimated_age": "x", "dob_year": ""}, "id_estimated_age", "whole number"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(
    client_for: Any, cast: dict[str, Any], overrides: dict[str, str], anchor: str, message: str
) -> None:
    response = client_for("outsider").post("/concerns/new", concern_form(**overrides))
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert message in page and f'href="#{anchor}"' in page
    assert not Concern.objects.exists() and not Enquiry.objects.exists()
    assert not RecordEntry.objects.filter(action__in=["concern.raised", "enquiry.created"]).exists()


def test_the_partner_sees_what_happened_and_the_outcome_in_the_referrers_words(
    client_for: Any, cast: dict[str, Any]
) -> None:
    concern = raise_one(cast["outsider"], cast["hub_practitioner"].agency)
    eve = client_for("outsider")
    assert "Received: waiting in the hub" in eve.get("/concerns/").content.decode()
    from mash.enquiries import allocation

    allocation.take_enquiry(enquiry=concern.enquiry, actor=cast["hub_practitioner"])
    assert "Enquiry opened" in eve.get("/concerns/").content.decode()
    concern.refresh_from_db()
    see_it_through(concern, cast["hub_practitioner"], cast["hub_manager"])
    listing = eve.get("/concerns/").content.decode()
    assert "Outcome sent" in listing and "Amy Pupil" in listing
    page = html.unescape(eve.get(f"/concerns/{concern.pk}").content.decode())
    assert OUTCOME in page and CONCERN in page
    assert "HUB-ONLY" not in page and "Burn" not in page  # nothing else of the hub's
    assert RecordEntry.objects.filter(action="concern.viewed", object_id=str(concern.pk)).exists()
    assert RecordEntry.objects.filter(action="concern.listed").exists()


def test_an_agency_sees_only_its_own_concerns(client_for: Any, cast: dict[str, Any]) -> None:
    concern = raise_one(cast["outsider"], cast["hub_practitioner"].agency)
    priya = client_for("police_practitioner")
    assert priya.get(f"/concerns/{concern.pk}").status_code == 404
    assert "Amy Pupil" not in priya.get("/concerns/").content.decode()
    mine = raise_one(cast["police_practitioner"], cast["hub_practitioner"].agency, first_name="Zed")
    police_list = priya.get("/concerns/").content.decode()
    assert "Zed Pupil" in police_list and "Amy Pupil" not in police_list
    assert client_for("police_manager").get(f"/concerns/{mine.pk}").status_code == 200


@pytest.mark.parametrize("who", ["hub_practitioner", "hub_manager", "dpo"])
def test_the_hub_uses_its_own_pages_not_the_partners(client_for: Any, who: str) -> None:
    assert client_for(who).get("/concerns/").status_code == 404
    assert client_for(who).post("/concerns/new", concern_form()).status_code == 404
    assert not Concern.objects.exists()


def test_partners_see_the_menu_item(client_for: Any) -> None:
    assert "Concerns raised" in client_for("police_practitioner").get("/concerns/").content.decode()
    assert "Concerns raised" not in client_for("hub_practitioner").get("/my-work").content.decode()


def test_a_restricted_enquirys_concern_is_seen_only_by_whoever_raised_it(
    client_for: Any, cast: dict[str, Any]
) -> None:
    """The hub restricts an enquiry (a staff member's child, perhaps one of the raising
    agency's own): the rest of that agency no longer sees the concern, in the list or on
    its page; the practitioner who raised it still follows it to its outcome."""
    from mash.enquiries import services

    concern = raise_one(cast["police_practitioner"], cast["hub_practitioner"].agency)
    paul = client_for("police_manager")
    assert "Amy Pupil" in paul.get("/concerns/").content.decode()
    services.restrict_enquiry(
        enquiry=concern.enquiry,
        actor=cast["hub_manager"],
        users=[cast["hub_manager"]],
        reason="The child's parent works for the police.",
    )

    assert "Amy Pupil" not in paul.get("/concerns/").content.decode()
    assert paul.get(f"/concerns/{concern.pk}").status_code == 404
    priya = client_for("police_practitioner")
    assert "Amy Pupil" in priya.get("/concerns/").content.decode()
    assert priya.get(f"/concerns/{concern.pk}").status_code == 200
