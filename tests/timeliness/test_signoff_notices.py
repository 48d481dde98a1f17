"""A share held for sign-off tells the agency's other managers; the sign-off given or
refused tells the practitioner who decided; a decision that reaches the hub tells the
hub. Once each, nobody outside, references only."""

from __future__ import annotations

from typing import Any

from mash.agencies.models import User
from mash.sharing import services
from mash.sharing.models import SharingSettings
from mash.timeliness import sharing_notices
from mash.timeliness.models import Notification
from tests.sharing.advice_helpers import signoff_url
from tests.sharing.factories import (
    CONSENTED,
    PUBLIC_FUNCTION_OVERRIDE,
    an_item,
    make_request,
    will_tell,
)

from .notice_helpers import email_all, everyone_told, told


def _override(cast: Any, req: Any) -> Any:
    return services.record_decision(
        actor=cast["police_practitioner"],
        request=req,
        # Not urgent: an urgent share is released at once and reviewed after (Guidance,
        # Consent to Share Information: "If the need to share is urgent ... take
        # immediate action and share the information without consent").
        question=PUBLIC_FUNCTION_OVERRIDE,
        justification="The child is at risk of significant harm.",
        informed=will_tell(),
        adequacy_confirmed=True,
        proportionality="The risk to the child outweighs the refusal.",
        items=[an_item([req.people.first()], text="Two call-outs for domestic incidents")],
    )


def test_a_held_decision_tells_the_agency_s_managers_but_not_the_hub(
    mail_cast: Any, agencies: Any
) -> None:
    req = make_request(cast=mail_cast, agency=agencies["police"])
    decision = _override(mail_cast, req)
    assert told("signoff_awaited") == {"paul"}
    assert everyone_told() == {"paul"}
    [notification] = Notification.objects.all()
    assert notification.link == signoff_url(decision)


def test_the_manager_who_decided_is_not_asked_to_sign_off_their_own_decision(
    mail_cast: Any, agencies: Any
) -> None:
    User.objects.create_user(username="pearl", agency=agencies["police"], role="manager")
    req = make_request(cast=mail_cast, agency=agencies["police"])
    services.record_decision(
        actor=mail_cast["police_manager"],
        request=req,
        # Not urgent: an urgent share is released at once and reviewed after (Guidance,
        # Consent to Share Information: "If the need to share is urgent ... take
        # immediate action and share the information without consent").
        question=PUBLIC_FUNCTION_OVERRIDE,
        justification="The child is at risk of significant harm.",
        informed=will_tell(),
        adequacy_confirmed=True,
        proportionality="The risk to the child outweighs the refusal.",
        items=[an_item([req.people.first()])],
    )
    assert told("signoff_awaited") == {"pearl"}


def test_approving_tells_the_practitioner_and_the_hub(
    mail_cast: Any, agencies: Any, client_for: Any
) -> None:
    req = make_request(cast=mail_cast, agency=agencies["police"])
    decision = _override(mail_cast, req)
    response = client_for("police_manager").post(signoff_url(decision), {"signoff": "approve"})
    assert response.status_code == 302
    assert told("signoff_given") == {"priya"}
    assert told("decision_released") == {"hana"}
    assert everyone_told() == {"paul", "priya", "hana"}
    ref = req.enquiry.reference
    page = client_for("police_practitioner").get("/notifications/").content.decode()
    assert f"{ref}: your decision has been signed off" in page
    page = client_for("hub_practitioner").get("/notifications/").content.decode()
    assert f"{ref}: Police has answered" in page


def test_returning_tells_the_practitioner_and_not_the_hub(
    mail_cast: Any, agencies: Any, client_for: Any
) -> None:
    req = make_request(cast=mail_cast, agency=agencies["police"])
    decision = _override(mail_cast, req)
    response = client_for("police_manager").post(
        signoff_url(decision), {"signoff": "return", "signoff_note": "Share only the dates."}
    )
    assert response.status_code == 302
    assert told("signoff_refused") == {"priya"}
    assert told("decision_released") == set()
    [notification] = Notification.objects.filter(notice__kind="signoff_refused")
    assert "dates" not in notification.body  # the note is read on the request
    page = client_for("police_practitioner").get("/notifications/").content.decode()
    assert f"{req.enquiry.reference}: your decision has been returned" in page


def test_a_decision_released_at_once_tells_whoever_sent_the_request(
    mail_cast: Any, agencies: Any
) -> None:
    req = make_request(cast=mail_cast, agency=agencies["police"])
    services.record_decision(
        actor=mail_cast["police_practitioner"],
        request=req,
        question=CONSENTED,
        items=[an_item([req.people.first()])],
        adequacy_confirmed=True,
    )
    assert told("decision_released") == {"hana"}
    assert told("signoff_awaited") == set()


def test_when_the_sender_has_left_the_hub_s_managers_are_told(
    mail_cast: Any, agencies: Any
) -> None:
    req = make_request(cast=mail_cast, agency=agencies["police"])
    hana = mail_cast["hub_practitioner"]
    hana.is_active = False
    hana.save(update_fields=["is_active"])
    services.record_decision(
        actor=mail_cast["police_practitioner"],
        request=req,
        question=CONSENTED,
        items=[an_item([req.people.first()])],
        adequacy_confirmed=True,
    )
    assert told("decision_released") == {"harriet"}


def test_with_sign_off_turned_off_an_override_goes_straight_to_the_hub(
    mail_cast: Any, agencies: Any
) -> None:
    SharingSettings.objects.create(hub=agencies["hub"], signoff_for_consent_overrides=False)
    req = make_request(cast=mail_cast, agency=agencies["police"])
    _override(mail_cast, req)
    assert everyone_told() == {"hana"}


def test_each_sign_off_notice_is_sent_once(mail_cast: Any, agencies: Any) -> None:
    req = make_request(cast=mail_cast, agency=agencies["police"])
    decision = _override(mail_cast, req)
    services.sign_off(actor=mail_cast["police_manager"], decision=decision, approve=True)
    decision.refresh_from_db()
    assert sharing_notices.signoff_awaited(decision, now=decision.decided_at) is None
    assert sharing_notices.signoff_given(decision, now=decision.signoff_at, approved=True) is None
    assert sharing_notices.decision_released(decision, now=decision.signoff_at) is None
    assert Notification.objects.count() == 3


def test_the_e_mails_name_the_agency_and_the_reference_and_nobody_s_details(
    mail_cast: Any, agencies: Any
) -> None:
    req = make_request(cast=mail_cast, agency=agencies["police"])
    decision = _override(mail_cast, req)
    services.sign_off(actor=mail_cast["police_manager"], decision=decision, approve=True)
    messages = email_all()
    assert sorted(m.to[0] for m in messages) == [
        "hana@hub.example",
        "paul@police.example",
        "priya@police.example",
    ]
    people = [p.full_name for p in req.people.all()]
    for message in messages:
        text = message.subject + message.body
        assert req.enquiry.reference in text
        assert "call-outs" not in text and "refusal." not in text
        assert not [name for name in people if name in text]
        assert "Priya" not in text and "Paul" not in text
