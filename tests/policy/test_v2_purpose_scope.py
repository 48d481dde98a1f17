"""Contract v2: consent for this purpose (Consent: "Do you have consent to share this
information for this purpose?") and a privacy notice relied on as implied consent."""

from __future__ import annotations

from typing import Any

from mash.policy import decide

from .helpers import reaching_consent


def decided(purpose_code: str | None, **consent: Any) -> dict[str, Any]:
    question = reaching_consent(
        purpose={"legitimate": True, "code": purpose_code},
        consent={"status": "given", **consent},
        risk={"significant_harm": False},
    )
    return decide(question).to_dict()


def test_a_consent_covering_the_requests_purpose_is_consent() -> None:
    data = decided("child_protection", purposes=["child_protection", "early_help"])
    assert data["basis"] == "consent"
    assert any(s["question"].startswith("Does the consent cover") for s in data["steps"])


def test_a_consent_for_another_purpose_is_treated_as_not_given() -> None:
    data = decided("child_protection", purposes=["early_help"], purpose_text="family support")
    assert data["outcome"] == "do_not_share"
    assert data["consent_used"]["relied_on"] is False
    assert any("does not cover the purpose" in r for r in data["reasons"])


def test_a_request_without_a_purpose_code_cannot_show_it_is_covered() -> None:
    assert decided(None, purposes=["early_help"])["outcome"] == "do_not_share"


def test_a_consent_not_limited_to_purposes_covers_any_purpose() -> None:
    assert decided("child_protection")["basis"] == "consent"


def test_the_purpose_is_checked_as_well_as_the_agencies() -> None:
    data = decided("child_protection", purposes=["child_protection"], agencies=["health"])
    assert data["outcome"] == "do_not_share"
    assert any("Partial Consent" in r for r in data["reasons"])


def test_a_privacy_notice_that_says_it_would_be_shared_is_implied_consent() -> None:
    data = decided("child_protection", privacy_notice=True, privacy_notice_covers=True)
    assert data["basis"] == "consent"
    assert any("implied consent" in r for r in data["reasons"])


def test_a_privacy_notice_that_does_not_cover_this_sharing_is_not_consent() -> None:
    data = decided("child_protection", privacy_notice=True, privacy_notice_covers=False)
    assert data["outcome"] == "do_not_share"
    assert any("privacy notice" in r for r in data["reasons"])


def test_a_privacy_notice_not_checked_is_not_consent() -> None:
    assert decided("child_protection", privacy_notice=True)["outcome"] == "do_not_share"


def test_an_implied_consent_is_not_explicit_enough_for_sensitive_information() -> None:
    question = reaching_consent(
        sensitive=True,
        consent={"status": "given", "privacy_notice": True, "privacy_notice_covers": True},
        risk={"significant_harm": False},
    )
    assert decide(question).outcome.value == "do_not_share"
