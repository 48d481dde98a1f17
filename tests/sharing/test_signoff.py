"""A share overriding a refusal of consent waits for a manager of the disclosing agency
(the hub's setting, on by default): the hub does not see it until it is approved; a
returned decision goes back to the practitioner with the reason."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import escape

from mash.records.models import RecordEntry
from mash.sharing import services
from mash.sharing.models import Decision, RequestStatus, SharingSettings

from .advice_helpers import signoff_url
from .factories import CONSENTED, an_item, make_request, share_over_refusal

LIST = reverse("sharing:signoff-list")


@pytest.fixture
def req(cast: Any, agencies: Any) -> Any:
    """A police request about a child and a parent."""
    return make_request(cast=cast, agency=agencies["police"])


@pytest.fixture
def decision(cast: Any, req: Any) -> Decision:
    """The police practitioner's share over a refusal, waiting for sign-off."""
    return _override(cast, req)


def _override(cast: Any, req: Any, who: str = "police_practitioner") -> Decision:
    return share_over_refusal(cast[who], req, people=[req.people.first()])


def _correct(cast: Any, req: Any, decision: Decision, text: str, **why: str) -> Decision:
    """The police practitioner's correction of ``decision``, sharing ``text`` instead."""
    return share_over_refusal(
        cast["police_practitioner"],
        req,
        text=text,
        people=[req.people.first()],
        supersedes=decision,
        **why,
    )


def _decision_url(decision: Decision) -> str:
    return reverse("sharing:decision", kwargs={"decision_id": decision.pk})


def _enquiry_url(req: Any) -> str:
    return reverse("enquiries:detail", kwargs={"enquiry_id": req.enquiry_id})


def test_an_override_is_held_and_the_hub_does_not_see_it(
    req: Any, decision: Decision, client_for: Any
) -> None:
    assert decision.release == "awaiting_signoff"
    assert decision.released_at is None
    req.refresh_from_db()
    assert req.status == RequestStatus.OPEN
    assert RecordEntry.objects.filter(action="decision.held").exists()
    assert not RecordEntry.objects.filter(action="disclosure.made").exists()
    hub = client_for("hub_practitioner")
    assert hub.get(_decision_url(decision)).status_code == 404
    assert "Two call-outs" not in hub.get(_enquiry_url(req)).content.decode()
    # The practitioner sees it waiting.
    own = client_for("police_practitioner").get(
        reverse("sharing:request", kwargs={"request_id": req.pk})
    )
    assert "is waiting for a manager's sign-off" in own.content.decode()


def test_a_manager_of_the_agency_approves_and_the_hub_then_sees_it(
    cast: Any, req: Any, decision: Decision, client_for: Any
) -> None:
    manager = client_for("police_manager")
    listing = manager.get(LIST).content.decode()
    assert signoff_url(decision) in listing
    page = manager.get(signoff_url(decision)).content.decode()
    assert "The child is at risk of significant harm." in page
    assert "The risk to the child outweighs the refusal." in page
    assert "Two call-outs for domestic incidents" in page
    response = manager.post(signoff_url(decision), {"signoff": "approve"})
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.release == "released"
    assert decision.signoff_by == cast["police_manager"]
    assert decision.released_at is not None
    req.refresh_from_db()
    assert req.status == RequestStatus.ANSWERED
    assert RecordEntry.objects.filter(action="decision.signed_off").count() == 1
    assert RecordEntry.objects.filter(action="disclosure.made").count() == 1
    hub = client_for("hub_practitioner")
    record_page = hub.get(_decision_url(decision)).content.decode()
    assert "Approved by Paul Tester" in record_page
    assert "Two call-outs" in hub.get(_enquiry_url(req)).content.decode()
    assert signoff_url(decision) not in manager.get(LIST).content.decode()


def test_a_manager_returns_it_with_a_reason_and_the_practitioner_corrects_it(
    cast: Any, req: Any, decision: Decision, client_for: Any
) -> None:
    manager = client_for("police_manager")
    response = manager.post(
        signoff_url(decision), {"signoff": "return", "signoff_note": "Share only the dates."}
    )
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.release == "returned"
    assert decision.signoff_note == "Share only the dates."
    entry = RecordEntry.objects.get(action="decision.returned")
    assert "dates" not in str(entry.details)
    assert client_for("hub_practitioner").get(_decision_url(decision)).status_code == 404
    practitioner = client_for("police_practitioner")
    page = practitioner.get(reverse("sharing:request", kwargs={"request_id": req.pk}))
    assert "Share only the dates." in page.content.decode()
    correction = _correct(
        cast,
        req,
        decision,
        "Call-outs on 3 and 9 January",
        proportionality="Only the dates are shared.",
        correction_reason="Returned by the manager: dates only",
    )
    assert correction.release == "awaiting_signoff"
    assert signoff_url(correction) in manager.get(LIST).content.decode()
    assert signoff_url(decision) not in manager.get(LIST).content.decode()


def test_it_refuses_a_missing_choice_or_a_return_without_reason(
    decision: Decision, client_for: Any
) -> None:
    manager = client_for("police_manager")
    for data, field in (({}, "signoff"), ({"signoff": "return"}, "signoff_note")):
        response = manager.post(signoff_url(decision), data)
        assert response.status_code == 400
        assert f'href="#id_{field}"' in response.content.decode()
    decision.refresh_from_db()
    assert decision.release == "awaiting_signoff"
    assert not RecordEntry.objects.filter(action__in=["decision.signed_off", "decision.returned"])


@pytest.mark.parametrize(
    "who", ["police_practitioner", "hub_manager", "hub_practitioner", "dpo", "outsider"]
)
def test_only_a_manager_of_the_disclosing_agency_signs_off(
    decision: Decision, client_for: Any, who: str
) -> None:
    client = client_for(who)
    assert client.get(signoff_url(decision)).status_code == 404
    assert client.post(signoff_url(decision), {"signoff": "approve"}).status_code == 404
    assert signoff_url(decision) not in client.get(LIST).content.decode()
    decision.refresh_from_db()
    assert decision.release == "awaiting_signoff"


def test_a_manager_does_not_sign_off_their_own_decision(
    cast: Any, req: Any, client_for: Any
) -> None:
    decision = _override(cast, req, who="police_manager")
    assert decision.release == "awaiting_signoff"
    assert client_for("police_manager").get(signoff_url(decision)).status_code == 404
    with pytest.raises(PermissionError):
        services.sign_off(actor=cast["police_manager"], decision=decision, approve=True)


def test_a_decision_is_signed_off_once(cast: Any, decision: Decision, client_for: Any) -> None:
    services.sign_off(actor=cast["police_manager"], decision=decision, approve=True)
    with pytest.raises(PermissionError):
        services.sign_off(actor=cast["police_manager"], decision=decision, approve=False)
    assert client_for("police_manager").get(signoff_url(decision)).status_code == 404


def test_with_the_setting_off_an_override_is_released_at_once(
    cast: Any, agencies: Any, req: Any, client_for: Any
) -> None:
    SharingSettings.objects.create(hub=agencies["hub"], signoff_for_consent_overrides=False)
    decision = _override(cast, req)
    assert decision.release == "released"
    assert decision.released_at == decision.decided_at
    assert client_for("hub_practitioner").get(_decision_url(decision)).status_code == 200


def test_a_share_on_consent_is_not_held(cast: Any, req: Any) -> None:
    decision = services.record_decision(
        actor=cast["police_practitioner"],
        request=req,
        question=CONSENTED,
        items=[an_item([req.people.first()])],
        adequacy_confirmed=True,
    )
    assert decision.release == "released"
    assert signoff_url(decision)  # nothing waits
    req.refresh_from_db()
    assert req.status == RequestStatus.ANSWERED


def test_a_withdrawn_request_releases_nothing(cast: Any, req: Any, decision: Decision) -> None:
    services.withdraw_request(actor=cast["hub_practitioner"], request=req, reason="Resolved")
    with pytest.raises(PermissionError):
        services.sign_off(actor=cast["police_manager"], decision=decision, approve=True)
    decision.refresh_from_db()
    assert decision.release == "awaiting_signoff"


def test_the_service_refuses_without_a_choice(cast: Any, decision: Decision) -> None:
    with pytest.raises(ValidationError) as excinfo:
        services.sign_off(actor=cast["police_manager"], decision=decision, approve=None)
    assert "signoff" in excinfo.value.message_dict


def test_the_hub_keeps_the_released_decision_while_its_correction_waits(
    cast: Any, req: Any, decision: Decision, client_for: Any
) -> None:
    services.sign_off(actor=cast["police_manager"], decision=decision, approve=True)
    correction = _correct(
        cast, req, decision, "A third call-out since", correction_reason="A further call-out"
    )
    assert correction.release == "awaiting_signoff"
    hub = client_for("hub_practitioner")
    page = hub.get(_decision_url(decision))
    assert page.status_code == 200
    assert _decision_url(correction) not in page.content.decode()
    enquiry_page = hub.get(_enquiry_url(req)).content.decode()
    assert "Two call-outs for domestic incidents" in enquiry_page
    assert "A third call-out since" not in enquiry_page


def test_the_manager_signing_off_sees_each_persons_telling(
    decision: Decision, client_for: Any
) -> None:
    # Whether each person will be told is part of what the manager approves; it is read
    # from each person's own answer, the one truth, not from a summary of the decision.
    rows = list(decision.informing.select_related("person"))
    assert rows and {r.answer for r in rows} == {"will_tell"}
    body = client_for("police_manager").get(signoff_url(decision)).content.decode()
    assert "Telling the people whose information was shared" in body
    for row in rows:
        assert escape(row.person.full_name) in body
    assert f"To be told by {rows[0].tell_by:%-d %B %Y}" in body
    assert "Is the person told" not in body
