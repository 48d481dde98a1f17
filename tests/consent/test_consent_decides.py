"""The register's position goes straight into the sharing decision: ``decide()``
accepts it as the question's ``consent`` and reaches the guidance's answer."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from mash.consent.selectors import consent_position, consent_position_for_people
from mash.policy import decide

from .conftest import at


def _question(consent: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    question: dict[str, Any] = {
        "purpose": {"legitimate": True, "description": "MASH enquiry"},
        "identifies_individual": True,
        "confidential": True,
        "recipient_agency": "police",
        "consent": consent,
        "risk": {"significant_harm": False},
    }
    question.update(overrides)
    return question


def test_explicit_consent_for_police_shares_sensitive_information_on_consent(
    make_record: Any, child: Any
) -> None:
    make_record(child, agencies_=["police"], method="written")
    position = consent_position(person=child, recipient_agency="police", at=at(2))
    decision = decide(_question(position.consent, sensitive=True))
    assert decision.outcome.value == "share"
    assert decision.basis is not None and decision.basis.value == "consent"
    assert "explicit_consent_record" in [r.value for r in decision.requires]


@pytest.mark.parametrize(
    "record",
    [
        {"method": "privacy_notice"},
        {"method": "verbal", "time": None},
        {"method": "verbal", "information_covered": ""},
    ],
    ids=["privacy notice", "verbal without a time", "verbal without what it covers"],
)
def test_implicit_consent_is_not_enough_for_sensitive_information(
    make_record: Any, child: Any, record: dict[str, Any]
) -> None:
    make_record(child, **record)
    position = consent_position(person=child, recipient_agency="police", at=at(2))
    refused_harm = decide(_question(position.consent, sensitive=True))
    assert refused_harm.outcome.value == "do_not_share"
    with_harm = decide(_question(position.consent, sensitive=True, risk={"significant_harm": True}))
    assert with_harm.outcome.value == "share"
    assert with_harm.basis is not None and with_harm.basis.value == "significant_harm"
    assert with_harm.without_consent is True
    # The same implicit consent is enough for information that is not sensitive.
    assert decide(_question(position.consent)).basis.value == "consent"  # type: ignore[union-attr]


def test_partial_consent_that_leaves_out_the_recipient_is_not_consent(
    make_record: Any, child: Any
) -> None:
    make_record(child, agencies_=["health"])
    position = consent_position(person=child, recipient_agency="police", at=at(2))
    decision = decide(_question(position.consent, risk={"significant_harm": True}))
    assert decision.basis is not None and decision.basis.value == "significant_harm"
    assert decision.without_consent is True


def test_overriding_a_withdrawal_asks_for_proportionality(make_record: Any, child: Any) -> None:
    make_record(child)
    make_record(child, status="withdrawn", day=3)
    position = consent_position(person=child, recipient_agency="police", at=at(4))
    decision = decide(_question(position.consent, risk={"significant_harm": True}))
    assert "proportionality_of_override" in [r.value for r in decision.requires]


def test_consent_not_sought_carries_its_reason_into_the_decision(child: Any, enquiry: Any) -> None:
    enquiry.consent_to_refer = "not_obtained"
    enquiry.consent_not_obtained_reason = "Seeking consent would put the child at risk"
    enquiry.save()
    position = consent_position(person=child, recipient_agency="police")
    decision = decide(_question(position.consent, risk={"significant_harm": True}))
    assert decision.outcome.value == "share"
    assert decision.without_consent is True


def test_the_combined_position_of_everyone_named_decides_too(
    make_record: Any, people: dict[str, Any]
) -> None:
    make_record(people["child"], time=dt.time(9, 0))
    make_record(people["mother"], method="privacy_notice")
    combined = consent_position_for_people(
        people=[people["child"], people["mother"]], recipient_agency="police", at=at(2)
    )
    assert decide(_question(combined.consent)).basis.value == "consent"  # type: ignore[union-attr]
    sensitive = decide(_question(combined.consent, sensitive=True))
    assert sensitive.outcome.value == "do_not_share"


def test_an_agency_answering_a_request_asks_about_sharing_with_the_hub(
    make_record: Any, child: Any, enquiry: Any, agencies: dict[str, Any]
) -> None:
    from mash.consent.selectors import category_held_by

    make_record(child, agencies_=["hub"], categories=["police"])
    position = consent_position(
        person=child,
        recipient_agency=enquiry.hub,
        category=category_held_by(agencies["police"]),
        at=at(2),
    )
    decision = decide(_question(position.consent, recipient_agency=enquiry.hub.code))
    assert decision.basis is not None and decision.basis.value == "consent"
    health = consent_position(
        person=child,
        recipient_agency=enquiry.hub,
        category=category_held_by(agencies["health"]),
        at=at(2),
    )
    assert health.status == "unknown"
