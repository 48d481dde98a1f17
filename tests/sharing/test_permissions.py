"""Access as a matrix of role x agency x object x action, with the shared cast.

An agency sees its own requests, decisions and disclosures, never another agency's
(404, and none of the other agency's data in the response). Hub staff see their own
hub's, and never answer on an agency's behalf (403). Everyone else: 404.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils.html import escape

from mash.agencies.models import Agency, User
from mash.sharing import permissions, services
from mash.sharing.models import Decision, InformationRequest
from tests.sharing.factories import will_tell

from .factories import SIGNIFICANT_HARM, an_item, make_enquiry, make_person, make_request

# Shares over a refusal are released at once here: sign-off is tested on its own.
pytestmark = pytest.mark.usefixtures("no_signoff")

AGENCY_OF = {"police": "police_practitioner", "health": "health_practitioner"}


@pytest.fixture
def world(cast: Any, agencies: Any) -> dict[str, Any]:
    other_hub = Agency.objects.create(
        code="other-hub", name="Another MASH", kind="childrens_social_care", is_hub=True
    )
    cast["other_hub_practitioner"] = User.objects.create_user(
        username="olga", first_name="Olga", last_name="Tester", agency=other_hub
    )
    cast["police_dpo"] = User.objects.create_user(
        username="pat", first_name="Pat", last_name="Tester", agency=agencies["police"], role="dpo"
    )
    hub_user = cast["hub_practitioner"]
    answered_enquiry = make_enquiry(hub=agencies["hub"], created_by=hub_user)
    open_enquiry = make_enquiry(hub=agencies["hub"], created_by=hub_user)
    people = [make_person(answered_enquiry), make_person(answered_enquiry, kind="parent")]
    open_people = [make_person(open_enquiry)]
    w: dict[str, Any] = {}
    for code in ("police", "health"):
        secret = code.upper()
        answered = make_request(
            cast=cast,
            agency=agencies[code],
            enquiry=answered_enquiry,
            people=people,
            purpose=f"{secret}-PURPOSE",
        )
        decision = services.record_decision(
            actor=cast[AGENCY_OF[code]],
            request=answered,
            question=SIGNIFICANT_HARM,
            justification=f"{secret}-JUSTIFICATION",
            informed=will_tell(),
            adequacy_confirmed=True,
            proportionality="Proportionate.",
            items=[an_item(people[:1], text=f"{secret}-ITEM")],
        )
        open_request = make_request(
            cast=cast,
            agency=agencies[code],
            enquiry=open_enquiry,
            people=open_people,
            purpose=f"{secret}-OPEN-PURPOSE",
        )
        w[code] = {"request": answered, "decision": decision, "open": open_request}
    return w


def _secrets(owner: str) -> list[str]:
    s = owner.upper()
    return [f"{s}-PURPOSE", f"{s}-JUSTIFICATION", f"{s}-ITEM", f"{s}-OPEN-PURPOSE"]


# Who sees what: (who, owner agency) -> allowed.
READERS = {
    "police_practitioner": {"police"},
    "police_manager": {"police"},
    "police_dpo": {"police"},
    "health_practitioner": {"health"},
    "outsider": set(),
    "hub_practitioner": {"police", "health"},
    "hub_manager": {"police", "health"},
    "dpo": {"police", "health"},
    "other_hub_practitioner": set(),
}
ANSWERERS = {
    "police_practitioner": {"police"},
    "police_manager": {"police"},
    "health_practitioner": {"health"},
}
MATRIX = [(who, owner) for who in READERS for owner in ("police", "health")]


def _check(response: Any, allowed: bool, owner: str, expected_ok: int = 200) -> None:
    if allowed:
        assert response.status_code == expected_ok, response.status_code
        return
    assert response.status_code in (403, 404)
    text = response.content.decode()
    for secret in _secrets(owner):
        assert escape(secret) not in text


@pytest.mark.parametrize(("who", "owner"), MATRIX)
def test_viewing_a_request(world: Any, cast: Any, client_for: Any, who: str, owner: str) -> None:
    client = client_for(who)
    req = world[owner]["request"]
    response = client.get(reverse("sharing:request", kwargs={"request_id": req.pk}))
    allowed = owner in READERS[who]
    _check(response, allowed, owner)
    if not allowed:
        assert response.status_code == 404
    else:
        assert f"{owner.upper()}-PURPOSE" in response.content.decode()


@pytest.mark.parametrize(("who", "owner"), MATRIX)
def test_viewing_a_decision_and_its_disclosures(
    world: Any, cast: Any, client_for: Any, who: str, owner: str
) -> None:
    decision = world[owner]["decision"]
    response = client_for(who).get(reverse("sharing:decision", kwargs={"decision_id": decision.pk}))
    allowed = owner in READERS[who]
    _check(response, allowed, owner)
    if not allowed:
        assert response.status_code == 404
    else:
        text = response.content.decode()
        assert f"{owner.upper()}-ITEM" in text
        other = "health" if owner == "police" else "police"
        for secret in _secrets(other):
            assert secret not in text


@pytest.mark.parametrize(("who", "owner"), MATRIX)
def test_the_inbox_lists_only_what_may_be_seen(
    world: Any, cast: Any, client_for: Any, who: str, owner: str
) -> None:
    text = client_for(who).get(reverse("sharing:inbox")).content.decode()
    visible = owner in READERS[who]
    assert (f"{owner.upper()}-OPEN-PURPOSE" in text) is visible


@pytest.mark.parametrize(("who", "owner"), MATRIX)
def test_answering_a_request(world: Any, cast: Any, client_for: Any, who: str, owner: str) -> None:
    client = client_for(who)
    req = world[owner]["open"]
    start = client.post(reverse("sharing:answer-start", kwargs={"request_id": req.pk}))
    page = client.get(reverse("sharing:answer", kwargs={"request_id": req.pk, "step": "purpose"}))
    record = client.post(
        reverse("sharing:answer-decision", kwargs={"request_id": req.pk}), {"action": "record"}
    )
    if owner in ANSWERERS.get(who, set()):
        assert start.status_code == 302
        assert page.status_code == 200
        assert record.status_code == 302  # back to the first unanswered question
        return
    # Those who may read the request but not answer it are refused (403); to anyone
    # else it does not exist (404).
    expected = 403 if owner in READERS[who] else 404
    for response in (start, page, record):
        assert response.status_code == expected
        _check(response, False, owner)
    assert Decision.objects.filter(request=req).count() == 0


@pytest.mark.parametrize(("who", "owner"), MATRIX)
def test_correcting_a_decision(
    world: Any, cast: Any, client_for: Any, who: str, owner: str
) -> None:
    decision = world[owner]["decision"]
    response = client_for(who).post(reverse("sharing:correct", kwargs={"decision_id": decision.pk}))
    if owner in ANSWERERS.get(who, set()):
        assert response.status_code == 302
    else:
        assert response.status_code == (403 if owner in READERS[who] else 404)
        _check(response, False, owner)


@pytest.mark.parametrize("who", list(READERS))
def test_sending_requests(world: Any, cast: Any, client_for: Any, who: str) -> None:
    enquiry = world["police"]["request"].enquiry
    response = client_for(who).get(
        reverse("sharing:request-create", kwargs={"enquiry_id": enquiry.pk})
    )
    allowed = who in {"hub_practitioner", "hub_manager"}
    assert response.status_code == (200 if allowed else 404)


def test_a_made_up_id_is_not_found(world: Any, client_for: Any) -> None:
    client = client_for("police_practitioner")
    missing = "00000000-0000-0000-0000-000000000000"
    assert client.get(f"/requests/{missing}").status_code == 404
    assert client.get(f"/requests/decisions/{missing}").status_code == 404
    assert client.get("/requests/not-a-uuid").status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(world: Any, client: Any) -> None:
    req = world["police"]["request"]
    response = client.get(reverse("sharing:request", kwargs={"request_id": req.pk}))
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in")


def test_inactive_users_and_users_without_an_agency_see_nothing(world: Any, cast: Any) -> None:
    priya = cast["police_practitioner"]
    priya.is_active = False
    assert not permissions.visible_requests(priya).exists()
    nobody = User(username="nobody")
    assert not permissions.visible_requests(nobody).exists()
    assert not permissions.visible_decisions(nobody).exists()
    assert InformationRequest.objects.count() == 4


def test_an_agency_never_sees_requests_on_a_draft_enquiry(
    world: Any, cast: Any, client_for: Any
) -> None:
    req = world["police"]["open"]
    req.enquiry.status = "draft"
    req.enquiry.save()
    response = client_for("police_practitioner").get(
        reverse("sharing:request", kwargs={"request_id": req.pk})
    )
    assert response.status_code == 404
